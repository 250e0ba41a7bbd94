//! What the user chooses: the architecture (`Arch`) and the training hyperparameters (`Hyper`).
//!
//! `Arch::plan` checks every shape with the lecture's formula
//! out = ⌊(W + 2P − K) / S⌋ + 1 before any network is built, and produces the ledger that
//! the dashboard and `cnn-tui train` show: each layer's output shape, parameter count,
//! multiply-adds, and what a fully connected layer of the same size would cost.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// MNIST images are 1×28×28.
pub const INPUT_CHANNELS: usize = 1;
pub const INPUT_SIDE: usize = 28;
pub const CLASSES: usize = 10;

/// Limits on what a user may choose (the ranges).
pub const MAX_BLOCKS: usize = 3;
pub const KERNEL_RANGE: (usize, usize) = (1, 7);
pub const STRIDE_RANGE: (usize, usize) = (1, 4);
pub const POOL_RANGE: (usize, usize) = (2, 4);
pub const FILTERS_RANGE: (usize, usize) = (1, 64);

/// Output length of a convolution or pooling along one axis: ⌊(w + 2p − k) / s⌋ + 1.
/// `None` when the kernel does not fit in the padded input (the output would be empty).
pub fn conv_out_len(w: usize, k: usize, s: usize, p: usize) -> Option<usize> {
    let padded = w + 2 * p;
    if s == 0 || k == 0 || k > padded {
        return None;
    }
    Some((padded - k) / s + 1)
}

/// How many input pixels at the far border a window never reaches: (W + 2P − K) mod S.
pub fn dropped_border(w: usize, k: usize, s: usize, p: usize) -> usize {
    (w + 2 * p).saturating_sub(k) % s.max(1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum PoolKind {
    Max,
    Avg,
    None,
}

impl PoolKind {
    /// The next kind in the cycle max → avg → none → max (the dashboard's toggle).
    pub fn cycle(self) -> Self {
        match self {
            PoolKind::Max => PoolKind::Avg,
            PoolKind::Avg => PoolKind::None,
            PoolKind::None => PoolKind::Max,
        }
    }
}

impl fmt::Display for PoolKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PoolKind::Max => "max",
            PoolKind::Avg => "avg",
            PoolKind::None => "none",
        })
    }
}

/// One conv → ReLU → (pool) block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConvBlock {
    pub filters: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
    pub pool: PoolKind,
    /// Window of the pooling layer; its stride equals the window.
    pub pool_size: usize,
}

impl ConvBlock {
    pub const fn new(filters: usize, kernel: usize, pool: PoolKind) -> Self {
        ConvBlock {
            filters,
            kernel,
            stride: 1,
            padding: kernel / 2,
            pool,
            pool_size: 2,
        }
    }
}

/// The architecture: 1 to 3 conv blocks, then one dense layer to the 10 classes.
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
}

impl Default for Arch {
    fn default() -> Self {
        Arch::preset(Preset::Default)
    }
}

/// Why an architecture cannot be built. Each names the block (1-based, as in `conv1`) and the
/// numbers involved.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ArchError {
    #[error("an architecture needs 1 to {MAX_BLOCKS} conv blocks, got {0}")]
    BlockCount(usize),
    #[error("block {block}: {what} must be in {min}..={max}, got {got}")]
    OutOfRange {
        block: usize,
        what: &'static str,
        min: usize,
        max: usize,
        got: usize,
    },
    #[error("block {block}: padding {padding} must be smaller than the kernel {kernel}")]
    PaddingTooLarge {
        block: usize,
        padding: usize,
        kernel: usize,
    },
    #[error(
        "block {block}: a {kernel}×{kernel} kernel does not fit a {side}×{side} input with padding {padding} \
         (⌊({side} + 2·{padding} − {kernel}) / {stride}⌋ + 1 < 1)"
    )]
    KernelTooLarge {
        block: usize,
        kernel: usize,
        side: usize,
        padding: usize,
        stride: usize,
    },
    #[error(
        "block {block}: a {window}×{window} pool window is larger than its {side}×{side} input"
    )]
    PoolTooLarge {
        block: usize,
        window: usize,
        side: usize,
    },
}

/// A layer kind in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerKind {
    Conv,
    Relu,
    MaxPool,
    AvgPool,
    Flatten,
    Dense,
}

/// One row of the ledger: a layer, its output shape C×H×W, and what it costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerInfo {
    pub name: String,
    pub kind: LayerKind,
    /// Block index (0-based) for conv, ReLU and pool layers; `None` for flatten and dense.
    pub block: Option<usize>,
    pub in_shape: [usize; 3],
    pub out_shape: [usize; 3],
    /// Kernel (or pool window), stride, padding; zero for layers without a window.
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
    pub params: usize,
    /// Multiply-adds for one sample in the forward pass.
    pub macs: usize,
    /// Border pixels the window never reaches when (W + 2P − K) is not a multiple of S.
    pub dropped: usize,
    /// Weights a fully connected layer from the same input to the same output would need.
    pub dense_equivalent_params: usize,
}

