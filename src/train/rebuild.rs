//! Carrying trained weights across an architecture change.
//!
//! A layer keeps its weights when a layer of the same name had parameters of exactly the
//! same shapes; every other layer starts from its fresh initialisation. The outcome is plain
//! data (the architectures before and after, the layers kept and re-initialised); its
//! `summary` words it for a person: what changed, what it did to the shapes, what was kept, e.g.
//! `conv1 stride 1→2: conv1 28×28→14×14, dense input 784→196 — kept conv1, conv2; re-initialised dense`.

use crate::config::{Arch, ConvBlock};
use crate::nn::Network;
use crate::nn::plan::{ArchPlan, LayerInfo};

/// What a rebuild did, as the trainer knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebuildOutcome {
    /// The architecture the network had, and the one it has now.
    pub before: Arch,
    pub after: Arch,
    /// Layers with parameters whose trained weights were carried over, input side first.
    pub kept: Vec<String>,
    /// Layers with parameters that start from a fresh initialisation.
    pub reinitialised: Vec<String>,
}

impl RebuildOutcome {
    /// One line for the dashboard's banner (and any other printer): the edits, what they did
    /// to the shapes, and which layers were kept and which re-initialised.
    pub fn summary(&self) -> String {
        let shapes = match (self.before.plan(), self.after.plan()) {
            (Ok(old), Ok(new)) => describe_shapes(&old, &new),
            // Only networks that were built get rebuilt, and a built network has a plan.
            _ => Vec::new(),
        };
        summarise(
            &describe_edits(&self.before.blocks, &self.after.blocks),
            &shapes,
            &self.kept,
            &self.reinitialised,
        )
    }
}

impl RebuildOutcome {
    /// The edits alone, e.g. `["conv1 stride 1→2"]`: a chart's marker label.
    pub fn edits(&self) -> Vec<String> {
        describe_edits(&self.before.blocks, &self.after.blocks)
    }
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
    RebuildOutcome {
        before: Arch {
            blocks: old.blocks().to_vec(),
        },
        after: Arch {
            blocks: fresh.blocks().to_vec(),
        },
        kept,
        reinitialised,
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

fn summarise(edits: &[String], shapes: &[String], kept: &[String], reinit: &[String]) -> String {
    let edits = if edits.is_empty() {
        "no change".to_string()
    } else {
        edits.join(", ")
    };
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
