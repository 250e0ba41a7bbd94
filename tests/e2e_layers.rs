//! End to end in a pseudo-terminal, while it trains: the inspect screen's layers page fills
//! with each layer's statistics and keeps up with training; the filter time-lapse records
//! frames, scrubs to the first one and opens its filter in the focus view.

mod common;

use common::Session;

/// The number after `label` on the first line that has it, e.g. `· step 2,000 ·` → 2000.
fn number_after(screen: &str, label: &str) -> Option<usize> {
    let line = screen.lines().find(|l| l.contains(label))?;
    let digits: String = line
        .split(label)
        .nth(1)?
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Wait (at most `secs`) until the number after `label` passes `than`; the number.
fn wait_past(s: &mut Session, label: &str, than: usize, secs: u64) -> usize {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < deadline {
        s.pump(std::time::Duration::from_millis(100));
        if let Some(n) = number_after(&s.screen(), label).filter(|&n| n > than) {
            return n;
        }
    }
    panic!("{label:?} never passed {than}; the screen:\n{}", s.screen());
}

#[test]
fn the_layers_page_shows_every_layer_and_keeps_up_with_training() {
    let mut s = Session::start(80, 24, &[]);
    s.wait_for("running", 30);
    s.keys("2");
    s.wait_for("Confusion matrix", 30);
    s.keys("\x1b[Z"); // S-Tab: from the first page back to the last, layers
    s.wait_for("Each layer on the training batch", 10);
    s.wait_for("‖Δw‖/‖w‖", 30);
    let screen = s.screen();
    for layer in [" conv1 ", " conv2 ", " dense "] {
        assert!(screen.contains(layer), "no row for {layer}:\n{screen}");
    }
    assert!(screen.contains("oldest → newest"), "no history:\n{screen}");
    let first = number_after(&screen, "training batch · step ").expect("a step in the title");
    wait_past(&mut s, "training batch · step ", first, 30);
    s.quit();
    assert_eq!(s.exit_code(5), 0);
}

#[test]
fn the_time_lapse_scrubs_to_its_first_frame_and_opens_it_in_the_focus_view() {
    let mut s = Session::start(160, 48, &[]);
    s.wait_for("running", 30);
    s.keys("2");
    s.wait_for("Confusion matrix", 30);
    s.keys("\t\t"); // the filters page
    s.wait_for(" sees 3×3 pixels", 60);
    s.keys("t");
    s.wait_for("Filter time-lapse", 10);
    // Frames come every 10 steps while it trains: wait for a few.
    wait_past(&mut s, "· frame ", 3, 30);
    s.keys("\x1b[H"); // Home: the first frame
    s.wait_for("· frame 1 of ", 10);
    let screen = s.screen();
    assert!(
        !screen.contains("(live)"),
        "Home left the live frame:\n{screen}"
    );
    let step = number_after(&screen, "· step ").expect("the frame's step");
    s.keys("\r");
    s.wait_for(&format!("time-lapse, step {step}"), 10);
    s.keys("\x1b");
    s.wait_for("Filter time-lapse", 10);
    s.keys("\x1b[F"); // End: the newest frame, which follows training
    s.wait_for("(live)", 10);
    s.quit();
    assert_eq!(s.exit_code(5), 0);
}
