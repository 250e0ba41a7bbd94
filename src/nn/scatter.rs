//! Backward of the fused conv + ReLU + max-pool (`fused`) by scattering. With windows of 2
//! or more, at most one conv output in `win²` has a gradient, its window's maximum: so each
//! pooled gradient goes straight to the weights and the input through that one output, not
//! through a dense pass over a conv output gradient that is mostly zeros.
//!
//! # Layout (per sample), channels last
//! - padded input `xh (HP, WP, C)`: the `K` taps of a kernel row over every channel are
//!   `K·C` adjacent floats; its gradient `dxh (HP, WP, C)`, cropped into `dx (C, H, W)`
//! - kernel `wt (F, K, K, C)`; the chunk's `dW` in the same layout, added into
//!   `dw (F, C, K, K)` at the end
//!
//! For the conv output `(f, oy, ox)` with gradient `v`, each kernel row `ki`:
//! `dW[f, ki, ·, ·] += v · xh[oy + ki, ox.., ·]` and `dxh[oy + ki, ox.., ·] += v · W[f, ki, ·, ·]`.

use super::fused::CUT;
use super::im2col::Geom;
use super::kernels::madd;

/// A thread's buffers for one geometry.
#[derive(Default)]
pub(super) struct Buffers {
    geom: Option<Geom>,
    /// `(HP, WP, C)`; the border is zeroed once and never written.
    xh: Vec<f32>,
    dxh: Vec<f32>,
    /// The chunk's `dW (F, K, K, C)`.
    dwt: Vec<f32>,
}

impl Buffers {
    fn prepare(&mut self, g: &Geom) {
        if self.geom == Some(*g) {
            return;
        }
        let len = (g.h + 2 * g.p) * (g.w + 2 * g.p) * g.c;
        self.xh.clear();
        self.xh.resize(len, 0.0);
        self.dxh.resize(len, 0.0);
        self.dwt.resize(g.f * g.rows(), 0.0);
        self.geom = Some(*g);
    }
}

/// Whether scattering beats the dense backward: windows of 2 to 4, and kernel rows `K·C` of
/// at least one vector (with conv1's `K·C = 3` the dense one is faster).
pub(super) fn pays(g: &Geom, win: usize) -> bool {
    (2..=4).contains(&win) && g.k * g.c >= 8
}

/// The kernel `(F, C, K, K)` → `(F, K, K, C)`.
pub(super) fn channels_last(g: &Geom, w: &[f32]) -> Vec<f32> {
    let (kk, c) = (g.k * g.k, g.c);
    let mut out = vec![0.0; w.len()];
    for (src, dst) in w.chunks_exact(c * kk).zip(out.chunks_exact_mut(c * kk)) {
        for ch in 0..c {
            for t in 0..kk {
                dst[t * c + ch] = src[ch * kk + t];
            }
        }
    }
    out
}

