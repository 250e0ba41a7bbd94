//! Golden values, worked out by hand: edge kernels on step images, strides and paddings
//! whose division is not exact, and max against average pooling on a 4×4. Each holds for the
//! engine's layers and for the plain convolution and pooling (`nn::reference`) alike: every
//! forward below runs both and asserts they agree.

use cnn_tui::nn::conv::Conv2d;
use cnn_tui::nn::plan::conv_out_len;
use cnn_tui::nn::pool::{AvgPool2d, MaxPool2d};
use cnn_tui::nn::reference::{self, Pooling};
use cnn_tui::nn::{Layer, Tensor};
use ndarray::{Array1, Array2, Array4, array};

/// One image `(1, 1, H, W)` from rows.
fn image(rows: Array2<f32>) -> Tensor {
    let (h, w) = rows.dim();
    rows.as_standard_layout()
        .into_owned()
        .into_shape_with_order((1, 1, h, w))
        .unwrap()
}

/// A convolution twice: the engine's (im2col) and the plain one. `forward` runs both and
/// asserts they agree exactly (the golden sums are small integers and halves, exact in f32).
struct Both {
    fast: Conv2d,
    weight: Array4<f32>,
    bias: Array1<f32>,
    stride: usize,
    padding: usize,
}

impl Both {
    fn new(weight: Array4<f32>, bias: Array1<f32>, stride: usize, padding: usize) -> Both {
        let fast = Conv2d::from_weights("conv", weight.clone(), bias.clone(), stride, padding);
        Both {
            fast,
            weight,
            bias,
            stride,
            padding,
        }
    }

    fn forward(&mut self, x: &Tensor) -> Tensor {
        let y = self.fast.forward(x);
        let (w, b) = (self.weight.view(), self.bias.view());
        let plain = reference::conv2d(x.view(), w, b, self.stride, self.padding);
        assert_eq!(y, plain, "im2col and the plain convolution disagree");
        y
    }
}

/// One `K×K` kernel on one channel.
fn conv(kernel: Array2<f32>, bias: f32, stride: usize, padding: usize) -> Both {
    let k = kernel.nrows();
    let weight = kernel
        .as_standard_layout()
        .into_owned()
        .into_shape_with_order((1, 1, k, k))
        .unwrap();
    Both::new(weight, Array1::from_elem(1, bias), stride, padding)
}

/// `layer.forward(x)`, asserted equal (to rounding) to the plain pooling of `x`.
fn pool(layer: &mut dyn Layer, op: Pooling, window: usize, x: &Tensor) -> Tensor {
    let y = layer.forward(x);
    let plain = reference::pool2d(x.view(), op, window);
    assert_eq!(y.dim(), plain.dim());
    assert!(
        y.iter()
            .zip(&plain)
            .all(|(a, b)| (a - b).abs() <= 1e-6 * (1.0 + a.abs())),
        "{} and the plain pooling disagree: {y} vs {plain}",
        layer.name()
    );
    y
}

fn plane(t: &Tensor) -> Array2<f32> {
    t.index_axis(ndarray::Axis(0), 0)
        .index_axis(ndarray::Axis(0), 0)
        .to_owned()
}

/// Left two columns 0, the rest 1: a vertical step.
fn vertical_step() -> Tensor {
    image(Array2::from_shape_fn((5, 5), |(_, j)| {
        if j >= 2 { 1.0 } else { 0.0 }
    }))
}

fn vertical_edge() -> Array2<f32> {
    array![[-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]]
}

fn horizontal_edge() -> Array2<f32> {
    vertical_edge().t().to_owned()
}

#[test]
fn vertical_edge_finds_the_vertical_step() {
    // out(i, j) = Σ_rows x[j+2] − x[j] = 3·(x[j+2] − x[j]): columns 0 and 1 straddle the step.
    let y = conv(vertical_edge(), 0.0, 1, 0).forward(&vertical_step());
    assert_eq!(
        plane(&y),
        array![[3.0, 3.0, 0.0], [3.0, 3.0, 0.0], [3.0, 3.0, 0.0]]
    );
}

#[test]
fn horizontal_edge_ignores_the_vertical_step_and_finds_the_horizontal_one() {
    let y = conv(horizontal_edge(), 0.0, 1, 0).forward(&vertical_step());
    assert_eq!(plane(&y), Array2::<f32>::zeros((3, 3)));
    let horizontal_step = image(plane(&vertical_step()).t().to_owned());
    let y = conv(horizontal_edge(), 0.0, 1, 0).forward(&horizontal_step);
    assert_eq!(
        plane(&y),
        array![[3.0, 3.0, 3.0], [3.0, 3.0, 3.0], [0.0, 0.0, 0.0]]
    );
}

#[test]
fn padding_adds_zeros_around_and_bias_adds_everywhere() {
    // With P = 1, out(i, j) = Σ_rows x[j+1] − x[j−1] (outside = 0); the top and bottom rows
    // see only two image rows. The last column sees 0 − 1.
    let y = conv(vertical_edge(), 0.5, 1, 1).forward(&vertical_step());
    let middle = [0.5, 3.5, 3.5, 0.5, -2.5];
    let edge = [0.5, 2.5, 2.5, 0.5, -1.5];
    let expected =
        Array2::from_shape_fn(
            (5, 5),
            |(i, j)| if i == 0 || i == 4 { edge[j] } else { middle[j] },
        );
    assert_eq!(plane(&y), expected);
}

#[test]
fn stride_two_on_five_drops_nothing_and_gives_two() {
    // 5×5, K 3, S 2, P 0: ⌊(5 − 3)/2⌋ + 1 = 2. With a kernel of ones each output is the sum
    // of a 3×3 block of x = 5i + j starting at (2a, 2b): 45·(r0 + 1) + 9·(c0 + 1).
    let x = image(Array2::from_shape_fn((5, 5), |(i, j)| (5 * i + j) as f32));
    let y = conv(Array2::ones((3, 3)), 0.0, 2, 0).forward(&x);
    assert_eq!(plane(&y), array![[54.0, 72.0], [144.0, 162.0]]);
}

