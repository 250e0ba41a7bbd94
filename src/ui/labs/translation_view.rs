//! The translation lab: the probe digit and its maps after each ReLU and pooling, unshifted
//! (from the snapshot) above and shifted (the worker's trace of the lab image) below, each
//! with the network's answer; whether each shifted map is an exact moved copy of the
//! unshifted one; and the test accuracy against shift.

use super::view::{note, picture, square, verdict};
use crate::nn::FeatureMap;
use crate::nn::plan::Stage;
use crate::number::thousands;
use crate::train::analysis::lab::{LabInput, LabTrace, shift, spans};
use crate::train::analysis::shift::{MAX_SHIFT, ShiftCurve};
use crate::train::messages::Snapshot;
use crate::ui::app::App;
use crate::ui::widgets::colormap::Scale;
use ndarray::{Array2, ArrayView2, Axis, s};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

/// Columns of the label at the left of each row of pictures.
const LABEL_W: u16 = 14;
/// Rows of the accuracy table (title, header, two curves, the MLP's place).
const TABLE_H: u16 = 5;

/// The maps shown: the ReLU and pooling layers', one channel each.
fn shown(maps: &[FeatureMap]) -> Vec<&FeatureMap> {
    maps.iter()
        .filter(|m| m.id.is(Stage::Relu) || m.id.is(Stage::Pool))
        .collect()
}

/// The translation lab's page.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(snap) = &app.snapshot else {
        Line::from("waiting for the first snapshot…").render(area, buf);
        return;
    };
    // The pictures need at most two rows of 14 and their captions; the rest goes to the
    // accuracy figures, with a chart beside the table when wide.
    let table_h = TABLE_H.max(area.height.saturating_sub(31)).min(area.height);
    let pics_h = area.height - table_h;
    let trace = app.labs.trace_for_page();
    // Caption row + a row of pictures each for unshifted and shifted, and a line of checks.
    let ph = (pics_h.saturating_sub(2) / 2).clamp(1, 14);
    let rows = Rect::new(area.x, area.y, area.width, pics_h);
    render_rows(app, snap, trace, rows, ph, buf);
    let table = Rect::new(area.x, area.bottom() - table_h, area.width, table_h);
    Paragraph::new(curve_lines(app)).render(table, buf);
    let chart_x = table.x + CHART_AFTER;
    if table.width >= CHART_AFTER + 30 && table_h >= 8 {
        let chart = Rect::new(chart_x, table.y, table.right() - chart_x, table_h);
        super::shift_chart::render(app, chart, buf);
    }
}

