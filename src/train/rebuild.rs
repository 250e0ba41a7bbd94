//! Carrying trained weights across an architecture change.
//!
//! A layer keeps its weights when a layer of the same name had parameters of exactly the
//! same shapes; every other layer starts from its fresh initialisation. The summary says
//! what changed, what it did to the shapes, and what was kept, e.g.
//! `conv1 stride 1→2: conv1 28×28→14×14, dense input 784→196 — kept conv1, conv2; re-initialised dense`.

use crate::config::ConvBlock;
use crate::nn::Network;
use crate::nn::plan::{ArchPlan, LayerInfo};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebuildOutcome {
    pub kept: Vec<String>,
    pub reinitialised: Vec<String>,
    pub summary: String,
}

/// Copy into `fresh` every layer's parameters from `old` whose shapes still fit.
pub fn transfer(old: &mut Network, fresh: &mut Network) -> RebuildOutcome {
    let (mut kept, mut reinitialised) = (Vec::new(), Vec::new());
    for new_layer in fresh.layers_mut() {
        let name = new_layer.name().to_string();
        let mut new_params = new_layer.params();
        if new_params.is_empty() {
            continue;
        }
        let old_layer = old.layers_mut().iter_mut().find(|l| l.name() == name);
        let mut old_params = old_layer.map(|l| l.params()).unwrap_or_default();
        let fits = old_params.len() == new_params.len()
            && old_params
                .iter()
                .zip(&new_params)
                .all(|(a, b)| a.value.shape() == b.value.shape());
        if fits {
            for (dst, src) in new_params.iter_mut().zip(old_params.iter_mut()) {
                dst.value.assign(&src.value);
            }
            kept.push(name);
        } else {
            reinitialised.push(name);
        }
    }
    let summary = summarise(
        old.blocks(),
        old.plan(),
        fresh.blocks(),
        fresh.plan(),
        &kept,
        &reinitialised,
    );
    RebuildOutcome {
        kept,
        reinitialised,
        summary,
    }
}

/// What the user changed, block by block, e.g. `conv1 stride 1→2`, `added block 3`.
fn describe_edits(old: &[ConvBlock], new: &[ConvBlock]) -> Vec<String> {
    let mut edits = Vec::new();
    for i in 0..old.len().max(new.len()) {
        match (old.get(i), new.get(i)) {
            (Some(a), Some(b)) => edits.extend(block_edits(i + 1, a, b)),
            (None, Some(_)) => edits.push(format!("added block {}", i + 1)),
            (Some(_), None) => edits.push(format!("removed block {}", i + 1)),
            (None, None) => {}
        }
    }
    edits
}

fn block_edits(n: usize, a: &ConvBlock, b: &ConvBlock) -> Vec<String> {
    let fields = [
        ("filters", a.filters.to_string(), b.filters.to_string()),
        ("kernel", a.kernel.to_string(), b.kernel.to_string()),
        ("stride", a.stride.to_string(), b.stride.to_string()),
        ("padding", a.padding.to_string(), b.padding.to_string()),
        ("pool", a.pool.to_string(), b.pool.to_string()),
        (
            "pool size",
            a.pool_size.to_string(),
            b.pool_size.to_string(),
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, x, y)| x != y)
        .map(|(what, x, y)| format!("conv{n} {what} {x}→{y}"))
        .collect()
}

fn find<'a>(plan: &'a ArchPlan, name: &str) -> Option<&'a LayerInfo> {
    plan.layers.iter().find(|l| l.name == name)
}

/// How the shapes of the layers with parameters moved.
fn describe_shapes(old: &ArchPlan, new: &ArchPlan) -> Vec<String> {
    let mut out = Vec::new();
    for layer in new.layers.iter().filter(|l| l.params > 0) {
        let Some(before) = find(old, &layer.name) else {
            continue;
        };
        if layer.name == "dense" {
            let (a, b) = (before.in_shape[0], layer.in_shape[0]);
            if a != b {
                out.push(format!("dense input {a}→{b}"));
            }
            continue;
        }
        let [c0, h0, w0] = before.out_shape;
        let [c1, h1, w1] = layer.out_shape;
        if (h0, w0) != (h1, w1) {
            out.push(format!("{} {h0}×{w0}→{h1}×{w1}", layer.name));
        }
        if c0 != c1 {
            out.push(format!("{} {c0}→{c1} maps", layer.name));
        }
        if before.in_shape[0] != layer.in_shape[0] {
            out.push(format!(
                "{} depth {}→{}",
                layer.name, before.in_shape[0], layer.in_shape[0]
            ));
        }
    }
    out
}

fn summarise(
    old_arch: &[ConvBlock],
    old_plan: &ArchPlan,
    new_arch: &[ConvBlock],
    new_plan: &ArchPlan,
    kept: &[String],
    reinit: &[String],
) -> String {
    let edits = describe_edits(old_arch, new_arch);
    let edits = if edits.is_empty() {
        "no change".to_string()
    } else {
        edits.join(", ")
    };
    let shapes = describe_shapes(old_plan, new_plan);
    let fate = match (kept.is_empty(), reinit.is_empty()) {
        (_, true) => "every weight kept".to_string(),
        (true, false) => format!("all re-initialised ({})", reinit.join(", ")),
        (false, false) => format!(
            "kept {}; re-initialised {}",
            kept.join(", "),
            reinit.join(", ")
        ),
    };
    if shapes.is_empty() {
        format!("{edits} — {fate}")
    } else {
        format!("{edits}: {} — {fate}", shapes.join(", "))
    }
}
