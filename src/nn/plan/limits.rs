//! Every number a network is held to, written once: the image it reads, and the ranges a user
//! may choose from. The planner checks them, the command line validates and documents its flags
//! with them, and the dashboard's edits stop at them.

use std::ops::RangeInclusive;

/// MNIST images are 1×28×28.
pub const INPUT_CHANNELS: usize = 1;
pub const INPUT_SIDE: usize = 28;
/// The ten digits.
pub const CLASSES: usize = 10;

/// Conv blocks in a network.
pub const BLOCKS_RANGE: RangeInclusive<usize> = 1..=3;
/// Filters of one conv block.
pub const FILTERS_RANGE: RangeInclusive<usize> = 1..=64;
/// Side of a (square) convolution kernel.
pub const KERNEL_RANGE: RangeInclusive<usize> = 1..=7;
/// Stride of a convolution.
pub const STRIDE_RANGE: RangeInclusive<usize> = 1..=4;
/// Side of a pooling window (its stride equals it).
pub const POOL_RANGE: RangeInclusive<usize> = 2..=4;
/// Images in one mini-batch: the command line and the dashboard's batch edits alike.
pub const BATCH_RANGE: RangeInclusive<usize> = 1..=4096;

/// The padding that keeps the output as large as the input at stride 1 ("same" padding) for
/// odd kernels: ⌊K/2⌋. A new block and a kernel given alone start with it.
pub const fn same_padding(kernel: usize) -> usize {
    kernel / 2
}

/// The largest padding a `kernel` allows, K − 1: with P ≥ K some windows would see only zeros.
pub const fn max_padding(kernel: usize) -> usize {
    kernel.saturating_sub(1)
}

/// `range` as the command line's help writes it, e.g. `1–7`.
pub fn span(range: &RangeInclusive<usize>) -> String {
    format!("{}–{}", range.start(), range.end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_padding_keeps_odd_kernels_same_size_and_never_exceeds_the_maximum() {
        for k in KERNEL_RANGE {
            assert!(same_padding(k) <= max_padding(k), "kernel {k}");
            if k % 2 == 1 {
                // ⌊(W + 2P − K)/1⌋ + 1 = W exactly when 2P = K − 1.
                assert_eq!(2 * same_padding(k), k - 1);
            }
        }
        assert_eq!(span(&KERNEL_RANGE), "1–7");
    }
}