#[test]
fn stride_four_on_six_drops_the_last_column() {
    // 6×6, K 3, S 4, P 1: ⌊(6 + 2 − 3)/4⌋ + 1 = 2, and (6 + 2 − 3) mod 4 = 1 padded column
    // is never reached. Windows start at −1 and 3 (rows and columns) over x = 6i + j.
    let x = image(Array2::from_shape_fn((6, 6), |(i, j)| (6 * i + j) as f32));
    let y = conv(Array2::ones((3, 3)), 0.0, 4, 1).forward(&x);
    // (0,0): 0+1+6+7; (0,1): 3+4+5 + 9+10+11; (1,0): 18+19 + 24+25 + 30+31; (1,1): 21+…+35.
    assert_eq!(plane(&y), array![[14.0, 42.0], [147.0, 252.0]]);
}

#[test]
fn two_input_channels_add_up() {
    // Channel 0 through the vertical kernel, channel 1 through the horizontal one.
    let step = plane(&vertical_step());
    let x = Array4::from_shape_fn((1, 2, 5, 5), |(_, c, i, j)| {
        if c == 0 { step[[i, j]] } else { step[[j, i]] }
    });
    let mut weight = Array4::zeros((1, 2, 3, 3));
    weight
        .slice_mut(ndarray::s![0, 0, .., ..])
        .assign(&vertical_edge());
    weight
        .slice_mut(ndarray::s![0, 1, .., ..])
        .assign(&horizontal_edge());
    let y = Both::new(weight, Array1::zeros(1), 1, 0).forward(&x);
    assert_eq!(
        plane(&y),
        array![[6.0, 6.0, 3.0], [6.0, 6.0, 3.0], [3.0, 3.0, 0.0]]
    );
}

#[test]
fn output_shapes_follow_the_formula() {
    for (side, k, s, p) in [
        (28, 3, 1, 1),
        (28, 5, 3, 0),
        (5, 3, 2, 0),
        (6, 3, 4, 1),
        (7, 7, 1, 3),
        (9, 5, 2, 2),
        (10, 1, 4, 0),
    ] {
        let x = Tensor::zeros((2, 3, side, side));
        let y = Both::new(Array4::zeros((4, 3, k, k)), Array1::zeros(4), s, p).forward(&x);
        let out = conv_out_len(side, k, s, p).unwrap();
        assert_eq!(y.dim(), (2, 4, out, out), "side {side} k {k} s {s} p {p}");
    }
}

fn pool_input() -> Tensor {
    image(array![
        [1.0, 2.0, 5.0, 0.0],
        [3.0, 4.0, 1.0, 1.0],
        [0.0, -1.0, 2.0, 2.0],
        [-2.0, 6.0, 2.0, 8.0]
    ])
}

#[test]
fn max_and_average_pooling_on_a_hand_4x4() {
    let mut max = MaxPool2d::new("max", 2);
    assert_eq!(
        plane(&pool(&mut max, Pooling::Max, 2, &pool_input())),
        array![[4.0, 5.0], [6.0, 8.0]]
    );
    let mut avg = AvgPool2d::new("avg", 2);
    assert_eq!(
        plane(&pool(&mut avg, Pooling::Avg, 2, &pool_input())),
        array![[2.5, 1.75], [0.75, 3.5]]
    );

    // The gradient goes to each window's maximum, or is shared by its four pixels.
    let dy = image(array![[1.0, 2.0], [3.0, 4.0]]);
    let dx = max.backward(&dy);
    let expected = array![
        [0.0, 0.0, 2.0, 0.0],
        [0.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0],
        [0.0, 3.0, 0.0, 4.0]
    ];
    assert_eq!(plane(&dx), expected);
    let dx = avg.backward(&dy);
    assert_eq!(
        plane(&dx),
        Array2::from_shape_fn((4, 4), |(i, j)| dy[[0, 0, i / 2, j / 2]] / 4.0)
    );
}

#[test]
fn window_three_on_four_drops_the_rest_and_ties_go_first() {
    let mut max = MaxPool2d::new("max", 3);
    assert_eq!(
        plane(&pool(&mut max, Pooling::Max, 3, &pool_input())),
        array![[5.0]]
    );
    let mut avg = AvgPool2d::new("avg", 3);
    let y = pool(&mut avg, Pooling::Avg, 3, &pool_input());
    assert_eq!(y.dim(), (1, 1, 1, 1));
    assert!((y[[0, 0, 0, 0]] - 17.0 / 9.0).abs() < 1e-6);
    let dx = avg.backward(&image(array![[9.0]]));
    let expected = Array2::from_shape_fn((4, 4), |(i, j)| if i < 3 && j < 3 { 1.0 } else { 0.0 });
    assert!(
        plane(&dx)
            .iter()
            .zip(&expected)
            .all(|(a, b)| (a - b).abs() < 1e-6),
        "{dx}"
    );

    // Every window a tie: the gradient goes to its first (top-left) pixel.
    let mut max = MaxPool2d::new("max", 2);
    max.forward(&image(Array2::ones((4, 4))));
    let dx = max.backward(&image(array![[1.0, 2.0], [3.0, 4.0]]));
    let expected = array![
        [1.0, 0.0, 2.0, 0.0],
        [0.0, 0.0, 0.0, 0.0],
        [3.0, 0.0, 4.0, 0.0],
        [0.0, 0.0, 0.0, 0.0]
    ];
    assert_eq!(plane(&dx), expected);
}
