//! Pure edits of the architecture and the hyperparameters, one key press each.
//! An edit returns the new value and a phrase for the banner; `Arch::plan` judges it after.

use super::keys::Field;
use crate::config::{Arch, ConvBlock, Hyper, PoolKind};
use crate::nn::plan::{BATCH_RANGE, FILTERS_RANGE, max_padding, same_padding};

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

/// A shape edit of block `i`, e.g. "block 1 stride 1→2". The result may be impossible:
/// the caller checks it with `Arch::plan`.
pub fn adjust_block(
    arch: &Arch,
    i: usize,
    field: Field,
    up: bool,
) -> Result<(Arch, String), String> {
    let mut new = arch.clone();
    let b: &mut ConvBlock = new.blocks.get_mut(i).ok_or("no such block")?;
    let step = |v: usize| if up { v + 1 } else { v.saturating_sub(1) };
    let (name, old, val) = match field {
        Field::Stride => ("stride", b.stride, {
            b.stride = step(b.stride);
            b.stride
        }),
        Field::Padding => ("padding", b.padding, {
            b.padding = step(b.padding);
            b.padding
        }),
        Field::Kernel => {
            let same = b.padding == same_padding(b.kernel);
            let old = b.kernel;
            b.kernel = step(b.kernel);
            b.padding = if same {
                same_padding(b.kernel)
            } else {
                b.padding.min(max_padding(b.kernel))
            };
            ("kernel", old, b.kernel)
        }
        Field::Filters => {
            let old = b.filters;
            b.filters = if up { old * 2 } else { old / 2 };
            let most = *FILTERS_RANGE.end();
            if b.filters > most && old < most {
                b.filters = most;
            }
            ("filters", old, b.filters)
        }
        Field::PoolSize => {
            if b.pool == PoolKind::None {
                return Err(format!(
                    "block {} has no pooling: press o to choose max or avg first",
                    i + 1
                ));
            }
            ("pool size", b.pool_size, {
                b.pool_size = step(b.pool_size);
                b.pool_size
            })
        }
        _ => return Err("not a block setting".into()),
    };
    if val == old {
        return Err(format!("block {} {name} is already {old}", i + 1));
    }
    Ok((new, format!("block {} {name} {old}→{val}", i + 1)))
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
mod tests {
    use super::*;

    #[test]
    fn ladders() {
        assert_eq!(ladder_step(&LR_LADDER, 0.05, true), Some(0.1));
        assert_eq!(ladder_step(&LR_LADDER, 0.05, false), Some(0.02));
        assert_eq!(ladder_step(&LR_LADDER, 0.03, false), Some(0.02));
        assert_eq!(ladder_step(&LR_LADDER, 1.0, true), None);
        assert_eq!(ladder_step(&MOMENTUM_LADDER, 0.9, true), Some(0.95));
    }

    #[test]
    fn kernel_keeps_same_padding() {
        let arch = Arch::default();
        let (new, msg) = adjust_block(&arch, 0, Field::Kernel, true).unwrap();
        assert_eq!((new.blocks[0].kernel, new.blocks[0].padding), (4, 2));
        assert_eq!(msg, "block 1 kernel 3→4");
        let (new, _) = adjust_block(&arch, 0, Field::Kernel, false).unwrap();
        assert_eq!((new.blocks[0].kernel, new.blocks[0].padding), (2, 1));
    }

    #[test]
    fn batch_stays_in_range() {
        let h = Hyper {
            batch: 1,
            ..Hyper::default()
        };
        assert!(adjust_hyper(&h, Field::Batch, false).is_err());
        assert_eq!(adjust_hyper(&h, Field::Batch, true).unwrap().0.batch, 2);
    }
}
