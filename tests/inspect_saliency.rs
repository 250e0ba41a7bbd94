//! The inspect screen's pages beyond the matrix: a cell's wrong digits as thumbnails, one of
//! them made the probe (a test digit) or shown (a validation digit), its saliency asked of the
//! analysis thread, drawn, and recomputed as training goes on; a real worker computes it.

mod common;

use common::render_text as render;

use cnn_tui::config::Arch;
use cnn_tui::data::dataset::Mnist;
use cnn_tui::train::analysis::confusion::Confusion;
use cnn_tui::train::analysis::saliency::Saliency;
use cnn_tui::train::analysis::{AnalysisUpdate, Job, JobOutput};
use cnn_tui::train::messages::{Command, EvalSet, Update};
use cnn_tui::train::worker::{self};
use cnn_tui::ui::demo::{demo_app, demo_snapshot};
use cnn_tui::ui::inspect::saliency_view::robust_scale;
use cnn_tui::ui::inspect::{Page, Subject};
use cnn_tui::ui::widgets::colormap::Scale;
use cnn_tui::ui::widgets::heatmap::Glyphs;
use cnn_tui::ui::{App, Event};
use crossterm::event::{Event as Input, KeyCode, KeyEvent, KeyModifiers};
use ndarray::Array2;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    let event = KeyEvent::new(code, KeyModifiers::NONE);
    app.handle(Event::Input(Input::Key(event)))
}

/// A ring (a "0") of radius `r` as 28×28 bytes.
fn ring(r: f32) -> Vec<u8> {
    (0..784)
        .map(|i| {
            let (y, x) = ((i / 28) as f32 - 13.5, (i % 28) as f32 - 13.5);
            let d = (x * x + y * y).sqrt();
            if (d - r).abs() < 2.0 { 255 } else { 0 }
        })
        .collect()
}

/// Four 4s called 9 (indices 100..104) with rings of different sizes, the rest right.
fn confusion(set: EvalSet) -> Confusion {
    let mut c = Confusion::new(set, 3000);
    for (i, label) in (0..10u8).cycle().take(100).enumerate() {
        let mut p = [0.0; 10];
        p[label as usize] = 1.0;
        c.add(i, label, p, &[0; 784]);
    }
    for k in 0..4 {
        let mut p = [0.0; 10];
        (p[9], p[4]) = (0.8 - 0.1 * k as f32, 0.15);
        c.add(100 + k, 4, p, &ring(6.0 + 2.0 * k as f32));
    }
    c
}

fn done(output: JobOutput) -> Event {
    Event::Worker(Update::Analysis(AnalysisUpdate::Done {
        step: 3000,
        output: Box::new(output),
    }))
}

/// The inspect screen on `set`'s matrix, the 4→9 cell selected.
fn on_cell_4_9(set: EvalSet) -> App {
    let mut app = demo_app();
    app.glyphs = Glyphs::Ascii;
    key(&mut app, KeyCode::Char('2'));
    app.inspect.set = set; // as `s` would
    app.handle(done(JobOutput::Confusion(confusion(set))));
    for _ in 0..4 {
        key(&mut app, KeyCode::Down);
    }
    for _ in 0..9 {
        key(&mut app, KeyCode::Right);
    }
    assert_eq!(app.inspect.cell, (4, 9));
    app
}

#[test]
fn a_cell_shows_its_wrong_digits_and_enter_makes_a_test_digit_the_probe() {
    let mut app = on_cell_4_9(EvalSet::Test);
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(&app, w, h);
        assert!(screen.contains("true 4 called 9: 4 digits"), "{screen}");
        // The first thumbnail's caption, marked: called 9 at 80 %, 4 at 15 %.
        assert!(screen.contains("9:80% 4:15%"), "{screen}");
        assert!(screen.contains("9:50% 4:15%"), "{screen}");
        insta::assert_snapshot!(format!("inspect_thumbs_{w}x{h}"), screen);
    }
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.inspect.mistake, 2);
    let sent = key(&mut app, KeyCode::Enter);
    let image = Array2::from_shape_fn((28, 28), |(r, c)| f32::from(ring(10.0)[r * 28 + c]) / 255.0);
    assert_eq!(
        sent,
        vec![
            Command::Probe(102),
            Command::Analyse(Job::Saliency { image, label: 4 })
        ]
    );
    assert_eq!(app.probe, 102);
    assert_eq!(app.inspect.page, Page::Saliency);
    assert_eq!(app.inspect.subject, Subject::Probe);
}

#[test]
fn a_validation_digit_is_shown_but_does_not_become_the_probe() {
    let mut app = on_cell_4_9(EvalSet::Validation);
    let probe = app.probe;
    let sent = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(
            &sent[..],
            [Command::Analyse(Job::Saliency { label: 4, .. })]
        ),
        "{sent:?}"
    );
    assert_eq!(app.probe, probe);
    assert!(matches!(
        app.inspect.subject,
        Subject::Validation { index: 100, .. }
    ));
    // `p` goes back to the dashboard's probe, whose picture the snapshot has.
    let sent = key(&mut app, KeyCode::Char('p'));
    let snap = app.snapshot.as_ref().unwrap();
    let want = Job::Saliency {
        image: snap.probe_image.clone(),
        label: snap.probe_label,
    };
    assert_eq!(sent, vec![Command::Analyse(want)]);
}

