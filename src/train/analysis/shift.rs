//! Test accuracy against shift, for the CNN and (when given) the fully connected baseline:
//! the first `SHIFT_SAMPLES` test digits moved 0 to 8 pixels right, and 0 to 8 pixels down
//! (zero fill, `data::shift`), each network's accuracy at each shift.
//!
//! A convolution is translation-equivariant (its maps move with the digit), and pooling and
//! the dense classifier on top are not invariant beyond a pixel or two, so the CNN's curve
//! falls too, but more slowly than the MLP's, whose every weight belongs to one pixel.
//!
//! One job for both screens that show it: the fc-vs-cnn screen (`4`) and the translation lab.

use super::{ANALYSIS_BATCH, Progress, Stopped};
use crate::data::dataset::Dataset;
use crate::data::shift::shift_batch;
use crate::nn::mlp::Mlp;
use crate::nn::{Network, Tensor};
use crate::train::search::argmax;

/// Largest shift, in pixels: the translation lab's (`lab::MAX_SHIFT`).
pub const MAX_SHIFT: usize = super::lab::MAX_SHIFT as usize;
/// Test digits the curves are computed on (the first ones of the test set): 17 passes over
/// 2,000 digits take a few seconds on the analysis thread's one core.
pub const SHIFT_SAMPLES: usize = 2000;

/// Accuracy at shifts `0..=MAX_SHIFT` pixels, right (`horizontal`) and down (`vertical`).
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftCurve {
    pub horizontal: [f32; MAX_SHIFT + 1],
    pub vertical: [f32; MAX_SHIFT + 1],
}

/// Both networks' curves on the weights of `step`.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftCurves {
    pub step: usize,
    pub samples: usize,
    pub cnn: ShiftCurve,
    /// `None` when the baseline was not running.
    pub mlp: Option<ShiftCurve>,
}

/// The shifts measured, in order: (dx, dy), the unshifted image first.
fn shifts() -> Vec<(i32, i32)> {
    let mut v = vec![(0, 0)];
    for d in 1..=MAX_SHIFT as i32 {
        v.push((d, 0));
        v.push((0, d));
    }
    v
}

pub fn compute(
    net: &mut Network,
    mut mlp: Option<&mut Mlp>,
    test: &Dataset,
    step: usize,
    progress: &Progress<'_>,
) -> Result<ShiftCurves, Stopped> {
    let n = test.len().min(SHIFT_SAMPLES);
    let all = shifts();
    let mut correct = vec![[0usize; 2]; all.len()]; // [cnn, mlp] per shift
    let (mut x, mut moved, mut labels) = (
        Tensor::zeros((0, 1, 28, 28)),
        Tensor::zeros((0, 0, 0, 0)),
        Vec::new(),
    );
    let mut start = 0;
    while start < n {
        let end = (start + ANALYSIS_BATCH).min(n);
        test.range_batch(start, end, &mut x, &mut labels);
        for (i, &(dx, dy)) in all.iter().enumerate() {
            progress.report(start * all.len() + i * (end - start), n * all.len())?;
            shift_batch(&x, dx, dy, &mut moved);
            correct[i][0] += hits(&net.forward(&moved), &labels);
            if let Some(m) = mlp.as_deref_mut() {
                correct[i][1] += hits(&m.forward(&moved), &labels);
            }
        }
        start = end;
    }
    let acc = |i: usize, which: usize| correct[i][which] as f32 / n.max(1) as f32;
    let curve = |which: usize| {
        let mut c = ShiftCurve {
            horizontal: [0.0; MAX_SHIFT + 1],
            vertical: [0.0; MAX_SHIFT + 1],
        };
        c.horizontal[0] = acc(0, which);
        c.vertical[0] = acc(0, which);
        for d in 1..=MAX_SHIFT {
            c.horizontal[d] = acc(2 * d - 1, which);
            c.vertical[d] = acc(2 * d, which);
        }
        c
    };
    Ok(ShiftCurves {
        step,
        samples: n,
        cnn: curve(0),
        mlp: mlp.is_some().then(|| curve(1)),
    })
}

/// Rows of `logits` `(N, 10)` whose largest entry is the label.
fn hits(logits: &ndarray::Array2<f32>, labels: &[u8]) -> usize {
    logits
        .rows()
        .into_iter()
        .zip(labels)
        .filter(|(row, y)| argmax(row.iter().copied()) == **y)
        .count()
}
