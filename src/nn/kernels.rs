//! The two loops a stride-1 convolution is made of, written so that the compiler keeps a tile
//! of outputs in vector registers, and compiled twice: for AVX2 with FMA (chosen at run time
//! when the CPU has them) and for the baseline target.
//!
//! Both read an input `x` at tap offsets: with the input zero-padded and seen as one long row
//! of pitch `WP`, the tap `(c, ki, kj)` of output position `q = oy·WP + ox` is
//! `x[q + c·HP·WP + ki·WP + kj]`. Positions `ox ≥ OW` of each row are computed too and
//! dropped by the caller ("wide rows"): that keeps `q` contiguous, so it is the vector axis.
//!
//! Why not im2col and a general matrix product: with 8 or 16 filters and 9 or 72 taps the
//! products are small, and packing their operands and copying `cols` took longer than the
//! multiply-adds.

/// Output positions per tile: two 8-float vectors. With `FB` outputs at a time that is 8
/// accumulators, which leaves registers for the operands (12 made the compiler spill).
pub(super) const Q: usize = 16;

/// Outputs per tile of `correlate`.
const FB: usize = 4;

/// `len` rounded up to whole tiles: the length of a wide output row buffer.
pub(super) fn tiled(len: usize) -> usize {
    len.div_ceil(Q) * Q
}

/// Weights `(F, T)` regrouped for `correlate`: blocks of `FB` outputs (single outputs at the
/// end), each block tap by tap, so that a tap's weights are adjacent.
pub(super) fn pack(w: &[f32], taps: usize) -> Vec<f32> {
    let outputs = w.len() / taps;
    let mut packed = Vec::with_capacity(w.len());
    let mut f = 0;
    while f < outputs {
        let fb = if outputs - f >= FB { FB } else { 1 };
        for t in 0..taps {
            packed.extend((f..f + fb).map(|o| w[o * taps + t]));
        }
        f += fb;
    }
    packed
}

/// `out[f·ld + q] = Σ_t w[f·T + t] · x[q + offs[t]]` for every `f` and `q < ld`, with
/// `T = offs.len()`, `ld` a multiple of `Q`, and `w` of `F·T` floats (`F` outputs) as
/// `pack` gives them.
pub(super) fn correlate(w: &[f32], offs: &[usize], x: &[f32], out: &mut [f32], ld: usize) {
    let reach = offs.iter().max().map_or(0, |m| m + ld);
    assert!(
        ld.is_multiple_of(Q) && reach <= x.len(),
        "wide rows of whole tiles within x"
    );
    assert!(
        out.len() >= w.len() / offs.len() * ld,
        "room for every output"
    );
    #[cfg(target_arch = "x86_64")]
    if has_fma() {
        // SAFETY: the CPU has AVX2 and FMA (checked just above); the sizes are checked.
        return unsafe { correlate_fma(w, offs, x, out, ld) };
    }
    // SAFETY: the sizes are checked above.
    unsafe { correlate_any::<false>(w, offs, x, out, ld) };
}

/// `dw[f·T + t] += Σ_{q < ld} dy[f·ld + q] · x[q + offs[t]]`: the weight gradient, from the
/// output gradient in wide rows (zero at the dropped positions) and the padded input.
pub(super) fn correlate_grad(dy: &[f32], ld: usize, offs: &[usize], x: &[f32], dw: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if has_fma() {
        // SAFETY: the CPU has AVX2 and FMA (checked just above).
        return unsafe { correlate_grad_fma(dy, ld, offs, x, dw) };
    }
    correlate_grad_any::<false>(dy, ld, offs, x, dw);
}

