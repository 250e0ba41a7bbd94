//! A fully connected layer, `y = x · Wᵀ + b`.
//!
//! # Shapes
//! - input `(N, D, 1, 1)` (from `Flatten`), seen as `(N, D)`
//! - weight `(O, D)`, bias `(O)`
//! - output `(N, O, 1, 1)`: the logits when `O` is the number of classes

use super::{Layer, Param, Tensor};
use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, Axis};
use rand::Rng;
use rand_distr::{Distribution, Normal};

pub struct Dense {
    name: String,
    weight: Array2<f32>,
    bias: Array1<f32>,
    dweight: Array2<f32>,
    dbias: Array1<f32>,
    /// The last forward's input `(N, D)`.
    input: Array2<f32>,
}

impl Dense {
    /// Xavier (Glorot) initialisation, weights ~ N(0, 2 / (D + O)), biases 0: no ReLU follows
    /// the last layer, so He's factor 2/D would only make the first logits larger.
    pub fn new<R: Rng + ?Sized>(name: impl Into<String>, inputs: usize, outputs: usize, rng: &mut R) -> Dense {
        let std = (2.0 / (inputs + outputs) as f32).sqrt();
        let normal = Normal::new(0.0, std).expect("a finite, positive standard deviation");
        let weight = Array2::from_shape_simple_fn((outputs, inputs), || normal.sample(rng));
        Dense::from_weights(name, weight, Array1::zeros(outputs))
    }

    /// A dense layer with the given weights `(O, D)` and biases `(O)`.
    pub fn from_weights(name: impl Into<String>, weight: Array2<f32>, bias: Array1<f32>) -> Dense {
        let (o, d) = weight.dim();
        assert_eq!(bias.len(), o, "one bias per output");
        Dense {
            name: name.into(),
            weight,
            bias,
            dweight: Array2::zeros((o, d)),
            dbias: Array1::zeros(o),
            input: Array2::zeros((0, d)),
        }
    }

    pub fn weight(&self) -> &Array2<f32> {
        &self.weight
    }
}

impl Layer for Dense {
    fn name(&self) -> &str {
        &self.name
    }

    fn forward(&mut self, x: &Tensor) -> Tensor {
        let (n, d, h, w) = x.dim();
        let (o, wd) = self.weight.dim();
        assert_eq!((d, h, w), (wd, 1, 1), "{}: expected (N, {wd}, 1, 1), got {:?}", self.name, x.dim());
        let x2 = x.to_shape((n, d)).expect("(N,D,1,1) → (N,D)"); // (N,D,1,1) → (N,D)
        if self.input.dim() == (n, d) {
            self.input.assign(&x2);
        } else {
            self.input = x2.into_owned();
        }
        let mut y = Array2::from_shape_fn((n, o), |(_, j)| self.bias[j]); // (N,O), starts at b
        general_mat_mul(1.0, &self.input, &self.weight.t(), 1.0, &mut y); // (N,D)·(D,O)
        y.into_shape_with_order((n, o, 1, 1)).expect("standard layout") // (N,O) → (N,O,1,1)
    }

    fn backward(&mut self, dy: &Tensor) -> Tensor {
        let (n, d) = self.input.dim();
        let o = self.weight.nrows();
        assert_eq!(dy.dim(), (n, o, 1, 1), "{}: dy must match the output", self.name);
        let dy = dy.to_shape((n, o)).expect("(N,O,1,1) → (N,O)"); // (N,O,1,1) → (N,O)
        general_mat_mul(1.0, &dy.t(), &self.input, 1.0, &mut self.dweight); // (O,N)·(N,D)
        self.dbias += &dy.sum_axis(Axis(0));
        let dx = dy.dot(&self.weight); // (N,O)·(O,D) → (N,D)
        dx.into_shape_with_order((n, d, 1, 1)).expect("standard layout") // (N,D) → (N,D,1,1)
    }

    fn params(&mut self) -> Vec<Param<'_>> {
        vec![
            Param { value: self.weight.view_mut().into_dyn(), grad: self.dweight.view_mut().into_dyn() },
            Param { value: self.bias.view_mut().into_dyn(), grad: self.dbias.view_mut().into_dyn() },
        ]
    }
}
