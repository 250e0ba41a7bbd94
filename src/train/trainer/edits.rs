//! Changes to a running trainer: hyperparameters, a rebuilt architecture, a reset to the
//! initial weights and a rewind to the last good ones after a divergence.

use super::{TrainError, Trainer, init_network};
use crate::config::{Arch, Hyper};
use crate::nn::plan::ArchError;
use crate::train::messages::Rewind;
use crate::train::rebuild::{self, RebuildOutcome};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

impl Trainer {
    /// New learning rate, momentum, batch size or weight decay: they apply from the next step.
    /// (Seed, schedule and validation size are fixed for a run.)
    pub fn set_hyper(&mut self, hyper: Hyper) -> Result<(), TrainError> {
        if hyper.batch == 0 {
            return Err(TrainError::EmptyBatch);
        }
        self.hyper = Hyper {
            seed: self.hyper.seed,
            validation: self.hyper.validation,
            ..hyper
        };
        self.opt.momentum = hyper.momentum;
        self.opt.weight_decay = hyper.weight_decay;
        Ok(())
    }

    /// Rebuild for a new architecture, keeping the trained weights of every layer whose
    /// parameter shapes did not change. Refused (and nothing changes) when impossible.
    pub fn set_arch(&mut self, arch: &Arch) -> Result<RebuildOutcome, ArchError> {
        self.rebuilds += 1;
        let seed = self.hyper.seed.wrapping_add(1000 * self.rebuilds);
        let mut fresh = init_network(arch, seed)?;
        let outcome = rebuild::transfer(&mut self.net, &mut fresh);
        self.net = fresh;
        // Momentum refers to the old parameters; start it again.
        self.opt.reset_velocity();
        // Kept copies have the old shapes: the rebuilt weights are the good ones now.
        self.guard.restart(&mut self.net, self.step);
        Ok(outcome)
    }

    /// Back to the initial weights of the seed, step 0, with the current architecture.
    pub fn reset(&mut self) {
        let arch = self.arch();
        self.net =
            init_network(&arch, self.hyper.seed).expect("the current architecture was valid");
        self.opt.reset_velocity();
        self.shuffle_rng = ChaCha8Rng::seed_from_u64(self.hyper.seed.wrapping_add(1));
        self.step = 0;
        self.epoch = 0;
        self.rebuilds = 0;
        self.diverged = None;
        self.guard.restart(&mut self.net, 0);
        self.reset_baseline();
        self.pause_clock();
        self.start_epoch();
    }

    /// After a divergence: the weights kept last (every few hundred steps while the loss
    /// behaved), momentum cleared and half the learning rate. The step count goes on.
    /// `None` (and nothing changes) when training has not diverged.
    pub fn rewind(&mut self) -> Option<Rewind> {
        let d = self.diverged.take()?;
        let restored = self.guard.good().restore(&mut self.net);
        // The guard restarts on every rebuild, so its copy always has the network's shapes.
        assert!(restored, "the kept weights fit the network");
        self.opt.reset_velocity();
        let lr_before = self.hyper.lr;
        self.hyper.lr = lr_before / 2.0;
        self.guard.rewound(self.step);
        self.pause_clock();
        Some(Rewind {
            from_step: d.step,
            to_step: self.guard.good_step(),
            lr_before,
            lr_after: self.hyper.lr,
        })
    }
}
