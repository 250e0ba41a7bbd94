//! The worker validates a slice at a time: a command sent while a slow validation runs is
//! answered before the validation ends, and no training step runs until it has.

mod common;

use cnn_tui::config::Arch;
use cnn_tui::data::dataset::Mnist;
use cnn_tui::train::messages::{Command, Update};
use cnn_tui::train::worker::{self, WorkerConfig};
use common::screen::paused_worker;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

fn data() -> Arc<Mnist> {
    static DATA: OnceLock<Arc<Mnist>> = OnceLock::new();
    DATA.get_or_init(|| Arc::new(Mnist::builtin(5000).unwrap()))
        .clone()
}

/// The updates up to and including the first validation's result, as short labels.
fn until_first_eval(rx: &Receiver<Update>) -> Vec<String> {
    let mut seen = Vec::new();
    while let Ok(u) = rx.recv_timeout(Duration::from_secs(120)) {
        let label = match u {
            Update::Snapshot(s) => format!("snapshot {}", s.probe_index),
            Update::Eval(e) => format!("eval at step {} of {} digits", e.step, e.samples),
            Update::Steps(s) => format!("steps to {}", s.last().map_or(0, |m| m.step)),
            _ => continue,
        };
        let done = label.starts_with("eval");
        seen.push(label);
        if done {
            return seen;
        }
    }
    panic!("no validation within 120 s; seen {seen:?}");
}

#[test]
fn a_new_probe_is_answered_before_a_slow_validation_ends() {
    // Two blocks of 32 filters 5×5: validating 5,000 digits on one thread takes seconds, in
    // 40 slices; the probe is asked before the first of them.
    let mut arch = Arch::default();
    for block in &mut arch.blocks {
        (block.filters, block.kernel, block.padding) = (32, 5, 2);
    }
    let config = WorkerConfig {
        arch,
        probe: 3,
        ..paused_worker(data())
    };
    let (tx, rx) = mpsc::channel();
    let w = worker::spawn(config, tx);
    assert!(w.send(Command::Probe(9)));
    let seen = until_first_eval(&rx);
    w.stop();
    let answer = seen.iter().position(|s| s == "snapshot 9");
    assert!(
        answer.is_some_and(|i| i + 1 < seen.len()),
        "the probe was answered only after the validation: {seen:?}"
    );
    assert_eq!(seen.last().unwrap(), "eval at step 0 of 5000 digits");
}

#[test]
fn training_waits_for_the_validation_under_way() {
    let config = WorkerConfig {
        paused: false,
        ..paused_worker(data())
    };
    let (tx, rx) = mpsc::channel();
    let w = worker::spawn(config, tx);
    let seen = until_first_eval(&rx);
    w.stop();
    assert!(
        !seen.iter().any(|s| s.starts_with("steps")),
        "a step ran before the validation of the initial weights ended: {seen:?}"
    );
    assert_eq!(seen.last().unwrap(), "eval at step 0 of 5000 digits");
}
