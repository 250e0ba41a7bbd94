//! What `cnn-tui train` prints: text (with a progress bar on a terminal) or JSON lines.

use super::{Output, describe, describe_arch};
use crate::number::{as_given, compact, plural};
use crate::train::messages::{Divergence, DivergenceCause, EvalMetrics, StepMetrics};
use crate::train::trainer::Trainer;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::io::Write;
use std::path::Path;

const STDOUT: &str = "cannot write to standard output";

pub(super) struct Printer<'a> {
    pub output: Output,
    pub stdout: std::io::StdoutLock<'a>,
    pub bar: Option<ProgressBar>,
}

/// Sums of one epoch's steps.
#[derive(Default)]
pub(super) struct EpochTally {
    pub loss: f64,
    pub correct: f64,
    pub steps: usize,
    pub samples: usize,
    pub train_secs: f64,
}

impl Printer<'_> {
    /// A write error ends the run: a closed pipe quietly (see `cli::is_broken_pipe`), a full
    /// disk with this message.
    fn line(&mut self, text: impl std::fmt::Display) -> anyhow::Result<()> {
        if self.output == Output::Quiet {
            return Ok(());
        }
        match &self.bar {
            Some(bar) => bar.println(text.to_string()),
            None => writeln!(self.stdout, "{text}").context(STDOUT)?,
        }
        Ok(())
    }

    /// Push out what is buffered, so that its error (if any) is seen here and not lost.
    pub fn flush(&mut self) -> anyhow::Result<()> {
        self.stdout.flush().context(STDOUT)
    }

    pub fn start(&mut self, trainer: &Trainer) -> anyhow::Result<()> {
        let data = trainer.data();
        let plan = trainer.network().plan();
        let h = trainer.hyper();
        // The trainer's own pool: asking rayon's global pool would start it, and a failure
        // to start threads there is a panic, not an error.
        let threads = trainer.threads();
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

    /// A progress bar for epoch `epoch` (0-based) of `steps` steps, `done` of them already.
    pub fn begin_epoch(&mut self, epoch: usize, steps: usize, done: usize) {
        if self.output == Output::Interactive {
            let bar = ProgressBar::new(steps as u64).with_style(
                ProgressStyle::with_template("epoch {prefix} {bar:30} {pos}/{len} steps  {msg}")
                    .expect("a valid template"),
            );
            bar.set_prefix((epoch + 1).to_string());
            bar.set_position(done as u64);
            self.bar = Some(bar);
        }
    }

    /// One step's progress; `loss` is the smoothed loss (one batch's loss jumps about).
    pub fn progress(
        &mut self,
        m: &StepMetrics,
        loss: f64,
        periodic: bool,
        last: bool,
    ) -> anyhow::Result<()> {
        match self.output {
            Output::Interactive => {
                if let Some(bar) = &self.bar {
                    bar.set_position(bar.position() + 1);
                    if periodic || last {
                        bar.set_message(format!(
                            "loss {loss:.4} (smoothed)  {:.0} samples/s",
                            m.samples_per_sec
                        ));
                    }
                }
                Ok(())
            }
            Output::Quiet => Ok(()),
            _ if !periodic || last => Ok(()),
            Output::Plain => self.line(format_args!(
                "  epoch {} {:>3.0}%  step {}  loss {loss:.4} (smoothed)  lr {}  {:.0} samples/s",
                m.epoch + 1,
                m.epoch_progress * 100.0,
                m.step,
                compact(m.lr as f64, 3),
                m.samples_per_sec
            )),
            Output::Json => self.line(json!({
                "event": "progress", "epoch": m.epoch + 1, "step": m.step,
                "progress": as_given(m.epoch_progress), "loss": as_given(loss as f32),
                "batch_loss": as_given(m.loss), "lr": as_given(m.lr),
                "samples_per_sec": m.samples_per_sec.round(),
            })),
        }
    }

    pub fn epoch(
        &mut self,
        epoch: usize,
        t: &EpochTally,
        val: Option<&EvalMetrics>,
        elapsed: f64,
    ) -> anyhow::Result<()> {
        self.clear_bar();
        let loss = t.loss / t.steps.max(1) as f64;
        let acc = t.correct / t.samples.max(1) as f64;
        let speed = t.samples as f64 / t.train_secs.max(1e-9);
        if self.output == Output::Json {
            return self.line(json!({
                "event": "epoch", "epoch": epoch + 1, "train_loss": as_given(loss as f32),
                "train_accuracy": as_given(acc as f32),
                "val_loss": val.and_then(|v| as_given(v.loss)),
                "val_accuracy": val.and_then(|v| as_given(v.accuracy)),
                "samples_per_sec": speed.round(), "elapsed_secs": as_given(elapsed as f32),
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

    pub fn done(&mut self, epochs: usize, test: &EvalMetrics, elapsed: f64) -> anyhow::Result<()> {
        if self.output == Output::Json {
            return self.line(json!({
                "event": "done", "epochs": epochs, "test_loss": as_given(test.loss),
                "test_accuracy": as_given(test.accuracy), "test_samples": test.samples,
                "elapsed_secs": as_given(elapsed as f32),
            }));
        }
        self.line(format_args!(
            "test accuracy {:.2}% (loss {:.4}) on {} images after {}, {elapsed:.1} s",
            test.accuracy * 100.0,
            test.loss,
            test.samples,
            plural(epochs, "epoch")
        ))
    }
    /// The run goes on from a checkpoint.
    pub fn resumed(&mut self, path: &Path, trainer: &Trainer) -> anyhow::Result<()> {
        let (step, epochs) = (trainer.step_count(), trainer.epochs_done());
        if self.output == Output::Json {
            return self.line(json!({
                "event": "resumed", "path": path.display().to_string(), "step": step,
                "epochs_done": epochs,
            }));
        }
        self.line(format_args!(
            "resumed  {} at step {step}, {epochs} of {} epochs done",
            path.display(),
            trainer.hyper().epochs
        ))
    }

    /// A checkpoint was written.
    pub fn saved(&mut self, path: &Path, trainer: &Trainer) -> anyhow::Result<()> {
        let (step, epochs) = (trainer.step_count(), trainer.epochs_done());
        if self.output == Output::Json {
            return self.line(json!({
                "event": "saved", "path": path.display().to_string(), "step": step,
                "epochs_done": epochs,
            }));
        }
        self.line(format_args!(
            "saved    {} (step {step}, epoch {epochs})",
            path.display()
        ))
    }

    /// A resumed run that has already trained every planned epoch.
    pub fn nothing_to_train(&mut self, done: usize) -> anyhow::Result<()> {
        if self.output == Output::Json {
            return Ok(());
        }
        self.line(format_args!(
            "nothing to train: the checkpoint has done {done} epochs, as many as planned; \
             give --epochs N (more than {done}) to train on"
        ))
    }

    fn clear_bar(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }

    /// The last line of a run that diverged (the command line also says it on stderr).
    pub fn diverged(&mut self, d: &Divergence) -> anyhow::Result<()> {
        self.clear_bar();
        if self.output != Output::Json {
            return Ok(());
        }
        let cause = match d.cause {
            DivergenceCause::LossNotFinite => "loss_not_finite",
            DivergenceCause::WeightNotFinite => "weight_not_finite",
            DivergenceCause::LossTooHigh => "loss_too_high",
        };
        self.line(json!({
            "event": "diverged", "step": d.step, "loss": as_given(d.loss), "cause": cause,
            "lr": as_given(d.lr), "momentum": as_given(d.momentum), "message": describe(d),
        }))
    }
}
