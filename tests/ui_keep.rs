//! The dashboard's keep-and-share keys and its quit question, with plain events: no terminal.

use cnn_tui::config::{Arch, Hyper};
use cnn_tui::train::messages::Command;
use cnn_tui::ui::widgets::colormap::ColorMode;
use cnn_tui::ui::{App, Event};
use crossterm::event::{Event as Input, KeyCode, KeyEvent, KeyModifiers};

fn app() -> App {
    App::new(
        "MNIST (test)".into(),
        100,
        Arch::default(),
        Hyper::default(),
        5,
        ColorMode::TrueColor,
    )
}

fn press(app: &mut App, event: KeyEvent) -> Vec<Command> {
    app.handle(Event::Input(Input::Key(event)))
}

fn ch(app: &mut App, c: char) -> Vec<Command> {
    press(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// A reset drops an edit still on its way: the worker drops it from its queue too.
#[test]
fn a_reset_drops_the_pending_edit() {
    let mut a = app();
    assert!(matches!(ch(&mut a, 'F').as_slice(), [Command::SetArch(_)]));
    assert!(a.pending_arch.is_some());
    assert_eq!(ch(&mut a, 'r'), vec![Command::Reset]);
    assert_eq!(a.pending_arch, None);
    assert_eq!(a.shown_arch(), &Arch::default());
}
