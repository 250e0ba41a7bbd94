//! The tensors of a checkpoint in PyTorch's layout, and the checks that bring them back.

use super::{CheckpointError, Meta, RunState};
use crate::config::Hyper;
use crate::nn::Network;
use crate::nn::plan::{ArchPlan, LayerKind};
use ndarray::ArrayD;
use safetensors::{Dtype, SafeTensors};
use std::collections::{HashMap, HashSet};

/// Names of the momentum tensors start with this; PyTorch's `load_state_dict(strict=False)`
/// reports them as unexpected keys and loads the rest.
pub const MOMENTUM_PREFIX: &str = "sgd.momentum_buffer.";

/// Every parameter tensor's name and shape, in `Network::params` order: `"{i}.weight"` and
/// `"{i}.bias"` for the layer at index `i` (its index in `nn.Sequential`).
pub fn tensor_layout(network: &mut Network) -> Vec<(String, Vec<usize>)> {
    let mut out = Vec::new();
    for (i, layer) in network.layers_mut().iter_mut().enumerate() {
        let params = layer.params();
        assert!(params.len() <= 2, "a layer has a weight and a bias at most");
        for (p, what) in params.iter().zip(["weight", "bias"]) {
            out.push((format!("{i}.{what}"), p.value.shape().to_vec()));
        }
    }
    out
}

fn le_bytes<'a>(values: impl Iterator<Item = &'a f32>) -> Vec<u8> {
    values.flat_map(|v| v.to_le_bytes()).collect()
}

/// (name, shape, little-endian f32 bytes) of every tensor to save. The momentum is saved
/// only when it matches the parameters (it is empty before the first step).
pub(super) fn tensors(
    network: &mut Network,
    velocity: &[ArrayD<f32>],
) -> Vec<(String, Vec<usize>, Vec<u8>)> {
    let names = tensor_layout(network);
    let params = network.params();
    let mut out: Vec<_> = names
        .iter()
        .zip(&params)
        .map(|((name, shape), p)| (name.clone(), shape.clone(), le_bytes(p.value.iter())))
        .collect();
    let fits = velocity.len() == names.len()
        && velocity
            .iter()
            .zip(&names)
            .all(|(v, (_, s))| v.shape() == s);
    if fits {
        for (v, (name, shape)) in velocity.iter().zip(&names) {
            let bytes = le_bytes(v.iter());
            out.push((format!("{MOMENTUM_PREFIX}{name}"), shape.clone(), bytes));
        }
    }
    out
}

fn mismatch(file: &str, reason: String) -> CheckpointError {
    CheckpointError::Mismatch {
        file: file.into(),
        reason,
    }
}

/// The f32 values of tensor `name`, checked: present, f32, of `shape`, and finite.
fn values(
    file: &str,
    st: &SafeTensors<'_>,
    name: &str,
    shape: &[usize],
) -> Result<Vec<f32>, CheckpointError> {
    let view = st.tensor(name).map_err(|_| {
        mismatch(
            file,
            format!("tensor {name} is missing (expected shape {shape:?})"),
        )
    })?;
    if view.dtype() != Dtype::F32 {
        let reason = format!("tensor {name} is {:?}, expected F32", view.dtype());
        return Err(mismatch(file, reason));
    }
    if view.shape() != shape {
        let reason = format!(
            "tensor {name} has shape {:?}, expected {shape:?}",
            view.shape()
        );
        return Err(mismatch(file, reason));
    }
    let data: Vec<f32> = view
        .data()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    if let Some(bad) = data.iter().find(|v| !v.is_finite()) {
        return Err(CheckpointError::NotFinite {
            file: file.into(),
            name: name.into(),
            what: if bad.is_nan() { "NaN" } else { "an infinity" },
        });
    }
    Ok(data)
}

