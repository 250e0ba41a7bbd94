//! The labs screen (`3`) driven with plain events, no terminal: its keys and the commands
//! they send, the mouse on the page strip and the drawing pad, and each page drawn at 80×24
//! and 160×48 (ASCII glyphs, so the snapshots show the pictures) from a seeded network.

mod common;

use common::render_text as render;

use cnn_tui::config::Arch;
use cnn_tui::nn::Network;
use cnn_tui::nn::plan::PoolKind;
use cnn_tui::train::analysis::lab::{LabInput, LabTrace, shift};
use cnn_tui::train::analysis::pooling::PoolingAccuracy;
use cnn_tui::train::analysis::pooling_tune::{FineTune, Tuned};
use cnn_tui::train::analysis::shift::{SHIFT_SAMPLES, ShiftCurve, ShiftCurves};
use cnn_tui::train::analysis::{AnalysisUpdate, Job, JobOutput};
use cnn_tui::train::messages::{Command, Update};
use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::labs::LabPage;
use cnn_tui::ui::screen::Screen;
use cnn_tui::ui::widgets::heatmap::Glyphs;
use cnn_tui::ui::{App, Event};
use crossterm::event::{
    Event as Input, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.handle(Event::Input(Input::Key(KeyEvent::new(
        code,
        KeyModifiers::NONE,
    ))))
}

fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) -> Vec<Command> {
    app.handle(Event::Input(Input::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })))
}

/// A seeded network of the demo's architecture.
fn network() -> Network {
    Network::new(&Arch::default().blocks, &mut ChaCha8Rng::seed_from_u64(11)).unwrap()
}

/// The demo app with its snapshot's maps, filters and answer from the seeded network, ASCII.
fn app() -> App {
    let mut app = demo_app();
    app.glyphs = Glyphs::Ascii;
    let mut net = network();
    let snap = app.snapshot.as_mut().unwrap();
    let (maps, p) = net.trace(&image_tensor(&snap.probe_image));
    snap.feature_maps = maps;
    snap.probabilities = p;
    snap.filters = net.filters();
    snap.biases = net.biases();
    app
}

fn image_tensor(img: &Array2<f32>) -> cnn_tui::nn::Tensor {
    img.clone().into_shape_with_order((1, 1, 28, 28)).unwrap()
}

/// What the worker would send for `input` on the seeded network.
fn trace(app: &App, input: LabInput) -> Update {
    let image = input.image(app.snapshot.as_ref().unwrap().probe_image.view());
    let (feature_maps, probabilities) = network().trace(&image_tensor(&image));
    Update::Lab(Box::new(LabTrace {
        step: 1200,
        input,
        image,
        feature_maps,
        probabilities,
        mlp: None,
    }))
}

fn done(output: JobOutput) -> Event {
    Event::Worker(Update::Analysis(AnalysisUpdate::Done {
        step: 1200,
        output: Box::new(output),
    }))
}

/// The curves of step 1200: the CNN's, and the MLP's when `mlp`.
fn curve(mlp: bool) -> ShiftCurves {
    let fall = |k: f32| -> [f32; 9] { std::array::from_fn(|d| 0.98 - k * (d * d) as f32 / 64.0) };
    let curve = |k: f32| ShiftCurve {
        horizontal: fall(k),
        vertical: fall(k + 0.05),
    };
    ShiftCurves {
        step: 1200,
        samples: SHIFT_SAMPLES,
        cnn: curve(0.7),
        mlp: mlp.then(|| curve(0.9)),
    }
}

