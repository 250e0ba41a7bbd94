//! What the inspect screen's keys, clicks and the analysis thread's updates do.

use super::{INSPECT_KEYS, InspectKey, Page, Subject, passes_through};
use crate::train::analysis::{AnalysisUpdate, Job, JobKind, JobOutput};
use crate::train::messages::{Command, EvalSet};
use crate::ui::app::{App, BannerKind};
use crate::ui::keys::{self, Action};
use crate::ui::labs::FIGURE_EVERY;
use crate::ui::screen::Screen;
use crossterm::event::KeyEvent;
use ndarray::Array2;

/// The saliency maps are recomputed at most once every this many training steps: each
/// computation is 785 forward passes on the analysis thread.
pub const SALIENCY_EVERY: usize = 20;

impl App {
    /// A key while the inspect screen is shown.
    pub(in crate::ui) fn on_inspect_key(&mut self, key: &KeyEvent) -> Vec<Command> {
        let action = keys::action_in(INSPECT_KEYS, key).or_else(|| keys::action_for(key));
        // On the layers page, whose hint names them, the learning-rate keys work as on the
        // dashboard (elsewhere `l` moves the selection).
        let lr = keys::action_for(key).filter(|a| matches!(a, Action::Adjust(keys::Field::Lr, _)));
        let action = match self.inspect.page {
            Page::Layers => lr.or(action),
            _ => action,
        };
        match action {
            Some(Action::Back) => self.show(Screen::Dashboard),
            Some(Action::Inspect(k)) => self.inspect_act(k),
            Some(a) if passes_through(a) => self.act(a),
            Some(a @ Action::Adjust(keys::Field::Lr, _)) => self.act(a),
            _ => Vec::new(),
        }
    }

    fn inspect_act(&mut self, key: InspectKey) -> Vec<Command> {
        let inspect = &mut self.inspect;
        match key {
            InspectKey::Page(d) => {
                inspect.page = inspect.page.cycle(d);
                return self.analysis_request();
            }
            InspectKey::Cell(0, d) if inspect.page == Page::Filters && inspect.lapse.is_some() => {
                self.scrub(Some(d as isize), false)
            }
            InspectKey::Cell(d, 0) if inspect.page == Page::Filters && inspect.lapse.is_some() => {
                self.lapse_filter(d as isize)
            }
            InspectKey::Scrub(d) => self.scrub(Some(d as isize), false),
            InspectKey::ScrubEnd(newest) => self.scrub(None, newest),
            InspectKey::Lapse => {
                self.toggle_lapse();
                return self.analysis_request();
            }
            InspectKey::Choose if inspect.page == Page::Filters => self.open_filter_focus(),
            InspectKey::Cell(dl, df) if inspect.page == Page::Filters => {
                let (l, f) = inspect.filter;
                let layers = inspect
                    .filters
                    .as_ref()
                    .map_or(1, |s| s.layers.len().max(1));
                let l = (l as isize + dl as isize).rem_euclid(layers as isize) as usize;
                let n = inspect
                    .filters
                    .as_ref()
                    .and_then(|s| s.layers.get(l))
                    .map_or(1, |x| x.filters.len().max(1));
                let f = if dl != 0 { 0 } else { f };
                inspect.filter = (
                    l,
                    (f as isize + df as isize).rem_euclid(n as isize) as usize,
                );
            }
            InspectKey::Cell(dr, dc) => {
                let step = |v: u8, d: i8| (v as i8 + d).rem_euclid(10) as u8;
                let (t, p) = inspect.cell;
                inspect.cell = (step(t, dr), step(p, dc));
                inspect.mistake = 0;
            }
            InspectKey::Worst => {
                let worst = inspect
                    .confusion
                    .as_ref()
                    .and_then(|c| c.most_confused(1).pop());
                if let Some((t, p, _)) = worst {
                    inspect.cell = (t, p);
                    inspect.mistake = 0;
                }
            }
            InspectKey::Mistake(d) => {
                let n = inspect.cell_mistakes().len().max(1) as isize;
                inspect.mistake = (inspect.mistake as isize + d as isize).rem_euclid(n) as usize;
            }
            InspectKey::Choose => return self.choose_mistake(),
            InspectKey::ToProbe => {
                inspect.subject = Subject::Probe;
                inspect.saliency = None;
                return self.analysis_request();
            }
            InspectKey::Split => {
                inspect.set = match inspect.set {
                    EvalSet::Validation => EvalSet::Test,
                    EvalSet::Test => EvalSet::Validation,
                };
                inspect.mistake = 0;
                return self.analysis_request();
            }
        }
        Vec::new()
    }

