//! Pure edits of the architecture and the hyperparameters, one key press each.
//! An edit returns the new value and a phrase for the banner; `Arch::plan` judges it after,
//! and `refusal` words its verdict as a sentence ("stride 5 is not offered (1–4)").

use super::keys::Field;
use crate::config::{Arch, ConvBlock, Hyper, PoolKind};
use crate::nn::plan::{
    ArchError, BATCH_RANGE, BLOCKS_RANGE, FILTERS_RANGE, KERNEL_RANGE, POOL_RANGE, STRIDE_RANGE,
    max_padding, same_padding, span,
};
use std::ops::RangeInclusive;

/// The learning-rate ladder (1-2-5 steps) and the momentum ladder.
const LR_LADDER: [f32; 13] = [
    1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0,
];
const MOMENTUM_LADDER: [f32; 7] = [0.0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99];

/// The next rung above (`up`) or below `v`, or `None` at the end of the ladder.
pub fn ladder_step(ladder: &[f32], v: f32, up: bool) -> Option<f32> {
    if up {
        ladder.iter().copied().find(|&x| x > v * 1.0001 + 1e-9)
    } else {
        ladder
            .iter()
            .rev()
            .copied()
            .find(|&x| x < v * 0.9999 - 1e-9)
    }
}

/// A hyperparameter edit, or why there is none (at the end of its range).
pub fn adjust_hyper(h: &Hyper, field: Field, up: bool) -> Result<(Hyper, String), String> {
    let mut new = *h;
    let word = if up { "highest" } else { "lowest" };
    let msg = match field {
        Field::Lr => {
            new.lr = ladder_step(&LR_LADDER, h.lr, up)
                .ok_or(format!("learning rate {} is the {word} offered", h.lr))?;
            format!("learning rate {} → {}", h.lr, new.lr)
        }
        Field::Momentum => {
            new.momentum = ladder_step(&MOMENTUM_LADDER, h.momentum, up)
                .ok_or(format!("momentum {} is the {word} offered", h.momentum))?;
            format!("momentum {} → {}", h.momentum, new.momentum)
        }
        Field::Batch => {
            let b = if up {
                h.batch.saturating_mul(2)
            } else {
                h.batch / 2
            };
            new.batch = b.clamp(*BATCH_RANGE.start(), *BATCH_RANGE.end());
            if new.batch == h.batch {
                return Err(format!("batch size {} is the {word} offered", h.batch));
            }
            format!("batch size {} → {}", h.batch, new.batch)
        }
        _ => return Err("not a training setting".into()),
    };
    Ok((new, msg))
}

/// A shape edit of block `i`, e.g. "block 1 stride 1→2", or why not when the new value is
/// outside what is offered ("stride 5 is not offered (1–4)"). What the value does to the
/// other blocks is for `Arch::plan` to judge.
pub fn adjust_block(
    arch: &Arch,
    i: usize,
    field: Field,
    up: bool,
) -> Result<(Arch, String), String> {
    if field == Field::Kernel {
        return adjust_kernel(arch.clone(), i, up);
    }
    let mut new = arch.clone();
    let b: &mut ConvBlock = new.blocks.get_mut(i).ok_or("no such block")?;
    if field == Field::PoolSize && b.pool == PoolKind::None {
        return Err(format!(
            "block {} has no pooling: press o to choose max or avg first",
            i + 1
        ));
    }
    let (name, value, offered) = match field {
        Field::Stride => ("stride", &mut b.stride, STRIDE_RANGE),
        Field::Padding => ("padding", &mut b.padding, 0..=max_padding(b.kernel)),
        Field::Filters => ("filters", &mut b.filters, FILTERS_RANGE),
        Field::PoolSize => ("pool size", &mut b.pool_size, POOL_RANGE),
        _ => return Err("not a block setting".into()),
    };
    let old = *value;
    let val = match (field, up) {
        // Filters halve and double, up to the most offered.
        (Field::Filters, true) if old < *offered.end() => (old * 2).min(*offered.end()),
        (Field::Filters, true) => old * 2,
        (Field::Filters, false) => old / 2,
        (_, true) => old + 1,
        (_, false) => old.saturating_sub(1),
    };
    if val == old {
        return Err(format!("block {} {name} is already {old}", i + 1));
    }
    if !offered.contains(&val) {
        return Err(not_offered(
            name,
            val,
            &offered,
            arch.blocks[i].kernel,
            field,
        ));
    }
    *value = val;
    Ok((new, format!("block {} {name} {old}→{val}", i + 1)))
}

