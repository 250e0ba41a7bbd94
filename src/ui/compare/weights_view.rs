//! The fc-vs-cnn screen's weights page: what an FC unit looks at (its 784 weights as a 28×28
//! map) beside conv1's 3×3 filters, each used at every position of the image.
//!
//! Every map is drawn at a whole zoom of at least 1:1 (`scale::Zoom`), as the dashboard's maps
//! are; only where not even one 28×28 map fits at 1:1 (ASCII at 80×24) is the unit drawn at
//! 1:2, and its title says so.

use crate::nn::plan::INPUT_SIDE;
use crate::ui::app::App;
use crate::ui::panels::wrap_words;
use crate::ui::widgets::colormap::Scale;
use crate::ui::widgets::heatmap::Heatmap;
use crate::ui::widgets::scale::Zoom;
use ndarray::{ArrayView2, Axis};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Widget};

/// The largest zoom tried for the selected unit's map.
const MAX_UNIT_ZOOM: u16 = 4;
/// The largest zoom tried for conv1's filters (a 3×3 filter at 6:1 is 18 pixels a side).
const MAX_FILTER_ZOOM: u16 = 6;
/// The unit's note, beside the map when there is room, under it otherwise.
/// Columns the note needs to go beside the map.
const NOTE_MIN_WIDTH: u16 = 22;
const UNIT_NOTE: &str = "784 weights, one per pixel. Warm: ink there raises the unit; cool lowers \
it. Shift the digit and other weights see it.";

pub fn render_weights_page(app: &App, area: Rect, buf: &mut Buffer) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    render_units(app, left, buf);
    render_filters(app, right, buf);
}

fn signed_map(app: &App, data: ArrayView2<'_, f32>, area: Rect, buf: &mut Buffer) {
    Heatmap {
        data,
        scale: Scale::fit(data.iter().copied(), true),
        glyphs: app.glyphs,
        colors: app.colors,
    }
    .render(area, buf);
}

/// How the units page is laid out in an inner area: the selected unit's zoom, and how many
/// other units fit under it at 1:1 (0: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitsLayout {
    pub zoom: Zoom,
    pub big: (u16, u16),
    pub thumb: (u16, u16),
    pub thumbs: u16,
}

/// The selected unit as large as fits at 2:1 or more with room for the note beside it and a
/// row of 1:1 thumbnails of the next units under it; else as large as fits alone; else 1:2.
pub fn units_layout(inner: (u16, u16), ppc: (usize, usize)) -> UnitsLayout {
    let side = (INPUT_SIDE, INPUT_SIDE);
    let thumb = Zoom::Up(1).cells(side, ppc);
    let fits = |(w, h): (u16, u16), rows: u16| w <= inner.0 && h + rows <= inner.1;
    let per_row = (inner.0 + 1) / (thumb.0 + 1);
    let with_thumbs = (2..=MAX_UNIT_ZOOM).rev().map(Zoom::Up).find(|z| {
        let big = z.cells(side, ppc);
        per_row > 0 && fits(big, thumb.1) && inner.0.saturating_sub(big.0 + 1) >= NOTE_MIN_WIDTH
    });
    if let Some(zoom) = with_thumbs {
        let big = zoom.cells(side, ppc);
        return UnitsLayout {
            zoom,
            big,
            thumb,
            thumbs: per_row,
        };
    }
    let zoom = (1..=MAX_UNIT_ZOOM)
        .rev()
        .map(Zoom::Up)
        .find(|z| fits(z.cells(side, ppc), 0))
        .unwrap_or(Zoom::Half);
    let big = zoom.cells(side, ppc);
    UnitsLayout {
        zoom,
        big,
        thumb,
        thumbs: 0,
    }
}

/// Unit `u`'s 784 weights as a 28×28 map.
fn unit_map(first_layer: &ndarray::Array2<f32>, u: usize) -> ndarray::Array2<f32> {
    first_layer
        .index_axis(Axis(0), u)
        .to_shape((INPUT_SIDE, INPUT_SIDE))
        .expect("784 weights: a 28x28 map") // (784) → (28,28)
        .to_owned()
}

