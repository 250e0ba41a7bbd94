//! The translation lab: the probe digit and its maps after each ReLU and pooling, unshifted
//! (from the snapshot) above and shifted (the worker's trace of the lab image) below, each
//! with the network's answer; whether each shifted map is an exact moved copy of the
//! unshifted one; and the test accuracy against shift.
//!
//! A map is drawn with every one of its pixels (1:1 or larger; 1:2 only in ASCII, one pixel a
//! cell, as on the dashboard) or not at all: where the five pictures of a row do not fit so
//! (narrower than 159 columns, or fewer than 48 rows), `translation_narrow` shows one chosen
//! map, unshifted beside shifted.

pub use super::moved_copy::{check, moved_copy_error, shift_label};
use super::view::{note, picture, square, verdict};
use crate::nn::FeatureMap;
use crate::nn::plan::Stage;
use crate::train::analysis::lab::{LabInput, LabTrace, shift};
use crate::train::messages::Snapshot;
use crate::ui::app::App;
use crate::ui::widgets::colormap::Scale;
use crate::ui::widgets::heatmap::Glyphs;
use crate::ui::widgets::scale::Zoom;
use ndarray::{Array2, ArrayView2, Axis};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Columns of the label at the left of each row of pictures.
const LABEL_W: u16 = 14;
/// Rows of the accuracy table (title, header, two curves, the MLP's place).
const TABLE_H: u16 = 5;
/// The chart starts this far right of the table's left edge.
const CHART_AFTER: u16 = 66;

/// The maps shown: the ReLU and pooling layers', one channel each.
pub(super) fn shown(maps: &[FeatureMap]) -> Vec<&FeatureMap> {
    maps.iter()
        .filter(|m| m.id.is(Stage::Relu) || m.id.is(Stage::Pool))
        .collect()
}

/// The smallest zoom a map may be drawn at: 1:1, or 1:2 in ASCII (one pixel a cell cannot
/// show a 28×28 digit at 1:1 in the rows a terminal has).
pub(super) fn smallest_zoom(glyphs: Glyphs) -> Zoom {
    match glyphs {
        Glyphs::Ascii => Zoom::Half,
        _ => Zoom::Up(1),
    }
}

/// Whether a map of `(h, w)` pixels fits `cells` (columns, rows) at `zoom`.
pub(super) fn fits(glyphs: Glyphs, zoom: Zoom, (h, w): (usize, usize), cells: (u16, u16)) -> bool {
    let (cw, ch) = zoom.cells((h, w), glyphs.pixels_per_cell());
    cw <= cells.0 && ch <= cells.1
}

/// The wide layout: the rows' area, the picture rows `ph` and the accuracy table's height,
/// when every picture fits a slot (`square(ph)`) at its smallest zoom; `None` otherwise.
fn wide_layout(app: &App, snap: &Snapshot, area: Rect) -> Option<(Rect, u16, u16)> {
    // The pictures need at most two rows of 14 and their captions; the rest goes to the
    // accuracy figures, with a chart beside the table when wide.
    let table_h = TABLE_H.max(area.height.saturating_sub(31)).min(area.height);
    let pics_h = area.height - table_h;
    // Caption row + a row of pictures each for unshifted and shifted, and a line of checks.
    let ph = (pics_h.saturating_sub(2) / 2).clamp(1, 14);
    let (pw, _) = square(ph);
    let maps = shown(&snap.feature_maps);
    let fit = ((area.width.saturating_sub(LABEL_W)) / (pw + 1)) as usize;
    let zoom = smallest_zoom(app.glyphs);
    let all_fit = fit > maps.len()
        && fits(app.glyphs, zoom, snap.probe_image.dim(), (pw, ph))
        && maps
            .iter()
            .all(|m| fits(app.glyphs, zoom, (m.maps.dim().1, m.maps.dim().2), (pw, ph)));
    let rows = Rect::new(area.x, area.y, area.width, pics_h);
    all_fit.then_some((rows, ph, table_h))
}

/// Every picture the page draws in `area`: its cells and its map's pixels `(h, w)` (for the
/// test that none is drawn below its smallest zoom).
pub fn drawn_maps(app: &App, area: Rect) -> Vec<(Rect, (usize, usize))> {
    let Some(snap) = &app.snapshot else {
        return Vec::new();
    };
    let Some((rows, ph, _)) = wide_layout(app, snap, area) else {
        return super::translation_narrow::drawn_maps(app, snap, area);
    };
    let (pw, _) = square(ph);
    let maps = shown(&snap.feature_maps);
    let dims = std::iter::once(snap.probe_image.dim())
        .chain(maps.iter().map(|m| (m.maps.dim().1, m.maps.dim().2)));
    dims.enumerate()
        .flat_map(|(i, dim)| {
            let x = rows.x + LABEL_W + i as u16 * (pw + 1);
            let top = Rect::new(x, rows.y + 1, pw, ph);
            let below = Rect::new(x, rows.y + ph + 1, pw, ph);
            [(top, dim), (below, dim)]
        })
        .collect()
}

/// The translation lab's page.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(snap) = &app.snapshot else {
        Line::from("waiting for the first snapshot…").render(area, buf);
        return;
    };
    let Some((rows, ph, table_h)) = wide_layout(app, snap, area) else {
        super::translation_narrow::render(app, snap, area, buf);
        return;
    };
    let trace = app.labs.trace_for_page();
    render_rows(app, snap, trace, rows, ph, buf);
    let table = Rect::new(area.x, area.bottom() - table_h, area.width, table_h);
    let chart = (table.width >= CHART_AFTER + 30 && table_h >= 8).then(|| {
        Rect::new(
            table.x + CHART_AFTER,
            table.y,
            table.width - CHART_AFTER,
            table_h,
        )
    });
    let table = Rect {
        width: chart.map_or(table.width, |_| CHART_AFTER - 1),
        ..table
    };
    Paragraph::new(super::shift_chart::curve_lines(app))
        .wrap(Wrap { trim: false })
        .render(table, buf);
    if let Some(chart) = chart {
        super::shift_chart::render(app, chart, buf);
    }
}

