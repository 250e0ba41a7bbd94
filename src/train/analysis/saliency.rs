//! Which pixels decide: two saliency maps of one digit, on a copy of the current weights.
//!
//! - **gradient × input**: `x · ∂ logit[predicted] / ∂ x`, pixel by pixel: how much each
//!   pixel's ink pushed the predicted class's score up (positive) or down (negative), to
//!   first order. Cheap: one backward pass (`Network::logit_input_gradient`).
//! - **occlusion**: the drop of the true class's probability when a `PATCH`×`PATCH` grey
//!   square centred on each pixel covers the digit: positive where hiding the pixels hurts
//!   the right answer. 784 forward passes, `ANALYSIS_BATCH` at a time.

use super::{ANALYSIS_BATCH, Progress, Stopped};
use crate::nn::loss::softmax;
use crate::nn::plan::{CLASSES, INPUT_SIDE};
use crate::nn::{Network, Tensor};
use crate::train::search::argmax;
use ndarray::{Array2, Axis, s};

/// Side of the occluding square, in pixels.
pub const PATCH: usize = 5;
/// Its value: mid grey, between the background (0) and the ink (1).
pub const GREY: f32 = 0.5;

/// Both maps of one digit, `(28, 28)` each, signed.
#[derive(Debug, Clone, PartialEq)]
pub struct Saliency {
    /// The training step of the weights.
    pub step: usize,
    /// The digit `(28, 28)` in [0, 1] and its label.
    pub image: Array2<f32>,
    pub label: u8,
    /// What the network said of it.
    pub predicted: u8,
    pub probabilities: [f32; CLASSES],
    /// `x · ∂ logit[predicted] / ∂ x`.
    pub gradient_x_input: Array2<f32>,
    /// `p(label | x) − p(label | x with the square at (i, j) grey)`.
    pub occlusion: Array2<f32>,
}

/// Both maps of `image` `(28, 28)` labelled `label`, on `net` (the weights of `step`).
pub fn compute(
    net: &mut Network,
    image: &Array2<f32>,
    label: u8,
    step: usize,
    progress: &Progress,
) -> Result<Saliency, Stopped> {
    let x = image
        .clone()
        .into_shape_with_order((1, 1, INPUT_SIDE, INPUT_SIDE))
        .expect("a probe digit is 28×28"); // (28,28) → (1,1,28,28)
    let p = softmax(net.forward(&x).view()); // (1,10)
    let mut probabilities = [0.0; CLASSES];
    probabilities
        .iter_mut()
        .zip(p.iter())
        .for_each(|(d, &v)| *d = v);
    let predicted = argmax(probabilities.iter().copied());
    let gradient_x_input = net.logit_input_gradient(&x, predicted as usize) * image;
    let occlusion = occlusion_map(image, label, progress, |batch| {
        softmax(net.forward(batch).view())
    })?;
    Ok(Saliency {
        step,
        image: image.clone(),
        label,
        predicted,
        probabilities,
        gradient_x_input,
        occlusion,
    })
}

/// The occlusion map of `image` `(28, 28)`: for each pixel, the drop of `probabilities`'
/// column `label` when the grey square centred there (cut at the edges) covers the image.
/// `probabilities` maps a batch `(N, 1, 28, 28)` to `(N, 10)`.
pub fn occlusion_map(
    image: &Array2<f32>,
    label: u8,
    progress: &Progress,
    mut probabilities: impl FnMut(&Tensor) -> Array2<f32>,
) -> Result<Array2<f32>, Stopped> {
    let side = INPUT_SIDE;
    let label = label as usize % CLASSES;
    let plain = image
        .view()
        .insert_axis(Axis(0))
        .insert_axis(Axis(0))
        .to_owned(); // (1,1,28,28)
    let base = probabilities(&plain)[[0, label]];
    let positions: Vec<(usize, usize)> = (0..side)
        .flat_map(|i| (0..side).map(move |j| (i, j)))
        .collect();
    let mut map = Array2::zeros((side, side));
    for (b, chunk) in positions.chunks(ANALYSIS_BATCH).enumerate() {
        progress.report(b * ANALYSIS_BATCH, positions.len())?;
        let mut batch = Tensor::zeros((chunk.len(), 1, side, side));
        for (n, &(i, j)) in chunk.iter().enumerate() {
            let mut one = batch.slice_mut(s![n, 0, .., ..]);
            one.assign(image);
            let (r0, c0) = (i.saturating_sub(PATCH / 2), j.saturating_sub(PATCH / 2));
            let (r1, c1) = ((i + PATCH / 2 + 1).min(side), (j + PATCH / 2 + 1).min(side));
            one.slice_mut(s![r0..r1, c0..c1]).fill(GREY);
        }
        let p = probabilities(&batch); // (N,10)
        for (n, &(i, j)) in chunk.iter().enumerate() {
            map[[i, j]] = base - p[[n, label]];
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::analysis::tests::with_progress;

    /// A "network" that looks at one pixel only: class 3's logit is 8 × x[10, 12], the other
    /// logits 0.
    fn one_pixel(batch: &Tensor) -> Array2<f32> {
        let mut logits = Array2::zeros((batch.dim().0, CLASSES));
        for (n, mut row) in logits.rows_mut().into_iter().enumerate() {
            row[3] = 8.0 * batch[[n, 0, 10, 12]];
        }
        softmax(logits.view())
    }

    #[test]
    fn occlusion_marks_exactly_the_squares_that_cover_the_pixel_looked_at() {
        let mut image = Array2::zeros((28, 28));
        image[[10, 12]] = 1.0;
        let map = with_progress(|p| occlusion_map(&image, 3, p, one_pixel)).unwrap();
        let reach = PATCH / 2;
        for ((i, j), &v) in map.indexed_iter() {
            let covers = i.abs_diff(10) <= reach && j.abs_diff(12) <= reach;
            if covers {
                // p(3) falls from softmax(8) to softmax(4) against nine zeros.
                let p = |z: f32| z.exp() / (z.exp() + 9.0);
                assert!((v - (p(8.0) - p(4.0))).abs() < 1e-5, "({i}, {j}): {v}");
            } else {
                assert_eq!(v, 0.0, "({i}, {j}) does not cover the pixel");
            }
        }
    }

    #[test]
    fn a_cancelled_occlusion_stops() {
        let image = Array2::zeros((28, 28));
        let cancelled =
            crate::train::analysis::tests::cancelled(|p| occlusion_map(&image, 0, p, one_pixel));
        assert_eq!(cancelled, Err(Stopped));
    }
}