/// The selected unit large, its neighbours at 1:1 under it when they fit.
fn render_units(app: &App, area: Rect, buf: &mut Buffer) {
    let c = &app.compare;
    let inner = Block::bordered().inner(area);
    let fit = units_layout((inner.width, inner.height), app.glyphs.pixels_per_cell());
    let block = Block::bordered().title(format!(
        " MLP fc1: unit {} of {} (←/→), {} ",
        c.unit + 1,
        c.units(),
        fit.zoom.label()
    ));
    block.render(area, buf);
    let Some(w) = &c.weights else {
        Line::raw("waiting for the baseline's first weights").render(inner, buf);
        return;
    };
    let n = w.first_layer.nrows();
    let unit = c.unit.min(n - 1);
    let (bw, bh) = fit.big;
    let big = Rect::new(inner.x, inner.y, bw, bh);
    signed_map(app, unit_map(&w.first_layer, unit).view(), big, buf);
    // Under it, the units after it (wrapping round), each at 1:1.
    let others: Vec<usize> = (1..n)
        .map(|i| (unit + i) % n)
        .take(fit.thumbs as usize)
        .collect();
    let names: Vec<String> = others.iter().map(|u| (u + 1).to_string()).collect();
    let note = match names.as_slice() {
        [] => UNIT_NOTE.to_string(),
        [one] => format!("{UNIT_NOTE} Under it: unit {one}."),
        _ => format!("{UNIT_NOTE} Under it: units {}.", names.join(", ")),
    };
    render_unit_note(&note, inner, big, !others.is_empty(), buf);
    let (tw, th) = fit.thumb;
    for (slot, &u) in others.iter().enumerate() {
        let x = inner.x + slot as u16 * (tw + 1);
        let area = Rect::new(x, big.bottom(), tw, th);
        signed_map(app, unit_map(&w.first_layer, u).view(), area, buf);
    }
}

/// The note beside the map when it fits there in full, else under it (unless thumbnails take
/// that room).
fn render_unit_note(note: &str, inner: Rect, big: Rect, thumbs: bool, buf: &mut Buffer) {
    let beside = inner.width.saturating_sub(big.width + 1);
    let lines = wrap_words(note, beside as usize);
    let area = if beside >= 20 && lines.len() as u16 <= big.height {
        Rect::new(big.right() + 1, inner.y, beside, big.height)
    } else if !thumbs {
        let below = inner.height.saturating_sub(big.height + 1);
        Rect::new(inner.x, big.bottom() + 1, inner.width, below)
    } else {
        return;
    };
    let lines: Vec<Line> = wrap_words(note, area.width as usize)
        .into_iter()
        .map(Line::raw)
        .collect();
    Paragraph::new(lines).render(area, buf);
}

/// The largest zoom (at most `MAX_FILTER_ZOOM`, at least 1:1) at which `f` maps of `k`×`k`
/// pixels fit in a grid in `area` (one column and one row between them), and how many go in a
/// row.
pub fn filter_grid(area: (u16, u16), f: usize, k: usize, ppc: (usize, usize)) -> (Zoom, u16) {
    let grid = |z: Zoom| {
        let (w, h) = z.cells((k, k), ppc);
        let per_row = ((area.0 + 1) / (w + 1)).max(1);
        let rows = (f as u16).div_ceil(per_row);
        (per_row, rows * (h + 1) <= area.1 + 1 && w <= area.0)
    };
    for n in (1..=MAX_FILTER_ZOOM).rev() {
        let (per_row, fits) = grid(Zoom::Up(n));
        if fits {
            return (Zoom::Up(n), per_row);
        }
    }
    (Zoom::Up(1), grid(Zoom::Up(1)).0)
}

