//! The command line: `cnn-tui` (dashboard), `cnn-tui train` (headless), `cnn-tui bench`.

use crate::checkpoint::{self, Checkpoint};
use crate::config::{Hyper, PoolKind, Preset, Schedule};
use crate::metrics::MetricsSink;
use crate::nn::plan::{BATCH_RANGE, BLOCKS_RANGE, KERNEL_RANGE, POOL_RANGE, STRIDE_RANGE, span};
use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

mod check;
mod train;

use check::check_threads;

/// Compute threads a user may ask for: more only slows a 2-to-64-core machine down, and
/// 100,000 took minutes just to start.
pub const MAX_THREADS: usize = 256;
/// Epochs a run may plan: a thousand hours at the default speed, and far from any overflow
/// of the step count or the schedule.
pub const MAX_EPOCHS: usize = 10_000;
/// Epochs of a fresh `train` run without `--epochs`.
pub const DEFAULT_EPOCHS: usize = 3;

#[derive(Debug, Parser)]
#[command(
    name = "cnn-tui",
    version,
    about = "Watch a convolutional neural network learn MNIST, live in your terminal",
    long_about = "Watch a convolutional neural network learn MNIST, live in your terminal.\n\n\
        With no subcommand, opens the dashboard and starts training at once on the MNIST digits \
        built into the program. `cnn-tui train` trains without a screen (for scripts and CI); \
        `cnn-tui bench` measures training and inference speed."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Test-set index of the first probe digit shown in the dashboard.
    #[arg(long, default_value_t = 0)]
    pub probe: usize,
    /// Open the dashboard paused at the initial weights: space runs, `.` trains one
    /// mini-batch, t/T set the pace (down to 1 mini-batch a second).
    #[arg(long)]
    pub paused: bool,
    /// Go on training from a checkpoint (its network, weights, step and seed); `w` in the
    /// dashboard writes one.
    #[arg(long, value_name = "FILE")]
    pub load: Option<PathBuf>,
    /// Append every step's and evaluation's figures to FILE while the dashboard trains: CSV
    /// for .csv, JSON lines for .jsonl.
    #[arg(long, value_name = "FILE")]
    pub metrics: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Train without a screen: a line per epoch (or JSON lines), then the test accuracy.
    Train(Box<TrainArgs>),
    /// Time training steps and inference on synthetic MNIST-shaped data.
    Bench(BenchArgs),
}

/// The network, the optimiser and the data: shared by the dashboard and `train`.
#[derive(Debug, Clone, Args)]
pub struct ModelArgs {
    /// Starting architecture: default (2 conv blocks, the default) or tiny (1 block).
    #[arg(long, value_enum)]
    pub preset: Option<Preset>,
    // The ranges in these helps are the planner's (`nn::plan`), hence `help = …`, not doc comments.
    #[arg(long, value_delimiter = ',', value_name = "N,N,…", help = format!(
        "Filters per conv block, comma-separated; the count sets the number of blocks ({})",
        span(&BLOCKS_RANGE)
    ))]
    pub filters: Option<Vec<usize>>,
    #[arg(long, value_name = "K", help = format!(
        "Kernel size of every conv block ({}); padding follows as ⌊K/2⌋ unless --padding is given",
        span(&KERNEL_RANGE)
    ))]
    pub kernel: Option<usize>,
    #[arg(long, value_name = "S", help = format!("Stride of every conv block ({})", span(&STRIDE_RANGE)))]
    pub stride: Option<usize>,
    /// Zero padding of every conv block (0..K-1).
    #[arg(long, value_name = "P")]
    pub padding: Option<usize>,
    /// Pooling after every conv block.
    #[arg(long, value_enum)]
    pub pool: Option<PoolKind>,
    #[arg(long, value_name = "W", help = format!(
        "Pooling window ({}); its stride equals the window",
        span(&POOL_RANGE)
    ))]
    pub pool_size: Option<usize>,
    /// Peak learning rate.
    #[arg(long)]
    pub lr: Option<f32>,
    /// SGD momentum (0 ≤ m < 1).
    #[arg(long)]
    pub momentum: Option<f32>,
    /// L2 weight decay.
    #[arg(long)]
    pub weight_decay: Option<f32>,
    #[arg(long, help = format!("Mini-batch size ({})", span(&BATCH_RANGE)))]
    pub batch: Option<usize>,
    /// Seed of the initial weights and of the shuffling.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Training images held out for validation (taken from the end of the training set).
    #[arg(long, value_name = "N")]
    pub validation: Option<usize>,
    /// A folder with MNIST-format IDX files (train-images-idx3-ubyte etc., raw or .gz)
    /// instead of the built-in MNIST.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Compute threads, at most 256 (0 = every core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

