//! Gradient checks: every layer's backward (dx and every parameter) and the whole network's,
//! against centred finite differences.
//!
//! The whole network is checked against a plain f64 re-implementation of its forward pass
//! (`reference_logits`, on the plain convolution `nn::reference`), which also checks the
//! engine's forward.
//!
//! For a layer, the loss is `L = Σ out · r` with a fixed random `r`, so `dL/dout = r`. The
//! loss is summed in f64 from the layer's f32 outputs. Inputs are chosen so that no
//! perturbation crosses a kink: distinct values far apart for max pooling, values away from
//! 0 for ReLU. A gradient entry passes when
//! `|analytic − numeric| ≤ 1e-2 · max(|analytic|, |numeric|, 1e-2 · largest |analytic| of its tensor)`:
//! relative error below 1e-2, where entries tiny next to the rest of their tensor are judged
//! against the tensor's scale, as their finite difference is mostly rounding.
//! Large tensors are checked on a random sample of their entries (always the first and last).

use cnn_tui::config::{Arch, ConvBlock, PoolKind, Preset};
use cnn_tui::nn::activation::Relu;
use cnn_tui::nn::conv::Conv2d;
use cnn_tui::nn::dense::Dense;
use cnn_tui::nn::flatten::Flatten;
use cnn_tui::nn::plan::{ArchPlan, CLASSES, LayerKind};
use cnn_tui::nn::pool::{AvgPool2d, MaxPool2d};
use cnn_tui::nn::reference::{self, Pooling};
use cnn_tui::nn::{Layer, Network, Tensor};
use ndarray::{Array2, Array4, ArrayD, Ix1, Ix2, Ix4};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const TOLERANCE: f64 = 1e-2;
/// Entries checked per tensor at most.
const SAMPLES: usize = 24;

fn uniform(rng: &mut ChaCha8Rng, dim: (usize, usize, usize, usize), scale: f32) -> Tensor {
    Tensor::from_shape_simple_fn(dim, || rng.random_range(-scale..scale))
}

/// All different, at least 0.1 apart: a ±eps nudge never changes which value is largest.
fn distinct(rng: &mut ChaCha8Rng, dim: (usize, usize, usize, usize)) -> Tensor {
    let len = dim.0 * dim.1 * dim.2 * dim.3;
    let mut values: Vec<f32> = (0..len)
        .map(|i| (i as f32 - len as f32 / 2.0) * 0.1)
        .collect();
    values.shuffle(rng);
    Tensor::from_shape_vec(dim, values).unwrap()
}

/// Uniform in ±[0.1, 1]: no ReLU input within a nudge of 0.
fn away_from_zero(rng: &mut ChaCha8Rng, dim: (usize, usize, usize, usize)) -> Tensor {
    Tensor::from_shape_simple_fn(dim, || {
        let v = rng.random_range(0.1f32..1.0);
        if rng.random() { v } else { -v }
    })
}

fn indices(rng: &mut ChaCha8Rng, len: usize) -> Vec<usize> {
    if len <= SAMPLES {
        return (0..len).collect();
    }
    let mut picked: Vec<usize> = (0..SAMPLES - 2).map(|_| rng.random_range(0..len)).collect();
    picked.extend([0, len - 1]);
    picked
}

/// Compare an analytic gradient (flat, in memory order) with finite differences of `loss`
/// at the sampled entries; `loss(i, delta)` is the loss with entry `i` moved by `delta`.
fn compare(
    what: &str,
    analytic: &[f32],
    eps: f64,
    rng: &mut ChaCha8Rng,
    mut loss: impl FnMut(usize, f64) -> f64,
) {
    let scale = analytic
        .iter()
        .fold(0.0f64, |m, &v| m.max(f64::from(v).abs()));
    for i in indices(rng, analytic.len()) {
        let numeric = (loss(i, eps) - loss(i, -eps)) / (2.0 * eps);
        let a = f64::from(analytic[i]);
        let bound = TOLERANCE * a.abs().max(numeric.abs()).max(1e-2 * scale);
        assert!(
            (a - numeric).abs() <= bound,
            "{what}[{i}]: analytic {a:.6e}, numeric {numeric:.6e} (tensor scale {scale:.3e})"
        );
    }
}

fn probe_loss(layer: &mut dyn Layer, x: &Tensor, r: &Tensor) -> f64 {
    let y = layer.forward(x);
    assert_eq!(y.dim(), r.dim());
    y.iter()
        .zip(r)
        .map(|(&a, &b)| f64::from(a) * f64::from(b))
        .sum()
}

