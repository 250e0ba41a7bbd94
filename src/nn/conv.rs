//! 2-D convolution: im2col and a matrix multiply, the batch split across rayon's threads.
//!
//! # Shapes
//! - input `x`: `(N, C, H, W)`; weight `(F, C, K, K)`; bias `(F)`
//! - output `y`: `(N, F, OH, OW)`, `OH = ⌊(H + 2P − K)/S⌋ + 1` (`plan::conv_out_len`)
//!
//! The batch is cut into one chunk per thread, each with its own buffers (`im2col::Scratch`)
//! kept in the layer; `im2col` does the work of a chunk. The layer caches its input and
//! redoes im2col in backward: keeping every sample's `cols` would take K² times the input's
//! memory.

use super::im2col::{Geom, Scratch, backward_chunk, forward_chunk, prepared};
use super::plan::conv_out_len;
use super::{Layer, Param, Tensor, chunk_len, reuse};
use ndarray::{Array1, Array4, ArrayView1, ArrayView4};
use rand::Rng;
use rand_distr::{Distribution, Normal};
use rayon::prelude::*;

/// A convolution with `F` square `K×K` kernels, stride `S` and zero padding `P`.
pub struct Conv2d {
    name: String,
    stride: usize,
    padding: usize,
    weight: Array4<f32>,
    bias: Array1<f32>,
    dweight: Array4<f32>,
    dbias: Array1<f32>,
    /// The last forward's input `(N, C, H, W)`, for backward.
    input: Tensor,
    /// One set of buffers per parallel chunk, kept between batches so that nothing is
    /// allocated in the hot loop.
    scratch: Vec<Scratch>,
}

impl Conv2d {
    /// He initialisation: weights ~ N(0, 2 / (C·K·K)), biases 0.
    pub fn new<R: Rng + ?Sized>(
        name: impl Into<String>,
        in_ch: usize,
        out_ch: usize,
        kernel: usize,
        stride: usize,
        padding: usize,
        rng: &mut R,
    ) -> Conv2d {
        let std = (2.0 / (in_ch * kernel * kernel) as f32).sqrt();
        let normal = Normal::new(0.0, std).expect("a finite, positive standard deviation");
        let weight =
            Array4::from_shape_simple_fn((out_ch, in_ch, kernel, kernel), || normal.sample(rng));
        Conv2d::from_weights(name, weight, Array1::zeros(out_ch), stride, padding)
    }

    /// A convolution with the given weights `(F, C, K, K)` and biases `(F)`.
    pub fn from_weights(
        name: impl Into<String>,
        weight: Array4<f32>,
        bias: Array1<f32>,
        stride: usize,
        padding: usize,
    ) -> Conv2d {
        let (f, c, k, k2) = weight.dim();
        assert_eq!(k, k2, "conv kernels are square, got {k}×{k2}");
        assert_eq!(bias.len(), f, "one bias per filter");
        assert!(
            stride >= 1 && padding < k,
            "stride {stride} ≥ 1 and padding {padding} < kernel {k}"
        );
        Conv2d {
            name: name.into(),
            stride,
            padding,
            weight: weight.as_standard_layout().into_owned(),
            bias,
            dweight: Array4::zeros((f, c, k, k)),
            dbias: Array1::zeros(f),
            input: Tensor::zeros((0, c, 0, 0)),
            scratch: Vec::new(),
        }
    }

    /// The geometry for an input of shape `(N, C, H, W)`, and the samples per chunk.
    fn geom(&self, (n, c, h, w): (usize, usize, usize, usize)) -> (Geom, usize) {
        let (f, wc, k, _) = self.weight.dim();
        assert_eq!(
            c, wc,
            "{}: expected {wc} input channels, got {c}",
            self.name
        );
        let (s, p) = (self.stride, self.padding);
        let side = |len| {
            conv_out_len(len, k, s, p)
                .unwrap_or_else(|| panic!("{}: kernel {k} > input {len}", self.name))
        };
        let chunk = chunk_len(n);
        let g = Geom {
            f,
            c,
            h,
            w,
            k,
            s,
            p,
            oh: side(h),
            ow: side(w),
            group: 1,
        }
        .grouped(chunk);
        (g, chunk)
    }

