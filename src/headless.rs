//! `cnn-tui train`: the trainer without a screen. A line per epoch (and a progress bar on a
//! terminal, or plain periodic lines in a pipe), or JSON lines for scripts with `--json`.
//!
//! JSON events, one object a line, each with `"event"`:
//! `start` (dataset, set sizes, arch, ledger totals, hyper, threads),
//! `resumed` (path, step, epochs_done; after `start`, when the run goes on from a checkpoint),
//! `progress` (epoch, step, progress, loss, lr, samples_per_sec; about ten an epoch),
//! `epoch` (epoch, train_loss, train_accuracy, val_loss, val_accuracy, samples_per_sec, elapsed_secs),
//! `saved` (path, step, epochs_done; after each epoch with `--save`),
//! `done` (epochs, test_loss, test_accuracy, elapsed_secs) — always the last line.

mod printer;

use crate::config::{Arch, Hyper};
use crate::data::dataset::Mnist;
use crate::metrics::MetricsSink;
use crate::number::compact;
use crate::train::ema::Ema;
use crate::train::messages::{Divergence, DivergenceCause, EvalMetrics, EvalSet};
use crate::train::trainer::Trainer;
use printer::{EpochTally, Printer};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// How the run is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Text with a progress bar (stdout is a terminal).
    Interactive,
    /// Text with plain periodic progress lines (stdout is a pipe or file).
    Plain,
    Json,
    /// Nothing printed (tests, and callers that only want the `RunSummary`).
    Quiet,
}

impl Output {
    pub fn detect(json: bool) -> Output {
        match (json, std::io::stdout().is_terminal()) {
            (true, _) => Output::Json,
            (false, true) => Output::Interactive,
            (false, false) => Output::Plain,
        }
    }
}

/// What a headless run does besides training and printing.
#[derive(Default)]
pub struct Extras {
    /// Write a checkpoint here after every epoch.
    pub save: Option<PathBuf>,
    /// Append every step's and evaluation's figures here.
    pub metrics: Option<MetricsSink>,
    /// The checkpoint the trainer was resumed from (to say so).
    pub resumed_from: Option<PathBuf>,
}

/// What a finished run measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunSummary {
    pub test: EvalMetrics,
    pub last_validation: Option<EvalMetrics>,
    pub elapsed_secs: f64,
}

/// Training diverged: the run stopped there. The command line exits with status 3.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("{}", describe(.0))]
pub struct Diverged(pub Divergence);

/// The exit status of a run that diverged.
pub const DIVERGED_EXIT: u8 = 3;

/// E.g. `diverged at step 412: loss NaN (not a number); try a lower --lr (it was 5) or --momentum (0.99)`.
pub fn describe(d: &Divergence) -> String {
    let what = match d.cause {
        DivergenceCause::LossNotFinite if d.loss.is_nan() => "loss NaN (not a number)".into(),
        DivergenceCause::LossNotFinite => "the loss overflowed to infinity".into(),
        DivergenceCause::WeightNotFinite => "a weight overflowed (not a finite number)".into(),
        DivergenceCause::LossTooHigh => format!(
            "the loss rose to {} (a blind guess scores 2.3)",
            compact(d.loss as f64, 2)
        ),
    };
    format!(
        "diverged at step {}: {what}; try a lower --lr (it was {}) or --momentum ({})",
        d.step,
        compact(d.lr as f64, 3),
        d.momentum
    )
}

/// Train a fresh network for `hyper.epochs` epochs, then evaluate it on the test set.
pub fn run(
    arch: &Arch,
    hyper: Hyper,
    data: Arc<Mnist>,
    threads: usize,
    output: Output,
) -> anyhow::Result<RunSummary> {
    let trainer = Trainer::new(arch, hyper, data, threads)?;
    run_trainer(trainer, output, Extras::default())
}

