//! The synchronous trainer: one mini-batch at a time, evaluation, probe snapshots, live
//! hyperparameter changes and architecture rebuilds that keep what still fits.
//! The worker thread and the headless mode both drive it; it knows nothing of either.

mod baseline;
mod edits;

use super::guard::Guard;
use super::messages::{Divergence, DivergenceCause, Snapshot, StepMetrics};
use super::search::{self, Misclassified, argmax};
use crate::config::{Arch, Hyper};
use crate::data::dataset::{Mnist, shuffled_indices};
use crate::nn::plan::{ArchError, INPUT_CHANNELS, INPUT_SIDE};
use crate::nn::{FeatureMap, Network, Sgd, Tensor};
use ndarray::Axis;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;
use std::time::Instant;

mod eval;
mod persist;
mod stats;

pub use eval::Evaluation;

/// Images per forward pass during evaluation (only memory, not the result, depends on it).
const EVAL_BATCH: usize = 128;
/// Names of the compute threads start with this (the dashboard's panic hook recognises them).
pub const COMPUTE_THREAD_PREFIX: &str = "cnn-tui-compute-";

pub struct Trainer {
    data: Arc<Mnist>,
    hyper: Hyper,
    net: Network,
    opt: Sgd,
    pool: rayon::ThreadPool,
    /// Shuffles the training set each epoch; re-seeded on reset.
    shuffle_rng: ChaCha8Rng,
    /// Its position before it shuffled the current epoch (a checkpoint records it).
    epoch_word_pos: u128,
    order: Vec<usize>,
    cursor: usize,
    epoch: usize,
    step: usize,
    /// Counts rebuilds, so each one initialises new layers from its own seed.
    rebuilds: u64,
    x: Tensor,
    labels: Vec<u8>,
    last_step_at: Option<Instant>,
    samples_per_sec: f32,
    /// Catches divergence and keeps the last good weights.
    guard: Guard,
    /// Set when a step diverged: no step runs until a reset, a rewind or a rebuild.
    diverged: Option<Divergence>,
    /// The fully connected baseline, when on (`set_baseline`), and its last step.
    baseline: Option<super::baseline::Baseline>,
    baseline_step: Option<super::baseline::BaselineStep>,
}

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Arch(#[from] ArchError),
    #[error("cannot start the compute threads ({}): {reason}", describe_threads(*.threads))]
    Threads { threads: usize, reason: String },
    #[error("batch size must be at least 1")]
    EmptyBatch,
}

fn describe_threads(threads: usize) -> String {
    match threads {
        0 => "one per core".into(),
        1 => "1 thread".into(),
        n => format!("{n} threads"),
    }
}

fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, TrainError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("{COMPUTE_THREAD_PREFIX}{i}"))
        .build()
        .map_err(|e| TrainError::Threads {
            threads,
            reason: e.to_string(),
        })
}

/// The network a seed gives: the same seed always gives the same initial weights.
fn init_network(arch: &Arch, seed: u64) -> Result<Network, ArchError> {
    Network::new(&arch.blocks, &mut ChaCha8Rng::seed_from_u64(seed))
}

impl Trainer {
    /// `threads` = 0 uses every core.
    pub fn new(
        arch: &Arch,
        hyper: Hyper,
        data: Arc<Mnist>,
        threads: usize,
    ) -> Result<Trainer, TrainError> {
        if hyper.batch == 0 {
            return Err(TrainError::EmptyBatch);
        }
        let mut net = init_network(arch, hyper.seed)?;
        let guard = Guard::new(&mut net, 0);
        let opt = Sgd::new(hyper.lr, hyper.momentum, hyper.weight_decay);
        let mut trainer = Trainer {
            data,
            hyper,
            net,
            opt,
            pool: thread_pool(threads)?,
            shuffle_rng: ChaCha8Rng::seed_from_u64(hyper.seed.wrapping_add(1)),
            epoch_word_pos: 0,
            order: Vec::new(),
            cursor: 0,
            epoch: 0,
            step: 0,
            rebuilds: 0,
            x: Tensor::zeros((0, INPUT_CHANNELS, INPUT_SIDE, INPUT_SIDE)),
            labels: Vec::new(),
            last_step_at: None,
            samples_per_sec: 0.0,
            guard,
            diverged: None,
            baseline: None,
            baseline_step: None,
        };
        trainer.start_epoch();
        Ok(trainer)
    }