/// Check `dx` and every parameter gradient of `layer` at input `x`.
fn check_layer(what: &str, layer: &mut dyn Layer, x: &Tensor, eps: f64, rng: &mut ChaCha8Rng) {
    let r = uniform(rng, layer.forward(x).dim(), 1.0);
    layer.zero_grad();
    layer.forward(x);
    let dx = layer.backward(&r);
    assert_eq!(dx.dim(), x.dim(), "{what}: dx has the input's shape");
    let grads: Vec<ArrayD<f32>> = layer.params().iter().map(|p| p.grad.to_owned()).collect();
    let mut xp = x.clone();
    compare(
        &format!("{what} dx"),
        dx.as_slice().unwrap(),
        eps,
        rng,
        |i, d| {
            let orig = xp.as_slice().unwrap()[i];
            xp.as_slice_mut().unwrap()[i] = orig + d as f32;
            let l = probe_loss(layer, &xp, &r);
            xp.as_slice_mut().unwrap()[i] = orig;
            l
        },
    );
    for (p, grad) in grads.iter().enumerate() {
        compare(
            &format!("{what} param {p}"),
            grad.as_slice().unwrap(),
            eps,
            rng,
            |i, d| {
                nudge(layer, p, i, d);
                let l = probe_loss(layer, x, &r);
                nudge(layer, p, i, -d);
                l
            },
        );
    }
}

fn nudge(layer: &mut dyn Layer, param: usize, i: usize, delta: f64) {
    layer.params()[param].value.as_slice_mut().unwrap()[i] += delta as f32;
}

#[test]
fn conv_every_stride_padding_and_kernel() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for k in [3, 5] {
        for s in [1, 2, 3] {
            for p in (0..=2).filter(|&p| p < k) {
                let mut conv = Conv2d::new("conv", 2, 3, k, s, p, &mut rng);
                let x = uniform(&mut rng, (3, 2, 9, 8), 1.0);
                check_layer(
                    &format!("conv k{k} s{s} p{p}"),
                    &mut conv,
                    &x,
                    1e-2,
                    &mut rng,
                );
            }
        }
    }
}

#[test]
fn conv_with_several_groups_per_chunk() {
    // 200 rows × 896 columns per sample: one sample per matrix product, several per chunk.
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let mut conv = Conv2d::new("conv", 8, 4, 5, 1, 2, &mut rng);
    let x = uniform(&mut rng, (7, 8, 28, 28), 1.0);
    check_layer("conv big", &mut conv, &x, 1e-2, &mut rng);
}

#[test]
fn conv_first_layer_skips_dx_but_not_dw() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut conv = Conv2d::new("conv", 1, 4, 3, 1, 1, &mut rng);
    let x = uniform(&mut rng, (5, 1, 12, 12), 1.0);
    let r = uniform(&mut rng, (5, 4, 12, 12), 1.0);
    conv.forward(&x);
    conv.backward(&r);
    let full: Vec<ArrayD<f32>> = conv.params().iter().map(|p| p.grad.to_owned()).collect();
    conv.zero_grad();
    conv.forward(&x);
    conv.backward_params_only(&r);
    for (a, b) in full.iter().zip(conv.params()) {
        assert!(
            a.iter()
                .zip(b.grad.iter())
                .all(|(x, y)| (x - y).abs() <= 1e-5 * (1.0 + x.abs()))
        );
    }
}

#[test]
fn relu() {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let x = away_from_zero(&mut rng, (3, 2, 5, 4));
    check_layer("relu", &mut Relu::new("relu"), &x, 1e-2, &mut rng);
}

#[test]
fn pools_with_windows_2_and_3() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for w in [2, 3] {
        // 7×8: the last row (and for 3, the last 2 columns and row) fall outside every window.
        let x = distinct(&mut rng, (3, 2, 7, 8));
        check_layer(
            &format!("maxpool {w}"),
            &mut MaxPool2d::new("max", w),
            &x,
            1e-2,
            &mut rng,
        );
        let x = uniform(&mut rng, (3, 2, 7, 8), 1.0);
        check_layer(
            &format!("avgpool {w}"),
            &mut AvgPool2d::new("avg", w),
            &x,
            1e-2,
            &mut rng,
        );
    }
}

#[test]
fn flatten_and_dense() {
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let x = uniform(&mut rng, (3, 2, 3, 4), 1.0);
    check_layer("flatten", &mut Flatten::new("flatten"), &x, 1e-2, &mut rng);
    let x = uniform(&mut rng, (4, 24, 1, 1), 1.0);
    check_layer(
        "dense",
        &mut Dense::new("dense", 24, 10, &mut rng),
        &x,
        1e-2,
        &mut rng,
    );
}

/// Mean softmax cross-entropy in f64 from the logits `(N, K)`.
fn reference_loss(logits: &Array2<f64>, labels: &[u8]) -> f64 {
    let rows = logits.rows().into_iter().zip(labels);
    let total: f64 = rows
        .map(|(z, &y)| {
            let max = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            z.iter().map(|v| (v - max).exp()).sum::<f64>().ln() + max - z[y as usize]
        })
        .sum();
    total / labels.len() as f64
}

