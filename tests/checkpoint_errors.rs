//! Bad checkpoints: each gets an error that names the problem, never a network. Arbitrary and
//! damaged bytes never panic the loader.

use cnn_tui::checkpoint::{self, CheckpointError};
use cnn_tui::config::Arch;
use cnn_tui::nn::Network;
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use safetensors::{Dtype, SafeTensors, tensor::TensorView};
use std::collections::HashMap;

struct Parts {
    tensors: Vec<(String, Vec<usize>, Dtype, Vec<u8>)>,
    meta: HashMap<String, String>,
}

/// A valid checkpoint of the default network, with momentum when `momentum`.
fn valid(momentum: bool) -> Vec<u8> {
    let mut net = Network::new(&Arch::default().blocks, &mut ChaCha8Rng::seed_from_u64(3)).unwrap();
    let velocity: Vec<_> = if momentum {
        net.params()
            .iter()
            .map(|p| p.value.map(|v| v * 0.1))
            .collect()
    } else {
        Vec::new()
    };
    let meta = checkpoint::Meta {
        arch: Arch::default(),
        hyper: Default::default(),
        step: 5,
        epoch: 0,
        state: checkpoint::RunState {
            cursor: 160,
            shuffle_word_pos: "0".into(),
            rebuilds: 0,
            train_samples: 55_000,
        },
    };
    checkpoint::to_bytes(&mut net, &velocity, &meta)
}

/// Take a valid checkpoint apart, change it, and put it together again.
fn edited(edit: impl FnOnce(&mut Parts)) -> Vec<u8> {
    let bytes = valid(true);
    let st = SafeTensors::deserialize(&bytes).unwrap();
    let (_, header) = SafeTensors::read_metadata(&bytes).unwrap();
    let mut parts = Parts {
        tensors: st
            .tensors()
            .into_iter()
            .map(|(n, t)| (n, t.shape().to_vec(), t.dtype(), t.data().to_vec()))
            .collect(),
        meta: header.metadata().clone().unwrap(),
    };
    edit(&mut parts);
    let views = parts.tensors.iter().map(|(n, shape, dtype, data)| {
        (
            n.clone(),
            TensorView::new(*dtype, shape.clone(), data).unwrap(),
        )
    });
    let meta = (!parts.meta.is_empty()).then_some(parts.meta);
    safetensors::serialize(views, meta).unwrap()
}

fn load_err(bytes: &[u8]) -> CheckpointError {
    match checkpoint::from_bytes("ck", bytes) {
        Ok(_) => panic!("accepted"),
        Err(e) => e,
    }
}

fn assert_refused(bytes: &[u8], needle: &str) {
    let msg = load_err(bytes).to_string();
    assert!(msg.starts_with("ck: ") && msg.contains(needle), "{msg}");
}

#[test]
fn a_valid_checkpoint_loads() {
    for momentum in [false, true] {
        let ck = checkpoint::from_bytes("ck", &valid(momentum)).unwrap();
        assert_eq!(ck.velocity.len(), if momentum { 6 } else { 0 });
        assert_eq!((ck.meta.step, ck.meta.state.cursor), (5, 160));
    }
}

#[test]
fn corrupt_truncated_and_foreign_files() {
    assert_refused(b"not a checkpoint at all", "not a safetensors file");
    let bytes = valid(false);
    assert_refused(&bytes[..bytes.len() - 10], "not a safetensors file");
    assert_refused(&bytes[..5], "not a safetensors file (header too small)");
    let foreign = edited(|p| p.meta.clear());
    assert_refused(&foreign, "a safetensors file, but not a cnn-tui checkpoint");
    let other = edited(|p| {
        p.meta.insert("format".into(), "pt".into());
    });
    assert!(matches!(load_err(&other), CheckpointError::Foreign { .. }));
}

