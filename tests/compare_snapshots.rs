//! Snapshots of the fc-vs-cnn screen (both pages) and of the lessons screen and card, at
//! 80×24 and 160×48, from the demo state with a baseline's history, ASCII glyphs.

use cnn_tui::train::analysis::shift::{ShiftCurve, ShiftCurves};
use cnn_tui::train::analysis::{AnalysisUpdate, JobOutput};
use cnn_tui::train::baseline::{BaselineEval, BaselineStep, BaselineUpdate, BaselineWeights};
use cnn_tui::train::messages::{EvalSet, Update};
use cnn_tui::ui::App;
use cnn_tui::ui::compare::ComparePage;
use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::screen::Screen;
use cnn_tui::ui::widgets::heatmap::Glyphs;
use ndarray::Array2;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A made-up but plausible run: the MLP learns more slowly and falls apart under shifts.
fn app() -> App {
    let mut app = demo_app();
    app.glyphs = Glyphs::Ascii;
    let steps = (1..=120)
        .map(|i| BaselineStep {
            step: i * 10,
            loss: 2.3 / (1.0 + i as f32 / 10.0),
            batch_accuracy: 0.2 + 0.7 * (1.0 - (-(i as f32) / 30.0).exp()),
            cnn_secs: 0.0021,
            mlp_secs: 0.0002,
        })
        .collect();
    app.apply(Update::Baseline(BaselineUpdate::Steps(steps)));
    for (step, acc) in [
        (100, 0.71),
        (200, 0.82),
        (400, 0.87),
        (800, 0.9),
        (1200, 0.91),
    ] {
        app.apply(Update::Baseline(BaselineUpdate::Eval(BaselineEval {
            step,
            set: EvalSet::Validation,
            loss: 0.4,
            accuracy: acc,
        })));
    }
    // A unit that looks for a vertical stroke in the middle, the others rings of weights.
    let first_layer = Array2::from_shape_fn((12, 784), |(u, p)| {
        let (r, c) = ((p / 28) as f32 - 13.5, (p % 28) as f32 - 13.5);
        if u == 0 {
            (1.5 - c.abs()).max(-1.0) * (1.0 - r.abs() / 14.0)
        } else {
            ((r * r + c * c).sqrt() / (u as f32 + 1.0)).sin()
        }
    });
    app.apply(Update::Baseline(BaselineUpdate::Weights(Box::new(
        BaselineWeights {
            step: 1200,
            params: 9550,
            first_layer,
        },
    ))));
    let curve = |fall: f32| ShiftCurve {
        horizontal: std::array::from_fn(|d| 0.97 * (-(d as f32) * fall).exp()),
        vertical: std::array::from_fn(|d| 0.96 * (-(d as f32) * fall * 1.2).exp()),
    };
    app.apply(Update::Analysis(AnalysisUpdate::Done {
        step: 1200,
        output: Box::new(JobOutput::Shift(ShiftCurves {
            step: 1200,
            samples: 2000,
            cnn: curve(0.12),
            mlp: Some(curve(0.35)),
        })),
    }));
    app
}

fn screen(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut app = app.clone();
    app.size = (w, h);
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| f.render_widget(&app, f.area())).unwrap();
    t
}

#[test]
fn compare_accuracy_page() {
    let mut a = app();
    a.screen = Screen::Compare;
    insta::assert_snapshot!("compare_accuracy_160x48", screen(&a, 160, 48).backend());
    insta::assert_snapshot!("compare_accuracy_80x24", screen(&a, 80, 24).backend());
}

#[test]
fn compare_weights_page() {
    let mut a = app();
    a.screen = Screen::Compare;
    a.compare.page = ComparePage::Weights;
    insta::assert_snapshot!("compare_weights_160x48", screen(&a, 160, 48).backend());
    insta::assert_snapshot!("compare_weights_80x24", screen(&a, 80, 24).backend());
}

#[test]
fn lessons_screen_and_card() {
    let mut a = app();
    a.screen = Screen::Lessons;
    a.lessons.selected = 2;
    insta::assert_snapshot!("lessons_160x48", screen(&a, 160, 48).backend());
    insta::assert_snapshot!("lessons_80x24", screen(&a, 80, 24).backend());
    a.start_lesson(2);
    assert_eq!(a.screen, Screen::Dashboard);
    insta::assert_snapshot!("lesson_card_160x48", screen(&a, 160, 48).backend());
    insta::assert_snapshot!("lesson_card_80x24", screen(&a, 80, 24).backend());
}
