//! The worker's loop around the trainer: between batches it drains commands; while paused it
//! blocks on them; below full speed it waits for the next batch on them too (the CPU idles and
//! a command still answers at once). It streams updates at a bounded rate (every batch below
//! full speed), and stops stepping when training diverges. A validation runs a slice at a
//! time, with commands answered between slices and no training step until it is done.

mod commands;
mod eval;

pub use eval::EVAL_EVERY_STEPS;
use eval::{FIRST_EVAL_STEP, Validation};

use super::analysis::Analyst;
use super::analysis::lab::{LabInput, LabTrace};
use super::baseline::{BaselineStep, BaselineUpdate};
use super::intake::Intake;
use super::messages::{Command, Divergence, LayerSample, StepMetrics, Update, WorkerStatus};
use super::pace::Limiter;
use super::trainer::Trainer;
use super::worker::{STATS_EVERY, UPDATE_INTERVAL, WorkerConfig};
use crate::checkpoint::Checkpoint;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

/// The worker's state between batches.
struct Loop<'a, F: Fn(Update) -> bool> {
    trainer: Trainer,
    send: &'a F,
    paused: bool,
    steps_to_run: usize,
    probe: usize,
    pending: Vec<StepMetrics>,
    last_flush: Instant,
    next_eval: usize,
    /// Step of the last start, reset, rebuild or rewind: the early validations count from it.
    eval_base: usize,
    limiter: Limiter,
    /// A divergence paused a running worker: a reset or a rewind lets it run again.
    resume_on_recovery: bool,
    /// Runs the jobs that read a whole split, on a copy of the weights.
    analyst: Analyst,
    /// The labs' image, traced with every snapshot while set.
    lab: Option<LabInput>,
    /// The baseline's steps not sent yet.
    pending_baseline: Vec<BaselineStep>,
    /// Per-layer statistics not sent yet.
    pending_stats: Vec<LayerSample>,
    /// The validation under way: training waits for it, commands do not.
    evaluation: Option<Validation>,
}

/// Ends with `Ok` when told to quit or when nobody listens any more.
pub(super) fn run(
    config: WorkerConfig,
    resume: Option<Checkpoint>,
    rx: &Receiver<Command>,
    send: &impl Fn(Update) -> bool,
    analyst: Analyst,
) -> Result<(), String> {
    let trainer = match resume {
        Some(ckpt) => Trainer::resume(ckpt, config.hyper, config.data, config.threads),
        None => Trainer::new(&config.arch, config.hyper, config.data, config.threads),
    }
    .map_err(|e| e.to_string())?;
    // The baseline trains only once the dashboard asks (`Command::StartBaseline`).
    let start = trainer.step_count();
    let mut state = Loop {
        trainer,
        send,
        paused: config.paused,
        steps_to_run: 0,
        probe: config.probe,
        pending: Vec::new(),
        last_flush: Instant::now(),
        next_eval: start + FIRST_EVAL_STEP,
        eval_base: start,
        limiter: Limiter::new(config.pace),
        resume_on_recovery: false,
        analyst,
        lab: None,
        pending_baseline: Vec::new(),
        pending_stats: Vec::new(),
        evaluation: None,
    };
    state.start_eval();
    if !state.announce() {
        return Ok(());
    }
    let mut intake = Intake::new(rx);
    while let Some(cmd) = state.next_command(&mut intake) {
        if !state.apply(cmd) {
            break;
        }
    }
    Ok(())
}