    /// The selected mistake becomes the digit whose saliency is shown: a test digit becomes
    /// the dashboard's probe too; a validation digit cannot (the probe is a test digit).
    pub(super) fn choose_mistake(&mut self) -> Vec<Command> {
        let Some(m) = self
            .inspect
            .cell_mistakes()
            .get(self.inspect.mistake)
            .copied()
        else {
            self.set_banner(
                BannerKind::Info,
                "this cell has no wrong digits: choose an orange cell off the diagonal".into(),
            );
            return Vec::new();
        };
        let image = Array2::from_shape_fn((28, 28), |(r, c)| {
            f32::from(m.image.get(r * 28 + c).copied().unwrap_or(0)) / 255.0
        });
        let (index, label) = (m.index, m.label);
        let set = self.inspect.confusion.as_ref().map(|c| c.set);
        let mut sent = Vec::new();
        // A test digit the dashboard has (a matrix from an older data set may not).
        self.inspect.subject = if set == Some(EvalSet::Test) && index < self.test_len {
            self.probe = index;
            sent.push(Command::Probe(index));
            Subject::Probe
        } else {
            Subject::Validation {
                index,
                image: image.clone(),
                label,
            }
        };
        self.inspect.page = Page::Saliency;
        self.inspect.saliency = None;
        self.inspect.saliency_pending = true;
        sent.push(Command::Analyse(Job::Saliency { image, label }));
        sent
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

    /// The job the shown screen and page need, computed on the current weights.
    pub fn analysis_request(&mut self) -> Vec<Command> {
        match (self.screen, self.inspect.page) {
            (Screen::Dashboard | Screen::Lessons, _) => Vec::new(),
            (Screen::Compare, _) => {
                // The baseline trains from the first time its screen is shown.
                let start = !std::mem::replace(&mut self.compare.baseline_asked, true);
                let mut cmds = if start {
                    vec![Command::StartBaseline]
                } else {
                    Vec::new()
                };
                // Not after every evaluation: the job takes the analysis thread a second or
                // more, and asked each 1,000 steps it kept a core busy and held training at
                // 74 % of the dashboard's pace.
                let now = self.last_step.map_or(0, |s| s.step);
                let newest = self
                    .compare
                    .shift
                    .as_ref()
                    .map(|c| c.step)
                    .max(self.compare.shift_asked);
                if newest.is_none_or(|s| s > now || s + FIGURE_EVERY <= now) {
                    self.compare.shift_asked = Some(now);
                    cmds.push(Command::Analyse(Job::ShiftAccuracy));
                }
                cmds
            }
            (Screen::Labs, _) => self.labs_request(),
            (Screen::Inspect, Page::Confusion) => {
                // This request cancels a saliency job that may be running.
                self.inspect.saliency_pending = false;
                let set = self.inspect.set;
                vec![Command::Analyse(Job::Confusion { set })]
            }
            // The statistics come with the training steps: nothing to ask for.
            (Screen::Inspect, Page::Layers) => Vec::new(),
            // The time-lapse shows recorded weights: no scan while it is open.
            (Screen::Inspect, Page::Filters) if self.inspect.lapse.is_some() => Vec::new(),
            (Screen::Inspect, Page::Filters) => {
                self.inspect.saliency_pending = false;
                vec![Command::Analyse(Job::Filters)]
            }
            (Screen::Inspect, Page::Saliency) => match self.saliency_subject() {
                Some((image, label)) => {
                    self.inspect.saliency_pending = true;
                    vec![Command::Analyse(Job::Saliency { image, label })]
                }
                None => Vec::new(),
            },
        }
    }

    /// The digit `(28, 28)` and label whose saliency is shown, if known yet.
    fn saliency_subject(&self) -> Option<(Array2<f32>, u8)> {
        match &self.inspect.subject {
            Subject::Probe => {
                let s = self.snapshot.as_ref()?;
                Some((s.probe_image.clone(), s.probe_label))
            }
            Subject::Validation { image, label, .. } => Some((image.clone(), *label)),
        }
    }

    /// After a snapshot: the saliency page follows training, one job at a time, every
    /// `SALIENCY_EVERY` steps; and at once when the probe changed.
    pub(in crate::ui) fn saliency_refresh(&mut self) -> Vec<Command> {
        let shown = self.screen == Screen::Inspect && self.inspect.page == Page::Saliency;
        let (Some(snap), false) = (&self.snapshot, self.inspect.saliency_pending) else {
            return Vec::new();
        };
        let due = match &self.inspect.saliency {
            None => true,
            Some(s) => {
                let probe_moved = self.inspect.subject == Subject::Probe
                    && (s.image != snap.probe_image || s.label != snap.probe_label);
                probe_moved || snap.step >= s.step + SALIENCY_EVERY
            }
        };
        if shown && due {
            self.analysis_request()
        } else {
            Vec::new()
        }
    }

    /// An update from the analysis thread.
    pub(in crate::ui) fn on_analysis(&mut self, update: AnalysisUpdate) {
        match update {
            AnalysisUpdate::Progress {
                kind, done, total, ..
            } => match kind {
                JobKind::Shift => {
                    // Both the fc-vs-cnn screen and the translation lab wait for it.
                    self.compare.progress = Some((done, total));
                    self.labs.progress = Some((kind, done, total));
                }
                JobKind::Confusion | JobKind::Filters | JobKind::Saliency => {
                    self.inspect.progress = Some((kind, done, total))
                }
                _ => self.labs.progress = Some((kind, done, total)),
            },
            AnalysisUpdate::Done { output, .. } => {
                self.clear_progress();
                let inspect = &mut self.inspect;
                match *output {
                    JobOutput::Confusion(c) => inspect.confusion = Some(c),
                    JobOutput::Filters(f) => inspect.filters = Some(f),
                    JobOutput::Saliency(s) => {
                        inspect.saliency_pending = false;
                        inspect.saliency = Some(s);
                    }
                    // The translation lab draws these curves too.
                    JobOutput::Shift(s) => self.compare.shift = Some(s),
                    other => self.on_lab_output(other),
                }
            }
            AnalysisUpdate::Failed { kind, message } => {
                self.clear_progress();
                self.inspect.saliency_pending = false;
                let text = format!("the {} failed: {message}; training goes on", kind.label());
                self.set_banner(BannerKind::Error, text);
            }
        }
    }

    /// A job ended: no progress to show on any screen.
    fn clear_progress(&mut self) {
        self.inspect.progress = None;
        self.labs.progress = None;
        self.compare.progress = None;
    }
}
