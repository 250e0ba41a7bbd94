//! Snapshots of the dashboard at 80×24 and 160×48 after 5,000 steps: the chart in log scale
//! with epoch boundaries and markers, a pinned comparison, and the divergence banner; and
//! no screen ever shows NaN or inf, whatever numbers arrive.

use cnn_tui::config::{Arch, Hyper, PoolKind};
use cnn_tui::train::messages::{
    Divergence, DivergenceCause, EvalMetrics, EvalSet, StepMetrics, Update, WorkerStatus,
};
use cnn_tui::train::rebuild::RebuildOutcome;
use cnn_tui::ui::App;
use cnn_tui::ui::app::Panel;
use cnn_tui::ui::demo::demo_snapshot;
use cnn_tui::ui::history::pinned::Pinned;
use cnn_tui::ui::widgets::colormap::ColorMode;
use cnn_tui::ui::widgets::heatmap::Glyphs;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

/// Steps per epoch of MNIST's 55,000 training images in batches of 32.
const EPOCH: usize = 1719;

/// A small linear congruential generator: the same noise on every machine, in [0, 1).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 40) as f32 / (1u64 << 24) as f32
    }
}

fn app() -> App {
    let arch = Arch::default();
    let mut a = App::new(
        "MNIST (built in)".into(),
        10_000,
        arch.clone(),
        Hyper::default(),
        7,
        ColorMode::TrueColor,
    );
    a.glyphs = Glyphs::Ascii;
    a.apply(Update::Status(WorkerStatus::Running));
    a.apply(Update::Status(WorkerStatus::Hyper(Hyper::default())));
    a.apply(Update::Snapshot(Box::new(demo_snapshot(&arch, 7, 0))));
    a
}

/// Steps `from..=to` of a run whose loss falls like a real one (`speed` scales how fast), with
/// batch-to-batch noise, and a validation at 100, 200, 400, 800, then every 1,000 steps.
fn train(a: &mut App, from: usize, to: usize, speed: f32, seed: u64) {
    let mut rng = Lcg(seed);
    let lr = a.hyper.lr;
    let loss_at =
        |t: f32| 2.25 * (-t * speed / 120.0).exp() + 0.03 + 0.09 * (-t * speed / 1500.0).exp();
    let steps = (from..=to)
        .map(|step| {
            let clean = loss_at(step as f32);
            let loss = clean * (0.4 + 1.4 * rng.next());
            StepMetrics {
                step,
                epoch: step / EPOCH,
                epoch_progress: (step % EPOCH) as f32 / EPOCH as f32,
                loss,
                batch_accuracy: (1.0 - 0.3 * loss).clamp(0.0, 1.0),
                lr,
                samples_per_sec: 2450.0,
            }
        })
        .collect();
    a.apply(Update::Steps(steps));
    let evals = [100, 200, 400, 800]
        .into_iter()
        .chain((1..).map(|k| 1000 * k));
    for step in evals.take_while(|&s| s <= to).filter(|&s| s >= from) {
        let loss = loss_at(step as f32) * 1.1;
        a.apply(Update::Eval(EvalMetrics {
            step,
            epoch: step / EPOCH,
            set: EvalSet::Validation,
            loss,
            accuracy: 1.0 - 0.33 * loss - 0.004 * rng.next(),
            samples: 5000,
        }));
    }
}

fn set_lr(a: &mut App, lr: f32) {
    let hyper = Hyper { lr, ..a.hyper };
    a.apply(Update::Status(WorkerStatus::Hyper(hyper)));
}

fn rebuild(a: &mut App, after: Arch) {
    let outcome = RebuildOutcome {
        before: a.arch.clone(),
        after,
        kept: vec!["conv1".into(), "conv2".into(), "dense".into()],
        reinitialised: Vec::new(),
    };
    a.apply(Update::Status(WorkerStatus::Rebuilt(outcome)));
}

/// 5,000 steps: the rate raised at step 1,500, conv1's stride edited at 3,000 and back at
/// 3,800; epochs begin at 1,719 and 3,438. The loss has fallen tenfold: a log scale.
fn five_thousand_steps() -> App {
    let mut a = app();
    train(&mut a, 1, 1500, 1.0, 1);
    set_lr(&mut a, 0.1);
    train(&mut a, 1501, 3000, 1.0, 2);
    let mut stride = a.arch.clone();
    stride.blocks[0].stride = 2;
    rebuild(&mut a, stride);
    train(&mut a, 3001, 3800, 1.0, 3);
    rebuild(&mut a, Arch::default());
    train(&mut a, 3801, 5000, 1.0, 4);
    a
}

