use super::*;
use crate::config::{Arch, Hyper, PoolKind};
use crate::train::messages::{EvalMetrics, EvalSet, StepMetrics, Update, WorkerStatus};
use crate::train::rebuild::RebuildOutcome;
use crate::ui::widgets::colormap::ColorMode;

fn app() -> App {
    let mut app = App::new(
        "test".into(),
        10,
        Arch::default(),
        Hyper::default(),
        0,
        ColorMode::TrueColor,
    );
    app.apply(Update::Status(WorkerStatus::Hyper(Hyper::default())));
    app
}

/// Steps `from..=to` of a loss falling from 2.3 towards 0.05, a validation every 500 steps.
fn train(app: &mut App, from: usize, to: usize) {
    let steps = (from..=to)
        .map(|step| StepMetrics {
            step,
            epoch: step / 1719,
            epoch_progress: 0.5,
            loss: 2.25 * (-(step as f32) / 300.0).exp() + 0.05,
            batch_accuracy: 0.97,
            lr: 0.07,
            samples_per_sec: 1000.0,
        })
        .collect();
    app.apply(Update::Steps(steps));
    for step in (from..=to).filter(|s| s % 500 == 0) {
        let accuracy = 0.985 + 0.004 * ((step / 500) % 2) as f32;
        app.apply(Update::Eval(EvalMetrics {
            step,
            epoch: 0,
            set: EvalSet::Validation,
            loss: 0.05,
            accuracy,
            samples: 5000,
        }));
    }
}

fn rebuild(app: &mut App, after: Arch) {
    let outcome = RebuildOutcome {
        before: app.arch.clone(),
        after,
        kept: vec!["conv1".into()],
        reinitialised: Vec::new(),
    };
    app.apply(Update::Status(WorkerStatus::Rebuilt(outcome)));
}

#[test]
fn the_window_shows_the_last_steps_only() {
    let mut a = app();
    train(&mut a, 1, 5000);
    let all = chart_data(&a).unwrap();
    assert_eq!(all.x, (1.0, 5000.0));
    a.chart.window = Some(1000);
    let last = chart_data(&a).unwrap();
    assert_eq!(last.x, (4000.0, 5000.0));
    for curve in last.loss.iter().chain(&last.accuracy) {
        assert!(curve.points.iter().all(|p| p.0 >= 4000.0));
        assert!(!curve.points.is_empty());
    }
    assert!(last.epochs.is_empty(), "epoch 3 begins at step 5,157");
}

#[test]
fn markers_and_epochs_are_placed_at_their_steps() {
    let mut a = app();
    train(&mut a, 1, 1200);
    a.apply(Update::Status(WorkerStatus::Hyper(Hyper {
        lr: 0.1,
        ..Hyper::default()
    })));
    train(&mut a, 1201, 2500);
    let mut stride = a.arch.clone();
    stride.blocks[0].stride = 2;
    rebuild(&mut a, stride);
    train(&mut a, 2501, 5000);
    let d = chart_data(&a).unwrap();
    let marks: Vec<_> = d.markers.iter().map(|(x, _, l)| (*x, l.as_str())).collect();
    assert_eq!(
        marks,
        [(1200.0, "lr 0.07→0.1"), (2500.0, "conv1 stride 1→2")]
    );
    assert_eq!(d.epochs, [(1719.0, 1), (3438.0, 2)]);
    a.chart.window = Some(2000);
    let zoomed = chart_data(&a).unwrap();
    assert!(
        zoomed.markers.is_empty(),
        "both markers are before the window"
    );
    assert_eq!(zoomed.epochs, [(3438.0, 2)]);
}

/// Pin, switch max to average pooling, train on: the new run is drawn over the pinned one,
/// both from their own first step, each labelled with its pooling.
#[test]
fn a_pinned_run_and_the_new_one_start_together() {
    let mut a = app();
    train(&mut a, 1, 3000);
    a.pinned = Some(Pinned::of(&a.history, &a.arch, &a.hyper));
    let mut avg = a.arch.clone();
    avg.blocks[0].pool = PoolKind::Avg;
    rebuild(&mut a, avg);
    train(&mut a, 3001, 4000);
    let d = chart_data(&a).unwrap();
    assert_eq!(d.x, (0.0, 3000.0), "as long as the longer run");
    let now = &d.loss[2];
    assert_eq!(now.color, TRAIN);
    assert_eq!(
        now.points.first().unwrap().0,
        0.0,
        "the new run from its own start"
    );
    assert_eq!(now.points.last().unwrap().0, 1000.0);
    let pinned = &d.loss[1];
    assert_eq!(pinned.points.last().unwrap().0, 3000.0);
    assert_ne!(pinned.color, TRAIN, "the pinned run is dimmed");
    assert_eq!(
        d.runs,
        Some(("conv1 pool avg".to_string(), "conv1 pool max".to_string()))
    );
    assert_eq!(
        d.markers,
        [(0.0, MarkerKind::Edit, "conv1 pool max→avg".into())]
    );
}

#[test]
fn the_loss_axis_turns_log_once_the_loss_fell_tenfold_and_y_overrides_it() {
    let mut a = app();
    train(&mut a, 1, 100);
    assert!(
        !chart_data(&a).unwrap().loss_axis.log,
        "not yet fallen tenfold"
    );
    train(&mut a, 101, 3000);
    assert!(chart_data(&a).unwrap().loss_axis.log);
    a.chart.log_loss = Some(false);
    let linear = chart_data(&a).unwrap().loss_axis;
    assert!(!linear.log && linear.lo == 0.0);
}

#[test]
fn the_accuracy_axis_fits_the_late_values_unless_full() {
    let mut a = app();
    train(&mut a, 1, 6000);
    let fitted = chart_data(&a).unwrap().accuracy_axis;
    assert!(fitted.lo >= 0.9 && fitted.hi <= 1.0, "{fitted:?}");
    a.chart.full_accuracy = true;
    let full = chart_data(&a).unwrap().accuracy_axis;
    assert_eq!((full.lo, full.hi), (0.0, 1.0));
}
