//! The dashboard's state and key handling with plain events: no terminal.

use cnn_tui::config::{Arch, Hyper, PoolKind};
use cnn_tui::data::dataset::{Dataset, Mnist};
use cnn_tui::train::messages::{Command, Snapshot, Update, WorkerStatus};
use cnn_tui::train::rebuild::RebuildOutcome;
use cnn_tui::train::search::Misclassified;
use cnn_tui::train::trainer::Trainer;
use cnn_tui::ui::app::{BannerKind, Panel, WorkerState};
use cnn_tui::ui::demo::{demo_app, demo_snapshot};
use cnn_tui::ui::keys::{self, Action, KEYS};
use cnn_tui::ui::layout;
use cnn_tui::ui::panels::{filters, panel_block};
use cnn_tui::ui::widgets::colormap::ColorMode;
use cnn_tui::ui::widgets::heatmap::Glyphs;
use cnn_tui::ui::{App, Event};
use crossterm::event::{
    Event as Input, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;
use std::sync::Arc;

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

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.handle(Event::Input(Input::Key(KeyEvent::new(
        code,
        KeyModifiers::NONE,
    ))))
}

fn ch(app: &mut App, c: char) -> Vec<Command> {
    key(app, KeyCode::Char(c))
}

fn click(app: &mut App, column: u16, row: u16) -> Vec<Command> {
    let kind = MouseEventKind::Down(MouseButton::Left);
    app.handle(Event::Input(Input::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })))
}

#[test]
fn quit_keys() {
    for k in [
        KeyEvent::from(KeyCode::Char('q')),
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
    ] {
        let mut a = app();
        assert_eq!(a.on_key(&k), vec![Command::Quit]);
        assert!(a.quit);
    }
}

/// Esc closes the help, the typing of an index and the focus view; it never quits, and
/// with nothing open it says which key does.
#[test]
fn esc_closes_help_typing_and_focus_but_never_quits() {
    let mut a = demo_app();
    ch(&mut a, '?');
    assert!(a.help);
    assert!(key(&mut a, KeyCode::Esc).is_empty());
    assert!(!a.help && !a.quit);
    ch(&mut a, 'i');
    assert!(key(&mut a, KeyCode::Esc).is_empty());
    assert!(a.typing.is_none() && !a.quit);
    key(&mut a, KeyCode::Enter);
    assert!(a.focus_view.is_some());
    ch(&mut a, '?');
    key(&mut a, KeyCode::Esc);
    assert!(!a.help && a.focus_view.is_some(), "the help closes first");
    key(&mut a, KeyCode::Esc);
    assert!(a.focus_view.is_none() && !a.quit);
    assert!(key(&mut a, KeyCode::Esc).is_empty());
    assert!(!a.quit);
    assert!(a.banner.as_ref().unwrap().text.contains("q quits"));
}

/// The keys send commands; the state shown changes only when the worker reports it.
#[test]
fn pause_resume_and_step() {
    let mut a = app();
    assert_eq!(ch(&mut a, ' '), vec![Command::Pause]);
    assert_eq!(a.worker, WorkerState::Running, "until the worker says so");
    a.apply(Update::Status(WorkerStatus::Paused));
    assert_eq!(a.worker, WorkerState::Paused);
    assert_eq!(ch(&mut a, ' '), vec![Command::Resume]);
    assert_eq!(a.worker, WorkerState::Paused, "until the worker says so");
    a.apply(Update::Status(WorkerStatus::Running));
    assert_eq!(ch(&mut a, '.'), vec![Command::Step]);
    assert_eq!(a.worker, WorkerState::Running, "until the worker says so");
    a.apply(Update::Status(WorkerStatus::Paused));
    assert_eq!(a.worker, WorkerState::Paused);
}

/// What the worker would report for `edit`: the trainer's own rebuild of a network of `from`,
/// on four blank images (the outcome depends on the shapes, not on the data).
fn trainer_rebuild(from: &Arch, edit: &Arch) -> RebuildOutcome {
    let blank = Dataset::new(vec![0; 4 * 28 * 28], vec![0, 1, 2, 3]);
    let data = Mnist {
        name: "blank".into(),
        train: blank.clone(),
        validation: blank.clone(),
        test: blank,
    };
    let mut trainer = Trainer::new(from, Hyper::default(), Arc::new(data), 1).unwrap();
    trainer.step().unwrap();
    trainer.set_arch(edit).unwrap()
}

