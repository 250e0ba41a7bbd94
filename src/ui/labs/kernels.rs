//! Kernels by hand: the classic 3×3 filters of image processing, applied to the probe digit
//! with the plain convolution (`nn::reference`) at conv1's stride and padding, and compared
//! with the filters conv1 learned by cosine similarity up to sign (a filter and its negative
//! find the same edge, one as light-to-dark, the other as dark-to-light).

use crate::nn::plan::conv_out_len;
use crate::nn::reference::conv_map;
use ndarray::{Array1, Array2, Array4, ArrayView2, ArrayView4, Axis};

/// A 3×3 kernel, row by row.
pub type Kernel3 = [[f32; 3]; 3];

/// A named hand-made kernel and what it finds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HandKernel {
    pub name: &'static str,
    pub finds: &'static str,
    pub weights: Kernel3,
}

const fn k(name: &'static str, finds: &'static str, weights: Kernel3) -> HandKernel {
    HandKernel {
        name,
        finds,
        weights,
    }
}

const NINTH: f32 = 1.0 / 9.0;

/// The hand-made kernels, in the order `k` steps through them; the user's own comes after.
pub const HAND_KERNELS: [HandKernel; 7] = [
    k(
        "Sobel vertical",
        "vertical edges (left ↔ right change)",
        [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]],
    ),
    k(
        "Sobel horizontal",
        "horizontal edges (top ↔ bottom change)",
        [[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]],
    ),
    k(
        "Prewitt vertical",
        "vertical edges, without Sobel's centre weight",
        [[-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]],
    ),
    k(
        "Prewitt horizontal",
        "horizontal edges, without Sobel's centre weight",
        [[-1.0, -1.0, -1.0], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]],
    ),
    k(
        "blur",
        "nothing: it averages, softening every edge",
        [[NINTH; 3]; 3],
    ),
    k(
        "sharpen",
        "contrast: the pixel minus its neighbours",
        [[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]],
    ),
    k(
        "identity",
        "the image itself (a check of the arithmetic)",
        [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]],
    ),
];

/// `image` `(H, W)` convolved with `kernel` (no bias) at `stride` and `padding`: `(OH, OW)`,
/// or `None` when the kernel does not fit.
pub fn apply(
    image: ArrayView2<f32>,
    kernel: &Kernel3,
    stride: usize,
    padding: usize,
) -> Option<Array2<f32>> {
    let (h, w) = image.dim();
    conv_out_len(h, 3, stride, padding)?;
    conv_out_len(w, 3, stride, padding)?;
    let x = image.insert_axis(Axis(0)); // (H,W) → (1,H,W)
    let flat: Vec<f32> = kernel.iter().flatten().copied().collect();
    let weights = Array4::from_shape_vec((1, 1, 3, 3), flat).expect("nine weights");
    let out = conv_map(x, weights.view(), Array1::zeros(1).view(), stride, padding); // (1,OH,OW)
    Some(out.index_axis_move(Axis(0), 0))
}

/// The cosine similarity of two weight vectors; `None` when either is all zeros or their
/// lengths differ.
pub fn cosine(a: &[f32], b: &[f32]) -> Option<f32> {
    if a.len() != b.len() {
        return None;
    }
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    let (na, nb) = (norm(a), norm(b));
    (na > 0.0 && nb > 0.0).then(|| (dot / (na * nb)).clamp(-1.0, 1.0))
}

