//! Checkpoints: a resumed run reaches the very weights of one that never stopped; the tensors
//! are where PyTorch's `state_dict` has them; the save is atomic.

use cnn_tui::checkpoint::{self, MOMENTUM_PREFIX};
use cnn_tui::config::{Arch, ConvBlock, Hyper, PoolKind, Schedule};
use cnn_tui::data::dataset::{Dataset, Mnist};
use cnn_tui::nn::{Network, Tensor};
use cnn_tui::train::trainer::Trainer;
use ndarray::ArrayD;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// 200 training and 20 test images of the built-in MNIST: 7 steps an epoch at batch 32.
fn small() -> Arc<Mnist> {
    let m = Mnist::builtin(0).unwrap();
    let cut = |set: &Dataset, n: usize| {
        let pixels = (0..n).flat_map(|i| set.image_bytes(i).to_vec()).collect();
        Dataset::new(pixels, set.labels()[..n].to_vec())
    };
    Arc::new(Mnist {
        name: "small".into(),
        train: cut(&m.train, 200),
        validation: cut(&m.test, 20),
        test: cut(&m.test, 20),
    })
}

/// The trainer's weights, through a checkpoint file: exactly what a file would hold.
fn weights(t: &mut Trainer) -> Vec<ArrayD<f32>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.safetensors");
    t.save(&path).unwrap();
    let mut ck = checkpoint::load(&path).unwrap();
    ck.network
        .params()
        .into_iter()
        .map(|p| p.value.to_owned())
        .collect()
}

#[test]
fn a_resumed_run_reaches_the_same_weights_as_one_that_never_stopped() {
    let hyper = Hyper {
        batch: 32,
        epochs: 3,
        schedule: Schedule::Cosine,
        ..Hyper::default()
    };
    let (before, after) = (10, 9); // stop mid-epoch 2, go on into epoch 3
    let mut straight = Trainer::new(&Arch::default(), hyper, small(), 2).unwrap();
    let mut losses = Vec::new();
    for _ in 0..before + after {
        losses.push(straight.step().expect("finite").loss);
    }

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.safetensors");
    let mut first = Trainer::new(&Arch::default(), hyper, small(), 2).unwrap();
    for _ in 0..before {
        first.step().expect("finite");
    }
    first.save(&path).unwrap();
    drop(first);
    let ck = checkpoint::load(&path).unwrap();
    assert_eq!((ck.meta.step, ck.meta.epoch), (10, 1));
    assert_eq!(ck.velocity.len(), 6, "momentum of 3 weights and 3 biases");
    let h = ck.meta.hyper;
    let mut resumed = Trainer::resume(ck, h, small(), 2).unwrap();
    let resumed_losses: Vec<f32> = (0..after)
        .map(|_| resumed.step().expect("finite").loss)
        .collect();
    assert_eq!(resumed_losses, losses[before..], "losses after the resume");
    assert_eq!(resumed.step_count(), before + after);
    assert_eq!(weights(&mut resumed), weights(&mut straight));

    // The momentum matters: without it the run goes elsewhere (so the test above can fail).
    let mut ck = checkpoint::load(&path).unwrap();
    ck.velocity.clear();
    let mut forgetful = Trainer::resume(ck, h, small(), 2).unwrap();
    let forgetful_losses: Vec<f32> = (0..after)
        .map(|_| forgetful.step().expect("finite").loss)
        .collect();
    assert_ne!(forgetful_losses, losses[before..]);
}