/// The two rows of pictures and the line of checks under them.
fn render_rows(
    app: &App,
    snap: &Snapshot,
    trace: Option<&LabTrace>,
    area: Rect,
    ph: u16,
    buf: &mut Buffer,
) {
    let (pw, _) = square(ph);
    let (dx, dy) = shown_shift(app, trace);
    let channel = app.selected_filter;
    let maps = shown(&snap.feature_maps);
    let count = maps.len() + 1;
    let moved_img = moved_image(snap, trace, (dx, dy));
    let moved_maps = trace.map(|t| shown(&t.feature_maps)).unwrap_or_default();
    let mut checks = Vec::new();
    for i in 0..count {
        let x = area.x + LABEL_W + i as u16 * (pw + 1);
        let top = Rect::new(x, area.y, pw, ph + 1);
        let below = Rect::new(x, area.y + ph + 1, pw, ph);
        if i == 0 {
            let unit = Scale::Unsigned { min: 0.0, max: 1.0 };
            picture(app, top, "input", snap.probe_image.view(), unit, buf);
            draw_plain(app, below, moved_img.view(), unit, buf);
            continue;
        }
        let m = maps[i - 1];
        let c = channel % m.maps.dim().0.max(1);
        let a = m.maps.index_axis(Axis(0), c);
        let b = moved_maps
            .get(i - 1)
            .map(|mm| mm.maps.index_axis(Axis(0), c));
        let scale = pair_scale(a, b);
        picture(app, top, &format!("{} #{}", m.layer, c + 1), a, scale, buf);
        if let Some(b) = b {
            draw_plain(app, below, b, scale, buf);
            checks.push(check(&m.layer, a, b, (dx, dy)));
        }
    }
    let mut label = |y: u16, lines: Vec<Line<'static>>| {
        Paragraph::new(lines).render(Rect::new(area.x, y, LABEL_W - 1, ph), buf);
    };
    label(
        area.y + 1,
        answer_lines(
            "unshifted".into(),
            Some(&snap.probabilities),
            trace.and_then(|t| t.mlp.as_ref()).map(|m| &m[0]),
        ),
    );
    label(
        area.y + ph + 1,
        answer_lines(
            shift_label(dx, dy),
            trace.map(|t| &t.probabilities),
            trace.and_then(|t| t.mlp.as_ref()).map(|m| &m[1]),
        ),
    );
    let y = area.y + 2 * ph + 1;
    if y < area.bottom() {
        let text = if checks.is_empty() {
            "shift with the arrows".to_string()
        } else {
            format!(
                "moved copies of the maps above? {} (away from the edges; a map k× smaller moves shift/k px)",
                checks.join(" ")
            )
        };
        note(text, app.colors).render(Rect::new(area.x, y, area.width, 1), buf);
    }
}

/// The shift the trace shown is of (the one asked for while none is).
pub(super) fn shown_shift(app: &App, trace: Option<&LabTrace>) -> (i32, i32) {
    match trace.map(|t| &t.input) {
        Some(LabInput::Shift { dx, dy }) => (*dx, *dy),
        _ => app.labs.shift,
    }
}

/// The shifted digit `(28, 28)`: the trace's, or the probe moved here while it is traced.
pub(super) fn moved_image(
    snap: &Snapshot,
    trace: Option<&LabTrace>,
    (dx, dy): (i32, i32),
) -> Array2<f32> {
    trace
        .map(|t| t.image.clone())
        .unwrap_or_else(|| shift(snap.probe_image.view(), dx, dy))
}

/// One colour scale for a map and its shifted copy, so that equal values look equal.
pub(super) fn pair_scale(a: ArrayView2<f32>, b: Option<ArrayView2<f32>>) -> Scale {
    Scale::fit(
        a.iter().chain(b.iter().flat_map(|b| b.iter())).copied(),
        false,
    )
}

/// A bold title, the CNN's "says 7 100 %" (or "tracing…" while there is no answer yet),
/// and the fully connected baseline's answer for the same image when it trains.
pub(super) fn answer_lines(
    title: String,
    probabilities: Option<&[f32; 10]>,
    mlp: Option<&[f32; 10]>,
) -> Vec<Line<'static>> {
    // "CNN 7 100 %" fits the wide layout's 13-column labels; "says" only when alone.
    let says = |who: &str, p: &[f32; 10]| {
        let (class, p) = verdict(p);
        format!("{who} {class} {:.0} %", 100.0 * p)
    };
    let cnn = match probabilities {
        Some(p) => says(if mlp.is_some() { "CNN" } else { "says" }, p),
        None => "tracing…".into(),
    };
    let mut lines = vec![Line::from(title).bold(), Line::from(cnn)];
    if let Some(p) = mlp {
        lines.push(Line::from(says("MLP", p)));
    }
    lines
}

/// A picture without a caption.
pub(super) fn draw_plain(
    app: &App,
    rect: Rect,
    data: ArrayView2<f32>,
    scale: Scale,
    buf: &mut Buffer,
) {
    if rect.height > 0 {
        crate::ui::widgets::heatmap::Heatmap {
            data,
            scale,
            glyphs: app.glyphs,
            colors: app.colors,
        }
        .render(rect, buf);
    }
}
