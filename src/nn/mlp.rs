//! The fully connected baseline: a multilayer perceptron on the flattened image, one hidden
//! layer with a ReLU, trained beside the CNN to show what weight sharing buys.
//!
//! # Shapes
//! - input `(N, 1, 28, 28)` → flattened `(N, 784, 1, 1)`
//! - hidden dense `(H, 784)` + ReLU → `(N, H, 1, 1)`
//! - output dense `(10, H)` → logits `(N, 10)`
//!
//! Its size: `HIDDEN` = 12 units, 784·12 + 12 + 12·10 + 10 = 9,550 parameters, about the
//! default CNN's 9,098. With the same budget the comparison is of how the parameters are used,
//! not of how many there are: the CNN spends 80 of them on conv1 and shares each 3×3 filter
//! over all 784 positions, the MLP spends 785 on every hidden unit, one weight per pixel.
//! (A wider MLP, 784→32→10 ≈ 25k, does about 1 point better on centred digits and still falls
//! apart under shifts; the equal budget makes the point without that caveat.)

use super::activation::Relu;
use super::dense::Dense;
use super::loss::{softmax, softmax_cross_entropy};
use super::network::BatchResult;
use super::plan::{CLASSES, INPUT_SIDE};
use super::{Layer, Param, Sgd, Tensor};
use ndarray::{Array2, ArrayView2};
use rand::Rng;

/// Hidden units of the baseline (see the module's docs for why 12).
pub const HIDDEN: usize = 12;
/// Pixels of a flattened image.
pub const PIXELS: usize = INPUT_SIDE * INPUT_SIDE;

pub struct Mlp {
    hidden: Dense,
    relu: Relu,
    out: Dense,
}

impl Mlp {
    /// A fresh MLP with `hidden` units, initialised from `rng` like the CNN's dense layer.
    pub fn new<R: Rng + ?Sized>(hidden: usize, rng: &mut R) -> Mlp {
        assert!(hidden > 0, "an MLP needs at least one hidden unit");
        Mlp {
            hidden: Dense::new("fc1", PIXELS, hidden, rng),
            relu: Relu::new("relu"),
            out: Dense::new("fc2", hidden, CLASSES, rng),
        }
    }

    /// Hidden units.
    pub fn hidden_units(&self) -> usize {
        self.hidden.weight().nrows()
    }

    /// Weights and biases of both layers.
    pub fn param_count(&self) -> usize {
        let h = self.hidden_units();
        PIXELS * h + h + h * CLASSES + CLASSES
    }

    /// The first layer's weights `(H, 784)`: row `u` seen as 28×28 is what unit `u` looks at.
    pub fn first_layer(&self) -> ArrayView2<'_, f32> {
        self.hidden.weight().view()
    }

    /// `(N, 1, 28, 28)` → logits `(N, 10)`; caches what `backward` needs.
    pub fn forward(&mut self, x: &Tensor) -> Array2<f32> {
        let (n, c, h, w) = x.dim();
        assert_eq!(
            c * h * w,
            PIXELS,
            "mlp: expected (N, 1, 28, 28), got {:?}",
            x.dim()
        );
        let flat = x
            .as_standard_layout()
            .into_owned()
            .into_shape_with_order((n, PIXELS, 1, 1))
            .expect("standard layout"); // (N,1,28,28) → (N,784,1,1)
        let a = self.relu.forward(&self.hidden.forward(&flat)); // (N,H,1,1)
        self.out
            .forward(&a)
            .into_shape_with_order((n, CLASSES))
            .expect("standard layout") // (N,10,1,1) → (N,10)
    }

    /// Forward, the loss and the backward pass, adding into the gradients (zeroed first).
    pub fn loss_and_backward(&mut self, x: &Tensor, labels: &[u8]) -> BatchResult {
        self.zero_grad();
        let logits = self.forward(x); // (N,10)
        let (loss, dlogits, correct) = softmax_cross_entropy(logits.view(), labels);
        let n = labels.len();
        let dy = dlogits
            .into_shape_with_order((n, CLASSES, 1, 1))
            .expect("standard layout"); // (N,10) → (N,10,1,1)
        let da = self.out.backward(&dy); // (N,H,1,1)
        let dz = self.relu.backward(&da);
        self.hidden.backward_params_only(&dz);
        BatchResult { loss, correct }
    }

    /// One step of SGD on a batch.
    pub fn train_step(&mut self, x: &Tensor, labels: &[u8], opt: &mut Sgd) -> BatchResult {
        let result = self.loss_and_backward(x, labels);
        opt.step(self.params());
        result
    }

    /// Loss and correct count of a batch, without touching the gradients.
    pub fn evaluate(&mut self, x: &Tensor, labels: &[u8]) -> BatchResult {
        let logits = self.forward(x);
        let (loss, _, correct) = softmax_cross_entropy(logits.view(), labels);
        BatchResult { loss, correct }
    }

    /// Softmax of the logits `(N, 10)`.
    pub fn probabilities(&mut self, x: &Tensor) -> Array2<f32> {
        softmax(self.forward(x).view())
    }

    /// (value, grad) pairs: fc1 weight `(H, 784)`, fc1 bias `(H)`, fc2 weight `(10, H)`,
    /// fc2 bias `(10)`.
    pub fn params(&mut self) -> Vec<Param<'_>> {
        let mut p = self.hidden.params();
        p.extend(self.out.params());
        p
    }

    pub fn zero_grad(&mut self) {
        self.hidden.zero_grad();
        self.out.zero_grad();
    }

    /// A copy with the same weights (for the analysis thread).
    pub fn duplicate(&self) -> Mlp {
        let copy = |d: &Dense, name: &str| {
            let (weight, bias) = d.weights();
            Dense::from_weights(name, weight.to_owned(), bias.to_owned())
        };
        Mlp {
            hidden: copy(&self.hidden, "fc1"),
            relu: Relu::new("relu"),
            out: copy(&self.out, "fc2"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn batch(n: usize, rng: &mut ChaCha8Rng) -> (Tensor, Vec<u8>) {
        let x = Tensor::from_shape_simple_fn((n, 1, 28, 28), || rng.random_range(0.0..1.0));
        let labels = (0..n).map(|i| (i % 10) as u8).collect();
        (x, labels)
    }

    #[test]
    fn the_default_size_has_about_the_cnns_parameters() {
        let mlp = Mlp::new(HIDDEN, &mut ChaCha8Rng::seed_from_u64(1));
        assert_eq!(mlp.param_count(), 784 * 12 + 12 + 12 * 10 + 10);
        assert_eq!(mlp.first_layer().dim(), (12, 784));
    }

    #[test]
    fn first_loss_is_near_ln_10_and_twenty_samples_can_be_overfitted() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut mlp = Mlp::new(HIDDEN, &mut rng);
        let (x, labels) = batch(20, &mut rng);
        let first = mlp.evaluate(&x, &labels).loss;
        assert!((first - 10f32.ln()).abs() < 0.5, "first loss {first}");
        let mut opt = Sgd::new(0.05, 0.9, 0.0);
        for _ in 0..200 {
            mlp.train_step(&x, &labels, &mut opt);
        }
        let last = mlp.evaluate(&x, &labels);
        assert!(last.loss < 0.05, "loss after 200 steps {}", last.loss);
        assert_eq!(last.correct, 20);
    }

    #[test]
    fn a_duplicate_predicts_the_same() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut mlp = Mlp::new(4, &mut rng);
        let (x, _) = batch(3, &mut rng);
        assert_eq!(mlp.duplicate().forward(&x), mlp.forward(&x));
    }
}
