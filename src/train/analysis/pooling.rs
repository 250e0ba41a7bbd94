//! Max against average pooling on the same trained filters: the current weights copied into
//! a network whose pooling layers are all max, and into one whose are all average (pooling
//! has no weights, so nothing else changes), then each validated. No retraining: the network
//! learned with one kind, and the other shows how much its filters came to rely on it.
//! Then (`pooling_tune`) each switched copy is fine-tuned briefly and validated again; the
//! switched figures go out first (`Progress::partial`), the fine-tuned ones when done.

use super::pooling_tune::{self, FineTune, Tuned};
use super::{ANALYSIS_BATCH, JobOutput, Progress, Stopped};
use crate::data::dataset::{Dataset, Mnist};
use crate::nn::plan::PoolKind;
use crate::nn::{Network, Tensor};
use crate::train::search::argmax;

/// Validation accuracy of the current weights under each kind of pooling.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolingAccuracy {
    pub step: usize,
    pub samples: usize,
    /// The pooling each block was trained with (`None` for a block without pooling).
    pub trained: Vec<PoolKind>,
    /// Accuracy with every pooling layer max, and with every one average; `None` when the
    /// network has no pooling layer to switch.
    pub max: Option<f32>,
    pub avg: Option<f32>,
    /// The same after a short fine-tune of each; `None` until it finished.
    pub tuned: Option<Tuned>,
}

/// A copy of `net` with every pooling layer of kind `kind`, and its weights; `None` when no
/// block pools.
pub fn with_pooling(net: &mut Network, kind: PoolKind) -> Option<Network> {
    let mut blocks = net.blocks().to_vec();
    if blocks.iter().all(|b| b.pool == PoolKind::None) {
        return None;
    }
    for b in blocks.iter_mut().filter(|b| b.pool != PoolKind::None) {
        b.pool = kind;
    }
    // The generator only sizes the weights, overwritten below.
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0);
    let mut copy = Network::new(&blocks, &mut rng).ok()?;
    let (mut to, from) = (copy.params(), net.params());
    assert_eq!(to.len(), from.len(), "pooling has no parameters");
    for (t, f) in to.iter_mut().zip(&from) {
        t.value.assign(&f.value);
    }
    Some(copy)
}

/// Accuracy of `net` on `split`, reporting `done + images so far` of `total`.
pub(super) fn accuracy(
    net: &mut Network,
    split: &Dataset,
    (done, total): (usize, usize),
    progress: &Progress,
) -> Result<f32, Stopped> {
    let (mut x, mut labels) = (Tensor::zeros((0, 1, 28, 28)), Vec::new());
    let (mut start, mut right) = (0, 0);
    while start < split.len() {
        progress.report(done + start, total)?;
        let end = (start + ANALYSIS_BATCH).min(split.len());
        split.range_batch(start, end, &mut x, &mut labels);
        let logits = net.forward(&x); // (N, 10)
        right += logits
            .rows()
            .into_iter()
            .zip(&labels)
            .filter(|(row, label)| argmax(row.iter().copied()) == **label)
            .count();
        start = end;
    }
    Ok(right as f32 / split.len().max(1) as f32)
}

/// Both accuracies of `net`'s weights on the validation set, sent as soon as known, then
/// both again after a fine-tune of each on the training set.
pub fn compute(
    net: &mut Network,
    data: &Mnist,
    tune: &FineTune,
    step: usize,
    progress: &Progress,
) -> Result<PoolingAccuracy, Stopped> {
    let split = &data.validation;
    let trained = net.blocks().iter().map(|b| b.pool).collect();
    let switched = 2 * split.len();
    let total = switched + pooling_tune::total_units(tune, split.len());
    let mut result = PoolingAccuracy {
        step,
        samples: split.len(),
        trained,
        max: None,
        avg: None,
        tuned: None,
    };
    if let Some(mut max_net) = with_pooling(net, PoolKind::Max) {
        result.max = Some(accuracy(&mut max_net, split, (0, total), progress)?);
    }
    if let Some(mut avg_net) = with_pooling(net, PoolKind::Avg) {
        let at = (split.len(), total);
        result.avg = Some(accuracy(&mut avg_net, split, at, progress)?);
    }
    if result.max.is_none() && result.avg.is_none() {
        return Ok(result); // nothing to switch, nothing to fine-tune
    }
    progress.partial(JobOutput::Pooling(result.clone()))?;
    let sets = (&data.train, split);
    result.tuned = Some(pooling_tune::compute(
        net,
        sets,
        tune,
        (switched, total),
        progress,
    )?);
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::plan::ConvBlock;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn the_switched_copy_keeps_the_weights_and_changes_only_the_pooling() {
        let blocks = [
            ConvBlock::new(4, 3, PoolKind::Max),
            ConvBlock::new(8, 3, PoolKind::None),
        ];
        let mut net = Network::new(&blocks, &mut ChaCha8Rng::seed_from_u64(3)).unwrap();
        let mut avg = with_pooling(&mut net, PoolKind::Avg).unwrap();
        assert_eq!(avg.blocks()[0].pool, PoolKind::Avg);
        assert_eq!(
            avg.blocks()[1].pool,
            PoolKind::None,
            "no pooling stays none"
        );
        assert_eq!(avg.filters(), net.filters());
        // Same weights, other pooling: the outputs differ.
        let x = Tensor::from_shape_fn((1, 1, 28, 28), |(_, _, y, x)| {
            ((y * 7 + x * 3) % 5) as f32 / 4.0
        });
        assert_ne!(avg.forward(&x), net.forward(&x));
        let mut back = with_pooling(&mut avg, PoolKind::Max).unwrap();
        assert_eq!(back.forward(&x), net.forward(&x));
    }

    #[test]
    fn a_network_without_pooling_has_nothing_to_switch() {
        let blocks = [ConvBlock::new(4, 3, PoolKind::None)];
        let mut net = Network::new(&blocks, &mut ChaCha8Rng::seed_from_u64(3)).unwrap();
        assert!(with_pooling(&mut net, PoolKind::Avg).is_none());
    }
}
