//! 2-D convolution: im2col and a matrix multiply, the batch split across rayon's threads.
//!
//! # Shapes
//! - input `x`: `(N, C, H, W)`; weight `(F, C, K, K)`; bias `(F)`
//! - output `y`: `(N, F, OH, OW)`, `OH = ⌊(H + 2P − K)/S⌋ + 1` (`plan::conv_out_len`)
//!
//! The batch is cut into one piece per thread, each with its own buffers (`im2col::Scratch`)
//! kept in the layer; `im2col` does the work of a chunk of a piece, and each chunk's partial
//! gradients are kept apart and summed in chunk order (the same on any number of threads). The layer caches its input and
//! redoes im2col in backward: keeping every sample's `cols` would take K² times the input's
//! memory.

use super::im2col::{
    Geom, Scratch, backward_chunk, backward_chunk_pooled, forward_chunk, forward_chunk_pooled,
    partial_len, prepared,
};
use super::plan::conv_out_len;
use super::{Layer, Param, Tensor, chunk_len, piece_len, reuse};
use super::{direct, scatter};
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
    /// One set of buffers per parallel piece, kept between batches so that nothing is
    /// allocated in the hot loop.
    scratch: Vec<Scratch>,
    /// Each chunk's partial `dW` and `db` (`im2col::partial_len` floats a chunk).
    partials: Vec<f32>,
    /// The pool window of the last forward if it was fused with its ReLU and max-pool
    /// (`Layer::forward_fused`), else 0; and where each pooled maximum was
    /// (`fused::forward_pooled`).
    pooled: usize,
    codes: Vec<u8>,
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
            partials: Vec::new(),
            pooled: 0,
            codes: Vec::new(),
        }
    }

    /// The geometry for an input of shape `(N, C, H, W)`, and the samples per parallel piece.
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
        .grouped(chunk_len(n));
        (g, piece_len(n))
    }

    /// Floats of `dy` per sample: the output's, or the pooled output's after a fused forward.
    fn dy_len(&self, g: &Geom) -> usize {
        match self.pooled {
            0 => g.out_len(),
            w => g.f * (g.oh / w) * (g.ow / w),
        }
    }

    /// Backward; `spare` is the memory for `dx`, `None` when nobody needs `dx`.
    fn backward_impl(&mut self, dy: &Tensor, spare: Option<Tensor>) -> Option<Tensor> {
        let n = self.input.dim().0;
        let (g, ps) = self.geom(self.input.dim());
        let (win, dyl) = (self.pooled, self.dy_len(&g));
        assert_eq!(dy.len(), n * dyl, "{}: dy must match the output", self.name);
        let dy = dy.as_standard_layout();
        let mut dx = spare.map(|t| reuse(t, self.input.dim())); // (N,C,H,W), all overwritten
        let pieces = n.div_ceil(ps);
        let dx_pieces: Vec<Option<&mut [f32]>> = match dx.as_mut() {
            Some(d) => d
                .as_slice_mut()
                .expect("fresh")
                .chunks_mut(ps * g.in_len())
                .map(Some)
                .collect(),
            None => (0..pieces).map(|_| None).collect(),
        };
        let code_pieces: Vec<&[u8]> = match win {
            0 => vec![&[]; pieces],
            _ => self.codes.chunks(ps * dyl).collect(),
        };
        let (cs, pl) = (chunk_len(n), partial_len(&g));
        self.partials.resize(n.div_ceil(cs) * pl, 0.0);
        let scratch = prepared(&mut self.scratch, pieces, &g);
        let w = self
            .weight
            .view()
            .into_shape_with_order((g.f, g.rows()))
            .expect("standard layout"); // (F,C·K·K)
        let wflat = w.as_slice().expect("standard layout");
        let wback = match (g.s, win) {
            (1, win) if win > 0 && scatter::pays(&g, win) => scatter::channels_last(&g, wflat),
            (1, _) => direct::flipped(&g, wflat),
            _ => Vec::new(),
        };
        let xs = self
            .input
            .as_slice()
            .expect("cached input is standard layout");
        let dys = dy.as_slice().expect("standard layout");
        scratch
            .par_iter_mut()
            .zip(xs.par_chunks(ps * g.in_len()))
            .zip(dys.par_chunks(ps * dyl))
            .zip(dx_pieces)
            .zip(code_pieces)
            .zip(self.partials.par_chunks_mut(ps / cs * pl))
            .for_each(|(((((sc, xp), dyp), mut dxp), codes), parts)| {
                // The piece chunk by chunk, each chunk's gradients apart.
                let chunks = xp.chunks(cs * g.in_len()).zip(dyp.chunks(cs * dyl));
                for (i, ((xc, dyc), part)) in chunks.zip(parts.chunks_exact_mut(pl)).enumerate() {
                    let dxc = dxp
                        .as_mut()
                        .map(|d| &mut d[i * cs * g.in_len()..][..xc.len()]);
                    if win == 0 {
                        backward_chunk(&g, (w, &wback), (xc, dyc), dxc, part, sc);
                    } else {
                        let cc = &codes[i * cs * dyl..][..dyc.len()];
                        backward_chunk_pooled(&g, (win, &wback), (xc, dyc, cc), dxc, part, sc);
                    }
                }
            });
        self.add_partials(&g);
        dx
    }

    /// Sum the chunks' partial gradients into the layer's own, in chunk order.
    fn add_partials(&mut self, g: &Geom) {
        let (dw, db) = (
            self.dweight.as_slice_mut().expect("standard layout"),
            self.dbias.as_slice_mut().expect("contiguous"),
        );
        for part in self.partials.chunks_exact(partial_len(g)) {
            let (pw, pb) = part.split_at(dw.len());
            dw.iter_mut().zip(pw).for_each(|(a, b)| *a += b);
            db.iter_mut().zip(pb).for_each(|(a, b)| *a += b);
        }
    }

    /// The forward of `Layer::forward_fused`: `(N, C, H, W)` → `(N, F, OH/w, OW/w)`.
    fn forward_pooled(&mut self, x: &Tensor, win: usize, spare: Tensor) -> Tensor {
        let n = x.dim().0;
        let (g, ps) = self.geom(x.dim());
        assert!(g.s == 1 && (1..=4).contains(&win) && g.oh >= win && g.ow >= win);
        let x = x.as_standard_layout();
        self.input = reuse(std::mem::take(&mut self.input), x.dim());
        let pooled = g.f * (g.oh / win) * (g.ow / win);
        let mut y = reuse(spare, (n, g.f, g.oh / win, g.ow / win)); // all overwritten
        self.codes.resize(n * pooled, 0);
        self.pooled = win;
        let scratch = prepared(&mut self.scratch, n.div_ceil(ps), &g);
        let wpacked = direct::packed(&g, self.weight.as_slice().expect("standard layout"));
        let bias = self.bias.as_slice().expect("contiguous");
        let cache = self.input.as_slice_mut().expect("fresh");
        x.as_slice()
            .expect("standard layout")
            .par_chunks(ps * g.in_len())
            .zip(cache.par_chunks_mut(ps * g.in_len()))
            .zip(y.as_slice_mut().expect("fresh").par_chunks_mut(ps * pooled))
            .zip(self.codes.par_chunks_mut(ps * pooled))
            .zip(scratch.par_iter_mut())
            .for_each(|((((xc, cache), yc), cc), sc)| {
                cache.copy_from_slice(xc);
                forward_chunk_pooled(&g, win, (&wpacked, bias), (xc, yc, cc), sc);
            });
        y
    }
}