#[cfg(target_arch = "x86_64")]
pub(super) fn has_fma() -> bool {
    std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn correlate_fma(w: &[f32], offs: &[usize], x: &[f32], out: &mut [f32], ld: usize) {
    // SAFETY: as for the caller.
    unsafe { correlate_any::<true>(w, offs, x, out, ld) };
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn correlate_grad_fma(dy: &[f32], ld: usize, offs: &[usize], x: &[f32], dw: &mut [f32]) {
    correlate_grad_any::<true>(dy, ld, offs, x, dw);
}

/// `acc + a·b`, fused where the CPU can (`mul_add` without FMA would be a slow library call).
#[inline(always)]
pub(super) fn madd<const FMA: bool>(acc: f32, a: f32, b: f32) -> f32 {
    if FMA { a.mul_add(b, acc) } else { acc + a * b }
}

/// # Safety
/// `x` holds `max(offs) + ld` floats (checked by `correlate`).
#[inline(always)]
unsafe fn correlate_any<const FMA: bool>(
    w: &[f32],
    offs: &[usize],
    x: &[f32],
    out: &mut [f32],
    ld: usize,
) {
    let (taps, outputs) = (offs.len(), w.len() / offs.len());
    let mut f = 0;
    while f < outputs {
        let (wb, out) = (&w[f * taps..], &mut out[f * ld..]);
        if outputs - f >= FB {
            // SAFETY: as for the caller.
            unsafe { correlate_tile::<FB, FMA>(&wb[..FB * taps], offs, x, out, ld) };
            f += FB;
        } else {
            // SAFETY: as for the caller.
            unsafe { correlate_tile::<1, FMA>(&wb[..taps], offs, x, out, ld) };
            f += 1;
        }
    }
}

/// `B` outputs, `Q` positions at a time; `w` is the block's `B·T` packed weights.
///
/// # Safety
/// `x` holds `max(offs) + ld` floats.
#[inline(always)]
unsafe fn correlate_tile<const B: usize, const FMA: bool>(
    w: &[f32],
    offs: &[usize],
    x: &[f32],
    out: &mut [f32],
    ld: usize,
) {
    for q in (0..ld).step_by(Q) {
        let mut acc = [[0.0f32; Q]; B];
        for (ws, &off) in w.chunks_exact(B).zip(offs) {
            // SAFETY: q + off + Q ≤ ld + max(offs) ≤ x.len(), as the caller guarantees.
            let xs = unsafe { &*x.as_ptr().add(q + off).cast::<[f32; Q]>() };
            for (acc, &wv) in acc.iter_mut().zip(ws) {
                acc.iter_mut()
                    .zip(xs)
                    .for_each(|(a, &v)| *a = madd::<FMA>(*a, wv, v));
            }
        }
        for (b, acc) in acc.iter().enumerate() {
            out[b * ld + q..][..Q].copy_from_slice(acc);
        }
    }
}

#[inline(always)]
fn correlate_grad_any<const FMA: bool>(
    dy: &[f32],
    ld: usize,
    offs: &[usize],
    x: &[f32],
    dw: &mut [f32],
) {
    let taps = offs.len();
    let outputs = dw.len() / taps;
    assert!(
        ld.is_multiple_of(8) && dy.len() >= outputs * ld,
        "wide rows of whole vectors"
    );
    let mut f = 0;
    while f < outputs {
        let fb = if outputs - f >= 4 { 4 } else { 1 };
        let mut t = 0;
        while t < taps {
            // Tiles of 4 outputs × 3 taps (12 vector accumulators), smaller at the edges.
            let tb = if taps - t >= 3 { 3 } else { 1 };
            let (dyf, dwf) = (&dy[f * ld..], &mut dw[f * taps + t..]);
            match (fb, tb) {
                (4, 3) => grad_tile::<4, 3, FMA>(dyf, ld, &offs[t..], x, dwf, taps),
                (4, _) => grad_tile::<4, 1, FMA>(dyf, ld, &offs[t..], x, dwf, taps),
                (_, 3) => grad_tile::<1, 3, FMA>(dyf, ld, &offs[t..], x, dwf, taps),
                _ => grad_tile::<1, 1, FMA>(dyf, ld, &offs[t..], x, dwf, taps),
            }
            t += tb;
        }
        f += fb;
    }
}

/// `FB` outputs × `TB` taps of the weight gradient, eight positions at a time.
#[inline(always)]
fn grad_tile<const FB: usize, const TB: usize, const FMA: bool>(
    dy: &[f32],
    ld: usize,
    offs: &[usize],
    x: &[f32],
    dw: &mut [f32],
    taps: usize,
) {
    let mut acc = [[[0.0f32; 8]; TB]; FB];
    for q in (0..ld).step_by(8) {
        let xs: [&[f32; 8]; TB] =
            std::array::from_fn(|j| x[q + offs[j]..][..8].try_into().expect("8 floats"));
        for (b, acc) in acc.iter_mut().enumerate() {
            let d: &[f32; 8] = dy[b * ld + q..][..8].try_into().expect("8 floats");
            for (acc, xs) in acc.iter_mut().zip(&xs) {
                for i in 0..8 {
                    acc[i] = madd::<FMA>(acc[i], d[i], xs[i]);
                }
            }
        }
    }
    for (b, acc) in acc.iter().enumerate() {
        for (j, a) in acc.iter().enumerate() {
            // A fixed order of additions: the same result on every run.
            let s = ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]));
            dw[b * taps + j] += s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both loops against their definitions, on odd sizes that use every tile shape.
    #[test]
    fn kernels_match_their_definitions() {
        let (outputs, ld) = (6, 2 * Q);
        let offs = [0usize, 1, 5, 9, 30];
        let x: Vec<f32> = (0..ld + 40).map(|i| ((i * 37) % 11) as f32 - 5.0).collect();
        let w: Vec<f32> = (0..outputs * offs.len())
            .map(|i| (i % 7) as f32 * 0.5 - 1.0)
            .collect();
        let mut out = vec![0.0; outputs * ld];
        correlate(&pack(&w, offs.len()), &offs, &x, &mut out, ld);
        for f in 0..outputs {
            for q in 0..ld {
                let want: f32 = (0..offs.len())
                    .map(|t| w[f * offs.len() + t] * x[q + offs[t]])
                    .sum();
                assert_eq!(out[f * ld + q], want, "output {f} position {q}");
            }
        }
        let mut dw = vec![1.0; outputs * offs.len()];
        correlate_grad(&out, ld, &offs, &x, &mut dw);
        for f in 0..outputs {
            for (t, &off) in offs.iter().enumerate() {
                let want: f64 = 1.0
                    + (0..ld)
                        .map(|q| f64::from(out[f * ld + q] * x[q + off]))
                        .sum::<f64>();
                let got = f64::from(dw[f * offs.len() + t]);
                assert!(
                    (got - want).abs() <= 1e-5 * want.abs().max(1.0),
                    "dw {f},{t}: {got} vs {want}"
                );
            }
        }
    }
}
