//! The plain convolution: what a convolution and a pooling *are*, loop by loop, with nothing
//! done for speed. The fast layers (`conv`, im2col and a matrix product; `pool`) are tested
//! against it; the gradient checks run it in f64; the dashboard's demo state and the
//! convolution microscope compute with it.
//!
//! # Convolution
//! Input `x` `(C, H, W)`, kernel `w` `(F, C, K, K)`, bias `b` `(F)`, stride S, zero padding P:
//!
//! `y[f, i, j] = b[f] + Σ_c Σ_u Σ_v w[f, c, u, v] · x[c, i·S + u − P, j·S + v − P]`
//!
//! where `x` is 0 outside the image, and the output is `(F, OH, OW)` with
//! `OH = ⌊(H + 2P − K)/S⌋ + 1` (`plan::conv_out_len`), likewise `OW`.
//!
//! # Pooling
//! Each output pixel is the max or the mean of one `K×K` window of its channel; windows do
//! not overlap (stride K), so `(C, H, W)` → `(C, ⌊H/K⌋, ⌊W/K⌋)` and the last `H mod K` rows
//! (and columns) are never read.
//!
//! Every function has a per-pixel form (`conv_pixel`, `pool_pixel`) that the whole-map and
//! batch forms are built on. Generic over `f32` and `f64`.

use super::plan::conv_out_len;
use ndarray::{Array3, Array4, ArrayView1, ArrayView2, ArrayView3, ArrayView4, Axis, NdFloat};

/// Max or average pooling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooling {
    Max,
    Avg,
}

/// The input coordinate that kernel tap `u` of output coordinate `i` reads along one axis of
/// length `len`: `i·S + u − P`, or `None` when that falls in the zero padding.
pub fn source(i: usize, u: usize, stride: usize, padding: usize, len: usize) -> Option<usize> {
    (i * stride + u).checked_sub(padding).filter(|&at| at < len)
}

/// The input pixels that output pixel `(i, j)` reads, `(C, K, K)`: `Some(value)` inside the
/// image, `None` in the zero padding. Tap `(u, v)` reads `x[c, i·S + u − P, j·S + v − P]`.
/// `x` is `(C, H, W)`. The microscope shows this patch beside the kernel.
pub fn receptive_field<A: NdFloat>(
    x: ArrayView3<A>,
    kernel: usize,
    (stride, padding): (usize, usize),
    (i, j): (usize, usize),
) -> Array3<Option<A>> {
    let (c, h, w) = x.dim();
    Array3::from_shape_fn((c, kernel, kernel), |(ch, u, v)| {
        let y = source(i, u, stride, padding, h)?;
        let xx = source(j, v, stride, padding, w)?;
        Some(x[[ch, y, xx]])
    })
}

/// One output pixel `(i, j)` of one filter: `bias + Σ_c Σ_u Σ_v filter[c, u, v] · x[c, i·S + u − P, j·S + v − P]`.
/// `x` is `(C, H, W)`, `filter` is `(C, K, K)` (one filter of the kernel).
pub fn conv_pixel<A: NdFloat>(
    x: ArrayView3<A>,
    filter: ArrayView3<A>,
    bias: A,
    (stride, padding): (usize, usize),
    (i, j): (usize, usize),
) -> A {
    let (c, h, w) = x.dim();
    let (fc, kh, kw) = filter.dim();
    assert_eq!(fc, c, "the filter has {fc} channels, the input {c}");
    let mut sum = bias;
    for ch in 0..c {
        for u in 0..kh {
            for v in 0..kw {
                let (Some(y), Some(xx)) = (
                    source(i, u, stride, padding, h),
                    source(j, v, stride, padding, w),
                ) else {
                    continue; // zero padding adds nothing
                };
                sum += filter[[ch, u, v]] * x[[ch, y, xx]];
            }
        }
    }
    sum
}