impl LayerInfo {
    /// A row for a layer with no weights and no window (ReLU, flatten); callers override the rest.
    fn plain(
        name: String,
        kind: LayerKind,
        block: Option<usize>,
        in_shape: [usize; 3],
        out_shape: [usize; 3],
    ) -> Self {
        LayerInfo {
            name,
            kind,
            block,
            in_shape,
            out_shape,
            kernel: 0,
            stride: 0,
            padding: 0,
            params: 0,
            macs: 0,
            dropped: 0,
            dense_equivalent_params: 0,
        }
    }

    pub fn out_len(&self) -> usize {
        self.out_shape.iter().product()
    }

    /// The shape formula with this layer's numbers, e.g. `⌊(28 + 2·1 − 3)/1⌋ + 1 = 28`.
    /// `None` for layers without a sliding window.
    pub fn formula(&self) -> Option<String> {
        if self.kernel == 0 {
            return None;
        }
        let (w, p, k, s) = (self.in_shape[1], self.padding, self.kernel, self.stride);
        Some(format!(
            "⌊({w} + 2·{p} − {k})/{s}⌋ + 1 = {}",
            self.out_shape[1]
        ))
    }
}

/// The checked architecture: every layer from input to logits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchPlan {
    pub layers: Vec<LayerInfo>,
}

impl ArchPlan {
    pub fn total_params(&self) -> usize {
        self.layers.iter().map(|l| l.params).sum()
    }

    pub fn total_macs(&self) -> usize {
        self.layers.iter().map(|l| l.macs).sum()
    }

    /// Parameters of a fully connected net with the same layer widths (each conv and the dense
    /// layer replaced by a dense layer between the same flattened sizes).
    pub fn dense_equivalent_params(&self) -> usize {
        self.layers.iter().map(|l| l.dense_equivalent_params).sum()
    }

    /// Flattened size that reaches the dense layer.
    pub fn dense_inputs(&self) -> usize {
        self.layers
            .iter()
            .find(|l| l.kind == LayerKind::Dense)
            .map_or(0, |l| l.in_shape.iter().product())
    }
}

fn check_range(
    block: usize,
    what: &'static str,
    got: usize,
    (min, max): (usize, usize),
) -> Result<(), ArchError> {
    if (min..=max).contains(&got) {
        Ok(())
    } else {
        Err(ArchError::OutOfRange {
            block,
            what,
            min,
            max,
            got,
        })
    }
}

impl ConvBlock {
    fn validate(&self, block: usize) -> Result<(), ArchError> {
        check_range(block, "filters", self.filters, FILTERS_RANGE)?;
        check_range(block, "kernel", self.kernel, KERNEL_RANGE)?;
        check_range(block, "stride", self.stride, STRIDE_RANGE)?;
        if self.padding >= self.kernel {
            return Err(ArchError::PaddingTooLarge {
                block,
                padding: self.padding,
                kernel: self.kernel,
            });
        }
        if self.pool != PoolKind::None {
            check_range(block, "pool size", self.pool_size, POOL_RANGE)?;
        }
        Ok(())
    }

    /// The ledger rows of this block (conv, ReLU, pool) given its input shape.
    /// `block` is 0-based; errors name it 1-based, as the user counts (conv1, conv2…).
    fn plan(&self, block: usize, input: [usize; 3]) -> Result<Vec<LayerInfo>, ArchError> {
        let n = block + 1;
        self.validate(n)?;
        let [c, side, _] = input;
        let (k, s, p) = (self.kernel, self.stride, self.padding);
        let out_side = conv_out_len(side, k, s, p).ok_or(ArchError::KernelTooLarge {
            block: n,
            kernel: k,
            side,
            padding: p,
            stride: s,
        })?;
        let conv_out = [self.filters, out_side, out_side];
        let in_len = c * side * side;
        let out_len = self.filters * out_side * out_side;
        let conv = LayerInfo {
            name: format!("conv{n}"),
            kind: LayerKind::Conv,
            block: Some(block),
            in_shape: input,
            out_shape: conv_out,
            kernel: k,
            stride: s,
            padding: p,
            params: self.filters * (c * k * k + 1),
            macs: out_len * c * k * k,
            dropped: dropped_border(side, k, s, p),
            dense_equivalent_params: in_len * out_len + out_len,
        };
        let relu = LayerInfo::plain(
            format!("relu{n}"),
            LayerKind::Relu,
            Some(block),
            conv_out,
            conv_out,
        );
        let mut rows = vec![conv, relu];
        if self.pool != PoolKind::None {
            let w = self.pool_size;
            if w > out_side {
                return Err(ArchError::PoolTooLarge {
                    block: n,
                    window: w,
                    side: out_side,
                });
            }
            let pooled = out_side / w;
            let kind = if self.pool == PoolKind::Max {
                LayerKind::MaxPool
            } else {
                LayerKind::AvgPool
            };
            let name = format!("{}pool{n}", self.pool);
            rows.push(LayerInfo {
                kernel: w,
                stride: w,
                dropped: out_side % w,
                ..LayerInfo::plain(
                    name,
                    kind,
                    Some(block),
                    conv_out,
                    [self.filters, pooled, pooled],
                )
            });
        }
        Ok(rows)
    }
}

