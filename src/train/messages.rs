//! Plain data that crosses between the worker thread and its driver (the dashboard or the
//! headless printer). No channels or threads here.

use super::analysis::lab::{LabInput, LabTrace};
use super::analysis::{AnalysisUpdate, Job};
use super::baseline::BaselineUpdate;
use super::pace::Pace;
use super::rebuild::RebuildOutcome;
use super::search::Misclassified;
use crate::config::{Arch, Hyper};
use crate::nn::FeatureMap;
use crate::nn::plan::ConvBlock;
use crate::nn::stats::LayerStats;
use ndarray::{Array1, Array2, Array4};
use std::path::PathBuf;

/// Driver → worker.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Pause,
    Resume,
    /// Run exactly one mini-batch, then stay paused.
    Step,
    /// Start again from the initial weights of the current seed.
    Reset,
    /// Learning rate, momentum and batch size apply at once.
    SetHyper(Hyper),
    /// Rebuild the network, keeping every layer whose shapes did not change.
    SetArch(Arch),
    /// Choose the probe digit by its test-set index.
    Probe(usize),
    /// Train as fast as possible, or at most N mini-batches a second.
    SetPace(Pace),
    /// After a divergence: back to the last good weights, with half the learning rate.
    Rewind,
    /// Make the next (`forward`) or previous misclassified test digit after `from` the probe,
    /// as the current weights classify them.
    FindMisclassified {
        from: usize,
        forward: bool,
    },
    /// Run a job on the analysis thread, on a copy of the current weights (it cancels the
    /// job before it).
    Analyse(Job),
    /// Trace this image beside the probe digit with every snapshot (the labs), or stop.
    Lab(Option<LabInput>),
    /// Train the fully connected baseline beside the CNN from now on (the fc-vs-cnn screen
    /// asks when first shown); it is not trained before, since it costs a quarter of a
    /// default CNN step.
    StartBaseline,
    Quit,
    /// Write a checkpoint into this folder, named by the step (`checkpoint::file_name`).
    Save(PathBuf),
}

/// Metrics of one or more training steps (the worker batches them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepMetrics {
    /// Global step count since the start (or the last reset).
    pub step: usize,
    /// 0-based epoch, and the fraction of it done after this step.
    pub epoch: usize,
    pub epoch_progress: f32,
    pub loss: f32,
    pub batch_accuracy: f32,
    pub lr: f32,
    /// Training throughput measured over the last few steps.
    pub samples_per_sec: f32,
}

/// What an evaluation found on the validation or test set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EvalMetrics {
    pub step: usize,
    pub epoch: usize,
    pub set: EvalSet,
    pub loss: f32,
    pub accuracy: f32,
    pub samples: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalSet {
    Validation,
    Test,
}

/// A picture of the network at one step: what the dashboard draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub step: usize,
    /// Test-set index of the probe digit, its image `(28, 28)` in [0, 1] exactly as the
    /// network was given it, and its label.
    pub probe_index: usize,
    pub probe_image: Array2<f32>,
    pub probe_label: u8,
    /// Softmax output for the probe digit.
    pub probabilities: [f32; 10],
    /// Every layer's output for the probe digit, input side first (conv, ReLU, pool…).
    pub feature_maps: Vec<FeatureMap>,
    /// Each conv layer's weights `(out, in, k, k)`, conv1 first.
    pub filters: Vec<Array4<f32>>,
    /// Each conv layer's biases `(out)`, conv1 first: with `filters` and each conv layer's
    /// input (the probe image or the previous feature map) the microscope redoes any pixel.
    pub biases: Vec<Array1<f32>>,
    /// The blocks of the network that took this snapshot: its plan gives each layer's kernel,
    /// stride and padding, which may differ from an edit made since.
    pub blocks: Vec<ConvBlock>,
}

/// Per-layer statistics of one training step (`nn::stats`): the worker takes them every
/// `worker_loop::STATS_EVERY` steps, and with every step below full speed.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerSample {
    pub step: usize,
    /// Every layer of the plan but flatten, input side first.
    pub layers: Vec<LayerStats>,
}

/// Why the trainer stopped stepping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DivergenceCause {
    /// The loss is NaN or infinite.
    LossNotFinite,
    /// A weight became NaN or infinite.
    WeightNotFinite,
    /// The loss rose far above its starting value (`trainer::DIVERGED_LOSS`).
    LossTooHigh,
}

/// Training diverged at `step`: the loss of that step (possibly NaN or infinite) and the
/// learning rate and momentum it ran with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Divergence {
    pub step: usize,
    pub loss: f32,
    pub lr: f32,
    pub momentum: f32,
    pub cause: DivergenceCause,
    /// The step whose weights a rewind would restore.
    pub rewind_to: usize,
}

/// What a rewind did: from the step that diverged back to the weights kept at `to_step`, with
/// the learning rate `lr_before` → `lr_after`. The step count goes on from `from_step`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rewind {
    pub from_step: usize,
    pub to_step: usize,
    pub lr_before: f32,
    pub lr_after: f32,
}

/// What the worker is doing.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkerStatus {
    Running,
    Paused,
    /// The network was rebuilt for `outcome.after`: which layers kept their trained weights
    /// and which were re-initialised.
    Rebuilt(RebuildOutcome),
    /// An edit was refused (e.g. an impossible architecture); training goes on as before.
    Refused(String),
    /// Hyperparameters now in force.
    Hyper(Hyper),
    /// The pace now in force.
    Pace(Pace),
    /// Training diverged and stopped stepping (a `Paused` follows); the last snapshot sent
    /// stays the last one until a reset or a rewind.
    Diverged(Divergence),
    /// Back to the last good weights after a divergence.
    Rewound(Rewind),
    /// All planned epochs are done (headless) — the dashboard keeps training instead.
    Finished,
    /// What a search for a misclassified digit found (now the probe), or `None`: every test
    /// digit is classified right.
    Misclassified(Option<Misclassified>),
    /// A checkpoint of `step` was written to `path`; every step up to it was sent before.
    Saved {
        path: PathBuf,
        step: usize,
    },
    /// A checkpoint could not be written; training goes on.
    SaveFailed(String),
    /// A slow validation's progress: `done` of `total` images so far (sent only once one has
    /// run for a second; its `Eval` ends it).
    Validating {
        done: usize,
        total: usize,
    },
}

/// Worker → driver.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    Steps(Vec<StepMetrics>),
    Eval(EvalMetrics),
    Snapshot(Box<Snapshot>),
    Status(WorkerStatus),
    Failed(String),
    /// From the analysis thread: a job's progress, result or failure.
    Analysis(AnalysisUpdate),
    /// The labs' image through the network, sent right after each snapshot while one is set.
    Lab(Box<LabTrace>),
    /// The fully connected baseline's steps, validations and weights.
    Baseline(BaselineUpdate),
    /// Per-layer statistics taken since the last update, oldest first.
    Layers(Vec<LayerSample>),
}
