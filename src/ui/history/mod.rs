//! The training history the chart panel draws: app state, bounded however long training runs.
//! Curves (`Series`), the steps where epochs begin, and markers at every edit, change of a
//! setting, reset, rewind and divergence. `view` holds how the chart shows it (scales,
//! window), `pinned` the curves kept for comparison.

pub mod pinned;
pub mod series;
pub mod view;

use crate::config::Hyper;
use crate::number::compact;
use crate::train::ema::Ema;
use crate::train::messages::{EvalMetrics, StepMetrics};
pub use series::Series;
use std::collections::VecDeque;

/// Markers and epoch boundaries kept (the oldest go first).
pub const MARKS_CAP: usize = 500;
/// Weight of the newest batch in the running training accuracy (about the last 50 batches).
const ACCURACY_SMOOTHING: f64 = 0.02;

/// What happened at a marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// The architecture was rebuilt.
    Edit,
    /// The learning rate, momentum or batch size changed.
    Setting,
    Reset,
    /// Back to the last good weights after a divergence.
    Rewind,
    Diverged,
}

impl MarkerKind {
    /// A new run starts here (a reset, or a rebuilt network): a comparison aligns the curves
    /// after it with the pinned ones. A changed setting or a rewind is marked within a run.
    pub fn starts_run(self) -> bool {
        matches!(self, MarkerKind::Edit | MarkerKind::Reset)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub step: usize,
    pub kind: MarkerKind,
    /// E.g. `conv1 stride 1→2`, `lr 0.07→0.1`, `reset`.
    pub label: String,
}

/// What the chart panel draws.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// Each step's loss (thinned to its extremes: spikes stay), and its moving average.
    pub loss: Series,
    pub smoothed: Series,
    /// The running training accuracy (a moving average of the batches').
    pub train_accuracy: Series,
    pub val_loss: Series,
    pub val_accuracy: Series,
    /// The step each epoch after the first began at, with its 0-based number.
    pub epochs: VecDeque<(usize, usize)>,
    pub markers: VecDeque<Marker>,
    pub last_step: Option<usize>,
    loss_ema: Ema,
    accuracy_ema: Option<Ema>,
    last_epoch: Option<usize>,
    /// The settings last confirmed, to mark their changes.
    hyper: Option<Hyper>,
    /// The first smoothed loss and the lowest since: has the loss fallen tenfold?
    first_smoothed: Option<f64>,
    lowest_smoothed: Option<f64>,
}

impl Default for History {
    fn default() -> Self {
        History {
            loss: Series::extremes(),
            smoothed: Series::default(),
            train_accuracy: Series::default(),
            val_loss: Series::default(),
            val_accuracy: Series::default(),
            epochs: VecDeque::new(),
            markers: VecDeque::new(),
            last_step: None,
            loss_ema: Ema::default(),
            accuracy_ema: None,
            last_epoch: None,
            hyper: None,
            first_smoothed: None,
            lowest_smoothed: None,
        }
    }
}

impl History {
    /// A new run after a reset: empty, with a reset marker at step 0; the settings stay
    /// known, so that a change after the reset is marked too.
    pub fn restart(&mut self) {
        let hyper = self.hyper;
        *self = History {
            hyper,
            ..History::default()
        };
        self.mark_at(0, MarkerKind::Reset, "reset".into());
    }

    /// Record one training step; a step count that goes backwards means a new run.
    pub fn push_step(&mut self, m: &StepMetrics) {
        if self.last_step.is_some_and(|last| m.step < last) {
            self.restart();
        }
        if self.last_epoch.is_some_and(|e| m.epoch > e) {
            push_capped(&mut self.epochs, (m.step, m.epoch));
        }
        self.last_epoch = Some(m.epoch);
        let x = m.step as f64;
        let loss = m.loss as f64;
        if let Some(smoothed) = self.loss_ema.push(loss).filter(|_| loss.is_finite()) {
            self.loss.push(x, loss);
            self.smoothed.push(x, smoothed);
            self.first_smoothed.get_or_insert(smoothed);
            self.lowest_smoothed = Some(self.lowest_smoothed.map_or(smoothed, |l| l.min(smoothed)));
        }
        let acc = self
            .accuracy_ema
            .get_or_insert_with(|| Ema::new(ACCURACY_SMOOTHING));
        if let Some(a) = acc.push(m.batch_accuracy as f64) {
            self.train_accuracy.push(x, a);
        }
        self.last_step = Some(m.step);
    }

    /// Record a validation.
    pub fn push_eval(&mut self, e: &EvalMetrics) {
        self.val_loss.push(e.step as f64, e.loss as f64);
        self.val_accuracy.push(e.step as f64, e.accuracy as f64);
    }

    /// A marker at the newest step.
    pub fn mark(&mut self, kind: MarkerKind, label: String) {
        self.mark_at(self.last_step.unwrap_or(0), kind, label);
    }

    pub fn mark_at(&mut self, step: usize, kind: MarkerKind, label: String) {
        push_capped(&mut self.markers, Marker { step, kind, label });
    }

    /// The settings now in force: a change of the learning rate, momentum or batch size from
    /// the ones confirmed before is marked, e.g. `lr 0.07→0.1`.
    pub fn confirm_hyper(&mut self, h: &Hyper) {
        if let Some(old) = self.hyper.replace(*h) {
            let changes = setting_changes(&old, h);
            if !changes.is_empty() {
                self.mark(MarkerKind::Setting, changes.join(", "));
            }
        }
    }

    /// The step the current run began at: the newest reset or rebuild, else 0.
    pub fn run_start(&self) -> usize {
        self.markers
            .iter()
            .rev()
            .find(|m| m.kind.starts_run())
            .map_or(0, |m| m.step)
    }

    /// Has the smoothed loss fallen to a tenth of where it started? (The loss chart turns to a
    /// log scale then, unless the user chose a scale.)
    pub fn loss_fell_tenfold(&self) -> bool {
        match (self.first_smoothed, self.lowest_smoothed) {
            (Some(first), Some(lowest)) => lowest <= first / 10.0,
            _ => false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.loss.is_empty()
    }

    /// The step range both charts share: from the first point of any curve to the newest step
    /// seen, so that the loss and the accuracy chart line up column for column.
    pub fn step_range(&self) -> Option<(f64, f64)> {
        let curves = [&self.loss, &self.val_accuracy, &self.val_loss];
        let lo = curves
            .iter()
            .filter_map(|s| s.first().map(|p| p.0))
            .reduce(f64::min)?;
        let newest = curves.iter().filter_map(|s| s.last().map(|p| p.0));
        let hi = newest
            .chain(self.last_step.map(|s| s as f64))
            .fold(lo, f64::max);
        Some((lo, hi.max(lo + 1.0)))
    }
}

fn push_capped<T>(list: &mut VecDeque<T>, item: T) {
    if list.len() == MARKS_CAP {
        list.pop_front();
    }
    list.push_back(item);
}

/// `lr 0.07→0.1`, `momentum 0.9→0.99`, `batch 32→64` for what changed.
fn setting_changes(old: &Hyper, new: &Hyper) -> Vec<String> {
    let num = |x: f32| compact(x as f64, 3);
    let mut changes = Vec::new();
    if old.lr != new.lr {
        changes.push(format!("lr {}→{}", num(old.lr), num(new.lr)));
    }
    if old.momentum != new.momentum {
        changes.push(format!(
            "momentum {}→{}",
            num(old.momentum),
            num(new.momentum)
        ));
    }
    if old.batch != new.batch {
        changes.push(format!("batch {}→{}", old.batch, new.batch));
    }
    changes
}

#[cfg(test)]
mod tests;