/// Hand-made maps: ink × a left/right slope, and a blob where the ring's top is.
fn saliency(step: usize) -> Saliency {
    let image = Array2::from_shape_fn((28, 28), |(r, c)| f32::from(ring(8.0)[r * 28 + c]) / 255.0);
    let gradient_x_input =
        Array2::from_shape_fn((28, 28), |(r, c)| image[[r, c]] * (c as f32 - 13.5) / 13.5);
    let occlusion = Array2::from_shape_fn((28, 28), |(r, c)| {
        let d = ((r as f32 - 6.0).powi(2) + (c as f32 - 14.0).powi(2)).sqrt();
        (0.6 - 0.1 * d).max(-0.05)
    });
    let mut probabilities = [0.01; 10];
    (probabilities[9], probabilities[4]) = (0.7, 0.22);
    Saliency {
        step,
        image,
        label: 4,
        predicted: 9,
        probabilities,
        gradient_x_input,
        occlusion,
    }
}

#[test]
fn the_saliency_page_draws_both_maps_and_follows_training() {
    let mut app = on_cell_4_9(EvalSet::Test);
    key(&mut app, KeyCode::Enter);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("computing gradient × input"), "{screen}");
    // While a job runs, new snapshots ask for nothing more.
    let snap = |step| {
        Event::Worker(Update::Snapshot(Box::new(demo_snapshot(
            &Arch::default(),
            102,
            step,
        ))))
    };
    assert!(app.handle(snap(3001)).is_empty());
    app.handle(done(JobOutput::Saliency(saliency(3001))));
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(&app, w, h);
        assert!(
            screen.contains("true 4 · called 9 (70 %) · p(4) = 22 %"),
            "{screen}"
        );
        assert!(screen.contains("gradient × input → 9"), "{screen}");
        assert!(screen.contains("occlusion: p(4) drop"), "{screen}");
        let bound = |m: &Array2<f32>| match robust_scale(m) {
            Scale::Signed { max_abs } => format!("scale ±{max_abs:.2}"),
            other => panic!("{other:?}"),
        };
        assert!(
            screen.contains(&bound(&saliency(0).gradient_x_input)),
            "{screen}"
        );
        assert!(screen.contains("scale ±0.60"), "{screen}");
        assert!(screen.contains("Tab page"), "{screen}");
        insta::assert_snapshot!(format!("inspect_saliency_{w}x{h}"), screen);
    }
    // The probe's picture in the snapshot differs from the maps' digit: asked again at once.
    let sent = app.handle(snap(3002));
    assert!(
        matches!(&sent[..], [Command::Analyse(Job::Saliency { .. })]),
        "{sent:?}"
    );
    assert!(app.inspect.saliency_pending);
    // S-Tab goes back to the matrix, which is asked for (and cancels the saliency job).
    let sent = key(&mut app, KeyCode::BackTab);
    assert_eq!(
        sent,
        vec![Command::Analyse(Job::Confusion { set: EvalSet::Test })]
    );
    assert!(!app.inspect.saliency_pending);
}

#[test]
fn the_worker_computes_saliency_on_a_copy_of_its_weights() {
    let data = Arc::new(Mnist::builtin(5000).unwrap());
    let config = common::paused_worker(Arc::clone(&data));
    let (tx, rx) = mpsc::channel::<Update>();
    let w = worker::spawn(config, tx);
    let image = data.test.image(0);
    let label = data.test.label(0);
    assert!(w.send(Command::Analyse(Job::Saliency {
        image: image.clone(),
        label
    })));
    let deadline = Instant::now() + Duration::from_secs(60);
    let s = loop {
        assert!(Instant::now() < deadline, "no saliency within 60 s");
        if let Ok(Update::Analysis(AnalysisUpdate::Done { output, .. })) =
            rx.recv_timeout(Duration::from_millis(100))
            && let JobOutput::Saliency(s) = *output
        {
            break s;
        }
    };
    w.stop();
    assert_eq!((s.label, s.step), (label, 0));
    assert_eq!(s.image, image);
    // Gradient × input is zero wherever the digit has no ink, and not everywhere.
    for ((r, c), &v) in s.gradient_x_input.indexed_iter() {
        if image[[r, c]] == 0.0 {
            assert_eq!(v, 0.0, "({r}, {c})");
        }
    }
    assert!(s.gradient_x_input.iter().any(|&v| v != 0.0));
    // Occlusion: differences of probabilities, so within ±1, and some square matters.
    assert!(s.occlusion.iter().all(|v| v.abs() <= 1.0));
    assert!(s.occlusion.iter().any(|&v| v.abs() > 1e-4));
    assert!((s.probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-4);
}