#[test]
fn a_checkpoint_at_an_epoch_end_goes_on_with_the_next_epoch() {
    let hyper = Hyper {
        schedule: Schedule::Constant,
        ..Hyper::default()
    };
    let mut straight = Trainer::new(&Arch::default(), hyper, small(), 1).unwrap();
    let mut resumed = Trainer::new(&Arch::default(), hyper, small(), 1).unwrap();
    while !resumed.epoch_done() {
        straight.step().expect("finite");
        resumed.step().expect("finite");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("epoch1.safetensors");
    resumed.save(&path).unwrap();
    let ck = checkpoint::load(&path).unwrap();
    let mut resumed = Trainer::resume(ck, hyper, small(), 1).unwrap();
    assert_eq!(resumed.epochs_done(), 1);
    for _ in 0..8 {
        let (a, b) = (
            straight.step().expect("finite"),
            resumed.step().expect("finite"),
        );
        assert_eq!((a.loss, a.epoch, a.step), (b.loss, b.epoch, b.step));
    }
}

/// One 1×1 conv with two filters (weights 1 and 2, biases 0.5 and −1), no pooling, then the
/// dense layer: `nn.Sequential(Conv2d(1, 2, 1), ReLU(), Flatten(), Linear(1568, 10))`.
fn hand_network() -> Network {
    let arch = Arch {
        blocks: vec![ConvBlock {
            padding: 0,
            ..ConvBlock::new(2, 1, PoolKind::None)
        }],
    };
    let mut net = Network::new(&arch.blocks, &mut ChaCha8Rng::seed_from_u64(1)).unwrap();
    let mut params = net.params();
    params[0].value.assign(
        &ndarray::arr1(&[1.0f32, 2.0])
            .into_shape_with_order((2, 1, 1, 1))
            .unwrap()
            .into_dyn(),
    );
    params[1]
        .value
        .assign(&ndarray::arr1(&[0.5f32, -1.0]).into_dyn());
    // Dense row o reads flattened input 100·o + 37: channel 0 for o < 8, channel 1 after.
    params[2].value.fill(0.0);
    for o in 0..10 {
        params[2].value[[o, 100 * o + 37]] = 1.0;
    }
    params[3]
        .value
        .assign(&ndarray::Array1::from_shape_fn(10, |o| o as f32 / 10.0).into_dyn());
    drop(params);
    net
}

#[test]
fn the_layout_is_pytorchs_state_dict() {
    let mut net = hand_network();
    let meta = checkpoint::Meta {
        arch: Arch {
            blocks: net.blocks().to_vec(),
        },
        hyper: Hyper::default(),
        step: 0,
        epoch: 0,
        state: checkpoint::RunState {
            cursor: 0,
            shuffle_word_pos: "0".into(),
            rebuilds: 0,
            train_samples: 0,
        },
    };
    let bytes = checkpoint::to_bytes(&mut net, &[], &meta);
    let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let mut names = st.names();
    names.sort();
    assert_eq!(names, ["0.bias", "0.weight", "3.bias", "3.weight"]);
    let f32s = |name: &str| -> (Vec<usize>, Vec<f32>) {
        let t = st.tensor(name).unwrap();
        let v = t
            .data()
            .chunks(4)
            .map(|b| f32::from_le_bytes(b.try_into().unwrap()));
        (t.shape().to_vec(), v.collect())
    };
    assert_eq!(f32s("0.weight"), (vec![2, 1, 1, 1], vec![1.0, 2.0]));
    assert_eq!(f32s("0.bias"), (vec![2], vec![0.5, -1.0]));
    let (shape, w) = f32s("3.weight");
    assert_eq!(shape, [10, 1568]);
    assert_eq!(w[3 * 1568 + 337], 1.0); // row 3, column 337 (row-major [out, in])
    assert_eq!(w.iter().filter(|&&x| x != 0.0).count(), 10);

    // By hand, as PyTorch computes it: pixel p = (h, w) of the image, conv channel c gives
    // relu(weight[c]·x[p] + bias[c]); nn.Flatten puts it at c·784 + h·28 + w.
    // Row 3 reads index 337 = channel 0, (12, 1); row 9 reads 937 = channel 1, (5, 13).
    let image = Tensor::from_shape_fn((1, 1, 28, 28), |(_, _, h, w)| (h * 28 + w) as f32 / 100.0);
    let logits = net.forward(&image);
    let x = |h: usize, w: usize| (h * 28 + w) as f32 / 100.0;
    let row3 = (1.0 * x(12, 1) + 0.5f32).max(0.0) + 0.3;
    let row9 = (2.0 * x(5, 13) - 1.0f32).max(0.0) + 0.9;
    assert!((row3 - 4.17).abs() < 1e-5 && (row9 - 2.96).abs() < 1e-5);
    assert!(
        (logits[[0, 3]] - row3).abs() < 1e-5,
        "{} vs {row3}",
        logits[[0, 3]]
    );
    assert!(
        (logits[[0, 9]] - row9).abs() < 1e-5,
        "{} vs {row9}",
        logits[[0, 9]]
    );
    // Every row, the same way.
    for o in 0..10 {
        let (c, p) = ((100 * o + 37) / 784, (100 * o + 37) % 784);
        let conv = [1.0f32, 2.0][c] * x(p / 28, p % 28) + [0.5f32, -1.0][c];
        let expected = conv.max(0.0) + o as f32 / 10.0;
        assert!((logits[[0, o]] - expected).abs() < 1e-4, "row {o}");
    }
    let meta_map = safetensors::SafeTensors::read_metadata(&bytes).unwrap().1;
    let map = meta_map.metadata().as_ref().unwrap();
    assert_eq!(
        map["pytorch"],
        "nn.Sequential(nn.Conv2d(1, 2, 1, stride=1, padding=0), nn.ReLU(), nn.Flatten(), nn.Linear(1568, 10))"
    );
    assert_eq!(map["format"], "cnn-tui/1");
    assert!(map["arch"].contains("\"filters\":2"), "{}", map["arch"]);
}

#[test]
fn the_default_network_numbers_its_layers_as_nn_sequential() {
    let mut net = Network::new(&Arch::default().blocks, &mut ChaCha8Rng::seed_from_u64(1)).unwrap();
    let layout = checkpoint::tensor_layout(&mut net);
    let expected = [
        ("0.weight", vec![8, 1, 3, 3]),
        ("0.bias", vec![8]),
        ("3.weight", vec![16, 8, 3, 3]),
        ("3.bias", vec![16]),
        ("7.weight", vec![10, 784]),
        ("7.bias", vec![10]),
    ];
    let got: Vec<(&str, Vec<usize>)> = layout
        .iter()
        .map(|(n, s)| (n.as_str(), s.clone()))
        .collect();
    assert_eq!(got, expected);
    assert!(MOMENTUM_PREFIX.ends_with('.'));
}

#[test]
fn a_save_is_atomic_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.safetensors");
    let mut t = Trainer::new(&Arch::default(), Hyper::default(), small(), 1).unwrap();
    t.save(&path).unwrap();
    t.step().expect("finite");
    t.save(&path).unwrap(); // over the old one
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["run.safetensors"]);
    assert_eq!(checkpoint::load(&path).unwrap().meta.step, 1);
    let err = t.save(dir.path()).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("is a directory, not a checkpoint file"),
        "{err}"
    );
    let err = t
        .save(&dir.path().join("no/such/folder/x.safetensors"))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot be written: No such file or directory"),
        "{err}"
    );
}

#[test]
fn restore_replaces_a_running_trainer_of_another_architecture() {
    let hyper = Hyper {
        schedule: Schedule::Constant,
        ..Hyper::default()
    };
    let mut saved = Trainer::new(&Arch::default(), hyper, small(), 1).unwrap();
    for _ in 0..4 {
        saved.step().expect("finite");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("four.safetensors");
    saved.save(&path).unwrap();
    let tiny = Arch::preset(cnn_tui::config::Preset::Tiny);
    let mut other = Trainer::new(&tiny, Hyper { seed: 9, ..hyper }, small(), 1).unwrap();
    other.step().expect("finite");
    other
        .restore(checkpoint::load(&path).unwrap(), hyper)
        .unwrap();
    assert_eq!(other.arch(), Arch::default());
    assert_eq!(other.hyper().seed, 42, "the checkpoint's seed");
    for _ in 0..5 {
        let (a, b) = (saved.step().expect("finite"), other.step().expect("finite"));
        let key = |m: cnn_tui::train::messages::StepMetrics| {
            (
                m.step,
                m.epoch,
                m.epoch_progress,
                m.loss,
                m.batch_accuracy,
                m.lr,
            )
        };
        assert_eq!(key(a), key(b));
    }
}
