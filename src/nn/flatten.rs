//! Flattening the feature maps into one vector per sample, for the dense layer.
//!
//! # Shapes
//! - input `(N, C, H, W)` → output `(N, C·H·W, 1, 1)`; backward reshapes the gradient back.

use super::{Layer, Tensor, reuse};

pub struct Flatten {
    name: String,
    in_dim: (usize, usize, usize, usize),
}

impl Flatten {
    pub fn new(name: impl Into<String>) -> Flatten {
        Flatten {
            name: name.into(),
            in_dim: (0, 0, 0, 0),
        }
    }
}

impl Layer for Flatten {
    fn name(&self) -> &str {
        &self.name
    }

    fn forward_reusing(&mut self, x: &Tensor, spare: Tensor) -> Tensor {
        let (n, c, h, w) = x.dim();
        self.in_dim = x.dim();
        // Row-major order: the vector is channel by channel, row by row.
        let mut y = reuse(spare, (n, c * h * w, 1, 1)); // (N,C,H,W) → (N,C·H·W,1,1)
        y.assign(&x.to_shape((n, c * h * w, 1, 1)).expect("row-major reshape"));
        y
    }

    fn backward_reusing(&mut self, dy: &Tensor, spare: Tensor) -> Tensor {
        let (n, c, h, w) = self.in_dim;
        assert_eq!(
            dy.dim(),
            (n, c * h * w, 1, 1),
            "{}: dy must match the output",
            self.name
        );
        let mut dx = reuse(spare, self.in_dim); // (N,C·H·W,1,1) → (N,C,H,W)
        dx.assign(&dy.to_shape(self.in_dim).expect("row-major reshape"));
        dx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_the_order() {
        let x = Tensor::from_shape_fn((2, 3, 2, 2), |(n, c, h, w)| {
            (n * 100 + c * 10 + h * 2 + w) as f32
        });
        let mut flat = Flatten::new("flatten");
        let y = flat.forward(&x);
        assert_eq!(y.dim(), (2, 12, 1, 1));
        assert_eq!(y[[1, 5, 0, 0]], 111.0); // sample 1, channel 1, pixel (0, 1)
        assert_eq!(flat.backward(&y), x);
    }
}
