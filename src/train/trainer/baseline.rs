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

    /// The baseline's step on the CNN's batch (`Baseline::step`'s loss, batch accuracy and
    /// time, taken beside the CNN's step, which took `cnn_secs`), kept to be reported.
    pub(super) fn record_baseline(&mut self, mlp: Option<(f32, f32, f32)>, cnn_secs: f32) {
        let Some((loss, batch_accuracy, mlp_secs)) = mlp else {
            return;
        };
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

    /// The baseline's answers for `images` (each `(28, 28)`), when it is on: the translation
    /// lab shows them beside the CNN's.
    pub fn baseline_answers(
        &mut self,
        images: &[ndarray::ArrayView2<f32>],
    ) -> Option<Vec<[f32; 10]>> {
        let b = self.baseline.as_mut()?;
        let mut x = crate::nn::Tensor::zeros((images.len(), 1, 28, 28)); // (N,1,28,28)
        for (i, image) in images.iter().enumerate() {
            x.slice_mut(ndarray::s![i, 0, .., ..]).assign(image);
        }
        let p = b.probabilities(&x); // (N,10)
        Some(
            p.rows()
                .into_iter()
                .map(|row| std::array::from_fn(|k| row[k]))
                .collect(),
        )
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
