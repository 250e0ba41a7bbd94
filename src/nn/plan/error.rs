//! Why a list of blocks cannot become a network, and the range checks that find out.

use super::limits::{BLOCKS_RANGE, FILTERS_RANGE, KERNEL_RANGE, POOL_RANGE, STRIDE_RANGE};
use super::{ConvBlock, PoolKind, max_padding};
use std::ops::RangeInclusive;
use thiserror::Error;

/// Why an architecture cannot be built. Each names the block (1-based, as in `conv1`) and the
/// numbers involved.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ArchError {
    #[error(
        "an architecture needs {min} to {max} conv blocks, got {0}",
        min = BLOCKS_RANGE.start(),
        max = BLOCKS_RANGE.end()
    )]
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

fn check_range(
    block: usize,
    what: &'static str,
    got: usize,
    range: RangeInclusive<usize>,
) -> Result<(), ArchError> {
    if range.contains(&got) {
        Ok(())
    } else {
        Err(ArchError::OutOfRange {
            block,
            what,
            min: *range.start(),
            max: *range.end(),
            got,
        })
    }
}

impl ConvBlock {
    /// Every number of the block in its range; `block` is 1-based, for the message.
    pub(super) fn validate(&self, block: usize) -> Result<(), ArchError> {
        check_range(block, "filters", self.filters, FILTERS_RANGE)?;
        check_range(block, "kernel", self.kernel, KERNEL_RANGE)?;
        check_range(block, "stride", self.stride, STRIDE_RANGE)?;
        if self.padding > max_padding(self.kernel) {
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
}