/// The convolution of one image: `x` `(C, H, W)`, `kernel` `(F, C, K, K)`, `bias` `(F)`
/// → `(F, OH, OW)`. Panics when the kernel does not fit the padded input.
pub fn conv_map<A: NdFloat>(
    x: ArrayView3<A>,
    kernel: ArrayView4<A>,
    bias: ArrayView1<A>,
    stride: usize,
    padding: usize,
) -> Array3<A> {
    let (_, h, w) = x.dim();
    let (f, _, k, _) = kernel.dim();
    assert_eq!(bias.len(), f, "one bias per filter");
    let side = |len| {
        conv_out_len(len, k, stride, padding)
            .unwrap_or_else(|| panic!("a {k}×{k} kernel does not fit {len} + 2·{padding}"))
    };
    Array3::from_shape_fn((f, side(h), side(w)), |(f, i, j)| {
        let filter = kernel.index_axis(Axis(0), f);
        conv_pixel(x, filter, bias[f], (stride, padding), (i, j))
    })
}

/// The convolution of a batch: `x` `(N, C, H, W)` → `(N, F, OH, OW)`.
pub fn conv2d<A: NdFloat>(
    x: ArrayView4<A>,
    kernel: ArrayView4<A>,
    bias: ArrayView1<A>,
    stride: usize,
    padding: usize,
) -> Array4<A> {
    let maps: Vec<Array3<A>> = x
        .outer_iter()
        .map(|image| conv_map(image, kernel, bias, stride, padding))
        .collect();
    stack(maps)
}

/// One output pixel `(i, j)` of pooling one channel `x` `(H, W)` with a `window×window`
/// window at stride `window`: the max or the mean of `x[i·K..(i+1)·K, j·K..(j+1)·K]`.
pub fn pool_pixel<A: NdFloat>(
    x: ArrayView2<A>,
    op: Pooling,
    window: usize,
    (i, j): (usize, usize),
) -> A {
    let cell = pool_window(x, window, (i, j));
    match op {
        Pooling::Max => cell.fold(A::neg_infinity(), |m, &v| m.max(v)),
        Pooling::Avg => {
            let count = A::from(window * window).expect("a count is a number");
            cell.sum() / count
        }
    }
}

/// The `window×window` values of `x` `(H, W)` that pooled pixel `(i, j)` reads.
pub fn pool_window<A: NdFloat>(
    x: ArrayView2<'_, A>,
    window: usize,
    (i, j): (usize, usize),
) -> ArrayView2<'_, A> {
    let rows = i * window..(i + 1) * window;
    let cols = j * window..(j + 1) * window;
    x.slice_move(ndarray::s![rows, cols])
}

/// Pooling of one image: `(C, H, W)` → `(C, ⌊H/K⌋, ⌊W/K⌋)` for a window of K.
pub fn pool_map<A: NdFloat>(x: ArrayView3<A>, op: Pooling, window: usize) -> Array3<A> {
    let (c, h, w) = x.dim();
    assert!(window > 0, "a pooling window is at least 1");
    Array3::from_shape_fn((c, h / window, w / window), |(ch, i, j)| {
        pool_pixel(x.index_axis(Axis(0), ch), op, window, (i, j))
    })
}

/// Pooling of a batch: `(N, C, H, W)` → `(N, C, ⌊H/K⌋, ⌊W/K⌋)`.
pub fn pool2d<A: NdFloat>(x: ArrayView4<A>, op: Pooling, window: usize) -> Array4<A> {
    stack(
        x.outer_iter()
            .map(|image| pool_map(image, op, window))
            .collect(),
    )
}