/// "stride 5 is not offered (1–4)"; padding names its kernel.
fn not_offered(
    name: &str,
    val: usize,
    offered: &RangeInclusive<usize>,
    kernel: usize,
    field: Field,
) -> String {
    let with = if field == Field::Padding {
        format!(" with a {kernel}×{kernel} kernel")
    } else {
        String::new()
    };
    format!("{name} {val} is not offered{with} ({})", span(offered))
}

/// The kernel one size up or down. Under 'same' padding (⌊K/2⌋) only odd kernels keep the
/// map's size, so the even ones are stepped over (3 → 5 → 7) and the padding follows; any
/// other padding stays, as far as the new kernel allows.
fn adjust_kernel(mut arch: Arch, i: usize, up: bool) -> Result<(Arch, String), String> {
    let b = arch.blocks.get_mut(i).ok_or("no such block")?;
    let old = b.kernel;
    let same = b.padding == same_padding(old);
    let by = if same && old % 2 == 1 { 2 } else { 1 };
    let val = if up { old + by } else { old.saturating_sub(by) };
    if !KERNEL_RANGE.contains(&val) {
        let what = if same { "a 'same' kernel" } else { "kernel" };
        return Err(format!(
            "{what} {val}×{val} is not offered ({}{})",
            span(&KERNEL_RANGE),
            if same { ", odd" } else { "" }
        ));
    }
    let padding = if same {
        same_padding(val)
    } else {
        b.padding.min(max_padding(val))
    };
    let pad_note = if padding != b.padding {
        format!(", padding {}→{padding}", b.padding)
    } else {
        String::new()
    };
    (b.kernel, b.padding) = (val, padding);
    let msg = format!("block {} kernel {old}→{val}{pad_note}", i + 1);
    Ok((arch, msg))
}

/// Why an edit (`what`, e.g. "block 1 stride 1→4") cannot be built, as a sentence.
pub fn refusal(what: &str, e: &ArchError) -> String {
    match e {
        ArchError::BlockCount(n) if *n < *BLOCKS_RANGE.start() => format!(
            "the network needs at least {} conv block",
            BLOCKS_RANGE.start()
        ),
        ArchError::BlockCount(n) => {
            format!("{n} conv blocks are not offered ({})", span(&BLOCKS_RANGE))
        }
        ArchError::OutOfRange {
            what: name,
            min,
            max,
            got,
            ..
        } => format!("{name} {got} is not offered ({min}–{max})"),
        ArchError::PaddingTooLarge {
            padding, kernel, ..
        } => format!(
            "padding {padding} is not offered with a {kernel}×{kernel} kernel (0–{})",
            max_padding(*kernel)
        ),
        ArchError::KernelTooLarge {
            block,
            kernel,
            side,
            padding,
            ..
        } => format!(
            "{what} cannot be built: block {block} would get a {side}×{side} input, too small \
             for its {kernel}×{kernel} kernel with padding {padding}"
        ),
        ArchError::PoolTooLarge {
            block,
            window,
            side,
        } => format!(
            "{what} cannot be built: block {block} would get a {side}×{side} map, too small \
             for its {window}×{window} pool window"
        ),
    }
}

/// Cycle block `i`'s pooling max → avg → none.
pub fn cycle_pool(arch: &Arch, i: usize) -> Option<(Arch, String)> {
    let mut new = arch.clone();
    let b = new.blocks.get_mut(i)?;
    let old = b.pool;
    b.pool = old.cycle();
    let msg = format!("block {} pooling {old}→{}", i + 1, b.pool);
    Some((new, msg))
}

/// A new block after block `i`: twice its filters, 3×3 with 'same' padding, max-pool 2.
pub fn add_block(arch: &Arch, i: usize) -> (Arch, String) {
    let mut new = arch.clone();
    let filters = arch
        .blocks
        .get(i)
        .map_or(8, |b| (b.filters * 2).min(*FILTERS_RANGE.end()));
    let at = (i + 1).min(new.blocks.len());
    new.blocks
        .insert(at, ConvBlock::new(filters, 3, PoolKind::Max));
    (
        new,
        format!("added block {}: conv {filters}@3×3, max-pool 2", at + 1),
    )
}

/// Block `i` removed.
pub fn remove_block(arch: &Arch, i: usize) -> (Arch, String) {
    let mut new = arch.clone();
    if i < new.blocks.len() {
        new.blocks.remove(i);
    }
    (new, format!("removed block {}", i + 1))
}

#[cfg(test)]
mod tests;
