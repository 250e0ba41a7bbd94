//! The acceptance figures, with the defaults on the full built-in MNIST: test accuracy
//! ≥ 98.0 % after one epoch and ≥ 98.8 % after three. (About 3 s an epoch on two cores.)

use cnn_tui::config::{Arch, Hyper};
use cnn_tui::data::dataset::Mnist;
use cnn_tui::headless::{self, Output};
use std::sync::Arc;

fn test_accuracy(epochs: usize) -> f32 {
    let hyper = Hyper {
        epochs,
        ..Hyper::default()
    };
    let data = Arc::new(Mnist::builtin(hyper.validation).unwrap());
    let summary = headless::run(&Arch::default(), hyper, data, 0, Output::Quiet).unwrap();
    summary.test.accuracy
}

#[test]
fn defaults_reach_98_percent_in_one_epoch_and_98_8_in_three() {
    let one = test_accuracy(1);
    assert!(one >= 0.980, "after 1 epoch: {:.2} %", one * 100.0);
    let three = test_accuracy(3);
    eprintln!(
        "test accuracy: {:.2} % after 1 epoch, {:.2} % after 3",
        one * 100.0,
        three * 100.0
    );
    assert!(three >= 0.988, "after 3 epochs: {:.2} %", three * 100.0);
}
