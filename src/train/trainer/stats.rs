//! The per-layer statistics of the step just taken (`nn::stats`), on the batch it ran.

use super::Trainer;
use crate::nn::stats::layer_stats;
use crate::train::messages::LayerSample;

impl Trainer {
    /// Each layer's statistics after the step just taken. Call it right after `step`: an
    /// evaluation or a search runs other forward passes and replaces the outputs it measures.
    /// Costs one pass over the outputs kept in memory and over the weights (no forward pass).
    pub fn layer_stats(&mut self) -> LayerSample {
        LayerSample {
            step: self.step,
            layers: layer_stats(&mut self.net, &self.opt),
        }
    }
}
