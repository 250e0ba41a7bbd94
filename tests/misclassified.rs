//! `e` / `E`: the trainer finds the next or previous misclassified test digit with its current
//! weights, and the worker makes it the probe.

use cnn_tui::config::{Arch, Hyper, Schedule};
use cnn_tui::data::dataset::Mnist;
use cnn_tui::train::messages::{Command, Update, WorkerStatus};
use cnn_tui::train::trainer::Trainer;
use cnn_tui::train::worker::{self, WorkerConfig};
use std::sync::{Arc, OnceLock, mpsc};
use std::time::{Duration, Instant};

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

/// What the network predicts for test digit `i`, as the dashboard's snapshot shows it.
fn predicted(t: &mut Trainer, i: usize) -> u8 {
    let p = t.snapshot(i).probabilities;
    (0..10).fold(0, |best, d| if p[d] > p[best] { d } else { best }) as u8
}

#[test]
fn the_trainer_finds_the_nearest_wrong_digit_each_way() {
    let mut t = Trainer::new(&Arch::default(), hyper(), mnist(), 2).unwrap();
    for _ in 0..30 {
        t.step().expect("finite"); // some right, some wrong
    }
    let len = t.data().test.len();
    for (from, forward) in [(100, true), (100, false), (len - 1, true)] {
        let m = t.find_misclassified(from, forward).expect("a wrong digit");
        assert_ne!(m.label, m.predicted);
        assert_eq!(m.label, t.data().test.label(m.index));
        assert_eq!(
            predicted(&mut t, m.index),
            m.predicted,
            "as the snapshot shows it"
        );
        // Every digit scanned before it is right.
        let mut i = from;
        loop {
            i = if forward {
                (i + 1) % len
            } else {
                (i + len - 1) % len
            };
            if i == m.index {
                break;
            }
            assert_eq!(predicted(&mut t, i), t.data().test.label(i), "test #{i}");
        }
    }
}

#[test]
fn the_worker_makes_the_wrong_digit_the_probe() {
    let (tx, rx) = mpsc::channel::<Update>();
    let config = WorkerConfig {
        arch: Arch::default(),
        hyper: hyper(),
        data: mnist(),
        threads: 1,
        probe: 7,
        pace: Default::default(),
        paused: false,
    };
    let w = worker::spawn(config, tx);
    w.send(Command::Pause);
    w.send(Command::FindMisclassified {
        from: 7,
        forward: true,
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut found = None;
    while Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Update::Status(WorkerStatus::Misclassified(m))) => found = Some(m.expect("one")),
            Ok(Update::Snapshot(s)) if found.is_some() => {
                let m = found.unwrap();
                assert_eq!((s.probe_index, s.probe_label), (m.index, m.label));
                assert!(m.index != 7 && m.label != m.predicted);
                w.stop();
                return;
            }
            _ => {}
        }
    }
    panic!("no search result and snapshot within 30 s");
}
