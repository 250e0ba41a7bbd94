//! The focus view: one map, filter or the probe digit full screen, and for conv and pooling
//! maps the microscope beside it. A pure function of the app, like every panel; the layout
//! (`focus_layout`) is shared with the mouse handling.

use super::explain::explain;
use super::focus_layout::{FocusLayout, Side, focus_layout};
use super::microscope::{self, Beside, mark_cursor, mark_input};
use super::tables::{CURSOR, DROPPED, PAD, PENDING, rgb};
use crate::nn::plan::conv_out_len;
use crate::nn::reference::Pooling;
use crate::ui::app::App;
use crate::ui::focus::{FocusView, Target};
use crate::ui::focus_keys::FOCUS_KEYS;
use crate::ui::keys;
use crate::ui::scene::{Lens, Scene, filter_column, resolve};
use crate::ui::widgets::canvas::Mark;
use crate::ui::widgets::colormap::{ColorMode, Scale};
use crate::ui::widgets::heatmap::{Glyphs, legend};
use ndarray::{Array2, CowArray, Ix2};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
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

/// The cursor kept inside a `dim` picture.
fn clamp((r, c): (usize, usize), (h, w): (usize, usize)) -> (usize, usize) {
    (r.min(h.saturating_sub(1)), c.min(w.saturating_sub(1)))
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
    let beside = microscope::beside(&scene, view, app.colors);
    let l = layout(app, &scene, view, beside.as_ref(), area);
    if let Some(at) = l.output.pixel_at(pos) {
        return Some(at);
    }
    let (canvas, _) = l.input.as_ref()?;
    let at = canvas.pixel_at(pos)?;
    Some(beside?.output_for(at, scene.dim()))
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
            Paragraph::new(vec![
                Line::from("Focus view").bold(),
                Line::from(msg).yellow(),
            ])
            .render(area, buf);
            return;
        }
    };
    let beside = microscope::beside(&scene, view, app.colors);
    let l = layout(app, &scene, view, beside.as_ref(), area);
    let cursor = clamp(view.cursor, scene.dim());
    let values: &[f32] = if app.per_layer {
        &scene.layer_values
    } else {
        scene.picture.as_slice().unwrap_or(&scene.layer_values)
    };
    let scale = Scale::fit(values.iter().copied(), scene.signed);
    render_header(app, &scene, view, scale, l.header, buf);
    let picture = revealed(&scene, view);
    l.output.draw(picture.view(), scale, app.colors, buf);
    if view.slide.is_some() {
        // Not computed yet: a flat grey, so that the filled part reads as the map.
        for (at, _) in picture.indexed_iter().filter(|(_, v)| v.is_nan()) {
            l.output
                .mark(buf, at, Mark::Paint(PENDING, Some('·')), app.colors);
        }
    }
    mark_cursor(&l.output, cursor, app.colors, buf);
    if let Some(rect) = l.words {
        Paragraph::new(explain(&scene))
            .wrap(Wrap { trim: true })
            .dark_gray()
            .render(rect, buf);
    }
    let (Some(b), Some((canvas, label))) = (&beside, &l.input) else {
        return;
    };
    if let Some(rect) = l.output_label {
        let text = format!("{} map {} (output)", scene.name, scene.index + 1);
        Line::from(text).bold().render(rect, buf);
    }
    let label_w = l.table.as_ref().map_or(label.width, |(t, _)| {
        t.x.saturating_sub(label.x + 1).max(label.width)
    });
    Line::from(b.label.clone()).bold().render(
        Rect {
            width: label_w,
            ..*label
        },
        buf,
    );
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

/// What the marks on the input mean.
fn marks_legend(glyphs: Glyphs, colors: ColorMode) -> Line<'static> {
    let swatch = |c, ascii: &str| {
        if glyphs == Glyphs::Ascii {
            Span::styled(ascii.to_string(), rgb(colors, c))
        } else {
            Span::styled("██", rgb(colors, c))
        }
    };
    Line::from(vec![
        swatch(PAD, "0"),
        Span::raw(" zero padding  "),
        swatch(DROPPED, "x"),
        Span::raw(" never read  "),
        swatch(CURSOR, "[ ]"),
        Span::raw(if glyphs == Glyphs::Ascii {
            " window"
        } else {
            " cursor, the window tinted"
        }),
    ])
    .dark_gray()
}

