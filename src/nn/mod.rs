//! The network, on ndarray (f32). One layer a file; each is a forward/backward pair.
//!
//! Tensors are `(N, C, H, W)` throughout; dense layers see `(N, D, 1, 1)`.
//! `forward` caches what `backward` needs; `backward` *adds* into the layer's own gradients
//! and returns the gradient with respect to its input. `Layer::zero_grad` zeroes them, and the
//! optimiser updates every parameter through `Layer::params`.
//!
//! `plan` turns a list of conv blocks into the checked ledger the network is built from, with
//! each layer's typed identity, and holds every limit; `reference` is the plain, loop-by-loop
//! convolution and pooling that the fast layers are tested against. The engine knows nothing
//! of the settings (`config`) or the trainer (`train`).
//!
//! Speed: every layer splits the batch into one piece per thread of rayon's current pool
//! (`piece_len`), each with its own scratch kept in the layer. A piece is whole chunks of
//! `CHUNK` samples, the unit of the parameter-gradient sums, so that results do not depend
//! on the number of threads. A stride-1 conv with its ReLU and max-pool runs fused (`fused`); its
//! backward scatters each pooled gradient through its window's maximum (`scatter`) when the
//! kernel rows are at least a vector long. The network hands each layer its previous output back
//! (`Layer::forward_reusing`), so a training step allocates almost nothing. Measure with
//! `cargo bench --bench nn`.

pub mod activation;
pub mod conv;
pub mod dense;
mod direct;
pub mod flatten;
mod fused;
mod im2col;
mod input_grad;
mod kernels;
pub mod loss;
pub mod mlp;
pub mod network;
pub mod optim;
pub mod plan;
pub mod pool;
pub mod reference;
mod scatter;
pub mod stats;

use ndarray::{
    Array, Array4, ArrayView1, ArrayView2, ArrayView4, ArrayViewMut2, ArrayViewMutD, Dimension,
};

/// A batch of images or feature maps, `(N, C, H, W)`.
pub type Tensor = Array4<f32>;

/// A parameter tensor and its gradient, of the same shape.
pub struct Param<'a> {
    pub value: ArrayViewMutD<'a, f32>,
    pub grad: ArrayViewMutD<'a, f32>,
}

impl<'a> Param<'a> {
    /// A parameter tensor and its gradient tensor, which must have the same shape.
    pub fn of<D: Dimension>(value: &'a mut Array<f32, D>, grad: &'a mut Array<f32, D>) -> Self {
        debug_assert_eq!(
            value.shape(),
            grad.shape(),
            "a gradient has its parameter's shape"
        );
        Param {
            value: value.view_mut().into_dyn(),
            grad: grad.view_mut().into_dyn(),
        }
    }
}

pub trait Layer: Send {
    /// Short name for the ledger and feature-map labels, e.g. `conv1`.
    fn name(&self) -> &str;
    /// `(N, C, H, W)` → `(N, C', H', W')`; caches what `backward` needs. The output may be
    /// built on `spare`'s memory: a tensor this layer returned before, now unused, of any
    /// shape and contents. The network hands every output back this way, so that large
    /// buffers stay mapped between batches (see `reuse`).
    fn forward_reusing(&mut self, x: &Tensor, spare: Tensor) -> Tensor;
    /// Gradient of the loss w.r.t. the output → w.r.t. the input; adds into own grads. The
    /// input gradient may be built on `spare`'s memory, as in `forward_reusing`.
    fn backward_reusing(&mut self, dy: &Tensor, spare: Tensor) -> Tensor;
    /// `forward_reusing` with no memory to reuse.
    fn forward(&mut self, x: &Tensor) -> Tensor {
        self.forward_reusing(x, Tensor::zeros((0, 0, 0, 0)))
    }
    /// `backward_reusing` with no memory to reuse.
    fn backward(&mut self, dy: &Tensor) -> Tensor {
        self.backward_reusing(dy, Tensor::zeros((0, 0, 0, 0)))
    }
    /// (value, grad) pairs for the optimiser; empty for layers without parameters.
    fn params(&mut self) -> Vec<Param<'_>> {
        Vec::new()
    }
    /// `backward` for the first layer, whose input gradient nobody needs: only the parameter
    /// gradients are accumulated. A convolution saves its whole input-gradient pass here.
    fn backward_params_only(&mut self, dy: &Tensor) {
        let _ = self.backward(dy);
    }
    /// Whether `forward_fused` works here (a stride-1 convolution).
    fn fusable(&self) -> bool {
        false
    }
    /// This layer, the ReLU after it and a max-pool of `window` (1 to 4) after that, in one
    /// pass: `(N, C, H, W)` → the pool's output, the same values as the three one by one.
    /// The conv's and the ReLU's outputs never reach memory: each chunk of samples goes
    /// through all three in the thread's cache. The ReLU and pool layers are not touched.
    fn forward_fused(&mut self, _x: &Tensor, _window: usize, _spare: Tensor) -> Tensor {
        unreachable!("{} has no fused forward", self.name())
    }
    /// Backward of `forward_fused`, from the pool's output gradient; `spare` as in
    /// `backward_reusing`, or `None` when nobody needs the input gradient.
    fn backward_fused(&mut self, _dy: &Tensor, _spare: Option<Tensor>) -> Option<Tensor> {
        unreachable!("{} has no fused backward", self.name())
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
    /// The biases `(out)` of the layers that have a kernel.
    fn bias(&self) -> Option<ArrayView1<'_, f32>> {
        None
    }
}

