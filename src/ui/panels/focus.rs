//! The focus view: one map, filter or the probe digit full screen, and for conv and pooling
//! maps the microscope beside it. A pure function of the app, like every panel; the layout
//! (`focus_layout`) is shared with the mouse handling.

use super::explain::explain;
use super::focus_layout::{FocusLayout, Side, focus_layout};
use super::focus_text::{clamp, marks_legend, render_header};
use super::microscope::{self, Beside, mark_cursor, mark_input};
use super::tables::{self, PENDING};
use crate::ui::app::App;
use crate::ui::focus::{FocusView, Target};
use crate::ui::scene::{Scene, filter_column, resolve};
use crate::ui::widgets::canvas::{Canvas, Mark};
use crate::ui::widgets::colormap::{ColorMode, Scale};
use crate::ui::widgets::heatmap::Glyphs;
use ndarray::{Array2, CowArray, Ix2};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// The focus view draws half-blocks (a mark can recolour one pixel of them) or, when the
/// dashboard shows ASCII or has no colours, ASCII; braille cannot mark single pixels.
pub fn focus_glyphs(app: &App) -> Glyphs {
    if app.glyphs == Glyphs::Ascii || app.colors == ColorMode::Monochrome {
        Glyphs::Ascii
    } else {
        Glyphs::HalfBlock
    }
}

/// The layout of the open focus view in `area`, as drawn; `None` when it shows no picture.
pub fn focus_view_layout(app: &App, area: Rect) -> Option<FocusLayout> {
    let view = app.focus_view.as_ref()?;
    let scene = resolve(app, view.target).ok()?;
    let beside = microscope::beside(&scene, view, app.colors);
    Some(layout(app, &scene, view, beside.as_ref(), area))
}

/// The map pixel a click at `pos` of the focus view in `area` chooses: the map's pixel under
/// it, or on the input the pixel whose window is centred nearest.
pub fn pixel_at(app: &App, area: Rect, pos: Position) -> Option<(usize, usize)> {
    let view = app.focus_view.as_ref()?;
    let scene = resolve(app, view.target).ok()?;
    pixel_in(app, (&scene, view), area, pos)
}

/// `pixel_at` for any scene drawn as the focus view draws it (`render_microscope`).
pub fn pixel_in(
    app: &App,
    (scene, view): (&Scene, &FocusView),
    area: Rect,
    pos: Position,
) -> Option<(usize, usize)> {
    let beside = microscope::beside(scene, view, app.colors);
    let l = layout(app, scene, view, beside.as_ref(), area);
    if let Some(at) = l.output.pixel_at(pos) {
        return Some(at);
    }
    let (canvas, _) = l.input.as_ref()?;
    let at = canvas.pixel_at(pos)?;
    Some(beside?.output_for(at, scene.dim()))
}

/// A scene of the caller's own (the kernels lab's output) drawn as the focus view draws a
/// conv map: the map with `view`'s cursor, the input with the window and the padding, the
/// table of products and their sum. The layout's two header rows are left to the caller.
pub fn render_microscope(app: &App, scene: &Scene, view: &FocusView, area: Rect, buf: &mut Buffer) {
    let beside = microscope::beside(scene, view, app.colors);
    let l = layout(app, scene, view, beside.as_ref(), area);
    let scale = Scale::fit(scene.picture.iter().copied(), scene.signed);
    render_map(app, (scene, view), scale, &l.output, buf);
    if let Some(b) = &beside {
        render_beside(app, scene, b, &l, buf);
    }
}

fn layout(
    app: &App,
    scene: &Scene,
    view: &FocusView,
    beside: Option<&Beside>,
    area: Rect,
) -> FocusLayout {
    let side = beside.map(|b| Side {
        dim: b.picture.dim(),
        window: b.window.clone(),
        tables: &b.tables,
    });
    let cursor = clamp(view.cursor, scene.dim());
    focus_layout(area, focus_glyphs(app), (scene.dim(), cursor), side)
}