#[test]
fn tensors_that_do_not_fit_the_architecture() {
    let renamed = edited(|p| {
        p.tensors
            .iter_mut()
            .for_each(|t| t.0 = t.0.replace("7.weight", "8.weight"))
    });
    assert_refused(&renamed, "unexpected tensor 8.weight");
    let missing = edited(|p| p.tensors.retain(|t| t.0 != "0.bias"));
    assert_refused(&missing, "tensor 0.bias is missing (expected shape [8])");
    let half_momentum = edited(|p| p.tensors.retain(|t| t.0 != "sgd.momentum_buffer.3.weight"));
    assert_refused(
        &half_momentum,
        "tensor sgd.momentum_buffer.3.weight is missing",
    );
    let narrower = edited(|p| {
        let arch = p.meta["arch"].replacen("\"filters\":8", "\"filters\":4", 1);
        p.meta.insert("arch".into(), arch);
    });
    assert_refused(
        &narrower,
        "tensor 0.weight has shape [8, 1, 3, 3], expected [4, 1, 3, 3]",
    );
    let doubles = edited(|p| {
        let t = p.tensors.iter_mut().find(|t| t.0 == "7.bias").unwrap();
        t.2 = Dtype::F64;
        t.1 = vec![5];
    });
    assert_refused(&doubles, "tensor 7.bias is F64, expected F32");
}

#[test]
fn a_refused_architecture_or_bad_metadata() {
    let wide = edited(|p| {
        let arch = p.meta["arch"].replace("\"kernel\":3", "\"kernel\":9");
        p.meta.insert("arch".into(), arch);
    });
    assert_refused(
        &wide,
        "the checkpoint's architecture is refused: block 1: kernel must be in 1..=7, got 9",
    );
    let lr = edited(|p| {
        let hyper = p.meta["hyper"].replace("\"lr\":0.07", "\"lr\":-1.0");
        p.meta.insert("hyper".into(), hyper);
    });
    assert_refused(&lr, "checkpoint metadata \"hyper\" is wrong: lr -1 (> 0)");
    let step = edited(|p| {
        p.meta.insert("step".into(), "-3".into());
    });
    assert_refused(&step, "checkpoint metadata \"step\" is wrong");
    let no_state = edited(|p| {
        p.meta.remove("state");
    });
    assert_refused(&no_state, "checkpoint metadata \"state\" is wrong: missing");
}

#[test]
fn nan_weights_are_refused() {
    let nan = edited(|p| {
        let t = p.tensors.iter_mut().find(|t| t.0 == "3.weight").unwrap();
        t.3[8..12].copy_from_slice(&f32::NAN.to_le_bytes());
    });
    assert_refused(
        &nan,
        "tensor 3.weight holds NaN: the saved run had diverged",
    );
    let inf = edited(|p| {
        let t = p
            .tensors
            .iter_mut()
            .find(|t| t.0 == "sgd.momentum_buffer.7.bias")
            .unwrap();
        t.3[0..4].copy_from_slice(&f32::INFINITY.to_le_bytes());
    });
    assert_refused(&inf, "holds an infinity");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = checkpoint::from_bytes("fuzz", &bytes);
    }

    #[test]
    fn a_damaged_checkpoint_never_panics(
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
        cut in any::<usize>(),
    ) {
        let mut bytes = valid(true);
        for &(at, x) in &flips {
            let n = bytes.len();
            bytes[at % n] ^= x;
        }
        bytes.truncate(cut % (bytes.len() + 1) + bytes.len() / 2);
        if let Ok(mut ck) = checkpoint::from_bytes("fuzz", &bytes) {
            prop_assert!(ck.network.params().iter().all(|p| p.value.iter().all(|v| v.is_finite())));
        }
    }

    /// Damage inside the header (where the names, shapes and metadata are).
    #[test]
    fn a_damaged_header_never_panics(at in 8usize..600, x in 1u8..=255) {
        let mut bytes = valid(false);
        bytes[at] ^= x;
        let _ = checkpoint::from_bytes("fuzz", &bytes);
    }
}
