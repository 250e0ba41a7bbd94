//! `--load` and `--metrics` for the dashboard, and `w`, end to end in a pseudo-terminal.

mod common;

use common::{BIN, Session};

/// A shell that runs the dashboard in `dir` with `args`, then prints its exit status.
fn dashboard_in(dir: &std::path::Path, args: &str) -> Session {
    let script = format!(
        "cd '{}' && {BIN} --threads 1 {args}; echo \"EXIT=$?\"; sleep 20",
        dir.display()
    );
    Session::spawn(100, 30, "sh", &["-c", &script])
}

#[test]
fn a_bad_checkpoint_exits_2_before_the_terminal_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.safetensors"), b"not a checkpoint").unwrap();
    let mut s = dashboard_in(dir.path(), "--load bad.safetensors");
    s.wait_for("EXIT=2", 20);
    let text = s.screen();
    assert!(
        text.contains("bad.safetensors: not a safetensors file"),
        "{text}"
    );
    assert!(!s.parser.screen().alternate_screen());
    let mut s = dashboard_in(dir.path(), "--metrics m.txt");
    s.wait_for("EXIT=2", 20);
    assert!(s.screen().contains("must end in .csv"), "{}", s.screen());
}

/// `w` saves a checkpoint into the current folder; `--load` goes on from it (its
/// architecture, its step), and `--metrics` records the resumed run's steps.
#[test]
fn w_saves_and_load_resumes_with_metrics_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = dashboard_in(dir.path(), "--filters 4");
    s.wait_for("Loss", 30);
    std::thread::sleep(std::time::Duration::from_secs(2));
    s.send(b" ");
    s.wait_for("paused", 10);
    s.send(b"w");
    s.wait_for("saved step", 20);
    s.quit();
    s.wait_for("EXIT=0", 10);
    let saved: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("cnn-tui-step") && n.ends_with(".safetensors"))
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let step: usize = saved[0]["cnn-tui-step".len()..saved[0].len() - ".safetensors".len()]
        .parse()
        .unwrap();
    let args = format!("--load {} --metrics run.csv", saved[0]);
    let mut s = dashboard_in(dir.path(), &args);
    s.wait_for("Loss", 30);
    std::thread::sleep(std::time::Duration::from_secs(2));
    s.quit();
    s.wait_for("EXIT=0", 10);
    let csv = std::fs::read_to_string(dir.path().join("run.csv")).unwrap();
    let step_of = |line: &str| line.split(',').nth(2).unwrap().parse::<usize>().unwrap();
    let first = csv.lines().find(|l| l.starts_with("step,")).map(step_of);
    assert!(step > 0, "some training before the save");
    assert_eq!(
        first,
        Some(step + 1),
        "the resumed run goes on after step {step}"
    );
    assert!(csv.lines().count() > 2, "{csv}");
}