pub fn render_focus(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(view) = &app.focus_view else {
        return;
    };
    let scene = match resolve(app, view.target) {
        Ok(scene) => scene,
        Err(msg) => {
            let lines = vec![Line::from("Focus view").bold(), Line::from(msg).yellow()];
            Paragraph::new(lines).render(area, buf);
            return;
        }
    };
    let beside = microscope::beside(&scene, view, app.colors);
    let l = layout(app, &scene, view, beside.as_ref(), area);
    let values: &[f32] = if app.per_layer {
        &scene.layer_values
    } else {
        scene.picture.as_slice().unwrap_or(&scene.layer_values)
    };
    let scale = Scale::fit(values.iter().copied(), scene.signed);
    render_header(app, &scene, view, scale, l.header, buf);
    render_map(app, (&scene, view), scale, &l.output, buf);
    if let Some(rect) = l.words {
        render_words(app, &scene, view, rect, buf);
    }
    if let Some(b) = &beside {
        render_beside(app, &scene, b, &l, buf);
    }
}

/// The words about the picture; for a filter first the weights of the channel under the
/// cursor, as numbers.
fn render_words(app: &App, scene: &Scene, view: &FocusView, rect: Rect, buf: &mut Buffer) {
    let mut lines = Vec::new();
    if let Target::Filter { .. } = view.target {
        let k = scene.dim().0;
        let c = clamp(view.cursor, scene.dim()).1;
        let ch = filter_column(c, k).map_or(c / (k + 1), |(ch, _)| ch);
        let x = ch * (k + 1);
        let weights = scene.picture.slice(ndarray::s![.., x..x + k]);
        lines.push(Line::from(format!("channel {} weights", ch + 1)).bold());
        lines.extend(tables::weights(weights, app.colors));
        lines.push(Line::from(""));
    }
    lines.push(Line::from(explain(scene)).dark_gray());
    // Not trimmed: the numbers are aligned with spaces.
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(rect, buf);
}

/// The map as far as computed, pending positions grey, the cursor's pixel marked.
fn render_map(
    app: &App,
    (scene, view): (&Scene, &FocusView),
    scale: Scale,
    canvas: &Canvas,
    buf: &mut Buffer,
) {
    let picture = revealed(scene, view);
    canvas.draw(picture.view(), scale, app.colors, buf);
    if view.slide.is_some() {
        // Not computed yet: a flat grey, so that the filled part reads as the map.
        for (at, _) in picture.indexed_iter().filter(|(_, v)| v.is_nan()) {
            canvas.mark(buf, at, Mark::Paint(PENDING, Some('·')), app.colors);
        }
    }
    mark_cursor(canvas, clamp(view.cursor, scene.dim()), app.colors, buf);
}

/// The labels, the input with its marks, the table and the marks' legend.
fn render_beside(app: &App, scene: &Scene, b: &Beside, l: &FocusLayout, buf: &mut Buffer) {
    let Some((canvas, label)) = &l.input else {
        return;
    };
    if let Some(rect) = l.output_label {
        let text = format!("{} map {} (output)", scene.name, scene.index + 1);
        Line::from(text).bold().render(rect, buf);
    }
    // The input's label may run on to the table.
    let width = l.table.as_ref().map_or(label.width, |(t, _)| {
        t.x.saturating_sub(label.x + 1).max(label.width)
    });
    Line::from(b.label.clone())
        .bold()
        .render(Rect { width, ..*label }, buf);
    let input_scale = Scale::fit(b.picture.iter().copied(), false);
    canvas.draw(b.picture.view(), input_scale, app.colors, buf);
    mark_input(canvas, b, app.colors, buf);
    if let Some((rect, t)) = &l.table {
        Paragraph::new(b.tables[*t].clone()).render(*rect, buf);
    }
    if let Some(rect) = l.note {
        marks_legend(focus_glyphs(app), app.colors).render(rect, buf);
    }
}

/// The map as far as the slide has computed it: later positions blank (NaN).
fn revealed<'a>(scene: &'a Scene, view: &FocusView) -> CowArray<'a, f32, Ix2> {
    let Some(slide) = view.slide else {
        return scene.picture.view().into();
    };
    let (h, w) = scene.dim();
    let upto = slide.current(h * w);
    let mut out = Array2::from_elem((h, w), f32::NAN);
    for (k, v) in out.iter_mut().enumerate().take(upto + 1) {
        *v = scene.picture[(k / w, k % w)];
    }
    out.into()
}