/// The network's forward pass again, in f64 with plain loops, from the ledger and a copy
/// of the parameters (`params[layer][i]`): an independent reference for the engine.
fn reference_logits(plan: &ArchPlan, params: &[Vec<ArrayD<f64>>], x: &Array4<f64>) -> Array2<f64> {
    let mut h = x.clone();
    for (row, p) in plan.layers.iter().zip(params) {
        h = match row.kind {
            LayerKind::Conv => {
                let w = p[0].view().into_dimensionality::<Ix4>().unwrap();
                let b = p[1].view().into_dimensionality::<Ix1>().unwrap();
                reference::conv2d(h.view(), w, b, row.stride, row.padding)
            }
            LayerKind::Relu => h.mapv(|v| v.max(0.0)),
            LayerKind::MaxPool => reference::pool2d(h.view(), Pooling::Max, row.kernel),
            LayerKind::AvgPool => reference::pool2d(h.view(), Pooling::Avg, row.kernel),
            LayerKind::Flatten => {
                let n = h.dim().0;
                h.to_shape((n, h.len() / n, 1, 1)).unwrap().to_owned()
            }
            LayerKind::Dense => {
                let n = h.dim().0;
                let w = p[0].view().into_dimensionality::<Ix2>().unwrap();
                let b = p[1].view().into_dimensionality::<Ix1>().unwrap();
                let y = h.to_shape((n, w.ncols())).unwrap().dot(&w.t()) + b;
                y.into_shape_with_order((n, w.nrows(), 1, 1)).unwrap()
            }
        };
    }
    let n = h.dim().0;
    h.into_shape_with_order((n, CLASSES)).unwrap()
}

/// The engine's gradients (f32) against central differences of the f64 reference, whose
/// step can be tiny (1e-6): no ReLU kink or max-pool switch is within reach, and f64
/// rounding is far below it.
fn check_network(arch: &Arch, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut net = Network::new(&arch.blocks, &mut rng).unwrap();
    // Biases start at 0, so a window of zeros after a ReLU gives a pre-activation of exactly 0,
    // the ReLU's kink itself. Move them off 0.
    for layer in net.layers_mut() {
        if let Some(mut bias) = layer.params().into_iter().nth(1) {
            bias.value.mapv_inplace(|_| rng.random_range(0.05..0.1));
        }
    }
    let x = Tensor::from_shape_simple_fn((3, 1, 28, 28), || rng.random::<f32>());
    let x64 = x.mapv(f64::from);
    let labels = [3u8, 7, 1];
    let result = net.loss_and_backward(&x, &labels);
    let plan = net.plan().clone();
    let mut params: Vec<Vec<ArrayD<f64>>> = net
        .layers_mut()
        .iter_mut()
        .map(|l| l.params().iter().map(|p| p.value.mapv(f64::from)).collect())
        .collect();
    let reference = reference_logits(&plan, &params, &x64);
    let engine = net.forward(&x).mapv(f64::from);
    assert!(
        engine
            .iter()
            .zip(&reference)
            .all(|(a, b)| (a - b).abs() < 1e-4 * (1.0 + b.abs())),
        "forward differs"
    );
    assert!((f64::from(result.loss) - reference_loss(&reference, &labels)).abs() < 1e-5);
    for li in 0..params.len() {
        let grads: Vec<ArrayD<f32>> = net.layers_mut()[li]
            .params()
            .iter()
            .map(|p| p.grad.to_owned())
            .collect();
        for (p, grad) in grads.iter().enumerate() {
            let what = format!("{arch:?} {} param {p}", plan.layers[li].name);
            compare(&what, grad.as_slice().unwrap(), 1e-6, &mut rng, |i, d| {
                params[li][p].as_slice_mut().unwrap()[i] += d;
                let l = reference_loss(&reference_logits(&plan, &params, &x64), &labels);
                params[li][p].as_slice_mut().unwrap()[i] -= d;
                l
            });
        }
    }
}

#[test]
fn network_presets() {
    check_network(&Arch::preset(Preset::Default), 7);
    check_network(&Arch::preset(Preset::Tiny), 8);
}

#[test]
fn network_variants() {
    let block = |filters, kernel, stride, padding, pool, pool_size| ConvBlock {
        filters,
        kernel,
        stride,
        padding,
        pool,
        pool_size,
    };
    let archs = [
        vec![
            block(4, 5, 2, 2, PoolKind::Avg, 3),
            block(6, 3, 1, 0, PoolKind::Max, 2),
        ],
        vec![
            block(3, 3, 3, 1, PoolKind::None, 2),
            block(5, 3, 1, 1, PoolKind::Avg, 2),
        ],
        vec![
            block(4, 3, 1, 0, PoolKind::Max, 3),
            block(4, 3, 2, 1, PoolKind::None, 2),
            block(6, 3, 1, 1, PoolKind::Max, 2),
        ],
    ];
    for (i, blocks) in archs.into_iter().enumerate() {
        check_network(&Arch { blocks }, 10 + i as u64);
    }
}

#[test]
fn batch_splitting_does_not_change_outputs() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let mut net = Network::new(&Arch::default().blocks, &mut rng).unwrap();
    let x = Tensor::from_shape_simple_fn((9, 1, 28, 28), || rng.random::<f32>());
    let together = net.forward(&x);
    for n in 0..9 {
        let one = net.forward(&x.slice(ndarray::s![n..n + 1, .., .., ..]).to_owned());
        for (a, b) in one.iter().zip(together.row(n)) {
            assert!(
                (a - b).abs() <= 1e-5 * (1.0 + a.abs()),
                "sample {n}: {a} vs {b}"
            );
        }
    }
}
