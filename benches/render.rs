//! Render the populated demo dashboard into a `TestBackend`, many times, and print the mean,
//! median and 95th percentile milliseconds per frame: the full 160×48 dashboard (target:
//! ≤ 5 ms), and the feature-maps panel alone at its 160×48 size, in each glyph mode.
//!
//! `cargo bench --bench render`

use cnn_tui::ui::App;
use cnn_tui::ui::app::Panel;
use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::layout::app_areas;
use cnn_tui::ui::panels::maps::render_maps;
use cnn_tui::ui::widgets::heatmap::Glyphs;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use std::time::Instant;

const FRAMES: usize = 500;
const WARM_UP: usize = 20;

/// Milliseconds per frame of `draw` over `FRAMES` frames: (mean, median, p95). The
/// normalisation flips every 50 frames so that the frame diff is not always empty.
fn measure(app: &mut App, w: u16, h: u16, draw: fn(&App, &mut ratatui::Frame)) -> [f64; 3] {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
    let mut times = Vec::with_capacity(FRAMES);
    for i in 0..FRAMES + WARM_UP {
        if i % 50 == 0 {
            app.per_layer = !app.per_layer;
        }
        let start = Instant::now();
        terminal.draw(|f| draw(app, f)).expect("draw");
        if i >= WARM_UP {
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    [mean, times[times.len() / 2], times[times.len() * 95 / 100]]
}

fn report(what: &str, [mean, median, p95]: [f64; 3]) {
    println!(
        "render {what}: {FRAMES} frames, mean {mean:.3} ms, median {median:.3} ms, p95 {p95:.3} ms"
    );
}

/// The maps panel where the 160×48 dashboard puts it.
fn maps_only(app: &App, f: &mut ratatui::Frame) {
    let area = app_areas(app, f.area())
        .and_then(|a| a.panels.into_iter().find(|(p, _)| *p == Panel::Maps))
        .map_or(Rect::default(), |(_, r)| r);
    render_maps(app, area, f.buffer_mut());
}

fn main() {
    let mut app = demo_app();
    app.size = (160, 48);
    let full = measure(&mut app, 160, 48, |app, f| f.render_widget(app, f.area()));
    report("160×48 full dashboard", full);
    println!(
        "target ≤ 5 ms per frame: {}",
        if full[1] <= 5.0 { "met" } else { "NOT met" }
    );
    for glyphs in [Glyphs::HalfBlock, Glyphs::Braille, Glyphs::Ascii] {
        app.glyphs = glyphs;
        let maps = measure(&mut app, 160, 48, maps_only);
        report(
            &format!("feature-maps panel at 160×48, {}", glyphs.name()),
            maps,
        );
    }
}
