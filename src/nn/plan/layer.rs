//! The rows of a plan: each layer's identity, kind, shapes and costs.

use serde::Serialize;

/// Where a layer sits in the network: a stage of a conv block, or the head. Code asks this,
/// never the layer's name, which is only for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerId {
    /// One stage of conv block `block` (0-based: the ledger's `conv1` is block 0).
    Block {
        block: usize,
        stage: Stage,
    },
    Flatten,
    Dense,
}

/// The stages of a conv block, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Conv,
    Relu,
    /// Max or average: the row's `LayerKind` says which.
    Pool,
}

impl LayerId {
    pub const fn conv(block: usize) -> Self {
        LayerId::Block {
            block,
            stage: Stage::Conv,
        }
    }

    pub const fn relu(block: usize) -> Self {
        LayerId::Block {
            block,
            stage: Stage::Relu,
        }
    }

    pub const fn pool(block: usize) -> Self {
        LayerId::Block {
            block,
            stage: Stage::Pool,
        }
    }

    /// The conv block (0-based) of a conv, ReLU or pool layer; `None` for flatten and dense.
    pub const fn block(self) -> Option<usize> {
        match self {
            LayerId::Block { block, .. } => Some(block),
            _ => None,
        }
    }

    /// The stage within its block; `None` for flatten and dense.
    pub const fn stage(self) -> Option<Stage> {
        match self {
            LayerId::Block { stage, .. } => Some(stage),
            _ => None,
        }
    }

    pub fn is(self, stage: Stage) -> bool {
        self.stage() == Some(stage)
    }
}

/// A layer kind in the ledger: what the layer computes (its identity says where it is).
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
    /// For display, e.g. `conv1`, `maxpool2`, `dense`.
    pub name: String,
    pub id: LayerId,
    pub kind: LayerKind,
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
    pub(super) fn plain(
        name: String,
        id: LayerId,
        kind: LayerKind,
        in_shape: [usize; 3],
        out_shape: [usize; 3],
    ) -> Self {
        LayerInfo {
            name,
            id,
            kind,
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

    /// The row of the layer `id`, if the plan has it.
    pub fn layer(&self, id: LayerId) -> Option<&LayerInfo> {
        self.layers.iter().find(|l| l.id == id)
    }
}
