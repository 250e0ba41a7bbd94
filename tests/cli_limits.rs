//! The command line at its limits: counts that would overflow or spawn without end, a reader
//! that goes away, a full disk, a system that refuses threads.

mod common;

use common::{assert_refused, cnn_tui, stderr, stdout, write_small_mnist};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn counts_are_bounded_and_refused_with_exit_2() {
    assert_refused(
        &["train", "--threads", "100000"],
        2,
        "--threads must be in 0..=256 (0 = every core), got 100000",
    );
    assert_refused(&["bench", "--threads", "1,300"], 2, "got 300");
    assert_refused(
        &["train", "--epochs", "1152921504606846976"],
        2,
        "--epochs must be in 1..=10000, got 1152921504606846976",
    );
    assert_refused(
        &["train", "--validation", "60000"],
        2,
        "--validation 60000 leaves no training images: the training set has 60000",
    );
}

/// Run `args`, read the first line of its output, close the pipe; its exit and stderr.
fn first_line_then_close(args: &[&str]) -> (String, std::process::ExitStatus, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cnn-tui"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap(); // the reader is dropped here: the pipe is closed
    let out = child.wait_with_output().unwrap();
    (
        first,
        out.status,
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    let (first, status, err) = first_line_then_close(&["train", "--epochs", "1"]);
    assert!(first.starts_with("data "), "{first}");
    assert_eq!(status.code(), Some(0), "{err}");
    assert_eq!(err, "", "nothing on stderr");
    let bench = [
        "bench",
        "--seconds",
        "0.05",
        "--batch",
        "4",
        "--threads",
        "1",
        "--preset",
        "tiny,tiny",
    ];
    let (first, status, err) = first_line_then_close(&bench);
    assert!(first.starts_with("preset"), "{first}");
    assert_eq!(status.code(), Some(0), "{err}");
    assert_eq!(err, "", "nothing on stderr");
}

#[test]
fn a_full_disk_is_an_error_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    write_small_mnist(dir.path());
    let d = dir.path().to_str().unwrap();
    for args in [
        &[
            "bench",
            "--seconds",
            "0.05",
            "--batch",
            "4",
            "--threads",
            "1",
            "--preset",
            "tiny",
        ][..],
        &["train", "--epochs", "1", "--data", d, "--validation", "10"],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_cnn-tui"))
            .args(args)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert_eq!(
            stderr(&o),
            "cnn-tui: cannot write to standard output: No space left on device (os error 28)\n"
        );
    }
}

/// As an unprivileged user whose process count is capped, so that some thread spawns fail.
fn train_with_nproc(limit: usize, data: &str) -> Option<std::process::Output> {
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| {
        use std::os::unix::fs::MetadataExt;
        m.uid() == 0
    });
    let tools = ["setpriv", "prlimit"]
        .iter()
        .all(|t| Command::new(t).arg("--version").output().is_ok());
    if !root || !tools {
        return None;
    }
    let nproc = format!("--nproc={limit}");
    let args = [
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "prlimit",
        &nproc,
        env!("CARGO_BIN_EXE_cnn-tui"),
        "train",
        "--epochs",
        "1",
        "--data",
        data,
        "--validation",
        "10",
        "--threads",
        "0",
    ];
    Some(Command::new("setpriv").args(args).output().unwrap())
}

#[test]
fn a_failed_thread_spawn_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    write_small_mnist(dir.path());
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let d = dir.path().to_str().unwrap();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (mut refused, mut ran) = (0, 0);
    for limit in 2..cores + 6 {
        let Some(o) = train_with_nproc(limit, d) else {
            eprintln!("skipped: needs root, setpriv and prlimit");
            return;
        };
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "nproc {limit}: {err}");
        match o.status.code() {
            Some(0) => ran += 1,
            Some(1) if err.contains("cannot start the compute threads (one per core)") => {
                refused += 1
            }
            code => panic!("nproc {limit}: exit {code:?}: {err}"),
        }
    }
    assert!(refused > 0 && ran > 0, "refused {refused}, ran {ran}");
}

#[test]
fn no_validation_set_is_said_so() {
    let dir = tempfile::tempdir().unwrap();
    write_small_mnist(dir.path());
    let d = dir.path().to_str().unwrap();
    let o = cnn_tui(&["train", "--epochs", "1", "--data", d, "--validation", "0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("no validation set") && !text.contains("val acc"),
        "{text}"
    );
    let o = cnn_tui(&[
        "train",
        "--epochs",
        "1",
        "--data",
        d,
        "--validation",
        "0",
        "--json",
    ]);
    let epoch = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|e| e["event"] == "epoch")
        .unwrap();
    assert!(epoch["val_accuracy"].is_null(), "{epoch}");
}

#[test]
fn an_os_error_is_printed_once() {
    // /proc/self/mem fails to read with EIO, even as root.
    let dir = tempfile::tempdir().unwrap();
    write_small_mnist(dir.path());
    let images = dir.path().join("train-images-idx3-ubyte");
    std::fs::remove_file(&images).unwrap();
    std::os::unix::fs::symlink("/proc/self/mem", &images).unwrap();
    let o = assert_refused(
        &["train", "--data", dir.path().to_str().unwrap()],
        1,
        "train-images-idx3-ubyte: cannot be read: Input/output error (os error 5)",
    );
    assert_eq!(stderr(&o).matches("os error").count(), 1, "{}", stderr(&o));
}
