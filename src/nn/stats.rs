//! Per-layer statistics of a training step, from what the step left in memory (no extra
//! forward pass): each layer's output range, mean and zeros over the batch, and each weighted
//! layer's weight norm, gradient norm and the size of its SGD update.
//!
//! Where a conv runs fused with its ReLU and max-pool (`Layer::forward_fused`), the conv's and
//! the ReLU's outputs never reach memory: only the pool's output is measured there. A pooled
//! value is 0 exactly when every ReLU output in its window is, so its zero share is a lower
//! bound on the ReLU's, and a channel is zero for the whole batch after the pool exactly when
//! it is before it (up to the border rows a pool window does not reach).

use super::plan::{LayerId, LayerKind};
use super::{Network, Sgd, Tensor};
use ndarray::{ArrayD, ArrayViewD, Axis};

/// One layer's output over a batch `(N, C, H, W)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Activations {
    pub min: f32,
    pub max: f32,
    pub mean: f32,
    /// Share of the outputs that are exactly 0, in [0, 1].
    pub zero_share: f32,
    /// Channels that are 0 at every position of every sample, and channels in all.
    pub dead_channels: usize,
    pub channels: usize,
}

/// A weighted layer's weights (the kernel or the dense matrix, not the biases) as L2 norms:
/// the weights after the step, their gradient, and the step's change `‖Δw‖`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub weight: f32,
    pub grad: f32,
    pub update: f32,
}

impl Weights {
    /// `‖Δw‖ / ‖w‖`: about 1e-3 is the classic healthy size; 0 for zero weights.
    pub fn ratio(&self) -> f32 {
        if self.weight > 0.0 {
            self.update / self.weight
        } else {
            0.0
        }
    }
}

/// What one layer of the plan showed in a training step.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerStats {
    pub id: LayerId,
    /// Its name in the ledger, e.g. `conv1`, `maxpool1`, `dense`.
    pub layer: String,
    /// Its output over the batch, when that reached memory.
    pub output: Option<Activations>,
    /// Its weights, for the conv and dense layers.
    pub weights: Option<Weights>,
}

/// Range, mean, zeros and dead channels of a batch of outputs `(N, C, H, W)`; `None` for an
/// empty one.
pub fn activations(t: &Tensor) -> Option<Activations> {
    let (n, c, h, w) = t.dim();
    if t.is_empty() {
        return None;
    }
    let (mut min, mut max, mut sum, mut zeros) = (f32::INFINITY, f32::NEG_INFINITY, 0.0f64, 0);
    let mut alive = vec![false; c];
    for sample in t.axis_iter(Axis(0)) {
        for (ch, map) in sample.axis_iter(Axis(0)).enumerate() {
            let values: Vec<f32>;
            let slice = match map.as_slice() {
                Some(s) => s,
                None => {
                    values = map.iter().copied().collect();
                    &values
                }
            };
            let (lo, hi, total, z) = summary(slice);
            (min, max) = (min.min(lo), max.max(hi));
            alive[ch] |= z < slice.len();
            zeros += z;
            sum += total as f64;
        }
    }
    let len = (n * c * h * w) as f64;
    Some(Activations {
        min,
        max,
        mean: (sum / len) as f32,
        zero_share: (zeros as f64 / len) as f32,
        dead_channels: alive.iter().filter(|&&a| !a).count(),
        channels: c,
    })
}

/// Least, greatest, sum and count of zeros of a map, in one pass over eight lanes: selects,
/// not branches, so that it vectorises (a pass per figure with `fold` and `filter` cost
/// six times as much).
fn summary(xs: &[f32]) -> (f32, f32, f32, usize) {
    let (mut lo, mut hi, mut sum) = ([f32::INFINITY; 8], [f32::NEG_INFINITY; 8], [0.0f32; 8]);
    let mut zeros = [0u32; 8];
    let chunks = xs.chunks_exact(8);
    let tail = chunks.remainder();
    for c in chunks {
        for i in 0..8 {
            let v = c[i];
            lo[i] = if v < lo[i] { v } else { lo[i] };
            hi[i] = if v > hi[i] { v } else { hi[i] };
            sum[i] += v;
            zeros[i] += u32::from(v == 0.0);
        }
    }
    let fold = |init: f32, lanes: [f32; 8], f: fn(f32, f32) -> f32| {
        lanes.into_iter().chain(tail.iter().copied()).fold(init, f)
    };
    let tail_zeros = tail.iter().filter(|&&v| v == 0.0).count();
    (
        fold(f32::INFINITY, lo, f32::min),
        fold(f32::NEG_INFINITY, hi, f32::max),
        sum.iter().sum::<f32>() + tail.iter().sum::<f32>(),
        zeros.iter().map(|&z| z as usize).sum::<usize>() + tail_zeros,
    )
}

/// L2 norm, summed in f64.
fn norm<'a>(xs: impl Iterator<Item = &'a f32>) -> f32 {
    xs.map(|&v| (v as f64) * (v as f64)).sum::<f64>().sqrt() as f32
}

/// L2 norm of a tensor: over its slice when it is contiguous (always, from this crate's
/// layers), since iterating over dynamic dimensions costs about ten times as much.
fn norm_of(x: &ArrayViewD<f32>) -> f32 {
    match x.as_slice_memory_order() {
        Some(s) => norm(s.iter()),
        None => norm(x.iter()),
    }
}

