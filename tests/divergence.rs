//! Divergence caught: a learning rate far too high makes the trainer stop and say so, and a
//! rewind brings back finite weights with half the rate; a reset clears it too.

use cnn_tui::config::{Arch, Hyper, Schedule};
use cnn_tui::data::dataset::Mnist;
use cnn_tui::train::guard::{CHECKPOINT_EVERY, DIVERGED_LOSS};
use cnn_tui::train::messages::{Divergence, DivergenceCause};
use cnn_tui::train::trainer::Trainer;
use std::sync::{Arc, OnceLock};

fn mnist() -> Arc<Mnist> {
    static DATA: OnceLock<Arc<Mnist>> = OnceLock::new();
    DATA.get_or_init(|| Arc::new(Mnist::builtin(5000).unwrap()))
        .clone()
}

fn trainer(lr: f32, momentum: f32) -> Trainer {
    let hyper = Hyper {
        lr,
        momentum,
        schedule: Schedule::Constant,
        ..Hyper::default()
    };
    Trainer::new(&Arch::default(), hyper, mnist(), 2).unwrap()
}

/// Steps until one diverges (at most `limit`).
fn run_until_divergence(t: &mut Trainer, limit: usize) -> Option<Divergence> {
    (0..limit).find_map(|_| t.step().err())
}

fn weights_finite(t: &Trainer) -> bool {
    t.network()
        .filters()
        .iter()
        .all(|f| f.iter().all(|w| w.is_finite()))
}

#[test]
fn a_rate_of_a_thousand_diverges_within_a_few_hundred_steps_and_stops() {
    let mut t = trainer(1e3, 0.9);
    let d = run_until_divergence(&mut t, 300).expect("no divergence in 300 steps");
    assert!(d.step <= 300, "{d:?}");
    assert_eq!(d.lr, 1e3);
    assert!(
        !d.loss.is_finite()
            || d.loss > DIVERGED_LOSS
            || d.cause == DivergenceCause::WeightNotFinite,
        "{d:?}"
    );
    // It takes no more steps, and says the same each time (NaN is not equal to itself, so
    // the rest is compared).
    let again = t.step().unwrap_err();
    assert_eq!((again.step, again.cause, again.lr), (d.step, d.cause, d.lr));
    assert_eq!(t.step_count(), d.step);
    assert_eq!(t.diverged().map(|x| x.step), Some(d.step));
}

#[test]
fn a_rewind_restores_finite_weights_with_half_the_rate() {
    // A sound run first, long enough for a copy of its weights; then the rate pushed up.
    let mut t = trainer(0.07, 0.9);
    for _ in 0..CHECKPOINT_EVERY {
        t.step().expect("a sound rate does not diverge");
    }
    let kept = t.network().filters();
    for _ in 0..10 {
        t.step().unwrap();
    }
    assert_eq!(t.good_step(), CHECKPOINT_EVERY);
    let fast = Hyper {
        lr: 1e3,
        ..*t.hyper()
    };
    t.set_hyper(fast).unwrap();
    let d = run_until_divergence(&mut t, 300).expect("no divergence");
    assert_eq!(d.rewind_to, CHECKPOINT_EVERY);
    let r = t.rewind().expect("a diverged trainer rewinds");
    assert_eq!((r.from_step, r.to_step), (d.step, CHECKPOINT_EVERY));
    assert_eq!((r.lr_before, r.lr_after), (1e3, 500.0));
    assert_eq!(t.hyper().lr, 500.0);
    assert!(weights_finite(&t));
    assert_eq!(t.network().filters(), kept, "the weights of step 250");
    assert_eq!(t.diverged(), None);
    assert_eq!(t.step_count(), d.step, "the step count goes on");
    // With a sound rate again, training goes on from there.
    let sound = Hyper {
        lr: 0.07,
        ..*t.hyper()
    };
    t.set_hyper(sound).unwrap();
    for _ in 0..20 {
        t.step().expect("sound again");
    }
    assert!(weights_finite(&t));
}

#[test]
fn nothing_to_rewind_before_a_divergence_and_a_reset_clears_one() {
    let mut t = trainer(1e3, 0.9);
    assert!(t.rewind().is_none());
    let initial = t.network().filters();
    run_until_divergence(&mut t, 300).expect("no divergence");
    t.reset();
    assert_eq!(t.diverged(), None);
    assert_eq!(t.network().filters(), initial);
    assert!(weights_finite(&t));
}

#[test]
fn a_sound_run_never_diverges() {
    let mut t = trainer(0.07, 0.9);
    for _ in 0..600 {
        t.step().expect("the default rate is sound");
    }
    assert!(t.good_step() >= 2 * CHECKPOINT_EVERY);
}
