//! Render full 160×48 frames of the populated demo dashboard into a `TestBackend`, many
//! times, and print the mean and median milliseconds per frame (target: ≤ 5 ms); then the
//! focus view: a conv1 map's microscope, conv2's (eight input channels), a pooling window and
//! a slide in motion (target: ≤ 2 ms).
//!
//! `cargo bench --bench render`

use cnn_tui::nn::plan::LayerId;
use cnn_tui::ui::App;
use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::focus::Target;
use cnn_tui::ui::focus_keys::FocusKey;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

/// Median milliseconds of `frames` draws of `app` at 160×48; `change` runs before each so
/// that the frame diff is not empty.
fn measure(name: &str, target_ms: f64, mut app: App, change: impl Fn(&mut App, usize)) {
    app.size = (160, 48);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("a test terminal");
    let frames = 500;
    let mut times = Vec::with_capacity(frames);
    for i in 0..frames + 20 {
        change(&mut app, i);
        let start = Instant::now();
        terminal
            .draw(|f| f.render_widget(&app, f.area()))
            .expect("draw");
        if i >= 20 {
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    let median = times[times.len() / 2];
    let p95 = times[times.len() * 95 / 100];
    let met = if median <= target_ms {
        "met"
    } else {
        "NOT met"
    };
    println!(
        "render 160×48 {name}: {frames} frames, mean {mean:.3} ms, median {median:.3} ms, \
         p95 {p95:.3} ms (target ≤ {target_ms} ms: {met})"
    );
}

fn focused(target: Target) -> App {
    let mut app = demo_app();
    app.open_focus(target);
    app
}

fn main() {
    // Switch the normalisation now and then so the frame diff is not always empty.
    let toggle = |app: &mut App, i: usize| {
        if i.is_multiple_of(50) {
            app.per_layer = !app.per_layer;
        }
    };
    measure("full dashboard", 5.0, demo_app(), toggle);
    // The cursor walks over the map: a new readout every frame.
    let walk = |app: &mut App, i: usize| app.set_cursor((i / 7 % 14, i % 14));
    let conv = |block, channel| Target::Map {
        layer: LayerId::conv(block),
        channel,
    };
    measure(
        "focus view, conv1 microscope",
        2.0,
        focused(conv(0, 2)),
        walk,
    );
    measure(
        "focus view, conv2 microscope",
        2.0,
        focused(conv(1, 5)),
        walk,
    );
    let pool = Target::Map {
        layer: LayerId::pool(0),
        channel: 2,
    };
    measure("focus view, pooling window", 2.0, focused(pool), walk);
    let mut sliding = focused(conv(0, 2));
    sliding.focus_act(FocusKey::Slide);
    let tick = |app: &mut App, _| app.tick(Duration::from_millis(33));
    measure("focus view, conv1 slide", 2.0, sliding, tick);
}
