//! Faults of issue 11 that had no test of their own: the dashboard's samples/s at batch 2 and
//! `--validation 0` plotted as 0 % accuracy. (The others are listed in the branch's note with
//! the tests that cover them.)

use cnn_tui::config::{Arch, Hyper};
use cnn_tui::train::messages::{EvalMetrics, EvalSet, Update};
use cnn_tui::train::trainer::blend_rate;
use cnn_tui::ui::App;
use cnn_tui::ui::app::BannerKind;
use cnn_tui::ui::widgets::colormap::ColorMode;

/// Steps of 1 ms and 9 ms by turns at batch 2: 2 samples every 5 ms on average, 400/s. An
/// average of the step rates (2000/s and 222/s) said about 1,100/s.
#[test]
fn samples_per_second_agrees_with_steps_over_wall_time() {
    let mut rate = 0.0;
    let mut wall = 0.0;
    for i in 0..400 {
        let secs = if i % 2 == 0 { 0.001 } else { 0.009 };
        rate = blend_rate(rate, 2, secs);
        wall += secs;
    }
    let truth = 400.0 * 2.0 / wall;
    assert!(
        (rate / truth - 1.0).abs() < 0.05,
        "{rate} samples/s shown, {truth} from the steps over the time"
    );
    // Steady steps: exactly their rate.
    let steady = (0..50).fold(0.0, |r, _| blend_rate(r, 32, 0.004));
    assert!((steady - 8000.0).abs() < 1.0, "{steady}");
}

/// `--validation 0`: the worker's evaluation of an empty set is no accuracy of 0 %; the chart
/// gets no validation point and the banner says there is no validation set.
#[test]
fn an_empty_validation_set_is_not_plotted_as_zero_accuracy() {
    let mut a = App::new(
        "MNIST".into(),
        100,
        Arch::default(),
        Hyper::default(),
        0,
        ColorMode::TrueColor,
    );
    let empty = EvalMetrics {
        step: 100,
        epoch: 0,
        set: EvalSet::Validation,
        loss: 0.0,
        accuracy: 0.0,
        samples: 0,
    };
    a.apply(Update::Eval(empty));
    assert!(a.history.val_accuracy.is_empty() && a.history.val_loss.is_empty());
    assert_eq!(a.last_validation, None);
    let banner = a.banner.as_ref().expect("a banner");
    assert_eq!(banner.kind, BannerKind::Info);
    assert!(banner.text.contains("no validation set"), "{}", banner.text);
    a.apply(Update::Eval(EvalMetrics {
        samples: 500,
        accuracy: 0.9,
        ..empty
    }));
    assert_eq!(
        a.history.val_accuracy.points(),
        vec![(100.0, 0.9f32 as f64)]
    );
}
