//! Keeping a run from the command line: `--save`, `--load`, `--metrics`.

mod common;

use common::{assert_refused, cnn_tui, stderr, stdout, write_small_mnist};
use serde_json::Value;
use std::path::Path;

/// `train` on the small set, 1 thread (the parallel sums depend on the thread count).
fn train(dir: &Path, extra: &[&str]) -> Vec<Value> {
    let d = dir.to_str().unwrap();
    let mut args = vec![
        "train",
        "--json",
        "--data",
        d,
        "--validation",
        "10",
        "--threads",
        "1",
    ];
    args.extend_from_slice(extra);
    let o = cnn_tui(&args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect(l))
        .collect()
}

fn events<'a>(all: &'a [Value], kind: &str) -> Vec<&'a Value> {
    all.iter().filter(|e| e["event"] == kind).collect()
}

#[test]
fn a_saved_run_loads_and_goes_on_as_if_it_had_never_stopped() {
    let dir = tempfile::tempdir().unwrap();
    write_small_mnist(dir.path());
    let ck = dir.path().join("run.safetensors");
    let ck = ck.to_str().unwrap();
    let straight = train(dir.path(), &["--epochs", "3", "--schedule", "constant"]);
    let first = train(
        dir.path(),
        &["--epochs", "1", "--schedule", "constant", "--save", ck],
    );
    assert_eq!(events(&first, "saved")[0]["epochs_done"], 1);
    let resumed = train(dir.path(), &["--load", ck, "--epochs", "3"]);
    assert_eq!(events(&resumed, "resumed")[0]["step"], 6); // 190 images, batch 32
    let (a, b) = (events(&straight, "epoch"), events(&resumed, "epoch"));
    assert_eq!(b.len(), 2, "epochs 2 and 3");
    for (a, b) in a[1..].iter().zip(&b) {
        assert_eq!(a["epoch"], b["epoch"]);
        assert_eq!(a["train_loss"], b["train_loss"], "{a} vs {b}");
        assert_eq!(a["val_loss"], b["val_loss"]);
    }
    assert_eq!(
        straight.last().unwrap()["test_loss"],
        resumed.last().unwrap()["test_loss"]
    );

    // Everything planned is done: say so, and only evaluate.
    let again = cnn_tui(&[
        "train",
        "--data",
        dir.path().to_str().unwrap(),
        "--validation",
        "10",
        "--load",
        ck,
    ]);
    assert!(again.status.success(), "{}", stderr(&again));
    let text = stdout(&again);
    assert!(
        text.contains("nothing to train: the checkpoint has done 1 epochs"),
        "{text}"
    );
    assert!(text.contains("test accuracy"), "{text}");
}

#[test]
fn a_bad_checkpoint_exits_2_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ck = dir.path().join("ck.safetensors");
    let c = ck.to_str().unwrap();
    std::fs::write(&ck, b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all}").unwrap();
    let before = std::fs::read(&ck).unwrap();
    assert_refused(
        &["train", "--load", c, "--save", c],
        2,
        "ck.safetensors: not a safetensors file",
    );
    assert_eq!(std::fs::read(&ck).unwrap(), before, "the file was changed");
    let foreign = safetensors::serialize(
        [(
            "w",
            safetensors::tensor::TensorView::new(safetensors::Dtype::F32, vec![1], &[0; 4])
                .unwrap(),
        )],
        None,
    )
    .unwrap();
    std::fs::write(&ck, foreign).unwrap();
    assert_refused(
        &["train", "--load", c],
        2,
        "a safetensors file, but not a cnn-tui checkpoint",
    );
    let missing = dir.path().join("nope.safetensors");
    assert_refused(
        &["train", "--load", missing.to_str().unwrap()],
        2,
        "nope.safetensors: missing",
    );
    assert_refused(
        &["train", "--load", dir.path().to_str().unwrap()],
        2,
        "is a directory, not a checkpoint file",
    );
    assert_refused(
        &["train", "--load", c, "--filters", "4", "--seed", "3"],
        2,
        "--load takes the network and the seed from the checkpoint; drop --filters, --seed",
    );
}

#[test]
fn an_unwritable_save_path_is_refused_before_training() {
    let dir = tempfile::tempdir().unwrap();
    let nowhere = dir.path().join("no/such/folder/ck.safetensors");
    assert_refused(
        &["train", "--save", nowhere.to_str().unwrap()],
        2,
        "ck.safetensors: cannot be written: No such file or directory",
    );
    assert_refused(
        &["train", "--save", dir.path().to_str().unwrap()],
        2,
        "is a directory",
    );
}

#[test]
fn metrics_are_appended_as_csv_or_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    write_small_mnist(dir.path());
    let csv = dir.path().join("m.csv");
    let c = csv.to_str().unwrap();
    train(dir.path(), &["--epochs", "2", "--metrics", c]);
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], cnn_tui::metrics::CSV_HEADER);
    let steps: Vec<&&str> = lines.iter().filter(|l| l.starts_with("step,")).collect();
    assert_eq!(steps.len(), 12, "6 steps an epoch");
    assert!(lines.iter().all(|l| l.split(',').count() == 12), "{text}");
    // Wall-clock seconds since the start, never going back: steps over it is the speed.
    let elapsed: Vec<f64> = lines[1..]
        .iter()
        .map(|l| l.rsplit(',').next().unwrap().parse().expect(l))
        .collect();
    assert!(
        elapsed.windows(2).all(|w| w[0] <= w[1]) && elapsed[0] >= 0.0,
        "{text}"
    );
    let last_step: Vec<&str> = steps[11].split(',').collect();
    assert_eq!((last_step[2], last_step[3], last_step[4]), ("12", "2", "1"));
    let evals: Vec<&&str> = lines.iter().filter(|l| l.starts_with("eval,")).collect();
    assert_eq!(evals.len(), 3, "validation twice, test once");
    assert!(evals[2].contains(",test,50,"), "{}", evals[2]);
    train(dir.path(), &["--epochs", "1", "--metrics", c]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.matches("event,time").count(), 1, "one header");
    assert_eq!(text.lines().count(), 1 + 15 + 8);

    let jsonl = dir.path().join("m.jsonl");
    train(
        dir.path(),
        &["--epochs", "1", "--metrics", jsonl.to_str().unwrap()],
    );
    let records: Vec<Value> = std::fs::read_to_string(&jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect(l))
        .collect();
    assert_eq!(records.len(), 6 + 2);
    assert_eq!(records[0]["event"], "step");
    assert_eq!(records[0]["step"], 1);
    assert_eq!(records[7]["set"], "test");
    assert!(
        records
            .iter()
            .all(|r| r["elapsed"].as_f64().is_some_and(|e| e >= 0.0))
    );
}

#[test]
fn a_bad_metrics_file_is_refused_before_training() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("m.txt");
    assert_refused(
        &["train", "--metrics", txt.to_str().unwrap()],
        2,
        "a metrics file must end in .csv",
    );
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "a,b\n1,2\n").unwrap();
    assert_refused(
        &["train", "--metrics", other.to_str().unwrap()],
        2,
        "already holds other columns",
    );
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "a,b\n1,2\n");
}