#[test]
fn three_opens_the_labs_which_trace_the_shifted_digit_and_ask_for_the_curve() {
    let mut app = app();
    let sent = key(&mut app, KeyCode::Char('3'));
    assert_eq!(app.screen, Screen::Labs);
    assert_eq!(
        sent,
        vec![
            Command::Lab(Some(LabInput::Shift { dx: 0, dy: 0 })),
            Command::Analyse(Job::ShiftAccuracy)
        ]
    );
    // Arrows shift (clamped at 8); they do not change the probe.
    let probe = app.probe;
    key(&mut app, KeyCode::Right);
    assert_eq!(
        key(&mut app, KeyCode::Up),
        vec![Command::Lab(Some(LabInput::Shift { dx: 1, dy: -1 }))]
    );
    for _ in 0..12 {
        key(&mut app, KeyCode::Left);
    }
    assert_eq!(app.labs.shift, (-8, -1));
    assert_eq!(app.probe, probe);
    key(&mut app, KeyCode::Char('c'));
    assert_eq!(app.labs.shift, (0, 0));
    // n still chooses the next probe; space pauses.
    assert_eq!(
        key(&mut app, KeyCode::Char('n')),
        vec![Command::Probe(probe + 1)]
    );
    assert_eq!(key(&mut app, KeyCode::Char(' ')), vec![Command::Pause]);
    // Tab to the drawing (blank: nothing to trace), the kernels, the pooling (its job).
    assert_eq!(key(&mut app, KeyCode::Tab), vec![Command::Lab(None)]);
    assert_eq!(app.labs.page, LabPage::Draw);
    key(&mut app, KeyCode::Tab);
    // The fine-tune runs at the rate the trainer uses now and at its batch size.
    let lr = app.last_step.unwrap().lr;
    let tune = FineTune::new(&app.hyper, lr);
    assert_eq!((tune.lr, tune.batch), (lr, app.hyper.batch));
    assert_eq!(
        key(&mut app, KeyCode::Tab),
        vec![Command::Lab(None), Command::Analyse(Job::Pooling { tune })]
    );
    // Leaving the labs stops the tracing.
    let sent = key(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Dashboard);
    assert_eq!(sent, vec![Command::Lab(None)]);
}

#[test]
fn the_translation_lab_shows_both_rows_the_check_and_the_curve() {
    let mut app = app();
    key(&mut app, KeyCode::Char('3'));
    for _ in 0..3 {
        key(&mut app, KeyCode::Right);
    }
    let screen = render(&app, 160, 48);
    assert!(screen.contains("tracing…"), "{screen}");
    assert!(screen.contains("computing on a copy"), "{screen}");
    let update = trace(&app, LabInput::Shift { dx: 3, dy: 0 });
    app.handle(Event::Worker(update));
    app.handle(done(JobOutput::Shift(curve(true))));
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(&app, w, h);
        assert!(screen.contains("shifted →3"), "{screen}");
        // conv1's ReLU maps of the shifted digit are the unshifted ones moved: equivariance.
        assert!(screen.contains("relu1 ✓"), "{screen}");
        // One job's result for both networks: the MLP's row (column at 80×24) comes with the
        // CNN's, and its 8-pixel figures are far below the CNN's (8 % vs 28 % right).
        let (cnn, mlp) = if w == 80 {
            ("CNN→", " 8  28  23    8   3")
        } else {
            ("CNN →", "MLP →      98.0")
        };
        assert!(screen.contains(cnn), "{screen}");
        assert!(screen.contains(mlp), "{screen}");
        assert!(screen.contains(" 3 labs "), "{screen}");
        insta::assert_snapshot!(format!("labs_translation_{w}x{h}"), screen);
    }
}

/// With the baseline training, both networks' answers for the unshifted and the shifted
/// digit, whole (the wide layout's labels are 13 columns).
#[test]
fn the_translation_lab_shows_the_mlps_answers_beside_the_cnns() {
    let mut app = app();
    key(&mut app, KeyCode::Char('3'));
    for _ in 0..3 {
        key(&mut app, KeyCode::Right);
    }
    let Update::Lab(mut trace) = trace(&app, LabInput::Shift { dx: 3, dy: 0 }) else {
        unreachable!("trace sends a lab update")
    };
    let mut seven = [0.01f32; 10];
    seven[7] = 0.91;
    let mut zero = [0.0f32; 10];
    (zero[0], zero[7]) = (0.79, 0.21);
    trace.mlp = Some([seven, zero]);
    let cnn = cnn_tui::ui::labs::view::verdict(&trace.probabilities);
    app.handle(Event::Worker(Update::Lab(trace)));
    let cnn = format!("CNN {} {:.0} %", cnn.0, 100.0 * cnn.1);
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(&app, w, h);
        assert!(screen.contains(&cnn), "{cnn} at {w}x{h}: {screen}");
        assert!(screen.contains("MLP 7 91 %"), "{w}x{h}: {screen}");
        assert!(screen.contains("MLP 0 79 %"), "{w}x{h}: {screen}");
    }
}

