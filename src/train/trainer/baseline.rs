//! The trainer's side of the fully connected baseline (`train::baseline`): it steps after the
//! CNN on the same batch, is evaluated with it and starts again with it.

use super::Trainer;
use crate::nn::mlp::Mlp;
use crate::train::analysis::split_of;
use crate::train::baseline::{Baseline, BaselineEval, BaselineStep, BaselineWeights};
use crate::train::messages::EvalSet;
use std::sync::Arc;

impl Trainer {
    /// Train the baseline beside the CNN (on), or drop it (off). Turned on, it starts fresh.
    pub fn set_baseline(&mut self, on: bool) {
        self.baseline = on.then(|| Baseline::new(self.hyper.seed));
        self.baseline_step = None;
    }

    pub fn baseline_on(&self) -> bool {
        self.baseline.is_some()
    }

    /// After the CNN's step (which took `cnn_secs`): the baseline's, on the same batch.
    pub(super) fn step_baseline(&mut self, cnn_secs: f32) {
        let Some(b) = self.baseline.as_mut() else {
            return;
        };
        let (x, labels, opt) = (&self.x, &self.labels, &self.opt);
        let (loss, batch_accuracy, mlp_secs) = self.pool.install(|| b.step(x, labels, opt));
        self.baseline_step = Some(BaselineStep {
            step: self.step,
            loss,
            batch_accuracy,
            cnn_secs,
            mlp_secs,
        });
    }

    /// The baseline's step that went with the CNN's last one (taken: each is reported once).
    pub fn take_baseline_step(&mut self) -> Option<BaselineStep> {
        self.baseline_step.take()
    }

    /// The baseline on a whole split, when it is on.
    pub fn evaluate_baseline(&mut self, set: EvalSet) -> Option<BaselineEval> {
        let b = self.baseline.as_mut()?;
        let data = Arc::clone(&self.data);
        let (x, labels) = (&mut self.x, &mut self.labels);
        let (loss, accuracy) = self
            .pool
            .install(|| b.evaluate(split_of(&data, set), x, labels));
        self.pause_clock();
        Some(BaselineEval {
            step: self.step,
            set,
            loss,
            accuracy,
        })
    }

    /// Its size and first layer, when it is on.
    pub fn baseline_weights(&self) -> Option<BaselineWeights> {
        Some(self.baseline.as_ref()?.weights(self.step))
    }

    /// A copy of the MLP for the analysis thread, when it is on.
    pub fn baseline_copy(&self) -> Option<Mlp> {
        Some(self.baseline.as_ref()?.mlp_copy())
    }

    /// Back to the baseline's initial weights (with the CNN's reset).
    pub(super) fn reset_baseline(&mut self) {
        if self.baseline.is_some() {
            self.set_baseline(true);
        }
    }
}