/// `N` maps `(C, H, W)` of one shape → `(N, C, H, W)`.
fn stack<A: NdFloat>(maps: Vec<Array3<A>>) -> Array4<A> {
    let (c, h, w) = maps.first().map_or((0, 0, 0), |m| m.dim());
    let n = maps.len();
    let flat: Vec<A> = maps.into_iter().flat_map(|m| m.into_iter()).collect();
    Array4::from_shape_vec((n, c, h, w), flat).expect("every map has the first one's shape")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, array};

    #[test]
    fn taps_in_the_padding_read_nothing() {
        // Output 0 with P = 1 starts one pixel before the image.
        assert_eq!(source(0, 0, 1, 1, 5), None);
        assert_eq!(source(0, 1, 1, 1, 5), Some(0));
        assert_eq!(source(2, 2, 2, 1, 5), None); // 2·2 + 2 − 1 = 5, past the end
        assert_eq!(source(1, 2, 2, 1, 5), Some(3));
    }

    #[test]
    fn one_pixel_by_the_formula() {
        // x = 3i + j on a 3×3; the kernel picks the centre (weight 2) and the top-left (−1).
        let x = Array3::from_shape_fn((1, 3, 3), |(_, i, j)| (3 * i + j) as f64);
        let w = array![[[[-1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 0.0]]]];
        let y = conv_map(x.view(), w.view(), Array1::from_elem(1, 0.5).view(), 1, 1);
        assert_eq!(y.dim(), (1, 3, 3));
        // (0, 0): the top-left tap is in the padding: 0.5 + 2·0.
        assert_eq!(y[[0, 0, 0]], 0.5);
        // (1, 1): 0.5 + 2·4 − 0.
        assert_eq!(y[[0, 1, 1]], 8.5);
        // (2, 2): 0.5 + 2·8 − 4.
        assert_eq!(y[[0, 2, 2]], 12.5);
    }

    #[test]
    fn a_pixel_is_its_receptive_field_times_the_filter_plus_the_bias() {
        let x = Array3::from_shape_fn((2, 5, 4), |(c, i, j)| (c * 20 + i * 4 + j) as f64 * 0.1);
        let f = Array3::from_shape_fn((2, 3, 3), |(c, u, v)| (c + u) as f64 - v as f64 * 0.5);
        for (s, p) in [(1, 0), (1, 1), (2, 1), (2, 2), (3, 2)] {
            let oh = conv_out_len(5, 3, s, p).unwrap();
            let ow = conv_out_len(4, 3, s, p).unwrap();
            for (i, j) in (0..oh).flat_map(|i| (0..ow).map(move |j| (i, j))) {
                let field = receptive_field(x.view(), 3, (s, p), (i, j));
                let sum: f64 = field
                    .iter()
                    .zip(f.iter())
                    .map(|(x, w)| x.unwrap_or(0.0) * w)
                    .sum();
                let want = conv_pixel(x.view(), f.view(), 0.25, (s, p), (i, j));
                assert!((sum + 0.25 - want).abs() < 1e-12, "s {s} p {p} ({i}, {j})");
            }
        }
        // The top-left output with P = 2 reads two rows and two columns of padding: of its
        // 3×3 taps only the last is in the image, in each of the two channels.
        let corner = receptive_field(x.view(), 3, (1, 2), (0, 0));
        assert_eq!(corner.iter().filter(|v| v.is_none()).count(), 2 * 8);
        assert_eq!(corner[[1, 2, 2]], Some(2.0));
    }

    #[test]
    fn pooling_takes_each_windows_max_or_mean_and_drops_the_rest() {
        let x = array![[[1.0f32, 2.0, 9.0], [3.0, 4.0, 9.0], [9.0, 9.0, 9.0]]];
        assert_eq!(pool_map(x.view(), Pooling::Max, 2), array![[[4.0]]]);
        assert_eq!(pool_map(x.view(), Pooling::Avg, 2), array![[[2.5]]]);
        let batch = x.insert_axis(Axis(0));
        assert_eq!(pool2d(batch.view(), Pooling::Max, 3).dim(), (1, 1, 1, 1));
    }

    #[test]
    fn a_batch_is_its_images_side_by_side() {
        let x = Array4::from_shape_fn((2, 2, 4, 5), |(n, c, i, j)| (n + c * i) as f32 - j as f32);
        let w = Array4::from_shape_fn((3, 2, 3, 3), |(f, c, u, v)| (f + c + u * v) as f32 * 0.1);
        let b = array![0.1f32, -0.2, 0.3];
        let y = conv2d(x.view(), w.view(), b.view(), 2, 1);
        assert_eq!(y.dim(), (2, 3, 2, 3));
        for n in 0..2 {
            let one = conv_map(x.index_axis(Axis(0), n), w.view(), b.view(), 2, 1);
            assert_eq!(y.index_axis(Axis(0), n), one);
        }
    }
}