/// Train `trainer` (fresh or resumed) until `hyper.epochs` epochs are done, then evaluate it
/// on the test set.
pub fn run_trainer(
    mut trainer: Trainer,
    output: Output,
    mut extras: Extras,
) -> anyhow::Result<RunSummary> {
    let mut out = Printer {
        output,
        stdout: std::io::stdout().lock(),
        bar: None,
    };
    out.start(&trainer)?;
    if let Some(path) = &extras.resumed_from {
        out.resumed(path, &trainer)?;
    }
    let started = Instant::now();
    let mut last_validation = None;
    let planned = trainer.hyper().epochs;
    if trainer.epochs_done() >= planned {
        out.nothing_to_train(trainer.epochs_done())?;
    }
    let mut smoothed = Ema::default();
    while trainer.epochs_done() < planned {
        let epoch = trainer.epochs_done();
        let tally = match train_epoch(&mut trainer, &mut out, &mut extras.metrics, &mut smoothed)? {
            Ok(tally) => tally,
            Err(d) => {
                out.diverged(&d)?;
                out.flush()?;
                return Err(Diverged(d).into());
            }
        };
        let val =
            (!trainer.data().validation.is_empty()).then(|| trainer.evaluate(EvalSet::Validation));
        if let (Some(sink), Some(v)) = (&mut extras.metrics, &val) {
            sink.eval(v)?;
        }
        out.epoch(epoch, &tally, val.as_ref(), started.elapsed().as_secs_f64())?;
        last_validation = val.or(last_validation);
        if let Some(path) = &extras.save {
            trainer.save(path)?;
            out.saved(path, &trainer)?;
        }
    }
    let test = trainer.evaluate(EvalSet::Test);
    if let Some(sink) = &mut extras.metrics {
        sink.eval(&test)?;
    }
    let elapsed_secs = started.elapsed().as_secs_f64();
    out.done(planned, &test, elapsed_secs)?;
    out.flush()?;
    Ok(RunSummary {
        test,
        last_validation,
        elapsed_secs,
    })
}

/// The rest of the current epoch (all of it, unless the run was resumed in its middle).
fn train_epoch(
    trainer: &mut Trainer,
    out: &mut Printer,
    metrics: &mut Option<MetricsSink>,
    smoothed: &mut Ema,
) -> anyhow::Result<Result<EpochTally, Divergence>> {
    let steps = trainer.steps_per_epoch();
    let train_len = trainer.data().train.len();
    let mut seen = trainer.samples_into_epoch();
    out.begin_epoch(
        trainer.epochs_done(),
        steps,
        seen.div_ceil(trainer.hyper().batch),
    );
    let report_every = (steps / 10).max(1);
    let mut tally = EpochTally::default();
    let t0 = Instant::now();
    loop {
        let m = match trainer.step() {
            Ok(m) => m,
            Err(d) => return Ok(Err(d)),
        };
        // The last batch of an epoch may be short: count the samples this step really saw.
        let done = (m.epoch_progress as f64 * train_len as f64).round() as usize;
        let samples = done.saturating_sub(seen);
        seen = done;
        tally.correct += m.batch_accuracy as f64 * samples as f64;
        tally.samples += samples;
        tally.loss += m.loss as f64;
        tally.steps += 1;
        if let Some(sink) = metrics {
            sink.step(&m)?;
        }
        let last = trainer.epoch_done();
        let loss = smoothed.push(m.loss as f64).unwrap_or(m.loss as f64);
        out.progress(&m, loss, tally.steps % report_every == 0, last)?;
        if last {
            break;
        }
    }
    tally.train_secs = t0.elapsed().as_secs_f64();
    Ok(Ok(tally))
}

/// One line for an architecture, e.g. `conv 8@3×3 s1 p1 → max 2 → conv 16@3×3 s1 p1 → max 2 → dense`.
pub fn describe_arch(arch: &Arch) -> String {
    let mut parts: Vec<String> = Vec::new();
    for b in &arch.blocks {
        parts.push(format!(
            "conv {}@{}×{} s{} p{} → ReLU",
            b.filters, b.kernel, b.kernel, b.stride, b.padding
        ));
        if b.pool != crate::config::PoolKind::None {
            parts.push(format!("{}-pool {}", b.pool, b.pool_size));
        }
    }
    let dense_in = arch.plan().map(|p| p.dense_inputs()).unwrap_or(0);
    parts.push(format!("dense {dense_in}→10 → softmax"));
    parts.join(" → ")
}
