//! The fc-vs-cnn screen (key 4): the fully connected baseline beside the CNN. Its state, its
//! keys and what the baseline's updates do to it; the drawing is in `view` and `weights_view`.

mod plot;
pub mod view;
pub mod weights_view;

use super::app::App;
use super::keys::{Action, Binding, Group, Key, b};
use super::screen::Screen;
use crate::train::analysis::shift::ShiftCurves;
use crate::train::baseline::{BaselineStep, BaselineUpdate, BaselineWeights};
use crate::train::messages::Command;
use crossterm::event::{KeyCode, KeyEvent};

/// Points kept per curve: beyond, every other one is dropped.
const MAX_POINTS: usize = 1000;
/// Weight of a new batch in the smoothed training accuracy.
const SMOOTHING: f32 = 0.05;

/// The screen's two pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComparePage {
    /// Sizes, speeds, accuracy against steps and against shift.
    Accuracy,
    /// What an FC unit looks at (28×28) beside conv1's 3×3 filters.
    Weights,
}

/// A curve of (step, value) points, thinned to stay bounded: when it is full, every other
/// point goes and from then on only every other new one is kept (`stride` doubles), so the
/// points stay evenly spread over the whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub points: Vec<(usize, f32)>,
    /// Keep one new point in `stride`.
    stride: usize,
    /// New points since the last one kept.
    skipped: usize,
    /// The newest value, kept or not (what the table shows).
    latest: Option<(usize, f32)>,
}

impl Default for Curve {
    fn default() -> Curve {
        Curve {
            points: Vec::new(),
            stride: 1,
            skipped: 0,
            latest: None,
        }
    }
}

impl Curve {
    /// Add a point; a step not after the newest one means a reset: start again.
    pub fn push(&mut self, step: usize, v: f32) {
        if self.latest.is_some_and(|(s, _)| step <= s) {
            *self = Curve::default();
        }
        self.latest = Some((step, v));
        self.skipped += 1;
        if self.skipped < self.stride {
            return;
        }
        self.skipped = 0;
        self.points.push((step, v));
        if self.points.len() > MAX_POINTS {
            let mut i = 0;
            self.points.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.stride *= 2;
        }
    }

    /// The newest value.
    pub fn last(&self) -> Option<f32> {
        self.latest.map(|(_, v)| v)
    }

    fn last_step(&self) -> Option<usize> {
        self.latest.map(|(s, _)| s)
    }
}

/// The fc-vs-cnn screen's state.
#[derive(Debug, Clone, PartialEq)]
pub struct Compare {
    pub page: ComparePage,
    /// Smoothed batch accuracy of each network, and validation accuracy.
    pub cnn_train: Curve,
    pub mlp_train: Curve,
    pub cnn_val: Curve,
    pub mlp_val: Curve,
    /// The baseline's last step (with both networks' time for that batch).
    pub last: Option<BaselineStep>,
    pub weights: Option<BaselineWeights>,
    pub shift: Option<ShiftCurves>,
    /// The accuracy-against-shift job's progress: done, total.
    pub progress: Option<(usize, usize)>,
    /// The FC unit shown large.
    pub unit: usize,
    /// The worker was asked to train the baseline (the screen's first showing); a new worker
    /// (`r` after the old one died) is asked again.
    pub baseline_asked: bool,
    /// The step at which the accuracy-against-shift job was last asked for.
    pub shift_asked: Option<usize>,
}

impl Default for Compare {
    fn default() -> Compare {
        Compare {
            page: ComparePage::Accuracy,
            baseline_asked: false,
            cnn_train: Curve::default(),
            mlp_train: Curve::default(),
            cnn_val: Curve::default(),
            mlp_val: Curve::default(),
            last: None,
            weights: None,
            shift: None,
            progress: None,
            unit: 0,
            shift_asked: None,
        }
    }
}

/// The exponential average of `v` into `curve` (restarted by a reset).
fn smooth(curve: &mut Curve, step: usize, v: f32) {
    let next = match (curve.last(), curve.last_step()) {
        (Some(prev), Some(s)) if step > s => prev + SMOOTHING * (v - prev),
        _ => v,
    };
    curve.push(step, next);
}

