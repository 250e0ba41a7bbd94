//! The training fast path, a conv fused with its ReLU and max-pool (`Layer::forward_fused`),
//! against the three layers run one by one: the same outputs bit for bit, the same
//! gradients up to the order of float additions; and its output against the plain
//! convolution and pooling (`nn::reference`). Random shapes reach both backward paths:
//! scattering from the pooled gradient (kernel rows `K·C ≥ 8`, windows ≥ 2) and the dense one.

use cnn_tui::nn::activation::Relu;
use cnn_tui::nn::conv::Conv2d;
use cnn_tui::nn::plan::{KERNEL_RANGE, max_padding};
use cnn_tui::nn::pool::MaxPool2d;
use cnn_tui::nn::reference::{self, Pooling};
use cnn_tui::nn::{Layer, Tensor};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Every parameter gradient, flat.
fn grads(layer: &mut dyn Layer) -> Vec<Vec<f32>> {
    layer
        .params()
        .iter()
        .map(|p| p.grad.iter().copied().collect())
        .collect()
}

/// Equal up to `tol` times the largest of `b`.
fn close_to(tol: f32, what: &str, a: &[f32], b: &[f32]) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    let scale = b.iter().fold(0.0f32, |m, v| m.max(v.abs())).max(1e-6);
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= tol * scale,
            "{what}[{i}]: fused {x} vs {y}"
        );
    }
}

/// Equal up to the order of float additions.
fn close(what: &str, a: &[f32], b: &[f32]) {
    close_to(1e-5, what, a, b);
}

/// One geometry: `(N, C, H, W)` input, `F` filters of `K×K` with padding `P`, pool `win`.
/// Returns whether any weight gradient was not 0 (the ReLU may cut everything on tiny maps).
fn check(dim: (usize, usize, usize, usize), f: usize, k: usize, p: usize, win: usize) -> bool {
    let mut rng = ChaCha8Rng::seed_from_u64((dim.2 * 100 + k * 10 + win) as u64);
    let mut conv = Conv2d::new("conv", dim.1, f, k, 1, p, &mut rng);
    if let Some(mut bias) = conv.params().into_iter().nth(1) {
        bias.value.mapv_inplace(|_| rng.random_range(-0.3..0.3));
    }
    let x = Tensor::from_shape_simple_fn(dim, || rng.random_range(-1.0f32..1.0));
    let (mut relu, mut pool) = (Relu::new("relu"), MaxPool2d::new("pool", win));
    let y = pool.forward(&relu.forward(&conv.forward(&x)));
    let dy = Tensor::from_shape_simple_fn(y.dim(), || rng.random_range(-1.0f32..1.0));
    conv.zero_grad();
    let dx = conv.backward(&relu.backward(&pool.backward(&dy)));
    let layers = grads(&mut conv);

    assert!(conv.fusable(), "a stride-1 conv fuses");
    let fused_y = conv.forward_fused(&x, win, Tensor::zeros((0, 0, 0, 0)));
    assert_eq!(fused_y, y, "{dim:?} k{k} p{p} pool {win}: forward");
    let (kernel, bias) = (conv.kernel().unwrap(), conv.bias().unwrap());
    let plain = reference::conv2d(x.view(), kernel, bias, 1, p).mapv(|v| v.max(0.0));
    let plain = reference::pool2d(plain.view(), Pooling::Max, win);
    // The reference sums in another order, up to 7·7·9 terms.
    close_to(
        1e-4,
        &format!("{dim:?} k{k} p{p} pool {win}: forward against the reference"),
        fused_y.as_slice().unwrap(),
        plain.as_slice().unwrap(),
    );
    conv.zero_grad();
    let fused_dx = conv
        .backward_fused(&dy, Some(Tensor::zeros((0, 0, 0, 0))))
        .unwrap();
    let what = format!("{dim:?} k{k} p{p} pool {win}");
    close(
        &format!("{what} dx"),
        fused_dx.as_slice().unwrap(),
        dx.as_slice().unwrap(),
    );
    for (i, (a, b)) in grads(&mut conv).iter().zip(&layers).enumerate() {
        close(&format!("{what} param {i}"), a, b);
    }
    layers[0].iter().any(|&g| g != 0.0)
}

#[test]
fn fused_conv_relu_maxpool_matches_the_three_layers() {
    let cases = [
        ((3, 1, 28, 28), 8, 3, 1, 2), // conv1 of the default network: dense backward
        ((11, 8, 14, 14), 16, 3, 1, 2), // conv2, with a short last chunk: scattering
        ((2, 3, 9, 11), 4, 3, 0, 2),  // 7×9: a row and a column no window reaches
        ((2, 2, 10, 10), 5, 5, 2, 3), // 10×10 in windows of 3
        ((1, 2, 8, 8), 3, 3, 1, 4),
        ((1, 2, 6, 6), 3, 1, 0, 1),
        ((9, 5, 7, 7), 3, 2, 1, 2), // K·C = 10: one vector and a remainder
    ];
    for (dim, f, k, p, win) in cases {
        assert!(
            check(dim, f, k, p, win),
            "{dim:?} k{k}: some gradient flows"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn fused_block_matches_on_random_shapes(
        k in KERNEL_RANGE,
        pad_choice in 0usize..8,
        (n, c, f, win) in (1usize..=10, 1usize..=9, 1usize..=6, 1usize..=4),
        (extra_h, extra_w) in (0usize..6, 0usize..6),
    ) {
        let p = pad_choice % (max_padding(k) + 1);
        // The smallest side whose conv output holds one window: OH = H + 2P − K + 1 ≥ win.
        let least = (win + k - 1).saturating_sub(2 * p).max(1);
        check((n, c, least + extra_h, least + extra_w), f, k, p, win);
    }
}
