//! The same seed trains the same network, bit for bit, whatever the number of threads: the
//! layers cut the batch into chunks of a fixed size and sum their partial gradients in a
//! fixed order, so the thread count only decides who computes which chunk.

use cnn_tui::config::{Arch, PoolKind};
use cnn_tui::data::dataset::{Mnist, shuffled_indices};
use cnn_tui::nn::{Network, Sgd, Tensor};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const STEPS: usize = 50;

/// Every parameter's bits and every step's loss after `STEPS` steps of SGD in a pool of
/// `threads` threads, on real MNIST images from a fixed shuffle.
fn train(arch: &Arch, threads: usize, batch: usize) -> (Vec<Vec<u32>>, Vec<u32>) {
    let data = Mnist::builtin(0).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut net = Network::new(&arch.blocks, &mut rng).unwrap();
    let order = shuffled_indices(data.train.len(), &mut rng);
    let mut opt = Sgd::new(0.05, 0.9, 1e-4);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let (mut x, mut labels) = (Tensor::zeros((0, 1, 28, 28)), Vec::new());
    let losses = order
        .chunks(batch)
        .take(STEPS)
        .map(|indices| {
            data.train.fill_batch(indices, &mut x, &mut labels);
            let r = pool.install(|| net.train_step(&x, &labels, &mut opt));
            r.loss.to_bits()
        })
        .collect();
    let params = net
        .params()
        .iter()
        .map(|p| p.value.iter().map(|v| v.to_bits()).collect())
        .collect();
    (params, losses)
}

/// Trains on 1, 2, 3 and 8 threads and compares with the single-threaded run.
fn same_on_every_thread_count(arch: &Arch, batch: usize) {
    let (one, one_losses) = train(arch, 1, batch);
    let initial = Network::new(&arch.blocks, &mut ChaCha8Rng::seed_from_u64(11)).unwrap();
    let conv1 = initial.filters()[0]
        .iter()
        .map(|v| v.to_bits())
        .collect::<Vec<_>>();
    assert_ne!(one[0], conv1, "training moved conv1's weights");
    for threads in [2, 3, 8] {
        let (other, losses) = train(arch, threads, batch);
        assert_eq!(losses, one_losses, "losses on {threads} threads vs 1");
        for (i, (a, b)) in one.iter().zip(&other).enumerate() {
            assert!(
                a == b,
                "parameter tensor {i} differs on {threads} threads vs 1"
            );
        }
    }
}

#[test]
fn the_default_network_trains_the_same_on_1_2_3_and_8_threads() {
    // 37: the last chunk of every batch is a short one.
    same_on_every_thread_count(&Arch::default(), 37);
}

#[test]
fn batch_128_with_average_pooling_trains_the_same_on_1_2_3_and_8_threads() {
    let mut arch = Arch::default();
    arch.blocks[1].pool = PoolKind::Avg;
    arch.blocks[0].stride = 2;
    same_on_every_thread_count(&arch, 128);
}
