//! Shifting a digit: the translation experiments move an image by whole pixels, filling what
//! comes in from the edge with zeros (background) and dropping what goes out.
//!
//! Shared: the fc-vs-cnn accuracy-against-shift job (`train::analysis::shift`) uses it, and
//! the translation lab can.

use crate::nn::Tensor;
use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis};

/// `image` moved `dx` pixels right (negative: left) and `dy` down (negative: up), zero fill.
/// `(H, W)` → `(H, W)`.
pub fn shifted(image: ArrayView2<f32>, dx: i32, dy: i32) -> Array2<f32> {
    let mut out = Array2::zeros(image.dim());
    shift_into(image, dx, dy, out.view_mut());
    out
}

/// `shifted` written into `out` (same shape, every element overwritten).
fn shift_into(image: ArrayView2<f32>, dx: i32, dy: i32, mut out: ArrayViewMut2<f32>) {
    let (h, w) = image.dim();
    assert_eq!(out.dim(), (h, w), "shift: out must have the image's shape");
    out.fill(0.0);
    for ((r, c), &v) in image.indexed_iter() {
        let (r2, c2) = (r as i64 + i64::from(dy), c as i64 + i64::from(dx));
        if (0..h as i64).contains(&r2) && (0..w as i64).contains(&c2) {
            out[[r2 as usize, c2 as usize]] = v;
        }
    }
}

/// Every image of a batch `(N, C, H, W)` shifted the same way, into `out` (resized to fit).
pub fn shift_batch(x: &Tensor, dx: i32, dy: i32, out: &mut Tensor) {
    if out.dim() != x.dim() {
        *out = Tensor::zeros(x.dim());
    }
    for (img, mut dst) in x.axis_iter(Axis(0)).zip(out.axis_iter_mut(Axis(0))) {
        for (ch, dch) in img.axis_iter(Axis(0)).zip(dst.axis_iter_mut(Axis(0))) {
            shift_into(ch, dx, dy, dch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn moves_pixels_and_fills_with_zero() {
        let img = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]];
        assert_eq!(
            shifted(img.view(), 1, 0),
            array![[0.0, 1.0, 2.0], [0.0, 4.0, 5.0], [0.0, 7.0, 8.0]]
        );
        assert_eq!(
            shifted(img.view(), 0, -1),
            array![[4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [0.0, 0.0, 0.0]]
        );
        assert_eq!(
            shifted(img.view(), -2, 2),
            array![[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [3.0, 0.0, 0.0]]
        );
        assert_eq!(shifted(img.view(), 0, 0), img);
        assert_eq!(shifted(img.view(), 3, 0), Array2::<f32>::zeros((3, 3)));
    }

    #[test]
    fn a_batch_shifts_each_image() {
        let x = Tensor::from_shape_fn((2, 1, 3, 3), |(n, _, r, c)| (n * 9 + r * 3 + c) as f32);
        let mut out = Tensor::zeros((0, 0, 0, 0));
        shift_batch(&x, 0, 1, &mut out);
        assert_eq!(out.dim(), (2, 1, 3, 3));
        for n in 0..2 {
            let one = shifted(x.index_axis(Axis(0), n).index_axis(Axis(0), 0), 0, 1);
            assert_eq!(out.index_axis(Axis(0), n).index_axis(Axis(0), 0), one);
        }
    }
}
