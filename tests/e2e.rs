//! End to end: the real binary in a pseudo-terminal, read through a terminal emulator, as a
//! user would see it.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

struct Session {
    parser: vt100::Parser,
    output: Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    fn start(cols: u16, rows: u16, args: &[&str]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cnn-tui"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("COLORTERM", "truecolor");
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).expect("the binary starts");
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

    fn pump(&mut self, wait: Duration) {
        if let Ok(bytes) = self.output.recv_timeout(wait) {
            self.parser.process(&bytes);
        }
        while let Ok(bytes) = self.output.try_recv() {
            self.parser.process(&bytes);
        }
    }

    fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Wait (at most `secs`) until the screen shows `text`.
    fn wait_for(&mut self, text: &str, secs: u64) {
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

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Wait for the program to exit; its exit code.
    fn exit_code(&mut self, secs: u64) -> u32 {
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
}

/// Waits for the dashboard, changes stride and pooling, pauses, quits; the terminal is
/// restored and the exit status is 0.
#[test]
fn a_user_session_at_160x48() {
    let mut s = Session::start(160, 48, &[]);
    s.wait_for("running", 30);
    s.wait_for("Learned filters", 5);
    assert!(
        s.parser.screen().alternate_screen(),
        "the dashboard draws on the alternate screen"
    );
    s.wait_for("8×28×28", 5);

    s.keys("S"); // stride of conv1 up: 1 → 2
    s.wait_for("conv1 stride 1→2", 10);
    s.wait_for("8×14×14", 5);

    s.keys("o"); // pooling of conv1: max → avg
    s.wait_for("conv1 pool max→avg", 10);
    s.wait_for("avgpool1", 5);

    s.keys(" ");
    s.wait_for("paused", 5);

    let t = Instant::now();
    s.keys("q");
    assert_eq!(s.exit_code(5), 0);
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "quitting took {:?}",
        t.elapsed()
    );
    let screen = s.parser.screen();
    assert!(!screen.alternate_screen(), "back on the main screen");
    assert!(!screen.hide_cursor(), "the cursor is visible again");
    assert_eq!(
        screen.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "mouse capture is off"
    );
}

/// The number right after `marker` on the first line of `screen` that has it.
fn number_after(screen: &str, marker: &str) -> f32 {
    let line = screen
        .lines()
        .find(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("no {marker:?} on the screen:\n{screen}"));
    let rest = &line[line.find(marker).unwrap() + marker.len()..];
    let word = rest.split_whitespace().next().unwrap_or("");
    word.parse()
        .unwrap_or_else(|_| panic!("{word:?} after {marker:?} is not a number: {line}"))
}

/// Enter opens conv1's map full screen; paused, the cursor moves to (1, 1); the microscope's
/// sum on the screen is the map's value there, the network's; Esc goes back to the dashboard,
/// which trains on when resumed; q quits.
#[test]
fn the_focus_view_shows_how_a_pixel_was_computed() {
    let mut s = Session::start(160, 48, &[]);
    s.wait_for("running", 30);
    s.wait_for("8×28×28", 10); // the first snapshot is in
    s.keys("\r");
    s.wait_for("conv1 map 1 of 8", 5);
    s.keys(" "); // pause, so that the numbers stay put while the screen is read
    s.wait_for("paused", 5);
    s.keys(&"kh".repeat(30)); // to the corner (0, 0)…
    s.keys("lj"); // …and one pixel right and down
    s.wait_for("(1, 1) =", 5);
    s.wait_for("= sum", 5);
    s.pump(Duration::from_millis(300)); // the whole frame
    let screen = s.screen();
    let value = number_after(&screen, "(1, 1) =");
    let sum = number_after(&screen, "= sum");
    assert!(
        (value - sum).abs() < 1e-3,
        "the map says {value}, the sum {sum}:\n{screen}"
    );
    let agrees = |l: &&str| l.contains("network") && l.contains('✓');
    assert!(screen.lines().any(|l| agrees(&l)), "no ✓:\n{screen}");
    assert!(
        screen.contains("padding 1") && screen.contains("products"),
        "{screen}"
    );

    s.keys("\x1b");
    s.wait_for("Learned filters", 5);
    assert!(s.child.try_wait().unwrap().is_none(), "Esc does not quit");
    s.keys(" ");
    s.wait_for("running", 5);
    s.wait_for("│ step ", 10);
    let step = |screen: &str| number_after(screen, "│ step ") as usize;
    let before = step(&s.screen());
    let deadline = Instant::now() + Duration::from_secs(10);
    while step(&s.screen()) == before && Instant::now() < deadline {
        s.pump(Duration::from_millis(100));
    }
    assert!(
        step(&s.screen()) > before,
        "training goes on after the focus view"
    );
    s.keys("q");
    assert_eq!(s.exit_code(5), 0);
}

/// The reduced layout at 80×24, and quitting with Ctrl-C mid-epoch.
#[test]
fn a_small_terminal_gets_the_reduced_layout() {
    let mut s = Session::start(80, 24, &[]);
    s.wait_for("running", 30);
    s.wait_for("step", 5);
    s.keys("\x03");
    assert_eq!(s.exit_code(5), 0);
    assert!(!s.parser.screen().alternate_screen());
}

/// Below the minimum size the dashboard says what it needs instead of drawing garbage.
#[test]
fn a_tiny_terminal_is_told_what_is_needed() {
    let mut s = Session::start(40, 10, &[]);
    s.wait_for("too small", 30);
    s.keys("q");
    assert_eq!(s.exit_code(5), 0);
}
