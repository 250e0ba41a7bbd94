//! A pseudo-terminal session for the end-to-end tests: the real binary (or a shell around
//! it) in a pty, its output read through a terminal emulator, as a user would see it.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

pub struct Session {
    pub parser: vt100::Parser,
    output: Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

/// A program in a pty that nobody reads: dropping it closes the terminal for good, as a
/// terminal window that closes does (a `Session`'s reader thread would keep it open).
pub struct Unread {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    pub master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Unread {
    pub fn spawn(cols: u16, rows: u16, program: &str, args: &[&str]) -> Unread {
        let (pair, cmd) = open(cols, rows, program, args);
        let child = pair.slave.spawn_command(cmd).expect("the program starts");
        Unread {
            child,
            master: pair.master,
        }
    }
}

/// A `cols`×`rows` pty and `program args…` to run in it, with a colour terminal's environment.
fn open(
    cols: u16,
    rows: u16,
    program: &str,
    args: &[&str],
) -> (portable_pty::PtyPair, CommandBuilder) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pty");
    let mut cmd = CommandBuilder::new(program);
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env("COLORTERM", "truecolor");
    cmd.env_remove("NO_COLOR");
    (pair, cmd)
}

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_cnn-tui");

impl Session {
    /// `program args…` in a `cols`×`rows` pty with a colour terminal's environment.
    pub fn spawn(cols: u16, rows: u16, program: &str, args: &[&str]) -> Session {
        let (pair, cmd) = open(cols, rows, program, args);
        let child = pair.slave.spawn_command(cmd).expect("the program starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("a reader");
        let writer = pair.master.take_writer().expect("a writer");
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let size = |n: u16| std::num::NonZero::new(n).expect("a non-empty terminal");
        Session {
            parser: vt100::Parser::new(size(rows), size(cols), 0),
            output,
            writer,
            child,
            _master: pair.master,
        }
    }

    /// Read what has arrived, waiting at most `wait` for the first bytes.
    pub fn pump(&mut self, wait: Duration) {
        if let Ok(bytes) = self.output.recv_timeout(wait) {
            self.parser.process(&bytes);
        }
        while let Ok(bytes) = self.output.try_recv() {
            self.parser.process(&bytes);
        }
    }

    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Wait (at most `secs`) until the screen shows `text`.
    pub fn wait_for(&mut self, text: &str, secs: u64) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < deadline {
            self.pump(Duration::from_millis(50));
            if self.screen().contains(text) {
                return;
            }
        }
        panic!(
            "the screen never showed {text:?}; it shows:\n{}",
            self.screen()
        );
    }

    /// The binary under test with `args`.
    pub fn start(cols: u16, rows: u16, args: &[&str]) -> Session {
        Session::spawn(cols, rows, BIN, args)
    }

    pub fn keys(&mut self, keys: &str) {
        self.send(keys.as_bytes());
    }

    /// Wait for the program to exit; its exit code.
    pub fn exit_code(&mut self, secs: u64) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < deadline {
            self.pump(Duration::from_millis(20));
            if let Some(status) = self.child.try_wait().unwrap() {
                self.pump(Duration::from_millis(100));
                return status.exit_code();
            }
        }
        let _ = self.child.kill();
        panic!(
            "the program did not exit within {secs} s; the screen:\n{}",
            self.screen()
        );
    }

    /// `q`, and `q` again when the dashboard asks whether to quit without saving: it asks after
    /// more than an epoch of training since the last save, which a fast machine trains in two
    /// seconds.
    #[allow(dead_code)]
    pub fn quit(&mut self) {
        self.send(b"q");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && self.parser.screen().alternate_screen() {
            self.pump(Duration::from_millis(50));
            if self.screen().contains("Quit without saving") {
                self.send(b"q");
                return;
            }
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("the pty takes input");
        self.writer.flush().expect("flushed");
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// The pids of `parent`'s children (from /proc), oldest first.
pub fn children_of(parent: u32) -> Vec<u32> {
    let path = format!("/proc/{parent}/task/{parent}/children");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|pid| pid.parse().ok())
        .collect()
}

/// Send `signal` (a name such as `TERM`) to `pid` with the system's `kill`.
pub fn kill(pid: u32, signal: &str) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{signal} {pid}");
}
