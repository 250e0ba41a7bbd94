//! The inspect screen and the analysis thread behind it: the digit keys and the strip switch
//! screens, the screen asks for a confusion matrix on a copy of the weights, a real worker
//! answers it on its analysis thread (a newer request replacing an older one), and the matrix
//! is drawn.

mod common;

use common::render_text as render;

use cnn_tui::data::dataset::Mnist;
use cnn_tui::train::analysis::confusion::Confusion;
use cnn_tui::train::analysis::{AnalysisUpdate, Job, JobOutput};
use cnn_tui::train::messages::{Command, EvalMetrics, EvalSet, Update};
use cnn_tui::train::worker::{self};
use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::screen::Screen;
use cnn_tui::ui::{App, Event};
use crossterm::event::{
    Event as Input, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    let event = KeyEvent::new(code, KeyModifiers::NONE);
    app.handle(Event::Input(Input::Key(event)))
}

fn confusion_cmd(set: EvalSet) -> Command {
    Command::Analyse(Job::Confusion { set })
}

/// A hand-made matrix: 4s called 9 twice, one 7 called 1, the rest right.
fn sample_confusion() -> Confusion {
    let mut c = Confusion::new(EvalSet::Validation, 1200);
    let sure = |k: usize| {
        let mut p = [0.0; 10];
        p[k] = 1.0;
        p
    };
    for (i, label) in (0..10u8).cycle().take(200).enumerate() {
        let called = match (i, label) {
            (4 | 14, 4) => 9,
            (7, 7) => 1,
            _ => label as usize,
        };
        c.add(i, label, sure(called), &[0; 784]);
    }
    c
}

#[test]
fn the_digit_keys_open_the_inspect_screen_and_ask_for_a_confusion_matrix() {
    let mut app = demo_app();
    assert_eq!(app.screen, Screen::Dashboard);
    let sent = key(&mut app, KeyCode::Char('2'));
    assert_eq!(app.screen, Screen::Inspect);
    assert_eq!(sent, vec![confusion_cmd(EvalSet::Validation)]);
    // `s` switches to the test set and asks again; a new validation asks again too.
    assert_eq!(
        key(&mut app, KeyCode::Char('s')),
        vec![confusion_cmd(EvalSet::Test)]
    );
    let eval = EvalMetrics {
        step: 2000,
        epoch: 1,
        set: EvalSet::Validation,
        loss: 0.1,
        accuracy: 0.97,
        samples: 5000,
    };
    assert_eq!(
        app.handle(Event::Worker(Update::Eval(eval))),
        vec![confusion_cmd(EvalSet::Test)]
    );
    // Esc goes back; on the dashboard a validation asks for nothing.
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Dashboard);
    assert!(app.handle(Event::Worker(Update::Eval(eval))).is_empty());
}

#[test]
fn the_screens_keep_the_global_keys_and_their_own() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Char('2'));
    // The arrows move the selected cell (wrapping), not the probe digit.
    let probe = app.probe;
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Up);
    assert_eq!(app.inspect.cell, (9, 1));
    assert_eq!(app.probe, probe);
    // Pause and quit still work.
    assert_eq!(key(&mut app, KeyCode::Char(' ')), vec![Command::Pause]);
    key(&mut app, KeyCode::Char('1'));
    assert_eq!(app.screen, Screen::Dashboard);
}

#[test]
fn a_click_on_the_strip_switches_screens() {
    let mut app = demo_app();
    app.size = (160, 48);
    let click = |column| {
        Event::Input(Input::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row: 0,
            modifiers: KeyModifiers::NONE,
        }))
    };
    // The inspect entry follows " 1 dashboard " (the others come after it).
    let dashboard_strip = cnn_tui::ui::screen::strip_area(
        ratatui::layout::Rect::new(0, 0, 160, 1),
        Screen::Dashboard,
    );
    assert_eq!(
        app.handle(click(dashboard_strip.x + 13)),
        vec![confusion_cmd(EvalSet::Validation)]
    );
    assert_eq!(app.screen, Screen::Inspect);
    // The strip's first entry is the dashboard; the left of the status line is not the strip.
    app.handle(click(0));
    assert_eq!(app.screen, Screen::Inspect);
    let status = ratatui::layout::Rect::new(0, 0, 160, 1);
    let strip = cnn_tui::ui::screen::strip_area(status, Screen::Inspect);
    app.handle(click(strip.x));
    assert_eq!(app.screen, Screen::Dashboard);
}