/// conv1's filters, each a 3×3 (or k×k) map, under two lines on what they cost.
fn render_filters(app: &App, area: Rect, buf: &mut Buffer) {
    let block = Block::bordered().title(" CNN conv1 filters ");
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(filters) = app.snapshot.as_ref().and_then(|s| s.filters.first()) else {
        Line::raw("waiting for the first snapshot").render(inner, buf);
        return;
    };
    let (f, _, k, _) = filters.dim();
    let params = filters.len() + f;
    let width = inner.width as usize;
    let mut lines: Vec<Line> = wrap_words(
        &format!(
            "{f} filters of {k}x{k}: {params} parameters in all, each slid over all 784 positions."
        ),
        width,
    )
    .into_iter()
    .map(Line::raw)
    .collect();
    lines.extend(
        wrap_words(
            "Same weights everywhere: a shifted digit gives a shifted map.",
            width,
        )
        .into_iter()
        .map(|l| Line::raw(l).dim()),
    );
    let text_rows = (lines.len() as u16 + 1).min(inner.height);
    let [text, maps] =
        Layout::vertical([Constraint::Length(text_rows), Constraint::Fill(1)]).areas(inner);
    Paragraph::new(lines).render(text, buf);
    let ppc = app.glyphs.pixels_per_cell();
    let (zoom, per_row) = filter_grid((maps.width, maps.height), f, k, ppc);
    let (w, h) = zoom.cells((k, k), ppc);
    for i in 0..f {
        let (r, col) = (i as u16 / per_row, i as u16 % per_row);
        let (x, y) = (maps.x + col * (w + 1), maps.y + r * (h + 1));
        if y + h > maps.bottom() {
            break;
        }
        let kernel = filters.index_axis(Axis(0), i);
        let first = kernel.index_axis(Axis(0), 0); // (in,k,k) → (k,k), conv1 has one input
        signed_map(app, first, Rect::new(x, y, w, h), buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HALF: (usize, usize) = (1, 2);
    const ASCII: (usize, usize) = (1, 1);

    #[test]
    fn a_wide_page_shows_the_unit_enlarged_with_one_to_one_neighbours_under_it() {
        let fit = units_layout((86, 42), HALF);
        assert_eq!(fit.zoom, Zoom::Up(2));
        assert_eq!(fit.big, (56, 28));
        assert_eq!(fit.thumb, (28, 14));
        assert_eq!(fit.thumbs, 3);
        // Braille: four dots a row, so 4:1 still leaves room.
        let fit = units_layout((86, 42), (2, 4));
        assert_eq!((fit.zoom, fit.thumbs), (Zoom::Up(4), 5));
    }

    #[test]
    fn a_small_page_shows_the_unit_alone_and_never_below_one_to_one_in_half_blocks() {
        let fit = units_layout((42, 19), HALF);
        assert_eq!((fit.zoom, fit.thumbs), (Zoom::Up(1), 0));
        assert_eq!(fit.big, (28, 14));
    }

    #[test]
    fn only_ascii_at_80x24_falls_back_to_half() {
        assert_eq!(units_layout((42, 19), ASCII).zoom, Zoom::Half);
        assert_eq!(units_layout((86, 43), ASCII).zoom, Zoom::Up(1));
    }

    #[test]
    fn filters_take_the_largest_zoom_at_which_all_fit() {
        // 8 filters of 3x3 in half-blocks: at 6:1 a filter is 18x9 cells.
        let (zoom, per_row) = filter_grid((70, 40), 8, 3, HALF);
        assert_eq!((zoom, per_row), (Zoom::Up(6), 3));
        let (zoom, _) = filter_grid((34, 12), 8, 3, HALF);
        assert!(zoom >= Zoom::Up(1));
        let (w, h) = zoom.cells((3, 3), HALF);
        let per_row = (34 + 1) / (w + 1);
        assert!(
            8u16.div_ceil(per_row) * (h + 1) <= 13,
            "{zoom:?} does not fit"
        );
    }
}