#[derive(Debug, Clone, Args)]
pub struct TrainArgs {
    /// Passes over the training set (default 3); with --load, the epochs in all, those in
    /// the checkpoint included (default: as many as the checkpoint's run planned).
    #[arg(long, value_name = "N")]
    pub epochs: Option<usize>,
    /// Learning-rate schedule [default: cosine, or the checkpoint's].
    #[arg(long, value_enum)]
    pub schedule: Option<Schedule>,
    /// JSON lines on stdout, one per event, instead of text.
    #[arg(long)]
    pub json: bool,
    /// Save a checkpoint (safetensors, loadable in PyTorch) to FILE after every epoch.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Go on from a checkpoint: its architecture, weights, momentum, step and seed. Flags
    /// may change the learning rate, momentum, weight decay, batch, schedule and epochs.
    #[arg(long, value_name = "FILE")]
    pub load: Option<PathBuf>,
    /// Append every step's and evaluation's figures to FILE while training: CSV for .csv,
    /// JSON lines for .jsonl.
    #[arg(long, value_name = "FILE")]
    pub metrics: Option<PathBuf>,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Presets to time, comma-separated.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "default,tiny"
    )]
    pub preset: Vec<Preset>,
    /// Batch sizes, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "32,128")]
    pub batch: Vec<usize>,
    /// Thread counts, comma-separated, each at most 256 (0 = every core).
    #[arg(long, value_delimiter = ',', default_value = "2,1")]
    pub threads: Vec<usize>,
    /// Timed seconds per phase (training, inference), in windows of about a second.
    #[arg(long, default_value_t = 5.0)]
    pub seconds: f64,
    /// One JSON line per configuration instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// A user's mistake in the flags: printed as it is, exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// True when `e` comes from writing into a closed pipe (`cnn-tui train | head -1`): the
/// reader has all it wanted, and the program ends quietly, as other command-line tools do.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Run what the command line asks for. A `UsageError` in the chain means exit code 2.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Some(Command::Train(args)) => train::train(&args),
        Some(Command::Bench(args)) => bench(&args),
        None => dashboard(&cli),
    }
}

fn bench(args: &BenchArgs) -> anyhow::Result<()> {
    if let Some(b) = args.batch.iter().find(|b| !BATCH_RANGE.contains(*b)) {
        return Err(UsageError(format!("--batch must be in {BATCH_RANGE:?}, got {b}")).into());
    }
    check_threads(&args.threads)?;
    if !(args.seconds.is_finite() && args.seconds > 0.0 && args.seconds <= 600.0) {
        return Err(UsageError(format!(
            "--seconds must be in (0, 600], got {}",
            args.seconds
        ))
        .into());
    }
    crate::bench::run(
        &args.preset,
        &args.batch,
        &args.threads,
        args.seconds,
        args.json,
    )
}

/// The dashboard, fresh or going on from `--load`. Everything that can be refused (flags,
/// the checkpoint, the data, the metrics file) is checked before the terminal is touched.
fn dashboard(cli: &Cli) -> anyhow::Result<()> {
    let model = &cli.model;
    if !std::io::stdout().is_terminal() {
        return Err(UsageError(
            "the dashboard needs a terminal, and stdout is not one; for scripts use `cnn-tui train` (see `cnn-tui train --help`)"
                .into(),
        )
        .into());
    }
    let resume = (cli.load.as_deref())
        .map(|path| load_for_dashboard(model, path))
        .transpose()?;
    let arch = match &resume {
        Some(ckpt) => ckpt.meta.arch.clone(),
        None => model.arch()?,
    };
    // The dashboard keeps the rate as set, so live edits mean what they say.
    let base = resume
        .as_ref()
        .map_or_else(Hyper::default, |c| c.meta.hyper);
    let hyper = model.hyper_over(base, 1, Schedule::Constant)?;
    let data = std::sync::Arc::new(model.load_data(hyper.validation)?);
    if cli.probe >= data.test.len() {
        let msg = format!(
            "--probe must be a test-set index below {}, got {}",
            data.test.len(),
            cli.probe
        );
        return Err(UsageError(msg).into());
    }
    let metrics = cli.metrics.as_deref().map(MetricsSink::create);
    let extras = crate::ui::Extras {
        resume,
        metrics: metrics.transpose().map_err(train::usage)?,
    };
    let config = crate::train::worker::WorkerConfig {
        arch,
        hyper,
        data,
        threads: model.threads,
        probe: cli.probe,
        pace: crate::train::pace::Pace::Max,
        paused: cli.paused,
    };
    crate::ui::run(config, extras)
}

/// `--load` for the dashboard: the network and the seed come from the file, so flags that
/// set them are refused, as `train --load` refuses them.
fn load_for_dashboard(model: &ModelArgs, path: &Path) -> Result<Checkpoint, UsageError> {
    let flags = train::arch_flags(model);
    if !flags.is_empty() {
        return Err(UsageError(format!(
            "--load takes the network and the seed from the checkpoint; drop {}",
            flags.join(", ")
        )));
    }
    checkpoint::load(path).map_err(train::usage)
}
