//! The training fast path, a conv fused with its ReLU and max-pool (`Layer::forward_fused`),
//! against the three layers run one by one: the same outputs bit for bit, the same
//! gradients up to the order of float additions.

use cnn_tui::nn::activation::Relu;
use cnn_tui::nn::conv::Conv2d;
use cnn_tui::nn::pool::MaxPool2d;
use cnn_tui::nn::{Layer, Tensor};
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

fn close(what: &str, a: &[f32], b: &[f32]) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    let scale = b.iter().fold(0.0f32, |m, v| m.max(v.abs())).max(1e-6);
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= 1e-5 * scale,
            "{what}[{i}]: fused {x} vs layers {y}"
        );
    }
}

/// One geometry: `(N, C, H, W)` input, `F` filters of `K×K` with padding `P`, pool `win`.
fn check(dim: (usize, usize, usize, usize), f: usize, k: usize, p: usize, win: usize) {
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
    assert!(
        layers[0].iter().any(|&g| g != 0.0),
        "{what}: some gradient flows"
    );
}

#[test]
fn fused_conv_relu_maxpool_matches_the_three_layers() {
    check((3, 1, 28, 28), 8, 3, 1, 2); // conv1 of the default network
    check((11, 8, 14, 14), 16, 3, 1, 2); // conv2, with a short last chunk
    check((2, 3, 9, 11), 4, 3, 0, 2); // 7×9: a row and a column no window reaches
    check((2, 2, 10, 10), 5, 5, 2, 3); // 10×10 in windows of 3
    check((1, 2, 8, 8), 3, 3, 1, 4);
    check((1, 2, 6, 6), 3, 1, 0, 1);
}
