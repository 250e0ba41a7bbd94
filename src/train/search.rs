//! The search for the next (or previous) misclassified test digit: the order in which the
//! test set is scanned, in batches, from the current probe, wrapping around. Pure: the
//! predictions come from a function, so a hand-built case can test it.

/// A test digit the network gets wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Misclassified {
    /// Its test-set index, its label and what the network predicted.
    pub index: usize,
    pub label: u8,
    pub predicted: u8,
}

/// The class with the largest score (the first of equals).
pub fn argmax(scores: impl Iterator<Item = f32>) -> u8 {
    let mut best = (0, f32::NEG_INFINITY);
    for (i, v) in scores.enumerate() {
        if v > best.1 {
            best = (i, v);
        }
    }
    best.0 as u8
}

/// The test indices after `from` going forward (or before it going backward), wrapping, and
/// `from` itself last: every index once.
pub fn scan_order(len: usize, from: usize, forward: bool) -> impl Iterator<Item = usize> {
    let from = if len == 0 { 0 } else { from % len };
    (1..=len).map(move |step| {
        if forward {
            (from + step) % len
        } else {
            (from + len - step % len) % len
        }
    })
}

/// The first misclassified digit in `scan_order`, predicting `batch` images at a time with
/// `predict` (the indices in, one predicted class each out); `None` when every one is right.
pub fn find_misclassified(
    len: usize,
    (from, forward): (usize, bool),
    batch: usize,
    labels: impl Fn(usize) -> u8,
    mut predict: impl FnMut(&[usize]) -> Vec<u8>,
) -> Option<Misclassified> {
    let order: Vec<usize> = scan_order(len, from, forward).collect();
    for indices in order.chunks(batch.max(1)) {
        let predicted = predict(indices);
        let wrong = indices
            .iter()
            .zip(&predicted)
            .find(|&(&i, &p)| labels(i) != p);
        if let Some((&index, &predicted)) = wrong {
            return Some(Misclassified {
                index,
                label: labels(index),
                predicted,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argmax_takes_the_first_largest() {
        assert_eq!(argmax([0.1, 0.7, 0.2, 0.7].into_iter()), 1);
        assert_eq!(argmax([-3.0, -1.0].into_iter()), 1);
    }

    #[test]
    fn the_scan_wraps_around_and_ends_at_the_start() {
        let fwd: Vec<usize> = scan_order(5, 3, true).collect();
        assert_eq!(fwd, vec![4, 0, 1, 2, 3]);
        let back: Vec<usize> = scan_order(5, 1, false).collect();
        assert_eq!(back, vec![0, 4, 3, 2, 1]);
        assert_eq!(scan_order(0, 0, true).count(), 0);
    }

    /// Ten digits labelled 0…9; the "network" predicts each digit's label except at 2 and 7.
    #[test]
    fn finds_the_next_and_previous_misclassified_across_batches_and_the_end() {
        let labels = |i: usize| i as u8;
        let mut calls = Vec::new();
        let mut predict = |idx: &[usize]| {
            calls.push(idx.to_vec());
            idx.iter()
                .map(|&i| {
                    if i == 2 || i == 7 {
                        9 - i as u8
                    } else {
                        i as u8
                    }
                })
                .collect()
        };
        let found = |from, forward, predict: &mut dyn FnMut(&[usize]) -> Vec<u8>| {
            find_misclassified(10, (from, forward), 3, labels, predict).map(|m| m.index)
        };
        assert_eq!(found(2, true, &mut predict), Some(7));
        assert_eq!(found(7, true, &mut predict), Some(2), "wraps past the end");
        assert_eq!(found(7, false, &mut predict), Some(2));
        assert_eq!(
            found(2, false, &mut predict),
            Some(7),
            "wraps past the start"
        );
        let m = find_misclassified(10, (0, true), 4, labels, &mut predict).unwrap();
        assert_eq!(
            m,
            Misclassified {
                index: 2,
                label: 2,
                predicted: 7
            }
        );
        // From 2 forward: batches [3 4 5], [6 7 8]: the scan stops at the batch holding 7.
        assert_eq!(calls[..2], [vec![3, 4, 5], vec![6, 7, 8]]);
    }

    #[test]
    fn none_when_all_are_right_and_the_only_one_is_found_from_itself() {
        let right = |idx: &[usize]| idx.iter().map(|&i| i as u8).collect();
        assert_eq!(
            find_misclassified(10, (4, true), 3, |i| i as u8, right),
            None
        );
        let one = |idx: &[usize]| {
            idx.iter()
                .map(|&i| if i == 4 { 0 } else { i as u8 })
                .collect()
        };
        let m = find_misclassified(10, (4, true), 3, |i| i as u8, one);
        assert_eq!(
            m.map(|m| m.index),
            Some(4),
            "the current probe is checked last"
        );
    }
}