#[test]
fn stride_edit_sends_the_new_arch_and_the_rebuild_confirms_it() {
    let mut a = app();
    let cmds = ch(&mut a, 'S');
    let mut want = Arch::default();
    want.blocks[0].stride = 2;
    assert_eq!(cmds, vec![Command::SetArch(want.clone())]);
    assert_eq!(a.shown_arch(), &want);
    assert_eq!(a.pending_arch.as_ref(), Some(&want));
    assert_ne!(a.arch, want);
    let outcome = trainer_rebuild(&Arch::default(), &want);
    a.apply(Update::Status(WorkerStatus::Rebuilt(outcome)));
    assert_eq!(a.arch, want);
    assert_eq!(a.pending_arch, None);
    assert_eq!(
        a.banner.as_ref().unwrap().text,
        "conv1 stride 1→2: conv1 28×28→14×14, conv2 14×14→7×7, dense input 784→144 \
         — kept conv1, conv2; re-initialised dense"
    );
}

/// Two edits sent before the first rebuild is confirmed: the second builds on the first, and
/// stays pending (and shown) until its own rebuild arrives.
#[test]
fn an_edit_stays_pending_until_its_own_rebuild() {
    let mut a = app();
    ch(&mut a, 'S');
    ch(&mut a, 'o');
    let mut first = Arch::default();
    first.blocks[0].stride = 2;
    let mut second = first.clone();
    second.blocks[0].pool = PoolKind::Avg;
    assert_eq!(a.shown_arch(), &second);
    let outcome = trainer_rebuild(&Arch::default(), &first);
    a.apply(Update::Status(WorkerStatus::Rebuilt(outcome)));
    assert_eq!((&a.arch, a.shown_arch()), (&first, &second));
    let outcome = trainer_rebuild(&first, &second);
    a.apply(Update::Status(WorkerStatus::Rebuilt(outcome)));
    assert_eq!((&a.arch, a.pending_arch.as_ref()), (&second, None));
    assert_eq!(
        a.banner.as_ref().unwrap().text,
        "conv1 pool max→avg — every weight kept"
    );
}

#[test]
fn refused_edit_reverts_to_the_confirmed_arch() {
    let mut a = app();
    ch(&mut a, 'o');
    assert_eq!(a.shown_arch().blocks[0].pool, PoolKind::Avg);
    a.apply(Update::Status(WorkerStatus::Refused("not now".into())));
    assert_eq!(a.shown_arch(), &Arch::default());
    assert_eq!(a.pending_arch, None);
    assert_eq!(a.banner.as_ref().unwrap().kind, BannerKind::Warning);
}

#[test]
fn impossible_edit_sends_nothing_and_says_why() {
    let mut a = app();
    assert_eq!(ch(&mut a, 'p').len(), 1, "padding 1 → 0");
    assert!(ch(&mut a, 'p').is_empty(), "padding stays 0");
    assert!(a.banner.as_ref().unwrap().text.contains("already 0"));
    let mut a = app();
    assert_eq!(ch(&mut a, 'P').len(), 1, "padding 2 < kernel 3");
    let before = a.shown_arch().clone();
    let cmds = ch(&mut a, 'P'); // padding 3 is not smaller than the kernel
    assert!(cmds.is_empty());
    assert_eq!(a.shown_arch(), &before);
    let banner = a.banner.clone().unwrap();
    assert_eq!(banner.kind, BannerKind::Warning);
    assert!(banner.text.contains("padding"), "{}", banner.text);
}

#[test]
fn pool_cycle_and_pool_size_without_pooling() {
    let mut a = app();
    ch(&mut a, 'o');
    ch(&mut a, 'o');
    assert_eq!(a.shown_arch().blocks[0].pool, PoolKind::None);
    assert!(ch(&mut a, 'Z').is_empty());
    assert!(a.banner.as_ref().unwrap().text.contains("no pooling"));
    assert_eq!(ch(&mut a, 'o').len(), 1);
    assert_eq!(a.shown_arch().blocks[0].pool, PoolKind::Max);
}