#[test]
fn the_matrix_is_drawn_with_counts_accuracy_and_the_confused_pairs() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Char('2'));
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("computing the confusion matrix"),
        "{screen}"
    );
    let done = AnalysisUpdate::Done {
        step: 1200,
        output: Box::new(JobOutput::Confusion(sample_confusion())),
    };
    app.handle(Event::Worker(Update::Analysis(done)));
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(&app, w, h);
        assert!(screen.contains("step 1,200: 98.50 % right"), "{screen}");
        assert!(screen.contains("true 4 called 9: 2"), "{screen}");
        // 4s: 18 of 20 right.
        assert!(screen.contains("90.0 %"), "{screen}");
        assert!(screen.contains(" 1  2 inspect "), "{screen}");
        insta::assert_snapshot!(format!("inspect_confusion_{w}x{h}"), screen);
    }
}

fn wait_for<T>(rx: &Receiver<Update>, mut pick: impl FnMut(&Update) -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(u) = rx.recv_timeout(Duration::from_millis(100))
            && let Some(t) = pick(&u)
        {
            return t;
        }
    }
    panic!("no such update within 60 s");
}

#[test]
fn the_worker_answers_on_its_analysis_thread_the_newest_request_first() {
    let data = Arc::new(Mnist::builtin(5000).unwrap());
    let config = common::paused_worker(Arc::clone(&data));
    let (tx, rx) = mpsc::channel::<Update>();
    let w = worker::spawn(config, tx);
    // The test set first, then at once the validation set: the first is cancelled or skipped.
    assert!(w.send(confusion_cmd(EvalSet::Test)));
    assert!(w.send(confusion_cmd(EvalSet::Validation)));
    let first = wait_for(&rx, |u| match u {
        Update::Analysis(AnalysisUpdate::Done { output, .. }) => Some(output.clone()),
        _ => None,
    });
    let JobOutput::Confusion(c) = *first else {
        panic!("the newest request was a confusion matrix");
    };
    assert_eq!(c.set, EvalSet::Validation);
    assert_eq!(c.total() as usize, data.validation.len());
    assert_eq!(c.step, 0);
    // At the initial weights most digits are wrong, and the kept mistakes are real ones.
    assert!(
        c.correct() < c.total() / 2,
        "{} of {}",
        c.correct(),
        c.total()
    );
    for m in c.mistakes.iter().take(20) {
        assert_eq!(m.label, data.validation.label(m.index));
        assert_ne!(m.label, m.predicted);
    }
    w.stop();
}

/// The fully connected baseline costs a tenth to a fifth of a CNN step, so the worker trains
/// it only from the first time its screen (4) is shown; later showings do not ask again.
#[test]
fn the_baseline_starts_when_its_screen_is_first_shown() {
    let mut app = demo_app();
    let first = key(&mut app, KeyCode::Char('4'));
    assert_eq!(app.screen, Screen::Compare);
    assert!(first.contains(&Command::StartBaseline), "{first:?}");
    key(&mut app, KeyCode::Char('1'));
    let again = key(&mut app, KeyCode::Char('4'));
    assert!(!again.contains(&Command::StartBaseline), "{again:?}");
    // The accuracy against shift was asked at the first showing, at this step: not again
    // (asked after every evaluation it kept a core busy), unless `a` asks for it.
    let shift = Command::Analyse(Job::ShiftAccuracy);
    assert!(first.contains(&shift), "{first:?}");
    assert!(!again.contains(&shift), "{again:?}");
    assert!(key(&mut app, KeyCode::Char('a')).contains(&shift));
}

/// A worker that died took the baseline with it: the new one that `r` starts is asked to
/// train it again (its screen was shown), in the same batch of commands, after the `Reset`
/// that starts it. A reset of a live worker keeps its baseline and asks nothing.
#[test]
fn a_new_worker_trains_the_baseline_again_when_it_was_wanted() {
    let mut app = demo_app();
    assert_eq!(key(&mut app, KeyCode::Char('r')), vec![Command::Reset]);
    app.handle(Event::Worker(Update::Failed("fuzzed".into())));
    // Not wanted yet: a new worker alone.
    assert_eq!(key(&mut app, KeyCode::Char('r')), vec![Command::Reset]);
    let mut app = demo_app();
    key(&mut app, KeyCode::Char('4'));
    key(&mut app, KeyCode::Char('1'));
    assert_eq!(key(&mut app, KeyCode::Char('r')), vec![Command::Reset]);
    app.handle(Event::Worker(Update::Failed("fuzzed".into())));
    assert_eq!(
        key(&mut app, KeyCode::Char('r')),
        vec![Command::Reset, Command::StartBaseline]
    );
}
