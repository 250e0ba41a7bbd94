//! End to end in a pseudo-terminal: open the inspect screen, pick the test set's cell confused
//! most, make its first wrong digit the probe, and see its saliency maps, while it trains.

mod common;

use common::Session;

#[test]
fn a_wrong_digit_from_the_matrix_becomes_the_probe_and_shows_its_saliency() {
    let mut s = Session::start(160, 48, &[]);
    s.wait_for("running", 30);
    s.keys("2");
    s.wait_for("Confusion matrix · validation set", 30);
    s.keys("s");
    s.wait_for("Confusion matrix · test set", 60);
    s.keys("m");
    s.wait_for("digits — n/N choose, Enter probe + saliency", 10);
    s.keys("\r");
    s.wait_for("Which pixels decide · the probe, test digit #", 10);
    s.wait_for("gradient × input →", 60);
    s.wait_for("occlusion: p(", 5);
    let screen = s.screen();
    assert!(screen.contains(" called "), "{screen}");
    // Back on the dashboard the probe is the digit chosen.
    let title = screen
        .lines()
        .find(|l| l.contains("test digit #"))
        .unwrap_or_default()
        .to_string();
    let index: String = title
        .split("test digit #")
        .nth(1)
        .unwrap_or_default()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(|c| c.is_ascii_digit())
        .collect();
    assert!(!index.is_empty(), "{title}");
    s.keys("1");
    s.wait_for(&format!("test #{index} "), 10);
    s.quit();
    assert_eq!(s.exit_code(5), 0);
}