impl<F: Fn(Update) -> bool> Loop<'_, F> {
    pub(super) fn status(&self, s: WorkerStatus) -> bool {
        (self.send)(Update::Status(s))
    }

    /// Everything the driver shows of the worker: running or paused, settings, a snapshot.
    fn announce(&mut self) -> bool {
        let running = if self.paused {
            WorkerStatus::Paused
        } else {
            WorkerStatus::Running
        };
        self.status(running)
            && self.status(WorkerStatus::Hyper(*self.trainer.hyper()))
            && self.status(WorkerStatus::Pace(self.limiter.pace()))
            && self.send_snapshot()
    }

    fn send_snapshot(&mut self) -> bool {
        let snap = self.trainer.snapshot(self.probe);
        let lab = self.lab.clone().map(|input| {
            let image = input.image(snap.probe_image.view());
            let (feature_maps, probabilities) = self.trainer.trace_image(image.view());
            let mlp = self
                .trainer
                .baseline_answers(&[snap.probe_image.view(), image.view()])
                .map(|a| [a[0], a[1]]);
            LabTrace {
                step: snap.step,
                input,
                image,
                feature_maps,
                probabilities,
                mlp,
            }
        });
        let weights = self.trainer.baseline_weights();
        (self.send)(Update::Snapshot(Box::new(snap)))
            && lab.is_none_or(|t| (self.send)(Update::Lab(Box::new(t))))
            && weights.is_none_or(|w| self.send_baseline(BaselineUpdate::Weights(Box::new(w))))
    }

    fn send_baseline(&self, update: BaselineUpdate) -> bool {
        (self.send)(Update::Baseline(update))
    }

    /// The metrics of the steps not sent yet.
    fn send_steps(&mut self) -> bool {
        self.last_flush = Instant::now();
        if self.pending.is_empty() {
            return true;
        }
        let steps = std::mem::take(&mut self.pending);
        let baseline = std::mem::take(&mut self.pending_baseline);
        let stats = std::mem::take(&mut self.pending_stats);
        (self.send)(Update::Steps(steps))
            && (baseline.is_empty() || self.send_baseline(BaselineUpdate::Steps(baseline)))
            && (stats.is_empty() || (self.send)(Update::Layers(stats)))
    }

    /// The steps not sent yet and, if there were any, a snapshot of where they led.
    fn flush(&mut self) -> bool {
        let any = !self.pending.is_empty();
        self.send_steps() && (!any || self.send_snapshot())
    }

    /// The next command; while running, trains between polls (returning `Some` only for a
    /// real command); `None` when the command channel is closed. A closed update channel
    /// turns into `Quit`.
    fn next_command(&mut self, rx: &mut Intake) -> Option<Command> {
        loop {
            if self.evaluation.is_some() {
                match rx.try_recv() {
                    Ok(cmd) => return Some(cmd),
                    Err(TryRecvError::Disconnected) => return None,
                    Err(TryRecvError::Empty) => {}
                }
                if !self.continue_eval() {
                    return Some(Command::Quit);
                }
                continue;
            }
            if self.paused && self.steps_to_run == 0 {
                return match rx.recv_timeout(Duration::from_secs(1)) {
                    Ok(cmd) => Some(cmd),
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Disconnected) => None,
                };
            }
            let wait = if self.steps_to_run > 0 {
                Duration::ZERO
            } else {
                self.limiter.wait(Instant::now())
            };
            if wait.is_zero() {
                match rx.try_recv() {
                    Ok(cmd) => return Some(cmd),
                    Err(TryRecvError::Disconnected) => return None,
                    Err(TryRecvError::Empty) => {}
                }
            } else {
                // Sleep until the next batch is due, waking at once for a command.
                match rx.recv_timeout(wait) {
                    Ok(cmd) => return Some(cmd),
                    Err(RecvTimeoutError::Disconnected) => return None,
                    Err(RecvTimeoutError::Timeout) => {}
                }
            }
            if !self.train_one() {
                return Some(Command::Quit);
            }
        }
    }

    /// One batch, then whatever is due: metrics, snapshot, validation. Below full speed every
    /// batch is sent with a snapshot, so the filters are seen changing step by step.
    fn train_one(&mut self) -> bool {
        self.limiter.started(Instant::now());
        let single = self.steps_to_run > 0;
        self.steps_to_run = self.steps_to_run.saturating_sub(1);
        let every_batch = single || self.limiter.pace().is_limited();
        match self.trainer.step() {
            Ok(metrics) => {
                self.pending.push(metrics);
                self.pending_baseline
                    .extend(self.trainer.take_baseline_step());
                if every_batch || metrics.step.is_multiple_of(STATS_EVERY) {
                    // Now, before a validation's forward passes replace the outputs.
                    self.pending_stats.push(self.trainer.layer_stats());
                }
            }
            Err(d) => return self.on_divergence(d),
        }
        if (every_batch || self.last_flush.elapsed() >= UPDATE_INTERVAL) && !self.flush() {
            return false;
        }
        if self.trainer.step_count() >= self.next_eval {
            self.start_eval();
            return self.flush();
        }
        true
    }

    /// Stop stepping and say why. The steps before it were sound and are sent; no snapshot,
    /// since the network's numbers are not, so the last one sent stays the one shown.
    fn on_divergence(&mut self, d: Divergence) -> bool {
        self.resume_on_recovery = !self.paused;
        self.paused = true;
        self.steps_to_run = 0;
        self.trainer.pause_clock();
        self.send_steps()
            && self.status(WorkerStatus::Diverged(d))
            && self.status(WorkerStatus::Paused)
    }
}
