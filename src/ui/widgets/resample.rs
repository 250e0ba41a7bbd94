//! Resampling a map to the pixels a heatmap draws: whole-factor repetition, exact 2×2
//! halving, and box averaging as the fallback. Pure, tested below.

use ndarray::ArrayView2;

/// Box-average (shrinking) or nearest (growing) resampling of `src` to `out_h` rows of
/// `out_w` values, row-major.
pub fn resample(src: ArrayView2<f32>, out_w: usize, out_h: usize) -> Vec<f32> {
    let (h, w) = src.dim();
    let mut out = Vec::with_capacity(out_w * out_h);
    if h == 0 || w == 0 {
        out.resize(out_w * out_h, 0.0);
        return out;
    }
    let span = |i: usize, n: usize, len: usize| {
        let a = i * len / n;
        (a, ((i + 1) * len / n).max(a + 1).min(len))
    };
    for oy in 0..out_h {
        let (y0, y1) = span(oy, out_h, h);
        for ox in 0..out_w {
            let (x0, x1) = span(ox, out_w, w);
            let block = src.slice(ndarray::s![y0..y1, x0..x1]);
            out.push(block.sum() / block.len() as f32);
        }
    }
    out
}

/// `src` in an `out_w`×`out_h` pixel grid, from the top-left, NaN marking the blank rest:
/// scaled up by a whole factor (crisp, square pixels) when it fits; else halved by averaging
/// each 2×2 block when that fits (the smallest the scale chooser draws); else box-averaged.
pub fn fit(src: ArrayView2<f32>, out_w: usize, out_h: usize) -> Vec<f32> {
    let (h, w) = src.dim();
    if h == 0 || w == 0 || out_w < w.div_ceil(2) || out_h < h.div_ceil(2) {
        return resample(src, out_w, out_h);
    }
    let mut out = vec![f32::NAN; out_w * out_h];
    if out_w < w || out_h < h {
        for y in 0..h.div_ceil(2) {
            for x in 0..w.div_ceil(2) {
                let block = src.slice(ndarray::s![
                    2 * y..(2 * y + 2).min(h),
                    2 * x..(2 * x + 2).min(w)
                ]);
                out[y * out_w + x] = block.sum() / block.len() as f32;
            }
        }
        return out;
    }
    let s = (out_w / w).min(out_h / h);
    for y in 0..h * s {
        for x in 0..w * s {
            out[y * out_w + x] = src[(y / s, x / s)];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn resample_shrinks_by_averaging_and_grows_by_repeating() {
        let a = array![[0.0, 2.0], [4.0, 6.0]];
        assert_eq!(resample(a.view(), 1, 1), vec![3.0]);
        assert_eq!(resample(a.view(), 4, 1), vec![2.0, 2.0, 4.0, 4.0]);
        assert_eq!(resample(a.view(), 2, 2), vec![0.0, 2.0, 4.0, 6.0]);
        let odd = array![[1.0, 2.0, 3.0]];
        assert_eq!(resample(odd.view(), 2, 1), vec![1.0, 2.5]);
    }

    #[test]
    fn fit_scales_by_whole_factors_and_blanks_the_rest() {
        let a = array![[1.0, 2.0]];
        let out = fit(a.view(), 5, 2);
        assert_eq!(&out[..4], &[1.0, 1.0, 2.0, 2.0]);
        assert!(out[4].is_nan());
        assert_eq!(&out[5..9], &[1.0, 1.0, 2.0, 2.0]);
        assert_eq!(fit(a.view(), 1, 1), vec![1.5]);
    }

    #[test]
    fn fit_halves_by_exact_two_by_two_blocks() {
        // 3×3 into 2×2: blocks {0,1,3,4}, {2,5}, {6,7}, {8}, each its own mean.
        let a = array![[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]];
        assert_eq!(fit(a.view(), 2, 2), vec![2.0, 3.5, 6.5, 8.0]);
        // A wider grid keeps the halved picture at the top-left, the rest blank.
        let out = fit(a.view(), 3, 2);
        assert_eq!((out[0], out[1], out[3]), (2.0, 3.5, 6.5));
        assert!(out[2].is_nan() && out[5].is_nan());
    }
}