/// Backward of `fused::forward_pooled` for a run of samples, from the pooled gradient
/// `(n, F, PH, PW)` and the codes: adds into `dw (F, C·K·K)` and `db (F)`, writes `dx` if
/// asked. `wt` is the kernel as `channels_last` gives it.
pub(super) fn backward(
    g: &Geom,
    win: usize,
    wt: &[f32],
    chunk: (&[f32], &[f32], &[u8]),
    dxc: Option<&mut [f32]>,
    grads: (&mut [f32], &mut [f32]),
    b: &mut Buffers,
) {
    #[cfg(target_arch = "x86_64")]
    if super::kernels::has_fma() {
        // SAFETY: the CPU has AVX2 and FMA (checked just above).
        return unsafe { backward_fma(g, win, wt, chunk, dxc, grads, b) };
    }
    backward_any::<false>(g, win, wt, chunk, dxc, grads, b);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn backward_fma(
    g: &Geom,
    win: usize,
    wt: &[f32],
    chunk: (&[f32], &[f32], &[u8]),
    dxc: Option<&mut [f32]>,
    grads: (&mut [f32], &mut [f32]),
    b: &mut Buffers,
) {
    backward_any::<true>(g, win, wt, chunk, dxc, grads, b);
}

#[inline(always)]
fn backward_any<const FMA: bool>(
    g: &Geom,
    win: usize,
    wt: &[f32],
    (xc, dyc, codes): (&[f32], &[f32], &[u8]),
    mut dxc: Option<&mut [f32]>,
    (dw, db): (&mut [f32], &mut [f32]),
    b: &mut Buffers,
) {
    b.prepare(g);
    b.dwt.fill(0.0);
    let (pooled, n) = (g.f * (g.oh / win) * (g.ow / win), g.rows());
    let samples = xc.chunks_exact(g.in_len()).zip(dyc.chunks_exact(pooled));
    for (i, ((xi, dyi), ci)) in samples.zip(codes.chunks_exact(pooled)).enumerate() {
        to_channels_last(g, xi, &mut b.xh);
        let dx = dxc.as_mut().map(|d| &mut d[i * g.in_len()..][..g.in_len()]);
        let mut dxh = dx.is_some().then_some(&mut b.dxh[..]);
        if let Some(dxh) = dxh.as_deref_mut() {
            dxh.fill(0.0);
        }
        let maps = dyi
            .chunks_exact(pooled / g.f)
            .zip(ci.chunks_exact(pooled / g.f));
        for (f, (map, db)) in maps.zip(db.iter_mut()).enumerate() {
            let w = (&wt[f * n..][..n], &mut b.dwt[f * n..][..n]);
            let (x, dxh) = (&b.xh[..], dxh.as_deref_mut());
            // Windows of 2 with kernel rows of whole vectors get loops of a fixed length.
            let vectors = if (g.k * g.c).is_multiple_of(8) {
                g.k * g.c / 8
            } else {
                0
            };
            *db += match (win, vectors) {
                (2, 1) => scatter_map::<2, 1, FMA>(g, map, w, x, dxh),
                (2, 2) => scatter_map::<2, 2, FMA>(g, map, w, x, dxh),
                (2, 3) => scatter_map::<2, 3, FMA>(g, map, w, x, dxh),
                (2, 6) => scatter_map::<2, 6, FMA>(g, map, w, x, dxh),
                (2, _) => scatter_map::<2, 0, FMA>(g, map, w, x, dxh),
                (3, _) => scatter_map::<3, 0, FMA>(g, map, w, x, dxh),
                (4, _) => scatter_map::<4, 0, FMA>(g, map, w, x, dxh),
                (other, _) => unreachable!("scattering takes windows of 2 to 4, not {other}"),
            };
        }
        if let Some(dx) = dx {
            from_channels_last(g, &b.dxh, dx);
        }
    }
    add_channels_first(g, &b.dwt, dw);
}

/// One map `f`: each pooled gradient through its window's maximum into `dwf (K, K, C)` and
/// `dxh`; returns their sum, the bias's gradient. `w` is `(wf, dwf)`, both `(K, K, C)`.
/// `V` is `K·C / 8` when the caller knows it (the compiler then unrolls the rows), else 0.
#[inline(always)]
fn scatter_map<const W: usize, const V: usize, const FMA: bool>(
    g: &Geom,
    (dy, codes): (&[f32], &[u8]),
    (wf, dwf): (&[f32], &mut [f32]),
    xh: &[f32],
    mut dxh: Option<&mut [f32]>,
) -> f32 {
    let kc = if V > 0 { V * 8 } else { g.k * g.c };
    let (pw, pitch) = (g.ow / W, (g.w + 2 * g.p) * g.c);
    let mut bsum = 0.0;
    for (py, (drow, crow)) in dy.chunks_exact(pw).zip(codes.chunks_exact(pw)).enumerate() {
        for (px, (&v, &code)) in drow.iter().zip(crow).enumerate() {
            if code == CUT {
                continue;
            }
            let (a, j) = (usize::from(code) / W, usize::from(code) % W);
            let at = (py * W + a) * pitch + (px * W + j) * g.c; // conv output (oy, ox)
            for ki in 0..g.k {
                let (row, krow) = (at + ki * pitch, ki * kc);
                axpy::<FMA>(v, &xh[row..][..kc], &mut dwf[krow..][..kc]);
                if let Some(dxh) = dxh.as_deref_mut() {
                    axpy::<FMA>(v, &wf[krow..][..kc], &mut dxh[row..][..kc]);
                }
            }
            bsum += v;
        }
    }
    bsum
}

/// `y += a·x`, eight lanes at a time: with explicit AVX2 when `FMA` (the compiler left one
/// of the two calls scalar otherwise), in plain code when not.
#[inline(always)]
fn axpy<const FMA: bool>(a: f32, x: &[f32], y: &mut [f32]) {
    let (xv, xr) = x.as_chunks::<8>();
    let (yv, yr) = y.as_chunks_mut::<8>();
    #[cfg(target_arch = "x86_64")]
    if FMA {
        use std::arch::x86_64::{
            _mm256_fmadd_ps, _mm256_loadu_ps, _mm256_set1_ps, _mm256_storeu_ps,
        };
        // SAFETY: `FMA` is true only within `backward_fma`, compiled for AVX2 and FMA, which
        // this is inlined into; each pointer is to eight floats of its slice.
        unsafe {
            let av = _mm256_set1_ps(a);
            for (y, x) in yv.iter_mut().zip(xv) {
                let sum =
                    _mm256_fmadd_ps(av, _mm256_loadu_ps(x.as_ptr()), _mm256_loadu_ps(y.as_ptr()));
                _mm256_storeu_ps(y.as_mut_ptr(), sum);
            }
        }
    } else {
        for (y, x) in yv.iter_mut().zip(xv) {
            for i in 0..8 {
                y[i] = madd::<FMA>(y[i], a, x[i]);
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    for (y, x) in yv.iter_mut().zip(xv) {
        for i in 0..8 {
            y[i] = madd::<FMA>(y[i], a, x[i]);
        }
    }
    for (y, &x) in yr.iter_mut().zip(xr) {
        *y = madd::<FMA>(*y, a, x);
    }
}

/// A sample `(C, H, W)` into the middle of `xh (HP, WP, C)`.
fn to_channels_last(g: &Geom, x: &[f32], xh: &mut [f32]) {
    let wp = g.w + 2 * g.p;
    for (c, plane) in x.chunks_exact(g.h * g.w).enumerate() {
        for (y, row) in plane.chunks_exact(g.w).enumerate() {
            let dst = &mut xh[((y + g.p) * wp + g.p) * g.c + c..];
            for (ox, &v) in row.iter().enumerate() {
                dst[ox * g.c] = v;
            }
        }
    }
}

/// The middle of `dxh (HP, WP, C)` into `dx (C, H, W)`.
fn from_channels_last(g: &Geom, dxh: &[f32], dx: &mut [f32]) {
    let wp = g.w + 2 * g.p;
    for (c, plane) in dx.chunks_exact_mut(g.h * g.w).enumerate() {
        for (y, row) in plane.chunks_exact_mut(g.w).enumerate() {
            let src = &dxh[((y + g.p) * wp + g.p) * g.c + c..];
            for (ox, v) in row.iter_mut().enumerate() {
                *v = src[ox * g.c];
            }
        }
    }
}

/// `dw (F, C, K, K) += dwt (F, K, K, C)`.
fn add_channels_first(g: &Geom, dwt: &[f32], dw: &mut [f32]) {
    let (kk, c) = (g.k * g.k, g.c);
    for (src, dst) in dwt.chunks_exact(c * kk).zip(dw.chunks_exact_mut(c * kk)) {
        for ch in 0..c {
            for t in 0..kk {
                dst[ch * kk + t] += src[t * c + ch];
            }
        }
    }
}
