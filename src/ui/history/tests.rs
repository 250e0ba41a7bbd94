use super::*;

fn step(step: usize, epoch: usize, loss: f32) -> StepMetrics {
    StepMetrics {
        step,
        epoch,
        epoch_progress: 0.0,
        loss,
        batch_accuracy: 0.9,
        lr: 0.07,
        samples_per_sec: 1000.0,
    }
}

#[test]
fn history_restarts_with_a_reset_marker_when_steps_go_back() {
    let mut h = History::default();
    h.push_step(&step(10, 0, 2.0));
    h.push_step(&step(11, 0, 1.0));
    h.push_step(&step(1, 0, 2.3));
    assert_eq!(h.loss.points(), vec![(1.0, 2.3f32 as f64)]);
    assert_eq!(h.markers.len(), 1);
    assert_eq!(
        (h.markers[0].step, h.markers[0].kind),
        (0, MarkerKind::Reset)
    );
}

#[test]
fn markers_sit_at_the_step_they_happened_and_settings_are_worded() {
    let mut h = History::default();
    let hyper = Hyper::default();
    h.confirm_hyper(&hyper);
    assert!(h.markers.is_empty(), "the first settings are no change");
    for s in 1..=120 {
        h.push_step(&step(s, 0, 1.0));
    }
    h.mark(MarkerKind::Edit, "conv1 stride 1→2".into());
    for s in 121..=300 {
        h.push_step(&step(s, 0, 1.0));
    }
    h.confirm_hyper(&Hyper {
        lr: 0.1,
        momentum: 0.99,
        ..hyper
    });
    h.confirm_hyper(&Hyper {
        lr: 0.1,
        momentum: 0.99,
        ..hyper
    });
    let marks: Vec<_> = h
        .markers
        .iter()
        .map(|m| (m.step, m.label.as_str()))
        .collect();
    assert_eq!(
        marks,
        vec![
            (120, "conv1 stride 1→2"),
            (300, "lr 0.07→0.1, momentum 0.9→0.99")
        ]
    );
    assert_eq!(
        h.run_start(),
        120,
        "a changed setting starts no run, a rebuild does"
    );
    h.mark(MarkerKind::Diverged, "diverged".into());
    h.mark(MarkerKind::Rewind, "rewound to step 250".into());
    assert_eq!(h.run_start(), 120, "nor a divergence or a rewind");
    h.mark(MarkerKind::Reset, "reset".into());
    assert_eq!(h.run_start(), 300);
}

#[test]
fn epoch_boundaries_are_the_first_step_of_each_epoch() {
    let mut h = History::default();
    for s in 1..=10 {
        h.push_step(&step(s, (s - 1) / 4, 1.0));
    }
    assert_eq!(h.epochs, [(5, 1), (9, 2)]);
}

#[test]
fn markers_and_epochs_stay_bounded() {
    let mut h = History::default();
    for s in 1..=3 * MARKS_CAP {
        h.push_step(&step(s, s, 1.0));
        h.mark(MarkerKind::Setting, format!("lr {s}"));
    }
    assert_eq!(h.markers.len(), MARKS_CAP);
    assert_eq!(h.epochs.len(), MARKS_CAP);
    assert_eq!(
        h.markers.back().unwrap().step,
        3 * MARKS_CAP,
        "the newest are kept"
    );
}

#[test]
fn the_loss_falling_tenfold_is_noticed_and_nan_is_never_stored() {
    let mut h = History::default();
    h.push_step(&step(1, 0, 2.3));
    h.push_step(&step(2, 0, f32::NAN));
    assert_eq!(h.loss.points().len(), 1);
    assert!(!h.loss_fell_tenfold());
    for s in 3..400 {
        h.push_step(&step(s, 0, 0.1));
    }
    assert!(h.loss_fell_tenfold());
    assert!(h.smoothed.points().iter().all(|p| p.1.is_finite()));
}

/// The loss curve's first point may be thinned into a bucket while the validation was measured
/// at the newest step: the range covers both.
#[test]
fn both_charts_share_one_step_range() {
    let mut h = History::default();
    assert_eq!(h.step_range(), None);
    for s in 1..=1200 {
        h.push_step(&step(s, 0, 1.0));
    }
    let eval = |step, accuracy| EvalMetrics {
        step,
        epoch: 0,
        set: crate::train::messages::EvalSet::Validation,
        loss: 0.5,
        accuracy,
        samples: 10,
    };
    h.push_eval(&eval(0, 0.1));
    h.push_eval(&eval(1200, 0.9));
    assert_eq!(h.step_range(), Some((0.0, 1200.0)));
    let mut fresh = History::default();
    fresh.push_step(&step(1, 0, 2.0));
    assert_eq!(
        fresh.step_range(),
        Some((1.0, 2.0)),
        "at least one step wide"
    );
}
