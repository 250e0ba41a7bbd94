//! The layers page: Tab reaches it; it draws each weighted layer's output, norms and update
//! size, and their history, legibly at 80×24 and 160×48; it warns when the updates are far
//! too large and names the key that lowers the learning rate, which works there; and a real
//! worker sends the statistics with its steps.

mod common;

use common::render_text as render;

use cnn_tui::data::dataset::Mnist;
use cnn_tui::nn::plan::LayerId;
use cnn_tui::nn::stats::{Activations, LayerStats, Weights};
use cnn_tui::train::messages::{Command, LayerSample, Update};
use cnn_tui::train::worker;
use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::inspect::Page;
use cnn_tui::ui::{App, Event};
use crossterm::event::{Event as Input, KeyCode, KeyEvent, KeyModifiers};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    let event = KeyEvent::new(code, KeyModifiers::NONE);
    app.handle(Event::Input(Input::Key(event)))
}

fn output(mean: f32, zero_share: f32, dead: usize, channels: usize) -> Option<Activations> {
    Some(Activations {
        min: 0.0,
        max: 8.0 * mean,
        mean,
        zero_share,
        dead_channels: dead,
        channels,
    })
}

fn weights(weight: f32, grad: f32, ratio: f32) -> Option<Weights> {
    Some(Weights {
        weight,
        grad,
        update: weight * ratio,
    })
}

fn layer(id: LayerId, name: &str, o: Option<Activations>, w: Option<Weights>) -> LayerStats {
    LayerStats {
        id,
        layer: name.into(),
        output: o,
        weights: w,
    }
}

/// The default network at step `step` of a run whose weights grow, gradients shrink and
/// updates settle; conv1's update ratio is `conv1_ratio` times its healthy one.
fn sample(step: usize, conv1_ratio: f32) -> LayerSample {
    let t = step as f32 / 2000.0;
    let ratio = 4e-3 * (1.0 - 0.5 * t);
    LayerSample {
        step,
        layers: vec![
            layer(
                LayerId::conv(0),
                "conv1",
                None,
                weights(3.0 + 2.0 * t, 0.3 - 0.1 * t, conv1_ratio * ratio),
            ),
            layer(LayerId::relu(0), "relu1", None, None),
            layer(LayerId::pool(0), "maxpool1", output(0.11, 0.79, 1, 8), None),
            layer(
                LayerId::conv(1),
                "conv2",
                None,
                weights(7.0 + t, 0.4 - 0.2 * t, ratio),
            ),
            layer(LayerId::relu(1), "relu2", None, None),
            layer(
                LayerId::pool(1),
                "maxpool2",
                output(0.18, 0.76, 2, 16),
                None,
            ),
            layer(
                LayerId::Dense,
                "dense",
                None,
                weights(10.0 + 2.0 * t, 0.6 - 0.3 * t, ratio),
            ),
        ],
    }
}

/// The demo app on the layers page, after 100 samples 20 steps apart.
fn on_the_layers_page(conv1_ratio: f32) -> App {
    let mut app = demo_app();
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    // Nothing to ask the analysis thread for: the statistics come with the steps.
    assert_eq!(key(&mut app, KeyCode::Tab), vec![]);
    assert_eq!(app.inspect.page, Page::Layers);
    let samples = (1..=100).map(|i| sample(20 * i, conv1_ratio)).collect();
    app.handle(Event::Worker(Update::Layers(samples)));
    app
}

#[test]
fn the_layers_page_shows_each_layer_now_and_over_time_at_both_sizes() {
    let app = on_the_layers_page(1.0);
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(&app, w, h);
        let row = screen
            .lines()
            .find(|l| l.starts_with(" conv1  maxpool1"))
            .unwrap_or_else(|| panic!("{screen}"));
        // Fused: the pool's zeros are a lower bound; then ‖w‖, ‖∇w‖ and the ratio at step 2000.
        for cell in ["≥79.0%", "1/8", "5", "2.0e-1", "2.0e-3"] {
            assert!(row.contains(cell), "{cell} in {row}");
        }
        assert!(screen.contains(" dense  —"), "{screen}");
        assert!(
            screen.contains("100 samples, 20 steps apart; Δ/w on a log scale 1e-5…1e-1"),
            "{screen}"
        );
        assert!(screen.contains("updates look healthy"), "{screen}");
        assert!(!screen.contains("likely too"), "{screen}");
        // Each layer's three sparklines, drawn from the history.
        let sparks = screen
            .lines()
            .filter(|l| l.contains("‖∇w‖") && l.contains('█'))
            .count();
        assert!(sparks >= 3, "{screen}");
        insta::assert_snapshot!(format!("inspect_layers_{w}x{h}"), screen);
    }
}

