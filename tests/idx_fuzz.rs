//! Arbitrary bytes into the IDX reader, raw and gzipped: an error or a set, never a panic,
//! and never a read past what the header announces. Any crash found here stays as a case in
//! `regressions` below.

use cnn_tui::data::idx::{self, IdxError};
use flate2::Compression;
use flate2::write::GzEncoder;
use proptest::prelude::*;
use std::io::{Read, Write};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// Parse both ways; an accepted file must hold exactly what its header says.
fn parse_all(bytes: &[u8]) {
    if let Ok(images) = idx::parse_images("fuzz", bytes) {
        assert_eq!(images.pixels.len(), images.count * 784);
        assert!(images.count > 0);
    }
    if let Ok(labels) = idx::parse_labels("fuzz", bytes) {
        assert!(!labels.is_empty() && labels.iter().all(|&l| l <= 9));
    }
}

/// `head`, then pseudo-random bytes up to `len` in all, counting what was read.
struct Tail {
    head: Vec<u8>,
    len: usize,
    pos: usize,
}

impl Read for Tail {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.len - self.pos);
        for (i, b) in buf[..n].iter_mut().enumerate() {
            let at = self.pos + i;
            *b = self.head.get(at).copied().unwrap_or((at % 7) as u8);
        }
        self.pos += n;
        Ok(n)
    }
}

fn header_words() -> impl Strategy<Value = [u32; 4]> {
    let magic = prop_oneof![Just(0x803u32), Just(0x801), any::<u32>()];
    let count = prop_oneof![0u32..50, any::<u32>()];
    let side = prop_oneof![Just(28u32), any::<u32>()];
    (magic, count, side.clone(), side).prop_map(|(m, c, r, s)| [m, c, r, s])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn raw_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        parse_all(&bytes);
    }

    #[test]
    fn gzipped_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        parse_all(&gzip(&bytes));
    }

    #[test]
    fn damaged_gzip_never_panics(
        count in 1usize..6,
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        cut in any::<usize>(),
    ) {
        let labels: Vec<u8> = (0..count).map(|i| (i % 10) as u8).collect();
        let pixels = vec![7u8; count * 784];
        for file in [idx::encode_labels(&labels), idx::encode_images(&pixels, count, 28, 28)] {
            let mut bytes = gzip(&file);
            for &(at, x) in &flips {
                let n = bytes.len();
                bytes[at % n] ^= x;
            }
            bytes.truncate(cut % (bytes.len() + 1));
            parse_all(&bytes);
        }
    }

    /// However long the input, the reader stops one byte after what the header announces.
    #[test]
    fn reads_stop_one_byte_after_the_announced_length(words in header_words(), extra in 0usize..3000) {
        let head: Vec<u8> = words.iter().flat_map(|w| w.to_be_bytes()).collect();
        let count = words[1] as usize;
        let sane = words[0] == 0x803 && words[2] == 28 && words[3] == 28
            && (1..=idx::MAX_COUNT).contains(&count);
        let announced = if sane { count * 784 } else { 0 };
        let mut input = Tail { head, len: 16 + (announced + extra).min(8 << 20), pos: 0 };
        let result = idx::read_images("fuzz", &mut input);
        prop_assert!(input.pos <= 16 + announced + 1, "read {} for {announced}", input.pos);
        if sane && extra == 0 {
            prop_assert!(result.is_ok(), "{:?}", result.err());
        } else if sane && extra > 0 && announced + extra <= 8 << 20 {
            prop_assert!(matches!(result, Err(IdxError::TrailingBytes { .. })), "{result:?}");
        } else {
            prop_assert!(result.is_err());
        }
    }
}

/// Inputs that once broke the reader (none yet from the fuzzers above) and the edges
/// they circle: every one an error, none a panic.
#[test]
fn regressions() {
    let cases: [&[u8]; 6] = [
        &[],
        &[0x1f],
        &[0x1f, 0x8b],
        &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff],
        &[0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28],
        &[0, 0, 8, 1, 0, 0, 0, 1],
    ];
    for bytes in cases {
        assert!(idx::parse_images("case", bytes).is_err(), "{bytes:?}");
        assert!(idx::parse_labels("case", bytes).is_err(), "{bytes:?}");
    }
}
