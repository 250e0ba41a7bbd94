//! Opening input files safely: only regular files (links followed) are opened, because a FIFO
//! blocks `open` until a writer comes, a device like /dev/zero never ends, and a directory is
//! not data. The check comes before the open, so nothing hangs.

use std::fs::{self, File, FileType};
use std::io;
use std::path::Path;

/// Why a path that exists cannot be read as a file.
#[derive(Debug)]
pub enum OpenError {
    NotFound,
    /// e.g. "a directory", "a FIFO (named pipe)".
    NotAFile(&'static str),
    Io(io::Error),
}

/// What a file type is, in words, when it is not a regular file.
fn kind(ft: FileType) -> Option<&'static str> {
    if ft.is_file() {
        return None;
    }
    if ft.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let special = [
            (ft.is_fifo(), "a FIFO (named pipe)"),
            (ft.is_char_device(), "a character device"),
            (ft.is_block_device(), "a block device"),
            (ft.is_socket(), "a socket"),
        ];
        if let Some((_, what)) = special.into_iter().find(|(is, _)| *is) {
            return Some(what);
        }
    }
    Some("not a regular file")
}

/// Open `path` for reading if it is a regular file, or a link to one.
pub fn open_regular(path: &Path) -> Result<File, OpenError> {
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => OpenError::NotFound,
        _ => OpenError::Io(e),
    })?;
    if let Some(what) = kind(meta.file_type()) {
        return Err(OpenError::NotAFile(what));
    }
    File::open(path).map_err(OpenError::Io)
}

/// True when something (of any type) is at `path`, following links.
pub fn exists(path: &Path) -> bool {
    fs::metadata(path).is_ok()
}
