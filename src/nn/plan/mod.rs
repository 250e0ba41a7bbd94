//! The network plan: from a list of conv blocks to every layer's shape and cost, checked with
//! the lecture's formula out = ⌊(W + 2P − K) / S⌋ + 1 before any network is built.
//!
//! `plan` produces the ledger that the dashboard and `cnn-tui train` show: each layer's
//! identity, output shape, parameter count, multiply-adds, and what a fully connected layer of
//! the same size would cost. `Network::new` builds its layers from the same rows.

mod error;
mod layer;
mod limits;

pub use error::ArchError;
pub use layer::{ArchPlan, LayerId, LayerInfo, LayerKind, Stage};
pub use limits::*;

use serde::{Deserialize, Serialize};
use std::fmt;

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
    /// `filters` kernels of `kernel`×`kernel`, stride 1, same padding, pooling window 2.
    pub const fn new(filters: usize, kernel: usize, pool: PoolKind) -> Self {
        ConvBlock {
            filters,
            kernel,
            stride: 1,
            padding: same_padding(kernel),
            pool,
            pool_size: 2,
        }
    }

    /// The ledger rows of this block (conv, ReLU, pool) given its input shape `[C, H, W]`.
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
            kernel: k,
            stride: s,
            padding: p,
            params: self.filters * (c * k * k + 1),
            macs: out_len * c * k * k,
            dropped: dropped_border(side, k, s, p),
            dense_equivalent_params: in_len * out_len + out_len,
            ..LayerInfo::plain(
                format!("conv{n}"),
                LayerId::conv(block),
                LayerKind::Conv,
                input,
                conv_out,
            )
        };
        let relu = LayerInfo::plain(
            format!("relu{n}"),
            LayerId::relu(block),
            LayerKind::Relu,
            conv_out,
            conv_out,
        );
        let mut rows = vec![conv, relu];
        if let Some(pool) = self.pool_row(block, conv_out)? {
            rows.push(pool);
        }
        Ok(rows)
    }

    /// The pooling row after a conv of output `[F, side, side]`, if the block pools.
    fn pool_row(&self, block: usize, conv_out: [usize; 3]) -> Result<Option<LayerInfo>, ArchError> {
        let kind = match self.pool {
            PoolKind::Max => LayerKind::MaxPool,
            PoolKind::Avg => LayerKind::AvgPool,
            PoolKind::None => return Ok(None),
        };
        let [f, side, _] = conv_out;
        let w = self.pool_size;
        if w > side {
            return Err(ArchError::PoolTooLarge {
                block: block + 1,
                window: w,
                side,
            });
        }
        let pooled = side / w;
        Ok(Some(LayerInfo {
            kernel: w,
            stride: w,
            dropped: side % w,
            ..LayerInfo::plain(
                format!("{}pool{}", self.pool, block + 1),
                LayerId::pool(block),
                kind,
                conv_out,
                [f, pooled, pooled],
            )
        }))
    }
}

/// Check every block and compute the ledger, input to logits.
pub fn plan(blocks: &[ConvBlock]) -> Result<ArchPlan, ArchError> {
    if !BLOCKS_RANGE.contains(&blocks.len()) {
        return Err(ArchError::BlockCount(blocks.len()));
    }
    let mut shape = [INPUT_CHANNELS, INPUT_SIDE, INPUT_SIDE];
    let mut layers = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let rows = block.plan(i, shape)?;
        shape = rows.last().expect("a block has at least a conv").out_shape;
        layers.extend(rows);
    }
    let flat = shape.iter().product::<usize>();
    layers.push(LayerInfo::plain(
        "flatten".into(),
        LayerId::Flatten,
        LayerKind::Flatten,
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
            LayerId::Dense,
            LayerKind::Dense,
            [flat, 1, 1],
            [CLASSES, 1, 1],
        )
    });
    Ok(ArchPlan { layers })
}

#[cfg(test)]
mod tests;