impl Arch {
    /// Check every block and compute the ledger, input to logits.
    pub fn plan(&self) -> Result<ArchPlan, ArchError> {
        if self.blocks.is_empty() || self.blocks.len() > MAX_BLOCKS {
            return Err(ArchError::BlockCount(self.blocks.len()));
        }
        let mut shape = [INPUT_CHANNELS, INPUT_SIDE, INPUT_SIDE];
        let mut layers = Vec::new();
        for (i, block) in self.blocks.iter().enumerate() {
            let rows = block.plan(i, shape)?;
            shape = rows.last().expect("a block has at least a conv").out_shape;
            layers.extend(rows);
        }
        let flat = shape.iter().product::<usize>();
        layers.push(LayerInfo::plain(
            "flatten".into(),
            LayerKind::Flatten,
            None,
            shape,
            [flat, 1, 1],
        ));
        let dense_params = flat * CLASSES + CLASSES;
        layers.push(LayerInfo {
            params: dense_params,
            macs: flat * CLASSES,
            dense_equivalent_params: dense_params,
            ..LayerInfo::plain(
                "dense".into(),
                LayerKind::Dense,
                None,
                [flat, 1, 1],
                [CLASSES, 1, 1],
            )
        });
        Ok(ArchPlan { layers })
    }
}

/// Training hyperparameters. Learning rate, momentum and batch size may change mid-run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Hyper {
    /// Peak learning rate (after warm-up, before the cosine decay).
    pub lr: f32,
    pub momentum: f32,
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
    fn out_len_matches_the_formula() {
        assert_eq!(conv_out_len(28, 3, 1, 1), Some(28));
        assert_eq!(conv_out_len(28, 3, 2, 1), Some(14));
        assert_eq!(conv_out_len(28, 5, 3, 0), Some(8)); // ⌊23/3⌋ + 1
        assert_eq!(dropped_border(28, 5, 3, 0), 2);
        assert_eq!(conv_out_len(2, 5, 1, 1), None);
    }

    #[test]
    fn default_preset_ledger() {
        let plan = Arch::default().plan().unwrap();
        let shapes: Vec<_> = plan
            .layers
            .iter()
            .map(|l| (l.name.as_str(), l.out_shape))
            .collect();
        assert_eq!(
            shapes,
            vec![
                ("conv1", [8, 28, 28]),
                ("relu1", [8, 28, 28]),
                ("maxpool1", [8, 14, 14]),
                ("conv2", [16, 14, 14]),
                ("relu2", [16, 14, 14]),
                ("maxpool2", [16, 7, 7]),
                ("flatten", [784, 1, 1]),
                ("dense", [10, 1, 1]),
            ]
        );
        // 8·(9+1) + 16·(8·9+1) + 784·10 + 10
        assert_eq!(plan.total_params(), 80 + 1168 + 7850);
        assert_eq!(
            plan.layers[0].formula().unwrap(),
            "⌊(28 + 2·1 − 3)/1⌋ + 1 = 28"
        );
        // A dense layer from 784 pixels to conv1's 6272 outputs.
        assert_eq!(plan.layers[0].dense_equivalent_params, 784 * 6272 + 6272);
    }

    #[test]
    fn impossible_configurations_are_refused() {
        let mut arch = Arch::default();
        arch.blocks[0].padding = 3;
        assert!(matches!(
            arch.plan(),
            Err(ArchError::PaddingTooLarge { .. })
        ));
        let mut arch = Arch::default();
        arch.blocks[1].pool_size = 4;
        arch.blocks[0].stride = 4; // 28 → 7, pool 2 → 3, conv → 3, pool 4 > 3
        assert!(
            matches!(arch.plan(), Err(ArchError::PoolTooLarge { .. })),
            "{:?}",
            arch.plan()
        );
        let arch = Arch { blocks: vec![] };
        assert_eq!(arch.plan(), Err(ArchError::BlockCount(0)));
    }
}
