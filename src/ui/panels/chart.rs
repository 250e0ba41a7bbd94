//! The chart panel: training loss (raw and smoothed) above, validation accuracy below, as
//! braille line charts on one shared step axis.

use crate::ui::app::{App, Panel};
use crate::ui::history::History;
use crate::ui::panels::panel_block;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Widget};

pub fn render_chart(app: &App, area: Rect, buf: &mut Buffer) {
    let extra = match (app.history.smoothed.last(), app.last_validation) {
        (Some((_, l)), Some(v)) => format!("loss {l:.3} · val acc {:.1}%", v.accuracy * 100.0),
        (Some((_, l)), None) => format!("loss {l:.3}"),
        _ => String::new(),
    };
    let block = panel_block(app, Panel::Chart, &extra);
    let inner = block.inner(area);
    block.render(area, buf);
    render_history(&app.history, inner, buf);
}

/// `n` rounded up to 1, 2 or 5 times a power of ten.
pub fn nice_ceiling(n: f64) -> f64 {
    if n.is_nan() || n <= 0.0 || n.is_infinite() {
        return 1.0;
    }
    let p = 10f64.powf(n.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|&v| v >= n * 0.999_999)
        .unwrap_or(10.0 * p)
}

fn step_axis(lo: f64, hi: f64) -> Axis<'static> {
    let mid = (lo + hi) / 2.0;
    Axis::default()
        .title("step".dark_gray())
        .bounds([lo, hi])
        .labels([format!("{lo:.0}"), format!("{mid:.0}"), format!("{hi:.0}")])
}

/// The loss and accuracy charts for `history` in `area`, on one step axis.
fn render_history(history: &History, area: Rect, buf: &mut Buffer) {
    let Some((lo, hi)) = history.step_range().filter(|_| !history.is_empty()) else {
        Paragraph::new("waiting for the first training steps…")
            .dark_gray()
            .render(area, buf);
        return;
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Fill(1)]).areas(area);
    let max_loss = nice_ceiling(
        history
            .loss
            .points()
            .iter()
            .map(|p| p.1)
            .fold(0.0, f64::max),
    );
    let loss = Chart::new(vec![
        line("loss", history.loss.points(), Color::DarkGray),
        line("smoothed", history.smoothed.points(), Color::Yellow),
    ])
    .x_axis(step_axis(lo, hi))
    .y_axis(
        Axis::default()
            .title("loss".yellow())
            .bounds([0.0, max_loss])
            .labels([
                "0".to_string(),
                format!("{:.2}", max_loss / 2.0),
                format!("{max_loss:.2}"),
            ]),
    )
    .legend_position(Some(ratatui::widgets::LegendPosition::TopRight));
    loss.render(top, buf);
    render_accuracy(history, lo, hi, bottom, buf);
}

fn render_accuracy(history: &History, lo: f64, hi: f64, area: Rect, buf: &mut Buffer) {
    let points = history.accuracy.points();
    if points.is_empty() {
        Paragraph::new(
            Line::from("validation accuracy: waiting for the first evaluation").dark_gray(),
        )
        .render(area, buf);
        return;
    }
    let min = points.iter().map(|p| p.1).fold(1.0, f64::min);
    let floor = ((min * 10.0).floor() / 10.0).clamp(0.0, 0.9);
    Chart::new(vec![line("validation acc.", points, Color::Green)])
        .x_axis(step_axis(lo, hi))
        .y_axis(
            Axis::default()
                .title("acc".green())
                .bounds([floor, 1.0])
                .labels([
                    format!("{:.0}%", floor * 100.0),
                    format!("{:.0}%", (floor + 1.0) * 50.0),
                    "100%".to_string(),
                ]),
        )
        .legend_position(Some(ratatui::widgets::LegendPosition::BottomRight))
        .render(area, buf);
}

fn line<'a>(name: &'static str, data: &'a [(f64, f64)], color: Color) -> Dataset<'a> {
    Dataset::default()
        .name(name)
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(Style::new().fg(color))
        .data(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(2.3), 2.5);
        assert_eq!(nice_ceiling(0.7), 1.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(3.0), 5.0);
    }
}
