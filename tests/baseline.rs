//! The fully connected baseline trained beside the CNN: it leaves the CNN's results alone to
//! the bit, it learns, it costs little, and a reset starts it again.

use cnn_tui::config::{Arch, Hyper, Schedule};
use cnn_tui::data::dataset::Mnist;
use cnn_tui::train::messages::EvalSet;
use cnn_tui::train::trainer::Trainer;
use std::sync::{Arc, OnceLock};

fn mnist() -> Arc<Mnist> {
    static DATA: OnceLock<Arc<Mnist>> = OnceLock::new();
    DATA.get_or_init(|| Arc::new(Mnist::builtin(5000).unwrap()))
        .clone()
}

fn trainer(baseline: bool) -> Trainer {
    let hyper = Hyper {
        schedule: Schedule::Constant,
        ..Hyper::default()
    };
    let mut t = Trainer::new(&Arch::default(), hyper, mnist(), 2).unwrap();
    t.set_baseline(baseline);
    t
}

/// Each step's loss bits and every CNN parameter's bits after `steps` steps.
fn cnn_bits(t: &mut Trainer, steps: usize) -> (Vec<u32>, Vec<Vec<u32>>) {
    let losses = (0..steps)
        .map(|_| t.step().unwrap().loss.to_bits())
        .collect();
    let params = t
        .network_copy()
        .params()
        .iter()
        .map(|p| p.value.iter().map(|v| v.to_bits()).collect())
        .collect();
    (losses, params)
}

#[test]
fn the_baseline_does_not_change_the_cnns_results_by_a_bit() {
    let mut with = trainer(true);
    let mut without = trainer(false);
    let a = cnn_bits(&mut with, 60);
    let b = cnn_bits(&mut without, 60);
    assert!(with.baseline_on() && !without.baseline_on());
    assert_eq!(a.0, b.0, "the CNN's losses differ with the baseline on");
    assert!(
        a.1 == b.1,
        "the CNN's parameters differ with the baseline on"
    );
    // And it did train meanwhile.
    assert!(with.take_baseline_step().is_some_and(|s| s.step == 60));
    assert!(without.take_baseline_step().is_none());
}

#[test]
fn the_baseline_learns_and_costs_a_fraction_of_a_cnn_step() {
    let mut t = trainer(true);
    let before = t.evaluate_baseline(EvalSet::Validation).unwrap();
    assert!(before.accuracy < 0.3, "untrained: {}", before.accuracy);
    let (mut cnn, mut mlp) = (0.0f64, 0.0f64);
    for _ in 0..300 {
        t.step().unwrap();
        let s = t.take_baseline_step().unwrap();
        cnn += f64::from(s.cnn_secs);
        mlp += f64::from(s.mlp_secs);
    }
    let after = t.evaluate_baseline(EvalSet::Validation).unwrap();
    assert_eq!(after.step, 300);
    assert!(after.accuracy > 0.8, "after 300 steps: {}", after.accuracy);
    let ratio = mlp / cnn;
    eprintln!(
        "per batch: CNN {:.3} ms, MLP {:.3} ms, MLP/CNN = {:.3}",
        1000.0 * cnn / 300.0,
        1000.0 * mlp / 300.0,
        ratio
    );
    // Timings are noisy on a shared machine: the bound is loose; the note has the figures.
    assert!(ratio < 0.25, "the baseline costs {ratio:.2} of a CNN step");
}

#[test]
fn a_reset_starts_the_baseline_again_from_the_same_weights() {
    let mut t = trainer(true);
    let first = t.baseline_weights().unwrap();
    assert_eq!(first.params, 784 * 12 + 12 + 12 * 10 + 10);
    for _ in 0..5 {
        t.step().unwrap();
    }
    assert_ne!(t.baseline_weights().unwrap().first_layer, first.first_layer);
    t.reset();
    assert_eq!(t.baseline_weights().unwrap().first_layer, first.first_layer);
}
