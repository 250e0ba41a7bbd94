//! Checkpoints: a run's weights, momentum and state in one safetensors file that PyTorch
//! loads as it is.
//!
//! # Layout
//! Tensors are named and laid out as the `state_dict()` of the equivalent `nn.Sequential`:
//! its modules are numbered as the network's layers are (conv 0, ReLU 1, pool 2, conv 3, …,
//! flatten, linear), so conv1's weight is `0.weight` `[out, in, k, k]` and its bias `0.bias`
//! `[out]`; the dense layer's weight is `[10, D]` over the flattened maps in the order
//! (C, H, W), as `nn.Flatten` gives them. All f32, little-endian.
//!
//! The optimiser's momentum is saved too, as `sgd.momentum_buffer.<name>` for each parameter
//! (PyTorch's SGD keeps the same buffer under that name), so that a resumed run goes on
//! exactly as if it had never stopped. `load_state_dict(strict=False)` ignores those tensors.
//!
//! The metadata (strings, as safetensors requires) holds `format`, `arch` and `hyper` (JSON),
//! `step`, `epoch`, `seed`, `state` (JSON: where the run is in its epoch) and `pytorch` (the
//! equivalent `nn.Sequential`, for people).
//!
//! Files are written to a temporary file in the same folder and renamed over the target, so
//! a crash never leaves half a checkpoint. Loading checks everything before it returns
//! anything: a file that is not a checkpoint, or not this architecture's, changes nothing.

mod layout;

pub use layout::{MOMENTUM_PREFIX, pytorch_sequential, tensor_layout};

use crate::config::{Arch, Hyper};
use crate::data::files::{self, OpenError};
use crate::nn::Network;
use crate::nn::plan::ArchError;
use ndarray::ArrayD;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::Path;
use thiserror::Error;

/// The value of the `format` metadata key; a file without it is not a cnn-tui checkpoint.
pub const FORMAT: &str = "cnn-tui/1";
/// Larger than any network cnn-tui can build (three 64-filter 7×7 blocks and their dense
/// layer, with momentum, take under 10 MB): a larger file is refused before it is read.
pub const MAX_BYTES: u64 = 64 << 20;

/// Where a run is: everything besides the tensors that resuming it needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub arch: Arch,
    pub hyper: Hyper,
    /// Steps done since the start (or the last reset).
    pub step: usize,
    /// 0-based epoch of the last step.
    pub epoch: usize,
    pub state: RunState,
}

/// Where the run is inside its epoch, so that a resumed run sees the same batches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunState {
    /// Samples of the current epoch's order already used.
    pub cursor: usize,
    /// Position of the shuffling generator (ChaCha8 seeded with seed + 1) before it shuffled
    /// the current epoch; a string, since JSON numbers cannot hold every u128.
    pub shuffle_word_pos: String,
    /// Architecture rebuilds so far (each seeds its new layers differently).
    pub rebuilds: u64,
    /// Size of the training set the run used.
    pub train_samples: usize,
}

/// A loaded checkpoint: the network with its weights, the momentum, and the run's state.
pub struct Checkpoint {
    pub meta: Meta,
    pub network: Network,
    /// Momentum of each parameter tensor in `Network::params` order; empty when the file has
    /// none (saved before the first step, or after a reset).
    pub velocity: Vec<ArrayD<f32>>,
}

#[derive(Debug, Error)]
pub enum CheckpointError {
    #[error("{file}: missing (no checkpoint there)")]
    Missing { file: String },
    #[error("{file}: is {what}, not a checkpoint file")]
    NotAFile { file: String, what: &'static str },
    // OS errors are in the message and not a `source`, so that anyhow's chain shows them once.
    #[error("{file}: cannot be read: {error}")]
    Read { file: String, error: io::Error },
    #[error("{file}: cannot be written: {error}")]
    Write { file: String, error: io::Error },
    #[error("{file}: {bytes} bytes is too large for a cnn-tui checkpoint (at most {MAX_BYTES})")]
    TooLarge { file: String, bytes: u64 },
    #[error("{file}: not a safetensors file ({reason})")]
    NotSafetensors { file: String, reason: String },
    #[error(
        "{file}: a safetensors file, but not a cnn-tui checkpoint (no \"format\": \"{FORMAT}\" in its metadata)"
    )]
    Foreign { file: String },
    #[error("{file}: checkpoint metadata \"{key}\" is wrong: {reason}")]
    BadMeta {
        file: String,
        key: &'static str,
        reason: String,
    },
    #[error("{file}: the checkpoint's architecture is refused: {error}")]
    Arch { file: String, error: ArchError },
    #[error("{file}: does not fit its architecture: {reason}")]
    Mismatch { file: String, reason: String },
    #[error("{file}: tensor {name} holds {what}: the saved run had diverged")]
    NotFinite {
        file: String,
        name: String,
        what: &'static str,
    },
}

/// The name the dashboard gives a checkpoint of `step`, e.g. `cnn-tui-step4210.safetensors`.
pub fn file_name(step: usize) -> String {
    format!("cnn-tui-step{step}.safetensors")
}

