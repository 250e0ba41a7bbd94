//! The dashboard's keys for pace, divergence and the chart, with plain events: what they send
//! to the worker, what they change, and what the screen says.

mod common;

use cnn_tui::config::{Arch, Hyper};
use cnn_tui::train::messages::{
    Command, Divergence, DivergenceCause, EvalMetrics, EvalSet, Rewind, StepMetrics, Update,
    WorkerStatus,
};
use cnn_tui::train::pace::Pace;
use cnn_tui::ui::app::{BannerKind, WorkerState};
use cnn_tui::ui::bars;
use cnn_tui::ui::history::MarkerKind;
use cnn_tui::ui::widgets::colormap::ColorMode;
use cnn_tui::ui::{App, Event};
use common::screen::render_text;
use crossterm::event::{Event as Input, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn app() -> App {
    let mut a = App::new(
        "MNIST (test)".into(),
        100,
        Arch::default(),
        Hyper::default(),
        5,
        ColorMode::TrueColor,
    );
    a.apply(Update::Status(WorkerStatus::Hyper(Hyper::default())));
    a
}

fn ch(app: &mut App, c: char) -> Vec<Command> {
    app.handle(Event::Input(Input::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    ))))
}

fn banner(a: &App) -> String {
    a.banner
        .as_ref()
        .map(|b| b.text.clone())
        .unwrap_or_default()
}

fn train(a: &mut App, from: usize, to: usize) {
    let steps = (from..=to)
        .map(|step| StepMetrics {
            step,
            epoch: 0,
            epoch_progress: 0.1,
            loss: 2.0 / step as f32,
            batch_accuracy: 0.9,
            lr: 0.07,
            samples_per_sec: 1000.0,
        })
        .collect();
    a.apply(Update::Steps(steps));
}

fn status_line(a: &App, width: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(width, 1)).unwrap();
    t.draw(|f| bars::render_status(a, f.area(), f.buffer_mut()))
        .unwrap();
    t.backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect()
}

#[test]
fn t_and_t_step_the_pace_through_the_list_and_stop_at_its_ends() {
    let mut a = app();
    assert_eq!(ch(&mut a, 'T'), vec![], "full speed is the fastest");
    assert!(banner(&a).contains("max speed is the fastest pace offered"));
    let mut sent = Vec::new();
    for _ in 0..5 {
        sent.extend(ch(&mut a, 't'));
    }
    let paces = [100, 30, 10, 3, 1].map(|n| Command::SetPace(Pace::PerSecond(n)));
    assert_eq!(sent, paces);
    assert_eq!(a.pace, Pace::PerSecond(1));
    assert!(ch(&mut a, 't').is_empty());
    assert!(
        banner(&a).contains("1 batch/s is the slowest"),
        "{}",
        banner(&a)
    );
    assert_eq!(ch(&mut a, 'T'), vec![Command::SetPace(Pace::PerSecond(3))]);
    // The worker's report is what the status line shows.
    a.apply(Update::Status(WorkerStatus::Pace(Pace::PerSecond(1))));
    assert!(status_line(&a, 160).contains("pace 1 batch/s"));
    assert!(status_line(&a, 80).contains("pace 1/s"));
    a.apply(Update::Status(WorkerStatus::Pace(Pace::Max)));
    assert!(
        !status_line(&a, 160).contains("pace"),
        "full speed is the default"
    );
}

fn divergence() -> Divergence {
    Divergence {
        step: 4210,
        loss: f32::NAN,
        lr: 1.0,
        momentum: 0.99,
        cause: DivergenceCause::LossNotFinite,
        rewind_to: 4000,
    }
}

#[test]
fn a_divergence_is_a_red_banner_saying_what_to_do_and_only_r_or_u_go_on() {
    let mut a = app();
    train(&mut a, 1, 4209);
    a.apply(Update::Status(WorkerStatus::Diverged(divergence())));
    a.apply(Update::Status(WorkerStatus::Paused));
    let b = a.banner.clone().unwrap();
    assert_eq!(b.kind, BannerKind::Error);
    assert_eq!(
        b.text,
        "diverged at step 4,210 (the loss is not a number): learning rate 1 with momentum \
         0.99 is too high — r resets, u rewinds to step 4,000 with half the rate"
    );
    assert!(
        b.text.chars().count() + 4 <= 2 * 80,
        "two rows at 80 columns"
    );
    assert!(status_line(&a, 160).contains("✖ diverged"));
    let last = a.history.markers.back().unwrap();
    assert_eq!((last.step, last.kind), (4209, MarkerKind::Diverged));
    // Neither running on nor a rebuild: the weights are broken.
    for key in [' ', '.', 'S', 'o', '+'] {
        assert!(ch(&mut a, key).is_empty(), "{key:?} sent something");
        assert!(
            banner(&a).contains("r resets, u rewinds"),
            "{key:?}: {}",
            banner(&a)
        );
    }
    // A lower rate may be set first; then the rewind.
    assert_eq!(ch(&mut a, 'l').len(), 1);
    assert_eq!(ch(&mut a, 'u'), vec![Command::Rewind]);
    a.apply(Update::Status(WorkerStatus::Rewound(Rewind {
        from_step: 4210,
        to_step: 4000,
        lr_before: 0.05,
        lr_after: 0.025,
    })));
    assert_eq!(a.diverged, None);
    assert_eq!(
        banner(&a),
        "rewound to the weights of step 4,000; learning rate 0.05 → 0.025"
    );
    assert_eq!(a.history.markers.back().unwrap().kind, MarkerKind::Rewind);
    assert!(ch(&mut a, 'u').is_empty(), "nothing to rewind now");
    assert!(banner(&a).contains("has not diverged"));
}

