//! The IDX reader on files the tests build themselves: every error names the file and says
//! what was expected against what was found.

use cnn_tui::data::dataset::{self, DataError, Mnist};
use cnn_tui::data::idx::{self, IdxError};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::path::Path;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn images(count: usize) -> Vec<u8> {
    let pixels: Vec<u8> = (0..count * 784).map(|i| (i % 251) as u8).collect();
    idx::encode_images(&pixels, count, 28, 28)
}

fn labels(count: usize) -> Vec<u8> {
    idx::encode_labels(&(0..count).map(|i| (i % 10) as u8).collect::<Vec<_>>())
}

/// Write a complete small dataset (12 training, 5 test images) into `dir`.
fn write_set(dir: &Path, gz: bool) {
    let files = [
        (dataset::TRAIN_IMAGES, images(12)),
        (dataset::TRAIN_LABELS, labels(12)),
        (dataset::TEST_IMAGES, images(5)),
        (dataset::TEST_LABELS, labels(5)),
    ];
    for (name, bytes) in files {
        if gz {
            std::fs::write(dir.join(format!("{name}.gz")), gzip(&bytes)).unwrap();
        } else {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
}

#[test]
fn raw_and_gzipped_files_read_the_same() {
    let (raw, gz) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_set(raw.path(), false);
    write_set(gz.path(), true);
    let a = Mnist::from_dir(raw.path(), 2).unwrap();
    let b = Mnist::from_dir(gz.path(), 2).unwrap();
    assert_eq!(
        (a.train.len(), a.validation.len(), a.test.len()),
        (10, 2, 5)
    );
    assert_eq!(a.train, b.train);
    assert_eq!(a.validation.labels(), &[0, 1]); // the last two of 0..9,0,1
    assert_eq!(a.test.image_bytes(4), b.test.image_bytes(4));
}

#[test]
fn missing_file_names_it_and_where_it_was_looked_for() {
    let dir = tempfile::tempdir().unwrap();
    write_set(dir.path(), false);
    std::fs::remove_file(dir.path().join(dataset::TEST_LABELS)).unwrap();
    let err = Mnist::from_dir(dir.path(), 2).unwrap_err();
    assert!(
        matches!(err, DataError::Idx(IdxError::Missing { .. })),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("t10k-labels-idx1-ubyte") && msg.contains(".gz"),
        "{msg}"
    );
}

#[test]
fn wrong_magic_number() {
    let mut bytes = images(2);
    bytes[3] = 0x01;
    let err = idx::parse_images("imgs", &bytes).unwrap_err();
    assert!(
        matches!(
            err,
            IdxError::WrongMagic {
                expected: 0x803,
                found: 0x801,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("imgs: wrong magic number: expected 0x00000803"),
        "{err}"
    );
    let err = idx::parse_labels("labs", &images(1)).unwrap_err();
    assert!(
        matches!(
            err,
            IdxError::WrongMagic {
                expected: 0x801,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn wrong_image_size() {
    let bytes = idx::encode_images(&vec![0; 2 * 32 * 32], 2, 32, 32);
    let err = idx::parse_images("imgs", &bytes).unwrap_err();
    assert_eq!(
        err.to_string(),
        "imgs: wrong image size: expected 28×28, found 32×32"
    );
}

#[test]
fn truncated_header_and_body() {
    let err = idx::parse_images("imgs", &images(3)[..10]).unwrap_err();
    assert!(
        matches!(
            err,
            IdxError::Truncated {
                expected: 16,
                found: 10,
                ..
            }
        ),
        "{err:?}"
    );
    let bytes = images(3);
    let err = idx::parse_images("imgs", &bytes[..bytes.len() - 5]).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "imgs: truncated: expected {} bytes, found {}",
            16 + 3 * 784,
            16 + 3 * 784 - 5
        )
    );
}

#[test]
fn trailing_bytes() {
    let mut bytes = labels(4);
    bytes.extend_from_slice(&[1, 2, 3]);
    let err = idx::parse_labels("labs", &bytes).unwrap_err();
    assert!(
        matches!(err, IdxError::TrailingBytes { expected: 12, .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "labs: more bytes than the 12 the header announces (a wrong count, or files joined)"
    );
}

#[test]
fn corrupt_gzip() {
    let mut bytes = gzip(&images(2));
    let mid = bytes.len() / 2;
    bytes.truncate(mid);
    let err = idx::parse_images("imgs.gz", &bytes).unwrap_err();
    assert!(matches!(err, IdxError::CorruptGzip { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("imgs.gz: corrupt gzip data"),
        "{err}"
    );
}

#[test]
fn label_outside_0_to_9() {
    let err = idx::parse_labels("labs", &idx::encode_labels(&[3, 9, 10, 1])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "labs: label 10 at index 2 is outside 0..=9"
    );
}

#[test]
fn empty_set() {
    let err = idx::parse_labels("labs", &idx::encode_labels(&[])).unwrap_err();
    assert!(matches!(err, IdxError::Empty { .. }), "{err:?}");
    let err = idx::parse_images("imgs", &idx::encode_images(&[], 0, 28, 28)).unwrap_err();
    assert!(matches!(err, IdxError::Empty { .. }), "{err:?}");
}

#[test]
fn image_and_label_counts_must_agree() {
    let dir = tempfile::tempdir().unwrap();
    write_set(dir.path(), false);
    std::fs::write(dir.path().join(dataset::TEST_LABELS), labels(4)).unwrap();
    let err = Mnist::from_dir(dir.path(), 2).unwrap_err();
    assert!(
        matches!(
            err,
            DataError::Idx(IdxError::CountMismatch {
                image_count: 5,
                label_count: 4,
                ..
            })
        ),
        "{err:?}"
    );
}

#[test]
fn validation_must_leave_training_images() {
    let dir = tempfile::tempdir().unwrap();
    write_set(dir.path(), false);
    let err = Mnist::from_dir(dir.path(), 12).unwrap_err();
    assert!(
        matches!(
            err,
            DataError::ValidationTooLarge {
                requested: 12,
                available: 12
            }
        ),
        "{err:?}"
    );
}

#[test]
fn builtin_mnist_is_the_real_thing() {
    let mnist = Mnist::builtin(5000).unwrap();
    assert_eq!(
        (mnist.train.len(), mnist.validation.len(), mnist.test.len()),
        (55_000, 5_000, 10_000)
    );
    assert_eq!(&mnist.train.labels()[..5], &[5, 0, 4, 1, 9]);
    assert_eq!(&mnist.test.labels()[..5], &[7, 2, 1, 0, 4]);
    let image = mnist.test.image(0);
    assert!(image.iter().all(|&p| (0.0..=1.0).contains(&p)));
    assert!(
        image.iter().any(|&p| p == 1.0),
        "a digit has full-ink pixels"
    );
}

#[test]
fn batches_become_f32_in_0_1() {
    let mnist = Mnist::builtin(5000).unwrap();
    let mut x = cnn_tui::nn::Tensor::zeros((0, 1, 28, 28));
    let mut y = Vec::new();
    mnist.test.fill_batch(&[1, 0], &mut x, &mut y);
    assert_eq!(x.dim(), (2, 1, 28, 28));
    assert_eq!(y, vec![2, 7]);
    let first = mnist.test.image_bytes(1);
    assert_eq!(x[[0, 0, 0, 0]], first[0] as f32 / 255.0);
    let (r, c) = (14, 14);
    assert!((x[[0, 0, r, c]] - first[r * 28 + c] as f32 / 255.0).abs() < 1e-7);
}
