//! The network, on ndarray (f32). One layer a file; each is a forward/backward pair.
//!
//! Tensors are `(N, C, H, W)` throughout; dense layers see `(N, D, 1, 1)`.
//! `forward` caches what `backward` needs; `backward` *adds* into the layer's own gradients
//! and returns the gradient with respect to its input. The optimiser zeroes and updates
//! every parameter through `Layer::params`.

pub mod activation;
pub mod conv;
pub mod dense;
pub mod flatten;
pub mod loss;
pub mod network;
pub mod optim;
pub mod pool;

use ndarray::{Array4, ArrayViewMutD};

/// A batch of images or feature maps, `(N, C, H, W)`.
pub type Tensor = Array4<f32>;

/// A parameter tensor and its gradient, of the same shape.
pub struct Param<'a> {
    pub value: ArrayViewMutD<'a, f32>,
    pub grad: ArrayViewMutD<'a, f32>,
}

pub trait Layer: Send {
    /// Short name for the ledger and feature-map labels, e.g. `conv1`.
    fn name(&self) -> &str;
    /// `(N, C, H, W)` → `(N, C', H', W')`; caches what `backward` needs.
    fn forward(&mut self, x: &Tensor) -> Tensor;
    /// Gradient of the loss w.r.t. the output → w.r.t. the input; adds into own grads.
    fn backward(&mut self, dy: &Tensor) -> Tensor;
    /// (value, grad) pairs for the optimiser; empty for layers without parameters.
    fn params(&mut self) -> Vec<Param<'_>> {
        Vec::new()
    }
}

pub use network::Network;
pub use optim::Sgd;
