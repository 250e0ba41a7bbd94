//! The backward pass carried down to the input image: how much each pixel moves one class's
//! logit. The saliency map "gradient × input" is built on it.
//!
//! # Shapes
//! image `(1, 1, 28, 28)` → logits `(1, 10)`; `∂ logit[class] / ∂ image` `(28, 28)`.

use super::plan::{CLASSES, INPUT_CHANNELS, INPUT_SIDE};
use super::{Network, Tensor};
use ndarray::{Array2, Axis};

impl Network {
    /// `∂ logit[class] / ∂ x` for one image `x` `(1, 1, 28, 28)`, as `(28, 28)`.
    ///
    /// The layers run one by one (never fused) so that every one caches what its full
    /// backward needs, and the first convolution's backward computes its input gradient,
    /// which training skips. The parameter gradients this adds are zeroed again: a copy that
    /// trains on is not disturbed. Panics on another shape or a class ≥ 10 (a programmer's
    /// error: callers hand it a probe digit and a predicted class).
    pub fn logit_input_gradient(&mut self, x: &Tensor, class: usize) -> Array2<f32> {
        assert_eq!(
            x.dim(),
            (1, INPUT_CHANNELS, INPUT_SIDE, INPUT_SIDE),
            "the input gradient is of one image (1, 1, 28, 28)"
        );
        assert!(class < CLASSES, "class {class} is not one of the 10");
        let mut h = x.clone();
        for layer in self.layers_mut() {
            h = layer.forward(&h); // (1,C,H,W) → (1,C',H',W'); the last is (1,10,1,1)
        }
        // d logit[class] / d logits: one-hot, (1,10,1,1).
        let mut dy = Tensor::zeros((1, CLASSES, 1, 1));
        dy[[0, class, 0, 0]] = 1.0;
        for layer in self.layers_mut().iter_mut().rev() {
            dy = layer.backward(&dy); // → the layer's input gradient
        }
        self.zero_grad();
        dy.index_axis_move(Axis(0), 0).index_axis_move(Axis(0), 0) // (1,1,28,28) → (28,28)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::plan::{ConvBlock, PoolKind};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The gradient against centred differences of the logit, in f64 from the f32 logits. A
    /// nudge may cross a ReLU's or a max-pool's kink, so most pixels (not all) must agree to
    /// 2 % (tiny entries judged against the map's largest, as in tests/gradcheck.rs), and the
    /// whole map must point the same way.
    #[test]
    fn the_input_gradient_matches_finite_differences() {
        let blocks = [
            ConvBlock::new(4, 3, PoolKind::Max),
            ConvBlock::new(6, 3, PoolKind::Avg),
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut net = Network::new(&blocks, &mut rng).unwrap();
        let x = Tensor::from_shape_simple_fn((1, 1, 28, 28), || rng.random_range(0.0f32..1.0));
        let class = 3;
        let grad = net.logit_input_gradient(&x, class);
        assert_eq!(grad.dim(), (28, 28));
        let largest = f64::from(grad.iter().fold(0.0f32, |m, v| m.max(v.abs())));
        let eps = 1e-3f32;
        let mut logit_at = |x: &Tensor| f64::from(net.forward(x)[[0, class]]);
        let (mut agree, mut checked, mut dot, mut norms) = (0, 0, 0.0, (0.0, 0.0));
        for i in (0..28).step_by(3) {
            for j in (0..28).step_by(3) {
                let mut plus = x.clone();
                plus[[0, 0, i, j]] += eps;
                let mut minus = x.clone();
                minus[[0, 0, i, j]] -= eps;
                let numeric = (logit_at(&plus) - logit_at(&minus)) / (2.0 * f64::from(eps));
                let analytic = f64::from(grad[[i, j]]);
                let scale = numeric.abs().max(analytic.abs()).max(1e-2 * largest);
                agree += usize::from((numeric - analytic).abs() <= 2e-2 * scale);
                checked += 1;
                dot += numeric * analytic;
                norms = (norms.0 + numeric * numeric, norms.1 + analytic * analytic);
            }
        }
        let cosine = dot / (norms.0.sqrt() * norms.1.sqrt());
        assert!(cosine > 0.99, "cosine {cosine}");
        assert!(agree * 10 >= checked * 9, "{agree} of {checked} agree");
        // The parameter gradients are left at zero.
        assert!(
            net.params()
                .iter()
                .all(|p| p.grad.iter().all(|&g| g == 0.0))
        );
    }
}
