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
            "· test-set patches · step {}",
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
        " {} #{} of {} · sees {}×{} pixels · active on {:.1} % ({} {} digits)",
        layer.name,
        f + 1,
        layer.filters.len(),
        layer.field,
        layer.field,
        100.0 * finding.active,
        thousands(scan.active_samples),
        match scan.active_set {
            crate::train::messages::EvalSet::Validation => "validation",
            crate::train::messages::EvalSet::Test => "test",
        },
    );
    Line::from(about).render(Rect::new(area.x, area.y + 1, area.width, 1), buf);
    let chips = chip_layout(scan, area);
    render_chips(app, scan, (l, f), &chips, buf);
    let top = chips.last().map_or(area.y + 2, |c| c.2.bottom());
    let grid = Rect::new(area.x, top, area.width, area.bottom().saturating_sub(top));
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

/// Columns of a layer's name before its chips, e.g. " conv2 ".
const CHIP_LEAD: u16 = 7;

/// Each filter's chip on the rows under the page's second line: one row (or more, wrapped)
/// a layer, its name then the filters' numbers, as (layer, filter, rect).
pub fn chip_layout(scan: &FilterScan, area: Rect) -> Vec<(usize, usize, Rect)> {
    let mut out = Vec::new();
    let mut y = area.y + 2;
    for (l, layer) in scan.layers.iter().enumerate() {
        // The number, its mark, a space: "11✗ 12✗ 13".
        let w = layer.filters.len().to_string().len() as u16 + 2;
        let across = (area.width.saturating_sub(CHIP_LEAD) / w).max(1) as usize;
        for f in 0..layer.filters.len() {
            let (row, col) = ((f / across) as u16, (f % across) as u16);
            let x = area.x + CHIP_LEAD + col * w;
            out.push((l, f, Rect::new(x, y + row, w, 1)));
        }
        y += layer.filters.len().div_ceil(across) as u16;
    }
    out.retain(|c| c.2.bottom() <= area.bottom());
    out
}

/// The (layer, filter) whose chip is at `pos` of a page drawn in `area`.
pub fn chip_at(
    scan: &FilterScan,
    area: Rect,
    pos: ratatui::layout::Position,
) -> Option<(usize, usize)> {
    let chips = chip_layout(scan, area);
    chips.iter().find(|c| c.2.contains(pos)).map(|c| (c.0, c.1))
}

/// The layers' names and their filters' numbers: the selected one reversed, a dead one red
/// and marked ✗ after its number (x in ASCII).
fn render_chips(
    app: &App,
    scan: &FilterScan,
    selected: (usize, usize),
    chips: &[(usize, usize, Rect)],
    buf: &mut Buffer,
) {
    let c = app.colors;
    let cross = if app.glyphs == crate::ui::widgets::heatmap::Glyphs::Ascii {
        "x"
    } else {
        "✗"
    };
    for &(l, f, rect) in chips {
        let layer = &scan.layers[l];
        if f == 0 {
            let name = format!(" {:<w$}", layer.name, w = CHIP_LEAD as usize - 1);
            buf.set_string(rect.x - CHIP_LEAD, rect.y, name, theme::QUIET.style(c));
        }
        let dead = layer.filters[f].active < DEAD_BELOW;
        let w = rect.width as usize - 2;
        let text = format!(" {:>w$}{}", f + 1, if dead { cross } else { " " });
        let mut style = theme::TEXT.style(c);
        if let Some(red) = c.color((255, 110, 110)).filter(|_| dead) {
            style = style.fg(red).bold();
        }
        if (l, f) == selected {
            style = style
                .add_modifier(ratatui::style::Modifier::REVERSED | ratatui::style::Modifier::BOLD);
        }
        buf.set_string(rect.x, rect.y, text, style);
    }
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
