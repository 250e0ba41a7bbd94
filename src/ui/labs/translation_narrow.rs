//! The translation lab where its five pictures a row do not fit at their smallest zoom (80×24):
//! one map, chosen with m/M (the input, then each ReLU and pooling map), unshifted beside
//! shifted at the largest whole zoom that fits, and the next map's pair under it where the
//! height allows (from about 100×30: a ReLU map above its pooled map, which moves with the
//! digit only at multiples of the pool's size); beside them the two answers, whether each
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

/// Map `i` of the choices (wrapped) as a pair to draw.
fn pair(app: &App, snap: &Snapshot, i: usize) -> Pair {
    let trace = app.labs.trace_for_page();
    let shift = shown_shift(app, trace);
    let i = i % choices(snap);
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

/// A pair with where it goes: its zoom and the two pictures' cells (caption row excluded).
struct Placed {
    pair: Pair,
    zoom: Zoom,
    unshifted: Rect,
    shifted: Rect,
}

/// The chosen map's pair (`labs.map`) at the largest zoom that fits, and the next map's pair
/// in the rows left under it, if it fits there; empty when not even the first fits.
fn placed(app: &App, snap: &Snapshot, area: Rect) -> Vec<Placed> {
    let mut out = Vec::new();
    let mut room = area;
    for i in [app.labs.map, app.labs.map + 1] {
        let pair = pair(app, snap, i);
        let Some((zoom, unshifted, shifted)) = slots(app, pair.unshifted.dim(), room) else {
            break;
        };
        // The next pair starts a blank row under this one's pictures.
        let next_y = unshifted.bottom() + 1;
        room = Rect::new(
            area.x,
            next_y,
            area.width,
            area.bottom().saturating_sub(next_y),
        );
        out.push(Placed {
            pair,
            zoom,
            unshifted,
            shifted,
        });
    }
    out
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
    placed(app, snap, area)
        .into_iter()
        .flat_map(|p| {
            let dim = p.pair.unshifted.dim();
            [(p.unshifted, dim), (p.shifted, dim)]
        })
        .collect()
}

/// The page in `area`.
pub fn render(app: &App, snap: &Snapshot, area: Rect, buf: &mut Buffer) {
    let pairs = placed(app, snap, area);
    let side_x = match pairs.iter().map(|p| p.shifted.right()).max() {
        Some(right) => {
            pairs.iter().for_each(|p| render_pair(app, p, buf));
            right + 1
        }
        None => {
            let name = pair(app, snap, app.labs.map).name;
            let text = format!("{name}: too large for 1:1 here; a larger terminal shows it");
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
    let checks: Vec<&str> = pairs
        .iter()
        .filter_map(|p| p.pair.check.as_deref())
        .collect();
    Paragraph::new(side_lines(app, snap, &checks, pairs.len()))
        .wrap(Wrap { trim: true })
        .render(side, buf);
}

/// One pair: the unshifted map under its name and zoom, the shifted one under the shift.
fn render_pair(app: &App, p: &Placed, buf: &mut Buffer) {
    let (dx, dy) = shown_shift(app, app.labs.trace_for_page());
    let cap = |r: Rect| Rect::new(r.x, r.y - 1, r.width, r.height + 1);
    let title = format!("{} {}", p.pair.name, p.zoom.label());
    picture(
        app,
        cap(p.unshifted),
        &title,
        p.pair.unshifted.view(),
        p.pair.scale,
        buf,
    );
    let moved = shift_label(dx, dy).replace("shifted ", "");
    let caption = Rect::new(p.shifted.x, p.shifted.y - 1, p.shifted.width, 1);
    note(moved, app.colors).render(caption, buf);
    if let Some(s) = &p.pair.shifted {
        draw_plain(app, p.shifted, s.view(), p.pair.scale, buf);
    }
}

/// The text beside the pictures: answers, the checks, the map key, the accuracy table.
fn side_lines(app: &App, snap: &Snapshot, checks: &[&str], pairs: usize) -> Vec<Line<'static>> {
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
    if !checks.is_empty() {
        lines.push(Line::from(format!("moved copy? {}", checks.join(", "))));
    }
    let (n, i) = (choices(snap), app.labs.map % choices(snap));
    let which = match pairs {
        2 => format!("m/M maps {} and {} of {n}", i + 1, (i + 1) % n + 1),
        _ => format!("m/M map {} of {n}", i + 1),
    };
    lines.push(note(which, c));
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
