//! `cnn-tui train`: a fresh or resumed trainer, and what the run keeps (`--save`, `--metrics`).

use super::{DEFAULT_EPOCHS, ModelArgs, TrainArgs, UsageError};
use crate::checkpoint;
use crate::config::Schedule;
use crate::headless::{self, Extras, Output};
use crate::metrics::MetricsSink;
use crate::train::trainer::Trainer;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(super) fn train(args: &TrainArgs) -> anyhow::Result<()> {
    let trainer = match &args.load {
        Some(path) => resume(args, path)?,
        None => {
            let arch = args.model.arch()?;
            let epochs = args.epochs.unwrap_or(DEFAULT_EPOCHS);
            let schedule = args.schedule.unwrap_or(Schedule::Cosine);
            let hyper = args.model.hyper(epochs, schedule)?;
            let data = Arc::new(args.model.load_data(hyper.validation)?);
            Trainer::new(&arch, hyper, data, args.model.threads)?
        }
    };
    let extras = Extras {
        save: args.save.clone().map(check_save).transpose()?,
        metrics: args
            .metrics
            .as_deref()
            .map(MetricsSink::create)
            .transpose()
            .map_err(usage)?,
        resumed_from: args.load.clone(),
    };
    headless::run_trainer(trainer, Output::detect(args.json), extras)?;
    Ok(())
}

pub(super) fn usage(e: impl std::fmt::Display) -> UsageError {
    UsageError(e.to_string())
}

/// `--save FILE` must be writable now, not only after the first epoch's work.
fn check_save(path: PathBuf) -> Result<PathBuf, UsageError> {
    checkpoint::check_writable(&path).map_err(usage)?;
    Ok(path)
}

/// A trainer that goes on from the checkpoint at `path`. A checkpoint that cannot be used
/// is a usage error (exit 2), and nothing is written.
fn resume(args: &TrainArgs, path: &Path) -> anyhow::Result<Trainer> {
    let flags = arch_flags(&args.model);
    if !flags.is_empty() {
        return Err(UsageError(format!(
            "--load takes the network and the seed from the checkpoint; drop {}",
            flags.join(", ")
        ))
        .into());
    }
    let ckpt = checkpoint::load(path).map_err(usage)?;
    let base = ckpt.meta.hyper;
    let epochs = args.epochs.unwrap_or(base.epochs);
    let schedule = args.schedule.unwrap_or(base.schedule);
    let hyper = args.model.hyper_over(base, epochs, schedule)?;
    let data = Arc::new(args.model.load_data(hyper.validation)?);
    let saved = ckpt.meta.state.train_samples;
    if saved != data.train.len() {
        eprintln!(
            "cnn-tui: note: the checkpoint was trained on {saved} training images, this run has {}: it goes on, but not as the saved run would have",
            data.train.len()
        );
    }
    Ok(Trainer::resume(ckpt, hyper, data, args.model.threads)?)
}

/// The flags that set the network, which `--load` takes from the checkpoint instead.
pub(super) fn arch_flags(m: &ModelArgs) -> Vec<&'static str> {
    let given = [
        (m.preset.is_some(), "--preset"),
        (m.filters.is_some(), "--filters"),
        (m.kernel.is_some(), "--kernel"),
        (m.stride.is_some(), "--stride"),
        (m.padding.is_some(), "--padding"),
        (m.pool.is_some(), "--pool"),
        (m.pool_size.is_some(), "--pool-size"),
        (m.seed.is_some(), "--seed"),
    ];
    given.into_iter().filter(|g| g.0).map(|g| g.1).collect()
}
