//! The IDX reader on hostile input: memory follows what the header announces, never what the
//! file holds; special files are refused before they are opened; gzip is read as `zcat` does.

use cnn_tui::data::dataset::{self, DataError, Mnist};
use cnn_tui::data::idx::{self, IdxError};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn labels(count: usize) -> Vec<u8> {
    idx::encode_labels(&(0..count).map(|i| (i % 10) as u8).collect::<Vec<_>>())
}

/// A reader that yields `head`, then zeros up to `len` bytes in all, counting what was read.
struct Endless {
    head: Vec<u8>,
    len: u64,
    pos: u64,
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (buf.len() as u64).min(self.len - self.pos) as usize;
        for (i, b) in buf[..n].iter_mut().enumerate() {
            *b = *self.head.get(self.pos as usize + i).unwrap_or(&0);
        }
        self.pos += n as u64;
        Ok(n)
    }
}

/// Counts the bytes a reader hands out.
struct Counting<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

const BOMB_IMAGES: usize = 600;

fn bomb_header() -> Vec<u8> {
    idx::encode_images(&[], BOMB_IMAGES, 28, 28)
}

#[test]
fn a_raw_stream_longer_than_announced_is_read_no_further_than_one_byte() {
    let mut input = Endless {
        head: bomb_header(),
        len: 256 << 20,
        pos: 0,
    };
    let err = idx::read_images("bomb", &mut input).unwrap_err();
    let expected = 16 + BOMB_IMAGES * 784;
    assert!(
        matches!(err, IdxError::TrailingBytes { expected: e, .. } if e == expected),
        "{err:?}"
    );
    assert_eq!(
        input.pos,
        expected as u64 + 1,
        "read past the announced bytes"
    );
}

#[test]
fn a_gzip_bomb_is_refused_before_its_bytes_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{}.gz", dataset::TRAIN_IMAGES));
    // 600 images announced, then 1 GiB of zeros: streamed, never held in memory.
    let mut enc = GzEncoder::new(std::fs::File::create(&path).unwrap(), Compression::fast());
    enc.write_all(&bomb_header()).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        enc.write_all(&zeros).unwrap();
    }
    enc.finish().unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    let mut input = Counting {
        inner: std::fs::File::open(&path).unwrap(),
        read: 0,
    };
    let err = idx::read_images("bomb.gz", &mut input).unwrap_err();
    assert!(matches!(err, IdxError::TrailingBytes { .. }), "{err:?}");
    // Zeros deflate about 1000:1, so the 1 GiB is about a megabyte on disk; the reader stops
    // after the first 470 KB inflated, a few kilobytes of the file (plus one read buffer).
    assert!(size > 500_000, "the bomb is {size} bytes");
    assert!(
        input.read < 100_000,
        "read {} of {size} compressed bytes",
        input.read
    );
}

#[test]
fn a_header_announcing_more_than_any_mnist_set_is_refused_at_once() {
    let mut input = Endless {
        head: idx::encode_images(&[], u32::MAX as usize, 28, 28),
        len: 1 << 30,
        pos: 0,
    };
    let err = idx::read_images("huge", &mut input).unwrap_err();
    assert_eq!(
        err.to_string(),
        "huge: the header announces 4294967295 images; at most 1000000 are supported"
    );
    assert_eq!(input.pos, 16);
    let err = idx::parse_labels("huge", &idx::encode_labels(&[])[..4]).unwrap_err();
    assert!(matches!(err, IdxError::Truncated { .. }), "{err:?}");
}

#[test]
fn every_member_of_a_multi_member_gzip_is_read() {
    let bytes = labels(300);
    let mut joined = gzip(&bytes[..100]);
    joined.extend(gzip(&bytes[100..]));
    joined.extend(gzip(&[])); // an empty member is a member too
    assert_eq!(idx::parse_labels("labs.gz", &joined).unwrap(), &bytes[8..]);
}

#[test]
fn garbage_after_the_last_gzip_member_is_refused() {
    let mut bytes = gzip(&labels(30));
    bytes.extend_from_slice(b"garbage");
    let err = idx::parse_labels("labs.gz", &bytes).unwrap_err();
    assert!(matches!(err, IdxError::CorruptGzip { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("labs.gz: corrupt gzip data: after the 38 bytes the header announces"),
        "{err}"
    );
    // More data in a second member than the header announces is caught the same way.
    let mut bytes = gzip(&labels(30));
    bytes.extend(gzip(&[1]));
    let err = idx::parse_labels("labs.gz", &bytes).unwrap_err();
    assert!(matches!(err, IdxError::TrailingBytes { .. }), "{err:?}");
}

/// A dataset in `dir` whose train images are replaced by `make(path)`.
fn with_train_images(dir: &Path, make: impl FnOnce(&Path)) -> DataError {
    for (name, bytes) in [
        (dataset::TRAIN_LABELS, labels(12)),
        (
            dataset::TEST_IMAGES,
            idx::encode_images(&[0; 784], 1, 28, 28),
        ),
        (dataset::TEST_LABELS, labels(1)),
    ] {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    make(&dir.join(dataset::TRAIN_IMAGES));
    // In a thread, so that a reader that blocks fails the test instead of hanging it.
    let (tx, rx) = mpsc::channel();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || tx.send(Mnist::from_dir(&dir, 1).unwrap_err()));
    rx.recv_timeout(Duration::from_secs(20))
        .expect("reading the folder came back within 20 s")
}

#[test]
fn a_directory_is_said_to_be_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let err = with_train_images(dir.path(), |p| std::fs::create_dir(p).unwrap());
    let msg = err.to_string();
    assert!(
        msg.ends_with(
            "train-images-idx3-ubyte: is a directory, not a file (expected an IDX file, raw or .gz)"
        ),
        "{msg}"
    );
}

#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let err = with_train_images(dir.path(), |p| {
        let ok = std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .unwrap();
        assert!(ok.success());
    });
    assert!(err.to_string().contains("is a FIFO (named pipe)"), "{err}");
}

#[test]
fn a_link_to_dev_zero_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let err = with_train_images(dir.path(), |p| {
        std::os::unix::fs::symlink("/dev/zero", p.with_extension("gz")).unwrap();
    });
    let msg = err.to_string();
    assert!(
        msg.contains("train-images-idx3-ubyte.gz: is a character device"),
        "{msg}"
    );
}

#[test]
fn an_os_error_is_printed_once() {
    // Reading /proc/self/mem at offset 0 fails with EIO: a real OS error, even as root.
    let dir = tempfile::tempdir().unwrap();
    let err = with_train_images(dir.path(), |p| {
        std::os::unix::fs::symlink("/proc/self/mem", p).unwrap();
    });
    assert!(
        matches!(err, DataError::Idx(IdxError::Io { .. })),
        "{err:?}"
    );
    let shown = format!("{:#}", anyhow::Error::from(err));
    assert_eq!(shown.matches("os error").count(), 1, "{shown}");
    assert!(shown.contains("cannot be read: "), "{shown}");
}
