//! The dashboard's keep-and-share keys and its quit question, with plain events: no terminal.

use cnn_tui::config::{Arch, Hyper};
use cnn_tui::metrics::{CSV_HEADER, write_history};
use cnn_tui::train::messages::{Command, StepMetrics, Update, WorkerStatus};
use cnn_tui::ui::app::BannerKind;
use cnn_tui::ui::widgets::colormap::ColorMode;
use cnn_tui::ui::{App, Event};
use crossterm::event::{Event as Input, KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use std::path::PathBuf;

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

/// A step `epochs` epochs into training.
fn trained(app: &mut App, epochs: f32) {
    let m = StepMetrics {
        step: (epochs * 100.0) as usize,
        epoch: epochs.floor() as usize,
        epoch_progress: epochs.fract(),
        loss: 0.5,
        batch_accuracy: 0.9,
        lr: 0.05,
        samples_per_sec: 1000.0,
    };
    app.apply(Update::Steps(vec![m]));
}

fn saved(app: &mut App, step: usize) {
    let path = PathBuf::from(format!("./cnn-tui-step{step}.safetensors"));
    app.apply(Update::Status(WorkerStatus::Saved { path, step }));
}

#[test]
fn w_asks_the_worker_for_a_checkpoint_here_and_the_banner_says_where() {
    let mut a = app();
    assert_eq!(ch(&mut a, 'w'), vec![Command::Save(PathBuf::from("."))]);
    saved(&mut a, 4210);
    let banner = a.banner.clone().unwrap();
    assert_eq!(banner.kind, BannerKind::Info);
    assert!(
        banner.text.contains("cnn-tui-step4210.safetensors"),
        "{}",
        banner.text
    );
    let reason = "x.safetensors: cannot be written: Permission denied (os error 13)";
    a.apply(Update::Status(WorkerStatus::SaveFailed(reason.into())));
    let banner = a.banner.clone().unwrap();
    assert_eq!(banner.kind, BannerKind::Error);
    assert!(banner.text.contains("Permission denied"), "{}", banner.text);
    assert!(!a.quit);
}

#[test]
fn q_quits_at_once_within_an_epoch_of_the_last_save() {
    let mut a = app();
    trained(&mut a, 0.9);
    assert_eq!(ch(&mut a, 'q'), vec![Command::Quit]);
    assert!(a.quit && !a.keep.asking);
    let mut b = app();
    trained(&mut b, 3.0);
    saved(&mut b, 300);
    trained(&mut b, 3.5);
    assert_eq!(
        ch(&mut b, 'q'),
        vec![Command::Quit],
        "saved half an epoch ago"
    );
}

#[test]
fn q_after_more_than_an_epoch_asks_save_quit_or_cancel() {
    let mut a = app();
    trained(&mut a, 1.2);
    assert_eq!(ch(&mut a, 'q'), Vec::<Command>::new());
    assert!(a.keep.asking && !a.quit);
    assert_eq!(
        ch(&mut a, 'f'),
        Vec::<Command>::new(),
        "other keys do nothing"
    );
    assert_eq!(a.pending_arch, None);
    press(&mut a, KeyEvent::from(KeyCode::Esc));
    assert!(!a.keep.asking && !a.quit, "Esc cancels");
    ch(&mut a, 'q');
    assert_eq!(
        ch(&mut a, 'q'),
        vec![Command::Quit],
        "q in the question quits"
    );
    assert!(a.quit);
}

#[test]
fn save_then_quit_waits_for_the_checkpoint_and_stays_when_it_fails() {
    let mut a = app();
    trained(&mut a, 2.0);
    ch(&mut a, 'q');
    assert_eq!(ch(&mut a, 'w'), vec![Command::Save(PathBuf::from("."))]);
    assert!(!a.quit && !a.keep.asking, "not before the file is written");
    a.apply(Update::Status(WorkerStatus::SaveFailed("disk full".into())));
    assert!(!a.quit, "a failed save does not lose the run");
    ch(&mut a, 'q');
    assert!(a.keep.asking, "still unsaved: asks again");
    ch(&mut a, 'w');
    saved(&mut a, 200);
    assert!(a.quit);
}

#[test]
fn ctrl_c_never_asks() {
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    let mut a = app();
    trained(&mut a, 5.0);
    assert_eq!(press(&mut a, ctrl_c), vec![Command::Quit]);
    assert!(a.quit && !a.keep.asking);
    let mut b = app();
    trained(&mut b, 5.0);
    ch(&mut b, 'q');
    assert_eq!(
        press(&mut b, ctrl_c),
        vec![Command::Quit],
        "not even while asking"
    );
    assert!(b.quit);
}

#[test]
fn a_reset_or_a_dead_worker_leaves_nothing_to_ask_about() {
    let mut a = app();
    trained(&mut a, 3.0);
    saved(&mut a, 300);
    ch(&mut a, 'r');
    trained(&mut a, 1.5);
    ch(&mut a, 'q');
    assert!(
        a.keep.asking,
        "the reset run is 1.5 epochs in, none of it saved"
    );
    let mut b = app();
    trained(&mut b, 3.0);
    b.apply(Update::Failed("boom".into()));
    assert_eq!(ch(&mut b, 'q'), vec![Command::Quit]);
}

#[test]
fn the_question_is_drawn_over_the_dashboard() {
    let mut a = app();
    trained(&mut a, 1.5);
    ch(&mut a, 'q');
    let area = Rect::new(0, 0, 120, 40);
    let mut buf = Buffer::empty(area);
    (&a).render(area, &mut buf);
    let text: String = buf.content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("Quit without saving?"), "{text}");
    assert!(
        text.contains("1.5 epochs trained since the start"),
        "{text}"
    );
    // Saved at 1.0, then 1.5 more: since the last save.
    press(&mut a, KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    assert!(!a.keep.asking && !a.quit);
    a.keep.saved_at = Some(1.0);
    trained(&mut a, 2.5);
    ch(&mut a, 'q');
    let mut buf = Buffer::empty(area);
    (&a).render(area, &mut buf);
    let text: String = buf.content().iter().map(|c| c.symbol()).collect();
    assert!(
        text.contains("1.5 epochs trained since the last save"),
        "{text}"
    );
}

/// `q` works in the focus view too, and its question is drawn there.
#[test]
fn the_question_is_drawn_over_the_focus_view() {
    let mut a = cnn_tui::ui::demo::demo_app();
    press(&mut a, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert!(a.focus_view.is_some());
    a.keep.saved_at = Some(-5.0);
    ch(&mut a, 'q');
    assert!(a.keep.asking && !a.quit);
    let area = Rect::new(0, 0, 160, 48);
    let mut buf = Buffer::empty(area);
    (&a).render(area, &mut buf);
    let text: String = buf.content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("Quit without saving?"), "{text}");
}

#[test]
fn x_exports_the_history_and_the_file_holds_it() {
    let mut a = app();
    assert_eq!(ch(&mut a, 'x'), Vec::<Command>::new());
    assert_eq!(a.keep.export, None, "nothing to export yet");
    for step in 1..=50 {
        a.apply(Update::Steps(vec![StepMetrics {
            step,
            epoch: 0,
            epoch_progress: step as f32 / 100.0,
            loss: 2.0 / step as f32,
            batch_accuracy: 0.5,
            lr: 0.05,
            samples_per_sec: 1.0,
        }]));
    }
    ch(&mut a, 'x');
    let path = a.keep.export.take().expect("an export asked for");
    assert_eq!(path, PathBuf::from("cnn-tui-metrics-step50.csv"));
    // The event loop writes it; here into a temporary folder.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(&path);
    let h = &a.history;
    let rows = write_history(&file, &h.loss.points(), &[(25.0, 0.3)], &[(25.0, 0.75)]).unwrap();
    assert_eq!(rows, 51);
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines[0], CSV_HEADER);
    assert_eq!(lines[1], "step,,1,,,2,,,,,,");
    assert!(lines.contains(&"eval,,25,,,0.3,0.75,,,validation,,"));
    assert_eq!(lines.len(), 52);
}
