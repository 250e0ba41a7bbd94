//! The filter page's time-lapse (`t`): frames recorded from the snapshots, scrubbed with the
//! keys and the bar, and opened in the focus view, which then shows the scrubbed weights and
//! pages through the layer's filters with ← →; back on the page on the filter paged to.

mod common;

use common::render_text as render;

use cnn_tui::train::messages::{Command, Update};
use cnn_tui::ui::demo::{demo_app, demo_snapshot};
use cnn_tui::ui::focus::Target;
use cnn_tui::ui::inspect::Page;
use cnn_tui::ui::inspect::lapse::Scrub;
use cnn_tui::ui::scene::resolve;
use cnn_tui::ui::screen::Screen;
use cnn_tui::ui::widgets::heatmap::Glyphs;
use cnn_tui::ui::{App, Event};
use crossterm::event::{
    Event as Input, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    let event = KeyEvent::new(code, KeyModifiers::NONE);
    app.handle(Event::Input(Input::Key(event)))
}

pub fn click(app: &mut App, column: u16, row: u16) -> Vec<Command> {
    app.handle(Event::Input(Input::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })))
}

/// The demo app after snapshots up to step 1,600, every 10 steps, conv1's weights growing
/// with the step (so that each frame differs), on the time-lapse's page.
fn lapse_app() -> App {
    let mut app = demo_app();
    app.glyphs = Glyphs::Ascii;
    let arch = app.arch.clone();
    for step in (1210..=1600).step_by(10) {
        let mut snap = demo_snapshot(&arch, 7, step);
        snap.filters[0] *= step as f32 / 1600.0;
        app.handle(Event::Worker(Update::Snapshot(Box::new(snap))));
    }
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.inspect.page, Page::Filters);
    key(&mut app, KeyCode::Char('t'));
    app
}

#[test]
fn the_time_lapse_scrubs_and_opens_the_scrubbed_filters_in_the_focus_view() {
    let mut app = lapse_app();
    let steps: Vec<usize> = app.timelapse.frames().iter().map(|f| f.step).collect();
    // The demo's own snapshot (1,200), then one frame every ten steps.
    assert_eq!(steps[..3], [1200, 1210, 1220]);
    assert_eq!(steps.last(), Some(&1600));
    let n = steps.len();
    assert_eq!(app.inspect.lapse, Some(Scrub::Newest));
    assert!(render(&app, 80, 24).contains(&format!("frame {n} of {n} (live) · step 1,600")));
    // Home, then ] ] → the third frame; ← one back, → one on.
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Left);
    key(&mut app, KeyCode::Right);
    assert_eq!(app.inspect.lapse, Some(Scrub::At(1220)));
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(&app, w, h);
        assert!(
            screen.contains(&format!("frame 3 of {n} · step 1,220 · loss ")),
            "{screen}"
        );
        assert!(screen.contains("conv1 8×(1×3×3)"), "{screen}");
        insta::assert_snapshot!(format!("inspect_timelapse_{w}x{h}"), screen);
    }
    // Enter: the focus view shows frame 1,220's filter 1, not the live weights.
    key(&mut app, KeyCode::Enter);
    let view = app.focus_view.as_ref().expect("the focus view is open");
    assert_eq!(view.frame.as_ref().map(|f| f.step), Some(1220));
    let frame = view.frame.clone().unwrap();
    let shown = |app: &App| {
        let target = app.focus_view.as_ref().unwrap().target;
        let scene = resolve(app, target).unwrap();
        (target, scene.picture.to_owned())
    };
    let (target, picture) = shown(&app);
    assert_eq!(
        target,
        Target::Filter {
            block: 0,
            filter: 0
        }
    );
    let want = frame.filters[0].slice(ndarray::s![0, 0, .., ..]).to_owned();
    assert_eq!(picture, want);
    let live = app.snapshot.as_ref().unwrap().filters[0]
        .slice(ndarray::s![0, 0, .., ..])
        .to_owned();
    assert_ne!(picture, live);
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(&app, w, h);
        assert!(
            screen.contains("conv1 filter (time-lapse, step 1,220) 1 of 8"),
            "{screen}"
        );
        insta::assert_snapshot!(format!("focus_timelapse_{w}x{h}"), screen);
    }
    // → pages to filter 2 of the same frame; Esc is back on the page, on filter 2.
    key(&mut app, KeyCode::Right);
    let (target, picture) = shown(&app);
    assert_eq!(
        target,
        Target::Filter {
            block: 0,
            filter: 1
        }
    );
    assert_eq!(
        picture,
        frame.filters[0].slice(ndarray::s![1, 0, .., ..]).to_owned()
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.focus_view.is_none());
    assert_eq!((app.screen, app.inspect.filter), (Screen::Inspect, (0, 1)));
    // ↓ ↓: conv2's second filter, its row shown, the one Enter opens.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    assert_eq!((app.selected_block, app.selected_filter), (1, 1));
    assert_eq!(app.inspect.filter, (1, 1));
    key(&mut app, KeyCode::Enter);
    let (target, picture) = shown(&app);
    assert_eq!(
        target,
        Target::Filter {
            block: 1,
            filter: 1
        }
    );
    assert_eq!(picture.dim(), (3, 8 * 4 - 1));
    key(&mut app, KeyCode::Esc);
    // End follows training again; t leaves the time-lapse.
    key(&mut app, KeyCode::End);
    assert_eq!(app.inspect.lapse, Some(Scrub::Newest));
    key(&mut app, KeyCode::Char('t'));
    assert_eq!(app.inspect.lapse, None);
}

#[test]
fn a_click_on_the_bar_scrubs_to_the_frame_under_it() {
    let mut app = lapse_app();
    let (w, h) = (80, 24);
    app.size = (w, h);
    let screen = render(&app, w, h);
    let rows: Vec<&str> = screen.lines().collect();
    let y = rows
        .iter()
        .position(|r| r.trim_start().starts_with("step 1,200 "))
        .expect("the bar's row");
    let row: Vec<char> = rows[y].chars().collect();
    // The bar runs from the first '=' after the first step to the '|' at its end (the newest).
    let start = row.iter().position(|&c| c == '=').unwrap();
    let dot = row.iter().position(|&c| c == '|').unwrap();
    assert_eq!(
        row.iter().skip(dot + 1).take_while(|&&c| c == '-').count(),
        0
    );
    click(&mut app, start as u16, y as u16);
    assert_eq!(app.inspect.lapse, Some(Scrub::At(1200)));
    assert!(render(&app, w, h).contains("frame 1 of"));
}

/// What recording a frame costs the UI thread (a snapshot arrives ten times a second): the
/// default network's filters cloned and recorded, 100,000 times. Timings: noisy on a shared
/// machine. `cargo test --test inspect_timelapse -- --ignored --nocapture`
#[test]
#[ignore]
fn time_the_recording() {
    use cnn_tui::ui::timelapse::{Frame, Timelapse};
    let app = demo_app();
    let filters = app.snapshot.as_ref().unwrap().filters.clone();
    let mut lapse = Timelapse::default();
    let n = 100_000;
    let t = std::time::Instant::now();
    for step in 0..n {
        lapse.record(Frame {
            step: step * 3,
            loss: Some(0.1),
            filters: filters.clone(),
        });
    }
    let each = t.elapsed().as_secs_f64() / n as f64;
    println!(
        "record: {:.2} µs a frame; {} frames, {} bytes, a frame every {} steps",
        each * 1e6,
        lapse.frames().len(),
        lapse.bytes(),
        lapse.every()
    );
    assert!(lapse.bytes() <= cnn_tui::ui::timelapse::BUDGET_BYTES);
}
