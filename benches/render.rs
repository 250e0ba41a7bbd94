//! Render a full 160×48 frame of the populated demo dashboard into a `TestBackend`, many
//! times, and print the mean and median milliseconds per frame (target: ≤ 5 ms).
//!
//! `cargo bench --bench render`

use cnn_tui::ui::demo::demo_app;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Instant;

fn main() {
    let mut app = demo_app();
    app.size = (160, 48);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("a test terminal");
    let frames = 500;
    let mut times = Vec::with_capacity(frames);
    for i in 0..frames + 20 {
        // Switch the normalisation now and then so the frame diff is not always empty.
        if i % 50 == 0 {
            app.per_layer = !app.per_layer;
        }
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
    println!(
        "render 160×48 full dashboard: {frames} frames, mean {mean:.3} ms, median {median:.3} ms, p95 {p95:.3} ms"
    );
    println!(
        "target ≤ 5 ms per frame: {}",
        if median <= 5.0 { "met" } else { "NOT met" }
    );
}
