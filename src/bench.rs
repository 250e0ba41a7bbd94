//! `cnn-tui bench`: training and inference throughput on synthetic MNIST-shaped data, with
//! the protocol of the PyTorch peer (`shared/peers/torch_bench.py`): pixels uniform in
//! [0, 1], random labels, SGD lr 0.01 momentum 0.9; a warm-up that also calibrates how many
//! steps fill a window of about a second; the median (and min, max) over the timed windows.

use crate::config::{Arch, Preset};
use crate::nn::{Network, Sgd, Tensor};
use anyhow::Context;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::io::Write;
use std::time::Instant;

const WARMUP_SECS: f64 = 0.3;

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

/// Synthetic batches: as many as the peer uses (4 to 64, about 4,096 images in all).
fn synthetic(batch: usize, seed: u64) -> Vec<(Tensor, Vec<u8>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = (4096 / batch).clamp(4, 64);
    (0..n)
        .map(|_| {
            let x = Tensor::from_shape_fn((batch, 1, 28, 28), |_| {
                rng.random_range(0..256) as f32 / 255.0
            });
            let y = (0..batch).map(|_| rng.random_range(0..10u8)).collect();
            (x, y)
        })
        .collect()
}

/// Warm up, then time `windows` windows; samples/s of each window.
fn timed_windows(
    mut step: impl FnMut(usize),
    batch: usize,
    windows: usize,
    window_secs: f64,
) -> (Vec<f64>, usize) {
    let t0 = Instant::now();
    let mut k = 0;
    while t0.elapsed().as_secs_f64() < WARMUP_SECS || k < 3 {
        step(k);
        k += 1;
    }
    let per_step = t0.elapsed().as_secs_f64() / k as f64;
    let steps = ((window_secs / per_step) as usize).max(1);
    let rates = (0..windows)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..steps {
                step(k);
                k += 1;
            }
            (steps * batch) as f64 / t.elapsed().as_secs_f64()
        })
        .collect();
    (rates, steps)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
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
    let window_secs = seconds / windows as f64;
    let mut net = Network::new(&Arch::preset(preset), &mut ChaCha8Rng::seed_from_u64(0))?;
    let mut opt = Sgd::new(0.01, 0.9, 0.0);
    let train = synthetic(batch, 42);
    let infer = synthetic(batch, 7);
    let (mut tr, steps) = pool.install(|| {
        timed_windows(
            |k| {
                let (x, y) = &train[k % train.len()];
                net.train_step(x, y, &mut opt);
            },
            batch,
            windows,
            window_secs,
        )
    });
    let (mut inf, _) = pool.install(|| {
        timed_windows(
            |k| drop(net.forward(&infer[k % infer.len()].0)),
            batch,
            windows,
            window_secs,
        )
    });
    let ((train_min, train_max), (infer_min, infer_max)) = (min_max(&tr), min_max(&inf));
    Ok(BenchResult {
        preset: format!("{preset:?}").to_lowercase(),
        batch,
        threads,
        train_samples_per_sec: median(&mut tr),
        train_min,
        train_max,
        infer_samples_per_sec: median(&mut inf),
        infer_min,
        infer_max,
        windows,
        steps_per_window: steps,
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
