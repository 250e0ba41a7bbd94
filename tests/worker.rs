//! The worker thread: it streams updates, obeys commands, reports failure, never hangs.

use cnn_tui::config::{Arch, Hyper, Schedule};
use cnn_tui::data::dataset::Mnist;
use cnn_tui::train::messages::{Command, Update, WorkerStatus};
use cnn_tui::train::pace::Pace;
use cnn_tui::train::worker::{self, WorkerConfig};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

fn config(arch: Arch) -> WorkerConfig {
    static DATA: OnceLock<Arc<Mnist>> = OnceLock::new();
    let data = DATA
        .get_or_init(|| Arc::new(Mnist::builtin(5000).unwrap()))
        .clone();
    WorkerConfig {
        arch,
        hyper: Hyper {
            schedule: Schedule::Constant,
            ..Hyper::default()
        },
        data,
        threads: 1,
        probe: 7,
        pace: Pace::Max,
        paused: false,
    }
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

fn last_step(u: &Update) -> Option<usize> {
    match u {
        Update::Steps(s) => s.last().map(|m| m.step),
        _ => None,
    }
}

#[test]
fn streams_steps_and_snapshots_and_obeys_pause_step_and_quit() {
    let (tx, rx) = mpsc::channel::<Update>();
    let w = worker::spawn(config(Arch::default()), tx);
    let probe = wait_for(&rx, |u| match u {
        Update::Snapshot(s) => Some(s.probe_index),
        _ => None,
    });
    assert_eq!(probe, 7);
    wait_for(&rx, last_step);
    assert!(w.send(Command::Pause));
    wait_for(&rx, |u| {
        matches!(u, Update::Status(WorkerStatus::Paused)).then_some(())
    });
    while rx.recv_timeout(Duration::from_millis(300)).is_ok() {}
    // Paused: nothing more arrives until a single step.
    assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
    let before = w.send(Command::Step);
    assert!(before);
    let stepped = wait_for(&rx, last_step);
    assert!(
        rx.recv_timeout(Duration::from_millis(300))
            .map(|u| last_step(&u).is_none())
            .unwrap_or(true)
    );
    assert!(stepped > 0);
    let t = Instant::now();
    w.stop();
    assert!(
        t.elapsed() < Duration::from_millis(200),
        "stop took {:?}",
        t.elapsed()
    );
}

/// The dashboard shows the worker's state as the worker reports it: a single step asked of a
/// running worker pauses it, and it says so.
#[test]
fn a_single_step_while_running_reports_the_pause() {
    let (tx, rx) = mpsc::channel::<Update>();
    let w = worker::spawn(config(Arch::default()), tx);
    wait_for(&rx, last_step);
    assert!(w.send(Command::Step));
    wait_for(&rx, |u| {
        matches!(u, Update::Status(WorkerStatus::Paused)).then_some(())
    });
    while rx.recv_timeout(Duration::from_millis(300)).is_ok() {}
    assert!(
        rx.recv_timeout(Duration::from_millis(300)).is_err(),
        "a paused worker sends nothing"
    );
    w.stop();
}

#[test]
fn an_impossible_rebuild_is_refused_and_a_possible_one_reported() {
    let (tx, rx) = mpsc::channel::<Update>();
    let w = worker::spawn(config(Arch::default()), tx);
    let mut bad = Arch::default();
    bad.blocks[0].padding = 5;
    w.send(Command::SetArch(bad));
    let reason = wait_for(&rx, |u| match u {
        Update::Status(WorkerStatus::Refused(r)) => Some(r.clone()),
        _ => None,
    });
    assert!(
        reason.contains("padding 5 must be smaller than the kernel 3"),
        "{reason}"
    );
    let mut good = Arch::default();
    good.blocks[0].stride = 2;
    w.send(Command::SetArch(good.clone()));
    let (arch, summary) = wait_for(&rx, |u| match u {
        Update::Status(WorkerStatus::Rebuilt(outcome)) => {
            Some((outcome.after.clone(), outcome.summary()))
        }
        _ => None,
    });
    assert_eq!(arch, good);
    assert!(
        summary.starts_with("conv1 stride 1→2: conv1 28×28→14×14"),
        "{summary}"
    );
    w.stop();
}

#[test]
fn a_worker_that_cannot_start_says_why() {
    let (tx, rx) = mpsc::channel::<Update>();
    let _w = worker::spawn(config(Arch { blocks: vec![] }), tx);
    let msg = wait_for(&rx, |u| match u {
        Update::Failed(m) => Some(m.clone()),
        _ => None,
    });
    assert!(msg.contains("1 to 3 conv blocks"), "{msg}");
}

#[test]
fn the_worker_stops_when_nobody_listens() {
    let (tx, rx) = mpsc::channel::<Update>();
    let w = worker::spawn(config(Arch::default()), tx);
    wait_for(&rx, last_step);
    drop(rx);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !w.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(w.is_finished());
}

#[test]
fn a_panicking_trainer_is_reported_not_hung() {
    // An empty test set has no probe digit to trace: the trainer panics on its first snapshot.
    let data = config(Arch::default()).data;
    let empty = cnn_tui::data::dataset::Dataset::new(Vec::new(), Vec::new());
    let broken = Mnist {
        test: empty,
        ..(*data).clone()
    };
    let cfg = WorkerConfig {
        data: Arc::new(broken),
        ..config(Arch::default())
    };
    let (tx, rx) = mpsc::channel::<Update>();
    let w = worker::spawn(cfg, tx);
    let msg = wait_for(&rx, |u| match u {
        Update::Failed(m) => Some(m.clone()),
        _ => None,
    });
    assert!(msg.starts_with("the trainer crashed: "), "{msg}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !w.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(w.is_finished());
}

/// 400 quick edits (a held `f`/`F`): the worker rebuilds for far fewer of them and ends on
/// the last architecture, soon after the edits stop.
#[test]
fn queued_edits_coalesce_into_few_rebuilds() {
    let (tx, rx) = mpsc::channel::<Update>();
    let w = worker::spawn(config(Arch::default()), tx);
    wait_for(&rx, last_step);
    let mut last = Arch::default();
    for i in 0..400 {
        let mut arch = Arch::default();
        arch.blocks[0].filters = if i % 2 == 0 { 4 } else { 16 };
        // Only the last edit asks for 12 filters in block 2: it is recognisable.
        arch.blocks[1].filters = if i == 399 { 12 } else { 8 + i % 3 };
        assert!(w.send(Command::SetArch(arch.clone())));
        last = arch;
    }
    let started = Instant::now();
    let mut rebuilt = Vec::new();
    while rebuilt.last() != Some(&last) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "still rebuilding"
        );
        if let Ok(Update::Status(WorkerStatus::Rebuilt(o))) =
            rx.recv_timeout(Duration::from_millis(100))
        {
            rebuilt.push(o.after);
        }
    }
    // Whatever was already applied before the storm, at most a few rebuilds; none after.
    assert!(
        rebuilt.len() <= 5,
        "{} rebuilds for 400 edits",
        rebuilt.len()
    );
    let more = (0..5).any(|_| {
        matches!(
            rx.recv_timeout(Duration::from_millis(100)),
            Ok(Update::Status(WorkerStatus::Rebuilt(_)))
        )
    });
    assert!(!more, "a rebuild after the last architecture");
    w.stop();
}

