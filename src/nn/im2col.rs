//! The convolution lowered to matrix products (im2col), one chunk of samples at a time.
//!
//! # Shapes
//! - per sample, the zero-padded input `(C, H+2P, W+2P)` and `cols (C·K·K, OH·L)`, so that
//!   `W · cols` with `W` seen as `(F, C·K·K)` gives the output `(F, OH·L)`
//! - `G` samples at a time side by side: `cols (C·K·K, G·OH·L)`, output `(F, G·OH·L)`
//!
//! `L`, the pitch of an output row in `cols`, is `OW` for strides above 1. For stride 1 it is
//! the padded width `W+2P`: then row `(c, ki, kj)` of `cols` is one contiguous run of the
//! padded input, copied in one go, and the `K−1` extra columns per row are computed and
//! dropped. (Copying `OH·C·K·K` short row pieces instead cost more than the matrix product.)
//!
//! Backward: `dW += dY · colsᵀ`, `db += Σ dy`, `dcols = Wᵀ · dY`, and col2im adds `dcols`
//! back onto the padded `dx`. `G` is chosen so that each product is large but `cols` still
//! fits in a core's L2 cache.

use super::{direct, fused, mat, mat_mut, sum};
use ndarray::ArrayView2;
use ndarray::linalg::general_mat_mul;

/// `cols` of a group of samples stays under this many floats (128 KiB), so that it, its
/// gradient and the product's output fit in a core's L2 cache (512 KiB here); measured
/// best among 32 KiB to 512 KiB.
const COLS_BUDGET: usize = 1 << 15;

/// A chunk's buffers, laid out for one geometry.
#[derive(Default)]
pub(super) struct Scratch {
    geom: Option<Geom>,
    /// Padded input `(C, H+2P, W+2P)` and `K` floats of slack for the wide rows' overrun;
    /// the border is zeroed once and never written.
    padded: Vec<f32>,
    /// `(C·K·K, G·OH·L)`, and its gradient.
    cols: Vec<f32>,
    dcols: Vec<f32>,
    /// The product's output `(F, G·OH·L)`, and `dY` in the same layout (extra columns 0).
    out: Vec<f32>,
    dout: Vec<f32>,
    /// Gradient of the padded input.
    dpadded: Vec<f32>,
    /// The buffers of the direct path, used instead of all the above for stride 1.
    direct: direct::Buffers,
}

/// Sizes of one convolution applied to one input shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Geom {
    pub(super) f: usize,
    pub(super) c: usize,
    pub(super) h: usize,
    pub(super) w: usize,
    pub(super) k: usize,
    pub(super) s: usize,
    pub(super) p: usize,
    pub(super) oh: usize,
    pub(super) ow: usize,
    /// Samples per matrix product.
    pub(super) group: usize,
}

impl Geom {
    /// The geometry with as many samples per matrix product as fit the budget, at most a
    /// chunk.
    pub(super) fn grouped(mut self, chunk: usize) -> Geom {
        self.group = (COLS_BUDGET / (self.rows() * self.span()).max(1)).clamp(1, chunk);
        self
    }
    fn hp(&self) -> usize {
        self.h + 2 * self.p
    }
    fn wp(&self) -> usize {
        self.w + 2 * self.p
    }
    /// Rows of `cols`: one per kernel tap, `C·K·K`.
    pub(super) fn rows(&self) -> usize {
        self.c * self.k * self.k
    }
    /// Columns between two output rows in `cols`.
    fn pitch(&self) -> usize {
        if self.s == 1 { self.wp() } else { self.ow }
    }
    /// Columns of `cols` per sample.
    fn span(&self) -> usize {
        self.oh * self.pitch()
    }
    pub(super) fn in_len(&self) -> usize {
        self.c * self.h * self.w
    }
    pub(super) fn out_len(&self) -> usize {
        self.f * self.oh * self.ow
    }
    fn padded_len(&self) -> usize {
        self.c * self.hp() * self.wp() + self.k
    }
    /// Where row `r = (c, ki, kj)` of `cols` starts reading in the padded input.
    fn tap_offset(&self, r: usize) -> usize {
        let (c, ki, kj) = (r / (self.k * self.k), r / self.k % self.k, r % self.k);
        (c * self.hp() + ki) * self.wp() + kj
    }
}

impl Scratch {
    /// Size the buffers for `g`, zeroing those whose untouched parts must read 0.
    fn prepare(&mut self, g: &Geom) {
        if self.geom == Some(*g) {
            return;
        }
        if g.s == 1 {
            self.direct.prepare(g);
            self.geom = Some(*g);
            return;
        }
        let (cols, out) = (g.rows() * g.group * g.span(), g.f * g.group * g.span());
        for (buf, len) in [
            (&mut self.padded, g.padded_len()),
            (&mut self.dout, out),
            (&mut self.cols, cols),
        ] {
            buf.clear();
            buf.resize(len, 0.0);
        }
        self.dcols.resize(cols, 0.0);
        self.out.resize(out, 0.0);
        self.dpadded.resize(g.padded_len(), 0.0);
        self.geom = Some(*g);
    }
}

