//! `cnn-tui bench`: training and inference throughput on synthetic MNIST-shaped data, with
//! the protocol of the PyTorch peer (`shared/peers/torch_bench.py`): pixels uniform in
//! [0, 1], random labels, SGD lr 0.01 momentum 0.9; a warm-up that also calibrates how many
//! steps fill a window of about a second; the median (and min, max) over the timed windows.
//!
//! The timing loop (`timed_windows`, `median_us`) is also the one `cargo bench --bench nn` runs.

use crate::config::{Arch, Preset};
use crate::nn::plan::{INPUT_CHANNELS, INPUT_SIDE};
use crate::nn::{Network, Sgd, Tensor};
use anyhow::Context;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::io::Write;
use std::time::Instant;

/// The warm-up of a timed run: at least this long (and 3 steps), or this many steps.
const WARMUP_SECS: f64 = 0.3;
const WARMUP_STEPS: usize = 5;

/// Figures for one (preset, batch, threads) configuration.
#[derive(Debug, Clone, Serialize)]
pub struct BenchResult {
    pub preset: String,
    pub batch: usize,
    pub threads: usize,
    pub train_samples_per_sec: f64,
    pub train_min: f64,
    pub train_max: f64,
    pub infer_samples_per_sec: f64,
    pub infer_min: f64,
    pub infer_max: f64,
    pub windows: usize,
    pub steps_per_window: usize,
}

/// Synthetic batches `(N, 1, 28, 28)`: as many as the peer uses (4 to 64, about 4,096
/// images in all), pixels `k/255` with `k` uniform in 0..256, labels uniform.
pub fn synthetic(batch: usize, seed: u64) -> Vec<(Tensor, Vec<u8>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = (4096 / batch).clamp(4, 64);
    (0..n)
        .map(|_| {
            let dim = (batch, INPUT_CHANNELS, INPUT_SIDE, INPUT_SIDE);
            let x = Tensor::from_shape_fn(dim, |_| rng.random_range(0..256) as f32 / 255.0);
            let y = (0..batch).map(|_| rng.random_range(0..10u8)).collect();
            (x, y)
        })
        .collect()
}

/// How much work one timed window holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Budget {
    /// About this many seconds, in a number of steps calibrated during the warm-up.
    Seconds(f64),
    /// Exactly this many steps (after exactly `WARMUP_STEPS`), so that `perf stat` counts a
    /// fixed amount of work on a loaded machine.
    Steps(usize),
}

/// Samples per second of each timed window.
#[derive(Debug, Clone, PartialEq)]
pub struct Rates {
    pub per_window: Vec<f64>,
    pub steps_per_window: usize,
}

impl Rates {
    pub fn median(&self) -> f64 {
        median(&self.per_window)
    }

    pub fn min(&self) -> f64 {
        self.per_window
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min)
    }

    pub fn max(&self) -> f64 {
        self.per_window
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// The timing loop of `cnn-tui bench` and of `cargo bench --bench nn`: warm up, then time
/// `windows` windows of `budget` each. `step(k)` runs the `k`-th step, on `batch` samples.
pub fn timed_windows(
    mut step: impl FnMut(usize),
    batch: usize,
    windows: usize,
    budget: Budget,
) -> Rates {
    let t0 = Instant::now();
    let mut k = 0;
    let warming = |k: usize| match budget {
        Budget::Seconds(_) => t0.elapsed().as_secs_f64() < WARMUP_SECS || k < 3,
        Budget::Steps(_) => k < WARMUP_STEPS,
    };
    while warming(k) {
        step(k);
        k += 1;
    }
    let per_step = t0.elapsed().as_secs_f64() / k as f64;
    let steps = match budget {
        Budget::Seconds(secs) => (secs / per_step) as usize,
        Budget::Steps(n) => n,
    }
    .max(1);
    let per_window = (0..windows)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..steps {
                step(k);
                k += 1;
            }
            (steps * batch) as f64 / t.elapsed().as_secs_f64()
        })
        .collect();
    Rates {
        per_window,
        steps_per_window: steps,
    }
}

