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
use super::sum;

/// A thread's buffers for one geometry.
#[derive(Default)]
pub(super) struct Buffers {
    geom: Option<Geom>,
    /// Padded input `(C, HP, WP)` and slack for the last tile's overrun; border zeroed once.
    padded: Vec<f32>,
    /// Output or its gradient in wide rows `(F, ld)`; zero outside the valid columns.
    out: Vec<f32>,
    dout: Vec<f32>,
    /// `dz` with its margin of zeros `(F, OH+2M, OW+2M)` and slack; margin zeroed once.
    dzpad: Vec<f32>,
    /// `dx` in wide rows `(C, ldx)`.
    dxw: Vec<f32>,
    /// Tap offsets into `padded` (`C·K·K`) and into `dzpad` (`F·K·K`).
    offs: Vec<usize>,
    back_offs: Vec<usize>,
}

/// Sizes of the wide-row layout.
struct Wide {
    /// Forward: row pitch, floats per output map (whole tiles).
    wp: usize,
    ld: usize,
    /// Backward: margin, row pitch and rows of `dzpad`, floats per `dx` map.
    m: usize,
    wq: usize,
    hq: usize,
    ldx: usize,
}

fn wide(g: &Geom) -> Wide {
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
fn pad(g: &Geom, wp: usize, x: &[f32], padded: &mut [f32]) {
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
        let dxi = &mut dx[i * g.in_len()..][..g.in_len()];
        for (plane, src) in dxi
            .chunks_exact_mut(g.h * g.w)
            .zip(b.dxw.chunks_exact(d.ldx))
        {
            for (row, srow) in plane.chunks_exact_mut(g.w).zip(src.chunks_exact(d.wq)) {
                row.copy_from_slice(&srow[..g.w]);
            }
        }
    }
}

/// A pooled value whose maximum the ReLU cut to 0: no gradient goes back through it.
pub(super) const CUT: u8 = u8::MAX;

/// Forward of a run of samples fused with a ReLU and a `win×win` max-pool (stride `win`):
/// `(n, C, H, W)` → `(n, F, OH/win, OW/win)`, and in `codes`, for each pooled value, where
/// its maximum was (`row·win + col` in the window, the first on ties) or `CUT`.
/// The same values as the three layers one by one; the conv's own output never reaches
/// memory outside this thread's buffers.
pub(super) fn forward_pooled(
    g: &Geom,
    win: usize,
    (w, bias): (&[f32], &[f32]),
    (xc, yc, codes): (&[f32], &mut [f32], &mut [u8]),
    b: &mut Buffers,
) {
    let d = wide(g);
    let pooled = g.f * (g.oh / win) * (g.ow / win);
    let samples = xc.chunks_exact(g.in_len()).zip(yc.chunks_exact_mut(pooled));
    for ((xi, yi), ci) in samples.zip(codes.chunks_exact_mut(pooled)) {
        pad(g, d.wp, xi, &mut b.padded);
        correlate(w, &b.offs, &b.padded, &mut b.out, d.ld); // → (F, OH·WP)
        let maps = yi
            .chunks_exact_mut(pooled / g.f)
            .zip(ci.chunks_exact_mut(pooled / g.f));
        let sizes = (d.wp, g.ow / win);
        for (((yf, cf), src), &bf) in maps.zip(b.out.chunks_exact(d.ld)).zip(bias) {
            match win {
                1 => pool_map::<1>(src, sizes, bf, yf, cf),
                2 => pool_map_2(src, sizes, bf, yf, cf),
                3 => pool_map::<3>(src, sizes, bf, yf, cf),
                4 => pool_map::<4>(src, sizes, bf, yf, cf),
                w => unreachable!("pool window {w} is outside 1..=4"),
            }
        }
    }
}

/// One map in wide rows of pitch `wp` → bias, ReLU and max-pool into `y (PH, PW)` and
/// `codes`. Selects, not branches: which value wins is unpredictable (see `pool.rs`).
#[inline(always)]
fn pool_map<const W: usize>(
    src: &[f32],
    (wp, pw): (usize, usize),
    bias: f32,
    y: &mut [f32],
    codes: &mut [u8],
) {
    for (py, (yrow, crow)) in y
        .chunks_exact_mut(pw)
        .zip(codes.chunks_exact_mut(pw))
        .enumerate()
    {
        let rows: [&[f32]; W] = std::array::from_fn(|a| &src[(py * W + a) * wp..][..pw * W]);
        for (px, (yv, cv)) in yrow.iter_mut().zip(crow.iter_mut()).enumerate() {
            let (mut best, mut at) = (rows[0][px * W] + bias, 0u8);
            for (a, row) in rows.iter().enumerate() {
                for (j, &v) in row[px * W..][..W].iter().enumerate() {
                    let v = v + bias;
                    let better = v > best;
                    best = if better { v } else { best };
                    at = if better { (a * W + j) as u8 } else { at }; // a constant: cheap to select
                }
            }
            // The ReLU without a branch: whether it cuts is as unpredictable as the maximum.
            let cut = 0u8.wrapping_sub(u8::from(best <= 0.0)); // 0xFF = CUT, or 0
            (*yv, *cv) = (best.max(0.0), at | cut);
        }
    }
}