impl Layer for Conv2d {
    fn name(&self) -> &str {
        &self.name
    }

    fn forward_reusing(&mut self, x: &Tensor, spare: Tensor) -> Tensor {
        let n = x.dim().0;
        let (g, ps) = self.geom(x.dim());
        let x = x.as_standard_layout();
        // The cache for backward: its old buffer, copied into by the chunks in parallel.
        self.input = reuse(std::mem::take(&mut self.input), x.dim());
        let mut y = reuse(spare, (n, g.f, g.oh, g.ow)); // (N,C,H,W) → (N,F,OH,OW), all overwritten
        self.pooled = 0;
        let scratch = prepared(&mut self.scratch, n.div_ceil(ps), &g);
        let w = self
            .weight
            .view()
            .into_shape_with_order((g.f, g.rows()))
            .expect("standard layout"); // (F,C·K·K)
        let wpacked = if g.s == 1 {
            direct::packed(&g, w.as_slice().expect("standard layout"))
        } else {
            Vec::new()
        };
        let bias = self.bias.as_slice().expect("contiguous");
        let xs = x.as_slice().expect("standard layout");
        xs.par_chunks(ps * g.in_len())
            .zip(
                self.input
                    .as_slice_mut()
                    .expect("fresh")
                    .par_chunks_mut(ps * g.in_len()),
            )
            .zip(
                y.as_slice_mut()
                    .expect("fresh")
                    .par_chunks_mut(ps * g.out_len()),
            )
            .zip(scratch.par_iter_mut())
            .for_each(|(((xc, cache), yc), sc)| {
                cache.copy_from_slice(xc);
                forward_chunk(&g, (w, &wpacked), bias, xc, yc, sc);
            });
        y
    }

    fn backward_reusing(&mut self, dy: &Tensor, spare: Tensor) -> Tensor {
        self.backward_impl(dy, Some(spare)).expect("asked for dx")
    }

    fn backward_params_only(&mut self, dy: &Tensor) {
        self.backward_impl(dy, None);
    }

    fn fusable(&self) -> bool {
        self.stride == 1
    }

    fn forward_fused(&mut self, x: &Tensor, window: usize, spare: Tensor) -> Tensor {
        self.forward_pooled(x, window, spare)
    }

    fn backward_fused(&mut self, dy: &Tensor, spare: Option<Tensor>) -> Option<Tensor> {
        assert!(
            self.pooled > 0,
            "{}: backward_fused after a plain forward",
            self.name
        );
        self.backward_impl(dy, spare)
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
