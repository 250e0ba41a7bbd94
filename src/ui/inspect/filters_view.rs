//! The filter page: what one filter responds to. Its nine strongest test-set patches (one a
//! digit), cropped to its receptive field on the input, each with its ReLU output; how often
//! it is active at all; and the filters that (almost) never are.

use super::saliency_view::draw_filled;
use crate::number::thousands;
use crate::train::analysis::JobKind;
use crate::train::analysis::filters::FilterScan;
use crate::ui::app::App;
use crate::ui::theme;
use crate::ui::widgets::colormap::Scale;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Filters active on less than this share of positions are listed as dead.
pub const DEAD_BELOW: f32 = 0.005;

/// The selected (layer, filter), kept in range of `scan`.
pub fn selected(app: &App, scan: &FilterScan) -> (usize, usize) {
    let (l, f) = app.inspect.filter;
    let l = l.min(scan.layers.len().saturating_sub(1));
    let n = scan.layers.get(l).map_or(1, |x| x.filters.len().max(1));
    (l, f.min(n - 1))
}

pub fn render_filters(app: &App, area: Rect, buf: &mut Buffer) {
    let c = app.colors;
    let mut title =
        vec![Span::styled(" What each filter responds to ", theme::TEXT.style(c)).bold()];
    if let Some(scan) = &app.inspect.filters {
        title.push(Span::raw(format!(
            "· the test set · step {}",
            thousands(scan.step)
        )));
    }
    if let Some((JobKind::Filters, done, total)) = app.inspect.progress {
        let pct = 100 * done / total.max(1);
        title.push(Span::styled(
            format!("  ⟳ {pct} %"),
            theme::PROGRESS.style(c),
        ));
    }
    Line::from(title).render(Rect { height: 1, ..area }, buf);
    let Some(scan) = &app.inspect.filters else {
        let text = "scanning the test set for each filter's strongest patches…";
        Line::styled(text, theme::QUIET.style(c))
            .render(Rect::new(area.x, area.y + 1, area.width, 1), buf);
        return;
    };
    let (l, f) = selected(app, scan);
    let Some(layer) = scan.layers.get(l) else {
        return;
    };
    let finding = &layer.filters[f];
    let about = format!(
        " {} #{} of {} · sees {}×{} input pixels · active on {:.1} % of positions",
        layer.name,
        f + 1,
        layer.filters.len(),
        layer.field,
        layer.field,
        100.0 * finding.active
    );
    Line::from(about).render(Rect::new(area.x, area.y + 1, area.width, 1), buf);
    let grid = Rect::new(
        area.x,
        area.y + 2,
        area.width,
        area.height.saturating_sub(2),
    );
    let used = render_patches(app, finding, grid, buf);
    let dead = scan.dead(DEAD_BELOW);
    let text = if dead.is_empty() {
        format!(
            " no dead filters (active on under {:.1} % of positions)",
            100.0 * DEAD_BELOW
        )
    } else {
        format!(" {}", dead.join(" · "))
    };
    let below = Rect::new(
        area.x,
        grid.y + used,
        area.width,
        grid.height.saturating_sub(used),
    );
    Paragraph::new(text)
        .style(theme::QUIET.style(c))
        .wrap(Wrap { trim: true })
        .render(below, buf);
}

/// The patches in a row (or two), each captioned with its activation; the rows used.
fn render_patches(
    app: &App,
    finding: &crate::train::analysis::filters::FilterFindings,
    area: Rect,
    buf: &mut Buffer,
) -> u16 {
    if finding.top.is_empty() {
        Line::from(" never active on the test set: a dead filter")
            .render(Rect { height: 1, ..area }, buf);
        return 2;
    }
    let (w, h) = if area.width >= 9 * 17 && area.height >= 12 {
        (16, 8)
    } else {
        (7, 4)
    };
    let across = ((area.width + 1) / (w + 1)).max(1) as usize;
    // One scale for all nine: the strongest digit's ink is as bright as the weakest's.
    let scale = Scale::Unsigned { min: 0.0, max: 1.0 };
    let mut rows = 0;
    for (k, t) in finding.top.iter().enumerate() {
        let (col, row) = ((k % across) as u16, (k / across) as u16);
        let (x, y) = (area.x + col * (w + 1), area.y + row * (h + 1));
        if y + h + 1 > area.bottom() {
            break;
        }
        draw_filled(
            &t.patch,
            scale,
            (app.glyphs, app.colors),
            Rect::new(x, y, w, h),
            buf,
        );
        // The digit's test index where there is room for it.
        let caption = match w >= 12 {
            true => format!("{:.2} #{}", t.value, t.index),
            false => format!("{:.2}", t.value),
        };
        Line::styled(caption, theme::QUIET.style(app.colors))
            .render(Rect::new(x, y + h, w + 1, 1), buf);
        rows = (row + 1) * (h + 1);
    }
    rows + 1
}
