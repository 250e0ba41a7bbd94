//! End to end: the real binary in a pseudo-terminal, read through a terminal emulator, as a
//! user would see it.

mod common;

use common::Session;
use std::time::{Duration, Instant};

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
    s.quit();
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
    s.quit();
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
    s.quit();
    assert_eq!(s.exit_code(5), 0);
}
