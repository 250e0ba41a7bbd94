//! A stride-1 convolution fused with the ReLU and the `win×win` max-pool after it, on the
//! direct convolution's buffers (`direct`): the conv's output never reaches memory outside
//! the thread's buffers, and the backward starts from the pooled gradient and the codes.
//!
//! # Shapes (per sample)
//! - input `(C, H, W)` → pooled output `(F, OH/win, OW/win)` and one code per pooled value
//! - the conv's output and its gradient in wide rows `(F, OH·WP)`, as in `direct`

use super::direct::{Buffers, crop, pad, wide};
use super::im2col::Geom;
use super::kernels::{correlate, correlate_grad};
use super::scatter;

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

/// One map's pooled gradient `(PH, PW)` and codes → `dz` in wide rows of pitch `wp`: zeros,
/// and the gradient at each window's maximum; returns the sum that reaches the conv (its
/// bias's gradient). Zeroing then one store per window, not a select per conv output: the
/// selects cost about a tenth of a training step.
#[inline(always)]
fn unpool_map<const W: usize>(
    dy: &[f32],
    codes: &[u8],
    (wp, pw): (usize, usize),
    dz: &mut [f32],
) -> f32 {
    dz.fill(0.0);
    let mut bsum = 0.0;
    for (py, (drow, crow)) in dy.chunks_exact(pw).zip(codes.chunks_exact(pw)).enumerate() {
        let top = py * W * wp;
        for (px, (&v, &c)) in drow.iter().zip(crow).enumerate() {
            // A cut window stores its 0 at its corner: windows do not overlap.
            let cut = c == CUT;
            let (at, v) = if cut { (0, 0.0) } else { (usize::from(c), v) };
            dz[top + at / W * wp + px * W + at % W] = v;
            bsum += v;
        }
    }
    bsum
}

/// Backward of `forward_pooled`: from the pooled gradient `(n, F, PH, PW)` and the codes,
/// adds into `dw` and `db` and writes `dx` if asked. `wback` is the kernel as
/// `scatter::channels_last` gives it if `scatter::pays`, else as `direct::flipped` does.
pub(super) fn backward_pooled(
    g: &Geom,
    win: usize,
    wback: &[f32],
    chunk: (&[f32], &[f32], &[u8]),
    dxc: Option<&mut [f32]>,
    grads: (&mut [f32], &mut [f32]),
    b: &mut Buffers,
) {
    if scatter::pays(g, win) {
        return scatter::backward(g, win, wback, chunk, dxc, grads, &mut b.scatter);
    }
    backward_dense(g, win, wback, chunk, dxc, grads, b);
}

/// `backward_pooled` through the conv's whole output gradient, mostly zeros.
fn backward_dense(
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
            // `backward` wrote there last time (`unpool_map` zeroes `dout` itself).
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
