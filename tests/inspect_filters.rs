//! The filter page: Tab reaches it, it asks for a filter scan, draws the selected filter's
//! strongest patches with their values and lists the dead filters; the arrows choose the
//! filter and the layer. Also, ignored by default, the analysis jobs' timings on 10,000 test
//! digits: `cargo test --test inspect_filters -- --ignored --nocapture`.

mod common;

use common::render_text as render;

use cnn_tui::data::dataset::Mnist;
use cnn_tui::train::analysis::filters::{FilterFindings, FilterScan, LayerFindings, Top};
use cnn_tui::train::analysis::{AnalysisUpdate, Job, JobOutput};
use cnn_tui::train::messages::{Command, EvalSet, Update};
use cnn_tui::train::worker::{self};
use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::inspect::Page;
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

/// A diagonal stroke in a `size`×`size` patch, brighter for larger `k`; the first column in
/// the padding (NaN).
fn patch(size: usize, k: usize) -> Array2<f32> {
    Array2::from_shape_fn((size, size), |(r, c)| match (r, c) {
        (_, 0) => f32::NAN,
        _ if r == c => 0.3 + 0.07 * k as f32,
        _ => 0.0,
    })
}

fn findings(size: usize, active: f32, n: usize) -> FilterFindings {
    let top = (0..n)
        .map(|k| Top {
            value: 3.0 - 0.25 * k as f32,
            index: 100 * k + 7,
            at: (k, k),
            patch: patch(size, 9 - k),
        })
        .collect();
    FilterFindings { top, active }
}

/// conv1: two lively filters; conv2: one lively, one dead.
fn scan() -> FilterScan {
    let layer = |name: &str, field, filters| LayerFindings {
        name: name.into(),
        field,
        filters,
    };
    FilterScan {
        step: 4200,
        active_set: EvalSet::Validation,
        active_samples: 1000,
        layers: vec![
            layer("conv1", 3, vec![findings(3, 0.41, 9), findings(3, 0.2, 9)]),
            layer("conv2", 8, vec![findings(8, 0.12, 9), findings(8, 0.0, 0)]),
        ],
    }
}

#[test]
fn the_filter_page_shows_the_strongest_patches_and_the_dead_filters() {
    let mut app = demo_app();
    app.glyphs = Glyphs::Ascii;
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Tab);
    assert_eq!(
        key(&mut app, KeyCode::Tab),
        vec![Command::Analyse(Job::Filters)]
    );
    assert_eq!(app.inspect.page, Page::Filters);
    let done = AnalysisUpdate::Done {
        step: 4200,
        output: Box::new(JobOutput::Filters(scan())),
    };
    app.handle(Event::Worker(Update::Analysis(done)));
    // ↓ to conv2; the first filter there.
    key(&mut app, KeyCode::Down);
    assert_eq!(app.inspect.filter, (1, 0));
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(&app, w, h);
        assert!(
            screen.contains("conv2 #1 of 2 · sees 8×8 pixels · active on 12.0 %"),
            "{screen}"
        );
        assert!(screen.contains("3.00 "), "{screen}");
        assert!(
            screen.contains("conv2 #2 dead: active on 0.0 % of positions"),
            "{screen}"
        );
        insta::assert_snapshot!(format!("inspect_filters_{w}x{h}"), screen);
    }
    // → the dead one; → again wraps to the first.
    key(&mut app, KeyCode::Right);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("never active on the test set"), "{screen}");
    key(&mut app, KeyCode::Right);
    assert_eq!(app.inspect.filter, (1, 0));
    // A new validation asks for a new scan while the page is shown.
    let eval = cnn_tui::train::messages::EvalMetrics {
        step: 5000,
        epoch: 1,
        set: EvalSet::Validation,
        loss: 0.1,
        accuracy: 0.97,
        samples: 5000,
    };
    assert_eq!(
        app.handle(Event::Worker(Update::Eval(eval))),
        vec![Command::Analyse(Job::Filters)]
    );
}

/// How long each job takes on the analysis thread (one compute thread), at the initial
/// weights of the default network. Timings: noisy on a shared machine.
#[test]
#[ignore]
fn time_the_analysis_jobs() {
    let data = Arc::new(Mnist::builtin(5000).unwrap());
    let config = common::paused_worker(Arc::clone(&data));
    let (tx, rx) = mpsc::channel::<Update>();
    let w = worker::spawn(config, tx);
    let jobs = [
        (
            "confusion, 10,000 test digits",
            Job::Confusion { set: EvalSet::Test },
        ),
        ("filter scan, 10,000 test digits", Job::Filters),
        (
            "saliency of one digit (occlusion: 784 squares)",
            Job::Saliency {
                image: data.test.image(0),
                label: data.test.label(0),
            },
        ),
    ];
    for (name, job) in jobs {
        let t = Instant::now();
        assert!(w.send(Command::Analyse(job)));
        loop {
            if let Ok(Update::Analysis(AnalysisUpdate::Done { .. })) =
                rx.recv_timeout(Duration::from_secs(120))
            {
                break;
            }
        }
        println!("{name}: {:.2} s", t.elapsed().as_secs_f64());
    }
    w.stop();
}
