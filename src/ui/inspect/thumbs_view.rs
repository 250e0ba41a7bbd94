//! The wrong digits of the selected cell as thumbnails, each captioned with what the network
//! called it and how sure it was ("9:87%") and the probability it gave the true digit
//! ("4:10%"). `n` / `N` select one; Enter makes it the probe and shows its saliency.

use super::Inspect;
use crate::ui::theme;
use crate::ui::widgets::colormap::{ColorMode, Scale};
use crate::ui::widgets::heatmap::{Glyphs, Heatmap};
use ndarray::Array2;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// Columns between two thumbnails.
const GAP: u16 = 1;

/// A thumbnail's size in cells for an area of `area`: 14×7 where there is room (two pixels
/// a column, four a row in half-blocks), else 11 columns and 3 to 5 rows.
pub fn tile_size(area: Rect) -> (u16, u16) {
    // Two rows of 7-row pictures with their captions, and the header.
    if area.width >= 5 * (14 + GAP) && area.height > 2 * 8 {
        (14, 7)
    } else {
        (11, area.height.saturating_sub(2).clamp(3, 5))
    }
}

/// How many thumbnails fit across and down `area` (below its header line).
pub fn grid(area: Rect) -> (usize, usize) {
    let (w, h) = tile_size(area);
    let across = (area.width + GAP) / (w + GAP);
    let down = area.height.saturating_sub(1) / (h + 1);
    (across as usize, down as usize)
}

/// The first mistake shown: the grid scrolls so that the selected one is on screen.
fn first_shown(inspect: &Inspect, area: Rect) -> usize {
    let (across, down) = grid(area);
    (inspect.mistake + 1).saturating_sub(across * down)
}

/// The mistake (its index among the cell's kept ones) whose thumbnail or caption is at `pos`
/// of a grid drawn in `area`.
pub fn thumb_at(inspect: &Inspect, area: Rect, pos: ratatui::layout::Position) -> Option<usize> {
    let (across, down) = grid(area);
    let (w, h) = tile_size(area);
    let dx = pos.x.checked_sub(area.x)?;
    let dy = pos.y.checked_sub(area.y + 1)?;
    let (col, row) = ((dx / (w + GAP)) as usize, (dy / (h + 1)) as usize);
    let on_tile = dx % (w + GAP) < w;
    let k = first_shown(inspect, area) + row * across + col;
    let kept = inspect.cell_mistakes().len();
    (on_tile && col < across && row < down && k < kept).then_some(k)
}

/// Draw the selected cell's kept mistakes into `area`: a header line, then the grid.
pub fn render_thumbs(
    inspect: &Inspect,
    (glyphs, colors): (Glyphs, ColorMode),
    area: Rect,
    buf: &mut Buffer,
) {
    let (t, p) = inspect.cell;
    let mistakes = inspect.cell_mistakes();
    let header = if t == p {
        format!(" true {t} called {t}: right answers — choose a cell off the diagonal")
    } else if mistakes.is_empty() {
        format!(" true {t} called {p}: none")
    } else {
        let n = inspect
            .confusion
            .as_ref()
            .map_or(0, |c| c.counts[t as usize][p as usize]);
        format!(" true {t} called {p}: {n} digits — n/N choose, Enter probe + saliency")
    };
    Line::styled(header, theme::TEXT.style(colors))
        .bold()
        .render(Rect { height: 1, ..area }, buf);
    let (across, down) = grid(area);
    let shown = across * down;
    if shown == 0 {
        return;
    }
    let first = first_shown(inspect, area);
    let (w, h) = tile_size(area);
    for (k, m) in mistakes.iter().enumerate().skip(first).take(shown) {
        let slot = k - first;
        let x = area.x + (slot % across) as u16 * (w + GAP);
        let y = area.y + 1 + (slot / across) as u16 * (h + 1);
        let image = Array2::from_shape_fn((28, 28), |(r, c)| {
            f32::from(m.image.get(r * 28 + c).copied().unwrap_or(0)) / 255.0
        });
        Heatmap {
            data: image.view(),
            scale: Scale::Unsigned { min: 0.0, max: 1.0 },
            glyphs,
            colors,
        }
        .render(Rect::new(x, y, w, h), buf);
        let pct = |c: u8| (100.0 * m.probabilities[c as usize % 10]).round() as u32;
        let caption = format!(
            "{}:{}% {}:{}%",
            m.predicted,
            pct(m.predicted),
            m.label,
            pct(m.label)
        );
        let mut style = theme::QUIET.style(colors);
        if k == inspect.mistake {
            style = theme::TEXT
                .style(colors)
                .add_modifier(Modifier::REVERSED | Modifier::BOLD);
        }
        Line::from(Span::styled(caption, style)).render(Rect::new(x, y + h, w, 1), buf);
    }
}
