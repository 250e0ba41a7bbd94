//! A thin thread around the synchronous `Trainer` (its loop is `worker_loop`): it reports its
//! own failure, and stops when told to or as soon as a send fails because the receiver is gone.

use super::analysis::Analyst;
use super::messages::{Command, Update};
use super::pace::Pace;
use super::worker_loop::run;
use crate::checkpoint::Checkpoint;
use crate::config::{Arch, Hyper};
use crate::data::dataset::Mnist;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{self, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use super::worker_loop::EVAL_EVERY_STEPS;

/// At full speed, step metrics and snapshots go out at most this often (≈ 10 a second);
/// below full speed, after every batch.
pub const UPDATE_INTERVAL: Duration = Duration::from_millis(100);
/// At full speed, per-layer statistics are taken every this many steps (below full speed,
/// every step): each costs a pass over the outputs kept in memory, well under a step's time.
pub const STATS_EVERY: usize = 20;
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
    /// Full speed, or at most N mini-batches a second.
    pub pace: Pace,
    /// Start paused at the initial weights (after the first snapshot and validation).
    pub paused: bool,
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
    spawn_from(config, None, tx)
}

/// `spawn`, going on from a checkpoint when one is given (its architecture, weights and
/// step; `config.hyper` as `Trainer::resume` takes it).
pub fn spawn_from<T: From<Update> + Send + 'static>(
    config: WorkerConfig,
    resume: Option<Checkpoint>,
    tx: Sender<T>,
) -> Worker {
    let (commands, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name(WORKER_THREAD_NAME.into())
        .spawn(move || {
            let send = |u: Update| tx.send(T::from(u)).is_ok();
            let analysis_tx = tx.clone();
            let analysis_send = Box::new(move |u: Update| analysis_tx.send(T::from(u)).is_ok());
            let analyst = match Analyst::spawn(Arc::clone(&config.data), analysis_send) {
                Ok(analyst) => analyst,
                Err(e) => {
                    send(Update::Failed(format!(
                        "cannot start the analysis thread: {e}"
                    )));
                    return;
                }
            };
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                run(config, resume, &rx, &send, analyst)
            }));
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

pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".into()
    }
}
