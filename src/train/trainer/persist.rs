//! A trainer to and from a checkpoint: the weights, the momentum, and where the run is in
//! its epoch, so that a resumed run takes the same batches and reaches the same weights as
//! one that never stopped (same thread count: the parallel sums are split by thread).

use super::{TrainError, Trainer};
use crate::checkpoint::{self, Checkpoint, CheckpointError, Meta, RunState};
use crate::config::Hyper;
use crate::data::dataset::Mnist;
use crate::nn::Sgd;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::path::Path;
use std::sync::Arc;

impl Trainer {
    /// Everything besides the tensors that a checkpoint records of this run.
    pub fn checkpoint_meta(&self) -> Meta {
        Meta {
            arch: self.arch(),
            hyper: self.hyper,
            step: self.step,
            epoch: self.epoch,
            state: RunState {
                cursor: self.cursor,
                shuffle_word_pos: self.epoch_word_pos.to_string(),
                rebuilds: self.rebuilds,
                train_samples: self.data.train.len(),
            },
        }
    }

    /// Save the run to `path` (atomically; see `checkpoint::save`).
    pub fn save(&mut self, path: &Path) -> Result<(), CheckpointError> {
        let meta = self.checkpoint_meta();
        checkpoint::save(&mut self.net, self.opt.velocity(), &meta, path)
    }

    /// A trainer that goes on from `ckpt` where it stopped: its weights, momentum, step,
    /// epoch and place in the epoch's shuffled order. `hyper` is the checkpoint's own, or
    /// with the changes the caller allows (see `restore`).
    pub fn resume(
        ckpt: Checkpoint,
        hyper: Hyper,
        data: Arc<Mnist>,
        threads: usize,
    ) -> Result<Trainer, TrainError> {
        let mut trainer = Trainer::new(&ckpt.meta.arch, hyper, data, threads)?;
        trainer.restore(ckpt, hyper)?;
        Ok(trainer)
    }

    /// Replace this run by the checkpoint's, keeping the data and the threads (the
    /// dashboard's load key; `checkpoint::load` has checked everything, so on an error
    /// here nothing has changed). The seed is always the checkpoint's: the order of the
    /// batches depends on it. A training set of another size gets a fresh order from the
    /// same generator, and the run is no longer the same as one that never stopped.
    pub fn restore(&mut self, ckpt: Checkpoint, hyper: Hyper) -> Result<(), TrainError> {
        if hyper.batch == 0 {
            return Err(TrainError::EmptyBatch);
        }
        let meta = ckpt.meta;
        self.hyper = Hyper {
            seed: meta.hyper.seed,
            ..hyper
        };
        self.net = ckpt.network;
        self.opt = Sgd::new(hyper.lr, hyper.momentum, hyper.weight_decay);
        self.opt.set_velocity(ckpt.velocity);
        self.step = meta.step;
        self.epoch = meta.epoch;
        self.rebuilds = meta.state.rebuilds;
        let pos = meta.state.shuffle_word_pos.parse().unwrap_or(0);
        self.shuffle_rng = ChaCha8Rng::seed_from_u64(self.hyper.seed.wrapping_add(1));
        self.shuffle_rng.set_word_pos(pos);
        self.start_epoch();
        self.cursor = meta.state.cursor.min(self.order.len());
        self.pause_clock();
        Ok(())
    }

    /// Samples of the current epoch already used: 0 when the next step starts an epoch.
    pub fn samples_into_epoch(&self) -> usize {
        if self.epoch_done() { 0 } else { self.cursor }
    }

    /// Epochs whose every sample has been used (an epoch counts once its last batch ran).
    pub fn epochs_done(&self) -> usize {
        self.epoch + usize::from(self.epoch_done())
    }
}