/// The chart starts this far right of the table's left edge.
const CHART_AFTER: u16 = 66;

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
    let (dx, dy) = match trace.map(|t| &t.input) {
        Some(LabInput::Shift { dx, dy }) => (*dx, *dy),
        _ => app.labs.shift,
    };
    let channel = app.selected_filter;
    let maps = shown(&snap.feature_maps);
    let fit = ((area.width.saturating_sub(LABEL_W)) / (pw + 1)) as usize;
    let count = fit.min(maps.len() + 1);
    let moved_img = trace
        .map(|t| t.image.clone())
        .unwrap_or_else(|| shift(snap.probe_image.view(), dx, dy));
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
        let scale = Scale::fit(
            a.iter().chain(b.iter().flat_map(|b| b.iter())).copied(),
            false,
        );
        picture(app, top, &format!("{} #{}", m.layer, c + 1), a, scale, buf);
        if let Some(b) = b {
            draw_plain(app, below, b, scale, buf);
            checks.push(check(&m.layer, a, b, (dx, dy)));
        }
    }
    let mut label = |y: u16, lines: Vec<Line<'static>>| {
        Paragraph::new(lines).render(Rect::new(area.x, y, LABEL_W - 1, ph), buf);
    };
    let (class, p) = verdict(&snap.probabilities);
    label(
        area.y + 1,
        vec![
            Line::from("unshifted").bold(),
            Line::from(format!("says {class} {:.0} %", 100.0 * p)),
        ],
    );
    let moved = match trace {
        Some(t) => {
            let (class, p) = verdict(&t.probabilities);
            format!("says {class} {:.0} %", 100.0 * p)
        }
        None => "tracing…".into(),
    };
    label(
        area.y + ph + 1,
        vec![Line::from(shift_label(dx, dy)).bold(), Line::from(moved)],
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

/// A picture without a caption.
fn draw_plain(app: &App, rect: Rect, data: ArrayView2<f32>, scale: Scale, buf: &mut Buffer) {
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

/// "→3 ↓1", or "not shifted".
pub fn shift_label(dx: i32, dy: i32) -> String {
    if (dx, dy) == (0, 0) {
        return "not shifted".into();
    }
    let h = match dx {
        0 => String::new(),
        d if d > 0 => format!("→{d} "),
        d => format!("←{} ", -d),
    };
    let v = match dy {
        0 => String::new(),
        d if d > 0 => format!("↓{d}"),
        d => format!("↑{}", -d),
    };
    format!("shifted {h}{v}").trim_end().to_string()
}

/// Whether the shifted map `b` is the map `a` moved: by the shift divided by how much smaller
/// the map is than the 28-pixel input, compared where the moved copy has a source.
fn check(layer: &str, a: ArrayView2<f32>, b: ArrayView2<f32>, (dx, dy): (i32, i32)) -> String {
    let stride = (28 / a.dim().0.max(1)) as i32;
    if dx % stride != 0 || dy % stride != 0 {
        return format!("{layer} ✗");
    }
    match moved_copy_error(a, b, (dx / stride, dy / stride)) {
        Some(e) if e < 1e-3 => format!("{layer} ✓"),
        Some(e) => format!("{layer} ≈{:.0}%", 100.0 * e),
        None => format!("{layer} gone"),
    }
}

/// Map pixels next to the edges left out of the comparison: there the shifted digit's maps
/// also see what the shift pushed out of the picture (or the zeros it brought in).
const EDGE: usize = 2;

/// The largest difference between `b` and `a` moved by (dx, dy) map pixels, relative to the
/// largest value of `a`, over the pixels the move gives a source, `EDGE` pixels away from
/// the edges; `None` when none.
pub fn moved_copy_error(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    (dx, dy): (i32, i32),
) -> Option<f32> {
    let (h, w) = a.dim();
    let ((ys, _), (xs, _)) = (spans(h, dy)?, spans(w, dx)?);
    let inner = |r: std::ops::Range<usize>, len: usize| {
        r.start.max(EDGE)..r.end.min(len.saturating_sub(EDGE))
    };
    let (ys, xs) = (inner(ys, h), inner(xs, w));
    if ys.is_empty() || xs.is_empty() {
        return None;
    }
    let moved: Array2<f32> = shift(a, dx, dy);
    let diff = (&moved.slice(s![ys.clone(), xs.clone()]) - &b.slice(s![ys, xs]))
        .iter()
        .fold(0.0f32, |m, v| m.max(v.abs()));
    let peak = a.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    Some(if peak > 0.0 { diff / peak } else { diff })
}

/// The accuracy-against-shift table: the CNN's curves and the place for the MLP's.
fn curve_lines(app: &App) -> Vec<Line<'static>> {
    let c = app.colors;
    let Some(curves) = &app.compare.shift else {
        return vec![note(
            "test accuracy against shift: computing on a copy of the weights…",
            c,
        )];
    };
    let mut lines = vec![
        Line::from(format!(
            "Accuracy against shift · {} test digits · step {}",
            thousands(curves.samples),
            thousands(curves.step)
        ))
        .bold(),
        Line::from(format!(
            "{:<9}{}",
            "shift px",
            (0..=MAX_SHIFT)
                .map(|d| format!("{d:>6}"))
                .collect::<String>()
        )),
    ];
    lines.extend(curve_rows("CNN", &curves.cnn));
    match &curves.mlp {
        Some(mlp) => lines.extend(curve_rows("MLP", mlp)),
        None => lines.push(note(
            "MLP: its curves join here once the fully connected baseline trains (screen 4 starts it)",
            c,
        )),
    }
    lines
}

fn curve_rows(name: &str, curve: &ShiftCurve) -> Vec<Line<'static>> {
    let row = |arrow: &str, acc: &[f32; MAX_SHIFT + 1]| {
        let cells: String = acc.iter().map(|a| format!("{:>6.1}", 100.0 * a)).collect();
        Line::from(format!("{:<9}{cells}", format!("{name} {arrow}")))
    };
    vec![row("→", &curve.horizontal), row("↓", &curve.vertical)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_copy_has_no_error_and_a_changed_map_has_some() {
        let a = Array2::from_shape_fn((8, 8), |(y, x)| {
            if (2..4).contains(&y) && (1..3).contains(&x) {
                1.0
            } else {
                0.0
            }
        });
        let b = shift(a.view(), 2, 1);
        assert_eq!(moved_copy_error(a.view(), b.view(), (2, 1)), Some(0.0));
        let mut c = b.clone();
        c[[3, 3]] = 0.5;
        assert_eq!(moved_copy_error(a.view(), c.view(), (2, 1)), Some(0.5));
        // A difference next to an edge is not counted: the shift may have pushed ink out.
        c[[3, 3]] = 1.0;
        c[[7, 4]] = 0.9;
        assert_eq!(moved_copy_error(a.view(), c.view(), (2, 1)), Some(0.0));
        assert_eq!(moved_copy_error(a.view(), b.view(), (9, 0)), None);
        assert_eq!(shift_label(3, -1), "shifted →3 ↑1");
        assert_eq!(shift_label(0, 2), "shifted ↓2");
    }
}