/// Median of the times of `rounds` calls of `f`, in µs.
pub fn median_us(rounds: usize, mut f: impl FnMut()) -> f64 {
    let times: Vec<f64> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    median(&times)
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Time one configuration; `seconds` of timed work per phase, in windows of about a second.
pub fn run_one(
    preset: Preset,
    batch: usize,
    threads: usize,
    seconds: f64,
) -> anyhow::Result<BenchResult> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let threads = pool.current_num_threads();
    let windows = (seconds.round() as usize).max(3);
    let blocks = Arch::preset(preset).blocks;
    let mut net = Network::new(&blocks, &mut ChaCha8Rng::seed_from_u64(0))?;
    let mut opt = Sgd::new(0.01, 0.9, 0.0);
    let train = synthetic(batch, 42);
    let infer = synthetic(batch, 7);
    let budget = Budget::Seconds(seconds / windows as f64);
    let tr = pool.install(|| {
        timed_windows(
            |k| {
                let (x, y) = &train[k % train.len()];
                net.train_step(x, y, &mut opt);
            },
            batch,
            windows,
            budget,
        )
    });
    let inf = pool.install(|| {
        timed_windows(
            |k| drop(net.forward(&infer[k % infer.len()].0)),
            batch,
            windows,
            budget,
        )
    });
    Ok(BenchResult {
        preset: format!("{preset:?}").to_lowercase(),
        batch,
        threads,
        train_samples_per_sec: tr.median(),
        train_min: tr.min(),
        train_max: tr.max(),
        infer_samples_per_sec: inf.median(),
        infer_min: inf.min(),
        infer_max: inf.max(),
        windows,
        steps_per_window: tr.steps_per_window,
    })
}

/// Every combination, printed as it finishes (a table, or JSON lines). A closed pipe or a
/// full disk on stdout is an error (`cli::is_broken_pipe` ends a closed pipe quietly).
pub fn run(
    presets: &[Preset],
    batches: &[usize],
    threads: &[usize],
    seconds: f64,
    json: bool,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if !json {
        writeln!(
            out,
            "{:<8} {:>5} {:>7} {:>22} {:>22}",
            "preset", "batch", "threads", "train samples/s", "infer samples/s"
        )
        .context(STDOUT)?;
    }
    for &t in threads {
        for &preset in presets {
            for &b in batches {
                let r = run_one(preset, b, t, seconds)?;
                let line = if json {
                    serde_json::to_string(&r)?
                } else {
                    table_row(&r)
                };
                writeln!(out, "{line}").context(STDOUT)?;
            }
        }
    }
    out.flush().context(STDOUT)
}

const STDOUT: &str = "cannot write to standard output";

fn table_row(r: &BenchResult) -> String {
    format!(
        "{:<8} {:>5} {:>7} {:>10.0} ({:>5.0}–{:<5.0}) {:>10.0} ({:>5.0}–{:<5.0})",
        r.preset,
        r.batch,
        r.threads,
        r.train_samples_per_sec,
        r.train_min,
        r.train_max,
        r.infer_samples_per_sec,
        r.infer_min,
        r.infer_max
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_budget_runs_exactly_its_steps_after_a_fixed_warm_up() {
        let mut calls = Vec::new();
        let rates = timed_windows(|k| calls.push(k), 8, 3, Budget::Steps(4));
        assert_eq!(calls, (0..WARMUP_STEPS + 12).collect::<Vec<_>>());
        assert_eq!(rates.steps_per_window, 4);
        assert_eq!(rates.per_window.len(), 3);
        assert!(rates.per_window.iter().all(|&r| r > 0.0));
    }

    #[test]
    fn rates_summarise_their_windows() {
        let rates = Rates {
            per_window: vec![3.0, 1.0, 4.0, 2.0],
            steps_per_window: 1,
        };
        assert_eq!((rates.min(), rates.median(), rates.max()), (1.0, 2.5, 4.0));
    }
}
