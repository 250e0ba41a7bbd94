//! The translation lab where its five pictures a row do not fit at their smallest zoom (80×24):
//! one map, chosen with m/M (the input, then each ReLU and pooling map), unshifted beside
//! shifted at the largest whole zoom that fits; beside them the two answers, whether the
//! shifted map is a moved copy, and the accuracy against shift as a compact table. Where even
//! one picture does not fit, none is drawn and a line says so.

use super::translation_view::{
    answer_lines, check, draw_plain, fits, moved_image, pair_scale, shift_label, shown,
    shown_shift, smallest_zoom,
};
use super::view::{note, picture};
use crate::train::analysis::shift::MAX_SHIFT;
use crate::train::messages::Snapshot;
use crate::ui::app::App;
use crate::ui::widgets::colormap::Scale;
use crate::ui::widgets::scale::Zoom;
use ndarray::{Array2, Axis};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Columns of the text beside the pictures.
const SIDE_W: u16 = 22;
/// The largest zoom offered: 4:1 makes a 7×7 map as large as a 28×28 one at 1:1.
const MAX_UP: u16 = 4;

/// One picture pair: the chosen map's name, its unshifted and shifted values, their scale.
struct Pair {
    name: String,
    unshifted: Array2<f32>,
    shifted: Option<Array2<f32>>,
    scale: Scale,
    /// The check under the pictures ("relu1 ✓"); none for the input.
    check: Option<String>,
}

/// The maps to choose from: the input, then the ReLU and pooling maps.
pub fn choices(snap: &Snapshot) -> usize {
    shown(&snap.feature_maps).len() + 1
}

/// The chosen map (`labs.map`, wrapped to the choices) as a pair to draw.
fn pair(app: &App, snap: &Snapshot) -> Pair {
    let trace = app.labs.trace_for_page();
    let shift = shown_shift(app, trace);
    let i = app.labs.map % choices(snap);
    if i == 0 {
        return Pair {
            name: "input".into(),
            unshifted: snap.probe_image.clone(),
            shifted: Some(moved_image(snap, trace, shift)),
            scale: Scale::Unsigned { min: 0.0, max: 1.0 },
            check: None,
        };
    }
    let m = shown(&snap.feature_maps)[i - 1];
    let c = app.selected_filter % m.maps.dim().0.max(1);
    let a = m.maps.index_axis(Axis(0), c);
    let b = trace
        .and_then(|t| shown(&t.feature_maps).get(i - 1).copied())
        .map(|mm| mm.maps.index_axis(Axis(0), c % mm.maps.dim().0.max(1)))
        .filter(|b| b.dim() == a.dim());
    Pair {
        name: format!("{} #{}", m.layer, c + 1),
        unshifted: a.to_owned(),
        shifted: b.map(|b| b.to_owned()),
        scale: pair_scale(a, b),
        check: b.map(|b| check(&m.layer, a, b, shift)),
    }
}

/// The zoom and the two pictures' cells (caption row excluded) for a map of `dim` pixels in
/// `area`; `None` when it does not fit at its smallest zoom.
fn slots(app: &App, dim: (usize, usize), area: Rect) -> Option<(Zoom, Rect, Rect)> {
    let room = (
        area.width.saturating_sub(SIDE_W + 2) / 2,
        area.height.saturating_sub(1),
    );
    let smallest = smallest_zoom(app.glyphs);
    let zoom = (1..=MAX_UP)
        .rev()
        .map(Zoom::Up)
        .chain(std::iter::once(Zoom::Half))
        .filter(|&z| z >= smallest)
        .find(|&z| fits(app.glyphs, z, dim, room))?;
    let (w, h) = zoom.cells(dim, app.glyphs.pixels_per_cell());
    let top = Rect::new(area.x, area.y + 1, w, h);
    let beside = Rect::new(area.x + w + 1, area.y + 1, w, h);
    Some((zoom, top, beside))
}

