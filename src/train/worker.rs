//! A thin thread around the synchronous `Trainer`: it drains commands between batches,
//! blocks while paused, streams updates at a bounded rate, and reports its own failure.
//! It stops when told to, or as soon as a send fails because the receiver is gone.

use super::messages::{Command, EvalSet, StepMetrics, Update, WorkerStatus};
use super::trainer::Trainer;
use crate::config::{Arch, Hyper};
use crate::data::dataset::Mnist;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Step metrics and snapshots go out at most this often (≈ 10 a second).
pub const UPDATE_INTERVAL: Duration = Duration::from_millis(100);
/// Validation runs at most this many steps apart; early in a run, and again after a rebuild or
/// a reset, more often (100, 200, 400, 800 steps after it), so the curve shows the recovery.
pub const EVAL_EVERY_STEPS: usize = 1000;
const FIRST_EVAL_STEP: usize = 100;

/// The step of the next validation after one at `step`.
fn next_eval_after(step: usize) -> usize {
    (2 * step).clamp(FIRST_EVAL_STEP, step + EVAL_EVERY_STEPS)
}
/// The thread's name; the dashboard's panic hook recognises it.
pub const WORKER_THREAD_NAME: &str = "cnn-tui-worker";
/// What a training run starts from: the worker, the dashboard (which spawns the worker, again
/// on a reset after a failure) and the command line share this one description.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub arch: Arch,
    pub hyper: Hyper,
    pub data: Arc<Mnist>,
    /// Compute threads; 0 = every core.
    pub threads: usize,
    /// Test-set index of the first probe digit.
    pub probe: usize,
}

pub struct Worker {
    commands: Sender<Command>,
    handle: Option<JoinHandle<()>>,
}

impl Worker {
    /// Send a command; false when the worker has stopped.
    pub fn send(&self, cmd: Command) -> bool {
        self.commands.send(cmd).is_ok()
    }

    pub fn is_finished(&self) -> bool {
        self.handle.as_ref().is_none_or(|h| h.is_finished())
    }

    /// Ask the worker to quit and wait briefly (at most 150 ms) for it; a worker still busy
    /// then is left to finish its batch and exit on its own.
    pub fn stop(mut self) {
        let _ = self.commands.send(Command::Quit);
        let deadline = Instant::now() + Duration::from_millis(150);
        while !self.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
        if self.is_finished()
            && let Some(handle) = self.handle.take()
        {
            let _ = handle.join();
        }
    }
}

/// Start training on a new thread; updates arrive on `tx` as `T::from(update)`.
pub fn spawn<T: From<Update> + Send + 'static>(config: WorkerConfig, tx: Sender<T>) -> Worker {
    let (commands, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name(WORKER_THREAD_NAME.into())
        .spawn(move || {
            let send = |u: Update| tx.send(T::from(u)).is_ok();
            let outcome = catch_unwind(AssertUnwindSafe(|| run(config, &rx, &send)));
            let failure = match outcome {
                Ok(Ok(())) => return,
                Ok(Err(message)) => message,
                Err(panic) => format!("the trainer crashed: {}", panic_message(&*panic)),
            };
            send(Update::Failed(failure));
        })
        .expect("the OS refused to start a thread");
    Worker {
        commands,
        handle: Some(handle),
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".into()
    }
}

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
    /// Step of the last start, reset or rebuild: the early validation schedule counts from it.
    eval_base: usize,
}

/// Ends with `Ok` when told to quit or when nobody listens any more.
fn run(
    config: WorkerConfig,
    rx: &Receiver<Command>,
    send: &impl Fn(Update) -> bool,
) -> Result<(), String> {
    let trainer = Trainer::new(&config.arch, config.hyper, config.data, config.threads)
        .map_err(|e| e.to_string())?;
    let mut state = Loop {
        trainer,
        send,
        paused: false,
        steps_to_run: 0,
        probe: config.probe,
        pending: Vec::new(),
        last_flush: Instant::now(),
        next_eval: FIRST_EVAL_STEP,
        eval_base: 0,
    };
    if !(state.announce() && state.send_eval()) {
        return Ok(());
    }
    while let Some(cmd) = state.next_command(rx) {
        if !state.apply(cmd) {
            break;
        }
    }
    Ok(())
}