#[test]
fn the_hint_appears_when_updates_are_far_too_large_and_l_lowers_the_rate_there() {
    // conv1's updates 25 times the healthy ones: 5e-2 of its weights at step 2000.
    let mut app = on_the_layers_page(25.0);
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(&app, w, h);
        // At 80 columns the hint breaks after its dash: read it as words.
        let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("conv1: updates are 5.0e-2 of the weights — the learning rate is likely too high; try l"),
            "{screen}"
        );
        assert!(!screen.contains("updates look healthy"), "{screen}");
    }
    // conv1's table line is drawn in the warning colours, conv2's (healthy) is not.
    let bg_of = |name: &str| {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        let mut app = app.clone();
        app.size = (80, 24);
        t.draw(|f| f.render_widget(&app, f.area())).unwrap();
        let buf = t.backend().buffer().clone();
        let row = (0..24).find(|&y| {
            let text: String = (0..8).map(|x| buf[(x, y)].symbol()).collect();
            text == format!(" {name:<6} ")
        });
        buf[(2, row.expect("a table line"))].bg
    };
    let (r, g, b) = cnn_tui::ui::theme::WARNING.bg;
    assert_eq!(bg_of("conv1"), ratatui::style::Color::Rgb(r, g, b));
    assert_ne!(bg_of("conv2"), bg_of("conv1"));
    let before = app.hyper.lr;
    match key(&mut app, KeyCode::Char('l')).as_slice() {
        [Command::SetHyper(h)] => assert!(h.lr < before, "{} → {}", before, h.lr),
        other => panic!("l sent {other:?}"),
    }
    // Healthy again: the hint goes.
    app.handle(Event::Worker(Update::Layers(vec![LayerSample {
        step: 2020,
        ..sample(2000, 1.0)
    }])));
    let screen = render(&app, 80, 24);
    assert!(
        !screen.contains("likely too") && screen.contains("updates look healthy"),
        "{screen}"
    );
}

#[test]
fn a_worker_sends_the_statistics_of_the_steps_it_runs() {
    let data = Arc::new(Mnist::builtin(2000).unwrap());
    let (tx, rx) = mpsc::channel::<Update>();
    let w = worker::spawn(common::paused_worker(data), tx);
    assert!(w.send(Command::Step));
    let deadline = Instant::now() + Duration::from_secs(30);
    let sample = loop {
        assert!(Instant::now() < deadline, "no statistics within 30 s");
        if let Ok(Update::Layers(mut s)) = rx.recv_timeout(Duration::from_millis(100)) {
            break s.remove(0);
        }
    };
    w.stop();
    assert_eq!(sample.step, 1);
    let names: Vec<_> = sample.layers.iter().map(|l| l.layer.as_str()).collect();
    assert_eq!(
        names,
        [
            "conv1", "relu1", "maxpool1", "conv2", "relu2", "maxpool2", "dense"
        ]
    );
    // The default blocks run fused: only the pools' outputs are measured, over the batch.
    let pool = sample.layers[2].output.expect("maxpool1 measured");
    assert_eq!(pool.channels, 8);
    assert!(
        pool.min >= 0.0 && pool.max > pool.mean && pool.mean > 0.0,
        "{pool:?}"
    );
    assert!(sample.layers[0].output.is_none() && sample.layers[6].output.is_none());
    for i in [0, 3, 6] {
        let w = sample.layers[i].weights.expect("weighted");
        assert!(w.weight > 0.0 && w.grad > 0.0, "{w:?}");
        // The first SGD step has no momentum yet: Δw = lr · (∇w + λ·w), lr 0.07 and
        // λ 0.0005 by default, so ‖Δw‖ is within lr · λ‖w‖ of lr · ‖∇w‖.
        let slack = 0.07 * 0.0005 * w.weight * 1.001;
        assert!((w.update - 0.07 * w.grad).abs() <= slack, "{w:?}");
    }
}

/// What the statistics cost: a training step against one `layer_stats` after it, on the
/// default network (fused: only the pools' outputs are measured) and on one with average
/// pooling (unfused: every conv and ReLU output too), and the share of a step that taking
/// them every `STATS_EVERY` steps adds. Timings: noisy on a shared machine.
/// `cargo test --test inspect_layers -- --ignored --nocapture`
#[test]
#[ignore]
fn time_the_statistics() {
    use cnn_tui::config::{Arch, Hyper};
    use cnn_tui::nn::plan::PoolKind;
    use cnn_tui::train::trainer::Trainer;
    use cnn_tui::train::worker::STATS_EVERY;
    let data = Arc::new(Mnist::builtin(2000).unwrap());
    let mut avg = Arch::default();
    avg.blocks.iter_mut().for_each(|b| b.pool = PoolKind::Avg);
    for (name, arch) in [
        ("default (fused)", Arch::default()),
        ("avg pool (unfused)", avg),
    ] {
        let mut t = Trainer::new(&arch, Hyper::default(), Arc::clone(&data), 0).unwrap();
        for _ in 0..20 {
            t.step().unwrap(); // warm up
        }
        let (mut step_s, mut stats_s) = (0.0, 0.0);
        for _ in 0..200 {
            let at = Instant::now();
            t.step().unwrap();
            step_s += at.elapsed().as_secs_f64();
            let at = Instant::now();
            std::hint::black_box(t.layer_stats());
            stats_s += at.elapsed().as_secs_f64();
        }
        let (step, stats) = (step_s / 200.0 * 1e3, stats_s / 200.0 * 1e3);
        println!(
            "{name}: step {step:.3} ms, layer_stats {stats:.3} ms ({:.1} % of a step; every {STATS_EVERY} steps: {:.2} %)",
            100.0 * stats / step,
            100.0 * stats / step / STATS_EVERY as f64
        );
    }
}
