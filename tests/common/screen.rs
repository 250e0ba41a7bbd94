//! Helpers for tests that drive the `App` and a real worker without a terminal.

use cnn_tui::config::{Arch, Hyper, Schedule};
use cnn_tui::data::dataset::Mnist;
use cnn_tui::train::pace::Pace;
use cnn_tui::train::worker::WorkerConfig;
use cnn_tui::ui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;

/// The app drawn at `w`×`h` on a `TestBackend`, as text, one line a row.
pub fn render_text(app: &App, w: u16, h: u16) -> String {
    let mut app = app.clone();
    app.size = (w, h);
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| f.render_widget(&app, f.area())).unwrap();
    let buf = t.backend().buffer().clone();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A worker on `data` that starts paused at the default network's initial weights, on one
/// compute thread, with a constant learning rate: for tests of its analysis thread.
pub fn paused_worker(data: Arc<Mnist>) -> WorkerConfig {
    WorkerConfig {
        arch: Arch::default(),
        hyper: Hyper {
            schedule: Schedule::Constant,
            ..Hyper::default()
        },
        data,
        threads: 1,
        probe: 0,
        pace: Pace::Max,
        paused: true,
    }
}
