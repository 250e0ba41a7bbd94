//! Compare: `c` pins the current run's curves as a reference. A new run (after a reset or an
//! edit) is then drawn over them, both aligned at their own first step, each labelled with
//! what differs between them (`conv1 pool max` against `conv1 pool avg`).

use super::History;
use crate::config::{Arch, Hyper};
use crate::number::compact;

/// A run's curves, steps counted from its first, and the settings it ran with.
#[derive(Debug, Clone, PartialEq)]
pub struct Pinned {
    pub arch: Arch,
    pub hyper: Hyper,
    /// The step the run began at (subtracted from every point).
    pub start: usize,
    pub smoothed: Vec<(f64, f64)>,
    pub val_loss: Vec<(f64, f64)>,
    pub train_accuracy: Vec<(f64, f64)>,
    pub val_accuracy: Vec<(f64, f64)>,
}

impl Pinned {
    /// The current run of `history` (since its newest reset or rebuild).
    pub fn of(history: &History, arch: &Arch, hyper: &Hyper) -> Pinned {
        let start = history.run_start();
        let since = |s: &super::Series| aligned(&s.points_from(start as f64), start);
        Pinned {
            arch: arch.clone(),
            hyper: *hyper,
            start,
            smoothed: since(&history.smoothed),
            val_loss: since(&history.val_loss),
            train_accuracy: since(&history.train_accuracy),
            val_accuracy: since(&history.val_accuracy),
        }
    }

    /// Steps the pinned run lasted.
    pub fn span(&self) -> f64 {
        [&self.smoothed, &self.val_accuracy]
            .iter()
            .filter_map(|c| c.last().map(|p| p.0))
            .fold(0.0, f64::max)
    }
}

/// Points moved so that step `start` is 0.
pub fn aligned(points: &[(f64, f64)], start: usize) -> Vec<(f64, f64)> {
    points.iter().map(|&(x, y)| (x - start as f64, y)).collect()
}

/// Labels for the current run and the pinned one: what differs between their settings, each
/// side's values, e.g. (`conv1 pool avg`, `conv1 pool max`); `same settings` when nothing does.
pub fn run_labels(now: (&Arch, &Hyper), pinned: (&Arch, &Hyper)) -> (String, String) {
    let (a, b) = (describe(now.0, now.1), describe(pinned.0, pinned.1));
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    for key in a.iter().chain(&b).map(|(k, _)| k) {
        let value = |list: &[(String, String)]| {
            list.iter()
                .find(|(k, _)| k == key)
                .map_or_else(|| "none".to_string(), |(_, v)| v.clone())
        };
        let (x, y) = (value(&a), value(&b));
        let label = |v: &str| format!("{key} {v}");
        // A block only one side has: the block count says it.
        let both = x != "none" && y != "none";
        if both && x != y && !mine.contains(&label(&x)) {
            mine.push(label(&x));
            theirs.push(label(&y));
        }
    }
    if mine.is_empty() {
        return ("same settings".into(), "same settings".into());
    }
    (mine.join(", "), theirs.join(", "))
}

/// Every setting a run label can name, as (name, value).
fn describe(arch: &Arch, hyper: &Hyper) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, b) in arch.blocks.iter().enumerate() {
        let conv = format!("conv{}", i + 1);
        out.push((format!("{conv} filters"), b.filters.to_string()));
        out.push((format!("{conv} kernel"), b.kernel.to_string()));
        out.push((format!("{conv} stride"), b.stride.to_string()));
        out.push((format!("{conv} padding"), b.padding.to_string()));
        out.push((format!("{conv} pool"), b.pool.to_string()));
        if b.pool != crate::config::PoolKind::None {
            out.push((format!("{conv} pool size"), b.pool_size.to_string()));
        }
    }
    out.push(("blocks".into(), arch.blocks.len().to_string()));
    out.push(("lr".into(), compact(hyper.lr as f64, 3)));
    out.push(("momentum".into(), compact(hyper.momentum as f64, 3)));
    out.push(("batch".into(), hyper.batch.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PoolKind;

    #[test]
    fn labels_name_what_differs_on_each_side() {
        let arch = Arch::default();
        let hyper = Hyper::default();
        assert_eq!(
            run_labels((&arch, &hyper), (&arch, &hyper)),
            ("same settings".into(), "same settings".into())
        );
        let mut avg = arch.clone();
        avg.blocks[0].pool = PoolKind::Avg;
        let faster = Hyper { lr: 0.1, ..hyper };
        assert_eq!(
            run_labels((&avg, &faster), (&arch, &hyper)),
            (
                "conv1 pool avg, lr 0.1".into(),
                "conv1 pool max, lr 0.07".into()
            )
        );
        let mut one = arch.clone();
        one.blocks.pop();
        let (now, pinned) = run_labels((&one, &hyper), (&arch, &hyper));
        assert_eq!((now.as_str(), pinned.as_str()), ("blocks 1", "blocks 2"));
    }

    #[test]
    fn a_pin_holds_the_current_run_from_its_first_step() {
        let mut h = History::default();
        for step in 1..=300 {
            h.push_step(&crate::train::messages::StepMetrics {
                step,
                epoch: 0,
                epoch_progress: 0.0,
                loss: 1.0,
                batch_accuracy: 0.5,
                lr: 0.1,
                samples_per_sec: 1.0,
            });
            if step == 200 {
                h.mark(super::super::MarkerKind::Edit, "conv1 stride 1→2".into());
            }
        }
        let p = Pinned::of(&h, &Arch::default(), &Hyper::default());
        assert_eq!(p.start, 200);
        assert_eq!(p.smoothed.first().unwrap().0, 0.0);
        assert_eq!(p.smoothed.len(), 101);
        assert_eq!(p.span(), 100.0);
    }
}
