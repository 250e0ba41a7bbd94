//! Each lesson of the shipped lessons file: starting it sets up its screen (and the network
//! that trains well when it says so), its task is not done at the start, and doing the task
//! with the keys the lesson names makes its predicate true, after which the next is chosen.

use cnn_tui::config::Arch;
use cnn_tui::train::analysis::shift::{ShiftCurve, ShiftCurves};
use cnn_tui::train::analysis::{AnalysisUpdate, JobOutput};
use cnn_tui::train::baseline::{BaselineUpdate, BaselineWeights};
use cnn_tui::train::messages::{Command, Update};
use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::lessons::checks::Check;
use cnn_tui::ui::screen::Screen;
use cnn_tui::ui::{App, Event};
use crossterm::event::{Event as Input, KeyCode, KeyEvent, KeyModifiers};
use ndarray::Array2;

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.handle(Event::Input(Input::Key(KeyEvent::new(
        code,
        KeyModifiers::NONE,
    ))))
}

fn chars(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// The demo with the baseline's weights known (the worker sends them with each snapshot).
fn app() -> App {
    let mut app = demo_app();
    app.apply(Update::Baseline(BaselineUpdate::Weights(Box::new(
        BaselineWeights {
            step: 1200,
            params: 9550,
            first_layer: Array2::from_shape_fn((12, 784), |(u, p)| (u * p % 7) as f32 - 3.0),
        },
    ))));
    app
}

fn shift_done(step: usize) -> Update {
    let curve = ShiftCurve {
        horizontal: [0.9; 9],
        vertical: [0.8; 9],
    };
    Update::Analysis(AnalysisUpdate::Done {
        step,
        output: Box::new(JobOutput::Shift(ShiftCurves {
            step,
            samples: 2000,
            cnn: curve.clone(),
            mlp: Some(curve),
        })),
    })
}

/// Do what lesson `check` asks, as a student would.
fn do_task(app: &mut App, check: Check) {
    match check {
        Check::FcUnitChanged => {
            press(app, KeyCode::Tab);
            press(app, KeyCode::Right);
        }
        Check::FocusOpen => {
            for _ in 0..3 {
                press(app, KeyCode::Tab); // chart → ledger → filters → maps
            }
            press(app, KeyCode::Enter);
        }
        Check::StrideChanged => chars(app, "S"),
        Check::PaddingChanged => chars(app, "p"),
        Check::PoolChanged => chars(app, "o"),
        Check::BlocksChanged => chars(app, "+"),
        Check::ProbeChanged => chars(app, "n"),
        Check::ShiftComputed => {
            app.handle(Event::Worker(shift_done(1200)));
        }
        Check::Steps(_) => unreachable!("no lesson of the shipped file counts steps"),
    }
}

#[test]
fn every_lesson_starts_on_its_screen_and_notices_its_task_done() {
    let mut app = app();
    let n = app.lessons.len();
    assert_eq!(n, 8);
    for i in 0..n {
        let lesson = app.lessons.lesson(i).unwrap().clone();
        // Open the lessons screen, choose lesson i, start it.
        chars(&mut app, "5");
        assert_eq!(app.screen, Screen::Lessons);
        app.lessons.selected = i;
        let commands = press(&mut app, KeyCode::Enter);
        assert_eq!(app.screen, lesson.screen, "lesson {i} opens its screen");
        if lesson.restore {
            assert!(
                commands.iter().any(|c| matches!(c, Command::SetHyper(_))),
                "lesson {i} restores"
            );
            assert_eq!(
                app.pending_arch.as_ref().unwrap_or(&app.arch),
                &Arch::default()
            );
        }
        let (running, _, done) = app.lessons.current().unwrap();
        assert_eq!(running, i);
        assert!(!done, "lesson {i}'s task is not done at its start");
        app.handle(Event::Tick(std::time::Duration::from_millis(10)));
        assert!(
            !app.lessons.current().unwrap().2,
            "lesson {i}: a tick does not do it"
        );
        do_task(&mut app, lesson.check);
        assert!(
            app.lessons.current().unwrap().2,
            "lesson {i} ({:?}) is done",
            lesson.check
        );
        assert!(app.lessons.done[i]);
        if i + 1 < n {
            assert_eq!(app.lessons.selected, i + 1, "the next lesson is chosen");
        }
        // Back to a calm state for the next lesson: focus view closed, dashboard.
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Esc);
    }
}

#[test]
fn an_old_shift_result_does_not_count_and_r_restores_from_anywhere() {
    let mut app = app();
    app.handle(Event::Worker(shift_done(1000)));
    app.last_step.as_mut().unwrap().step = 1200;
    app.start_lesson(7);
    assert!(
        !app.lessons.current().unwrap().2,
        "a result of step 1000 is older than the lesson"
    );
    chars(&mut app, "4");
    chars(&mut app, "S"); // not a key of the compare screen: ignored
    chars(&mut app, "1S"); // the dashboard's stride +
    assert_ne!(app.pending_arch, None);
    let commands = {
        chars(&mut app, "5");
        press(&mut app, KeyCode::Char('R'))
    };
    assert!(commands.contains(&Command::SetArch(Arch::default())));
    assert_eq!(app.pending_arch, Some(Arch::default()));
}