/// Two lines: what the picture is (and the layer's formula); its legend, mean, the cursor's
/// value and the slide.
fn render_header(
    app: &App,
    scene: &Scene,
    view: &FocusView,
    scale: Scale,
    area: Rect,
    buf: &mut Buffer,
) {
    let (h, w) = scene.dim();
    let title = match view.target {
        Target::Input => {
            let snap = app.snapshot.as_deref();
            let (i, label) = snap.map_or((0, 0), |s| (s.probe_index, s.probe_label));
            format!("input · the probe digit, test #{i}, label {label} · {h}×{w}")
        }
        // A conv's formula ends with its size.
        Target::Map { .. } if matches!(scene.lens, Lens::Conv(_)) => {
            format!("{} map {} of {}", scene.name, scene.index + 1, scene.count)
        }
        Target::Map { .. } => {
            let (n, i) = (scene.count, scene.index + 1);
            format!("{} · map {i} of {n} · {h}×{w}", scene.name)
        }
        Target::Filter { .. } => format!(
            "{} {} of {} · {} input channel(s) side by side",
            scene.name,
            scene.index + 1,
            scene.count,
            w.div_ceil(h + 1)
        ),
    };
    let mut first = vec![Span::raw(title).bold()];
    first.extend(formula(scene).map(|f| Span::raw(format!(" · {f}"))));
    let finite = || scene.picture.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite().fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let mean = finite().sum::<f32>() / finite().count().max(1) as f32;
    let bar = if area.width >= 120 { 16 } else { 10 };
    let mut second = legend(scale, (lo, hi), app.colors, bar).spans;
    second.push(Span::raw(format!(" · mean {mean:+.3} · ")).dark_gray());
    let (at, whence) = readout(scene, view);
    second.extend(at);
    second.extend(slide_status(scene, view));
    second.push(Span::raw(whence));
    Paragraph::new(vec![Line::from(first), Line::from(second)]).render(area, buf);
}

/// The layer's output-size formula with its numbers, for conv and pooling maps.
fn formula(scene: &Scene) -> Option<String> {
    match &scene.lens {
        Lens::Conv(c) => {
            let (_, ih, _) = c.input.dim();
            let (k, s, p) = (c.kernel(), c.stride, c.padding);
            let out = conv_out_len(ih, k, s, p)?;
            let dropped = crate::nn::plan::dropped_border(ih, k, s, p);
            let drop = if dropped > 0 {
                format!(", the last {dropped} never read")
            } else {
                String::new()
            };
            Some(format!(
                "kernel {k}×{k}, stride {s}, padding {p}: ⌊({ih} + 2·{p} − {k})/{s}⌋ + 1 = {out}{drop}"
            ))
        }
        Lens::Pool(p) => {
            let (ih, _) = p.input.dim();
            let kind = if p.op == Pooling::Max {
                "max"
            } else {
                "average"
            };
            let k = p.window;
            Some(format!(
                "{kind} pooling {k}×{k}, stride {k}: ⌊{ih}/{k}⌋ = {}",
                ih / k
            ))
        }
        Lens::Relu(_) => Some("ReLU: max(0, conv)".into()),
        Lens::Unavailable(why) => Some(why.clone()),
        Lens::Plain => None,
    }
}

/// The cursor's pixel and its value; where it comes from (the window's input rows).
fn readout(scene: &Scene, view: &FocusView) -> (Vec<Span<'static>>, String) {
    let (r, c) = clamp(view.cursor, scene.dim());
    let v = scene.picture[(r, c)];
    let at = Span::raw(format!("({r}, {c}) ")).cyan().bold();
    let (text, whence) = match (&scene.lens, view.target) {
        (Lens::Relu(before), _) => (format!("conv {:+.4} → ReLU {v:+.4}", before[(r, c)]), ""),
        (Lens::Conv(l), _) => {
            let (k, s, p) = (l.kernel() as isize, l.stride as isize, l.padding as isize);
            let (y, x) = (r as isize * s - p, c as isize * s - p);
            let rows = format!(" ← rows {y}…{}, cols {x}…{}", y + k - 1, x + k - 1);
            return (vec![at, Span::raw(format!("= {v:+.4}"))], rows);
        }
        (_, Target::Filter { .. }) => match filter_column(c, scene.dim().0) {
            Some((ch, tap)) => (
                format!("channel {}, tap ({r}, {tap}) = {v:+.4}", ch + 1),
                "",
            ),
            None => ("between two channels".into(), ""),
        },
        _ => (format!("= {v:+.4}"), ""),
    };
    (vec![at, Span::raw(text)], whence.into())
}

fn slide_status(scene: &Scene, view: &FocusView) -> Vec<Span<'static>> {
    let Some(slide) = view.slide else {
        return Vec::new();
    };
    let total = scene.picture.len();
    let n = slide.current(total) + 1;
    let state = if slide.playing {
        format!("{}/s", view.speed())
    } else if slide.finished(total) {
        "done, a: again".into()
    } else {
        "paused".into()
    };
    vec![Span::raw(format!(" · slide {n}/{total} {state}")).yellow()]
}

/// The hint bar of the focus view: its own keys, then the dashboard keys that still work.
pub fn render_focus_hints(area: Rect, buf: &mut Buffer) {
    let own = keys::hints_of(FOCUS_KEYS)
        .into_iter()
        .map(|(k, w)| match w {
            "cursor" => ("hjkl".to_string(), w),
            _ => (k, w),
        });
    let global = keys::hints()
        .into_iter()
        .filter(|(k, _)| ["q", "?", "space", "s/S", "p/P"].contains(&k.as_str()));
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (k, word) in own.chain(global) {
        let w = k.chars().count() + word.chars().count() + 3;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(
            k,
            Style::new().fg(Color::Black).bg(Color::Gray),
        ));
        spans.push(Span::raw(format!(" {word}  ")).dark_gray());
    }
    Line::from(spans).render(area, buf);
}
