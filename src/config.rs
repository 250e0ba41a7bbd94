//! What the user chooses: the architecture (`Arch`, a list of conv blocks, and its presets)
//! and the training hyperparameters (`Hyper`, with the learning-rate schedule).
//!
//! The arithmetic of shapes, the limits and the ledger are the engine's (`nn::plan`); `Arch::plan`
//! hands the blocks to it.

use crate::nn::plan::{self, ArchError, ArchPlan};
pub use crate::nn::plan::{ConvBlock, PoolKind};
use serde::{Deserialize, Serialize};

/// The architecture: 1 to 3 conv blocks, then one dense layer to the 10 classes
/// (`nn::plan::BLOCKS_RANGE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arch {
    pub blocks: Vec<ConvBlock>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Preset {
    /// conv 8@3×3 → ReLU → max-pool 2 → conv 16@3×3 → ReLU → max-pool 2 → dense 784→10
    Default,
    /// conv 8@3×3 → ReLU → max-pool 2 → dense 1568→10
    Tiny,
}

impl Arch {
    pub fn preset(preset: Preset) -> Arch {
        let first = ConvBlock::new(8, 3, PoolKind::Max);
        match preset {
            Preset::Default => Arch {
                blocks: vec![first, ConvBlock::new(16, 3, PoolKind::Max)],
            },
            Preset::Tiny => Arch {
                blocks: vec![first],
            },
        }
    }

    /// Check every block and compute the ledger, input to logits (`nn::plan::plan`).
    pub fn plan(&self) -> Result<ArchPlan, ArchError> {
        plan::plan(&self.blocks)
    }
}

impl Default for Arch {
    fn default() -> Self {
        Arch::preset(Preset::Default)
    }
}

/// Training hyperparameters. Learning rate, momentum and batch size may change mid-run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Hyper {
    /// Peak learning rate (after warm-up, before the cosine decay).
    #[serde(serialize_with = "crate::number::serialize_as_given")]
    pub lr: f32,
    #[serde(serialize_with = "crate::number::serialize_as_given")]
    pub momentum: f32,
    #[serde(serialize_with = "crate::number::serialize_as_given")]
    pub weight_decay: f32,
    pub batch: usize,
    pub seed: u64,
    /// How the learning rate moves over the run.
    pub schedule: Schedule,
    /// Epochs the cosine schedule plans for; the rate decays to a small floor at their end.
    pub epochs: usize,
    /// Images held out of the training set for validation (taken from its end).
    pub validation: usize,
}

impl Default for Hyper {
    fn default() -> Self {
        Hyper {
            lr: 0.07,
            momentum: 0.9,
            weight_decay: 0.0005,
            batch: 32,
            seed: 42,
            schedule: Schedule::Cosine,
            epochs: 3,
            validation: 5000,
        }
    }
}

/// Learning-rate schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Schedule {
    /// A short linear warm-up, then cosine decay over the planned epochs (headless default).
    Cosine,
    /// The rate as set, always (the dashboard's default, so live edits mean what they say).
    Constant,
}

/// Steps of linear warm-up at the start of a cosine schedule.
pub const WARMUP_STEPS: usize = 100;

impl Hyper {
    /// The learning rate at `step` of a run planned for `total_steps`.
    pub fn lr_at(&self, step: usize, total_steps: usize) -> f32 {
        match self.schedule {
            Schedule::Constant => self.lr,
            Schedule::Cosine => {
                let warm = ((step + 1) as f32 / WARMUP_STEPS as f32).min(1.0);
                let t = (step as f32 / total_steps.max(1) as f32).min(1.0);
                let floor = 0.01;
                let cosine = floor + (1.0 - floor) * 0.5 * (1.0 + (std::f32::consts::PI * t).cos());
                self.lr * warm * cosine
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_plan_to_the_ledger_the_lecture_draws() {
        let names = |p| {
            let plan = Arch::preset(p).plan().unwrap();
            plan.layers
                .iter()
                .map(|l| l.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(Preset::Tiny),
            ["conv1", "relu1", "maxpool1", "flatten", "dense"]
        );
        assert_eq!(names(Preset::Default).len(), 8);
        assert_eq!(Arch::default().plan().unwrap().dense_inputs(), 784);
    }

    #[test]
    fn cosine_warms_up_then_decays_to_its_floor() {
        let h = Hyper::default();
        assert!(h.lr_at(0, 1000) < h.lr / 50.0);
        assert!((h.lr_at(WARMUP_STEPS, 10_000) - h.lr).abs() < 0.01 * h.lr);
        assert!((h.lr_at(1000, 1000) - 0.01 * h.lr).abs() < 1e-6);
        let constant = Hyper {
            schedule: Schedule::Constant,
            ..h
        };
        assert_eq!(constant.lr_at(0, 1000), h.lr);
    }
}
