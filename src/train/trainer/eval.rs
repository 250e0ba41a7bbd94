//! Evaluation: loss and accuracy over a split, whole (headless) or a slice at a time (the
//! worker, which answers commands between slices: three blocks of 64 7×7 filters took 30–40 s
//! to validate 5,000 digits on two cores, and a pause or a new probe waited all that time).

use super::{EVAL_BATCH, Trainer};
use crate::train::messages::{EvalMetrics, EvalSet};
use std::sync::Arc;

/// An evaluation under way: the sums so far and where the next slice starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    pub set: EvalSet,
    /// The next image to evaluate; the evaluation is done when it reaches the split's length.
    next: usize,
    /// The sum over the images so far of each image's loss.
    loss_sum: f64,
    correct: usize,
}

impl Evaluation {
    pub fn new(set: EvalSet) -> Evaluation {
        Evaluation {
            set,
            next: 0,
            loss_sum: 0.0,
            correct: 0,
        }
    }

    /// The images evaluated so far.
    pub fn done(&self) -> usize {
        self.next
    }
}

impl Trainer {
    /// Loss and accuracy over a whole set.
    pub fn evaluate(&mut self, set: EvalSet) -> EvalMetrics {
        let mut eval = Evaluation::new(set);
        loop {
            if let Some(metrics) = self.evaluate_slice(&mut eval) {
                return metrics;
            }
        }
    }

    /// One forward pass of `EVAL_BATCH` images of the evaluation; its metrics once it has
    /// seen the whole set (at once for an empty set). The weights must not change between
    /// the slices of one evaluation: the worker takes no training step until it is done.
    pub fn evaluate_slice(&mut self, eval: &mut Evaluation) -> Option<EvalMetrics> {
        let data = Arc::clone(&self.data);
        let dataset = match eval.set {
            EvalSet::Validation => &data.validation,
            EvalSet::Test => &data.test,
        };
        if eval.next < dataset.len() {
            let (start, end) = (eval.next, (eval.next + EVAL_BATCH).min(dataset.len()));
            dataset.range_batch(start, end, &mut self.x, &mut self.labels);
            let (net, x, labels) = (&mut self.net, &self.x, &self.labels);
            let r = self.pool.install(|| net.evaluate(x, labels));
            eval.loss_sum += r.loss as f64 * (end - start) as f64;
            eval.correct += r.correct;
            eval.next = end;
        }
        // The time spent evaluating is not training time: the next step's clock starts anew.
        self.pause_clock();
        if eval.next < dataset.len() {
            return None;
        }
        let n = dataset.len().max(1);
        Some(EvalMetrics {
            step: self.step,
            epoch: self.epoch,
            set: eval.set,
            loss: (eval.loss_sum / n as f64) as f32,
            accuracy: eval.correct as f32 / n as f32,
            samples: dataset.len(),
        })
    }
}
