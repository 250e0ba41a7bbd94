//! The terminal's lifecycle: enter and leave the dashboard's modes (raw, alternate screen,
//! mouse reporting), suspend and resume on SIGTSTP / Ctrl-Z, and turn the signals that end a
//! program into events, so that every exit path leaves the terminal as it found it.
//!
//! Why a signal thread: a signal's default action ends the process at once, in raw mode with
//! the alternate screen on. Caught instead, it becomes an event of the dashboard's loop, which
//! quits the normal way (restoring the terminal, stopping the worker) and then exits with the
//! status a shell expects of that signal (128 + its number).

use super::app::Event;
use crossterm::cursor::Show;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{Clear, ClearType, EnterAlternateScreen, enable_raw_mode};
use ratatui::prelude::CrosstermBackend;
use ratatui::{DefaultTerminal, Terminal};
use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
use signal_hook::iterator::{Handle, Signals};
use std::io::stdout;
use std::sync::mpsc::Sender;

/// What the terminal or the system asks of the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminalEvent {
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT: quit now, then exit with 128 + this number.
    Quit(i32),
    /// SIGTSTP (or Ctrl-Z, which raw mode delivers as a key): give the terminal back and stop.
    Suspend,
    /// The terminal is gone (its reads fail): quit.
    Lost,
}

/// The signals that end the dashboard; SIGTSTP suspends it.
const QUIT_SIGNALS: [i32; 4] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT];

/// Raw mode, the alternate screen and mouse reporting on.
pub fn enter() -> std::io::Result<DefaultTerminal> {
    let terminal = ratatui::try_init()?;
    execute!(stdout(), EnableMouseCapture)?;
    Ok(terminal)
}

/// Everything `enter` turned on, off again, and the cursor shown. Safe to call more than once.
pub fn leave() {
    let _ = execute!(stdout(), DisableMouseCapture, Show);
    ratatui::restore();
}

/// `enter` again after `leave`: a blank screen and a new `Terminal`, whose first frame is
/// drawn in full. (`Terminal::clear` would ask the terminal where its cursor is, and wait.)
fn reenter(terminal: &mut DefaultTerminal) -> std::io::Result<()> {
    enable_raw_mode()?;
    execute!(
        stdout(),
        EnterAlternateScreen,
        Clear(ClearType::All),
        EnableMouseCapture
    )?;
    *terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok(())
}

/// Forward the quitting signals and SIGTSTP to the loop as events until `Handle::close`.
pub fn spawn_signals(tx: Sender<Event>) -> std::io::Result<Handle> {
    let mut signals = Signals::new(QUIT_SIGNALS.iter().copied().chain([SIGTSTP]))?;
    let handle = signals.handle();
    std::thread::Builder::new()
        .name("cnn-tui-signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                let event = if signal == SIGTSTP {
                    TerminalEvent::Suspend
                } else {
                    TerminalEvent::Quit(signal)
                };
                if tx.send(Event::Terminal(event)).is_err() {
                    break;
                }
            }
        })?;
    Ok(handle)
}

/// Give the terminal back, stop the process as the shell's job control expects, and when it
/// is continued (`fg`) take the terminal again and redraw everything.
pub fn suspend(terminal: &mut DefaultTerminal) -> std::io::Result<()> {
    leave();
    // SIGSTOP cannot be caught: the process stops here until SIGCONT.
    signal_hook::low_level::raise(signal_hook::consts::signal::SIGSTOP)?;
    reenter(terminal)
}

/// Exit with the status a shell reports for a process ended by `signal` (128 + its number).
pub fn exit_for(signal: i32) -> ! {
    std::process::exit(128 + signal)
}
