//! 2-D convolution: im2col and a matrix multiply, the batch split across rayon's threads.
//!
//! # Shapes
//! - input `x`: `(N, C, H, W)`; weight `(F, C, K, K)`; bias `(F)`
//! - output `y`: `(N, F, OH, OW)`, `OH = ⌊(H + 2P − K)/S⌋ + 1` (`config::conv_out_len`)
//! - per sample, `cols`: `(C·K·K, OH·OW)`, so that `y_n = W · cols` with `W` seen as `(F, C·K·K)`
//!
//! Backward, per sample: `dW += dy_n · colsᵀ`, `db += Σ dy_n`, `dcols = Wᵀ · dy_n`, and col2im
//! adds `dcols` back onto `dx_n`. The layer caches its input and redoes im2col in backward:
//! keeping every sample's `cols` would cost K² times the input's memory at evaluation batch
//! sizes, while redoing it is cheap next to the matrix products.

use super::{Layer, Param, Tensor, chunk_len};
use crate::config::conv_out_len;
use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array4, ArrayView2, ArrayView4, ArrayViewMut2};
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

#[derive(Default)]
struct Scratch {
    cols: Vec<f32>,
    dcols: Vec<f32>,
    dw: Vec<f32>,
    db: Vec<f32>,
}

/// Sizes of one convolution applied to one input shape.
#[derive(Debug, Clone, Copy)]
struct Geom {
    f: usize,
    c: usize,
    h: usize,
    w: usize,
    k: usize,
    s: usize,
    p: usize,
    oh: usize,
    ow: usize,
}

impl Geom {
    /// Rows of `cols`: one per kernel tap, `C·K·K`.
    fn rows(&self) -> usize {
        self.c * self.k * self.k
    }
    /// Columns of `cols`: one per output position, `OH·OW`.
    fn cols(&self) -> usize {
        self.oh * self.ow
    }
    fn in_len(&self) -> usize {
        self.c * self.h * self.w
    }
    fn out_len(&self) -> usize {
        self.f * self.cols()
    }
    /// The output positions `o` in `0..out` whose input `o·S + tap − P` lies in `0..len`;
    /// the others read padding.
    fn valid(&self, tap: usize, len: usize, out: usize) -> (usize, usize) {
        let lo = self.p.saturating_sub(tap).div_ceil(self.s);
        let hi = (len + self.p).checked_sub(tap + 1).map_or(0, |m| (m / self.s + 1).min(out));
        (lo.min(hi), hi)
    }
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
        let weight = Array4::from_shape_simple_fn((out_ch, in_ch, kernel, kernel), || normal.sample(rng));
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
        assert!(stride >= 1 && padding < k, "stride {stride} ≥ 1 and padding {padding} < kernel {k}");
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

    pub fn weight(&self) -> &Array4<f32> {
        &self.weight
    }
    pub fn bias(&self) -> &Array1<f32> {
        &self.bias
    }
    pub fn weight_grad(&self) -> &Array4<f32> {
        &self.dweight
    }
    pub fn bias_grad(&self) -> &Array1<f32> {
        &self.dbias
    }

    fn geom(&self, (_, c, h, w): (usize, usize, usize, usize)) -> Geom {
        let (f, wc, k, _) = self.weight.dim();
        assert_eq!(c, wc, "{}: expected {wc} input channels, got {c}", self.name);
        let (s, p) = (self.stride, self.padding);
        let oh = conv_out_len(h, k, s, p).unwrap_or_else(|| panic!("{}: kernel {k} too large for {h}", self.name));
        let ow = conv_out_len(w, k, s, p).unwrap_or_else(|| panic!("{}: kernel {k} too large for {w}", self.name));
        Geom { f, c, h, w, k, s, p, oh, ow }
    }

    /// Buffers for `chunks` parallel chunks; `Vec::resize` keeps their capacity across batches.
    fn prepare_scratch(&mut self, chunks: usize, g: &Geom) {
        if self.scratch.len() < chunks {
            self.scratch.resize_with(chunks, Scratch::default);
        }
        for sc in &mut self.scratch[..chunks] {
            sc.cols.resize(g.rows() * g.cols(), 0.0);
            sc.dcols.resize(g.rows() * g.cols(), 0.0);
            sc.dw.resize(g.f * g.rows(), 0.0);
            sc.db.resize(g.f, 0.0);
        }
    }

