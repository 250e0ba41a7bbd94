//! `cnn-tui train`: the trainer without a screen. A line per epoch (and a progress bar on a
//! terminal, or plain periodic lines in a pipe), or JSON lines for scripts with `--json`.
//!
//! JSON events, one object a line, each with `"event"`:
//! `start` (dataset, set sizes, arch, ledger totals, hyper, threads),
//! `progress` (epoch, step, progress, loss, lr, samples_per_sec; about ten an epoch),
//! `epoch` (epoch, train_loss, train_accuracy, val_loss, val_accuracy, samples_per_sec, elapsed_secs),
//! `done` (epochs, test_loss, test_accuracy, elapsed_secs) — always the last line.

use crate::config::{Arch, Hyper};
use crate::data::dataset::Mnist;
use crate::train::messages::{EvalMetrics, EvalSet, StepMetrics};
use crate::train::trainer::Trainer;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::io::{IsTerminal, Write};
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

/// What a finished run measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunSummary {
    pub test: EvalMetrics,
    pub last_validation: Option<EvalMetrics>,
    pub elapsed_secs: f64,
}

/// Sums of one epoch's steps.
#[derive(Default)]
struct EpochTally {
    loss: f64,
    correct: f64,
    steps: usize,
    samples: usize,
    train_secs: f64,
}

pub fn run(
    arch: &Arch,
    hyper: Hyper,
    data: Arc<Mnist>,
    threads: usize,
    output: Output,
) -> anyhow::Result<RunSummary> {
    let mut trainer = Trainer::new(arch, hyper, data, threads)?;
    let mut out = Printer {
        output,
        stdout: std::io::stdout().lock(),
        bar: None,
    };
    out.start(&trainer, threads)?;
    let started = Instant::now();
    let mut last_validation = None;
    for epoch in 0..hyper.epochs {
        let tally = train_epoch(&mut trainer, &mut out, epoch)?;
        let val =
            (!trainer.data().validation.is_empty()).then(|| trainer.evaluate(EvalSet::Validation));
        out.epoch(epoch, &tally, val.as_ref(), started.elapsed().as_secs_f64())?;
        last_validation = val.or(last_validation);
    }
    let test = trainer.evaluate(EvalSet::Test);
    let elapsed_secs = started.elapsed().as_secs_f64();
    out.done(hyper.epochs, &test, elapsed_secs)?;
    Ok(RunSummary {
        test,
        last_validation,
        elapsed_secs,
    })
}

fn train_epoch(
    trainer: &mut Trainer,
    out: &mut Printer,
    epoch: usize,
) -> anyhow::Result<EpochTally> {
    let steps = trainer.steps_per_epoch();
    out.begin_epoch(epoch, steps);
    let report_every = (steps / 10).max(1);
    let mut tally = EpochTally::default();
    let train_len = trainer.data().train.len();
    let t0 = Instant::now();
    loop {
        let m = trainer.step();
        // The last batch of an epoch may be short: count the samples this step really saw.
        let done = (m.epoch_progress as f64 * train_len as f64).round() as usize;
        tally.correct += m.batch_accuracy as f64 * done.saturating_sub(tally.samples) as f64;
        tally.samples = done;
        tally.loss += m.loss as f64;
        tally.steps += 1;
        out.progress(&m, tally.steps % report_every == 0, tally.steps == steps)?;
        if trainer.epoch_done() {
            break;
        }
    }
    tally.train_secs = t0.elapsed().as_secs_f64();
    Ok(tally)
}

struct Printer<'a> {
    output: Output,
    stdout: std::io::StdoutLock<'a>,
    bar: Option<ProgressBar>,
}