/// The learned filter most like `kernel` up to sign: its index and its cosine (negative when
/// it is the kernel's negative). `filters` is conv1's `(F, 1, K, K)`; `None` unless K is 3
/// and some filter is not all zeros.
pub fn most_similar(kernel: &Kernel3, filters: ArrayView4<f32>) -> Option<(usize, f32)> {
    let (_, c, kh, kw) = filters.dim();
    if (c, kh, kw) != (1, 3, 3) {
        return None;
    }
    let want: Vec<f32> = kernel.iter().flatten().copied().collect();
    filters
        .outer_iter()
        .enumerate()
        .filter_map(|(f, w)| Some((f, cosine(&want, &w.iter().copied().collect::<Vec<_>>())?)))
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    /// A 5×5 image: dark left half, a bright column 3..5 (a vertical edge between columns 2
    /// and 3).
    fn edge() -> Array2<f32> {
        Array2::from_shape_fn((5, 5), |(_, c)| if c >= 3 { 1.0 } else { 0.0 })
    }

    #[test]
    fn sobel_vertical_finds_the_vertical_edge_and_sobel_horizontal_does_not() {
        let v = apply(edge().view(), &HAND_KERNELS[0].weights, 1, 0).unwrap();
        // Output (3, 3): columns centred at 1, 2, 3 of the input; 1+2+1 = 4 where the window
        // straddles the edge (centres 2 and 3), 0 left of it.
        assert_eq!(v, array![[0.0, 4.0, 4.0], [0.0, 4.0, 4.0], [0.0, 4.0, 4.0]]);
        let h = apply(edge().view(), &HAND_KERNELS[1].weights, 1, 0).unwrap();
        assert_eq!(h, Array2::<f32>::zeros((3, 3)));
        let p = apply(edge().view(), &HAND_KERNELS[2].weights, 1, 0).unwrap();
        assert_eq!(p, array![[0.0, 3.0, 3.0], [0.0, 3.0, 3.0], [0.0, 3.0, 3.0]]);
    }

    #[test]
    fn padding_and_stride_set_the_shape() {
        let img = edge();
        let same = apply(img.view(), &HAND_KERNELS[6].weights, 1, 1).unwrap();
        assert_eq!(same, img, "identity with same padding gives the image back");
        let strided = apply(img.view(), &HAND_KERNELS[6].weights, 2, 1).unwrap();
        assert_eq!(
            strided,
            array![[0.0, 0.0, 1.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]
        );
        // Zero padding: the blur of a bright corner pixel sees 4 of its 9 cells.
        let mut dot = Array2::<f32>::zeros((3, 3));
        dot.fill(1.0);
        let blur = apply(dot.view(), &HAND_KERNELS[4].weights, 1, 1).unwrap();
        assert!((blur[[0, 0]] - 4.0 / 9.0).abs() < 1e-6 && (blur[[1, 1]] - 1.0).abs() < 1e-6);
        // Sharpen of a flat patch is the patch (5 − 4 = 1) inside, brighter at the borders.
        let sharp = apply(dot.view(), &HAND_KERNELS[5].weights, 1, 1).unwrap();
        assert_eq!(
            (sharp[[1, 1]], sharp[[0, 0]], sharp[[0, 1]]),
            (1.0, 3.0, 2.0)
        );
        assert_eq!(
            apply(Array2::zeros((1, 1)).view(), &HAND_KERNELS[0].weights, 1, 0),
            None
        );
    }

    #[test]
    fn cosine_is_one_for_a_multiple_and_minus_one_for_the_negative() {
        let a = [1.0, 2.0, 3.0];
        assert!((cosine(&a, &[2.0, 4.0, 6.0]).unwrap() - 1.0).abs() < 1e-6);
        assert!((cosine(&a, &[-1.0, -2.0, -3.0]).unwrap() + 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[1.0, 0.0], &[0.0, 1.0]), Some(0.0));
        assert_eq!(cosine(&a, &[0.0; 3]), None);
        assert_eq!(cosine(&a, &[1.0]), None);
    }

    #[test]
    fn the_most_similar_filter_counts_a_negated_copy() {
        let sobel = HAND_KERNELS[0].weights;
        let flat: Vec<f32> = sobel.iter().flatten().copied().collect();
        // Filter 0: noise-like; filter 1: 0.5 × the negated Sobel; filter 2: Prewitt.
        let mut filters = Array4::<f32>::zeros((3, 1, 3, 3));
        filters.slice_mut(ndarray::s![0, 0, .., ..]).assign(&array![
            [1.0, 0.0, 0.0],
            [0.0, 0.0, 0.0],
            [0.0, 0.0, -1.0]
        ]);
        for (i, v) in flat.iter().enumerate() {
            filters[[1, 0, i / 3, i % 3]] = -0.5 * v;
        }
        let prewitt: Vec<f32> = HAND_KERNELS[2].weights.iter().flatten().copied().collect();
        for (i, v) in prewitt.iter().enumerate() {
            filters[[2, 0, i / 3, i % 3]] = *v;
        }
        let (best, cos) = most_similar(&sobel, filters.view()).unwrap();
        assert_eq!(best, 1);
        assert!((cos + 1.0).abs() < 1e-6, "{cos}");
        // 5×5 filters cannot be compared with a 3×3 kernel.
        assert_eq!(
            most_similar(&sobel, Array4::<f32>::ones((2, 1, 5, 5)).view()),
            None
        );
    }
}