    fn backward_impl(&mut self, dy: &Tensor, want_dx: bool) -> Option<Tensor> {
        let g = self.geom(self.input.dim());
        let n = self.input.dim().0;
        assert_eq!(dy.dim(), (n, g.f, g.oh, g.ow), "{}: dy must match the output", self.name);
        let dy = dy.as_standard_layout();
        let cs = chunk_len(n);
        let chunks = n.div_ceil(cs);
        self.prepare_scratch(chunks, &g);
        let mut dx = want_dx.then(|| Tensor::zeros(self.input.raw_dim())); // (N,C,H,W)
        let dx_chunks: Vec<Option<&mut [f32]>> = match dx.as_mut() {
            Some(d) => d.as_slice_mut().expect("fresh").chunks_mut(cs * g.in_len()).map(Some).collect(),
            None => (0..chunks).map(|_| None).collect(),
        };
        let w = self.weight.view().into_shape_with_order((g.f, g.rows())).expect("standard layout"); // (F,C·K·K)
        let xs = self.input.as_slice().expect("cached input is standard layout");
        let dys = dy.as_slice().expect("standard layout");
        self.scratch[..chunks]
            .par_iter_mut()
            .zip(xs.par_chunks(cs * g.in_len()))
            .zip(dys.par_chunks(cs * g.out_len()))
            .zip(dx_chunks)
            .for_each(|(((sc, xc), dyc), dxc)| backward_chunk(&g, w, xc, dyc, dxc, sc));
        // Sum the chunks' partial gradients into the layer's own.
        let dw = self.dweight.as_slice_mut().expect("standard layout");
        for sc in &self.scratch[..chunks] {
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

    fn forward(&mut self, x: &Tensor) -> Tensor {
        let g = self.geom(x.dim());
        let n = x.dim().0;
        if self.input.dim() == x.dim() {
            self.input.assign(x); // reuses the buffer, and makes it standard layout
        } else {
            self.input = x.as_standard_layout().into_owned();
        }
        let cs = chunk_len(n);
        let chunks = n.div_ceil(cs);
        self.prepare_scratch(chunks, &g);
        let mut y = Tensor::zeros((n, g.f, g.oh, g.ow)); // (N,C,H,W) → (N,F,OH,OW)
        let w = self.weight.view().into_shape_with_order((g.f, g.rows())).expect("standard layout"); // (F,C·K·K)
        let bias = self.bias.as_slice().expect("contiguous");
        let xs = self.input.as_slice().expect("standard layout");
        xs.par_chunks(cs * g.in_len())
            .zip(y.as_slice_mut().expect("fresh").par_chunks_mut(cs * g.out_len()))
            .zip(self.scratch[..chunks].par_iter_mut())
            .for_each(|((xc, yc), sc)| {
                for (xi, yi) in xc.chunks_exact(g.in_len()).zip(yc.chunks_exact_mut(g.out_len())) {
                    im2col(&g, xi, &mut sc.cols); // (C,H,W) → (C·K·K, OH·OW)
                    for (row, &b) in yi.chunks_exact_mut(g.cols()).zip(bias) {
                        row.fill(b);
                    }
                    let cols = ArrayView2::from_shape((g.rows(), g.cols()), &sc.cols[..]).expect("sized");
                    let mut out = ArrayViewMut2::from_shape((g.f, g.cols()), yi).expect("sized"); // (F, OH·OW)
                    general_mat_mul(1.0, &w, &cols, 1.0, &mut out);
                }
            });
        y
    }

    fn backward(&mut self, dy: &Tensor) -> Tensor {
        self.backward_impl(dy, true).expect("asked for dx")
    }

    fn backward_params_only(&mut self, dy: &Tensor) {
        self.backward_impl(dy, false);
    }

    fn params(&mut self) -> Vec<Param<'_>> {
        vec![
            Param { value: self.weight.view_mut().into_dyn(), grad: self.dweight.view_mut().into_dyn() },
            Param { value: self.bias.view_mut().into_dyn(), grad: self.dbias.view_mut().into_dyn() },
        ]
    }

    fn kernel(&self) -> Option<ArrayView4<'_, f32>> {
        Some(self.weight.view())
    }
}

