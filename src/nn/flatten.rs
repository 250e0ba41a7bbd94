//! Flattening the feature maps into one vector per sample, for the dense layer.
//!
//! # Shapes
//! - input `(N, C, H, W)` → output `(N, C·H·W, 1, 1)`; backward reshapes the gradient back.

use super::{Layer, Tensor};

pub struct Flatten {
    name: String,
    in_dim: (usize, usize, usize, usize),
}

impl Flatten {
    pub fn new(name: impl Into<String>) -> Flatten {
        Flatten { name: name.into(), in_dim: (0, 0, 0, 0) }
    }
}

impl Layer for Flatten {
    fn name(&self) -> &str {
        &self.name
    }

    fn forward(&mut self, x: &Tensor) -> Tensor {
        let (n, c, h, w) = x.dim();
        self.in_dim = x.dim();
        // Row-major order: the vector is channel by channel, row by row.
        let flat = x.as_standard_layout().into_owned();
        flat.into_shape_with_order((n, c * h * w, 1, 1)).expect("standard layout") // (N,C,H,W) → (N,C·H·W,1,1)
    }

    fn backward(&mut self, dy: &Tensor) -> Tensor {
        let (n, c, h, w) = self.in_dim;
        assert_eq!(dy.dim(), (n, c * h * w, 1, 1), "{}: dy must match the output", self.name);
        let dy = dy.as_standard_layout().into_owned();
        dy.into_shape_with_order(self.in_dim).expect("standard layout") // (N,C·H·W,1,1) → (N,C,H,W)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_the_order() {
        let x = Tensor::from_shape_fn((2, 3, 2, 2), |(n, c, h, w)| (n * 100 + c * 10 + h * 2 + w) as f32);
        let mut flat = Flatten::new("flatten");
        let y = flat.forward(&x);
        assert_eq!(y.dim(), (2, 12, 1, 1));
        assert_eq!(y[[1, 5, 0, 0]], 111.0); // sample 1, channel 1, pixel (0, 1)
        assert_eq!(flat.backward(&y), x);
    }
}