#[test]
fn a_pooled_map_is_not_a_moved_copy_after_an_odd_shift() {
    let mut app = app();
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Right);
    app.handle(Event::Worker(trace(&app, LabInput::Shift { dx: 1, dy: 0 })));
    let screen = render(&app, 160, 48);
    assert!(screen.contains("relu1 ✓"), "{screen}");
    assert!(screen.contains("maxpool1 ✗"), "{screen}");
}

#[test]
fn a_stroke_drawn_with_the_mouse_is_preprocessed_and_sent() {
    let mut app = app();
    app.size = (160, 48);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Tab);
    let screen = render(&app, 160, 48);
    assert!(screen.contains("Draw a digit on the pad"), "{screen}");
    // The pad's top-left cell: find the caption's row, the pad starts under it.
    let (row, col) = screen
        .lines()
        .enumerate()
        .find_map(|(r, l)| l.find("your drawing").map(|c| (r as u16 + 1, c as u16)))
        .expect("the pad's caption");
    // A "1": a vertical drag down the middle of the pad.
    let x = col + 28;
    mouse(
        &mut app,
        MouseEventKind::Down(MouseButton::Left),
        x,
        row + 4,
    );
    let mut last = Vec::new();
    for y in row + 5..row + 24 {
        last = mouse(&mut app, MouseEventKind::Drag(MouseButton::Left), x, y);
    }
    mouse(&mut app, MouseEventKind::Up(MouseButton::Left), x, row + 24);
    let [Command::Lab(Some(LabInput::Image(img)))] = last.as_slice() else {
        panic!("a drag sends the drawing: {last:?}");
    };
    // Pre-processed: 20 rows tall (rows 4..24), narrow, centred.
    let rows: Vec<usize> = (0..28).filter(|&r| img.row(r).sum() > 0.05).collect();
    assert_eq!((rows[0], *rows.last().unwrap()), (4, 23), "{rows:?}");
    let update = trace(&app, LabInput::Image(img.clone()));
    app.handle(Event::Worker(update));
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(&app, w, h);
        assert!(screen.contains("read as"), "{screen}");
        insta::assert_snapshot!(format!("labs_draw_{w}x{h}"), screen);
    }
    // c clears, and the worker is told to stop tracing.
    assert_eq!(key(&mut app, KeyCode::Char('c')), vec![Command::Lab(None)]);
    assert!(app.labs.trace.is_none());
}

#[test]
fn the_keyboard_pen_draws_too() {
    let mut app = app();
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('x'));
    let mut sent = Vec::new();
    for _ in 0..6 {
        sent = key(&mut app, KeyCode::Down);
    }
    assert!(
        matches!(sent.as_slice(), [Command::Lab(Some(LabInput::Image(_)))]),
        "{sent:?}"
    );
    assert_eq!(app.labs.pad.ink[[20, 14]], 1.0);
}

#[test]
fn the_kernels_lab_applies_the_kernel_and_finds_the_nearest_filter() {
    let mut app = app();
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::BackTab);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.labs.page, LabPage::Kernels);
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(&app, w, h);
        assert!(screen.contains("Sobel vertical"), "{screen}");
        assert!(screen.contains("output 28×28"), "{screen}");
        assert!(screen.contains("most like it: conv1 filter #"), "{screen}");
        insta::assert_snapshot!(format!("labs_kernels_{w}x{h}"), screen);
    }
    // + edits the marked cell of a copy of the kernel shown.
    key(&mut app, KeyCode::Char('+'));
    assert_eq!(app.labs.custom[1][1], 0.5);
    assert!(render(&app, 160, 48).contains("your own"));
    // A stride of 2 on conv1 halves the output.
    app.snapshot.as_mut().unwrap().blocks[0].stride = 2;
    assert!(render(&app, 160, 48).contains("output 14×14"));
}

