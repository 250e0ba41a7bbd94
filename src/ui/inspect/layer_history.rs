//! The layers page's data: a bounded history of the worker's per-layer statistics, each
//! weighted layer's row (its weights and the output of its block that reached memory), and
//! the one-line hint when the updates are far from the healthy size.

use crate::nn::plan::LayerId;
use crate::nn::stats::{Activations, LayerStats, Weights};
use crate::train::messages::LayerSample;

/// Samples kept: when more arrive, every other one is dropped and from then on only every
/// other new one is kept, so the history spans the whole run in at most this many points.
pub const HISTORY_POINTS: usize = 120;
/// `‖Δw‖ / ‖w‖` above this: the learning rate is likely too high. About 1e-3 is the classic
/// healthy size; with momentum 0.9 the default run's layers sit at 4e-3 to 1.1e-2, and it
/// trains well, so the warning starts higher.
pub const RATIO_HIGH: f32 = 3e-2;
/// `‖Δw‖ / ‖w‖` below this: the learning rate is likely too low.
pub const RATIO_LOW: f32 = 1e-4;
/// The dashboard's keys that lower and raise the learning rate (`keys.rs`); they work on the
/// layers page too.
pub const LR_DOWN: char = 'l';
pub const LR_UP: char = 'L';
/// The dashboard's key that starts again from the initial weights (`keys.rs`).
pub const RESET: char = 'r';

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

/// The hint: a layer that stopped learning (every channel dead), else the layer whose update
/// is farthest from the healthy size when one is far off. A dead network's updates are its
/// weight decay alone, often of a healthy size: the ratio cannot be trusted then.
pub fn lr_hint(sample: &LayerSample) -> Option<String> {
    if let Some(dead) = stalled(sample) {
        return Some(dead);
    }
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
        "{layer}: updates are {ratio:.1e} of the weights — the learning rate is likely {verdict}; try {key} ({act} it)"
    ))
}

/// The first layer whose block's output is 0 in every channel for the whole batch.
fn stalled(sample: &LayerSample) -> Option<String> {
    rows(sample).into_iter().find_map(|r| {
        let (_, a, _) = r.output?;
        (a.channels > 0 && a.dead_channels == a.channels).then(|| {
            format!(
                "{}: all {} channels are 0 for every digit — it stopped learning (likely a learning rate too high); try {RESET} (start again)",
                r.layer, a.channels
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act(zero_share: f32) -> Option<Activations> {
        Some(Activations {
            min: 0.0,
            max: 2.0,
            mean: 0.5,
            zero_share,
            dead_channels: 1,
            channels: 8,
        })
    }

    fn weighted(id: LayerId, name: &str, ratio: f32) -> LayerStats {
        let weights = Weights {
            weight: 2.0,
            grad: 0.1,
            update: 2.0 * ratio,
        };
        LayerStats {
            id,
            layer: name.into(),
            output: None,
            weights: Some(weights),
        }
    }

    fn stage(id: LayerId, name: &str, output: Option<Activations>) -> LayerStats {
        LayerStats {
            id,
            layer: name.into(),
            output,
            weights: None,
        }
    }

    /// conv1 fused (only its pool measured), conv2 unfused (its ReLU measured), dense.
    fn sample(step: usize, ratios: [f32; 3]) -> LayerSample {
        let layers = vec![
            weighted(LayerId::conv(0), "conv1", ratios[0]),
            stage(LayerId::relu(0), "relu1", None),
            stage(LayerId::pool(0), "maxpool1", act(0.4)),
            weighted(LayerId::conv(1), "conv2", ratios[1]),
            stage(LayerId::relu(1), "relu2", act(0.6)),
            stage(LayerId::pool(1), "avgpool2", act(0.3)),
            weighted(LayerId::Dense, "dense", ratios[2]),
        ];
        LayerSample { step, layers }
    }

    #[test]
    fn rows_take_the_relu_when_measured_else_the_pool_as_a_lower_bound() {
        let s = sample(1, [1e-3; 3]);
        let r = rows(&s);
        let names: Vec<_> = r.iter().map(|r| r.layer).collect();
        assert_eq!(names, ["conv1", "conv2", "dense"]);
        let out = |i: usize| r[i].output.map(|(n, a, exact)| (n, a.zero_share, exact));
        assert_eq!(out(0), Some(("maxpool1", 0.4, false)));
        assert_eq!(out(1), Some(("relu2", 0.6, true)));
        assert_eq!(out(2), None);
        assert!((r[2].weights.ratio() - 1e-3).abs() < 1e-9);
    }

    #[test]
    fn the_hint_names_the_layer_farthest_off_and_the_key() {
        assert_eq!(lr_hint(&sample(1, [1e-3, 2e-3, 5e-4])), None);
        let high = lr_hint(&sample(1, [3.2e-2, 1e-1, 1e-3])).unwrap();
        assert_eq!(
            high,
            "conv2: updates are 1.0e-1 of the weights — the learning rate is likely too high; try l (lower it)"
        );
        let low = lr_hint(&sample(1, [1e-3, 1e-3, 2e-5])).unwrap();
        assert!(low.starts_with("dense: updates are 2.0e-5"), "{low}");
        assert!(low.contains("likely too low; try L (raise it)"), "{low}");
        // No update yet (before the first step): no hint.
        assert_eq!(lr_hint(&sample(0, [0.0; 3])), None);
        // Every channel of conv2's block dead: that comes first, whatever the ratios.
        let mut dead = sample(1, [1e-3, 1e-1, 1e-3]);
        let relu2 = dead.layers[4].output.as_mut().unwrap();
        relu2.dead_channels = relu2.channels;
        let hint = lr_hint(&dead).unwrap();
        assert!(
            hint.starts_with("conv2: all 8 channels are 0 for every digit"),
            "{hint}"
        );
        assert!(hint.ends_with("try r (start again)"), "{hint}");
    }

    #[test]
    fn the_history_stays_bounded_spans_the_run_and_restarts() {
        let mut h = LayerHistory::default();
        for step in 1..=1000 {
            h.push(sample(step * 20, [1e-3; 3]));
            assert!(h.points.len() <= HISTORY_POINTS);
        }
        assert_eq!(h.points[0].step, 20, "the first sample stays");
        assert!(h.points.len() > HISTORY_POINTS / 2, "{}", h.points.len());
        let steps: Vec<_> = h.points.iter().map(|p| p.step).collect();
        assert!(steps.windows(2).all(|w| w[1] - w[0] == steps[1] - steps[0]));
        assert_eq!(h.latest.as_ref().unwrap().step, 20_000);
        assert_eq!(h.series("conv1", |w| w.weight).len(), h.points.len());
        // A reset: the step goes back; another network: other layers.
        h.push(sample(20, [1e-3; 3]));
        assert_eq!(h.points.len(), 1);
        let mut other = sample(40, [1e-3; 3]);
        other.layers.truncate(3);
        h.push(other);
        assert_eq!((h.points.len(), h.points[0].layers.len()), (1, 3));
    }
}
