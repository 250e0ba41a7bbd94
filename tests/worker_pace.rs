//! The worker's pace, its paused start and its divergence: below full speed every batch comes
//! with a snapshot at the asked rate; `--paused` waits at the initial weights; a divergence
//! stops it (no snapshot of the broken weights) until a rewind.

use cnn_tui::config::{Arch, Hyper, Schedule};
use cnn_tui::data::dataset::Mnist;
use cnn_tui::train::messages::{Command, Update, WorkerStatus};
use cnn_tui::train::pace::Pace;
use cnn_tui::train::worker::{self, WorkerConfig};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

fn config(pace: Pace, paused: bool, lr: f32) -> WorkerConfig {
    static DATA: OnceLock<Arc<Mnist>> = OnceLock::new();
    let data = DATA
        .get_or_init(|| Arc::new(Mnist::builtin(5000).unwrap()))
        .clone();
    WorkerConfig {
        arch: Arch::default(),
        hyper: Hyper {
            lr,
            schedule: Schedule::Constant,
            ..Hyper::default()
        },
        data,
        threads: 1,
        probe: 3,
        pace,
        paused,
    }
}

/// Every update within `secs` seconds.
fn collect(rx: &Receiver<Update>, secs: f64) -> Vec<Update> {
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let mut out = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(u) => out.push(u),
            Err(_) => break,
        }
    }
    out
}

/// Wait (at most 20 s) for the first update that `pick` accepts.
fn wait_for<T>(rx: &Receiver<Update>, mut pick: impl FnMut(&Update) -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(u) = rx.recv_timeout(Duration::from_millis(100))
            && let Some(t) = pick(&u)
        {
            return t;
        }
    }
    panic!("no such update within 20 s");
}

fn steps(updates: &[Update]) -> Vec<usize> {
    updates
        .iter()
        .filter_map(|u| match u {
            Update::Steps(s) => Some(s.iter().map(|m| m.step)),
            _ => None,
        })
        .flatten()
        .collect()
}

#[test]
fn at_ten_batches_a_second_every_batch_comes_with_a_snapshot() {
    let (tx, rx) = mpsc::channel();
    let w = worker::spawn(config(Pace::PerSecond(10), false, 0.07), tx);
    let pace = wait_for(&rx, |u| match u {
        Update::Status(WorkerStatus::Pace(p)) => Some(*p),
        _ => None,
    });
    assert_eq!(pace, Pace::PerSecond(10));
    wait_for(&rx, |u| matches!(u, Update::Steps(_)).then_some(()));
    let seen = collect(&rx, 2.0);
    let steps_seen = steps(&seen);
    // Two seconds at 10 a second: never more; fewer when validation (at step 100) or a busy
    // machine takes a moment of it.
    assert!(
        (10..=22).contains(&steps_seen.len()),
        "{} steps",
        steps_seen.len()
    );
    let batches: Vec<_> = seen
        .iter()
        .filter(|u| matches!(u, Update::Steps(_)))
        .collect();
    assert!(
        batches
            .iter()
            .all(|u| matches!(u, Update::Steps(s) if s.len() == 1))
    );
    let snapshots = seen
        .iter()
        .filter(|u| matches!(u, Update::Snapshot(_)))
        .count();
    assert!(
        snapshots >= batches.len(),
        "{snapshots} snapshots for {} batches",
        batches.len()
    );
    // Full speed again: many steps a second, in batches of steps.
    assert!(w.send(Command::SetPace(Pace::Max)));
    let fast = steps(&collect(&rx, 1.0));
    assert!(fast.len() > 40, "{} steps at full speed", fast.len());
    w.stop();
}

