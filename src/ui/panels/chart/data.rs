//! What the chart panel draws, worked out from the app before anything is drawn: the step
//! range (the window), the curves in chart coordinates, both y axes, the markers and epoch
//! boundaries in range, and, when a run is pinned, both runs aligned at their first step.

use super::axis::{YAxis, accuracy_axis, linear_axis, log_axis};
use crate::ui::app::App;
use crate::ui::history::pinned::{Pinned, aligned, run_labels};
use crate::ui::history::{History, MarkerKind, Series};
use ratatui::style::Color;

/// The training curves' colour (loss smoothed, running accuracy) and the validation's.
pub const TRAIN: Color = Color::Yellow;
pub const VALIDATION: Color = Color::Cyan;
pub const RAW: Color = Color::DarkGray;
/// The pinned run's curves: the same hues, dimmed.
const PINNED_TRAIN: (u8, u8, u8) = (128, 112, 40);
const PINNED_VALIDATION: (u8, u8, u8) = (40, 104, 116);

/// One curve: `(x, value)` points in chart coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub color: Color,
    /// The per-batch loss: it jumps about, so the axis is not fitted to all of it.
    pub raw: bool,
    pub points: Vec<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    /// The steps shown, `[lo, hi]`: steps since the start, or since each run's first step
    /// when comparing.
    pub x: (f64, f64),
    /// Bottom first: the pinned run's (dimmed) under the current one's; the validation on
    /// top, where two share a cell (it is sparse, and it is what generalises).
    pub loss: Vec<Curve>,
    pub accuracy: Vec<Curve>,
    pub loss_axis: YAxis,
    pub accuracy_axis: YAxis,
    /// `(x, kind, label)` of every marker in range.
    pub markers: Vec<(f64, MarkerKind, String)>,
    /// `(x, 0-based epoch)` where an epoch begins, in range.
    pub epochs: Vec<(f64, usize)>,
    /// When comparing, the labels of the current run and of the pinned one.
    pub runs: Option<(String, String)>,
}

/// The chart of the app's history; `None` before the first step.
pub fn chart_data(app: &App) -> Option<ChartData> {
    let h = &app.history;
    let (first, last) = h.step_range().filter(|_| !h.is_empty())?;
    let mut data = match &app.pinned {
        None => current(app, h, first, last),
        Some(p) => compared(app, h, p, last),
    };
    let log = app.chart.log_scale(h.loss_fell_tenfold());
    data.loss_axis = fit_loss(&data, log);
    data.accuracy_axis = fit_accuracy(&data, app.chart.full_accuracy);
    Some(data)
}

/// The history as it is, in the window.
fn current(app: &App, h: &History, first: f64, last: f64) -> ChartData {
    let (lo, hi) = app.chart.range(first, last);
    let curve = |s: &Series, color| Curve {
        color,
        raw: color == RAW,
        points: s.points_from(lo),
    };
    let markers = h
        .markers
        .iter()
        .filter(|m| (lo..=hi).contains(&(m.step as f64)))
        .map(|m| (m.step as f64, m.kind, m.label.clone()))
        .collect();
    let epochs = h
        .epochs
        .iter()
        .filter(|(s, _)| (lo..=hi).contains(&(*s as f64)))
        .map(|&(s, e)| (s as f64, e))
        .collect();
    ChartData {
        x: (lo, hi),
        loss: vec![
            curve(&h.loss, RAW),
            curve(&h.smoothed, TRAIN),
            curve(&h.val_loss, VALIDATION),
        ],
        accuracy: vec![
            curve(&h.train_accuracy, TRAIN),
            curve(&h.val_accuracy, VALIDATION),
        ],
        loss_axis: linear_axis(1.0),
        accuracy_axis: accuracy_axis(0.0, 1.0, true),
        markers,
        epochs,
        runs: None,
    }
}