#[test]
fn the_pooling_lab_shows_both_poolings_and_their_accuracy() {
    let mut app = app();
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.labs.page, LabPage::Pooling);
    key(&mut app, KeyCode::Right);
    // First the switched figures alone (the job sends them before its fine-tune) …
    let switched = PoolingAccuracy {
        step: 1200,
        samples: 5000,
        trained: vec![PoolKind::Max, PoolKind::None],
        max: Some(0.9712),
        avg: Some(0.9431),
        tuned: None,
    };
    app.handle(done(JobOutput::Pooling(switched.clone())));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("max 97.12 % · average 94.31 %"), "{screen}");
    assert!(
        screen.contains("fine-tuned a few hundred steps: running"),
        "{screen}"
    );
    // … then both with the fine-tuned ones.
    let tune = FineTune::new(&app.hyper, 0.05);
    let tuned = Tuned {
        tune,
        max: Some(0.9751),
        avg: Some(0.9702),
        seconds: 41.0,
    };
    app.handle(done(JobOutput::Pooling(PoolingAccuracy {
        tuned: Some(tuned),
        ..switched
    })));
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(&app, w, h);
        assert!(screen.contains("relu1 map #2 of 8"), "{screen}");
        assert!(screen.contains("max 97.12 % · average 94.31 %"), "{screen}");
        let after = format!(
            "fine-tuned {} steps each: max 97.51 % · average 97.02 % (5,000 digits, 41 s)",
            tune.steps
        );
        assert!(screen.contains(&after), "{screen}");
        assert!(
            screen.contains(
                "average: 2.81 points lost when switched; fine-tuning won back 83 % of them"
            ),
            "{screen}"
        );
        insta::assert_snapshot!(format!("labs_pooling_{w}x{h}"), screen);
    }
}

#[test]
fn a_click_on_the_page_strip_chooses_the_lab() {
    let mut app = app();
    app.size = (160, 48);
    key(&mut app, KeyCode::Char('3'));
    let screen = render(&app, 160, 48);
    let (row, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with(" Labs:"))
        .expect("the page strip");
    let col = line.find("pooling").unwrap() as u16;
    let sent = mouse(
        &mut app,
        MouseEventKind::Down(MouseButton::Left),
        col,
        row as u16,
    );
    assert_eq!(app.labs.page, LabPage::Pooling);
    let pooling = |c: &Command| matches!(c, Command::Analyse(Job::Pooling { .. }));
    assert!(sent.iter().any(pooling), "{sent:?}");
    // The shift function the worker uses is the one the test traces with.
    let probe = app.snapshot.as_ref().unwrap().probe_image.clone();
    assert_eq!(
        LabInput::Shift { dx: 2, dy: 0 }.image(probe.view()),
        shift(probe.view(), 2, 0)
    );
}

#[test]
fn the_curve_is_computed_again_only_after_enough_training() {
    use cnn_tui::train::messages::{EvalMetrics, EvalSet, StepMetrics};
    let mut app = app();
    key(&mut app, KeyCode::Char('3'));
    app.handle(done(JobOutput::Shift(curve(true)))); // of step 1200
    let validate_at = |app: &mut App, step: usize| {
        let metrics = StepMetrics {
            step,
            epoch: 0,
            epoch_progress: 0.5,
            loss: 0.2,
            batch_accuracy: 0.9,
            lr: 0.05,
            samples_per_sec: 1000.0,
        };
        app.handle(Event::Worker(Update::Steps(vec![metrics])));
        let eval = EvalMetrics {
            step,
            epoch: 0,
            set: EvalSet::Validation,
            loss: 0.1,
            accuracy: 0.97,
            samples: 5000,
        };
        app.handle(Event::Worker(Update::Eval(eval)))
    };
    let asks = |cmds: &[Command]| cmds.iter().any(|c| matches!(c, Command::Analyse(_)));
    assert!(!asks(&validate_at(&mut app, 2200)), "1,000 steps later");
    assert!(asks(&validate_at(&mut app, 6200)), "5,000 steps later");
    // While that job runs, the next validation does not restart it.
    assert!(!asks(&validate_at(&mut app, 7200)), "asked 1,000 steps ago");
    // After a reset the step count starts again: the old curve is stale at once.
    assert!(asks(&validate_at(&mut app, 100)), "after a reset");
    // The pooling figure (two fine-tunes) waits four times as long.
    let mut app = self::app();
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::BackTab);
    let pooling = PoolingAccuracy {
        step: 1200,
        samples: 5000,
        trained: vec![PoolKind::Max],
        max: Some(0.97),
        avg: Some(0.95),
        tuned: None,
    };
    app.handle(done(JobOutput::Pooling(pooling)));
    let every = cnn_tui::ui::labs::POOLING_EVERY;
    assert_eq!(every, 20_000);
    assert!(!asks(&validate_at(&mut app, 6200)), "5,000 steps later");
    assert!(
        asks(&validate_at(&mut app, 1200 + every)),
        "20,000 steps later"
    );
}
