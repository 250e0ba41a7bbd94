//! The confusion matrix of a split: how often each true digit was called each class, the
//! per-class accuracy, the pairs confused most, and a few of each cell's wrong digits with
//! what the network thought of them.

use super::{ANALYSIS_BATCH, Progress, Stopped};
use crate::data::dataset::Dataset;
use crate::nn::Network;
use crate::nn::Tensor;
use crate::nn::loss::softmax;
use crate::nn::plan::CLASSES;
use crate::train::messages::EvalSet;
use crate::train::search::argmax;

/// Wrong digits kept per cell: enough thumbnails for a screen.
pub const MISTAKES_PER_CELL: usize = 32;

/// A digit the network got wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Mistake {
    /// Its index in the split, its label, the predicted class and the softmax output.
    pub index: usize,
    pub label: u8,
    pub predicted: u8,
    pub probabilities: [f32; CLASSES],
    /// The digit itself, 28×28 bytes row by row, so that the screen can draw it.
    pub image: Vec<u8>,
}

/// `counts[t][p]`: digits labelled `t` that the network called `p`.
#[derive(Debug, Clone, PartialEq)]
pub struct Confusion {
    pub set: EvalSet,
    /// The training step of the weights it was computed on.
    pub step: usize,
    pub counts: [[u32; CLASSES]; CLASSES],
    /// The first `MISTAKES_PER_CELL` mistakes of each off-diagonal cell, in split order.
    pub mistakes: Vec<Mistake>,
}

impl Confusion {
    pub fn new(set: EvalSet, step: usize) -> Confusion {
        Confusion {
            set,
            step,
            counts: [[0; CLASSES]; CLASSES],
            mistakes: Vec::new(),
        }
    }

    /// Count one digit (`image`: its 28×28 bytes); keep it as a mistake while its cell has
    /// room.
    pub fn add(&mut self, index: usize, label: u8, probabilities: [f32; CLASSES], image: &[u8]) {
        let predicted = argmax(probabilities.iter().copied());
        let (t, p) = (label as usize % CLASSES, predicted as usize);
        self.counts[t][p] += 1;
        let in_cell = |m: &&Mistake| m.label == label && m.predicted == predicted;
        if t != p && self.mistakes.iter().filter(in_cell).count() < MISTAKES_PER_CELL {
            self.mistakes.push(Mistake {
                index,
                label,
                predicted,
                probabilities,
                image: image.to_vec(),
            });
        }
    }

    pub fn total(&self) -> u32 {
        self.counts.iter().flatten().sum()
    }

    pub fn correct(&self) -> u32 {
        (0..CLASSES).map(|c| self.counts[c][c]).sum()
    }

    /// The share of digits labelled `class` that were called `class`; `None` when there are none.
    pub fn class_accuracy(&self, class: usize) -> Option<f32> {
        let row: u32 = self.counts[class].iter().sum();
        (row > 0).then(|| self.counts[class][class] as f32 / row as f32)
    }

    /// The `n` off-diagonal cells with the most digits, as (true, predicted, count), largest
    /// first (ties in reading order); empty cells never.
    pub fn most_confused(&self, n: usize) -> Vec<(u8, u8, u32)> {
        let mut cells: Vec<(u8, u8, u32)> = (0..CLASSES)
            .flat_map(|t| (0..CLASSES).map(move |p| (t, p)))
            .filter(|&(t, p)| t != p && self.counts[t][p] > 0)
            .map(|(t, p)| (t as u8, p as u8, self.counts[t][p]))
            .collect();
        cells.sort_by_key(|c| std::cmp::Reverse(c.2));
        cells.truncate(n);
        cells
    }

    /// The kept mistakes of one cell.
    pub fn mistakes_in(&self, label: u8, predicted: u8) -> impl Iterator<Item = &Mistake> {
        self.mistakes
            .iter()
            .filter(move |m| m.label == label && m.predicted == predicted)
    }
}

/// Run `net` over all of `split`, `ANALYSIS_BATCH` digits at a time.
pub fn compute(
    net: &mut Network,
    split: &Dataset,
    set: EvalSet,
    step: usize,
    progress: &Progress,
) -> Result<Confusion, Stopped> {
    let mut confusion = Confusion::new(set, step);
    let (mut x, mut labels) = (Tensor::zeros((0, 1, 28, 28)), Vec::new());
    let mut start = 0;
    while start < split.len() {
        progress.report(start, split.len())?;
        let end = (start + ANALYSIS_BATCH).min(split.len());
        split.range_batch(start, end, &mut x, &mut labels);
        let probabilities = softmax(net.forward(&x).view()); // (N, 10)
        for (offset, row) in probabilities.rows().into_iter().enumerate() {
            let mut p = [0.0; CLASSES];
            p.iter_mut().zip(row).for_each(|(p, &v)| *p = v);
            let i = start + offset;
            confusion.add(i, labels[offset], p, split.image_bytes(i));
        }
        start = end;
    }
    Ok(confusion)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sure_of(class: usize) -> [f32; CLASSES] {
        let mut p = [0.0; CLASSES];
        p[class] = 1.0;
        p
    }

    #[test]
    fn counts_land_in_their_cells() {
        let mut c = Confusion::new(EvalSet::Validation, 7);
        // Three 4s: two right, one called 9; one 7 called 1.
        c.add(0, 4, sure_of(4), &[]);
        c.add(1, 4, sure_of(9), &[7; 784]);
        c.add(2, 4, sure_of(4), &[]);
        c.add(3, 7, sure_of(1), &[]);
        assert_eq!(c.counts[4][4], 2);
        assert_eq!(c.counts[4][9], 1);
        assert_eq!(c.counts[7][1], 1);
        assert_eq!((c.total(), c.correct()), (4, 2));
        assert_eq!(c.class_accuracy(4), Some(2.0 / 3.0));
        assert_eq!(c.class_accuracy(7), Some(0.0));
        assert_eq!(c.class_accuracy(0), None);
        assert_eq!(c.most_confused(5), vec![(4, 9, 1), (7, 1, 1)]);
        let wrong: Vec<usize> = c.mistakes_in(4, 9).map(|m| m.index).collect();
        assert_eq!(wrong, vec![1]);
        // The kept mistake carries its picture for the thumbnails.
        let kept = c.mistakes_in(4, 9).next().unwrap();
        assert_eq!(kept.image, vec![7; 784]);
    }

    #[test]
    fn a_cell_keeps_a_bounded_number_of_mistakes() {
        let mut c = Confusion::new(EvalSet::Test, 0);
        for i in 0..100 {
            c.add(i, 3, sure_of(5), &[]);
        }
        assert_eq!(c.counts[3][5], 100);
        assert_eq!(c.mistakes_in(3, 5).count(), MISTAKES_PER_CELL);
    }
}
