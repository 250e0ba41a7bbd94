//! A fully connected layer, `y = x · Wᵀ + b`.
//!
//! # Shapes
//! - input `(N, D, 1, 1)` (from `Flatten`), seen as `(N, D)`
//! - weight `(O, D)`, bias `(O)`
//! - output `(N, O, 1, 1)`: the logits when `O` is the number of classes

use super::{Layer, Param, Tensor, chunk_len, mat, mat_mut, piece_len, reuse};
use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, Axis};
use rand::Rng;
use rand_distr::{Distribution, Uniform};
use rayon::prelude::*;

pub struct Dense {
    name: String,
    weight: Array2<f32>,
    bias: Array1<f32>,
    dweight: Array2<f32>,
    dbias: Array1<f32>,
    /// The last forward's input `(N, D)`.
    input: Array2<f32>,
    /// Each parallel chunk's part of `dW`, summed after.
    partial: Vec<Array2<f32>>,
}

impl Dense {
    /// PyTorch's `nn.Linear` initialisation, He (Kaiming) uniform with `a = √5`: weights
    /// ~ U(±1/√D), biases 0. The full He or Xavier scale (std √(2/D)) suits a layer that a
    /// ReLU follows; here the logits come next, and with it the first logits on MNIST had an
    /// RMS near 1 and the first loss was up to 3.2 instead of ln 10 ≈ 2.30.
    pub fn new<R: Rng + ?Sized>(
        name: impl Into<String>,
        inputs: usize,
        outputs: usize,
        rng: &mut R,
    ) -> Dense {
        let bound = 1.0 / (inputs as f32).sqrt();
        let uniform = Uniform::new_inclusive(-bound, bound).expect("a finite, non-empty range");
        let weight = Array2::from_shape_simple_fn((outputs, inputs), || uniform.sample(rng));
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
            partial: Vec::new(),
        }
    }

    pub fn weight(&self) -> &Array2<f32> {
        &self.weight
    }

    /// The weights `(O, D)` and biases `(O)`.
    pub fn weights(&self) -> (&Array2<f32>, &Array1<f32>) {
        (&self.weight, &self.bias)
    }
}

impl Layer for Dense {
    fn name(&self) -> &str {
        &self.name
    }

    /// The output is only (N, 10): not worth reusing `spare` for.
    fn forward_reusing(&mut self, x: &Tensor, _spare: Tensor) -> Tensor {
        let (n, d, h, w) = x.dim();
        let (o, wd) = self.weight.dim();
        assert_eq!(
            (d, h, w),
            (wd, 1, 1),
            "{}: expected (N, {wd}, 1, 1), got {:?}",
            self.name,
            x.dim()
        );
        let x = x.as_standard_layout();
        if self.input.dim() != (n, d) {
            self.input = Array2::zeros((n, d));
        }
        let mut y = Array2::zeros((n, o)); // (N,D,1,1) → (N,O)
        let (weight, bias, cs) = (&self.weight, &self.bias, piece_len(n));
        // The batch split across the threads, as in the conv layers: a serial layer between
        // two parallel ones would let the idle threads fall asleep, and waking them is slow.
        x.as_slice()
            .expect("standard layout")
            .par_chunks(cs * d)
            .zip(
                self.input
                    .as_slice_mut()
                    .expect("fresh")
                    .par_chunks_mut(cs * d),
            )
            .zip(y.as_slice_mut().expect("fresh").par_chunks_mut(cs * o))
            .for_each(|((xc, cache), yc)| {
                cache.copy_from_slice(xc);
                let xv = mat(xc, xc.len() / d, d); // (n,D)
                let mut yv = mat_mut(yc, xc.len() / d, o); // (n,O)
                yv.rows_mut()
                    .into_iter()
                    .for_each(|mut row| row.assign(bias));
                general_mat_mul(1.0, &xv, &weight.t(), 1.0, &mut yv); // (n,D)·(D,O)
            });
        y.into_shape_with_order((n, o, 1, 1))
            .expect("standard layout") // (N,O) → (N,O,1,1)
    }

    fn backward_reusing(&mut self, dy: &Tensor, spare: Tensor) -> Tensor {
        let (n, d) = self.input.dim();
        let o = self.weight.nrows();
        assert_eq!(
            dy.dim(),
            (n, o, 1, 1),
            "{}: dy must match the output",
            self.name
        );
        let dy = dy.as_standard_layout();
        let mut dx = reuse(spare, (n, d, 1, 1)); // (N,O,1,1) → (N,D,1,1), all overwritten
        let cs = chunk_len(n);
        let chunks = n.div_ceil(cs);
        self.partial.resize_with(chunks, || Array2::zeros((o, d)));
        let weight = &self.weight;
        self.partial[..chunks]
            .par_iter_mut()
            .zip(dy.as_slice().expect("standard layout").par_chunks(cs * o))
            .zip(
                self.input
                    .as_slice()
                    .expect("standard layout")
                    .par_chunks(cs * d),
            )
            .zip(dx.as_slice_mut().expect("fresh").par_chunks_mut(cs * d))
            .for_each(|(((partial, dyc), xc), dxc)| {
                let rows = xc.len() / d;
                let (dyv, xv, mut dxv) =
                    (mat(dyc, rows, o), mat(xc, rows, d), mat_mut(dxc, rows, d)); // (n,O) (n,D) (n,D)
                general_mat_mul(1.0, &dyv.t(), &xv, 0.0, partial); // (O,n)·(n,D) → (O,D)
                general_mat_mul(1.0, &dyv, weight, 0.0, &mut dxv); // (n,O)·(O,D) → (n,D)
            });
        for partial in &self.partial[..chunks] {
            self.dweight += partial;
        }
        let dy2 = dy.to_shape((n, o)).expect("(N,O,1,1) → (N,O)");
        self.dbias += &dy2.sum_axis(Axis(0));
        dx
    }

    fn params(&mut self) -> Vec<Param<'_>> {
        vec![
            Param::of(&mut self.weight, &mut self.dweight),
            Param::of(&mut self.bias, &mut self.dbias),
        ]
    }
}