#[test]
fn a_paused_start_waits_at_the_initial_weights_and_answers_at_once() {
    let (tx, rx) = mpsc::channel();
    let w = worker::spawn(config(Pace::PerSecond(1), true, 0.07), tx);
    let step = wait_for(&rx, |u| match u {
        Update::Snapshot(s) => Some(s.step),
        _ => None,
    });
    assert_eq!(step, 0, "the first snapshot is of the initial weights");
    let idle = collect(&rx, 0.5);
    assert!(steps(&idle).is_empty(), "paused: no steps");
    // A single step while paused at 1 batch a second is taken at once, and running at 1 a
    // second a pause is answered at once, not after the second's sleep. Each is timed three
    // times and the quickest counts: a worker that waited out its sleep would take about a
    // second every time, while a busy machine only delays some of the answers.
    let mut step_waits = Vec::new();
    let mut pause_waits = Vec::new();
    let mut last = 0;
    for round in 0..3 {
        let asked = Instant::now();
        assert!(w.send(Command::Step));
        let stepped = wait_for(&rx, |u| steps(std::slice::from_ref(u)).first().copied());
        step_waits.push(asked.elapsed());
        if round == 0 {
            assert_eq!(stepped, 1, "the first step from the initial weights");
        }
        assert!(stepped > last, "step {stepped} after {last}");
        assert!(w.send(Command::Resume));
        wait_for(&rx, |u| {
            matches!(u, Update::Status(WorkerStatus::Running)).then_some(())
        });
        // The resumed worker takes its batch (a step) and then sleeps.
        last = wait_for(&rx, |u| steps(std::slice::from_ref(u)).last().copied());
        let asked = Instant::now();
        assert!(w.send(Command::Pause));
        wait_for(&rx, |u| {
            matches!(u, Update::Status(WorkerStatus::Paused)).then_some(())
        });
        pause_waits.push(asked.elapsed());
    }
    let quickest = |w: &[Duration]| w.iter().min().copied().unwrap_or_default();
    assert!(
        quickest(&step_waits) < Duration::from_millis(500),
        "{step_waits:?}"
    );
    assert!(
        quickest(&pause_waits) < Duration::from_millis(500),
        "{pause_waits:?}"
    );
    w.stop();
}

#[test]
fn a_divergence_stops_the_worker_without_a_broken_snapshot_until_a_rewind() {
    let (tx, rx) = mpsc::channel();
    let w = worker::spawn(config(Pace::Max, false, 1e3), tx);
    let mut after = Vec::new();
    let d = wait_for(&rx, |u| match u {
        Update::Status(WorkerStatus::Diverged(d)) => Some(*d),
        _ => None,
    });
    assert!(d.step < 300, "{d:?}");
    after.extend(collect(&rx, 0.5));
    assert!(matches!(
        after.first(),
        Some(Update::Status(WorkerStatus::Paused))
    ));
    assert!(
        !after
            .iter()
            .any(|u| matches!(u, Update::Snapshot(_) | Update::Steps(_)))
    );
    // Resuming is refused; a rewind brings back sound weights with half the rate.
    assert!(w.send(Command::Resume));
    let refused = wait_for(&rx, |u| match u {
        Update::Status(WorkerStatus::Refused(r)) => Some(r.clone()),
        _ => None,
    });
    assert!(
        refused.contains("press r to reset or u to rewind"),
        "{refused}"
    );
    assert!(w.send(Command::Rewind));
    let r = wait_for(&rx, |u| match u {
        Update::Status(WorkerStatus::Rewound(r)) => Some(*r),
        _ => None,
    });
    assert_eq!((r.from_step, r.lr_after), (d.step, 500.0));
    let lr = wait_for(&rx, |u| match u {
        Update::Status(WorkerStatus::Hyper(h)) => Some(h.lr),
        _ => None,
    });
    assert_eq!(lr, 500.0);
    let snap = wait_for(&rx, |u| match u {
        Update::Snapshot(s) => Some(s.clone()),
        _ => None,
    });
    assert!(snap.filters.iter().all(|f| f.iter().all(|w| w.is_finite())));
    assert!(snap.probabilities.iter().all(|p| p.is_finite()));
    w.stop();
}