#[test]
fn blocks_add_remove_and_selection_stays_in_range() {
    let mut a = app();
    ch(&mut a, ']');
    assert_eq!(a.selected_block, 1);
    let cmds = ch(&mut a, '+');
    assert_eq!(cmds.len(), 1);
    assert_eq!(a.shown_arch().blocks.len(), 3);
    assert_eq!(a.selected_block, 2);
    assert!(ch(&mut a, '+').is_empty(), "a fourth block is refused");
    assert_eq!(ch(&mut a, '-').len(), 1);
    assert_eq!(a.shown_arch().blocks.len(), 2);
    assert_eq!(a.selected_block, 1);
    ch(&mut a, '-');
    assert_eq!(a.shown_arch().blocks.len(), 1);
    assert!(ch(&mut a, '-').is_empty(), "the last block stays");
    a.check_invariants().unwrap();
}

#[test]
fn hyper_edits_send_set_hyper() {
    let mut a = app();
    let cmds = ch(&mut a, 'L');
    assert_eq!(
        cmds,
        vec![Command::SetHyper(Hyper {
            lr: 0.1,
            ..Hyper::default()
        })]
    );
    assert_eq!(
        ch(&mut a, 'b'),
        vec![Command::SetHyper(Hyper {
            lr: 0.1,
            batch: 16,
            ..Hyper::default()
        })]
    );
    ch(&mut a, 'm');
    assert_eq!(a.hyper.momentum, 0.8);
}

#[test]
fn probe_next_previous_random_and_typed() {
    let mut a = app();
    assert_eq!(ch(&mut a, 'n'), vec![Command::Probe(6)]);
    assert_eq!(ch(&mut a, 'N'), vec![Command::Probe(5)]);
    a.probe = 0;
    assert_eq!(ch(&mut a, 'N'), vec![Command::Probe(99)], "wraps around");
    let r = ch(&mut a, 'd');
    assert!(matches!(r[..], [Command::Probe(i)] if i < 100));
    ch(&mut a, 'i');
    for c in "42".chars() {
        assert!(ch(&mut a, c).is_empty());
    }
    assert_eq!(key(&mut a, KeyCode::Enter), vec![Command::Probe(42)]);
    ch(&mut a, '#');
    for c in "123".chars() {
        ch(&mut a, c);
    }
    assert!(
        key(&mut a, KeyCode::Enter).is_empty(),
        "123 is past the 100 test images"
    );
    assert!(
        a.banner
            .as_ref()
            .unwrap()
            .text
            .contains("no test image #123")
    );
    assert_eq!(a.probe, 42);
}

#[test]
fn typing_ignores_command_keys() {
    let mut a = app();
    ch(&mut a, 'i');
    assert!(ch(&mut a, 'q').is_empty());
    assert!(!a.quit);
    ch(&mut a, '7');
    key(&mut a, KeyCode::Backspace);
    assert_eq!(a.typing.as_deref(), Some(""));
}

#[test]
fn view_toggles_and_focus() {
    let mut a = app();
    assert_eq!(a.glyphs, Glyphs::HalfBlock);
    ch(&mut a, 'g');
    assert_eq!(a.glyphs, Glyphs::Braille);
    ch(&mut a, 'v');
    assert!(a.per_layer);
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, Panel::Ledger);
    key(&mut a, KeyCode::BackTab);
    key(&mut a, KeyCode::BackTab);
    assert_eq!(a.focus, Panel::Prediction);
}

#[test]
fn no_color_starts_in_ascii_and_never_offers_half_blocks() {
    let mut a = App::new(
        "x".into(),
        10,
        Arch::default(),
        Hyper::default(),
        0,
        ColorMode::Monochrome,
    );
    assert_eq!(a.glyphs, Glyphs::Ascii);
    // Half-blocks are colours and braille dots lose the sign: only ASCII, and it says why.
    for _ in 0..3 {
        ch(&mut a, 'g');
        assert_eq!(a.glyphs, Glyphs::Ascii);
    }
    assert!(a.banner.unwrap().text.contains("only ASCII"));
}