/// `pool_map::<2>` as a tree of selects, the common case: each window's two rows in
/// parallel, then the rows against each other (the lower row wins only if larger). The bias
/// is added after the max: the same value, as rounding is monotonic.
fn pool_map_2(src: &[f32], (wp, pw): (usize, usize), bias: f32, y: &mut [f32], codes: &mut [u8]) {
    for (py, (yrow, crow)) in y
        .chunks_exact_mut(pw)
        .zip(codes.chunks_exact_mut(pw))
        .enumerate()
    {
        let r0 = &src[2 * py * wp..][..2 * pw];
        let r1 = &src[(2 * py + 1) * wp..][..2 * pw];
        let windows = r0.chunks_exact(2).zip(r1.chunks_exact(2));
        for ((yv, cv), (p, q)) in yrow.iter_mut().zip(crow.iter_mut()).zip(windows) {
            let (m0, i0) = if p[1] > p[0] { (p[1], 1) } else { (p[0], 0) };
            let (m1, i1) = if q[1] > q[0] { (q[1], 3) } else { (q[0], 2) };
            let (best, at) = if m1 > m0 { (m1, i1) } else { (m0, i0) };
            let best = best + bias;
            let cut = 0u8.wrapping_sub(u8::from(best <= 0.0)); // 0xFF = CUT, or 0
            (*yv, *cv) = (best.max(0.0), at | cut);
        }
    }
}

/// One map's pooled gradient `(PH, PW)` and codes → `dz` in wide rows of pitch `wp` (the
/// gradient at each window's maximum, 0 elsewhere); rows no window reaches are not written.
#[inline(always)]
fn unpool_map<const W: usize>(
    dy: &[f32],
    codes: &[u8],
    (wp, pw): (usize, usize),
    dz: &mut [f32],
) -> f32 {
    let mut bsum = 0.0;
    for (py, (drow, crow)) in dy.chunks_exact(pw).zip(codes.chunks_exact(pw)).enumerate() {
        for a in 0..W {
            let out = &mut dz[(py * W + a) * wp..][..pw * W];
            for ((win, &v), &c) in out.chunks_exact_mut(W).zip(drow).zip(crow) {
                for (j, o) in win.iter_mut().enumerate() {
                    *o = if usize::from(c) == a * W + j { v } else { 0.0 };
                }
            }
        }
        bsum += drow
            .iter()
            .zip(crow)
            .map(|(&v, &c)| if c == CUT { 0.0 } else { v })
            .sum::<f32>();
    }
    bsum
}

/// Backward of `forward_pooled`: from the pooled gradient `(n, F, PH, PW)` and the codes,
/// adds into `dw` and `db` and writes `dx` if asked.
pub(super) fn backward_pooled(
    g: &Geom,
    win: usize,
    wflip: &[f32],
    (xc, dyc, codes): (&[f32], &[f32], &[u8]),
    mut dxc: Option<&mut [f32]>,
    (dw, db): (&mut [f32], &mut [f32]),
    b: &mut Buffers,
) {
    let d = wide(g);
    let (pw, pooled) = (g.ow / win, g.f * (g.oh / win) * (g.ow / win));
    let samples = xc.chunks_exact(g.in_len()).zip(dyc.chunks_exact(pooled));
    for (i, ((xi, dyi), ci)) in samples.zip(codes.chunks_exact(pooled)).enumerate() {
        pad(g, d.wp, xi, &mut b.padded);
        if g.oh % win + g.ow % win > 0 {
            // Rows or columns no window reaches get no gradient, even if the unfused
            // `backward` wrote there last time.
            b.dout.fill(0.0);
            b.dzpad.fill(0.0);
        }
        let maps = dyi
            .chunks_exact(pooled / g.f)
            .zip(ci.chunks_exact(pooled / g.f));
        for (f, (dyf, cf)) in maps.enumerate() {
            let dz = &mut b.dout[f * d.ld..][..d.ld];
            db[f] += match win {
                1 => unpool_map::<1>(dyf, cf, (d.wp, pw), dz),
                2 => unpool_map::<2>(dyf, cf, (d.wp, pw), dz),
                3 => unpool_map::<3>(dyf, cf, (d.wp, pw), dz),
                4 => unpool_map::<4>(dyf, cf, (d.wp, pw), dz),
                w => unreachable!("pool window {w} is outside 1..=4"),
            };
            if dxc.is_some() {
                // The same rows into dzpad, inside its margin.
                for oy in 0..g.oh / win * win {
                    let src = &b.dout[f * d.ld + oy * d.wp..][..g.ow / win * win];
                    b.dzpad[(f * d.hq + oy + d.m) * d.wq + d.m..][..src.len()].copy_from_slice(src);
                }
            }
        }
        correlate_grad(&b.dout, d.ld, &b.offs, &b.padded, dw);
        if let Some(dx) = dxc.as_mut() {
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
}

/// `dx (C, H, W)` from its wide rows `(C, ldx)` of pitch `wq`.
fn crop(g: &Geom, wq: usize, ldx: usize, dxw: &[f32], dx: &mut [f32]) {
    for (plane, src) in dx.chunks_exact_mut(g.h * g.w).zip(dxw.chunks_exact(ldx)) {
        for (row, srow) in plane.chunks_exact_mut(g.w).zip(src.chunks_exact(wq)) {
            row.copy_from_slice(&srow[..g.w]);
        }
    }
}
