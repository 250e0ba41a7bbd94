//! The labs in a real terminal: the binary in a pseudo-terminal, mouse and keys as a
//! terminal sends them (SGR mouse reports), the screen read as a user would.

mod common;

use common::Session;
use std::time::{Duration, Instant};

/// An SGR mouse report: `button` (0 left, 32 + 0 a left drag), at a 0-based cell; `press`
/// false for the release.
fn sgr(button: u8, (col, row): (u16, u16), press: bool) -> Vec<u8> {
    let end = if press { 'M' } else { 'm' };
    format!("\x1b[<{button};{};{}{end}", col + 1, row + 1).into_bytes()
}

/// Row and column of the first place `text` is on the screen.
fn find(s: &Session, text: &str) -> (u16, u16) {
    let screen = s.screen();
    screen
        .lines()
        .enumerate()
        .find_map(|(r, l)| {
            l.find(text)
                .map(|byte| (r as u16, l[..byte].chars().count() as u16))
        })
        .unwrap_or_else(|| panic!("no {text:?} on the screen:\n{screen}"))
}

/// The lines from "read as" down: the answer and the ten bars.
fn answer(s: &Session) -> String {
    let screen = s.screen();
    let lines: Vec<&str> = screen.lines().collect();
    let (row, col) = find(s, "read as");
    lines[row as usize..(row as usize + 11).min(lines.len())]
        .iter()
        .map(|l| l.chars().skip(col as usize).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A drag of the left button through `points`.
fn drag(s: &mut Session, points: &[(u16, u16)]) {
    s.send(&sgr(0, points[0], true));
    for &p in &points[1..] {
        s.send(&sgr(32, p, true));
    }
    s.send(&sgr(0, *points.last().unwrap(), false));
}

/// Wait until `f` of the screen differs from `before`; the new value.
fn wait_change(s: &mut Session, before: &str, f: impl Fn(&Session) -> String, secs: u64) -> String {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        s.pump(Duration::from_millis(50));
        let now = f(s);
        if now != before {
            return now;
        }
    }
    panic!(
        "the screen did not change from:\n{before}\nit shows:\n{}",
        s.screen()
    );
}

#[test]
fn a_stroke_drawn_with_the_mouse_is_read_and_a_second_changes_the_answer() {
    let mut s = Session::start(160, 48, &[]);
    s.wait_for("running", 30);
    s.wait_for("8×28×28", 10);
    s.keys(" "); // paused, so that only the drawing changes the answer
    s.wait_for("paused", 5);
    s.keys("3");
    s.wait_for("Labs:", 5);
    s.keys("\t");
    s.wait_for("Draw a digit on the pad", 5);
    let (row, col) = find(&s, "your drawing");
    let pad = (col, row + 1); // the pad is 56×28 cells at 160×48, under its caption
    // A vertical stroke down the middle: a "1".
    let down: Vec<(u16, u16)> = (4..24).map(|y| (pad.0 + 28, pad.1 + y)).collect();
    drag(&mut s, &down);
    s.wait_for("read as", 10);
    s.pump(Duration::from_millis(300));
    let first = answer(&s);
    // A bar across the top from the left: the stroke becomes a "7".
    let across: Vec<(u16, u16)> = (8..30).map(|x| (pad.0 + x, pad.1 + 4)).collect();
    drag(&mut s, &across);
    let second = wait_change(&mut s, &first, answer, 10);
    assert_ne!(first, second);
    s.keys("c");
    s.wait_for("Draw a digit on the pad", 5);
    s.quit();
    assert_eq!(s.exit_code(5), 0);
}

#[test]
fn the_arrows_shift_the_digit_and_conv1s_maps_move_with_it() {
    let mut s = Session::start(160, 48, &[]);
    s.wait_for("running", 30);
    s.wait_for("8×28×28", 10);
    s.keys("3");
    s.wait_for("Labs:", 5);
    s.wait_for("not shifted", 10);
    s.keys("\x1b[C\x1b[C\x1b[C"); // → three times
    s.wait_for("shifted →3", 10);
    // The worker traced the shifted digit: its relu1 maps are the unshifted ones moved 3 px.
    s.wait_for("relu1 ✓", 10);
    s.keys("\x1b[B"); // ↓
    s.wait_for("shifted →3 ↓1", 10);
    // The accuracy against shift arrives from the analysis thread.
    s.wait_for("Accuracy against shift", 120);
    s.quit();
    assert_eq!(s.exit_code(5), 0);
}

/// The cells of a drag along straight lines through pad pixels `(row, column)`, one cell a
/// pixel of the way: the pad at 160×48 is 56×28 cells, two columns a pixel.
fn pad_path(pad: (u16, u16), corners: &[(u16, u16)]) -> Vec<(u16, u16)> {
    let cell = |(r, c): (u16, u16)| (pad.0 + 2 * c, pad.1 + r);
    let mut cells = vec![cell(corners[0])];
    for w in corners.windows(2) {
        let ((r0, c0), (r1, c1)) = (w[0], w[1]);
        let (dr, dc) = (r1 as i32 - r0 as i32, c1 as i32 - c0 as i32);
        let steps = dr.abs().max(dc.abs()).max(1);
        for i in 1..=steps {
            let at = |a: u16, d: i32| (a as f32 + (d * i) as f32 / steps as f32).round() as u16;
            cells.push(cell((at(r0, dr), at(c0, dc))));
        }
    }
    cells
}

/// Issue 10's "a drawn 7 is read as 7": a network trained one epoch (`cnn-tui train`, seeded
/// by default, so the weights are the same each run) is loaded paused; on the drawing lab a 7
/// drawn with the mouse — a bar near the top, then a diagonal down to the lower left — is read
/// as 7, and after `c` a vertical stroke as 1.
#[test]
fn a_seven_drawn_with_the_mouse_is_read_as_seven_and_a_stroke_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let ckpt = dir.path().join("one-epoch.safetensors");
    let ckpt = ckpt.to_str().unwrap();
    let trained = std::process::Command::new(common::BIN)
        .args(["train", "--epochs", "1", "--save", ckpt])
        .output()
        .expect("cnn-tui train runs");
    assert!(trained.status.success(), "{trained:?}");
    let mut s = Session::start(160, 48, &["--load", ckpt, "--paused"]);
    s.wait_for("paused", 30);
    s.wait_for("8×28×28", 10);
    s.keys("3");
    s.wait_for("Labs:", 5);
    s.keys("\t");
    s.wait_for("Draw a digit on the pad", 5);
    let (row, col) = find(&s, "your drawing");
    let pad = (col, row + 1);
    // Pixel rows and columns of the 28×28 pad: the bar from (5, 7) to (5, 20), the
    // diagonal from its right end down to (23, 10).
    drag(&mut s, &pad_path(pad, &[(5, 7), (5, 20), (23, 10)]));
    s.wait_for("read as", 10);
    let seven = wait_settled(&mut s);
    assert!(
        seven.starts_with("read as 7 "),
        "a drawn 7 is read as:\n{seven}"
    );
    s.keys("c");
    s.wait_for("Draw a digit on the pad", 5);
    drag(&mut s, &pad_path(pad, &[(4, 14), (24, 14)]));
    s.wait_for("read as", 10);
    let one = wait_settled(&mut s);
    assert!(
        one.starts_with("read as 1 "),
        "a drawn 1 is read as:\n{one}"
    );
    s.quit();
    assert_eq!(s.exit_code(5), 0);
}

/// The answer once it stopped changing for half a second (each point of a drag may send a
/// new picture to the worker; the last trace is of the whole drawing).
fn wait_settled(s: &mut Session) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut last = answer(s);
    let mut since = Instant::now();
    while Instant::now() < deadline {
        s.pump(Duration::from_millis(50));
        let now = answer(s);
        if now != last {
            (last, since) = (now, Instant::now());
        } else if since.elapsed() > Duration::from_millis(500) {
            break;
        }
    }
    last
}
