//! Keep and share a run from the dashboard: `w` writes a checkpoint (the worker does, into
//! the current folder), `x` the metrics history; `q` with more than an epoch of unsaved
//! training asks once whether to save first. Plain state: the event loop does the writing
//! of the history (`App::keep.export`), the worker that of checkpoints.

use super::app::{App, BannerKind};
use crate::train::messages::{Command, WorkerStatus};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Widget};
use std::path::{Path, PathBuf};

/// Training since the last save (in epochs) beyond which `q` asks before quitting.
pub const UNSAVED_EPOCHS: f32 = 1.0;

/// What the dashboard knows of saving and exporting.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keep {
    /// Epoch position (epoch + fraction) of the last save or of the loaded checkpoint;
    /// `None` for a run that started from scratch (or was reset) and has not been saved.
    pub saved_at: Option<f32>,
    /// The quit question is open.
    pub asking: bool,
    /// Quit as soon as the checkpoint asked for is written.
    pub quit_after_save: bool,
    /// A metrics history to write, taken by the event loop.
    pub export: Option<PathBuf>,
    /// A picture of the focused heatmap to write into this folder, taken by the event loop.
    pub picture: Option<PathBuf>,
}

/// The name `x` gives the history file, e.g. `cnn-tui-metrics-step4210.csv`.
pub fn metrics_file_name(step: usize) -> String {
    format!("cnn-tui-metrics-step{step}.csv")
}

impl App {
    /// Epochs trained since the last save (or since the start).
    pub fn unsaved_epochs(&self) -> f32 {
        self.epoch_position() - self.keep.saved_at.unwrap_or(0.0)
    }

    /// Epochs trained so far, e.g. 2.25 a quarter into the third epoch.
    pub fn epoch_position(&self) -> f32 {
        self.last_step
            .map_or(0.0, |s| s.epoch as f32 + s.epoch_progress)
    }

    /// `w`: ask the worker for a checkpoint in the current folder.
    pub(super) fn save_checkpoint(&mut self) -> Vec<Command> {
        if !self.worker.is_alive() {
            let msg = "no training run to save: press r to start a new one".into();
            self.set_banner(BannerKind::Warning, msg);
            return Vec::new();
        }
        self.set_banner(BannerKind::Info, "saving a checkpoint…".into());
        vec![Command::Save(PathBuf::from("."))]
    }

    /// `x`: write the history the charts hold to a CSV file (the event loop does it).
    pub(super) fn export_metrics(&mut self) -> Vec<Command> {
        if self.history.is_empty() {
            let msg = "no metrics yet to export".into();
            self.set_banner(BannerKind::Warning, msg);
            return Vec::new();
        }
        let step = self.history.last_step.unwrap_or(0);
        self.keep.export = Some(PathBuf::from(metrics_file_name(step)));
        Vec::new()
    }

    /// What the event loop's writing of the history came to.
    pub fn exported(&mut self, path: &Path, outcome: Result<usize, String>) {
        match outcome {
            Ok(rows) => {
                let msg = format!("wrote {rows} rows of metrics to {}", path.display());
                self.set_banner(BannerKind::Info, msg);
            }
            Err(e) => self.set_banner(BannerKind::Error, e),
        }
    }

    /// The worker's answer to `Command::Save`.
    pub(super) fn on_saved(&mut self, status: WorkerStatus) {
        match status {
            WorkerStatus::Saved { path, step } => {
                // The worker sent every step up to the save before this answer.
                self.keep.saved_at = Some(self.epoch_position());
                let msg = format!("saved step {step} to {}", path.display());
                self.set_banner(BannerKind::Info, msg);
                self.quit |= self.keep.quit_after_save;
            }
            WorkerStatus::SaveFailed(e) => {
                self.keep.quit_after_save = false;
                self.set_banner(BannerKind::Error, format!("not saved: {e}"));
            }
            _ => {}
        }
    }

    /// `q`: quit, unless more than an epoch of training would be lost; then ask once.
    pub(super) fn quit_or_ask(&mut self) -> Vec<Command> {
        if self.worker.is_alive() && self.unsaved_epochs() > UNSAVED_EPOCHS {
            self.keep.asking = true;
            return Vec::new();
        }
        self.quit_now()
    }

    pub(super) fn quit_now(&mut self) -> Vec<Command> {
        self.keep.asking = false;
        self.quit = true;
        vec![Command::Quit]
    }

    /// A key while the quit question is open: w saves then quits, q quits, Esc goes back;
    /// Ctrl-C quits, as it always does.
    pub(super) fn on_quit_question(&mut self, key: &KeyEvent) -> Vec<Command> {
        if is_ctrl_c(key) {
            return self.quit_now();
        }
        match key.code {
            KeyCode::Char('w') => {
                self.keep.asking = false;
                self.keep.quit_after_save = true;
                let cmds = self.save_checkpoint();
                self.set_banner(BannerKind::Info, "saving, then quitting…".into());
                cmds
            }
            KeyCode::Char('q') => self.quit_now(),
            KeyCode::Esc => {
                self.keep.asking = false;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}

/// Ctrl-C: quits at once, whatever is open.
pub fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c')
}

/// The quit question, centred over the dashboard.
pub fn render_quit_question(app: &App, area: Rect, buf: &mut Buffer) {
    let lines = vec![
        Line::from(format!(
            "{:.1} epochs trained since {}.",
            app.unsaved_epochs(),
            if app.keep.saved_at.is_some() {
                "the last save"
            } else {
                "the start"
            }
        )),
        Line::from(vec![
            "w".yellow(),
            " save and quit   ".into(),
            "q".yellow(),
            " quit   ".into(),
            "Esc".yellow(),
            " cancel".into(),
        ]),
    ];
    let width = 46.min(area.width);
    let height = 4.min(area.height);
    let x = area.x + (area.width - width) / 2;
    let y = area.y + (area.height - height) / 2;
    let rect = Rect::new(x, y, width, height);
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(Block::bordered().title(" Quit without saving? ").yellow())
        .render(rect, buf);
}