/// Check every tensor of `st` against `network`'s layout, then copy the weights in and
/// return the momentum. On any error `network` may be half-filled: the caller drops it.
pub(super) fn restore(
    file: &str,
    st: &SafeTensors<'_>,
    network: &mut Network,
) -> Result<Vec<ArrayD<f32>>, CheckpointError> {
    let layout = tensor_layout(network);
    let has_momentum = st.names().iter().any(|n| n.starts_with(MOMENTUM_PREFIX));
    let mut known: HashSet<String> = layout.iter().map(|(n, _)| n.clone()).collect();
    if has_momentum {
        known.extend(layout.iter().map(|(n, _)| format!("{MOMENTUM_PREFIX}{n}")));
    }
    let mut names = st.names();
    names.sort();
    if let Some(extra) = names.iter().find(|n| !known.contains(**n)) {
        let reason = format!("unexpected tensor {extra} (this architecture has no such parameter)");
        return Err(mismatch(file, reason));
    }
    let weights = layout
        .iter()
        .map(|(name, shape)| values(file, st, name, shape))
        .collect::<Result<Vec<_>, _>>()?;
    let mut velocity = Vec::new();
    if has_momentum {
        for (name, shape) in &layout {
            let v = values(file, st, &format!("{MOMENTUM_PREFIX}{name}"), shape)?;
            velocity.push(ArrayD::from_shape_vec(shape.clone(), v).expect("checked shape"));
        }
    }
    for (mut p, w) in network.params().into_iter().zip(weights) {
        p.value.iter_mut().zip(w).for_each(|(dst, src)| *dst = src);
    }
    Ok(velocity)
}

/// The metadata entries, parsed and checked.
pub(super) fn parse_meta(
    file: &str,
    map: &HashMap<String, String>,
) -> Result<Meta, CheckpointError> {
    let bad = |key: &'static str, reason: String| CheckpointError::BadMeta {
        file: file.into(),
        key,
        reason,
    };
    let get = |key: &'static str| {
        map.get(key)
            .ok_or_else(|| bad(key, "missing".into()))
            .map(String::as_str)
    };
    let arch = serde_json::from_str(get("arch")?).map_err(|e| bad("arch", e.to_string()))?;
    let hyper: Hyper =
        serde_json::from_str(get("hyper")?).map_err(|e| bad("hyper", e.to_string()))?;
    check_hyper(&hyper).map_err(|reason| bad("hyper", reason))?;
    let number = |key: &'static str| -> Result<usize, CheckpointError> {
        get(key)?
            .parse()
            .map_err(|e| bad(key, format!("{e} (expected a count)")))
    };
    let state: RunState =
        serde_json::from_str(get("state")?).map_err(|e| bad("state", e.to_string()))?;
    state
        .shuffle_word_pos
        .parse::<u128>()
        .map_err(|e| bad("state", format!("shuffle_word_pos: {e}")))?;
    Ok(Meta {
        arch,
        hyper,
        step: number("step")?,
        epoch: number("epoch")?,
        state,
    })
}

/// What the engine cannot train with; the command line's own limits are checked there.
fn check_hyper(h: &Hyper) -> Result<(), String> {
    let ok = h.lr.is_finite()
        && h.lr > 0.0
        && (0.0..1.0).contains(&h.momentum)
        && h.weight_decay.is_finite()
        && h.weight_decay >= 0.0
        && (1..=4096).contains(&h.batch)
        && h.epochs >= 1;
    if ok {
        Ok(())
    } else {
        Err(format!(
            "lr {} (> 0), momentum {} (in [0, 1)), weight decay {} (≥ 0), batch {} (1..=4096), epochs {} (≥ 1)",
            h.lr, h.momentum, h.weight_decay, h.batch, h.epochs
        ))
    }
}

/// The PyTorch model these tensors load into, e.g.
/// `nn.Sequential(nn.Conv2d(1, 8, 3, stride=1, padding=1), nn.ReLU(), nn.MaxPool2d(2), …)`.
pub fn pytorch_sequential(plan: &ArchPlan) -> String {
    let modules: Vec<String> = plan
        .layers
        .iter()
        .map(|l| match l.kind {
            LayerKind::Conv => format!(
                "nn.Conv2d({}, {}, {}, stride={}, padding={})",
                l.in_shape[0], l.out_shape[0], l.kernel, l.stride, l.padding
            ),
            LayerKind::Relu => "nn.ReLU()".into(),
            LayerKind::MaxPool => format!("nn.MaxPool2d({})", l.kernel),
            LayerKind::AvgPool => format!("nn.AvgPool2d({})", l.kernel),
            LayerKind::Flatten => "nn.Flatten()".into(),
            LayerKind::Dense => format!("nn.Linear({}, {})", l.in_shape[0], l.out_shape[0]),
        })
        .collect();
    format!("nn.Sequential({})", modules.join(", "))
}
