//! Stride-1 convolution computed directly on the padded input (`kernels`), one sample at a
//! time, with every buffer of a sample small enough for the L1 cache.
//!
//! # Shapes (per sample)
//! - padded input `(C, HP, WP)`, `HP = H+2P`, `WP = W+2P`; output in wide rows `(F, OH·WP)`
//!   (the last `K−1` columns of each row dropped), padded to whole tiles
//! - backward: `dW[f, (c,ki,kj)] += Σ dz[f, q] · padded[c, q + ki·WP + kj]` over wide rows;
//!   `dx` is the forward pass again on `dz` with a margin `M = K−1−P` of zeros around each
//!   map, `(F, OH+2M, OW+2M)`, and the kernel flipped and transposed, `(C, F, K, K)`: that
//!   gives `(C, H, W)` in wide rows of pitch `OW+2M`.

use super::im2col::Geom;
use super::kernels::{correlate, correlate_grad, pack, tiled};
use super::{scatter, sum};

/// A thread's buffers for one geometry.
#[derive(Default)]
pub(super) struct Buffers {
    geom: Option<Geom>,
    /// Padded input `(C, HP, WP)` and slack for the last tile's overrun; border zeroed once.
    pub(super) padded: Vec<f32>,
    /// Output or its gradient in wide rows `(F, ld)`; zero outside the valid columns.
    pub(super) out: Vec<f32>,
    pub(super) dout: Vec<f32>,
    /// `dz` with its margin of zeros `(F, OH+2M, OW+2M)` and slack; margin zeroed once.
    pub(super) dzpad: Vec<f32>,
    /// `dx` in wide rows `(C, ldx)`.
    pub(super) dxw: Vec<f32>,
    /// Tap offsets into `padded` (`C·K·K`) and into `dzpad` (`F·K·K`).
    pub(super) offs: Vec<usize>,
    pub(super) back_offs: Vec<usize>,
    /// The buffers of the fused block's scattering backward (`scatter`).
    pub(super) scatter: scatter::Buffers,
}

/// Sizes of the wide-row layout.
pub(super) struct Wide {
    /// Forward: row pitch, floats per output map (whole tiles).
    pub(super) wp: usize,
    pub(super) ld: usize,
    /// Backward: margin, row pitch and rows of `dzpad`, floats per `dx` map.
    pub(super) m: usize,
    pub(super) wq: usize,
    pub(super) hq: usize,
    pub(super) ldx: usize,
}

pub(super) fn wide(g: &Geom) -> Wide {
    let m = g.k - 1 - g.p;
    let (wq, hq) = (g.ow + 2 * m, g.oh + 2 * m);
    Wide {
        wp: g.w + 2 * g.p,
        ld: tiled(g.oh * (g.w + 2 * g.p)),
        m,
        wq,
        hq,
        ldx: tiled(g.h * wq),
    }
}

/// Offsets of the taps `(c, ki, kj)` in maps of `rows × pitch`.
fn taps(channels: usize, k: usize, rows: usize, pitch: usize) -> Vec<usize> {
    let per_tap = |c: usize, ki: usize, kj: usize| (c * rows + ki) * pitch + kj;
    (0..channels)
        .flat_map(|c| (0..k).flat_map(move |ki| (0..k).map(move |kj| per_tap(c, ki, kj))))
        .collect()
}

impl Buffers {
    /// Size and zero the buffers for `g` (stride 1), unless already done.
    pub(super) fn prepare(&mut self, g: &Geom) {
        if self.geom == Some(*g) {
            return;
        }
        let d = wide(g);
        self.offs = taps(g.c, g.k, g.h + 2 * g.p, d.wp);
        self.back_offs = taps(g.f, g.k, d.hq, d.wq);
        let last = |offs: &[usize]| offs.last().copied().unwrap_or(0);
        for (buf, len) in [
            (&mut self.padded, last(&self.offs) + d.ld),
            (&mut self.out, g.f * d.ld),
            (&mut self.dout, g.f * d.ld),
            (&mut self.dzpad, last(&self.back_offs) + d.ldx),
            (&mut self.dxw, g.c * d.ldx),
        ] {
            buf.clear();
            buf.resize(len, 0.0);
        }
        self.geom = Some(*g);
    }
}

