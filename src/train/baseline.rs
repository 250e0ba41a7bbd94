//! The fully connected baseline (`nn::mlp`) trained beside the CNN: after each CNN step, one
//! step of its own on the same images and labels, with the same learning rate and momentum.
//!
//! It never touches what the CNN's results depend on: its weights come from a generator of its
//! own (seeded from the run's seed), it reads the batch the trainer already filled and changes
//! nothing of it, and its optimiser is its own. `tests/baseline.rs` checks that the CNN's
//! losses and weights are the same to the bit with it and without it.
//!
//! Cost: about 5 % of a default CNN step (0.33–0.40 ms against 5.7–7.8 ms a batch of 32 on
//! two threads, `tests/baseline.rs`, a shared machine), so the worker runs it all the time:
//! its curves are there from step 0 whenever its screen is opened, and nothing is recomputed
//! when the screen changes.

use crate::data::dataset::Dataset;
use crate::nn::mlp::{HIDDEN, Mlp};
use crate::nn::{Sgd, Tensor};
use crate::train::messages::EvalSet;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

/// Mixed into the run's seed so that the baseline's weights are not drawn like the CNN's.
const SEED_SALT: u64 = 0x6d6c_7000;
/// Images per forward pass when evaluating.
const EVAL_BATCH: usize = 256;

/// One step of the baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BaselineStep {
    /// The CNN's step this one went with (same batch).
    pub step: usize,
    pub loss: f32,
    pub batch_accuracy: f32,
    /// Seconds the CNN's step and the MLP's took on this batch.
    pub cnn_secs: f32,
    pub mlp_secs: f32,
}

/// The baseline on a whole split.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BaselineEval {
    pub step: usize,
    pub set: EvalSet,
    pub loss: f32,
    pub accuracy: f32,
}

/// Baseline → dashboard, inside `Update::Baseline`.
#[derive(Debug, Clone, PartialEq)]
pub enum BaselineUpdate {
    Steps(Vec<BaselineStep>),
    Eval(BaselineEval),
    /// What the dashboard shows of the MLP itself: its size and its first layer `(H, 784)`.
    Weights(Box<BaselineWeights>),
}

/// The MLP's parameter count and first-layer weights, sent with each snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct BaselineWeights {
    pub step: usize,
    pub params: usize,
    pub first_layer: ndarray::Array2<f32>,
}

pub struct Baseline {
    mlp: Mlp,
    opt: Sgd,
}

impl Baseline {
    /// A fresh baseline for a run of `seed`.
    pub fn new(seed: u64) -> Baseline {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ SEED_SALT);
        Baseline {
            mlp: Mlp::new(HIDDEN, &mut rng),
            opt: Sgd::new(0.0, 0.0, 0.0),
        }
    }

    /// One step on the batch the CNN just trained on, with its rate, momentum and decay.
    pub fn step(&mut self, x: &Tensor, labels: &[u8], opt: &Sgd) -> (f32, f32, f32) {
        let start = Instant::now();
        self.opt.lr = opt.lr;
        self.opt.momentum = opt.momentum;
        self.opt.weight_decay = opt.weight_decay;
        let r = self.mlp.train_step(x, labels, &mut self.opt);
        let accuracy = r.correct as f32 / labels.len().max(1) as f32;
        (r.loss, accuracy, start.elapsed().as_secs_f32())
    }

    /// Loss and accuracy over `data`, `x` and `labels` being scratch space.
    pub fn evaluate(&mut self, data: &Dataset, x: &mut Tensor, labels: &mut Vec<u8>) -> (f32, f32) {
        let (mut loss, mut correct, mut start) = (0.0f64, 0usize, 0);
        while start < data.len() {
            let end = (start + EVAL_BATCH).min(data.len());
            data.range_batch(start, end, x, labels);
            let r = self.mlp.evaluate(x, labels);
            loss += f64::from(r.loss) * (end - start) as f64;
            correct += r.correct;
            start = end;
        }
        let n = data.len().max(1) as f64;
        ((loss / n) as f32, (correct as f64 / n) as f32)
    }

    pub fn weights(&self, step: usize) -> BaselineWeights {
        BaselineWeights {
            step,
            params: self.mlp.param_count(),
            first_layer: self.mlp.first_layer().to_owned(),
        }
    }

    /// Its softmax output for one batch `(N, 1, 28, 28)`, row by row.
    pub fn probabilities(&mut self, x: &Tensor) -> ndarray::Array2<f32> {
        self.mlp.probabilities(x)
    }

    /// A copy of the MLP, for the analysis thread.
    pub fn mlp_copy(&self) -> Mlp {
        self.mlp.duplicate()
    }
}
