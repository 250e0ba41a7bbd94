//! An IDX byte stream, raw or gzipped, read a piece at a time: never more than the caller
//! asks for, so memory follows what a file's header announces, not what the file holds.
//!
//! A file that holds more than its header announces (a gzip bomb: a 1 MB file that inflates
//! to gigabytes of zeros after a valid header) is refused after one byte too many, and a
//! device that never ends (a link to /dev/zero) is refused by the caller before it is opened.

use super::idx::IdxError;
use flate2::read::MultiGzDecoder;
use std::io::{self, Cursor, ErrorKind, Read};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// The first piece of a body; later pieces double it (a 47 MB file takes five reallocations).
const FIRST_PIECE: usize = 4 << 20;

pub(crate) struct IdxStream<'a> {
    file: &'a str,
    gzip: bool,
    inner: Box<dyn Read + 'a>,
}

/// Fill `buf` as far as the input goes; the count read (short only at the end of the input).
fn read_full(input: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

impl<'a> IdxStream<'a> {
    /// Gunzip when the input starts with the gzip magic (every member of a multi-member
    /// file, as `zcat` does), else read it as it is. `file` names it in errors.
    pub fn new(file: &'a str, mut input: impl Read + 'a) -> Result<Self, IdxError> {
        let mut magic = [0u8; 2];
        let n = read_full(&mut input, &mut magic).map_err(|error| IdxError::Io {
            file: file.into(),
            error,
        })?;
        let gzip = n == 2 && magic == GZIP_MAGIC;
        let head = Cursor::new(magic).take(n as u64).chain(input);
        let inner: Box<dyn Read + 'a> = if gzip {
            Box::new(MultiGzDecoder::new(head))
        } else {
            Box::new(head)
        };
        Ok(IdxStream { file, gzip, inner })
    }

    /// Corrupt compressed data is the file's fault; any other error is the system's.
    fn error(&self, error: io::Error, context: &str) -> IdxError {
        let corrupt = matches!(
            error.kind(),
            ErrorKind::InvalidInput | ErrorKind::InvalidData | ErrorKind::UnexpectedEof
        );
        if self.gzip && corrupt {
            IdxError::CorruptGzip {
                file: self.file.into(),
                reason: format!("{context}{error}"),
            }
        } else {
            IdxError::Io {
                file: self.file.into(),
                error,
            }
        }
    }

    /// The next `len` bytes, or `Truncated` when the input ends first. `offset` is where they
    /// start in the (decompressed) file, so that the error counts from the file's start.
    /// Memory grows with the bytes that really arrive, never ahead of them by more than a piece.
    pub fn read(&mut self, len: usize, offset: usize) -> Result<Vec<u8>, IdxError> {
        let mut buf = Vec::new();
        while buf.len() < len {
            let piece = (len - buf.len()).min(buf.len().max(FIRST_PIECE));
            buf.try_reserve_exact(piece)
                .map_err(|_| IdxError::OutOfMemory {
                    file: self.file.into(),
                    bytes: offset + len,
                })?;
            let got = (&mut self.inner)
                .take(piece as u64)
                .read_to_end(&mut buf)
                .map_err(|e| self.error(e, ""))?;
            if got < piece {
                return Err(IdxError::Truncated {
                    file: self.file.into(),
                    expected: offset + len,
                    found: offset + buf.len(),
                });
            }
        }
        Ok(buf)
    }

    /// Check that nothing follows the `expected` bytes the header announced, reading at most
    /// one more byte (or, in a gzip file, the next member's header).
    pub fn expect_end(&mut self, expected: usize) -> Result<(), IdxError> {
        let mut byte = [0u8; 1];
        match read_full(&mut self.inner, &mut byte) {
            Ok(0) => Ok(()),
            Ok(_) => Err(IdxError::TrailingBytes {
                file: self.file.into(),
                expected,
            }),
            Err(e) => Err(self.error(
                e,
                &format!("after the {expected} bytes the header announces: "),
            )),
        }
    }
}