/// The kernel flipped and transposed for `dx`: `(F, C, K, K)` → `(C, F, K, K)` reversed in
/// both spatial axes, packed for `correlate`.
pub(super) fn flipped(g: &Geom, w: &[f32]) -> Vec<f32> {
    let kk = g.k * g.k;
    let mut out = vec![0.0; w.len()];
    for f in 0..g.f {
        for c in 0..g.c {
            for t in 0..kk {
                out[(c * g.f + f) * kk + (kk - 1 - t)] = w[(f * g.c + c) * kk + t];
            }
        }
    }
    pack(&out, g.f * kk)
}

/// Copy a sample `(C, H, W)` into the middle of the padded buffer.
pub(super) fn pad(g: &Geom, wp: usize, x: &[f32], padded: &mut [f32]) {
    let hp = g.h + 2 * g.p;
    for (c, plane) in x.chunks_exact(g.h * g.w).enumerate() {
        for (h, row) in plane.chunks_exact(g.w).enumerate() {
            padded[(c * hp + h + g.p) * wp + g.p..][..g.w].copy_from_slice(row);
        }
    }
}

/// The kernel `(F, C·K·K)` packed for `correlate`.
pub(super) fn packed(g: &Geom, w: &[f32]) -> Vec<f32> {
    pack(w, g.rows())
}

/// Forward of a run of samples `(n, C, H, W)` → `(n, F, OH, OW)`; `w` as `packed` gives it.
pub(super) fn forward(
    g: &Geom,
    w: &[f32],
    bias: &[f32],
    xc: &[f32],
    yc: &mut [f32],
    b: &mut Buffers,
) {
    let d = wide(g);
    for (xi, yi) in xc
        .chunks_exact(g.in_len())
        .zip(yc.chunks_exact_mut(g.out_len()))
    {
        pad(g, d.wp, xi, &mut b.padded);
        correlate(w, &b.offs, &b.padded, &mut b.out, d.ld); // → (F, OH·WP)
        for ((yf, src), &bf) in yi
            .chunks_exact_mut(g.oh * g.ow)
            .zip(b.out.chunks_exact(d.ld))
            .zip(bias)
        {
            for (yrow, srow) in yf.chunks_exact_mut(g.ow).zip(src.chunks_exact(d.wp)) {
                yrow.iter_mut().zip(srow).for_each(|(y, &v)| *y = v + bf);
            }
        }
    }
}

/// Backward of a run of samples: adds into `dw (F, C·K·K)` and `db (F)`, writes `dx` if asked.
pub(super) fn backward(
    g: &Geom,
    wflip: &[f32],
    (xc, dyc): (&[f32], &[f32]),
    mut dxc: Option<&mut [f32]>,
    (dw, db): (&mut [f32], &mut [f32]),
    b: &mut Buffers,
) {
    let d = wide(g);
    for (i, (xi, dyi)) in xc
        .chunks_exact(g.in_len())
        .zip(dyc.chunks_exact(g.out_len()))
        .enumerate()
    {
        pad(g, d.wp, xi, &mut b.padded);
        for (f, dyf) in dyi.chunks_exact(g.oh * g.ow).enumerate() {
            db[f] += sum(dyf);
            for (oy, row) in dyf.chunks_exact(g.ow).enumerate() {
                b.dout[f * d.ld + oy * d.wp..][..g.ow].copy_from_slice(row);
            }
        }
        correlate_grad(&b.dout, d.ld, &b.offs, &b.padded, dw);
        let Some(dx) = dxc.as_mut() else { continue };
        for (f, dyf) in dyi.chunks_exact(g.oh * g.ow).enumerate() {
            for (oy, row) in dyf.chunks_exact(g.ow).enumerate() {
                b.dzpad[(f * d.hq + oy + d.m) * d.wq + d.m..][..g.ow].copy_from_slice(row);
            }
        }
        correlate(wflip, &b.back_offs, &b.dzpad, &mut b.dxw, d.ldx); // → (C, H·WQ)
        crop(
            g,
            d.wq,
            d.ldx,
            &b.dxw,
            &mut dx[i * g.in_len()..][..g.in_len()],
        );
    }
}

/// `dx (C, H, W)` from its wide rows `(C, ldx)` of pitch `wq`.
pub(super) fn crop(g: &Geom, wq: usize, ldx: usize, dxw: &[f32], dx: &mut [f32]) {
    for (plane, src) in dx.chunks_exact_mut(g.h * g.w).zip(dxw.chunks_exact(ldx)) {
        for (row, srow) in plane.chunks_exact_mut(g.w).zip(src.chunks_exact(wq)) {
            row.copy_from_slice(&srow[..g.w]);
        }
    }
}
