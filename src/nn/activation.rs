//! The rectified linear unit, `max(x, 0)`, element by element.
//!
//! # Shapes
//! - input and output: `(N, C, H, W)` (any shape: the dense part would see `(N, D, 1, 1)`)

use super::{Layer, Tensor};
use ndarray::Zip;

pub struct Relu {
    name: String,
    /// The last forward's input: its sign says where the gradient passes.
    input: Tensor,
}

impl Relu {
    pub fn new(name: impl Into<String>) -> Relu {
        Relu { name: name.into(), input: Tensor::zeros((0, 0, 0, 0)) }
    }
}

impl Layer for Relu {
    fn name(&self) -> &str {
        &self.name
    }

    fn forward(&mut self, x: &Tensor) -> Tensor {
        if self.input.dim() == x.dim() {
            self.input.assign(x); // reuse the buffer between batches
        } else {
            self.input = x.to_owned();
        }
        x.mapv(|v| v.max(0.0)) // (N,C,H,W) → (N,C,H,W)
    }

    fn backward(&mut self, dy: &Tensor) -> Tensor {
        assert_eq!(dy.dim(), self.input.dim(), "{}: dy must match the output", self.name);
        // The gradient at exactly 0 is taken as 0, as PyTorch does.
        Zip::from(dy).and(&self.input).map_collect(|&d, &x| if x > 0.0 { d } else { 0.0 })
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
        assert_eq!(relu.forward(&x).into_raw_vec_and_offset().0, vec![0.0, 0.0, 0.5, 2.0]);
        let dx = relu.backward(&Array4::from_elem((1, 1, 1, 4), 3.0));
        assert_eq!(dx.into_raw_vec_and_offset().0, vec![0.0, 0.0, 3.0, 3.0]);
    }
}
