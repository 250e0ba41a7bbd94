//! The synchronous trainer: one mini-batch at a time, evaluation, probe snapshots, live
//! hyperparameter changes and architecture rebuilds that keep what still fits.
//! The worker thread and the headless mode both drive it; it knows nothing of either.

use super::messages::{EvalMetrics, EvalSet, Snapshot, StepMetrics};
use super::rebuild::{self, RebuildOutcome};
use crate::config::{Arch, Hyper};
use crate::data::dataset::{Mnist, shuffled_indices};
use crate::nn::plan::{ArchError, INPUT_CHANNELS, INPUT_SIDE};
use crate::nn::{Network, Sgd, Tensor};
use ndarray::Axis;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;
use std::time::Instant;

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
}

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Arch(#[from] ArchError),
    #[error("cannot start {threads} worker threads: {reason}")]
    Threads { threads: usize, reason: String },
    #[error("batch size must be at least 1")]
    EmptyBatch,
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
        let net = init_network(arch, hyper.seed)?;
        let opt = Sgd::new(hyper.lr, hyper.momentum, hyper.weight_decay);
        let mut trainer = Trainer {
            data,
            hyper,
            net,
            opt,
            pool: thread_pool(threads)?,
            shuffle_rng: ChaCha8Rng::seed_from_u64(hyper.seed.wrapping_add(1)),
            order: Vec::new(),
            cursor: 0,
            epoch: 0,
            step: 0,
            rebuilds: 0,
            x: Tensor::zeros((0, INPUT_CHANNELS, INPUT_SIDE, INPUT_SIDE)),
            labels: Vec::new(),
            last_step_at: None,
            samples_per_sec: 0.0,
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

    pub fn network(&self) -> &Network {
        &self.net
    }

    pub fn data(&self) -> &Mnist {
        &self.data
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
        self.order = shuffled_indices(self.data.train.len(), &mut self.shuffle_rng);
        self.cursor = 0;
    }

    /// The learning rate the next step will use.
    pub fn current_lr(&self) -> f32 {
        let total = self.steps_per_epoch() * self.hyper.epochs.max(1);
        self.hyper.lr_at(self.step, total)
    }

    /// Train on one mini-batch. Returns its metrics.
    pub fn step(&mut self) -> StepMetrics {
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
        let (net, opt, x, labels) = (&mut self.net, &mut self.opt, &self.x, &self.labels);
        let result = self.pool.install(|| net.train_step(x, labels, opt));
        self.step += 1;
        self.measure_speed(labels.len());
        StepMetrics {
            step: self.step,
            epoch: self.epoch,
            epoch_progress: self.cursor as f32 / self.order.len() as f32,
            loss: result.loss,
            batch_accuracy: result.correct as f32 / self.labels.len() as f32,
            lr,
            samples_per_sec: self.samples_per_sec,
        }
    }

    /// True when the current epoch's samples have all been used.
    pub fn epoch_done(&self) -> bool {
        self.cursor >= self.order.len()
    }

    /// An exponential average of the step rate; pauses do not count.
    fn measure_speed(&mut self, samples: usize) {
        let now = Instant::now();
        if let Some(prev) = self.last_step_at {
            let secs = now.duration_since(prev).as_secs_f32().max(1e-6);
            let rate = samples as f32 / secs;
            self.samples_per_sec = if self.samples_per_sec == 0.0 {
                rate
            } else {
                0.9 * self.samples_per_sec + 0.1 * rate
            };
        }
        self.last_step_at = Some(now);
    }

    /// Forget the time of the last step (after a pause) so the rate is not diluted.
    pub fn pause_clock(&mut self) {
        self.last_step_at = None;
    }

    /// Loss and accuracy over a whole set.
    pub fn evaluate(&mut self, set: EvalSet) -> EvalMetrics {
        let data = Arc::clone(&self.data);
        let dataset = match set {
            EvalSet::Validation => &data.validation,
            EvalSet::Test => &data.test,
        };
        let (mut loss_sum, mut correct) = (0.0f64, 0usize);
        let mut start = 0;
        while start < dataset.len() {
            let end = (start + EVAL_BATCH).min(dataset.len());
            dataset.range_batch(start, end, &mut self.x, &mut self.labels);
            let (net, x, labels) = (&mut self.net, &self.x, &self.labels);
            let r = self.pool.install(|| net.evaluate(x, labels));
            loss_sum += r.loss as f64 * (end - start) as f64;
            correct += r.correct;
            start = end;
        }
        let n = dataset.len().max(1);
        self.pause_clock();
        EvalMetrics {
            step: self.step,
            epoch: self.epoch,
            set,
            loss: (loss_sum / n as f64) as f32,
            accuracy: correct as f32 / n as f32,
            samples: dataset.len(),
        }
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

    /// New learning rate, momentum, batch size or weight decay: they apply from the next step.
    /// (Seed, schedule and validation size are fixed for a run.)
    pub fn set_hyper(&mut self, hyper: Hyper) -> Result<(), TrainError> {
        if hyper.batch == 0 {
            return Err(TrainError::EmptyBatch);
        }
        self.hyper = Hyper {
            seed: self.hyper.seed,
            validation: self.hyper.validation,
            ..hyper
        };
        self.opt.momentum = hyper.momentum;
        self.opt.weight_decay = hyper.weight_decay;
        Ok(())
    }

    /// Rebuild for a new architecture, keeping the trained weights of every layer whose
    /// parameter shapes did not change. Refused (and nothing changes) when impossible.
    pub fn set_arch(&mut self, arch: &Arch) -> Result<RebuildOutcome, ArchError> {
        self.rebuilds += 1;
        let seed = self.hyper.seed.wrapping_add(1000 * self.rebuilds);
        let mut fresh = init_network(arch, seed)?;
        let outcome = rebuild::transfer(&mut self.net, &mut fresh);
        self.net = fresh;
        // Momentum refers to the old parameters; start it again.
        self.opt.reset_velocity();
        Ok(outcome)
    }

    /// Back to the initial weights of the seed, step 0, with the current architecture.
    pub fn reset(&mut self) {
        let arch = self.arch();
        self.net =
            init_network(&arch, self.hyper.seed).expect("the current architecture was valid");
        self.opt.reset_velocity();
        self.shuffle_rng = ChaCha8Rng::seed_from_u64(self.hyper.seed.wrapping_add(1));
        self.step = 0;
        self.epoch = 0;
        self.rebuilds = 0;
        self.pause_clock();
        self.start_epoch();
    }
}