#[test]
fn e_and_e_ask_for_the_next_and_previous_misclassified_digit() {
    let mut a = app();
    assert_eq!(
        ch(&mut a, 'e'),
        vec![Command::FindMisclassified {
            from: 5,
            forward: true
        }]
    );
    assert_eq!(
        ch(&mut a, 'E'),
        vec![Command::FindMisclassified {
            from: 5,
            forward: false
        }]
    );
    // The worker's answer makes the digit the probe and says what it is and what was predicted.
    let found = Misclassified {
        index: 42,
        label: 4,
        predicted: 9,
    };
    a.apply(Update::Status(WorkerStatus::Misclassified(Some(found))));
    assert_eq!(a.probe, 42);
    let text = a.banner.clone().unwrap().text;
    assert!(
        text.contains("#42") && text.contains("label 4") && text.contains("predicted 9"),
        "{text}"
    );
    assert_eq!(
        ch(&mut a, 'e'),
        vec![Command::FindMisclassified {
            from: 42,
            forward: true
        }]
    );
    a.apply(Update::Status(WorkerStatus::Misclassified(None)));
    assert_eq!(a.probe, 42);
    assert!(a.banner.unwrap().text.contains("classified right"));
}

#[test]
fn failure_is_shown_and_reset_restarts() {
    let mut a = app();
    a.apply(Update::Failed("boom".into()));
    assert_eq!(a.worker, WorkerState::Failed("boom".into()));
    assert!(a.banner.as_ref().unwrap().text.contains("boom"));
    assert!(
        ch(&mut a, ' ').is_empty(),
        "pausing a dead worker sends nothing"
    );
    assert_eq!(ch(&mut a, 'r'), vec![Command::Reset]);
    assert_eq!(
        a.worker,
        WorkerState::Failed("boom".into()),
        "until a new worker runs"
    );
    a.apply(Update::Status(WorkerStatus::Running));
    assert_eq!(a.worker, WorkerState::Running);
}

/// An edit in flight when the worker dies is never confirmed: the app shows, and a new worker
/// starts from, the architecture the dead worker last confirmed.
#[test]
fn a_dead_worker_leaves_no_pending_edit() {
    let mut a = app();
    ch(&mut a, ']');
    ch(&mut a, '-');
    assert_eq!(a.shown_arch().blocks.len(), 1);
    assert_eq!(a.selected_block, 0);
    a.apply(Update::Failed("boom".into()));
    assert_eq!(
        (a.shown_arch(), a.pending_arch.as_ref()),
        (&Arch::default(), None)
    );
    let mut b = app();
    ch(&mut b, 'S');
    b.worker_gone();
    assert_eq!(b.shown_arch(), &Arch::default());
}

#[test]
fn a_silent_worker_death_is_shown() {
    let mut a = app();
    a.worker_gone();
    assert_eq!(a.worker, WorkerState::Gone);
    assert!(
        a.banner
            .as_ref()
            .unwrap()
            .text
            .contains("without a message")
    );
}

#[test]
fn steps_going_backwards_start_a_new_history() {
    let mut a = demo_app();
    assert!(!a.history.is_empty());
    let step = cnn_tui::train::messages::StepMetrics {
        step: 1,
        epoch: 0,
        epoch_progress: 0.0,
        loss: 2.3,
        batch_accuracy: 0.1,
        lr: 0.01,
        samples_per_sec: 100.0,
    };
    a.apply(Update::Steps(vec![step]));
    assert_eq!(a.history.loss.points().len(), 1);
}

/// A snapshot (every layer's maps, ten a second) is moved into the app, not copied: the app
/// holds the very allocation the worker sent.
#[test]
fn a_snapshot_is_kept_without_a_copy() {
    let mut a = app();
    let snapshot = Box::new(demo_snapshot(&Arch::default(), 5, 10));
    let sent: *const Snapshot = &*snapshot;
    a.handle(Event::Worker(Update::Snapshot(snapshot)));
    let kept: *const Snapshot = &**a.snapshot.as_ref().unwrap();
    assert!(std::ptr::eq(sent, kept));
}

