//! The labs' own image: a second digit the worker runs through the network beside the probe,
//! each time it sends a snapshot. Either the probe shifted by a few pixels (the translation
//! lab) or a picture the user drew (the drawing lab), both `(28, 28)` in [0, 1].

use crate::nn::FeatureMap;
use crate::nn::plan::INPUT_SIDE;
use ndarray::{Array2, ArrayView2};

/// The farthest the translation lab shifts a digit, in pixels along each axis.
pub const MAX_SHIFT: i32 = 8;

/// What the worker traces beside the probe digit.
#[derive(Debug, Clone, PartialEq)]
pub enum LabInput {
    /// The probe digit moved `dx` pixels right and `dy` down (negative: left, up), zero fill.
    Shift { dx: i32, dy: i32 },
    /// A picture of its own `(28, 28)`, already pre-processed as MNIST was.
    Image(Array2<f32>),
}

impl LabInput {
    /// The image to trace, given the probe digit `(28, 28)`. A drawn image of the wrong
    /// shape traces as blank rather than stopping the worker.
    pub fn image(&self, probe: ArrayView2<f32>) -> Array2<f32> {
        match self {
            LabInput::Shift { dx, dy } => shift(probe, *dx, *dy),
            LabInput::Image(img) if img.dim() == (INPUT_SIDE, INPUT_SIDE) => img.clone(),
            LabInput::Image(_) => Array2::zeros((INPUT_SIDE, INPUT_SIDE)),
        }
    }
}

/// The lab image through every layer, on the weights of `step`.
#[derive(Debug, Clone, PartialEq)]
pub struct LabTrace {
    pub step: usize,
    /// What was asked, and the image `(28, 28)` the network was given.
    pub input: LabInput,
    pub image: Array2<f32>,
    /// Every conv, ReLU and pool layer's output, as in a snapshot.
    pub feature_maps: Vec<FeatureMap>,
    pub probabilities: [f32; 10],
    /// The fully connected baseline's answers, when it trains: for the unshifted probe and
    /// for `image`.
    pub mlp: Option<[[f32; 10]; 2]>,
}

/// `image` `(H, W)` moved `dx` pixels right and `dy` down, zero fill: the one shift the
/// accuracy-against-shift job uses too (`data::shift`).
pub use crate::data::shift::shifted as shift;

type Span = std::ops::Range<usize>;

/// Along an axis of `len`, moved by `d`: the destination and source ranges that overlap,
/// or `None` when everything moves out.
pub fn spans(len: usize, d: i32) -> Option<(Span, Span)> {
    let m = d.unsigned_abs() as usize;
    if m >= len {
        return None;
    }
    Some(if d >= 0 {
        (m..len, 0..len - m)
    } else {
        (0..len - m, m..len)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, s};

    #[test]
    fn a_shift_moves_pixels_and_fills_with_zeros() {
        let img = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]];
        assert_eq!(
            shift(img.view(), 1, 0),
            array![[0.0, 1.0, 2.0], [0.0, 4.0, 5.0], [0.0, 7.0, 8.0]]
        );
        assert_eq!(
            shift(img.view(), 0, -1),
            array![[4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [0.0, 0.0, 0.0]]
        );
        assert_eq!(
            shift(img.view(), -2, 1),
            array![[0.0, 0.0, 0.0], [3.0, 0.0, 0.0], [6.0, 0.0, 0.0]]
        );
        assert_eq!(shift(img.view(), 0, 0), img);
        assert_eq!(shift(img.view(), 3, 0), Array2::<f32>::zeros((3, 3)));
    }

    #[test]
    fn shifting_back_restores_what_stayed_inside() {
        let img = Array2::from_shape_fn((28, 28), |(y, x)| (y * 28 + x) as f32);
        let there_and_back = shift(shift(img.view(), 3, -2).view(), -3, 2);
        // Rows 2..28 and columns 0..25 never left the picture; the rest was lost.
        assert_eq!(
            there_and_back.slice(s![2.., ..25]),
            img.slice(s![2.., ..25])
        );
        assert_eq!(there_and_back.slice(s![..2, ..]).sum(), 0.0);
        assert_eq!(there_and_back.slice(s![.., 25..]).sum(), 0.0);
    }

    #[test]
    fn a_drawn_image_of_the_wrong_shape_traces_blank() {
        let probe = Array2::ones((28, 28));
        let odd = LabInput::Image(Array2::ones((5, 5)));
        assert_eq!(odd.image(probe.view()).sum(), 0.0);
        let moved = LabInput::Shift { dx: 2, dy: 0 }.image(probe.view());
        assert_eq!(moved.sum(), 28.0 * 26.0);
    }
}
