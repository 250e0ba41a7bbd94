//! Work that reads a whole data split (the validation or the test set) runs here, on a thread
//! of its own and on a copy of the weights taken when it was asked, so that training never
//! waits for it. One job at a time: a new request cancels the one running, and requests that
//! queued up meanwhile collapse to the newest. Progress and results go out as
//! `Update::Analysis`, on the same channel as the worker's other updates.
//!
//! A job is a plain function of `(network, data, progress)`; `Progress::report` both tells the
//! dashboard how far it got and says when to stop, so every job checks for cancellation
//! between its batches.

pub mod confusion;
pub mod filters;
pub mod lab;
pub mod pooling;
pub mod pooling_tune;
pub mod saliency;
pub mod shift;

use super::messages::{EvalSet, Update};
use crate::data::dataset::{Dataset, Mnist};
use crate::nn::Network;
use crate::nn::mlp::Mlp;
use confusion::Confusion;
use filters::FilterScan;
use ndarray::Array2;
use pooling::PoolingAccuracy;
use saliency::Saliency;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

/// Images per forward pass in an analysis job.
pub const ANALYSIS_BATCH: usize = 128;
/// Progress goes out at most this often.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);
/// The analysis thread's name.
pub const ANALYST_THREAD_NAME: &str = "cnn-tui-analysis";

/// What the dashboard can ask of the analysis thread.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// Count (true label, predicted class) pairs over a split.
    Confusion { set: EvalSet },
    /// Validation accuracy of the current weights with max and with average pooling, then
    /// of each after a short fine-tune.
    Pooling { tune: pooling_tune::FineTune },
    /// Test accuracy against shift, the CNN's and (when it trains) the fully connected
    /// baseline's (`shift`): the fc-vs-cnn screen and the translation lab both show it.
    ShiftAccuracy,
    /// Gradient × input and occlusion maps of one digit `(28, 28)` in [0, 1].
    Saliency { image: Array2<f32>, label: u8 },
    /// Every conv filter's strongest test-set patches and its share of active positions.
    Filters,
}

/// A job's name, for its progress and its failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Confusion,
    Pooling,
    Shift,
    Saliency,
    Filters,
}

impl Job {
    pub fn kind(&self) -> JobKind {
        match self {
            Job::Confusion { .. } => JobKind::Confusion,
            Job::Pooling { .. } => JobKind::Pooling,
            Job::ShiftAccuracy => JobKind::Shift,
            Job::Saliency { .. } => JobKind::Saliency,
            Job::Filters => JobKind::Filters,
        }
    }

    /// Whether the job also needs a copy of the fully connected baseline.
    pub fn needs_baseline(&self) -> bool {
        matches!(self, Job::ShiftAccuracy)
    }
}

impl JobKind {
    /// For a progress line: "confusion matrix 40 %".
    pub fn label(self) -> &'static str {
        match self {
            JobKind::Confusion => "confusion matrix",
            JobKind::Pooling => "accuracy with max and average pooling",
            JobKind::Shift => "accuracy against shift",
            JobKind::Saliency => "saliency maps",
            JobKind::Filters => "filter responses",
        }
    }
}

/// What a finished job found.
#[derive(Debug, Clone, PartialEq)]
// Sent boxed (`AnalysisUpdate::Done`), so the confusion matrix's size costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum JobOutput {
    Confusion(Confusion),
    Pooling(PoolingAccuracy),
    Shift(shift::ShiftCurves),
    Saliency(Saliency),
    Filters(FilterScan),
}

/// Analysis thread → dashboard.
#[derive(Debug, Clone, PartialEq)]
pub enum AnalysisUpdate {
    /// `done` of `total` units (images) of the running job, computed on the weights of `step`.
    Progress {
        kind: JobKind,
        step: usize,
        done: usize,
        total: usize,
    },
    /// A job finished on the weights of `step`.
    Done { step: usize, output: Box<JobOutput> },
    /// A job failed (it panicked): the dashboard says so, and training goes on.
    Failed { kind: JobKind, message: String },
}

/// Why a job stopped early: a newer request replaced it, or nobody listens any more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

/// A running job's link to the dashboard and to its cancel flag.
pub struct Progress<'a> {
    send: &'a (dyn Fn(Update) -> bool + Sync),
    cancel: &'a AtomicBool,
    kind: JobKind,
    step: usize,
    last: std::cell::Cell<Option<Instant>>,
}

impl Progress<'_> {
    /// Say that `done` of `total` units are done (at most ten times a second); `Err` when the
    /// job should stop.
    pub fn report(&self, done: usize, total: usize) -> Result<(), Stopped> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(Stopped);
        }
        let due = self
            .last
            .get()
            .is_none_or(|t| t.elapsed() >= PROGRESS_INTERVAL);
        if due {
            self.last.set(Some(Instant::now()));
            let update = AnalysisUpdate::Progress {
                kind: self.kind,
                step: self.step,
                done,
                total,
            };
            if !(self.send)(Update::Analysis(update)) {
                return Err(Stopped);
            }
        }
        Ok(())
    }

    /// Send a first result of a job that goes on (the dashboard shows it meanwhile; the
    /// job's own result replaces it); `Err` when nobody listens or the job should stop.
    pub fn partial(&self, output: JobOutput) -> Result<(), Stopped> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(Stopped);
        }
        let update = AnalysisUpdate::Done {
            step: self.step,
            output: Box::new(output),
        };
        match (self.send)(Update::Analysis(update)) {
            true => Ok(()),
            false => Err(Stopped),
        }
    }
}

