//! The model flags turned into a checked architecture, hyperparameters and data: every bad
//! value is a `UsageError` that names the flag and what it expects.

use super::{MAX_EPOCHS, MAX_THREADS, ModelArgs, UsageError};
use crate::config::{Arch, ConvBlock, Hyper, Preset, Schedule};
use crate::data::dataset::{DataError, Mnist};
use crate::nn::plan::{BATCH_RANGE, same_padding};

impl ModelArgs {
    /// The architecture the flags describe, checked.
    pub fn arch(&self) -> Result<Arch, UsageError> {
        let mut arch = Arch::preset(self.preset.unwrap_or(Preset::Default));
        if let Some(filters) = &self.filters {
            let template = arch.blocks[0];
            arch.blocks = filters
                .iter()
                .map(|&f| ConvBlock {
                    filters: f,
                    ..template
                })
                .collect();
        }
        for block in &mut arch.blocks {
            if let Some(k) = self.kernel {
                block.kernel = k;
                block.padding = same_padding(k);
            }
            block.stride = self.stride.unwrap_or(block.stride);
            block.padding = self.padding.unwrap_or(block.padding);
            block.pool = self.pool.unwrap_or(block.pool);
            block.pool_size = self.pool_size.unwrap_or(block.pool_size);
        }
        arch.plan()
            .map_err(|e| UsageError(format!("impossible architecture: {e}")))?;
        Ok(arch)
    }

    /// Hyperparameters from the flags over the defaults, checked.
    pub fn hyper(&self, epochs: usize, schedule: Schedule) -> Result<Hyper, UsageError> {
        self.hyper_over(Hyper::default(), epochs, schedule)
    }

    /// Hyperparameters from the flags over `d` (the defaults, or a checkpoint's), checked.
    pub fn hyper_over(
        &self,
        d: Hyper,
        epochs: usize,
        schedule: Schedule,
    ) -> Result<Hyper, UsageError> {
        check_threads(&[self.threads])?;
        let hyper = Hyper {
            lr: self.lr.unwrap_or(d.lr),
            momentum: self.momentum.unwrap_or(d.momentum),
            weight_decay: self.weight_decay.unwrap_or(d.weight_decay),
            batch: self.batch.unwrap_or(d.batch),
            seed: self.seed.unwrap_or(d.seed),
            schedule,
            epochs,
            validation: self.validation.unwrap_or(d.validation),
        };
        check_hyper(&hyper)?;
        Ok(hyper)
    }

    /// The built-in MNIST, or the folder given with `--data`. A `--validation` that leaves
    /// no training images is a usage error, as other bad flags are.
    pub fn load_data(&self, validation: usize) -> anyhow::Result<Mnist> {
        let data = match &self.data {
            Some(dir) => Mnist::from_dir(dir, validation),
            None => Mnist::builtin(validation),
        };
        data.map_err(|e| match e {
            DataError::ValidationTooLarge { .. } => UsageError(e.to_string()).into(),
            e => e.into(),
        })
    }
}

fn check_hyper(h: &Hyper) -> Result<(), UsageError> {
    let bad = |what: &str, expected: &str, got: String| {
        Err(UsageError(format!(
            "--{what} must be {expected}, got {got}"
        )))
    };
    if !(h.lr.is_finite() && h.lr > 0.0 && h.lr <= 10.0) {
        return bad("lr", "a number in (0, 10]", h.lr.to_string());
    }
    if !(0.0..1.0).contains(&h.momentum) {
        return bad("momentum", "in [0, 1)", h.momentum.to_string());
    }
    if !(h.weight_decay.is_finite() && h.weight_decay >= 0.0) {
        return bad(
            "weight-decay",
            "zero or positive",
            h.weight_decay.to_string(),
        );
    }
    if !BATCH_RANGE.contains(&h.batch) {
        return bad("batch", &format!("in {BATCH_RANGE:?}"), h.batch.to_string());
    }
    if !(1..=MAX_EPOCHS).contains(&h.epochs) {
        return bad(
            "epochs",
            &format!("in 1..={MAX_EPOCHS}"),
            h.epochs.to_string(),
        );
    }
    Ok(())
}

pub(super) fn check_threads(threads: &[usize]) -> Result<(), UsageError> {
    match threads.iter().find(|&&t| t > MAX_THREADS) {
        Some(t) => Err(UsageError(format!(
            "--threads must be in 0..={MAX_THREADS} (0 = every core), got {t}"
        ))),
        None => Ok(()),
    }
}