/// The inside of `panel`'s frame where the layout puts it on the app's screen.
fn panel_inner(a: &App, panel: Panel) -> Rect {
    let screen = Rect::new(0, 0, a.size.0, a.size.1);
    let areas = layout::app_areas(a, screen).expect("a screen large enough to draw");
    let (_, rect) = areas.panels.into_iter().find(|(p, _)| *p == panel).unwrap();
    panel_block(a, panel, "").inner(rect)
}

#[test]
fn mouse_clicks_focus_panels_select_blocks_and_filters() {
    let mut a = demo_app();
    a.size = (160, 48);
    for panel in Panel::ALL {
        let inner = panel_inner(&a, panel);
        click(&mut a, inner.right() - 1, inner.bottom() - 1);
        assert_eq!(a.focus, panel, "a click in the corner of {panel:?}");
    }
    // The ledger lists a header, the input, then the plan's layers: conv2 is block 2's first.
    let ledger = panel_inner(&a, Panel::Ledger);
    let plan = a.shown_arch().plan().unwrap();
    let conv2 = plan
        .layers
        .iter()
        .position(|l| l.id.block() == Some(1))
        .unwrap();
    click(&mut a, ledger.x + 2, ledger.y + 2 + conv2 as u16);
    assert_eq!((a.focus, a.selected_block), (Panel::Ledger, 1));
    for filter in [0, 1] {
        let inner = panel_inner(&a, Panel::Filters);
        let tiles = filters::filter_layout(&a, inner).unwrap().tiles;
        let tile = tiles
            .iter()
            .find(|t| (t.block, t.filter, t.channel) == (0, filter, 0))
            .unwrap();
        click(&mut a, tile.rect.x, tile.rect.y);
        assert_eq!(
            (a.focus, a.selected_block, a.selected_filter),
            (Panel::Filters, 0, filter)
        );
    }
    a.check_invariants().unwrap();
}

#[test]
fn tabs_are_clickable_when_small() {
    let mut a = demo_app();
    a.handle(Event::Input(Input::Resize(80, 24)));
    // The tab bar sits under the status line and the banner (two rows here: the demo's
    // rebuild message is wider than 80 columns).
    let screen = Rect::new(0, 0, 80, 24);
    let tabs = layout::app_areas(&a, screen).unwrap().tabs.unwrap();
    assert_eq!(tabs.y, 3);
    let mut x = tabs.x;
    for (panel, label) in layout::tab_labels() {
        click(&mut a, x + 1, tabs.y);
        assert_eq!(a.focus, panel, "the tab {label:?} at column {}", x + 1);
        x += label.chars().count() as u16 + 1;
    }
}

#[test]
fn the_key_table_has_no_duplicate_keys_and_hints_come_from_it() {
    let mut seen = Vec::new();
    for row in KEYS {
        for k in row.keys {
            assert!(!seen.contains(k), "{k:?} bound twice");
            seen.push(*k);
        }
    }
    let hints = keys::hints();
    assert_eq!(hints[0], ("q".to_string(), "quit"));
    assert!(hints.iter().any(|(k, w)| k == "s/S" && *w == "stride"));
    assert!(
        keys::action_for(&KeyEvent::from(KeyCode::Char('S')))
            == Some(Action::Adjust(keys::Field::Stride, true))
    );
}

/// At 80 columns the hint bar keeps help, quit and the live edits of the lecture (stride,
/// padding, pooling) rather than the first rows of the table.
#[test]
fn a_short_hint_bar_keeps_help_quit_and_the_shape_edits() {
    let mut shown = String::new();
    let mut used = 1;
    for (k, w) in cnn_tui::ui::bars::bar_hints(80) {
        used += k.chars().count() + w.chars().count() + 3;
        if used > 80 {
            break;
        }
        shown.push_str(&format!("{k} {w}  "));
    }
    for must in ["q quit", "? help", "s/S stride", "p/P pad", "o pool"] {
        assert!(shown.contains(must), "{must} missing from {shown:?}");
    }
    // Wide enough, the table's own order.
    assert_eq!(cnn_tui::ui::bars::bar_hints(400), keys::hints());
}
