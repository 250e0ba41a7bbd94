//! Accuracy against shift: the first digits of the test set moved 0 to `MAX_SHIFT` pixels
//! right, and again down (zero fill), each batch through the network. A convolution moves
//! its maps with the digit (it is translation-equivariant) and pooling forgives a pixel or
//! two, but the dense layer on top sees the maps in new places: accuracy falls as the shift
//! grows.
//!
//! The curve is a function of the network only: the same job gives the MLP's curve (issue
//! 10 §1) when it is handed that network.

use super::lab::{MAX_SHIFT, spans};
use super::{ANALYSIS_BATCH, Progress, Stopped};
use crate::data::dataset::Dataset;
use crate::nn::{Network, Tensor};
use crate::train::search::argmax;
use ndarray::s;

/// Shifts 0, 1, …, `MAX_SHIFT`.
pub const SHIFTS: usize = MAX_SHIFT as usize + 1;
/// Test digits the curve is measured on: 17 passes over them, so a few thousand keep it to
/// seconds on the one analysis core.
pub const SHIFT_SAMPLES: usize = 2000;

/// Accuracy at each shift, `[0]` unshifted.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftCurve {
    /// The training step of the weights it was measured on, and on how many test digits.
    pub step: usize,
    pub samples: usize,
    /// Moved right by 0..=8 pixels; moved down by 0..=8 pixels.
    pub horizontal: [f32; SHIFTS],
    pub vertical: [f32; SHIFTS],
}

/// A batch `(N, C, H, W)` moved `dx` right and `dy` down, zero fill, into `out`.
pub fn shift_batch(x: &Tensor, dx: i32, dy: i32, out: &mut Tensor) {
    let (n, c, h, w) = x.dim();
    if out.dim() != (n, c, h, w) {
        *out = Tensor::zeros((n, c, h, w));
    } else {
        out.fill(0.0);
    }
    if let (Some((dy_to, dy_from)), Some((dx_to, dx_from))) = (spans(h, dy), spans(w, dx)) {
        out.slice_mut(s![.., .., dy_to, dx_to])
            .assign(&x.slice(s![.., .., dy_from, dx_from]));
    }
}

/// How many of a batch's rows of logits `(N, 10)` name their label.
fn correct(net: &mut Network, x: &Tensor, labels: &[u8]) -> usize {
    let logits = net.forward(x); // (N, 10)
    logits
        .rows()
        .into_iter()
        .zip(labels)
        .filter(|(row, label)| argmax(row.iter().copied()) == **label)
        .count()
}

/// The curve of `net` on the first `samples` digits of `split` (all when it has fewer).
pub fn compute(
    net: &mut Network,
    split: &Dataset,
    samples: usize,
    step: usize,
    progress: &Progress,
) -> Result<ShiftCurve, Stopped> {
    let n = samples.min(split.len());
    let total = n * (2 * SHIFTS - 1);
    let mut right = [0usize; SHIFTS];
    let mut down = [0usize; SHIFTS];
    let (mut x, mut labels, mut moved) = (
        Tensor::zeros((0, 1, 28, 28)),
        Vec::new(),
        Tensor::zeros((0, 0, 0, 0)),
    );
    let mut start = 0;
    while start < n {
        let end = (start + ANALYSIS_BATCH).min(n);
        split.range_batch(start, end, &mut x, &mut labels);
        for d in 0..SHIFTS {
            progress.report(start * (2 * SHIFTS - 1) + d * (end - start), total)?;
            shift_batch(&x, d as i32, 0, &mut moved);
            right[d] += correct(net, &moved, &labels);
            if d == 0 {
                continue; // unshifted is unshifted either way
            }
            shift_batch(&x, 0, d as i32, &mut moved);
            down[d] += correct(net, &moved, &labels);
        }
        start = end;
    }
    down[0] = right[0];
    let share = |k: usize| k as f32 / n.max(1) as f32;
    Ok(ShiftCurve {
        step,
        samples: n,
        horizontal: right.map(share),
        vertical: down.map(share),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array4;

    #[test]
    fn a_batch_shift_moves_every_image_alike() {
        let x = Array4::from_shape_fn((2, 1, 4, 4), |(n, _, y, x)| (n * 100 + y * 4 + x) as f32);
        let mut out = Tensor::zeros((0, 0, 0, 0));
        shift_batch(&x, 1, 2, &mut out);
        assert_eq!(out.dim(), (2, 1, 4, 4));
        for n in 0..2 {
            for y in 0..4 {
                for xx in 0..4 {
                    let want = if y >= 2 && xx >= 1 {
                        x[[n, 0, y - 2, xx - 1]]
                    } else {
                        0.0
                    };
                    assert_eq!(out[[n, 0, y, xx]], want, "image {n} at ({y}, {xx})");
                }
            }
        }
        // Reused with another shift, the old content is gone.
        shift_batch(&x, 0, -3, &mut out);
        assert_eq!(out[[1, 0, 0, 2]], x[[1, 0, 3, 2]]);
        assert_eq!(out.slice(s![.., .., 1.., ..]).sum(), 0.0);
    }
}