/// The scratch of `pieces` parallel pieces, each prepared for `g`.
pub(super) fn prepared<'a>(
    scratch: &'a mut Vec<Scratch>,
    pieces: usize,
    g: &Geom,
) -> &'a mut [Scratch] {
    if scratch.len() < pieces {
        scratch.resize_with(pieces, Scratch::default);
    }
    scratch[..pieces].iter_mut().for_each(|sc| sc.prepare(g));
    &mut scratch[..pieces]
}

/// Forward of one chunk of samples, `group` samples per matrix product.
/// `wpacked` is the kernel as `direct::packed` gives it, for stride 1.
pub(super) fn forward_chunk(
    g: &Geom,
    (w, wpacked): (ArrayView2<f32>, &[f32]),
    bias: &[f32],
    xc: &[f32],
    yc: &mut [f32],
    sc: &mut Scratch,
) {
    if g.s == 1 {
        return direct::forward(g, wpacked, bias, xc, yc, &mut sc.direct);
    }
    let xs = xc.chunks(g.group * g.in_len());
    for (xg, yg) in xs.zip(yc.chunks_mut(g.group * g.out_len())) {
        let cols = xg.len() / g.in_len() * g.span(); // columns of this group
        for (i, xi) in xg.chunks_exact(g.in_len()).enumerate() {
            pad(g, xi, &mut sc.padded); // (C,H,W) → (C,H+2P,W+2P)
            im2col(g, &sc.padded, &mut sc.cols[..g.rows() * cols], i * g.span()); // → (C·K·K, OH·L)
        }
        let mut out = mat_mut(&mut sc.out, g.f, cols); // (F, G·OH·L)
        general_mat_mul(1.0, &w, &mat(&sc.cols, g.rows(), cols), 0.0, &mut out);
        for (i, yi) in yg.chunks_exact_mut(g.out_len()).enumerate() {
            // (F, OH·L) → (F,OH,OW): drop the extra columns, add the bias.
            for (f, (yf, &b)) in yi.chunks_exact_mut(g.oh * g.ow).zip(bias).enumerate() {
                let src = &sc.out[f * cols + i * g.span()..][..g.span()];
                for (yrow, srow) in yf.chunks_exact_mut(g.ow).zip(src.chunks_exact(g.pitch())) {
                    yrow.iter_mut().zip(srow).for_each(|(y, &v)| *y = v + b);
                }
            }
        }
    }
}

/// `forward_chunk` fused with a ReLU and a `win×win` max-pool (`fused::forward_pooled`);
/// stride 1 only.
pub(super) fn forward_chunk_pooled(
    g: &Geom,
    win: usize,
    weights: (&[f32], &[f32]),
    chunk: (&[f32], &mut [f32], &mut [u8]),
    sc: &mut Scratch,
) {
    fused::forward_pooled(g, win, weights, chunk, &mut sc.direct);
}

/// `backward_chunk` of `forward_chunk_pooled`: `dyc` is the pooled gradient.
pub(super) fn backward_chunk_pooled(
    g: &Geom,
    (win, wback): (usize, &[f32]),
    chunk: (&[f32], &[f32], &[u8]),
    dxc: Option<&mut [f32]>,
    partial: &mut [f32],
    sc: &mut Scratch,
) {
    partial.fill(0.0);
    let (dw, db) = partial.split_at_mut(g.f * g.rows());
    fused::backward_pooled(g, win, wback, chunk, dxc, (dw, db), &mut sc.direct);
}

/// A chunk's partial gradients: `dW (F, C·K·K)` then `db (F)`, in one buffer.
pub(super) fn partial_len(g: &Geom) -> usize {
    g.f * g.rows() + g.f
}