/// A tensor of shape `dim` on `spare`'s memory when it has room, else fresh. Its contents are
/// whatever was there (old values or zeros): callers overwrite every element or `fill` first.
///
/// Why: allocating each batch's activations afresh and freeing them let the allocator give the
/// pages back to the OS and fault them in again on the next batch, which cost about as much
/// as the arithmetic.
pub(crate) fn reuse(spare: Tensor, dim: (usize, usize, usize, usize)) -> Tensor {
    let len = dim.0 * dim.1 * dim.2 * dim.3;
    let (mut data, _) = spare.into_raw_vec_and_offset(); // the layout does not matter: overwritten
    if data.capacity() < len {
        data = Vec::new(); // growing would copy the old contents for nothing
    }
    if data.len() >= len {
        data.truncate(len);
    } else {
        data.resize(len, 0.0);
    }
    Tensor::from_shape_vec(dim, data).expect("sized to the shape")
}

/// Samples per chunk. Each chunk sums its own partial parameter gradients, and the chunks'
/// sums are added in chunk order: with a fixed chunk size, not one that follows the thread
/// count, the float results are the same on any number of threads.
pub(crate) const CHUNK: usize = 8;

/// Samples per chunk for a batch of `batch`: `CHUNK`, or the whole batch if smaller.
pub(crate) fn chunk_len(batch: usize) -> usize {
    CHUNK.min(batch).max(1)
}

/// Samples per thread: whole chunks, spread evenly over rayon's current pool, so that each
/// thread gets one piece and one set of scratch buffers.
pub(crate) fn piece_len(batch: usize) -> usize {
    let (chunk, threads) = (chunk_len(batch), rayon::current_num_threads());
    batch.div_ceil(chunk).div_ceil(threads).max(1) * chunk
}

/// `(rows, cols)` view of the first `rows·cols` floats of a buffer.
pub(crate) fn mat(buf: &[f32], rows: usize, cols: usize) -> ArrayView2<'_, f32> {
    ArrayView2::from_shape((rows, cols), &buf[..rows * cols]).expect("sized")
}

/// `(rows, cols)` mutable view of the first `rows·cols` floats of a buffer.
pub(crate) fn mat_mut(buf: &mut [f32], rows: usize, cols: usize) -> ArrayViewMut2<'_, f32> {
    ArrayViewMut2::from_shape((rows, cols), &mut buf[..rows * cols]).expect("sized")
}

/// Sum with eight running partial sums: a single accumulator would chain every addition on
/// the previous one, and the compiler may not reorder float additions to vectorise.
pub(crate) fn sum(xs: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let chunks = xs.chunks_exact(8);
    let tail: f32 = chunks.remainder().iter().sum();
    for c in chunks {
        acc.iter_mut().zip(c).for_each(|(a, &v)| *a += v);
    }
    acc.iter().sum::<f32>() + tail
}

pub use network::{FeatureMap, Network};
pub use optim::Sgd;
