//! The fast layers against the plain ones (`nn::reference`), on random shapes, strides and
//! paddings: the convolution (im2col and a matrix product, the batch split across threads)
//! and both poolings compute what the formula says.

use cnn_tui::nn::conv::Conv2d;
use cnn_tui::nn::plan::{KERNEL_RANGE, POOL_RANGE, STRIDE_RANGE, max_padding};
use cnn_tui::nn::pool::{AvgPool2d, MaxPool2d};
use cnn_tui::nn::reference::{self, Pooling};
use cnn_tui::nn::{Layer, Tensor};
use ndarray::{Array1, Array4};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn uniform(rng: &mut ChaCha8Rng, dim: (usize, usize, usize, usize)) -> Tensor {
    Tensor::from_shape_simple_fn(dim, || rng.random_range(-1.0f32..1.0))
}

/// Equal up to f32 rounding of sums of at most a few hundred terms in [−1, 1].
fn close(fast: &Tensor, plain: &Tensor) -> Result<(), TestCaseError> {
    prop_assert_eq!(fast.dim(), plain.dim());
    for (i, (a, b)) in fast.iter().zip(plain).enumerate() {
        prop_assert!(
            (a - b).abs() <= 1e-4 * (1.0 + b.abs()),
            "[{}]: {} vs {}",
            i,
            a,
            b
        );
    }
    Ok(())
}

/// A kernel side, a padding in 0..=K−1 and a stride, all in the planner's ranges.
fn geometry() -> impl Strategy<Value = (usize, usize, usize)> {
    (KERNEL_RANGE, STRIDE_RANGE).prop_flat_map(|(k, s)| (Just(k), 0..=max_padding(k), Just(s)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn im2col_convolution_is_the_plain_convolution(
        (k, p, s) in geometry(),
        (n, c, f) in (1usize..=5, 1usize..=3, 1usize..=4),
        (extra_h, extra_w) in (0usize..10, 0usize..10),
        seed: u64,
    ) {
        // The smallest side the padded kernel fits, K − 2P (at least 1), plus some.
        let least = k.saturating_sub(2 * p).max(1);
        let (h, w) = (least + extra_h, least + extra_w);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let x = uniform(&mut rng, (n, c, h, w));
        let weight: Array4<f32> = uniform(&mut rng, (f, c, k, k));
        let bias = Array1::from_shape_simple_fn(f, || rng.random_range(-1.0f32..1.0));
        let fast = Conv2d::from_weights("conv", weight.clone(), bias.clone(), s, p).forward(&x);
        let plain = reference::conv2d(x.view(), weight.view(), bias.view(), s, p);
        close(&fast, &plain)?;
    }

    #[test]
    fn pooling_layers_are_the_plain_pooling(
        window in POOL_RANGE,
        (n, c) in (1usize..=4, 1usize..=3),
        (extra_h, extra_w) in (0usize..10, 0usize..10),
        seed: u64,
    ) {
        let (h, w) = (window + extra_h, window + extra_w);
        let x = uniform(&mut ChaCha8Rng::seed_from_u64(seed), (n, c, h, w));
        let max = MaxPool2d::new("max", window).forward(&x);
        close(&max, &reference::pool2d(x.view(), Pooling::Max, window))?;
        let avg = AvgPool2d::new("avg", window).forward(&x);
        close(&avg, &reference::pool2d(x.view(), Pooling::Avg, window))?;
    }
}