/// The current run over the pinned one, both from their own first step.
fn compared(app: &App, h: &History, p: &Pinned, last: f64) -> ChartData {
    let start = h.run_start();
    let span = (last - start as f64).max(p.span()).max(1.0);
    let (lo, hi) = app.chart.range(0.0, span);
    let now = |s: &Series, color| Curve {
        color,
        raw: false,
        points: in_range(&aligned(&s.points_from(start as f64), start), lo),
    };
    let dim = |points: &[(f64, f64)], rgb| Curve {
        color: app.colors.color(rgb).unwrap_or(Color::DarkGray),
        raw: false,
        points: in_range(points, lo),
    };
    let markers = h
        .markers
        .iter()
        .filter(|m| m.step >= start && (lo..=hi).contains(&((m.step - start) as f64)))
        .map(|m| ((m.step - start) as f64, m.kind, m.label.clone()))
        .collect();
    ChartData {
        x: (lo, hi),
        loss: vec![
            dim(&p.val_loss, PINNED_VALIDATION),
            dim(&p.smoothed, PINNED_TRAIN),
            now(&h.smoothed, TRAIN),
            now(&h.val_loss, VALIDATION),
        ],
        accuracy: vec![
            dim(&p.train_accuracy, PINNED_TRAIN),
            dim(&p.val_accuracy, PINNED_VALIDATION),
            now(&h.train_accuracy, TRAIN),
            now(&h.val_accuracy, VALIDATION),
        ],
        loss_axis: linear_axis(1.0),
        accuracy_axis: accuracy_axis(0.0, 1.0, true),
        markers,
        epochs: Vec::new(),
        runs: Some(run_labels((&app.arch, &app.hyper), (&p.arch, &p.hyper))),
    }
}

fn in_range(points: &[(f64, f64)], lo: f64) -> Vec<(f64, f64)> {
    points.iter().copied().filter(|p| p.0 >= lo).collect()
}

/// The loss axis: fitted to the smoothed and validation curves in the later three quarters of
/// the window (so the first steep fall does not squash what follows: it leaves through the
/// top); the per-batch loss, which jumps far above and below, stretches it only a little.
fn fit_loss(data: &ChartData, log: bool) -> YAxis {
    let (lo, hi) = data.x;
    let from = lo + (hi - lo) / 4.0;
    let (mut main, mut raw) = (Vec::new(), Vec::new());
    for c in &data.loss {
        let late = c.points.iter().filter(|p| p.0 >= from);
        let values = late
            .map(|p| p.1)
            .filter(|v| v.is_finite() && (!log || *v > 0.0));
        if c.raw {
            raw.extend(values);
        } else {
            main.extend(values);
        }
    }
    let range = |v: &[f64]| {
        let min = v.iter().copied().fold(f64::INFINITY, f64::min);
        (min, v.iter().copied().fold(f64::NEG_INFINITY, f64::max))
    };
    let (mut lo, mut hi) = range(if main.is_empty() { &raw } else { &main });
    let (raw_lo, raw_hi) = range(&raw);
    // On a log axis the batches' spikes get a few times the room (a linear one would give the
    // curves too little of it).
    let stretch = if log { 4.0 } else { 1.5 };
    if raw_lo.is_finite() {
        lo = lo.min(raw_lo.max(lo / stretch));
        hi = hi.max(raw_hi.min(hi * stretch));
    }
    if log {
        log_axis(lo, hi)
    } else {
        linear_axis(hi)
    }
}

/// The accuracy axis: fitted to the later three quarters of the window (the steep rise at the
/// very start would otherwise squash the rest), or 0–100 % when asked.
fn fit_accuracy(data: &ChartData, full: bool) -> YAxis {
    let (lo, hi) = data.x;
    let from = lo + (hi - lo) / 4.0;
    let values = |from: f64| -> Vec<f64> {
        data.accuracy
            .iter()
            .flat_map(|c| &c.points)
            .filter(|p| p.0 >= from && p.1.is_finite())
            .map(|p| p.1)
            .collect()
    };
    let mut v = values(from);
    if v.is_empty() {
        v = values(lo);
    }
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    accuracy_axis(min, max, full || v.is_empty())
}

#[cfg(test)]
mod tests;