/// Backward of one chunk of samples: its partial `dW`, `db` into `sc`, and its `dx` if asked.
fn backward_chunk(g: &Geom, w: ArrayView2<f32>, xc: &[f32], dyc: &[f32], dxc: Option<&mut [f32]>, sc: &mut Scratch) {
    sc.dw.fill(0.0);
    sc.db.fill(0.0);
    let mut dxc = dxc;
    for (i, (xi, dyi)) in xc.chunks_exact(g.in_len()).zip(dyc.chunks_exact(g.out_len())).enumerate() {
        im2col(g, xi, &mut sc.cols); // (C,H,W) → (C·K·K, OH·OW)
        let cols = ArrayView2::from_shape((g.rows(), g.cols()), &sc.cols[..]).expect("sized");
        let dyv = ArrayView2::from_shape((g.f, g.cols()), dyi).expect("sized"); // (F, OH·OW)
        let mut dw = ArrayViewMut2::from_shape((g.f, g.rows()), &mut sc.dw[..]).expect("sized");
        general_mat_mul(1.0, &dyv, &cols.t(), 1.0, &mut dw); // (F,OH·OW)·(OH·OW,C·K·K)
        for (d, row) in sc.db.iter_mut().zip(dyi.chunks_exact(g.cols())) {
            *d += row.iter().sum::<f32>();
        }
        if let Some(dx) = dxc.as_deref_mut() {
            let mut dcols = ArrayViewMut2::from_shape((g.rows(), g.cols()), &mut sc.dcols[..]).expect("sized");
            general_mat_mul(1.0, &w.t(), &dyv, 0.0, &mut dcols); // (C·K·K,F)·(F,OH·OW)
            col2im(g, &sc.dcols, &mut dx[i * g.in_len()..][..g.in_len()]); // → (C,H,W)
        }
    }
}

/// One sample `(C, H, W)` → `cols (C·K·K, OH·OW)`: row `(c, ki, kj)` holds, for each output
/// position, the pixel that kernel tap meets there (0 in the padding).
fn im2col(g: &Geom, x: &[f32], cols: &mut [f32]) {
    let hw = g.h * g.w;
    for (r, row) in cols.chunks_exact_mut(g.cols()).enumerate() {
        let (c, ki, kj) = (r / (g.k * g.k), r / g.k % g.k, r % g.k);
        let plane = &x[c * hw..][..hw];
        let (hlo, hhi) = g.valid(ki, g.h, g.oh);
        let (lo, hi) = g.valid(kj, g.w, g.ow);
        for (oh, seg) in row.chunks_exact_mut(g.ow).enumerate() {
            if oh < hlo || oh >= hhi || lo == hi {
                seg.fill(0.0);
                continue;
            }
            let src = &plane[(oh * g.s + ki - g.p) * g.w..][..g.w];
            let start = lo * g.s + kj - g.p;
            seg[..lo].fill(0.0);
            seg[hi..].fill(0.0);
            if g.s == 1 {
                seg[lo..hi].copy_from_slice(&src[start..start + hi - lo]);
            } else {
                seg[lo..hi].iter_mut().zip(src[start..].iter().step_by(g.s)).for_each(|(d, &v)| *d = v);
            }
        }
    }
}

/// The adjoint of `im2col`: adds each entry of `dcols (C·K·K, OH·OW)` onto the input pixel it
/// was read from, `(C, H, W)`; padding entries are dropped.
fn col2im(g: &Geom, dcols: &[f32], dx: &mut [f32]) {
    let hw = g.h * g.w;
    for (r, row) in dcols.chunks_exact(g.cols()).enumerate() {
        let (c, ki, kj) = (r / (g.k * g.k), r / g.k % g.k, r % g.k);
        let plane = &mut dx[c * hw..][..hw];
        let (hlo, hhi) = g.valid(ki, g.h, g.oh);
        let (lo, hi) = g.valid(kj, g.w, g.ow);
        if lo == hi {
            continue;
        }
        for oh in hlo..hhi {
            let seg = &row[oh * g.ow..][lo..hi];
            let dst = &mut plane[(oh * g.s + ki - g.p) * g.w..][..g.w];
            let start = lo * g.s + kj - g.p;
            dst[start..].iter_mut().step_by(g.s).zip(seg).for_each(|(d, &v)| *d += v);
        }
    }
}
