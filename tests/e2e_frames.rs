//! End to end, in a pseudo-terminal: every frame is drawn inside a synchronized update, and
//! `e` makes a misclassified test digit the probe, its label and prediction on screen.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BEGIN: &[u8] = b"\x1b[?2026h";
const END: &[u8] = b"\x1b[?2026l";

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

#[test]
fn frames_are_synchronized_and_e_finds_a_wrong_digit() {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 48,
            cols: 160,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cnn-tui"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("COLORTERM", "truecolor");
    cmd.env_remove("NO_COLOR");
    let mut child = pair.slave.spawn_command(cmd).expect("the binary starts");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("a reader");
    let mut writer = pair.master.take_writer().expect("a writer");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let size = |n: u16| std::num::NonZero::new(n).expect("a non-empty terminal");
    let mut parser = vt100::Parser::new(size(48), size(160), 0);
    let mut raw = Vec::new();
    let wait_for = |text: &str, raw: &mut Vec<u8>, parser: &mut vt100::Parser| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(bytes) = rx.recv_timeout(Duration::from_millis(50)) {
                parser.process(&bytes);
                raw.extend_from_slice(&bytes);
            }
            if parser.screen().contents().contains(text) {
                return;
            }
        }
        panic!("never showed {text:?}:\n{}", parser.screen().contents());
    };
    wait_for("step", &mut raw, &mut parser);
    // An untrained network: the first steps leave many digits wrong; pause to keep it so.
    writer.write_all(b" ").unwrap();
    writer.flush().unwrap();
    wait_for("paused", &mut raw, &mut parser);
    writer.write_all(b"e").unwrap();
    writer.flush().unwrap();
    wait_for("was misclassified", &mut raw, &mut parser);
    let screen = parser.screen().contents();
    assert!(
        screen.contains("✗ wrong"),
        "the prediction panel agrees:\n{screen}"
    );
    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the program did not quit");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Every frame opens and closes a synchronized update, in that order.
    let (begins, ends) = (count(&raw, BEGIN), count(&raw, END));
    assert!(begins >= 3, "{begins} synchronized frames");
    assert!(
        begins == ends || begins == ends + 1,
        "{begins} begins, {ends} ends"
    );
    let first_begin = raw.windows(BEGIN.len()).position(|w| w == BEGIN).unwrap();
    let first_end = raw.windows(END.len()).position(|w| w == END).unwrap();
    assert!(first_begin < first_end);
}
