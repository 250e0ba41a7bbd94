//! The focus view's words around its pictures: the two header lines (what the picture is, the
//! layer's formula, the legend, the cursor's value, the slide), the legend of the marks on the
//! input, and the hint bar.

use super::tables::{CURSOR, DROPPED, PAD, rgb};
use crate::nn::plan::conv_out_len;
use crate::nn::reference::Pooling;
use crate::ui::app::App;
use crate::ui::focus::{FocusView, Target};
use crate::ui::focus_keys::FOCUS_KEYS;
use crate::ui::keys;
use crate::ui::scene::{Lens, Scene, filter_column};
use crate::ui::widgets::colormap::{ColorMode, Scale};
use crate::ui::widgets::heatmap::Glyphs;
use crate::ui::widgets::legend::Legend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// The cursor kept inside a `dim` picture.
pub fn clamp((r, c): (usize, usize), (h, w): (usize, usize)) -> (usize, usize) {
    (r.min(h.saturating_sub(1)), c.min(w.saturating_sub(1)))
}

/// What the marks on the input mean.
pub fn marks_legend(glyphs: Glyphs, colors: ColorMode) -> Line<'static> {
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
            " cursor/window"
        }),
    ])
    .dark_gray()
}

/// Two lines: what the picture is (and the layer's formula); its legend, mean, the cursor's
/// value and the slide.
pub fn render_header(
    app: &App,
    scene: &Scene,
    view: &FocusView,
    scale: Scale,
    area: Rect,
    buf: &mut Buffer,
) {
    let mut first = vec![Span::raw(title(app, scene, view.target)).bold()];
    first.extend(formula(scene).map(|f| Span::raw(format!(" · {f}"))));
    let finite = || scene.picture.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite().fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let mean = finite().sum::<f32>() / finite().count().max(1) as f32;
    let bar = if area.width >= 120 { 16 } else { 10 };
    let legend = Legend {
        scale,
        range: Some((lo, hi)),
        glyphs: crate::ui::panels::focus::focus_glyphs(app),
        colors: app.colors,
    };
    let mut second = legend.spans(bar);
    second.push(Span::raw(format!(" · mean {mean:+.3} · ")).dark_gray());
    let (at, whence) = readout(scene, view);
    second.extend(at);
    second.extend(slide_status(scene, view));
    second.push(Span::raw(whence));
    Paragraph::new(vec![Line::from(first), Line::from(second)]).render(area, buf);
}

/// What the picture is: the digit, which map of which layer, which filter.
fn title(app: &App, scene: &Scene, target: Target) -> String {
    let (h, w) = scene.dim();
    let (i, n) = (scene.index + 1, scene.count);
    match target {
        Target::Input => {
            let snap = app.snapshot.as_deref();
            let (i, label) = snap.map_or((0, 0), |s| (s.probe_index, s.probe_label));
            format!("input · the probe digit, test #{i}, label {label} · {h}×{w}")
        }
        // A conv's formula ends with its size.
        Target::Map { .. } if matches!(scene.lens, Lens::Conv(_)) => {
            format!("{} map {i} of {n}", scene.name)
        }
        Target::Map { .. } => format!("{} · map {i} of {n} · {h}×{w}", scene.name),
        Target::Filter { .. } => format!(
            "{} {i} of {n} · {} input channel(s) side by side",
            scene.name,
            w.div_ceil(h + 1)
        ),
    }
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
