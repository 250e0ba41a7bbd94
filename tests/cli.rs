//! The binary's command line: bad input gets a clear message on stderr, nothing on stdout,
//! and a non-zero exit (2 for flags and architectures); a short run prints its result.

use std::process::{Command, Output};

fn cnn_tui(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cnn-tui"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_refused(args: &[&str], code: i32, needle: &str) {
    let o = cnn_tui(args);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
    assert!(
        o.stdout.is_empty(),
        "{args:?} printed to stdout: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(
        stderr(&o).contains(needle),
        "{args:?}: expected {needle:?} in {}",
        stderr(&o)
    );
    assert!(
        !stderr(&o).contains("panicked"),
        "{args:?} panicked: {}",
        stderr(&o)
    );
}

#[test]
fn bad_flags_exit_2_with_a_message() {
    assert_refused(
        &["train", "--epochs", "x"],
        2,
        "invalid value 'x' for '--epochs",
    );
    assert_refused(
        &["train", "--pool", "median"],
        2,
        "[possible values: max, avg, none]",
    );
    assert_refused(
        &["train", "--frobnicate"],
        2,
        "unexpected argument '--frobnicate'",
    );
    assert_refused(&["train", "--lr=-1"], 2, "--lr must be a number in (0, 10]");
    assert_refused(
        &["train", "--momentum", "1.5"],
        2,
        "--momentum must be in [0, 1)",
    );
    assert_refused(&["train", "--batch", "0"], 2, "--batch must be in 1..=4096");
    assert_refused(
        &["train", "--epochs", "0"],
        2,
        "--epochs must be in 1..=10000, got 0",
    );
    assert_refused(&["bench", "--batch", "0"], 2, "--batch must be in 1..=4096");
}

#[test]
fn impossible_architectures_exit_2_with_the_reason() {
    assert_refused(
        &["train", "--kernel", "3", "--padding", "3"],
        2,
        "padding 3 must be smaller than the kernel 3",
    );
    assert_refused(
        &["train", "--kernel", "9"],
        2,
        "kernel must be in 1..=7, got 9",
    );
    assert_refused(
        &["train", "--filters", "8,8,8,8"],
        2,
        "1 to 3 conv blocks, got 4",
    );
    assert_refused(
        &["train", "--stride", "4", "--pool-size", "4"],
        2,
        "pool window is larger than its",
    );
}

#[test]
fn a_bad_data_folder_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert_refused(
        &["train", "--data", d],
        1,
        "train-images-idx3-ubyte: missing",
    );
    write_small_mnist(dir.path());
    std::fs::write(
        dir.path().join("train-images-idx3-ubyte"),
        [0u8, 0, 8, 3, 0, 0],
    )
    .unwrap();
    assert_refused(
        &["train", "--data", d],
        1,
        "truncated: expected 16 bytes, found 6",
    );
}

#[test]
fn every_subcommand_has_help() {
    for args in [&["--help"][..], &["train", "--help"], &["bench", "--help"]] {
        let o = cnn_tui(args);
        assert!(o.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Usage: cnn-tui"),
            "{args:?}"
        );
    }
}

#[test]
fn json_training_ends_with_done_and_a_test_accuracy_well_above_chance() {
    let dir = tempfile::tempdir().unwrap();
    write_small_mnist(dir.path());
    // A constant rate: the cosine schedule's 100-step warm-up would barely move the weights
    // in these 12 steps.
    let o = cnn_tui(&[
        "train",
        "--json",
        "--epochs",
        "2",
        "--schedule",
        "constant",
        "--seed",
        "42",
        "--data",
        dir.path().to_str().unwrap(),
        "--validation",
        "20",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let events: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect(l))
        .collect();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"start"));
    assert_eq!(kinds.iter().filter(|k| **k == "epoch").count(), 2);
    let done = events.last().unwrap();
    assert_eq!(done["event"], "done");
    let acc = done["test_accuracy"].as_f64().unwrap();
    // Chance is 10 %; this seed reaches 82 % on the 50 test digits, other seeds 68 % to 76 %.
    assert!(
        (0.4..=1.0).contains(&acc),
        "test accuracy {acc} after 12 steps"
    );
    assert_eq!(events[0]["train"], 180);
}

/// A rate far too high: the run stops at the divergence with exit status 3, a message that
/// says what to try, and a `diverged` event as the JSON's last line.
#[test]
fn a_diverging_run_exits_3_with_a_diverged_event_last() {
    let dir = tempfile::tempdir().unwrap();
    write_small_mnist(dir.path());
    let d = dir.path().to_str().unwrap();
    let o = cnn_tui(&[
        "train",
        "--json",
        "--epochs",
        "40",
        "--lr",
        "10",
        "--momentum",
        "0.99",
        "--schedule",
        "constant",
        "--data",
        d,
        "--validation",
        "20",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("diverged at step"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("try a lower --lr (it was 10)"),
        "{}",
        stderr(&o)
    );
    let text = String::from_utf8(o.stdout).unwrap();
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["event"], "diverged", "{text}");
    assert!(last["step"].as_u64().unwrap() > 0);
    assert_eq!(last["lr"], 10.0);
    assert!(!text.contains("NaN"), "JSON has no NaN: {text}");
}

/// The numbers a user gave are written as given; one epoch is "1 epoch"; progress lines show
/// a smoothed loss.
#[test]
fn headless_words_and_numbers_read_as_given() {
    let dir = tempfile::tempdir().unwrap();
    write_small_mnist(dir.path());
    let d = dir.path().to_str().unwrap();
    let json = cnn_tui(&[
        "train",
        "--json",
        "--epochs",
        "1",
        "--data",
        d,
        "--validation",
        "20",
    ]);
    assert!(json.status.success(), "{}", stderr(&json));
    let text = String::from_utf8(json.stdout).unwrap();
    let start = text.lines().next().unwrap();
    assert!(start.contains(r#""lr":0.07,"#), "{start}");
    assert!(start.contains(r#""momentum":0.9,"#), "{start}");
    let plain = cnn_tui(&["train", "--epochs", "1", "--data", d, "--validation", "20"]);
    let out = String::from_utf8(plain.stdout).unwrap();
    assert!(out.contains("after 1 epoch,"), "{out}");
    assert!(out.contains("(smoothed)"), "{out}");
}

/// 200 training and 50 test images cut from the built-in MNIST, gzipped like the originals.
fn write_small_mnist(dir: &std::path::Path) {
    use cnn_tui::data::{dataset, idx};
    let m = dataset::Mnist::builtin(0).unwrap();
    let cut = |set: &dataset::Dataset, n: usize| {
        let pixels: Vec<u8> = (0..n).flat_map(|i| set.image_bytes(i).to_vec()).collect();
        (
            idx::encode_images(&pixels, n, 28, 28),
            idx::encode_labels(&set.labels()[..n]),
        )
    };
    let (ti, tl) = cut(&m.train, 200);
    let (si, sl) = cut(&m.test, 50);
    for (name, bytes) in [
        (dataset::TRAIN_IMAGES, ti),
        (dataset::TRAIN_LABELS, tl),
        (dataset::TEST_IMAGES, si),
    ] {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &sl).unwrap();
    std::fs::write(
        dir.join(format!("{}.gz", dataset::TEST_LABELS)),
        gz.finish().unwrap(),
    )
    .unwrap();
}

#[test]
fn the_dashboard_refuses_to_draw_into_a_pipe() {
    assert_refused(&[], 2, "the dashboard needs a terminal");
    assert_refused(&[], 2, "cnn-tui train");
}