/// The pictures this layout draws in `area`: their cells and their map's pixels `(h, w)`.
pub fn drawn_maps(app: &App, snap: &Snapshot, area: Rect) -> Vec<(Rect, (usize, usize))> {
    let p = pair(app, snap);
    let dim = p.unshifted.dim();
    match slots(app, dim, area) {
        Some((_, a, b)) => vec![(a, dim), (b, dim)],
        None => Vec::new(),
    }
}

/// The page in `area`.
pub fn render(app: &App, snap: &Snapshot, area: Rect, buf: &mut Buffer) {
    let p = pair(app, snap);
    let side_x = match slots(app, p.unshifted.dim(), area) {
        Some((zoom, a, b)) => {
            let (dx, dy) = shown_shift(app, app.labs.trace_for_page());
            let cap = |r: Rect| Rect::new(r.x, r.y - 1, r.width, r.height + 1);
            let title = format!("{} {}", p.name, zoom.label());
            picture(app, cap(a), &title, p.unshifted.view(), p.scale, buf);
            let moved = shift_label(dx, dy).replace("shifted ", "");
            note(moved, app.colors).render(Rect::new(b.x, area.y, b.width, 1), buf);
            if let Some(s) = &p.shifted {
                draw_plain(app, b, s.view(), p.scale, buf);
            }
            b.right() + 1
        }
        None => {
            let text = format!(
                "{}: too large for 1:1 here; a larger terminal shows it",
                p.name
            );
            Paragraph::new(note(text, app.colors))
                .wrap(Wrap { trim: true })
                .render(Rect::new(area.x, area.y, area.width.min(40), 3), buf);
            area.x + area.width.min(40) + 1
        }
    };
    let side = Rect::new(
        side_x,
        area.y,
        area.right().saturating_sub(side_x),
        area.height,
    );
    Paragraph::new(side_lines(app, snap, &p))
        .wrap(Wrap { trim: true })
        .render(side, buf);
}

/// The text beside the pictures: answers, the check, the map key, the accuracy table.
fn side_lines(app: &App, snap: &Snapshot, p: &Pair) -> Vec<Line<'static>> {
    let trace = app.labs.trace_for_page();
    let (dx, dy) = shown_shift(app, trace);
    let mlp = trace.and_then(|t| t.mlp.as_ref());
    let mut lines = answer_lines(
        "unshifted".into(),
        Some(&snap.probabilities),
        mlp.map(|m| &m[0]),
    );
    lines.extend(answer_lines(
        shift_label(dx, dy),
        trace.map(|t| &t.probabilities),
        mlp.map(|m| &m[1]),
    ));
    let c = app.colors;
    if let Some(check) = &p.check {
        lines.push(Line::from(format!("moved copy? {check}")));
    }
    let i = app.labs.map % choices(snap);
    lines.push(note(format!("m/M map {} of {}", i + 1, choices(snap)), c));
    lines.extend(table(app));
    lines
}

/// Accuracy % against shift, right (→) and down (↓), whole percents: a column a network and
/// direction, a row every other shift.
fn table(app: &App) -> Vec<Line<'static>> {
    let c = app.colors;
    let Some(curves) = &app.compare.shift else {
        return vec![note("accuracy against shift: computing…", c)];
    };
    let mut lines = vec![
        Line::from("test accuracy %").bold(),
        Line::from(" px CNN→  ↓ MLP→  ↓"),
    ];
    let pct = |v: f32| format!("{:>4.0}", 100.0 * v);
    let mlp = curves.mlp.as_ref();
    for d in (0..=MAX_SHIFT).step_by(2) {
        let cnn = format!(
            "{}{}",
            pct(curves.cnn.horizontal[d]),
            pct(curves.cnn.vertical[d])
        );
        let fc = mlp.map_or("    –   –".into(), |m| {
            format!(" {}{}", pct(m.horizontal[d]), pct(m.vertical[d]))
        });
        lines.push(Line::from(format!("{d:>3}{cnn}{fc}")));
    }
    if mlp.is_none() {
        lines.push(note("MLP: 4 starts it", c));
    }
    lines
}
