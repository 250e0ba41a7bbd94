//! Divergence caught: after every step the trainer asks the `Guard` whether the loss or a
//! weight left the finite numbers, or the loss rose far above its start. The guard also keeps a
//! copy of the weights every few hundred steps while the loss behaves, for the rewind.

use super::ema::Ema;
use super::messages::DivergenceCause;
use crate::nn::Network;
use ndarray::ArrayD;

/// A loss above this, after the warm-up, counts as divergence: ten times the loss of a guess
/// among ten classes, 10 · ln 10 ≈ 23.
pub const DIVERGED_LOSS: f32 = 10.0 * std::f32::consts::LN_10;
/// Steps after a start (run, reset, rebuild, rewind) in which only non-finite numbers count:
/// a fresh layer may start with a large loss.
pub const GUARD_WARMUP: usize = 100;
/// The weights are copied at most this often (and only while the loss behaves).
pub const CHECKPOINT_EVERY: usize = 250;

/// Every parameter tensor of a network at one step.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    pub step: usize,
    weights: Vec<ArrayD<f32>>,
}

impl Checkpoint {
    pub fn of(net: &mut Network, step: usize) -> Checkpoint {
        let weights = net.params().iter().map(|p| p.value.to_owned()).collect();
        Checkpoint { step, weights }
    }

    /// Copy the weights back into `net`; false (and nothing changed) when its parameter
    /// shapes are not the ones kept.
    pub fn restore(&self, net: &mut Network) -> bool {
        let mut params = net.params();
        let fits = params.len() == self.weights.len()
            && params
                .iter()
                .zip(&self.weights)
                .all(|(p, w)| p.value.shape() == w.shape());
        if fits {
            for (p, w) in params.iter_mut().zip(&self.weights) {
                p.value.assign(w);
            }
        }
        fits
    }
}

/// Watches the steps of one network.
#[derive(Debug, Clone)]
pub struct Guard {
    /// Step of the last start; the warm-up counts from it.
    start: usize,
    ema: Ema,
    /// The lowest running average seen since the start: a checkpoint needs a loss near it.
    best: f64,
    good: Checkpoint,
}

impl Guard {
    /// A guard for `net`, whose weights at `step` are the first good ones.
    pub fn new(net: &mut Network, step: usize) -> Guard {
        Guard {
            start: step,
            ema: Ema::default(),
            best: f64::INFINITY,
            good: Checkpoint::of(net, step),
        }
    }

    /// The step whose weights a rewind would restore.
    pub fn good_step(&self) -> usize {
        self.good.step
    }

    pub fn good(&self) -> &Checkpoint {
        &self.good
    }

    /// Check the step that just ran (its count `step`, its `loss`, the updated `net`); keep a
    /// copy of the weights when one is due and the loss behaves.
    pub fn check(&mut self, step: usize, loss: f32, net: &mut Network) -> Option<DivergenceCause> {
        if !loss.is_finite() {
            return Some(DivergenceCause::LossNotFinite);
        }
        if !net
            .params()
            .iter()
            .all(|p| p.value.iter().all(|w| w.is_finite()))
        {
            return Some(DivergenceCause::WeightNotFinite);
        }
        if step > self.start + GUARD_WARMUP && loss > DIVERGED_LOSS {
            return Some(DivergenceCause::LossTooHigh);
        }
        let ema = self.ema.push(loss as f64).unwrap_or(loss as f64);
        self.best = self.best.min(ema);
        // A loss already climbing away from its best is not one to come back to.
        let behaves = ema <= (1.5 * self.best).max(self.best + 0.1);
        if step >= self.good.step + CHECKPOINT_EVERY && behaves {
            self.good = Checkpoint::of(net, step);
        }
        None
    }

    /// The weights of `net` at `step` start anew (a reset or a rebuild): they are the good ones.
    pub fn restart(&mut self, net: &mut Network, step: usize) {
        *self = Guard::new(net, step);
    }

    /// After a rewind to the kept weights: the warm-up starts again at `step`, the copy stays.
    pub fn rewound(&mut self, step: usize) {
        self.start = step;
        self.ema = Ema::default();
    }
}