#[test]
fn a_reset_clears_a_divergence_and_keeps_the_pin() {
    let mut a = app();
    train(&mut a, 1, 500);
    assert!(ch(&mut a, 'c').is_empty());
    assert!(a.pinned.is_some());
    a.apply(Update::Status(WorkerStatus::Diverged(divergence())));
    assert_eq!(ch(&mut a, 'r'), vec![Command::Reset]);
    assert_eq!(a.diverged, None);
    assert!(
        a.pinned.is_some(),
        "the pin outlives the reset: that is what it is for"
    );
    let marks: Vec<_> = a.history.markers.iter().map(|m| (m.step, m.kind)).collect();
    assert_eq!(marks, [(0, MarkerKind::Reset)]);
    assert!(ch(&mut a, 'c').is_empty());
    assert!(a.pinned.is_none(), "c clears the pin");
    assert!(banner(&a).contains("cleared"));
}

#[test]
fn chart_keys_toggle_the_scales_and_zoom_the_window() {
    let mut a = app();
    assert!(ch(&mut a, 'c').is_empty());
    assert!(a.pinned.is_none(), "nothing to pin before the first step");
    train(&mut a, 1, 3000);
    assert!(a.history.loss_fell_tenfold());
    ch(&mut a, 'y');
    assert_eq!(
        a.chart.log_loss,
        Some(false),
        "from the automatic log to linear"
    );
    ch(&mut a, 'y');
    assert_eq!(a.chart.log_loss, Some(true));
    ch(&mut a, 'Y');
    assert!(a.chart.full_accuracy);
    ch(&mut a, 'h');
    assert_eq!(a.chart.window, Some(2000));
    assert_eq!(banner(&a), "chart: the last 2,000 steps (h/H)");
    ch(&mut a, 'h');
    assert_eq!(a.chart.window, Some(1000));
    ch(&mut a, 'H');
    ch(&mut a, 'H');
    assert_eq!(a.chart.window, None, "wider than the history: all of it");
    ch(&mut a, 'H');
    assert_eq!(a.banner.as_ref().unwrap().kind, BannerKind::Warning);
    assert_eq!(a.worker, WorkerState::Running);
}

#[test]
fn after_plus_the_selection_is_the_new_block() {
    let mut a = app();
    ch(&mut a, 'f');
    a.selected_filter = 3;
    assert_eq!(ch(&mut a, '+').len(), 1);
    assert_eq!((a.selected_block, a.selected_filter), (1, 0));
    assert_eq!(
        a.shown_arch().blocks[1].filters,
        8,
        "twice the 4 filters of block 1"
    );
}

#[test]
fn a_slow_validation_says_how_far_it_is_until_its_result_comes() {
    let mut a = app();
    assert!(status_line(&a, 80).contains("starting…"));
    let progress = WorkerStatus::Validating {
        done: 1280,
        total: 5000,
    };
    a.apply(Update::Status(progress.clone()));
    let screen = render_text(&a, 160, 48);
    assert!(
        screen.contains("validating the initial weights first"),
        "{screen}"
    );
    for width in [80, 160] {
        let line = status_line(&a, width);
        assert!(line.contains("validating 1,280 / 5,000"), "{line}");
        assert!(!line.contains("starting…"), "{line}");
    }
    train(&mut a, 1, 100);
    a.apply(Update::Status(progress));
    assert!(status_line(&a, 160).contains("validating 1,280 / 5,000"));
    a.apply(Update::Eval(EvalMetrics {
        step: 100,
        epoch: 0,
        set: EvalSet::Validation,
        loss: 0.5,
        accuracy: 0.9,
        samples: 5000,
    }));
    assert!(!status_line(&a, 160).contains("validating"));
}