impl<F: Fn(Update) -> bool> Loop<'_, F> {
    fn status(&self, s: WorkerStatus) -> bool {
        (self.send)(Update::Status(s))
    }

    fn announce(&mut self) -> bool {
        let running = if self.paused {
            WorkerStatus::Paused
        } else {
            WorkerStatus::Running
        };
        self.status(running)
            && self.status(WorkerStatus::Hyper(*self.trainer.hyper()))
            && self.send_snapshot()
    }

    fn send_snapshot(&mut self) -> bool {
        let snap = self.trainer.snapshot(self.probe);
        (self.send)(Update::Snapshot(Box::new(snap)))
    }

    fn send_eval(&mut self) -> bool {
        let eval = self.trainer.evaluate(EvalSet::Validation);
        let step = self.trainer.step_count();
        self.next_eval = self.eval_base + next_eval_after(step - self.eval_base);
        (self.send)(Update::Eval(eval))
    }

    fn flush(&mut self) -> bool {
        self.last_flush = Instant::now();
        if self.pending.is_empty() {
            return true;
        }
        let steps = std::mem::take(&mut self.pending);
        (self.send)(Update::Steps(steps)) && self.send_snapshot()
    }

    /// The next command; while running, trains between polls (returning `Some` only for a
    /// real command); `None` when the command channel is closed. A closed update channel
    /// turns into `Quit`.
    fn next_command(&mut self, rx: &Receiver<Command>) -> Option<Command> {
        loop {
            if self.paused && self.steps_to_run == 0 {
                return match rx.recv_timeout(Duration::from_secs(1)) {
                    Ok(cmd) => Some(cmd),
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Disconnected) => None,
                };
            }
            match rx.try_recv() {
                Ok(cmd) => return Some(cmd),
                Err(TryRecvError::Disconnected) => return None,
                Err(TryRecvError::Empty) => {}
            }
            if !self.train_one() {
                return Some(Command::Quit);
            }
        }
    }

    /// One batch, then whatever is due: metrics, snapshot, validation.
    fn train_one(&mut self) -> bool {
        self.pending.push(self.trainer.step());
        let single = self.steps_to_run > 0;
        self.steps_to_run = self.steps_to_run.saturating_sub(1);
        if (single || self.last_flush.elapsed() >= UPDATE_INTERVAL) && !self.flush() {
            return false;
        }
        if self.trainer.step_count() >= self.next_eval {
            return self.flush() && self.send_eval();
        }
        true
    }

    /// Apply one command; false when the updates channel is gone.
    fn apply(&mut self, cmd: Command) -> bool {
        match cmd {
            Command::Pause => {
                self.paused = true;
                self.trainer.pause_clock();
                self.flush() && self.status(WorkerStatus::Paused)
            }
            Command::Resume => {
                self.paused = false;
                self.steps_to_run = 0;
                self.status(WorkerStatus::Running)
            }
            Command::Step => {
                let was_running = !self.paused;
                self.paused = true;
                self.steps_to_run += 1;
                // The dashboard shows the state the worker reports, so say that it paused.
                !was_running || self.status(WorkerStatus::Paused)
            }
            Command::Reset => {
                self.trainer.reset();
                self.pending.clear();
                self.eval_base = 0;
                self.announce() && self.send_eval()
            }
            Command::SetHyper(h) => match self.trainer.set_hyper(h) {
                Ok(()) => self.status(WorkerStatus::Hyper(*self.trainer.hyper())),
                Err(e) => self.status(WorkerStatus::Refused(e.to_string())),
            },
            Command::SetArch(arch) => match self.trainer.set_arch(&arch) {
                Ok(outcome) => {
                    self.eval_base = self.trainer.step_count();
                    self.flush()
                        && self.status(WorkerStatus::Rebuilt(outcome))
                        && self.send_snapshot()
                        && self.send_eval()
                }
                Err(e) => self.status(WorkerStatus::Refused(e.to_string())),
            },
            Command::Probe(i) => {
                self.probe = i;
                self.send_snapshot()
            }
            Command::FindMisclassified { from, forward } => {
                let found = self.trainer.find_misclassified(from, forward);
                if let Some(m) = found {
                    self.probe = m.index;
                }
                self.status(WorkerStatus::Misclassified(found)) && self.send_snapshot()
            }
            Command::Quit => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_is_frequent_early_then_every_thousand_steps() {
        let mut step = 0;
        let mut at = Vec::new();
        for _ in 0..7 {
            step = next_eval_after(step);
            at.push(step);
        }
        assert_eq!(at, vec![100, 200, 400, 800, 1600, 2600, 3600]);
    }
}
