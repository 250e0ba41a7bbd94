//! A small reader for MNIST's IDX files, raw or gzipped, that returns errors instead of
//! panicking. Every error names the file and says what was expected against what was found.
//!
//! Layout (big-endian): images `0x00000803, count, rows, cols, count·rows·cols bytes`;
//! labels `0x00000801, count, count bytes in 0..=9`.

use flate2::read::GzDecoder;
use std::borrow::Cow;
use std::io::Read;
use thiserror::Error;

pub const IMAGES_MAGIC: u32 = 0x0000_0803;
pub const LABELS_MAGIC: u32 = 0x0000_0801;
/// The side every MNIST-format image must have: the network's input side.
pub const IMAGE_SIDE: usize = crate::nn::plan::INPUT_SIDE;

#[derive(Debug, Error)]
pub enum IdxError {
    #[error("{file}: missing (expected an IDX file, raw or .gz, at {path})")]
    Missing { file: String, path: String },
    #[error("{file}: cannot be read: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
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
    #[error("{file}: {extra} trailing bytes after the {expected} bytes the header announces")]
    TrailingBytes {
        file: String,
        expected: usize,
        extra: usize,
    },
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

/// Gunzip when the bytes start with the gzip magic, else return them as they are.
pub fn maybe_gunzip<'a>(file: &str, bytes: &'a [u8]) -> Result<Cow<'a, [u8]>, IdxError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(Cow::Borrowed(bytes));
    }
    let mut out = Vec::with_capacity(bytes.len() * 6);
    GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| IdxError::CorruptGzip {
            file: file.into(),
            reason: e.to_string(),
        })?;
    Ok(Cow::Owned(out))
}

fn header(file: &str, bytes: &[u8], words: usize) -> Result<Vec<usize>, IdxError> {
    let need = words * 4;
    if bytes.len() < need {
        return Err(IdxError::Truncated {
            file: file.into(),
            expected: need,
            found: bytes.len(),
        });
    }
    Ok(bytes[..need]
        .chunks_exact(4)
        .map(|w| u32::from_be_bytes([w[0], w[1], w[2], w[3]]) as usize)
        .collect())
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

/// Check that `bytes` holds exactly `header + body` bytes and return the body, without a
/// second copy of a decompressed file (60,000 images are 47 MB).
fn body(file: &str, bytes: Cow<'_, [u8]>, header: usize, body: usize) -> Result<Vec<u8>, IdxError> {
    let expected = header + body;
    match bytes.len() {
        n if n < expected => Err(IdxError::Truncated {
            file: file.into(),
            expected,
            found: n,
        }),
        n if n > expected => Err(IdxError::TrailingBytes {
            file: file.into(),
            expected,
            extra: n - expected,
        }),
        _ => {
            let mut owned = bytes.into_owned();
            owned.drain(..header);
            Ok(owned)
        }
    }
}

/// Parse an images file (raw or gzipped bytes). `file` names it in errors.
pub fn parse_images(file: &str, bytes: &[u8]) -> Result<IdxImages, IdxError> {
    let bytes = maybe_gunzip(file, bytes)?;
    let h = header(file, &bytes, 4)?;
    check_magic(file, h[0], IMAGES_MAGIC, "images, 0x0803")?;
    let (count, rows, cols) = (h[1], h[2], h[3]);
    if rows != IMAGE_SIDE || cols != IMAGE_SIDE {
        return Err(IdxError::WrongImageSize {
            file: file.into(),
            rows,
            cols,
        });
    }
    if count == 0 {
        return Err(IdxError::Empty { file: file.into() });
    }
    let pixels = body(file, bytes, 16, count * rows * cols)?;
    Ok(IdxImages { count, pixels })
}

/// Parse a labels file (raw or gzipped bytes); every label must be a digit 0..=9.
pub fn parse_labels(file: &str, bytes: &[u8]) -> Result<Vec<u8>, IdxError> {
    let bytes = maybe_gunzip(file, bytes)?;
    let h = header(file, &bytes, 2)?;
    check_magic(file, h[0], LABELS_MAGIC, "labels, 0x0801")?;
    let count = h[1];
    if count == 0 {
        return Err(IdxError::Empty { file: file.into() });
    }
    let labels = body(file, bytes, 8, count)?;
    if let Some(index) = labels.iter().position(|&l| l > 9) {
        return Err(IdxError::BadLabel {
            file: file.into(),
            index,
            label: labels[index],
        });
    }
    Ok(labels)
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