    /// Backward; `spare` is the memory for `dx`, `None` when nobody needs `dx`.
    fn backward_impl(&mut self, dy: &Tensor, spare: Option<Tensor>) -> Option<Tensor> {
        let n = self.input.dim().0;
        let (g, cs) = self.geom(self.input.dim());
        assert_eq!(
            dy.dim(),
            (n, g.f, g.oh, g.ow),
            "{}: dy must match the output",
            self.name
        );
        let dy = dy.as_standard_layout();
        let mut dx = spare.map(|t| reuse(t, self.input.dim())); // (N,C,H,W), all overwritten
        let chunks = n.div_ceil(cs);
        let dx_chunks: Vec<Option<&mut [f32]>> = match dx.as_mut() {
            Some(d) => d
                .as_slice_mut()
                .expect("fresh")
                .chunks_mut(cs * g.in_len())
                .map(Some)
                .collect(),
            None => (0..chunks).map(|_| None).collect(),
        };
        let scratch = prepared(&mut self.scratch, chunks, &g);
        let w = self
            .weight
            .view()
            .into_shape_with_order((g.f, g.rows()))
            .expect("standard layout"); // (F,C·K·K)
        let xs = self
            .input
            .as_slice()
            .expect("cached input is standard layout");
        scratch
            .par_iter_mut()
            .zip(xs.par_chunks(cs * g.in_len()))
            .zip(
                dy.as_slice()
                    .expect("standard layout")
                    .par_chunks(cs * g.out_len()),
            )
            .zip(dx_chunks)
            .for_each(|(((sc, xc), dyc), dxc)| backward_chunk(&g, w, xc, dyc, dxc, sc));
        // Sum the chunks' partial gradients into the layer's own.
        let dw = self.dweight.as_slice_mut().expect("standard layout");
        for sc in scratch.iter() {
            dw.iter_mut().zip(&sc.dw).for_each(|(a, b)| *a += b);
            self.dbias.iter_mut().zip(&sc.db).for_each(|(a, b)| *a += b);
        }
        dx
    }
}

impl Layer for Conv2d {
    fn name(&self) -> &str {
        &self.name
    }

    fn forward_reusing(&mut self, x: &Tensor, spare: Tensor) -> Tensor {
        let n = x.dim().0;
        let (g, cs) = self.geom(x.dim());
        let x = x.as_standard_layout();
        // The cache for backward: its old buffer, copied into by the chunks in parallel.
        self.input = reuse(std::mem::take(&mut self.input), x.dim());
        let mut y = reuse(spare, (n, g.f, g.oh, g.ow)); // (N,C,H,W) → (N,F,OH,OW), all overwritten
        let scratch = prepared(&mut self.scratch, n.div_ceil(cs), &g);
        let w = self
            .weight
            .view()
            .into_shape_with_order((g.f, g.rows()))
            .expect("standard layout"); // (F,C·K·K)
        let bias = self.bias.as_slice().expect("contiguous");
        let xs = x.as_slice().expect("standard layout");
        xs.par_chunks(cs * g.in_len())
            .zip(
                self.input
                    .as_slice_mut()
                    .expect("fresh")
                    .par_chunks_mut(cs * g.in_len()),
            )
            .zip(
                y.as_slice_mut()
                    .expect("fresh")
                    .par_chunks_mut(cs * g.out_len()),
            )
            .zip(scratch.par_iter_mut())
            .for_each(|(((xc, cache), yc), sc)| {
                cache.copy_from_slice(xc);
                forward_chunk(&g, w, bias, xc, yc, sc);
            });
        y
    }

    fn backward_reusing(&mut self, dy: &Tensor, spare: Tensor) -> Tensor {
        self.backward_impl(dy, Some(spare)).expect("asked for dx")
    }

    fn backward_params_only(&mut self, dy: &Tensor) {
        self.backward_impl(dy, None);
    }

    fn params(&mut self) -> Vec<Param<'_>> {
        vec![
            Param::of(&mut self.weight, &mut self.dweight),
            Param::of(&mut self.bias, &mut self.dbias),
        ]
    }

    fn kernel(&self) -> Option<ArrayView4<'_, f32>> {
        Some(self.weight.view())
    }

    fn bias(&self) -> Option<ArrayView1<'_, f32>> {
        Some(self.bias.view())
    }
}
