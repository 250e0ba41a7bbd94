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

use ndarray::{Array4, ArrayView4, ArrayViewMutD};

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
    /// `backward` for the first layer, whose input gradient nobody needs: only the parameter
    /// gradients are accumulated. A convolution saves its whole input-gradient pass here.
    fn backward_params_only(&mut self, dy: &Tensor) {
        let _ = self.backward(dy);
    }
    /// Set every parameter gradient to zero.
    fn zero_grad(&mut self) {
        for mut p in self.params() {
            p.grad.fill(0.0);
        }
    }
    /// The convolution kernel `(out, in, k, k)`, for the layers that have one.
    fn kernel(&self) -> Option<ArrayView4<'_, f32>> {
        None
    }
}

/// Samples per parallel chunk: the batch split evenly across rayon's current thread pool,
/// so each thread gets one chunk and one set of scratch buffers.
pub(crate) fn chunk_len(batch: usize) -> usize {
    batch.div_ceil(rayon::current_num_threads()).max(1)
}

pub use network::Network;
pub use optim::Sgd;
