//! The saliency page: the digit, then gradient × input of the predicted class's logit, then
//! the occlusion map of the true class, side by side on signed scales (zero in the middle),
//! with a line under each saying what its colours mean.

use super::Subject;
use crate::number::thousands;
use crate::train::analysis::JobKind;
use crate::train::analysis::saliency::{PATCH, Saliency};
use crate::ui::app::App;
use crate::ui::theme;
use crate::ui::widgets::colormap::{ColorMode, Scale};
use crate::ui::widgets::heatmap::{Glyphs, Heatmap};
use crate::ui::widgets::resample::resample;
use ndarray::Array2;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Columns between the pictures.
const GAP: u16 = 3;

/// A picture's size in cells: as wide as a third of the area allows, half as many rows (a
/// cell is about twice as tall as wide), and short enough to leave `text_rows` rows.
pub fn picture_size(area: Rect, text_rows: u16) -> (u16, u16) {
    let by_width = area.width.saturating_sub(2 * GAP) / 3;
    let by_height = area.height.saturating_sub(text_rows) * 2;
    let w = by_width.min(by_height).clamp(8, 56);
    (w, w / 2)
}

pub fn render_saliency(app: &App, area: Rect, buf: &mut Buffer) {
    let c = app.colors;
    let mut y = area.y;
    let line = |l: Line, y: &mut u16, buf: &mut Buffer| {
        if *y < area.bottom() {
            l.render(Rect::new(area.x, *y, area.width, 1), buf);
            *y += 1;
        }
    };
    line(title_line(app), &mut y, buf);
    let Some(s) = &app.inspect.saliency else {
        let text = "computing gradient × input and occlusion on a copy of the current weights…";
        line(Line::styled(text, theme::QUIET.style(c)), &mut y, buf);
        return;
    };
    line(verdict_line(s), &mut y, buf);
    let (w, h) = picture_size(Rect { y, ..area }, 6);
    let pictures = [
        ("the digit".to_string(), &s.image),
        (
            format!("gradient × input → {}", s.predicted),
            &s.gradient_x_input,
        ),
        (format!("occlusion: p({}) drop", s.label), &s.occlusion),
    ];
    // The digit on its own scale; gradient × input robustly (a few pixels dominate it);
    // occlusion to its largest drop (it is smooth).
    let scales = [
        Scale::Unsigned { min: 0.0, max: 1.0 },
        robust_scale(&s.gradient_x_input),
        Scale::fit(s.occlusion.iter().copied(), true),
    ];
    for (k, ((caption, map), scale)) in pictures.iter().zip(scales).enumerate() {
        let x = area.x + k as u16 * (w + GAP);
        if x + w > area.right() || y + 2 + h > area.bottom() {
            break;
        }
        Line::from(caption.clone())
            .bold()
            .render(Rect::new(x, y, w + GAP, 1), buf);
        Line::styled(range_note(scale), theme::QUIET.style(c))
            .render(Rect::new(x, y + 1 + h, w + GAP, 1), buf);
        draw_filled(map, scale, (app.glyphs, c), Rect::new(x, y + 1, w, h), buf);
    }
    let below = Rect::new(
        area.x,
        y + 2 + h,
        area.width,
        area.bottom().saturating_sub(y + 2 + h),
    );
    Paragraph::new(legend(s))
        .style(theme::QUIET.style(c))
        .wrap(Wrap { trim: true })
        .render(below, buf);
}

/// "scale ±0.83": the bound of the colour scale; stronger pixels saturate.
fn range_note(scale: Scale) -> String {
    match scale {
        Scale::Signed { max_abs } => format!("scale ±{max_abs:.2}"),
        Scale::Unsigned { .. } => "ink 0 to 1".into(),
    }
}

/// A signed scale to the 95th percentile of the map's non-zero magnitudes: a few strong
/// pixels would otherwise leave the rest of the map dark. Stronger pixels saturate.
pub fn robust_scale(map: &Array2<f32>) -> Scale {
    let mut mags: Vec<f32> = map
        .iter()
        .map(|v| v.abs())
        .filter(|v| *v > 0.0 && v.is_finite())
        .collect();
    if mags.is_empty() {
        return Scale::Signed { max_abs: 0.0 };
    }
    mags.sort_by(f32::total_cmp);
    let at = (mags.len() - 1) * 95 / 100;
    Scale::Signed { max_abs: mags[at] }
}

/// `map` resampled to exactly the pixels of `area` and drawn there (NaN stays blank): the heatmap draws whole
/// factors only, which would leave most of a large area blank.
pub fn draw_filled(
    map: &Array2<f32>,
    scale: Scale,
    (glyphs, colors): (Glyphs, ColorMode),
    area: Rect,
    buf: &mut Buffer,
) {
    let (px, py) = glyphs.pixels_per_cell();
    let (w, h) = (area.width as usize * px, area.height as usize * py);
    let pixels = resample(map.view(), w, h);
    let Ok(data) = Array2::from_shape_vec((h, w), pixels) else {
        return;
    };
    Heatmap {
        data: data.view(),
        scale,
        glyphs,
        colors,
    }
    .render(area, buf);
}

/// Whose saliency, on which weights, and the progress of a newer computation.
fn title_line(app: &App) -> Line<'static> {
    let c = app.colors;
    let who = match &app.inspect.subject {
        Subject::Probe => match &app.snapshot {
            Some(s) => format!("the probe, test digit #{}", thousands(s.probe_index)),
            None => "the probe digit".into(),
        },
        Subject::Validation { index, .. } => format!(
            "validation digit #{} (p: the dashboard's probe)",
            thousands(*index)
        ),
    };
    let mut spans = vec![
        Span::styled(" Which pixels decide ", theme::TEXT.style(c)).bold(),
        Span::raw(format!("· {who}")),
    ];
    if let Some(s) = &app.inspect.saliency {
        spans.push(Span::raw(format!(" · step {}", thousands(s.step))));
    }
    if let Some((JobKind::Saliency, done, total)) = app.inspect.progress {
        let pct = 100 * done / total.max(1);
        spans.push(Span::styled(
            format!("  ⟳ {pct} %"),
            theme::PROGRESS.style(c),
        ));
    }
    Line::from(spans)
}

/// "true 4 · called 9 (87 %) · p(4) = 10 %".
fn verdict_line(s: &Saliency) -> Line<'static> {
    let pct = |k: u8| 100.0 * s.probabilities[k as usize % 10];
    let verdict = if s.predicted == s.label {
        "right"
    } else {
        "wrong"
    };
    Line::from(format!(
        " true {} · called {} ({:.0} %) · p({}) = {:.0} % · {verdict}",
        s.label,
        s.predicted,
        pct(s.predicted),
        s.label,
        pct(s.label)
    ))
}

/// What the colours mean, one line a map.
fn legend(s: &Saliency) -> Vec<Line<'static>> {
    vec![
        Line::from(format!(
            " gradient × input: warm pixels pushed the score of {} up, cool ones down.",
            s.predicted
        )),
        Line::from(format!(
            " occlusion: warm where a grey {PATCH}×{PATCH} square lowers p({}): pixels that mattered.",
            s.label
        )),
    ]
}
