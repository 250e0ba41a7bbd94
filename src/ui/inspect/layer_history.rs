//! The layers page's data: a bounded history of the worker's per-layer statistics, each
//! weighted layer's row (its weights and the output of its block that reached memory), and
//! the one-line hint when the updates are far from the healthy size.

use crate::nn::plan::LayerId;
use crate::nn::stats::{Activations, LayerStats, Weights};
use crate::train::messages::LayerSample;

/// Samples kept: when more arrive, every other one is dropped and from then on only every
/// other new one is kept, so the history spans the whole run in at most this many points.
pub const HISTORY_POINTS: usize = 120;
/// `‖Δw‖ / ‖w‖` above this: the learning rate is likely too high (about 1e-3 is healthy).
pub const RATIO_HIGH: f32 = 1e-2;
/// `‖Δw‖ / ‖w‖` below this: the learning rate is likely too low.
pub const RATIO_LOW: f32 = 1e-4;
/// The dashboard's keys that lower and raise the learning rate (`keys.rs`); they work on the
/// layers page too.
pub const LR_DOWN: char = 'l';
pub const LR_UP: char = 'L';

/// The per-layer statistics received since the start, the last reset or the last rebuild.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerHistory {
    /// Kept samples, oldest first: every `stride`-th one received.
    pub points: Vec<LayerSample>,
    stride: usize,
    received: usize,
    /// The newest sample, kept or not.
    pub latest: Option<LayerSample>,
}

impl Default for LayerHistory {
    fn default() -> LayerHistory {
        LayerHistory {
            points: Vec::new(),
            stride: 1,
            received: 0,
            latest: None,
        }
    }
}

impl LayerHistory {
    /// Take a new sample; one of another network (other layers) or from an earlier step (a
    /// reset or a rewind) starts the history again.
    pub fn push(&mut self, sample: LayerSample) {
        if let Some(last) = &self.latest {
            let ids = |s: &LayerSample| s.layers.iter().map(|l| l.id).collect::<Vec<_>>();
            if sample.step <= last.step || ids(&sample) != ids(last) {
                *self = LayerHistory::default();
            }
        }
        if self.received.is_multiple_of(self.stride) {
            self.points.push(sample.clone());
        }
        self.received += 1;
        if self.points.len() > HISTORY_POINTS {
            let kept = std::mem::take(&mut self.points);
            self.points = kept.into_iter().step_by(2).collect();
            self.stride *= 2;
        }
        self.latest = Some(sample);
    }

    /// Steps between kept samples, as far as the newest two tell.
    pub fn spacing(&self) -> Option<usize> {
        match self.points.as_slice() {
            [.., a, b] => Some(b.step - a.step),
            _ => None,
        }
    }

    /// One value of weighted layer `name` over the kept samples, oldest first.
    pub fn series(&self, name: &str, value: impl Fn(&Weights) -> f32) -> Vec<f32> {
        let of = |s: &LayerSample| {
            let l = s.layers.iter().find(|l| l.layer == name)?;
            l.weights.as_ref().map(&value)
        };
        self.points.iter().filter_map(of).collect()
    }
}

/// One weighted layer as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    pub layer: &'a str,
    pub weights: Weights,
    /// The output measured for it: its block's ReLU when that reached memory, else its
    /// block's last stage that did (the pool of a fused block, whose zeros are a lower bound
    /// on the ReLU's: `exact` false); with the stage's name.
    pub output: Option<(&'a str, Activations, bool)>,
}

/// The rows of a sample: one per conv and dense layer, input side first.
pub fn rows(sample: &LayerSample) -> Vec<Row<'_>> {
    let layers = &sample.layers;
    let mut out = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        let Some(weights) = l.weights else { continue };
        let block: Vec<&LayerStats> = match l.id.block() {
            Some(b) => layers[i + 1..]
                .iter()
                .take_while(|s| s.id.block() == Some(b))
                .collect(),
            None => Vec::new(),
        };
        let relu = block
            .iter()
            .find(|s| s.id == LayerId::relu(l.id.block().unwrap_or(0)) && s.output.is_some());
        let output = match relu {
            Some(r) => r.output.map(|a| (r.layer.as_str(), a, true)),
            None => block
                .iter()
                .rev()
                .find_map(|s| s.output.map(|a| (s.layer.as_str(), a, false))),
        };
        out.push(Row {
            layer: &l.layer,
            weights,
            output,
        });
    }
    out
}

/// The hint when some layer's update is far from the healthy size: the one farthest off.
pub fn lr_hint(sample: &LayerSample) -> Option<String> {
    let off = |r: f32| (r.log10() - 1e-3f32.log10()).abs();
    let worst = rows(sample)
        .into_iter()
        .map(|r| (r.layer, r.weights.ratio()))
        .filter(|&(_, r)| r > 0.0 && r.is_finite() && !(RATIO_LOW..=RATIO_HIGH).contains(&r))
        .max_by(|a, b| off(a.1).total_cmp(&off(b.1)))?;
    let (layer, ratio) = worst;
    let (verdict, key, act) = if ratio > RATIO_HIGH {
        ("too high", LR_DOWN, "lower")
    } else {
        ("too low", LR_UP, "raise")
    };
    Some(format!(
        "{layer}: updates are {ratio:.0e} of the weights — the learning rate is likely {verdict}; try {key} ({act} it)"
    ))
}
