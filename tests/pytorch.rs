//! The README's Python lines load a checkpoint into PyTorch, and PyTorch finds the same test
//! accuracy and loss as cnn-tui. Needs a Python with torch, safetensors and numpy:
//! `CNN_TUI_TORCH_PYTHON=/path/to/python cargo test --test pytorch -- --ignored`.

use std::process::Command;

#[test]
#[ignore = "needs PyTorch: set CNN_TUI_TORCH_PYTHON and pass --ignored"]
fn pytorch_loads_a_checkpoint_and_agrees_on_the_test_set() {
    let python = std::env::var("CNN_TUI_TORCH_PYTHON")
        .expect("CNN_TUI_TORCH_PYTHON names a python with torch, safetensors and numpy");
    let dir = tempfile::tempdir().unwrap();
    let ck = dir.path().join("run.safetensors");
    // 5×5 kernels, stride 2, average pooling: more than the default layout is checked.
    let o = Command::new(env!("CARGO_BIN_EXE_cnn-tui"))
        .args([
            "train",
            "--json",
            "--epochs",
            "1",
            "--filters",
            "6,12",
            "--pool",
            "avg",
        ])
        .args([
            "--kernel",
            "5",
            "--stride",
            "2",
            "--save",
            ck.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    let done: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let py = Command::new(python)
        .arg(format!("{root}/tests/pytorch/check_checkpoint.py"))
        .args([format!("{root}/README.md"), ck.display().to_string()])
        .arg(format!("{root}/assets/mnist"))
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let torch: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
    let (ours, theirs) = (
        done["test_accuracy"].as_f64().unwrap(),
        torch["accuracy"].as_f64().unwrap(),
    );
    // The same weights; float sums in another order may flip an image on a knife's edge.
    assert!(
        (ours - theirs).abs() <= 2e-4,
        "cnn-tui {ours}, PyTorch {theirs}"
    );
    let (ours, theirs) = (
        done["test_loss"].as_f64().unwrap(),
        torch["loss"].as_f64().unwrap(),
    );
    assert!(
        (ours - theirs).abs() < 1e-4 * ours.max(1.0),
        "cnn-tui {ours}, PyTorch {theirs}"
    );
    assert!(ours < 0.6, "a trained network, loss {ours}");
}
