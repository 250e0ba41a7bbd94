//! The inspect screen: where the network errs. Its state, its keys and what the analysis
//! thread's updates do to it; the drawing is in `confusion_view`.

pub mod confusion_view;

use super::app::{App, BannerKind};
use super::keys::{Action, Binding, Group, Key, b};
use super::screen::Screen;
use crate::train::analysis::confusion::Confusion;
use crate::train::analysis::shift_curve::ShiftCurve as LabCurve;
use crate::train::analysis::{AnalysisUpdate, Job, JobKind, JobOutput};
use crate::train::messages::{Command, EvalSet};
use crate::ui::screen::Screen as S;
use crossterm::event::{KeyCode, KeyEvent};

/// The inspect screen's state.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspect {
    /// The split the confusion matrix is computed on.
    pub set: EvalSet,
    /// The last matrix computed (of either split: it says which).
    pub confusion: Option<Confusion>,
    /// The running job: its kind, done and total.
    pub progress: Option<(JobKind, usize, usize)>,
    /// The selected cell: (true label, predicted class).
    pub cell: (u8, u8),
}

impl Default for Inspect {
    fn default() -> Inspect {
        Inspect {
            set: EvalSet::Validation,
            confusion: None,
            progress: None,
            cell: (0, 0),
        }
    }
}

/// What a key of the inspect screen does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectKey {
    /// Move the selected cell.
    Cell(i8, i8),
    /// Validation set ↔ test set.
    Split,
}

use Action::Inspect as I;
use Group::Inspect as G;
use Key::{Char as C, Code};

/// The inspect screen's keys (modal: then `passes_through`).
#[rustfmt::skip]
pub static INSPECT_KEYS: &[Binding] = &[
    b(&[Code(KeyCode::Esc)], Action::Back, G, "back to the dashboard", Some("back")),
    b(&[Code(KeyCode::Up), C('k')], I(InspectKey::Cell(-1, 0)), G, "cell up / down / left / right", Some("cell")),
    b(&[Code(KeyCode::Down), C('j')], I(InspectKey::Cell(1, 0)), G, "cell down", None),
    b(&[Code(KeyCode::Left), C('h')], I(InspectKey::Cell(0, -1)), G, "cell left", None),
    b(&[Code(KeyCode::Right), C('l')], I(InspectKey::Cell(0, 1)), G, "cell right", None),
    b(&[C('s')], I(InspectKey::Split), G, "validation set / test set", Some("split")),
];

/// Dashboard actions that keep working on the inspect screen.
pub fn passes_through(action: Action) -> bool {
    matches!(
        action,
        Action::Quit
            | Action::Help
            | Action::PauseResume
            | Action::Step
            | Action::Reset
            | Action::PaceSlower
            | Action::PaceFaster
            | Action::Screen(_)
            | Action::SaveCheckpoint
            | Action::ExportMetrics
            | Action::ExportPicture
    )
}

impl App {
    /// A key while the inspect screen is shown.
    pub(super) fn on_inspect_key(&mut self, key: &KeyEvent) -> Vec<Command> {
        let action =
            super::keys::action_in(INSPECT_KEYS, key).or_else(|| super::keys::action_for(key));
        match action {
            Some(Action::Back) => self.show(Screen::Dashboard),
            Some(Action::Inspect(k)) => self.inspect_act(k),
            Some(a) if passes_through(a) => self.act(a),
            _ => Vec::new(),
        }
    }

    fn inspect_act(&mut self, key: InspectKey) -> Vec<Command> {
        match key {
            InspectKey::Cell(dr, dc) => {
                let step = |v: u8, d: i8| (v as i8 + d).rem_euclid(10) as u8;
                let (t, p) = self.inspect.cell;
                self.inspect.cell = (step(t, dr), step(p, dc));
                Vec::new()
            }
            InspectKey::Split => {
                self.inspect.set = match self.inspect.set {
                    EvalSet::Validation => EvalSet::Test,
                    EvalSet::Test => EvalSet::Validation,
                };
                self.analysis_request()
            }
        }
    }

    /// Show `screen`; a screen that needs the analysis thread asks it.
    pub fn show(&mut self, screen: Screen) -> Vec<Command> {
        // The labs' image is traced only while the labs are shown.
        let left_labs = self.screen == Screen::Labs && screen != Screen::Labs;
        self.screen = screen;
        self.focus_view = None;
        let mut cmds = if left_labs {
            vec![Command::Lab(None)]
        } else {
            Vec::new()
        };
        cmds.extend(self.analysis_request());
        cmds
    }

    /// The job the shown screen needs, computed on the current weights.
    pub fn analysis_request(&mut self) -> Vec<Command> {
        match self.screen {
            S::Dashboard | S::Lessons => Vec::new(),
            S::Compare => vec![Command::Analyse(Job::ShiftAccuracy)],
            Screen::Inspect => {
                let set = self.inspect.set;
                vec![Command::Analyse(Job::Confusion { set })]
            }
            Screen::Labs => self.labs_request(),
        }
    }

    /// An update from the analysis thread.
    pub(super) fn on_analysis(&mut self, update: AnalysisUpdate) {
        match update {
            AnalysisUpdate::Progress {
                kind: JobKind::Shift,
                done,
                total,
                ..
            } => self.compare.progress = Some((done, total)),
            AnalysisUpdate::Progress {
                kind, done, total, ..
            } if kind == JobKind::Confusion => self.inspect.progress = Some((kind, done, total)),
            AnalysisUpdate::Progress {
                kind, done, total, ..
            } => self.labs.progress = Some((kind, done, total)),
            AnalysisUpdate::Done { output, .. } => {
                self.inspect.progress = None;
                self.labs.progress = None;
                self.compare.progress = None;
                match *output {
                    JobOutput::Confusion(c) => self.inspect.confusion = Some(c),
                    JobOutput::Shift(s) => {
                        // The baseline's curve joins the translation lab's chart too.
                        self.labs.mlp_curve = s.mlp.as_ref().map(|m| LabCurve {
                            step: s.step,
                            samples: s.samples,
                            horizontal: m.horizontal,
                            vertical: m.vertical,
                        });
                        self.compare.shift = Some(s);
                    }
                    other => self.on_lab_output(other),
                }
            }
            AnalysisUpdate::Failed { kind, message } => {
                self.inspect.progress = None;
                self.labs.progress = None;
                self.compare.progress = None;
                let text = format!("the {} failed: {message}; training goes on", kind.label());
                self.set_banner(BannerKind::Error, text);
            }
        }
    }
}
