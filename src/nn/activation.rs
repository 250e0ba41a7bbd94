//! The rectified linear unit, `max(x, 0)`, element by element.
//!
//! # Shapes
//! - input and output: `(N, C, H, W)` (any shape: the dense part would see `(N, D, 1, 1)`)

use super::{Layer, Tensor, reuse};
use rayon::prelude::*;

pub struct Relu {
    name: String,
    dim: (usize, usize, usize, usize),
    /// Where the last forward's input was positive: where the gradient passes. A byte per
    /// element, not a copy of the input: a quarter of the memory traffic.
    passes: Vec<bool>,
}

impl Relu {
    pub fn new(name: impl Into<String>) -> Relu {
        Relu {
            name: name.into(),
            dim: (0, 0, 0, 0),
            passes: Vec::new(),
        }
    }
}

/// Elements per parallel piece: one piece per thread, as the work is a plain stream, and
/// more pieces would only add coordination.
fn piece(len: usize) -> usize {
    len.div_ceil(rayon::current_num_threads()).max(1)
}

impl Layer for Relu {
    fn name(&self) -> &str {
        &self.name
    }

    fn forward_reusing(&mut self, x: &Tensor, spare: Tensor) -> Tensor {
        self.dim = x.dim();
        let x = x.as_standard_layout();
        let mut y = reuse(spare, self.dim); // (N,C,H,W) → (N,C,H,W)
        self.passes.resize(y.len(), false);
        let p = piece(y.len());
        let xs = x.as_slice().expect("standard layout");
        y.as_slice_mut()
            .expect("fresh")
            .par_chunks_mut(p)
            .zip(xs.par_chunks(p))
            .zip(self.passes.par_chunks_mut(p))
            .for_each(|((y, x), passes)| {
                for ((y, &x), pass) in y.iter_mut().zip(x).zip(passes) {
                    *y = x.max(0.0);
                    *pass = x > 0.0;
                }
            });
        y
    }

    fn backward_reusing(&mut self, dy: &Tensor, spare: Tensor) -> Tensor {
        assert_eq!(
            dy.dim(),
            self.dim,
            "{}: dy must match the output",
            self.name
        );
        let dy = dy.as_standard_layout();
        let mut dx = reuse(spare, self.dim); // (N,C,H,W) → (N,C,H,W)
        let p = piece(dx.len());
        let dys = dy.as_slice().expect("standard layout");
        dx.as_slice_mut()
            .expect("fresh")
            .par_chunks_mut(p)
            .zip(dys.par_chunks(p))
            .zip(self.passes.par_chunks(p))
            .for_each(|((dx, dy), passes)| {
                // The gradient at exactly 0 is taken as 0, as PyTorch does.
                for ((d, &g), &pass) in dx.iter_mut().zip(dy).zip(passes) {
                    *d = if pass { g } else { 0.0 };
                }
            });
        dx
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array4;

    #[test]
    fn passes_positive_values_and_their_gradient() {
        let x = Array4::from_shape_vec((1, 1, 1, 4), vec![-1.0, 0.0, 0.5, 2.0]).unwrap();
        let mut relu = Relu::new("relu1");
        assert_eq!(
            relu.forward(&x).into_raw_vec_and_offset().0,
            vec![0.0, 0.0, 0.5, 2.0]
        );
        let dx = relu.backward(&Array4::from_elem((1, 1, 1, 4), 3.0));
        assert_eq!(dx.into_raw_vec_and_offset().0, vec![0.0, 0.0, 3.0, 3.0]);
    }
}
