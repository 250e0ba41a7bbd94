//! Training history that thins itself to stay bounded, and its braille line charts:
//! training loss (raw and smoothed) above, validation accuracy below, on a shared step axis.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Widget};

/// Points `(x, y)` that never exceed `cap`: when full, neighbouring pairs are averaged and
/// each later point averages twice as many inputs as before.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    points: Vec<(f64, f64)>,
    cap: usize,
    stride: usize,
    pending: (f64, f64, usize),
}

impl Series {
    pub fn new(cap: usize) -> Series {
        Series {
            points: Vec::new(),
            cap: cap.max(2),
            stride: 1,
            pending: (0.0, 0.0, 0),
        }
    }

    pub fn push(&mut self, x: f64, y: f64) {
        if !y.is_finite() {
            return;
        }
        let (_, sum, n) = self.pending;
        self.pending = (x, sum + y, n + 1);
        if n + 1 >= self.stride {
            let (x, sum, n) = self.pending;
            self.points.push((x, sum / n as f64));
            self.pending = (0.0, 0.0, 0);
            if self.points.len() > self.cap {
                self.thin();
            }
        }
    }

    fn thin(&mut self) {
        self.points = self
            .points
            .chunks(2)
            .map(|c| {
                (
                    c[c.len() - 1].0,
                    c.iter().map(|p| p.1).sum::<f64>() / c.len() as f64,
                )
            })
            .collect();
        self.stride *= 2;
    }

    pub fn points(&self) -> &[(f64, f64)] {
        &self.points
    }

    pub fn last(&self) -> Option<(f64, f64)> {
        self.points.last().copied()
    }

    pub fn clear(&mut self) {
        *self = Series::new(self.cap);
    }
}

/// What the chart panel draws.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub loss: Series,
    pub smoothed: Series,
    pub accuracy: Series,
    ema: Option<f64>,
    pub last_step: Option<usize>,
}

/// Weight of the newest loss in the smoothed curve.
const EMA_ALPHA: f64 = 0.05;
/// Points kept per series.
pub const HISTORY_CAP: usize = 600;

impl Default for History {
    fn default() -> Self {
        History {
            loss: Series::new(HISTORY_CAP),
            smoothed: Series::new(HISTORY_CAP),
            accuracy: Series::new(HISTORY_CAP),
            ema: None,
            last_step: None,
        }
    }
}

impl History {
    /// Record one training step; a step count that goes backwards means a new run.
    pub fn push_loss(&mut self, step: usize, loss: f32) {
        if self.last_step.is_some_and(|last| step < last) {
            *self = History::default();
        }
        let loss = loss as f64;
        if !loss.is_finite() {
            return;
        }
        let ema = self.ema.map_or(loss, |e| e + EMA_ALPHA * (loss - e));
        self.ema = Some(ema);
        self.loss.push(step as f64, loss);
        self.smoothed.push(step as f64, ema);
        self.last_step = Some(step);
    }

    pub fn push_accuracy(&mut self, step: usize, accuracy: f32) {
        self.accuracy.push(step as f64, accuracy as f64);
    }

    pub fn is_empty(&self) -> bool {
        self.loss.points().is_empty()
    }
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

/// The loss and accuracy charts for `history` in `area`.
pub fn render_history(history: &History, area: Rect, buf: &mut Buffer) {
    if history.is_empty() {
        Paragraph::new("waiting for the first training steps…")
            .dark_gray()
            .render(area, buf);
        return;
    }
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Fill(1)]).areas(area);
    let lo = history.loss.points()[0].0;
    let hi = history.loss.last().map_or(lo + 1.0, |p| p.0).max(lo + 1.0);
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
    let hi = hi.max(points.last().map_or(hi, |p| p.0));
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
    fn series_stays_bounded_and_keeps_the_mean() {
        let mut s = Series::new(100);
        for i in 0..100_000 {
            s.push(i as f64, 1.0);
        }
        assert!(s.points().len() <= 100, "{}", s.points().len());
        assert!(s.points().len() >= 50);
        assert!(s.points().iter().all(|p| p.1 == 1.0));
        assert!(s.last().unwrap().0 > 99_000.0);
    }

    #[test]
    fn history_restarts_when_steps_go_back() {
        let mut h = History::default();
        h.push_loss(10, 2.0);
        h.push_loss(11, 1.0);
        h.push_loss(1, 2.3);
        assert_eq!(h.loss.points(), &[(1.0, 2.3f32 as f64)]);
    }

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(2.3), 2.5);
        assert_eq!(nice_ceiling(0.7), 1.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(3.0), 5.0);
    }
}
