//! Every way the dashboard can end or be stopped leaves the terminal as it was: the tty's
//! mode (canonical input, echo), the main screen, the cursor shown, mouse reporting off.
//! Each test runs the real binary under a shell in a pseudo-terminal, as a user's terminal
//! would, and reads the terminal's state after the program is gone.

mod common;

use common::{BIN, Session, Unread, children_of, kill};
use std::time::{Duration, Instant};

/// A shell that runs the dashboard, then prints its exit status and the tty's mode.
fn dashboard_under_a_shell() -> Session {
    let script = format!("{BIN} --threads 1; echo \"EXIT=$?\"; stty -a; sleep 20");
    let mut s = Session::spawn(100, 30, "sh", &["-c", &script]);
    s.wait_for("Loss", 30);
    s
}

/// The dashboard's pid: the shell's one child.
fn dashboard_pid(s: &Session) -> u32 {
    let shell = s.child.process_id().expect("the shell has a pid");
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(&pid) = children_of(shell).first() {
            return pid;
        }
        assert!(Instant::now() < deadline, "the shell never started cnn-tui");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The terminal is back as it was: the main screen, the cursor shown, no mouse reporting,
/// and `stty` shows canonical input and echo on.
fn assert_restored(s: &mut Session, status: i32) {
    s.wait_for(&format!("EXIT={status}"), 10);
    s.wait_for("icanon", 5);
    let screen = s.parser.screen();
    assert!(!screen.alternate_screen(), "still on the alternate screen");
    assert!(!screen.hide_cursor(), "the cursor is still hidden");
    assert_eq!(
        screen.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "mouse reporting is still on"
    );
    let text = s.screen();
    assert!(!text.contains("-icanon"), "raw mode left on:\n{text}");
    assert!(!text.contains("-echo "), "echo left off:\n{text}");
}

#[test]
fn quitting_signals_restore_the_terminal_and_exit_with_128_plus_the_signal() {
    for (signal, number) in [("TERM", 15), ("HUP", 1), ("INT", 2), ("QUIT", 3)] {
        let mut s = dashboard_under_a_shell();
        assert!(s.parser.screen().alternate_screen(), "the dashboard is up");
        kill(dashboard_pid(&s), signal);
        assert_restored(&mut s, 128 + number);
    }
}

#[test]
fn q_restores_the_terminal() {
    let mut s = dashboard_under_a_shell();
    s.quit();
    assert_restored(&mut s, 0);
}

/// Debug builds panic on purpose when this is set, so that the panic path can be tested.
#[cfg(debug_assertions)]
#[test]
fn a_panic_restores_the_terminal() {
    let script = format!(
        "RUST_BACKTRACE=0 CNN_TUI_TEST_PANIC=1 {BIN} --threads 1; echo \"EXIT=$?\"; stty -a; sleep 20"
    );
    let mut s = Session::spawn(100, 30, "sh", &["-c", &script]);
    assert_restored(&mut s, 101);
    assert!(s.screen().contains("a test asked"), "{}", s.screen());
}

#[test]
fn suspend_gives_the_terminal_back_and_fg_redraws() {
    // Job control needs an interactive shell: bash -i runs the dashboard in the foreground.
    let mut s = Session::spawn(100, 30, "bash", &["--norc", "--noprofile", "-i"]);
    s.send(format!("{BIN} --threads 1\r").as_bytes());
    s.wait_for("Loss", 30);
    let shell = s.child.process_id().expect("a pid");
    let pid = *children_of(shell).first().expect("bash started cnn-tui");
    kill(pid, "TSTP");
    s.wait_for("Stopped", 10);
    assert!(
        !s.parser.screen().alternate_screen(),
        "suspended on the alternate screen"
    );
    assert!(
        !s.parser.screen().hide_cursor(),
        "suspended with the cursor hidden"
    );
    s.send(b"fg\r");
    s.wait_for("Loss", 10);
    assert!(
        s.parser.screen().alternate_screen(),
        "fg brings the dashboard back"
    );
    // Keys work at once after fg: ? opens the help.
    s.send(b"?");
    s.wait_for("this help", 10);
    s.quit();
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.parser.screen().alternate_screen() {
        assert!(Instant::now() < deadline, "q did not quit after fg");
        s.pump(Duration::from_millis(50));
    }
    s.send(b"stty -a; echo DONE\r");
    s.wait_for("DONE", 10);
    assert!(!s.screen().contains("-icanon"), "{}", s.screen());
}

#[test]
fn a_terminal_that_goes_away_ends_the_program() {
    let mut run = Unread::spawn(100, 30, BIN, &["--threads", "1"]);
    std::thread::sleep(Duration::from_secs(2)); // up and training
    assert!(
        run.child.try_wait().expect("waitable").is_none(),
        "cnn-tui started"
    );
    let Unread { mut child, master } = run;
    drop(master); // the terminal closes
    let deadline = Instant::now() + Duration::from_secs(3);
    while child.try_wait().expect("waitable").is_none() {
        assert!(
            Instant::now() < deadline,
            "cnn-tui outlived its terminal by 3 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