/// Save a network, the optimiser's momentum (`Sgd::velocity`, may be empty) and the run's
/// state to `path`, atomically: a temporary file in the same folder, then a rename.
pub fn save(
    network: &mut Network,
    velocity: &[ArrayD<f32>],
    meta: &Meta,
    path: &Path,
) -> Result<(), CheckpointError> {
    check_target(path)?;
    let bytes = to_bytes(network, velocity, meta);
    write_atomic(path, &bytes).map_err(|error| CheckpointError::Write {
        file: path.display().to_string(),
        error,
    })
}

/// Check now that a checkpoint could be saved at `path` (before a run's first epoch):
/// a temporary file is created in its folder and removed.
pub fn check_writable(path: &Path) -> Result<(), CheckpointError> {
    check_target(path)?;
    temp_in(path)
        .map(drop)
        .map_err(|error| CheckpointError::Write {
            file: path.display().to_string(),
            error,
        })
}

/// A checkpoint replaces a file, never a directory or a device.
fn check_target(path: &Path) -> Result<(), CheckpointError> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => Err(CheckpointError::NotAFile {
            file: path.display().to_string(),
            what: if m.is_dir() {
                "a directory"
            } else {
                "not a regular file"
            },
        }),
        _ => Ok(()),
    }
}

/// A new temporary file in `path`'s folder (so that the rename stays on one file system).
fn temp_in(path: &Path) -> io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".cnn-tui-checkpoint-").suffix(".tmp");
    #[cfg(unix)]
    {
        // Readable by others, as a file written by `cp` would be: checkpoints are for sharing.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder.tempfile_in(dir)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp = temp_in(path)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The checkpoint's bytes: tensors in the PyTorch layout, then the metadata.
pub fn to_bytes(network: &mut Network, velocity: &[ArrayD<f32>], meta: &Meta) -> Vec<u8> {
    let tensors = layout::tensors(network, velocity);
    let views = tensors.iter().map(|(name, shape, bytes)| {
        let view =
            safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shape.clone(), bytes)
                .expect("the bytes are the shape's f32s");
        (name.as_str(), view)
    });
    let map = meta_map(meta, network);
    safetensors::serialize(views, Some(map)).expect("a few small tensors serialise")
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serialises")
}

fn meta_map(meta: &Meta, network: &Network) -> HashMap<String, String> {
    let entries = [
        ("format", FORMAT.to_string()),
        ("arch", json(&meta.arch)),
        ("hyper", json(&meta.hyper)),
        ("step", meta.step.to_string()),
        ("epoch", meta.epoch.to_string()),
        ("seed", meta.hyper.seed.to_string()),
        ("state", json(&meta.state)),
        ("pytorch", pytorch_sequential(network.plan())),
    ];
    entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// Load and check a checkpoint. Nothing is returned unless every tensor and every metadata
/// entry fits the architecture the file names.
pub fn load(path: &Path) -> Result<Checkpoint, CheckpointError> {
    let file = path.display().to_string();
    let handle = files::open_regular(path).map_err(|e| match e {
        OpenError::NotFound => CheckpointError::Missing { file: file.clone() },
        OpenError::NotAFile(what) => CheckpointError::NotAFile {
            file: file.clone(),
            what,
        },
        OpenError::Io(error) => CheckpointError::Read {
            file: file.clone(),
            error,
        },
    })?;
    let mut bytes = Vec::new();
    handle
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| CheckpointError::Read {
            file: file.clone(),
            error,
        })?;
    if bytes.len() as u64 > MAX_BYTES {
        let bytes = std::fs::metadata(path).map_or(MAX_BYTES + 1, |m| m.len());
        return Err(CheckpointError::TooLarge { file, bytes });
    }
    from_bytes(&file, &bytes)
}

/// `load` on bytes in memory; `file` names them in errors.
pub fn from_bytes(file: &str, bytes: &[u8]) -> Result<Checkpoint, CheckpointError> {
    let not_safetensors = |e: safetensors::SafeTensorError| CheckpointError::NotSafetensors {
        file: file.into(),
        reason: e.to_string(),
    };
    let tensors = safetensors::SafeTensors::deserialize(bytes).map_err(not_safetensors)?;
    let (_, header) = safetensors::SafeTensors::read_metadata(bytes).map_err(not_safetensors)?;
    let empty = HashMap::new();
    let map = header.metadata().as_ref().unwrap_or(&empty);
    if map.get("format").map(String::as_str) != Some(FORMAT) {
        return Err(CheckpointError::Foreign { file: file.into() });
    }
    let meta = layout::parse_meta(file, map)?;
    // Every weight is overwritten below; the seed only fills the network until then.
    let mut network =
        Network::new(&meta.arch.blocks, &mut ChaCha8Rng::seed_from_u64(0)).map_err(|error| {
            CheckpointError::Arch {
                file: file.into(),
                error,
            }
        })?;
    let velocity = layout::restore(file, &tensors, &mut network)?;
    Ok(Checkpoint {
        meta,
        network,
        velocity,
    })
}
