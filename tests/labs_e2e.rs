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