/// Backward of one chunk: its partial `dW`, `db` into `partial` (`partial_len` floats,
/// overwritten), and its `dx` if asked.
/// `wflip` is the kernel as `direct::flipped` gives it, for stride 1.
pub(super) fn backward_chunk(
    g: &Geom,
    (w, wflip): (ArrayView2<f32>, &[f32]),
    (xc, dyc): (&[f32], &[f32]),
    dxc: Option<&mut [f32]>,
    partial: &mut [f32],
    sc: &mut Scratch,
) {
    partial.fill(0.0);
    let (dw, db) = partial.split_at_mut(g.f * g.rows());
    if g.s == 1 {
        return direct::backward(g, wflip, (xc, dyc), dxc, (dw, db), &mut sc.direct);
    }
    let mut dx_groups = dxc.map(|d| d.chunks_mut(g.group * g.in_len()));
    for (xg, dyg) in xc
        .chunks(g.group * g.in_len())
        .zip(dyc.chunks(g.group * g.out_len()))
    {
        let cols = xg.len() / g.in_len() * g.span();
        for (i, (xi, dyi)) in xg
            .chunks_exact(g.in_len())
            .zip(dyg.chunks_exact(g.out_len()))
            .enumerate()
        {
            pad(g, xi, &mut sc.padded);
            im2col(g, &sc.padded, &mut sc.cols[..g.rows() * cols], i * g.span()); // (C·K·K, G·OH·L)
            for (f, dyf) in dyi.chunks_exact(g.oh * g.ow).enumerate() {
                db[f] += sum(dyf);
                // (OH,OW) → (OH·L): the extra columns stay 0, so they add nothing below.
                let dst = &mut sc.dout[f * cols + i * g.span()..][..g.span()];
                for (drow, srow) in dst.chunks_exact_mut(g.pitch()).zip(dyf.chunks_exact(g.ow)) {
                    drow[..g.ow].copy_from_slice(srow);
                }
            }
        }
        let dout = mat(&sc.dout, g.f, cols); // (F, G·OH·L)
        let mut dw = mat_mut(&mut dw[..], g.f, g.rows());
        general_mat_mul(1.0, &dout, &mat(&sc.cols, g.rows(), cols).t(), 1.0, &mut dw); // (F,·)·(·,C·K·K)
        if let Some(dxg) = dx_groups.as_mut().and_then(|groups| groups.next()) {
            let mut dcols = mat_mut(&mut sc.dcols, g.rows(), cols);
            general_mat_mul(1.0, &w.t(), &dout, 0.0, &mut dcols); // (C·K·K,F)·(F,·)
            for (i, dxi) in dxg.chunks_exact_mut(g.in_len()).enumerate() {
                sc.dpadded.fill(0.0);
                col2im(
                    g,
                    &sc.dcols[..g.rows() * cols],
                    i * g.span(),
                    &mut sc.dpadded,
                ); // → (C,H+2P,W+2P)
                crop(g, &sc.dpadded, dxi); // → (C,H,W)
            }
        }
    }
}

/// Copy a sample `(C, H, W)` into the middle of its padded buffer `(C, H+2P, W+2P)`.
fn pad(g: &Geom, x: &[f32], padded: &mut [f32]) {
    for (c, plane) in x.chunks_exact(g.h * g.w).enumerate() {
        for (h, row) in plane.chunks_exact(g.w).enumerate() {
            padded[(c * g.hp() + h + g.p) * g.wp() + g.p..][..g.w].copy_from_slice(row);
        }
    }
}

/// The middle of a padded gradient `(C, H+2P, W+2P)` into `dx (C, H, W)`.
fn crop(g: &Geom, padded: &[f32], dx: &mut [f32]) {
    for (c, plane) in dx.chunks_exact_mut(g.h * g.w).enumerate() {
        for (h, row) in plane.chunks_exact_mut(g.w).enumerate() {
            row.copy_from_slice(&padded[(c * g.hp() + h + g.p) * g.wp() + g.p..][..g.w]);
        }
    }
}

/// One padded sample into its columns `at..at + OH·L` of every row of `cols`: row
/// `(c, ki, kj)` holds, for each output position, the pixel that kernel tap meets there.
fn im2col(g: &Geom, padded: &[f32], cols: &mut [f32], at: usize) {
    let ld = cols.len() / g.rows();
    for (r, row) in cols.chunks_exact_mut(ld).enumerate() {
        let (src, dst) = (&padded[g.tap_offset(r)..], &mut row[at..at + g.span()]);
        if g.s == 1 {
            dst.copy_from_slice(&src[..g.span()]); // output row oh reads padded row oh + ki
        } else {
            for (oh, seg) in dst.chunks_exact_mut(g.ow).enumerate() {
                let src = src[oh * g.s * g.wp()..].iter().step_by(g.s);
                seg.iter_mut().zip(src).for_each(|(d, &v)| *d = v);
            }
        }
    }
}

/// The adjoint of `im2col`: adds each entry of the sample's columns of `dcols` onto the
/// padded input pixel it was read from.
fn col2im(g: &Geom, dcols: &[f32], at: usize, padded: &mut [f32]) {
    let ld = dcols.len() / g.rows();
    for (r, row) in dcols.chunks_exact(ld).enumerate() {
        let (src, dst) = (&row[at..at + g.span()], &mut padded[g.tap_offset(r)..]);
        if g.s == 1 {
            dst[..g.span()]
                .iter_mut()
                .zip(src)
                .for_each(|(d, &v)| *d += v);
        } else {
            for (oh, seg) in src.chunks_exact(g.ow).enumerate() {
                let dst = dst[oh * g.s * g.wp()..].iter_mut().step_by(g.s);
                dst.zip(seg).for_each(|(d, &v)| *d += v);
            }
        }
    }
}