/// One request: the job, the weights it runs on and the flag that cancels it.
struct Request {
    job: Job,
    net: Network,
    /// The baseline, for the jobs that need it (`Job::needs_baseline`).
    mlp: Option<Mlp>,
    step: usize,
    cancel: Arc<AtomicBool>,
}

/// The handle the worker keeps: it submits jobs; dropping it ends the thread after the job
/// that runs (which it cancels).
pub struct Analyst {
    requests: Sender<Request>,
    current: Arc<AtomicBool>,
}

impl Analyst {
    /// Start the analysis thread; `send` delivers its updates (false when nobody listens).
    pub fn spawn(
        data: Arc<Mnist>,
        send: Box<dyn Fn(Update) -> bool + Send + Sync>,
    ) -> std::io::Result<Analyst> {
        let (requests, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name(ANALYST_THREAD_NAME.into())
            .spawn(move || serve(&data, &rx, &*send))?;
        Ok(Analyst {
            requests,
            current: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Run `job` on `net` (the weights of `step`), cancelling the job before it.
    pub fn submit(&mut self, job: Job, net: Network, step: usize) {
        self.submit_with(job, net, None, step);
    }

    /// `submit`, with a copy of the fully connected baseline for the jobs that use it.
    pub fn submit_with(&mut self, job: Job, net: Network, mlp: Option<Mlp>, step: usize) {
        self.current.store(true, Ordering::Relaxed);
        self.current = Arc::new(AtomicBool::new(false));
        let cancel = Arc::clone(&self.current);
        // A send fails only when the thread ended (it failed to start a pool): nothing to do.
        let _ = self.requests.send(Request {
            job,
            net,
            mlp,
            step,
            cancel,
        });
    }
}

impl Drop for Analyst {
    fn drop(&mut self) {
        self.current.store(true, Ordering::Relaxed);
    }
}

/// The thread's loop: the newest request first, older ones dropped unrun.
fn serve(data: &Mnist, rx: &Receiver<Request>, send: &(dyn Fn(Update) -> bool + Sync)) {
    // One compute thread: analysis must not take the trainer's cores from it.
    let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(1).build() else {
        return;
    };
    while let Ok(mut request) = rx.recv() {
        while let Ok(newer) = rx.try_recv() {
            request = newer;
        }
        if request.cancel.load(Ordering::Relaxed) {
            continue;
        }
        let kind = request.job.kind();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            pool.install(|| run(data, &mut request, send))
        }));
        let update = match outcome {
            Ok(Ok(output)) => AnalysisUpdate::Done {
                step: request.step,
                output: Box::new(output),
            },
            Ok(Err(Stopped)) => continue,
            Err(panic) => AnalysisUpdate::Failed {
                kind,
                message: crate::train::worker::panic_message(&*panic),
            },
        };
        if !send(Update::Analysis(update)) {
            return;
        }
    }
}

fn run(
    data: &Mnist,
    request: &mut Request,
    send: &(dyn Fn(Update) -> bool + Sync),
) -> Result<JobOutput, Stopped> {
    let progress = Progress {
        send,
        cancel: &request.cancel,
        kind: request.job.kind(),
        step: request.step,
        last: std::cell::Cell::new(None),
    };
    let net = &mut request.net;
    match &request.job {
        Job::Confusion { set } => {
            let split = split_of(data, *set);
            confusion::compute(net, split, *set, request.step, &progress).map(JobOutput::Confusion)
        }
        Job::Pooling { tune } => {
            pooling::compute(net, data, tune, request.step, &progress).map(JobOutput::Pooling)
        }
        Job::ShiftAccuracy => {
            let mlp = request.mlp.as_mut();
            shift::compute(net, mlp, &data.test, request.step, &progress).map(JobOutput::Shift)
        }
        Job::Saliency { image, label } => {
            saliency::compute(net, image, *label, request.step, &progress).map(JobOutput::Saliency)
        }
        Job::Filters => {
            filters::compute(net, (&data.test, &data.validation), request.step, &progress)
                .map(JobOutput::Filters)
        }
    }
}

/// The dataset of a split.
pub fn split_of(data: &Mnist, set: EvalSet) -> &Dataset {
    match set {
        EvalSet::Validation => &data.validation,
        EvalSet::Test => &data.test,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Run `f` with a progress that nobody listens to and nothing cancels.
    pub fn with_progress<T>(f: impl FnOnce(&Progress) -> T) -> T {
        let cancel = AtomicBool::new(false);
        f(&progress(&cancel))
    }

    /// Run `f` with a progress whose job was cancelled before it started.
    pub fn cancelled<T>(f: impl FnOnce(&Progress) -> T) -> T {
        let cancel = AtomicBool::new(true);
        f(&progress(&cancel))
    }

    fn progress(cancel: &AtomicBool) -> Progress<'_> {
        Progress {
            send: &|_| true,
            cancel,
            kind: JobKind::Saliency,
            step: 0,
            last: std::cell::Cell::new(None),
        }
    }
}
