//! The pooling lab's second figure: the current weights switched to all-max and to
//! all-average pooling, each given a short fine-tune (a few hundred steps of SGD with
//! momentum on training batches, the trainer's current rate and batch size, the engine's own
//! `Network::train_step`), then validated. Switching without retraining says how much the
//! filters relied on the pooling they learned with; the fine-tune says how much of that gap a
//! little training closes. Both copies see the same batches in the same order, so the two
//! figures differ only by the pooling.

use super::pooling::{accuracy, with_pooling};
use super::{Progress, Stopped};
use crate::config::Hyper;
use crate::data::dataset::{Dataset, shuffled_indices};
use crate::nn::plan::PoolKind;
use crate::nn::{Network, Sgd, Tensor};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

/// Steps of the fine-tune: enough for average pooling to adapt on the default network
/// (a sixth of an epoch at batch 32), short enough to take seconds: the whole job took 14 s on
/// one core of the 2-core test machine (`times_the_whole_job_on_the_default_network`).
pub const TUNE_STEPS: usize = 300;

/// How to fine-tune: the trainer's settings when it was asked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FineTune {
    pub steps: usize,
    /// Images per step (the trainer's batch size).
    pub batch: usize,
    /// The learning rate the trainer uses now (after its schedule), momentum and decay.
    pub lr: f32,
    pub momentum: f32,
    pub weight_decay: f32,
    /// Seeds the order of the training images.
    pub seed: u64,
}

impl FineTune {
    /// `TUNE_STEPS` steps with `hyper`'s batch, momentum and decay at learning rate `lr`.
    pub fn new(hyper: &Hyper, lr: f32) -> FineTune {
        FineTune {
            steps: TUNE_STEPS,
            batch: hyper.batch.max(1),
            lr,
            momentum: hyper.momentum,
            weight_decay: hyper.weight_decay,
            seed: hyper.seed,
        }
    }

    /// Training images the fine-tune of one network reads.
    pub fn images(&self) -> usize {
        self.steps * self.batch.max(1)
    }
}

/// Validation accuracy after the fine-tune, with every pooling max and with every one average.
#[derive(Debug, Clone, PartialEq)]
pub struct Tuned {
    pub tune: FineTune,
    pub max: Option<f32>,
    pub avg: Option<f32>,
    /// Wall time of both fine-tunes and their validations, in seconds.
    pub seconds: f32,
}

/// Fine-tune `net` in place for `tune.steps` steps on `train`, reporting `done + images so
/// far` of `total`.
pub fn fine_tune(
    net: &mut Network,
    train: &Dataset,
    tune: &FineTune,
    (done, total): (usize, usize),
    progress: &Progress,
) -> Result<(), Stopped> {
    let mut opt = Sgd::new(tune.lr, tune.momentum, tune.weight_decay);
    let order = shuffled_indices(train.len(), &mut ChaCha8Rng::seed_from_u64(tune.seed));
    if order.is_empty() {
        return Ok(());
    }
    let (mut x, mut labels) = (Tensor::zeros((0, 1, 28, 28)), Vec::new());
    let batch = tune.batch.max(1);
    for step in 0..tune.steps {
        progress.report(done + step * batch, total)?;
        // The order wraps around when the fine-tune reads more than the training set.
        let indices: Vec<usize> = (0..batch)
            .map(|i| order[(step * batch + i) % order.len()])
            .collect();
        train.fill_batch(&indices, &mut x, &mut labels);
        net.train_step(&x, &labels, &mut opt);
    }
    Ok(())
}

/// Switch `net`'s pooling to each kind, fine-tune each copy and validate it; `net` itself is
/// left as it was. `done` images of `total` were reported before.
pub fn compute(
    net: &mut Network,
    (train, validation): (&Dataset, &Dataset),
    tune: &FineTune,
    (done, total): (usize, usize),
    progress: &Progress,
) -> Result<Tuned, Stopped> {
    let started = Instant::now();
    let per_kind = tune.images() + validation.len();
    let mut run = |kind: PoolKind, done: usize| -> Result<Option<f32>, Stopped> {
        let Some(mut copy) = with_pooling(net, kind) else {
            return Ok(None);
        };
        fine_tune(&mut copy, train, tune, (done, total), progress)?;
        let at = (done + tune.images(), total);
        accuracy(&mut copy, validation, at, progress).map(Some)
    };
    let max = run(PoolKind::Max, done)?;
    let avg = run(PoolKind::Avg, done + per_kind)?;
    Ok(Tuned {
        tune: *tune,
        max,
        avg,
        seconds: started.elapsed().as_secs_f32(),
    })
}

/// Units of progress `compute` reports.
pub fn total_units(tune: &FineTune, validation: usize) -> usize {
    2 * (tune.images() + validation)
}

#[cfg(test)]
mod tests;
