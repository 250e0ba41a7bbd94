//! The probe digit's label, the ten class probabilities as bars, right or wrong; the digit
//! itself below when there is room.

use crate::ui::app::{App, Panel};
use crate::ui::panels::panel_block;
use crate::ui::widgets::colormap::Scale;
use crate::ui::widgets::heatmap::{Heatmap, cells_for};
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
    let predicted = argmax(&snap.probabilities);
    let right = predicted == snap.probe_label as usize;
    let verdict = if right {
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
    let width = (inner.width as usize).saturating_sub(10);
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
    let used = lines.len() as u16;
    Paragraph::new(lines).render(inner, buf);
    let (w, h) = cells_for(snap.probe_image.ncols(), snap.probe_image.nrows());
    if inner.height > used + h && inner.width >= w {
        let digit = Rect::new(inner.x + (inner.width - w) / 2, inner.y + used + 1, w, h);
        let scale = Scale::Unsigned { min: 0.0, max: 1.0 };
        Heatmap {
            data: snap.probe_image.view(),
            scale,
            glyphs: app.glyphs,
            colors: app.colors,
        }
        .render(digit, buf);
    }
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
