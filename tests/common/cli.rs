//! Helpers shared by the command-line tests.

use std::path::Path;
use std::process::{Command, Output};

pub fn cnn_tui(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cnn-tui"))
        .args(args)
        .output()
        .expect("the binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Exit `code`, `needle` on stderr, nothing on stdout, no panic.
pub fn assert_refused(args: &[&str], code: i32, needle: &str) -> Output {
    let o = cnn_tui(args);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
    assert!(o.stdout.is_empty(), "{args:?} printed: {}", stdout(&o));
    assert!(
        stderr(&o).contains(needle),
        "{args:?}: expected {needle:?} in {}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    o
}

/// 200 training and 50 test images cut from the built-in MNIST.
pub fn write_small_mnist(dir: &Path) {
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
        (dataset::TEST_LABELS, sl),
    ] {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}