    pub fn hyper(&self) -> &Hyper {
        &self.hyper
    }

    /// The architecture of the network being trained.
    pub fn arch(&self) -> Arch {
        Arch {
            blocks: self.net.blocks().to_vec(),
        }
    }

    /// A copy of the current weights, for the analysis thread.
    pub fn network_copy(&mut self) -> Network {
        self.net.duplicate()
    }

    pub fn network(&self) -> &Network {
        &self.net
    }

    pub fn data(&self) -> &Mnist {
        &self.data
    }

    /// Compute threads in this trainer's pool.
    pub fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    pub fn step_count(&self) -> usize {
        self.step
    }

    pub fn epoch(&self) -> usize {
        self.epoch
    }

    pub fn steps_per_epoch(&self) -> usize {
        self.data.train.len().div_ceil(self.hyper.batch)
    }

    fn start_epoch(&mut self) {
        self.epoch_word_pos = self.shuffle_rng.get_word_pos();
        self.order = shuffled_indices(self.data.train.len(), &mut self.shuffle_rng);
        self.cursor = 0;
    }

    /// The learning rate the next step will use.
    pub fn current_lr(&self) -> f32 {
        let total = self
            .steps_per_epoch()
            .saturating_mul(self.hyper.epochs.max(1));
        self.hyper.lr_at(self.step, total)
    }

    /// The divergence that stopped training, until a reset or a rewind.
    pub fn diverged(&self) -> Option<Divergence> {
        self.diverged
    }

    /// The step whose weights a rewind would go back to.
    pub fn good_step(&self) -> usize {
        self.guard.good_step()
    }

    /// Train on one mini-batch and return its metrics, or, when the step diverged (a loss or a
    /// weight not finite, or a loss far above its start), why; a diverged trainer takes no
    /// more steps until `reset` or `rewind`.
    pub fn step(&mut self) -> Result<StepMetrics, Divergence> {
        if let Some(d) = self.diverged {
            return Err(d);
        }
        if self.cursor >= self.order.len() {
            self.epoch += 1;
            self.start_epoch();
        }
        let end = (self.cursor + self.hyper.batch).min(self.order.len());
        self.data
            .train
            .fill_batch(&self.order[self.cursor..end], &mut self.x, &mut self.labels);
        self.cursor = end;
        let lr = self.current_lr();
        self.opt.lr = lr;
        // The baseline (when on) steps on the same batch as a task of its own beside the
        // CNN's: run after it, its few small parallel layers cost a fifth of the step in
        // waking and waiting threads; beside it, the pool fills its gaps with them.
        let settings = Sgd::new(lr, self.opt.momentum, self.opt.weight_decay);
        let (net, opt, x, labels) = (&mut self.net, &mut self.opt, &self.x, &self.labels);
        let baseline = &mut self.baseline;
        let started = Instant::now();
        let (result, mlp) = self.pool.install(|| {
            rayon::join(
                || {
                    let r = net.train_step(x, labels, opt);
                    (r, started.elapsed().as_secs_f32())
                },
                || baseline.as_mut().map(|b| b.step(x, labels, &settings)),
            )
        });
        let (result, cnn_secs) = result;
        self.step += 1;
        let samples = labels.len();
        self.record_baseline(mlp, cnn_secs);
        self.measure_speed(samples);
        if let Some(cause) = self.guard.check(self.step, result.loss, &mut self.net) {
            return Err(self.diverge(result.loss, lr, cause));
        }
        Ok(StepMetrics {
            step: self.step,
            epoch: self.epoch,
            epoch_progress: self.cursor as f32 / self.order.len() as f32,
            loss: result.loss,
            batch_accuracy: result.correct as f32 / self.labels.len() as f32,
            lr,
            samples_per_sec: self.samples_per_sec,
        })
    }