/// The norms of a weight tensor, its gradient and the update `lr · v` that SGD subtracted
/// from it (`v` the velocity after the step; `None` before the first step: no update).
pub fn weights(
    value: &ArrayViewD<f32>,
    grad: &ArrayViewD<f32>,
    v: Option<&ArrayD<f32>>,
    lr: f32,
) -> Weights {
    Weights {
        weight: norm_of(value),
        grad: norm_of(grad),
        update: v.map_or(0.0, |v| lr.abs() * norm_of(&v.view())),
    }
}

/// Every layer's statistics after a training step of `net` with `opt`: call it right after
/// `Network::train_step`, before any other forward pass (an evaluation would replace the
/// outputs measured). Flatten is left out: its output is the layer before it, reshaped.
pub fn layer_stats(net: &mut Network, opt: &Sgd) -> Vec<LayerStats> {
    let rows: Vec<_> = net
        .plan()
        .layers
        .iter()
        .map(|r| (r.id, r.name.clone(), r.kind))
        .collect();
    let outputs: Vec<_> = net
        .last_outputs()
        .into_iter()
        .map(|t| t.and_then(activations))
        .collect();
    let velocity = opt.velocity();
    let mut next_param = 0; // index of the layer's first tensor in `Network::params` order
    let mut stats = Vec::new();
    for (i, layer) in net.layers_mut().iter_mut().enumerate() {
        let params = layer.params();
        // The first tensor of a conv or dense layer is its weights, the second its biases.
        let weights = params.first().map(|p| {
            weights(
                &p.value.view(),
                &p.grad.view(),
                velocity.get(next_param),
                opt.lr,
            )
        });
        next_param += params.len();
        let (id, name, kind) = rows[i].clone();
        if kind != LayerKind::Flatten {
            stats.push(LayerStats {
                id,
                layer: name,
                output: outputs[i],
                weights,
            });
        }
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::plan::{ConvBlock, PoolKind};
    use ndarray::{Array4, array};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn activations_of_a_hand_built_batch() {
        // (N=2, C=2, H=1, W=2): channel 1 is zero in both samples, channel 0 is not.
        let t = Array4::from_shape_vec((2, 2, 1, 2), vec![1.0, -2.0, 0.0, 0.0, 3.0, 0.0, 0.0, 0.0])
            .unwrap();
        let a = activations(&t).unwrap();
        assert_eq!((a.min, a.max), (-2.0, 3.0));
        assert!((a.mean - 2.0 / 8.0).abs() < 1e-7, "{}", a.mean);
        assert_eq!(a.zero_share, 5.0 / 8.0);
        assert_eq!((a.dead_channels, a.channels), (1, 2));
        assert_eq!(activations(&Tensor::zeros((0, 0, 0, 0))), None);
    }

    #[test]
    fn norms_and_the_update_ratio_of_a_hand_built_tensor() {
        let w = array![3.0f32, 4.0].into_dyn(); // ‖w‖ = 5
        let g = array![0.0f32, 2.0].into_dyn();
        let v = array![6.0f32, 8.0].into_dyn(); // ‖v‖ = 10; ‖Δw‖ = 0.01 · 10
        let s = weights(&w.view(), &g.view(), Some(&v), 0.01);
        assert_eq!((s.weight, s.grad), (5.0, 2.0));
        assert!((s.update - 0.1).abs() < 1e-7);
        assert!((s.ratio() - 0.02).abs() < 1e-7);
        let none = weights(&w.view(), &g.view(), None, 0.01);
        assert_eq!((none.update, none.ratio()), (0.0, 0.0));
    }

    /// After a real step: the update is exactly the weights' change, the fused blocks show
    /// only their pool, and the ReLU of an unfused (average-pool) block its own zeros.
    #[test]
    fn a_step_of_a_network_measures_what_it_left_in_memory() {
        let blocks = [
            ConvBlock::new(4, 3, PoolKind::Max),
            ConvBlock::new(4, 3, PoolKind::Avg),
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut net = Network::new(&blocks, &mut rng).unwrap();
        let x = Tensor::from_shape_simple_fn((8, 1, 28, 28), || rng.random::<f32>());
        let labels: Vec<u8> = (0..8).map(|i| i as u8).collect();
        let mut opt = Sgd::new(0.1, 0.0, 0.0);
        let before: Vec<_> = net.params().iter().map(|p| p.value.to_owned()).collect();
        net.train_step(&x, &labels, &mut opt);
        let stats = layer_stats(&mut net, &opt);
        let names: Vec<_> = stats.iter().map(|s| s.layer.as_str()).collect();
        assert_eq!(
            names,
            [
                "conv1", "relu1", "maxpool1", "conv2", "relu2", "avgpool2", "dense"
            ]
        );
        let measured: Vec<_> = stats.iter().map(|s| s.output.is_some()).collect();
        assert_eq!(measured, [false, false, true, true, true, true, false]);
        let after: Vec<_> = net.params().iter().map(|p| p.value.to_owned()).collect();
        let change = |i: usize| norm((&after[i] - &before[i]).iter());
        for (s, i) in [(&stats[0], 0), (&stats[3], 2), (&stats[6], 4)] {
            let w = s.weights.expect("a weighted layer");
            assert!(
                (w.update - change(i)).abs() <= 1e-4 * change(i),
                "{}: {w:?}",
                s.layer
            );
            assert!((w.weight - norm(after[i].iter())).abs() < 1e-4);
        }
        assert!(stats[1].weights.is_none() && stats[2].weights.is_none());
        let relu = stats[4].output.unwrap();
        assert!(
            relu.min == 0.0 && relu.zero_share > 0.0 && relu.zero_share < 1.0,
            "{relu:?}"
        );
        assert!(stats[3].output.unwrap().min < 0.0);
    }
}