impl Printer<'_> {
    fn line(&mut self, text: impl std::fmt::Display) -> std::io::Result<()> {
        if self.output == Output::Quiet {
            return Ok(());
        }
        match &self.bar {
            Some(bar) => {
                bar.println(text.to_string());
                Ok(())
            }
            None => writeln!(self.stdout, "{text}"),
        }
    }

    fn start(&mut self, trainer: &Trainer, threads: usize) -> std::io::Result<()> {
        let data = trainer.data();
        let plan = trainer.network().plan();
        let h = trainer.hyper();
        let threads = if threads == 0 {
            rayon::current_num_threads()
        } else {
            threads
        };
        if self.output == Output::Json {
            let v = json!({
                "event": "start", "dataset": data.name, "train": data.train.len(),
                "validation": data.validation.len(), "test": data.test.len(),
                "arch": trainer.arch(), "params": plan.total_params(),
                "dense_equivalent_params": plan.dense_equivalent_params(), "hyper": h, "threads": threads,
            });
            return self.line(v);
        }
        let sizes = format!(
            "{} train / {} validation / {} test",
            data.train.len(),
            data.validation.len(),
            data.test.len()
        );
        self.line(format_args!("data     {} — {sizes}", data.name))?;
        self.line(format_args!("network  {}", describe_arch(&trainer.arch())))?;
        self.line(format_args!(
            "         {} parameters (a fully connected net of the same widths would need {})",
            plan.total_params(),
            plan.dense_equivalent_params()
        ))?;
        self.line(format_args!(
            "training lr {} ({} schedule), momentum {}, weight decay {}, batch {}, seed {}, {threads} threads",
            h.lr,
            format!("{:?}", h.schedule).to_lowercase(),
            h.momentum,
            h.weight_decay,
            h.batch,
            h.seed
        ))
    }

    fn begin_epoch(&mut self, epoch: usize, steps: usize) {
        if self.output == Output::Interactive {
            let bar = ProgressBar::new(steps as u64).with_style(
                ProgressStyle::with_template("epoch {prefix} {bar:30} {pos}/{len} steps  {msg}")
                    .expect("a valid template"),
            );
            bar.set_prefix((epoch + 1).to_string());
            self.bar = Some(bar);
        }
    }

    fn progress(&mut self, m: &StepMetrics, periodic: bool, last: bool) -> std::io::Result<()> {
        match self.output {
            Output::Interactive => {
                if let Some(bar) = &self.bar {
                    bar.set_position(bar.position() + 1);
                    if periodic || last {
                        bar.set_message(format!("loss {:.4}  {:.0} samples/s", m.loss, m.samples_per_sec));
                    }
                }
                Ok(())
            }
            Output::Quiet => Ok(()),
            _ if !periodic || last => Ok(()),
            Output::Plain => self.line(format_args!(
                "  epoch {} {:>3.0}%  step {}  loss {:.4}  lr {:.4}  {:.0} samples/s",
                m.epoch + 1,
                m.epoch_progress * 100.0,
                m.step,
                m.loss,
                m.lr,
                m.samples_per_sec
            )),
            Output::Json => self.line(json!({
                "event": "progress", "epoch": m.epoch + 1, "step": m.step, "progress": m.epoch_progress,
                "loss": m.loss, "lr": m.lr, "samples_per_sec": m.samples_per_sec,
            })),
        }
    }

    fn epoch(
        &mut self,
        epoch: usize,
        t: &EpochTally,
        val: Option<&EvalMetrics>,
        elapsed: f64,
    ) -> std::io::Result<()> {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let loss = t.loss / t.steps.max(1) as f64;
        let acc = t.correct / t.samples.max(1) as f64;
        let speed = t.samples as f64 / t.train_secs.max(1e-9);
        if self.output == Output::Json {
            return self.line(json!({
                "event": "epoch", "epoch": epoch + 1, "train_loss": loss, "train_accuracy": acc,
                "val_loss": val.map(|v| v.loss), "val_accuracy": val.map(|v| v.accuracy),
                "samples_per_sec": speed, "elapsed_secs": elapsed,
            }));
        }
        let val = val.map_or("no validation set".to_string(), |v| {
            format!("val loss {:.4}  val acc {:.2}%", v.loss, v.accuracy * 100.0)
        });
        self.line(format_args!(
            "epoch {:>2}  train loss {loss:.4}  {val}  {speed:>6.0} samples/s  {elapsed:>6.1} s",
            epoch + 1
        ))
    }

    fn done(&mut self, epochs: usize, test: &EvalMetrics, elapsed: f64) -> std::io::Result<()> {
        if self.output == Output::Json {
            return self.line(json!({
                "event": "done", "epochs": epochs, "test_loss": test.loss,
                "test_accuracy": test.accuracy, "test_samples": test.samples, "elapsed_secs": elapsed,
            }));
        }
        self.line(format_args!(
            "test accuracy {:.2}% (loss {:.4}) on {} images after {epochs} epochs, {elapsed:.1} s",
            test.accuracy * 100.0,
            test.loss,
            test.samples
        ))
    }
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
