//! The accuracy-against-shift job through the real worker: after some training, both networks'
//! curves come back, the unshifted accuracy is high, and the MLP's falls far by 8 pixels.
//! It prints the figures (the note quotes them).

use cnn_tui::config::{Arch, Hyper, Schedule};
use cnn_tui::data::dataset::Mnist;
use cnn_tui::train::analysis::{AnalysisUpdate, Job, JobOutput};
use cnn_tui::train::messages::{Command, Update};
use cnn_tui::train::pace::Pace;
use cnn_tui::train::worker::{self, WorkerConfig};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[test]
fn both_curves_come_back_and_the_mlp_falls_apart_under_shifts() {
    let config = WorkerConfig {
        arch: Arch::default(),
        hyper: Hyper {
            schedule: Schedule::Constant,
            ..Hyper::default()
        },
        data: Arc::new(Mnist::builtin(5000).unwrap()),
        threads: 2,
        probe: 0,
        pace: Pace::Max,
        paused: false,
    };
    let (tx, rx) = mpsc::channel::<Update>();
    let w = worker::spawn(config, tx);
    assert!(w.send(Command::StartBaseline));
    let deadline = Instant::now() + Duration::from_secs(240);
    let mut asked = false;
    let curves = loop {
        assert!(Instant::now() < deadline, "no result within 240 s");
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(Update::Steps(s)) if !asked && s.last().is_some_and(|m| m.step >= 2000) => {
                assert!(w.send(Command::Pause));
                assert!(w.send(Command::Analyse(Job::ShiftAccuracy)));
                asked = true;
            }
            Ok(Update::Analysis(AnalysisUpdate::Done { output, .. })) => {
                if let JobOutput::Shift(c) = *output {
                    break c;
                }
            }
            _ => {}
        }
    };
    w.stop();
    let mlp = curves.mlp.expect("the baseline runs in the worker");
    let cnn = curves.cnn;
    for d in [0, 1, 2, 3, 4, 6, 8] {
        eprintln!(
            "shift {d} px: CNN right {:.1} % down {:.1} %, MLP right {:.1} % down {:.1} %",
            100.0 * cnn.horizontal[d],
            100.0 * cnn.vertical[d],
            100.0 * mlp.horizontal[d],
            100.0 * mlp.vertical[d]
        );
    }
    assert_eq!(curves.samples, 2000);
    assert!(
        cnn.horizontal[0] > 0.9 && mlp.horizontal[0] > 0.8,
        "{cnn:?} {mlp:?}"
    );
    assert_eq!(cnn.horizontal[0], cnn.vertical[0]);
    assert!(mlp.horizontal[8] < mlp.horizontal[0] - 0.3, "{mlp:?}");
    assert!(mlp.vertical[8] < mlp.vertical[0] - 0.3, "{mlp:?}");
}
