//! A small reader for MNIST's IDX files, raw or gzipped, that returns errors instead of
//! panicking. Every error names the file and says what was expected against what was found.
//!
//! Input is read as a stream, never whole: at most what the header announces plus one byte,
//! so a file's header bounds the memory it can take (see `stream`).
//!
//! Layout (big-endian): images `0x00000803, count, rows, cols, count·rows·cols bytes`;
//! labels `0x00000801, count, count bytes in 0..=9`.

use super::stream::IdxStream;
use std::io::Read;
use thiserror::Error;

pub const IMAGES_MAGIC: u32 = 0x0000_0803;
pub const LABELS_MAGIC: u32 = 0x0000_0801;
/// The side every MNIST-format image must have: the network's input side.
pub const IMAGE_SIDE: usize = crate::nn::plan::INPUT_SIDE;
/// The most images (or labels) a file may announce: more than any MNIST-format set of digits
/// (EMNIST digits has 240,000 in one file), few enough that reading them cannot exhaust memory (784 MB).
pub const MAX_COUNT: usize = 1_000_000;

#[derive(Debug, Error)]
pub enum IdxError {
    #[error("{file}: missing (expected an IDX file, raw or .gz, at {path})")]
    Missing { file: String, path: String },
    #[error("{path}: is {what}, not a file (expected an IDX file, raw or .gz)")]
    NotAFile { path: String, what: &'static str },
    // The OS error is in the message and deliberately not a `source`: shown through anyhow's
    // `{:#}` chain it would be printed twice.
    #[error("{file}: cannot be read: {error}")]
    Io { file: String, error: std::io::Error },
    #[error("{file}: corrupt gzip data: {reason}")]
    CorruptGzip { file: String, reason: String },
    #[error("{file}: wrong magic number: expected {expected:#010x} ({what}), found {found:#010x}")]
    WrongMagic {
        file: String,
        what: &'static str,
        expected: u32,
        found: u32,
    },
    #[error("{file}: wrong image size: expected {IMAGE_SIDE}×{IMAGE_SIDE}, found {rows}×{cols}")]
    WrongImageSize {
        file: String,
        rows: usize,
        cols: usize,
    },
    #[error("{file}: truncated: expected {expected} bytes, found {found}")]
    Truncated {
        file: String,
        expected: usize,
        found: usize,
    },
    #[error(
        "{file}: more bytes than the {expected} the header announces (a wrong count, or files joined)"
    )]
    TrailingBytes { file: String, expected: usize },
    #[error("{file}: the header announces {count} {what}; at most {MAX_COUNT} are supported")]
    TooMany {
        file: String,
        count: usize,
        what: &'static str,
    },
    #[error("{file}: not enough memory to read the {bytes} bytes the header announces")]
    OutOfMemory { file: String, bytes: usize },
    #[error("{file}: label {label} at index {index} is outside 0..=9")]
    BadLabel {
        file: String,
        index: usize,
        label: u8,
    },
    #[error("{file}: the set is empty (count 0)")]
    Empty { file: String },
    #[error("{images} holds {image_count} images but {labels} holds {label_count} labels")]
    CountMismatch {
        images: String,
        image_count: usize,
        labels: String,
        label_count: usize,
    },
}

/// Images of one IDX file: `count` images of 28×28 bytes, row-major, 0 = background.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdxImages {
    pub count: usize,
    pub pixels: Vec<u8>,
}

fn words(bytes: &[u8]) -> Vec<usize> {
    bytes
        .chunks_exact(4)
        .map(|w| u32::from_be_bytes([w[0], w[1], w[2], w[3]]) as usize)
        .collect()
}

fn check_magic(
    file: &str,
    found: usize,
    expected: u32,
    what: &'static str,
) -> Result<(), IdxError> {
    if found as u32 == expected {
        Ok(())
    } else {
        Err(IdxError::WrongMagic {
            file: file.into(),
            what,
            expected,
            found: found as u32,
        })
    }
}

/// Refuse an empty set, or one larger than any MNIST-format set, before reading its body.
fn check_count(file: &str, count: usize, what: &'static str) -> Result<(), IdxError> {
    if count == 0 {
        return Err(IdxError::Empty { file: file.into() });
    }
    if count > MAX_COUNT {
        return Err(IdxError::TooMany {
            file: file.into(),
            count,
            what,
        });
    }
    Ok(())
}

/// Read an images file (raw or gzipped) from `input`, never more than its header announces
/// plus one byte. `file` names it in errors.
pub fn read_images(file: &str, input: impl Read) -> Result<IdxImages, IdxError> {
    let mut stream = IdxStream::new(file, input)?;
    let h = words(&stream.read(16, 0)?);
    check_magic(file, h[0], IMAGES_MAGIC, "images, 0x0803")?;
    let (count, rows, cols) = (h[1], h[2], h[3]);
    if rows != IMAGE_SIDE || cols != IMAGE_SIDE {
        return Err(IdxError::WrongImageSize {
            file: file.into(),
            rows,
            cols,
        });
    }
    check_count(file, count, "images")?;
    let body = count * rows * cols;
    let pixels = stream.read(body, 16)?;
    stream.expect_end(16 + body)?;
    Ok(IdxImages { count, pixels })
}

/// Read a labels file (raw or gzipped); every label must be a digit 0..=9.
pub fn read_labels(file: &str, input: impl Read) -> Result<Vec<u8>, IdxError> {
    let mut stream = IdxStream::new(file, input)?;
    let h = words(&stream.read(8, 0)?);
    check_magic(file, h[0], LABELS_MAGIC, "labels, 0x0801")?;
    let count = h[1];
    check_count(file, count, "labels")?;
    let labels = stream.read(count, 8)?;
    stream.expect_end(8 + count)?;
    if let Some(index) = labels.iter().position(|&l| l > 9) {
        return Err(IdxError::BadLabel {
            file: file.into(),
            index,
            label: labels[index],
        });
    }
    Ok(labels)
}

/// `read_images` on bytes in memory.
pub fn parse_images(file: &str, bytes: &[u8]) -> Result<IdxImages, IdxError> {
    read_images(file, bytes)
}

/// `read_labels` on bytes in memory.
pub fn parse_labels(file: &str, bytes: &[u8]) -> Result<Vec<u8>, IdxError> {
    read_labels(file, bytes)
}

/// Encode images as an IDX file (the inverse of `parse_images`; tests and tools use it).
pub fn encode_images(pixels: &[u8], count: usize, rows: usize, cols: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + pixels.len());
    for word in [IMAGES_MAGIC, count as u32, rows as u32, cols as u32] {
        out.extend_from_slice(&word.to_be_bytes());
    }
    out.extend_from_slice(pixels);
    out
}

/// Encode labels as an IDX file.
pub fn encode_labels(labels: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + labels.len());
    out.extend_from_slice(&LABELS_MAGIC.to_be_bytes());
    out.extend_from_slice(&(labels.len() as u32).to_be_bytes());
    out.extend_from_slice(labels);
    out
}
