//! Training throughput of the engine: samples per second of forward + backward + SGD step,
//! on random images, in a dedicated rayon pool of 1 or 2 threads. The timing loop is
//! `cnn-tui bench`'s (`cnn_tui::bench::timed_windows`).
//!
//! `cargo bench --bench nn` runs every case; `cargo bench --bench nn -- default` only those
//! whose label contains `default`. `NN_BENCH_SECS` sets the time per repetition (default 1).
//! `NN_BENCH_STEPS=n` instead runs exactly `n` steps per repetition, so that `perf stat` can
//! count the CPU time of a fixed amount of work on a loaded machine.

use cnn_tui::bench::{Budget, median_us, timed_windows};
use cnn_tui::config::{Arch, Preset};
use cnn_tui::nn::mlp::{HIDDEN, Mlp};
use cnn_tui::nn::{Network, Sgd, Tensor};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const REPETITIONS: usize = 3;

/// A fresh network of `preset` and one random batch `(batch, 1, 28, 28)` with its labels.
fn setup(preset: Preset, batch: usize) -> (Network, Tensor, Vec<u8>) {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let blocks = Arch::preset(preset).blocks;
    let net = Network::new(&blocks, &mut rng).expect("presets are valid");
    let x = Tensor::from_shape_simple_fn((batch, 1, 28, 28), || rng.random::<f32>());
    let labels: Vec<u8> = (0..batch).map(|_| rng.random_range(0..10)).collect();
    (net, x, labels)
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
}

/// Best and median samples/s over the repetitions, after a warm-up.
fn measure(preset: Preset, batch: usize, threads: usize, budget: Budget) -> (f64, f64) {
    let (mut net, x, labels) = setup(preset, batch);
    // A small rate: random labels must not drive the weights to overflow over many steps.
    let mut opt = Sgd::new(1e-3, 0.9, 0.0);
    let step = |_| {
        std::hint::black_box(net.train_step(&x, &labels, &mut opt));
    };
    let rates = pool(threads).install(|| timed_windows(step, batch, REPETITIONS, budget));
    (rates.max(), rates.median())
}

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let secs: f64 = std::env::var("NN_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let steps: Option<usize> = std::env::var("NN_BENCH_STEPS")
        .ok()
        .and_then(|s| s.parse().ok());
    let budget = steps.map_or(Budget::Seconds(secs), Budget::Steps);
    if std::env::var("NN_BENCH_LAYERS").is_ok() {
        for (preset, batch, threads) in [(Preset::Default, 32, 1), (Preset::Default, 32, 2)] {
            println!("per layer, {preset:?} b{batch} t{threads}");
            per_layer(preset, batch, threads, 400);
        }
        return;
    }
    println!("{:<24} {:>12} {:>12}", "case", "best/s", "median/s");
    for (preset, pname) in [(Preset::Default, "default"), (Preset::Tiny, "tiny")] {
        for batch in [32, 128] {
            for threads in [2, 1] {
                let label = format!("{pname} b{batch} t{threads}");
                if filter.as_ref().is_some_and(|f| !label.contains(f.as_str())) {
                    continue;
                }
                let (best, median) = measure(preset, batch, threads, budget);
                println!("{label:<24} {best:>12.0} {median:>12.0}");
            }
        }
    }
    // The fully connected baseline (784→12→10), which the fc-vs-cnn screen trains after each
    // of the CNN's steps: its rate beside the CNN's says what that screen costs.
    for (batch, threads) in [(32, 2), (32, 1)] {
        let label = format!("mlp b{batch} t{threads}");
        if filter.as_ref().is_some_and(|f| !label.contains(f.as_str())) {
            continue;
        }
        let (best, median) = measure_mlp(batch, threads, budget);
        println!("{label:<24} {best:>12.0} {median:>12.0}");
    }
}

/// As `measure`, for the fully connected baseline.
fn measure_mlp(batch: usize, threads: usize, budget: Budget) -> (f64, f64) {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let mut mlp = Mlp::new(HIDDEN, &mut rng);
    let x = Tensor::from_shape_simple_fn((batch, 1, 28, 28), || rng.random::<f32>());
    let labels: Vec<u8> = (0..batch).map(|_| rng.random_range(0..10)).collect();
    let mut opt = Sgd::new(1e-3, 0.9, 0.0);
    let step = |_| {
        std::hint::black_box(mlp.train_step(&x, &labels, &mut opt));
    };
    let rates = pool(threads).install(|| timed_windows(step, batch, REPETITIONS, budget));
    (rates.max(), rates.median())
}

/// Median time of each layer's forward and backward, in µs per batch (`NN_BENCH_LAYERS=1`).
fn per_layer(preset: Preset, batch: usize, threads: usize, rounds: usize) {
    let (mut net, x, _) = setup(preset, batch);
    pool(threads).install(|| {
        let layers = net.layers_mut();
        let mut inputs = vec![x];
        for l in layers.iter_mut() {
            let y = l.forward(inputs.last().expect("the input"));
            inputs.push(y);
        }
        for (i, l) in layers.iter_mut().enumerate() {
            let dy = inputs[i + 1].mapv(|v| v * 0.01);
            // Each call hands its output back for the next, as the network does.
            let mut spare = Some(Tensor::zeros((0, 0, 0, 0)));
            let fwd = median_us(rounds, || spare = Some(l.forward_reusing(&inputs[i], spare.take().unwrap())));
            let mut spare = Some(Tensor::zeros((0, 0, 0, 0)));
            let bwd = median_us(rounds, || spare = Some(l.backward_reusing(&dy, spare.take().unwrap())));
            let params_only = median_us(rounds, || l.backward_params_only(&dy));
            println!(
                "  {:<10} forward {fwd:>8.1} µs  backward {bwd:>8.1} µs  (params only {params_only:>8.1} µs)",
                l.name()
            );
        }
        // The conv blocks as training runs them: conv, ReLU and max-pool 2 in one pass.
        let fusable: Vec<usize> = (0..layers.len()).filter(|&i| layers[i].fusable()).collect();
        for i in fusable {
            let l = &mut layers[i];
            let y = l.forward_fused(&inputs[i], 2, Tensor::zeros((0, 0, 0, 0)));
            let dy = y.mapv(|v| v * 0.01);
            let mut spare = Some(Tensor::zeros((0, 0, 0, 0)));
            let fwd = median_us(rounds, || spare = Some(l.forward_fused(&inputs[i], 2, spare.take().unwrap())));
            let mut spare = Some(Tensor::zeros((0, 0, 0, 0)));
            let bwd = median_us(rounds, || spare = l.backward_fused(&dy, spare.take()));
            let params_only = median_us(rounds, || drop(l.backward_fused(&dy, None)));
            println!(
                "  {:<10} fused with ReLU and max-pool: forward {fwd:>8.1} µs  backward {bwd:>8.1} µs  (params only {params_only:>8.1} µs)",
                l.name()
            );
        }
    });
}
