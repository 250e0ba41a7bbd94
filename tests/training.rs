//! The trainer on real MNIST: sanity checks from cs231n's list, repeatability, live edits.

use cnn_tui::config::{Arch, Hyper, PoolKind, Schedule};
use cnn_tui::data::dataset::Mnist;
use cnn_tui::train::messages::EvalSet;
use cnn_tui::train::trainer::Trainer;
use std::sync::{Arc, OnceLock};

fn mnist() -> Arc<Mnist> {
    static DATA: OnceLock<Arc<Mnist>> = OnceLock::new();
    DATA.get_or_init(|| Arc::new(Mnist::builtin(5000).unwrap()))
        .clone()
}

fn hyper() -> Hyper {
    Hyper {
        schedule: Schedule::Constant,
        ..Hyper::default()
    }
}

#[test]
fn first_loss_is_about_ln_10() {
    let mut t = Trainer::new(&Arch::default(), hyper(), mnist(), 2).unwrap();
    let first = t.step().unwrap().loss;
    assert!(
        (first - 10f32.ln()).abs() < 0.35,
        "first loss {first}, expected ≈ 2.303"
    );
}

#[test]
fn twenty_samples_can_be_overfitted() {
    let data = mnist();
    let pixels: Vec<u8> = (0..20)
        .flat_map(|i| data.train.image_bytes(i).to_vec())
        .collect();
    let labels: Vec<u8> = (0..20).map(|i| data.train.label(i)).collect();
    let small = cnn_tui::data::dataset::Dataset::new(pixels, labels);
    let tiny = Arc::new(Mnist {
        name: "20 images".into(),
        train: small.clone(),
        validation: small.clone(),
        test: small,
    });
    let h = Hyper {
        batch: 10,
        lr: 0.05,
        ..hyper()
    };
    let mut t = Trainer::new(&Arch::default(), h, tiny, 1).unwrap();
    for _ in 0..300 {
        t.step().unwrap();
    }
    let eval = t.evaluate(EvalSet::Validation);
    assert_eq!(eval.accuracy, 1.0, "loss {}", eval.loss);
    assert!(eval.loss < 0.05, "loss {}", eval.loss);
}

#[test]
fn a_seeded_run_is_repeatable_bit_for_bit() {
    let run = || {
        let mut t = Trainer::new(&Arch::default(), hyper(), mnist(), 2).unwrap();
        let losses: Vec<u32> = (0..30).map(|_| t.step().unwrap().loss.to_bits()).collect();
        (losses, t.network().filters())
    };
    let (a, fa) = run();
    let (b, fb) = run();
    assert_eq!(a, b);
    assert_eq!(fa, fb);
}

#[test]
fn reset_returns_to_the_initial_weights() {
    let mut t = Trainer::new(&Arch::default(), hyper(), mnist(), 2).unwrap();
    let initial = t.network().filters();
    for _ in 0..5 {
        t.step().unwrap();
    }
    assert_ne!(t.network().filters(), initial);
    t.reset();
    assert_eq!(t.network().filters(), initial);
    assert_eq!(t.step_count(), 0);
}

#[test]
fn a_stride_change_keeps_the_filters_and_reinitialises_the_dense_layer() {
    let mut t = Trainer::new(&Arch::default(), hyper(), mnist(), 2).unwrap();
    for _ in 0..5 {
        t.step().unwrap();
    }
    let before = t.network().filters();
    let mut arch = Arch::default();
    arch.blocks[0].stride = 2;
    let outcome = t.set_arch(&arch).unwrap();
    assert_eq!(outcome.kept, vec!["conv1", "conv2"]);
    assert_eq!(outcome.reinitialised, vec!["dense"]);
    assert_eq!(
        outcome.summary(),
        "conv1 stride 1→2: conv1 28×28→14×14, conv2 14×14→7×7, dense input 784→144 — kept conv1, conv2; re-initialised dense"
    );
    assert_eq!(t.network().filters(), before);
    t.step().unwrap();
}

#[test]
fn max_to_avg_keeps_every_weight() {
    let mut t = Trainer::new(&Arch::default(), hyper(), mnist(), 2).unwrap();
    let before = t.network().filters();
    let mut arch = Arch::default();
    arch.blocks[1].pool = PoolKind::Avg;
    let outcome = t.set_arch(&arch).unwrap();
    assert!(outcome.reinitialised.is_empty(), "{outcome:?}");
    assert_eq!(outcome.summary(), "conv2 pool max→avg — every weight kept");
    assert_eq!(t.network().filters(), before);
}

#[test]
fn an_impossible_architecture_is_refused_and_training_goes_on() {
    let mut t = Trainer::new(&Arch::default(), hyper(), mnist(), 2).unwrap();
    let mut arch = Arch::default();
    arch.blocks[0].kernel = 7;
    arch.blocks[0].padding = 0;
    arch.blocks[0].stride = 4; // 28 → 6, pool → 3, conv2 3×3 p1 → 3, pool 2 → 1: fine
    arch.blocks[1].kernel = 7; // 3 + 2·3 − 7 … padding 1 → 3 + 2 − 7 < 0
    assert!(t.set_arch(&arch).is_err());
    assert_eq!(t.arch(), Arch::default());
    t.step().unwrap();
}

#[test]
fn hyperparameters_apply_without_a_reset() {
    let mut t = Trainer::new(&Arch::default(), hyper(), mnist(), 2).unwrap();
    t.step().unwrap();
    t.set_hyper(Hyper {
        lr: 0.01,
        batch: 64,
        ..hyper()
    })
    .unwrap();
    let m = t.step().unwrap();
    assert_eq!(m.lr, 0.01);
    assert_eq!(m.step, 2);
    assert_eq!(t.steps_per_epoch(), 55_000usize.div_ceil(64));
    assert!(
        t.set_hyper(Hyper {
            batch: 0,
            ..hyper()
        })
        .is_err()
    );
}

#[test]
fn the_probe_snapshot_traces_every_layer() {
    let mut t = Trainer::new(&Arch::default(), hyper(), mnist(), 2).unwrap();
    let s = t.snapshot(10_003);
    assert_eq!(s.probe_index, 3, "wraps around the 10,000 test images");
    assert_eq!(s.probe_label, mnist().test.label(3));
    let names: Vec<_> = s
        .feature_maps
        .iter()
        .map(|m| (m.layer.as_str(), m.maps.dim()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("conv1", (8, 28, 28)),
            ("relu1", (8, 28, 28)),
            ("maxpool1", (8, 14, 14)),
            ("conv2", (16, 14, 14)),
            ("relu2", (16, 14, 14)),
            ("maxpool2", (16, 7, 7)),
        ]
    );
    assert!((s.probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    assert_eq!(
        s.filters[1].dim(),
        (16, 8, 3, 3),
        "conv2's filters are as deep as conv1 has maps"
    );
}