impl Compare {
    /// A CNN step (from `Update::Steps`).
    pub fn push_cnn_step(&mut self, step: usize, batch_accuracy: f32) {
        smooth(&mut self.cnn_train, step, batch_accuracy);
    }

    /// A CNN validation.
    pub fn push_cnn_eval(&mut self, step: usize, accuracy: f32) {
        self.cnn_val.push(step, accuracy);
    }

    /// What the worker reports of the baseline.
    pub fn apply(&mut self, update: BaselineUpdate) {
        match update {
            BaselineUpdate::Steps(steps) => {
                for s in &steps {
                    smooth(&mut self.mlp_train, s.step, s.batch_accuracy);
                }
                self.last = steps.last().copied().or(self.last);
            }
            BaselineUpdate::Eval(e) => self.mlp_val.push(e.step, e.accuracy),
            BaselineUpdate::Weights(w) => {
                self.unit = self.unit.min(w.first_layer.nrows().saturating_sub(1));
                self.weights = Some(*w);
            }
        }
    }

    /// Hidden units of the baseline (0 before its first report).
    pub fn units(&self) -> usize {
        self.weights.as_ref().map_or(0, |w| w.first_layer.nrows())
    }
}

/// What a key of the compare screen does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareKey {
    /// The other page.
    Page,
    /// The previous / next FC unit.
    Unit(i8),
    /// Compute accuracy against shift again, on the current weights.
    Shift,
}

use Action::Compare as Cm;
use Group::Compare as G;
use Key::{Char as C, Code};

/// The compare screen's keys (modal: then `passes_through` of the inspect screen).
#[rustfmt::skip]
pub static COMPARE_KEYS: &[Binding] = &[
    b(&[Code(KeyCode::Esc)], Action::Back, G, "back to the dashboard", Some("back")),
    b(&[Code(KeyCode::Tab), Code(KeyCode::BackTab)], Cm(CompareKey::Page), G, "accuracy / weights page", Some("page")),
    b(&[Code(KeyCode::Right), C('n')], Cm(CompareKey::Unit(1)), G, "next / previous FC unit", Some("unit")),
    b(&[Code(KeyCode::Left), C('N')], Cm(CompareKey::Unit(-1)), G, "previous FC unit", None),
    b(&[C('a')], Cm(CompareKey::Shift), G, "shift accuracy, again", Some("shift")),
];

impl App {
    /// A key while the compare screen is shown.
    pub(super) fn on_compare_key(&mut self, key: &KeyEvent) -> Vec<Command> {
        let action =
            super::keys::action_in(COMPARE_KEYS, key).or_else(|| super::keys::action_for(key));
        match action {
            Some(Action::Back) => self.show(Screen::Dashboard),
            Some(Action::Compare(k)) => self.compare_act(k),
            Some(a) if super::inspect::passes_through(a) || a == Action::Restore => self.act(a),
            _ => Vec::new(),
        }
    }

    fn compare_act(&mut self, key: CompareKey) -> Vec<Command> {
        let c = &mut self.compare;
        match key {
            CompareKey::Page => {
                c.page = match c.page {
                    ComparePage::Accuracy => ComparePage::Weights,
                    ComparePage::Weights => ComparePage::Accuracy,
                };
                Vec::new()
            }
            CompareKey::Unit(d) => {
                let n = c.units().max(1) as i64;
                c.unit = (c.unit as i64 + i64::from(d)).rem_euclid(n) as usize;
                Vec::new()
            }
            CompareKey::Shift => {
                self.compare.shift_asked = None;
                self.analysis_request()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_run_stays_bounded_and_evenly_spread() {
        let mut c = Curve::default();
        for step in 1..=16_000 {
            c.push(step, step as f32);
        }
        assert!(c.points.len() <= MAX_POINTS);
        let gaps: Vec<usize> = c.points.windows(2).map(|w| w[1].0 - w[0].0).collect();
        let (min, max) = (gaps.iter().min().unwrap(), gaps.iter().max().unwrap());
        assert!(max <= &(2 * min), "gaps from {min} to {max}");
        assert_eq!(c.last(), Some(16_000.0));
        // A step back is a reset.
        c.push(1, 0.5);
        assert_eq!(c.points, vec![(1, 0.5)]);
    }
}
