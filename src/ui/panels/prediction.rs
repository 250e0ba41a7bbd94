//! The probe digit's label, the ten class probabilities as bars, right or wrong; the digit
//! itself below when there is room.

use crate::train::messages::Snapshot;
use crate::ui::app::{App, Panel};
use crate::ui::panels::panel_block;
use crate::ui::widgets::colormap::Scale;
use crate::ui::widgets::heatmap::Heatmap;
use crate::ui::widgets::legend::Legend;
use crate::ui::widgets::scale::{Frame, Group, Zoom, choose};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// Eighths of a cell, for smooth bar ends.
const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/// A bar of `fraction` × `width` cells.
pub fn bar(fraction: f32, width: usize) -> String {
    let eighths = (fraction.clamp(0.0, 1.0) * (width * 8) as f32).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    s.push_str(EIGHTHS[eighths % 8]);
    s
}

/// Index of the largest value.
pub fn argmax(values: &[f32]) -> usize {
    values
        .iter()
        .enumerate()
        .fold(0, |best, (i, &v)| if v > values[best] { i } else { best })
}

pub fn render_prediction(app: &App, area: Rect, buf: &mut Buffer) {
    let extra = format!("probe #{}", app.probe);
    let block = panel_block(app, Panel::Prediction, &extra);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(snap) = &app.snapshot else {
        super::render_waiting(inner, buf);
        return;
    };
    // A wide panel (the 80-column tab) puts the digit right of the bars, else below them.
    let beside = inner.width >= 60;
    let digit_w = if beside { 30.min(inner.width / 2) } else { 0 };
    let text = Rect {
        width: inner.width - digit_w,
        ..inner
    };
    let lines = verdict_and_bars(snap, text.width as usize);
    let skip = if beside { 0 } else { lines.len() as u16 + 1 };
    Paragraph::new(lines).render(text, buf);
    let digit = Rect {
        x: if beside { text.right() } else { inner.x },
        y: inner.y + skip,
        width: if beside { digit_w } else { inner.width },
        height: inner.height.saturating_sub(skip),
    };
    render_digit(app, &snap.probe_image, digit, buf);
}

/// The label, the prediction right or wrong, and a bar for each class's probability.
fn verdict_and_bars(snap: &Snapshot, width: usize) -> Vec<Line<'static>> {
    let predicted = argmax(&snap.probabilities);
    let verdict = if predicted == snap.probe_label as usize {
        Span::raw("✓ right").green().bold()
    } else {
        Span::raw("✗ wrong").red().bold()
    };
    let mut lines = vec![
        Line::from(format!(
            "test #{} · label {}",
            snap.probe_index, snap.probe_label
        )),
        Line::from(vec![Span::raw(format!("predicted {predicted} ")), verdict]),
    ];
    let width = width.saturating_sub(10);
    for (digit, &p) in snap.probabilities.iter().enumerate() {
        let color = match digit {
            d if d == snap.probe_label as usize => Color::Green,
            d if d == predicted => Color::Red,
            _ => Color::Gray,
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{digit} ")).bold(),
            Span::styled(format!("{:<width$}", bar(p, width)), Style::new().fg(color)),
            Span::raw(format!("{:>6.1}%", p * 100.0)),
        ]));
    }
    lines
}

/// The probe digit at the largest whole zoom that fits `area` above its legend, centred.
fn render_digit(app: &App, image: &ndarray::Array2<f32>, area: Rect, buf: &mut Buffer) {
    let frame = Frame {
        // The chooser's label row is the legend's, below the digit.
        area: (area.width, area.height),
        ppc: app.glyphs.pixels_per_cell(),
        gap: (1, 0),
        max_up: 4,
        min: Zoom::Up(1),
    };
    // Every pixel (1:1 at least); half of them only where not even that fits.
    let mut fit = choose(&[Group::maps(1, image.dim())], frame);
    if fit.groups.first().is_none_or(|g| g.shown == 0) {
        fit = choose(
            &[Group::maps(1, image.dim())],
            Frame {
                min: Zoom::Half,
                ..frame
            },
        );
    }
    let Some(placed) = fit.groups.first().filter(|g| g.shown > 0) else {
        return;
    };
    let (w, h) = placed.tile;
    let digit = Rect::new(area.x + (area.width - w) / 2, area.y, w, h);
    let scale = Scale::Unsigned { min: 0.0, max: 1.0 };
    Heatmap {
        data: image.view(),
        scale,
        glyphs: app.glyphs,
        colors: app.colors,
    }
    .render(digit, buf);
    let legend = Legend {
        scale,
        range: Some((0.0, 1.0)),
        glyphs: app.glyphs,
        colors: app.colors,
    };
    let mut spans = vec![Span::raw(format!("{} ", fit.zoom.label())).dark_gray()];
    spans.extend(legend.spans(8));
    Line::from(spans)
        .centered()
        .render(Rect::new(area.x, area.y + h, area.width, 1), buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_use_eighths() {
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(0.5, 4), "██");
        assert_eq!(bar(0.0, 4), "");
        assert_eq!(bar(1.0 / 32.0, 4), "▏");
    }

    #[test]
    fn argmax_takes_the_first_largest() {
        assert_eq!(argmax(&[0.1, 0.7, 0.2, 0.7]), 1);
    }
}