/// Pin a 5,000-step run with max pooling, switch to average pooling, reset, and train 3,000
/// steps of the new run (which learns a little faster here), the rate lowered at 2,000.
fn compared() -> App {
    let mut a = app();
    train(&mut a, 1, 5000, 1.0, 5);
    a.pinned = Some(Pinned::of(&a.history, &a.arch, &a.hyper));
    let mut avg = a.arch.clone();
    avg.blocks[0].pool = PoolKind::Avg;
    rebuild(&mut a, avg);
    // What `r` does to the app, then the worker's new run.
    a.act(cnn_tui::ui::keys::Action::Reset);
    train(&mut a, 1, 2000, 1.3, 6);
    set_lr(&mut a, 0.05);
    train(&mut a, 2001, 3000, 1.3, 7);
    a
}

fn diverged() -> App {
    let mut a = five_thousand_steps();
    let hyper = Hyper {
        lr: 1.0,
        momentum: 0.99,
        ..a.hyper
    };
    a.apply(Update::Status(WorkerStatus::Hyper(hyper)));
    let d = Divergence {
        step: 5001,
        loss: f32::NAN,
        lr: 1.0,
        momentum: 0.99,
        cause: DivergenceCause::LossNotFinite,
        rewind_to: 4750,
    };
    a.apply(Update::Status(WorkerStatus::Diverged(d)));
    a.apply(Update::Status(WorkerStatus::Paused));
    a
}

fn screen(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut app = app.clone();
    app.size = (w, h);
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| f.render_widget(&app, f.area())).unwrap();
    t
}

fn text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let w = buf.area.width as usize;
    let cells: Vec<&str> = buf.content().iter().map(|c| c.symbol()).collect();
    cells
        .chunks(w)
        .map(|row| row.concat())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn chart_after_5000_steps_in_log_scale_with_markers() {
    let a = five_thousand_steps();
    let small = screen(&a, 80, 24);
    let all = text(&small);
    assert!(all.contains("loss (log)"), "{all}");
    assert!(
        all.contains("conv1 stride 1→2"),
        "the edit is labelled: {all}"
    );
    insta::assert_snapshot!("chart_5000_steps_80x24", small.backend());
    insta::assert_snapshot!("chart_5000_steps_160x48", screen(&a, 160, 48).backend());
}

#[test]
fn chart_with_a_pinned_comparison() {
    let a = compared();
    let small = screen(&a, 80, 24);
    let all = text(&small);
    assert!(all.contains("now conv1 pool avg"), "{all}");
    assert!(all.contains("pinned conv1 pool max"), "{all}");
    insta::assert_snapshot!("chart_compared_80x24", small.backend());
    insta::assert_snapshot!("chart_compared_160x48", screen(&a, 160, 48).backend());
}

/// The banner row is one colour pair (the theme's error pair, white on dark red) from end to
/// end: readable on a dark or a light terminal.
#[test]
fn divergence_banner() {
    let a = diverged();
    for (w, h) in [(80, 24), (160, 48)] {
        let t = screen(&a, w, h);
        let buf = t.backend().buffer();
        let rows = if w == 80 { 1..3 } else { 1..2 };
        for y in rows {
            for x in 0..w {
                let cell = &buf[(x, y)];
                let pair = (buf[(0, y)].fg, buf[(0, y)].bg);
                assert_eq!((cell.fg, cell.bg), pair, "({x}, {y})");
                assert!(!matches!(pair.0, Color::Reset) && !matches!(pair.1, Color::Reset));
            }
        }
        insta::assert_snapshot!(format!("divergence_banner_{w}x{h}"), t.backend());
    }
}

/// NaN and infinite numbers from the worker (a loss, an accuracy, a rate) are never printed.
#[test]
fn no_screen_shows_nan_or_inf() {
    let mut a = five_thousand_steps();
    let bad = StepMetrics {
        step: 5001,
        epoch: 2,
        epoch_progress: 0.9,
        loss: f32::NAN,
        batch_accuracy: f32::NAN,
        lr: 1.0,
        samples_per_sec: f32::INFINITY,
    };
    let huge = StepMetrics {
        step: 5002,
        loss: 8.8e13,
        ..bad
    };
    a.apply(Update::Steps(vec![bad, huge]));
    a.apply(Update::Eval(EvalMetrics {
        step: 5002,
        epoch: 2,
        set: EvalSet::Validation,
        loss: f32::INFINITY,
        accuracy: f32::NAN,
        samples: 5000,
    }));
    for (w, h) in [(80, 24), (160, 48), (100, 30)] {
        for panel in Panel::ALL {
            let mut shown = a.clone();
            shown.focus = panel;
            let all = text(&screen(&shown, w, h));
            for word in ["NaN", "nan", "inf"] {
                assert!(
                    !all.contains(word),
                    "{word} at {w}×{h} on {panel:?}:\n{all}"
                );
            }
            assert!(!all.contains("88000000000000"), "a 14-digit number:\n{all}");
        }
    }
}