    /// Stop stepping: the step just taken diverged.
    fn diverge(&mut self, loss: f32, lr: f32, cause: DivergenceCause) -> Divergence {
        let d = Divergence {
            step: self.step,
            loss,
            lr,
            momentum: self.hyper.momentum,
            cause,
            rewind_to: self.guard.good_step(),
        };
        self.diverged = Some(d);
        d
    }

    /// True when the current epoch's samples have all been used.
    pub fn epoch_done(&self) -> bool {
        self.cursor >= self.order.len()
    }

    /// An exponential average of the step rate; pauses do not count.
    fn measure_speed(&mut self, samples: usize) {
        let now = Instant::now();
        if let Some(prev) = self.last_step_at {
            let secs = now.duration_since(prev).as_secs_f32();
            self.samples_per_sec = blend_rate(self.samples_per_sec, samples, secs);
        }
        self.last_step_at = Some(now);
    }

    /// Forget the time of the last step (after a pause) so the rate is not diluted.
    pub fn pause_clock(&mut self) {
        self.last_step_at = None;
    }

    /// The probe digit (a test-set index, wrapped into range) through every layer.
    pub fn snapshot(&mut self, probe: usize) -> Snapshot {
        let test = &self.data.test;
        let probe_index = probe % test.len();
        let mut x = Tensor::zeros((1, INPUT_CHANNELS, INPUT_SIDE, INPUT_SIDE));
        let mut label = Vec::with_capacity(1);
        test.fill_batch(&[probe_index], &mut x, &mut label);
        let net = &mut self.net;
        let (feature_maps, probabilities) = self.pool.install(|| net.trace(&x));
        Snapshot {
            step: self.step,
            probe_index,
            // What conv1 was given, to the bit: the microscope redoes its arithmetic on it.
            probe_image: x.index_axis(Axis(0), 0).index_axis(Axis(0), 0).to_owned(), // (1,1,28,28) → (28,28)
            probe_label: label[0],
            probabilities,
            feature_maps,
            filters: self.net.filters(),
            biases: self.net.biases(),
            blocks: self.net.blocks().to_vec(),
        }
    }

    /// Any image `(28, 28)` through every layer: its feature maps and probabilities.
    pub fn trace_image(&mut self, image: ndarray::ArrayView2<f32>) -> (Vec<FeatureMap>, [f32; 10]) {
        let x = image
            .to_owned()
            .into_shape_with_order((1, INPUT_CHANNELS, INPUT_SIDE, INPUT_SIDE))
            .expect("a (28, 28) image"); // (28,28) → (1,1,28,28)
        let net = &mut self.net;
        self.pool.install(|| net.trace(&x))
    }

    /// The next (`forward`) or previous test digit after `from` that the network gets wrong,
    /// wrapping around; `None` when it gets every one right.
    pub fn find_misclassified(&mut self, from: usize, forward: bool) -> Option<Misclassified> {
        let data = Arc::clone(&self.data);
        let test = &data.test;
        let (net, pool, x, labels) = (&mut self.net, &self.pool, &mut self.x, &mut self.labels);
        let predict = |indices: &[usize]| {
            test.fill_batch(indices, x, labels);
            let logits = pool.install(|| net.forward(x)); // (N, 10)
            logits
                .rows()
                .into_iter()
                .map(|row| argmax(row.iter().copied()))
                .collect()
        };
        let found = search::find_misclassified(
            test.len(),
            (from, forward),
            EVAL_BATCH,
            |i| test.label(i),
            predict,
        );
        self.pause_clock();
        found
    }
}

/// The average rate after a step of `samples` in `secs`, from the average `rate` before it
/// (0 at first). The time per sample is averaged, not the rate: an average of rates weighs
/// the fast steps more, and at batch 2, where step times vary most, it showed 1.5 to 2 times
/// the rate the steps over the wall time give.
pub fn blend_rate(rate: f32, samples: usize, secs: f32) -> f32 {
    let per_sample = secs.max(1e-9) / samples.max(1) as f32;
    let avg = if rate > 0.0 {
        0.9 / rate + 0.1 * per_sample
    } else {
        per_sample
    };
    1.0 / avg
}