/// `w`'s command: the worker writes a checkpoint named by its step into the folder, after
/// sending that step; a worker started from it goes on at that step with that network.
#[test]
fn save_writes_a_checkpoint_named_by_the_step_and_a_worker_resumes_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, rx) = mpsc::channel::<Update>();
    let mut arch = Arch::default();
    arch.blocks[0].filters = 4;
    let w = worker::spawn(config(arch.clone()), tx);
    let mut sent = wait_for(&rx, last_step);
    assert!(w.send(Command::Save(dir.path().to_path_buf())));
    let (path, step) = wait_for(&rx, |u| match u {
        Update::Steps(s) => {
            sent = s.last().map_or(sent, |m| m.step);
            None
        }
        Update::Status(WorkerStatus::Saved { path, step }) => Some((path.clone(), *step)),
        _ => None,
    });
    w.stop();
    assert_eq!(step, sent, "every step up to the save was sent first");
    assert_eq!(
        path,
        dir.path().join(format!("cnn-tui-step{step}.safetensors"))
    );
    let ckpt = cnn_tui::checkpoint::load(&path).unwrap();
    assert_eq!((ckpt.meta.step, &ckpt.meta.arch), (step, &arch));

    let (tx, rx) = mpsc::channel::<Update>();
    let w = worker::spawn_from(config(arch), Some(ckpt), tx);
    let first = wait_for(&rx, |u| match u {
        Update::Steps(s) => s.first().map(|m| m.step),
        _ => None,
    });
    assert_eq!(
        first,
        step + 1,
        "the resumed run goes on from the saved step"
    );
    assert!(w.send(Command::Save(dir.path().join("no-such-folder"))));
    let reason = wait_for(&rx, |u| match u {
        Update::Status(WorkerStatus::SaveFailed(r)) => Some(r.clone()),
        _ => None,
    });
    assert!(reason.contains("no-such-folder"), "{reason}");
    wait_for(&rx, last_step);
    w.stop();
}
