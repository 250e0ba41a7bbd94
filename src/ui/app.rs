//! The dashboard's state: plain data, no terminal, no sender, no clock. Events go in through
//! `App::handle` (user input in `input.rs`, the worker's updates in `updates.rs`); the
//! commands for the worker come out as its return value.

use super::compare::Compare;
use super::focus::FocusView;
use super::history::History;
use super::history::pinned::Pinned;
use super::history::view::ChartView;
use super::inspect::Inspect;
use super::labs::Labs;
use super::lessons::Lessons;
use super::screen::Screen;
use super::widgets::colormap::ColorMode;
use super::widgets::heatmap::Glyphs;
use crate::config::{Arch, Hyper};
use crate::train::messages::{
    Command, Divergence, EvalMetrics, EvalSet, Snapshot, StepMetrics, Update,
};
use crate::train::pace::Pace;

/// Everything the UI thread receives on its one channel.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Input(crossterm::event::Event),
    Worker(Update),
    /// Signals and a lost terminal: the event loop acts on them, the app never sees them.
    Terminal(super::terminal::TerminalEvent),
    /// Time passed while something moves on screen (`App::animating`).
    Tick(std::time::Duration),
}

impl From<Update> for Event {
    fn from(update: Update) -> Self {
        Event::Worker(update)
    }
}

/// The panels, in focus (Tab) order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Chart,
    Ledger,
    Filters,
    Maps,
    Prediction,
}

impl Panel {
    pub const ALL: [Panel; 5] = [
        Panel::Chart,
        Panel::Ledger,
        Panel::Filters,
        Panel::Maps,
        Panel::Prediction,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Panel::Chart => "Loss & accuracy",
            Panel::Ledger => "Architecture",
            Panel::Filters => "Learned filters",
            Panel::Maps => "Feature maps",
            Panel::Prediction => "Prediction",
        }
    }

    pub fn index(self) -> usize {
        Panel::ALL.iter().position(|&p| p == self).unwrap_or(0)
    }
}

/// What the UI knows of the worker thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerState {
    Running,
    Paused,
    Failed(String),
    /// The thread ended without saying why.
    Gone,
}

impl WorkerState {
    pub fn is_alive(&self) -> bool {
        matches!(self, WorkerState::Running | WorkerState::Paused)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BannerKind {
    Info,
    Warning,
    Error,
}

/// The one-line message under the status line: what the last edit did or why it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    pub kind: BannerKind,
    pub text: String,
}

/// The dashboard state.
#[derive(Debug, Clone)]
pub struct App {
    pub dataset: String,
    pub test_len: usize,
    /// The architecture the worker runs: the one it started with or last confirmed.
    pub arch: Arch,
    /// An edit sent to the worker and neither confirmed nor refused yet.
    pub pending_arch: Option<Arch>,
    pub hyper: Hyper,
    pub history: History,
    pub last_step: Option<StepMetrics>,
    pub last_validation: Option<EvalMetrics>,
    pub last_test: Option<EvalMetrics>,
    pub snapshot: Option<Box<Snapshot>>,
    pub worker: WorkerState,
    /// The training pace, as last asked (`t`/`T`) or reported by the worker.
    pub pace: Pace,
    /// The divergence that stopped training, until a reset or a rewind.
    pub diverged: Option<Divergence>,
    /// A slow validation's progress (images done, of), until its result comes.
    pub validating: Option<(usize, usize)>,
    /// How the chart shows the history (`y`, `Y`, `h`/`H`).
    pub chart: ChartView,
    /// Curves pinned for comparison (`c`).
    pub pinned: Option<Pinned>,
    pub banner: Option<Banner>,
    pub focus: Panel,
    pub selected_block: usize,
    /// Output filter of the selected block's conv layer.
    pub selected_filter: usize,
    pub probe: usize,
    /// Digits typed for a probe index, while typing.
    pub typing: Option<String>,
    pub help: bool,
    /// The focus view, when open: it covers the panels.
    pub focus_view: Option<FocusView>,
    /// The screen shown: the dashboard or one beside it.
    pub screen: Screen,
    /// The inspect screen's state.
    pub inspect: Inspect,
    /// The conv filters' history, from the snapshots (`timelapse`).
    pub timelapse: super::timelapse::Timelapse,
    /// The labs screen's state.
    pub labs: Labs,
    /// The fc-vs-cnn screen's state (the baseline's curves and weights).
    pub compare: Compare,
    /// The lessons and the one running.
    pub lessons: Lessons,
    pub glyphs: Glyphs,
    pub colors: ColorMode,
    /// Heatmap normalisation: per layer (`true`) or per map.
    pub per_layer: bool,
    /// Terminal size (columns, rows), from resize events.
    pub size: (u16, u16),
    pub quit: bool,
    /// Saving, exporting and the quit question (`keep.rs`).
    pub keep: super::keep::Keep,
    pub(super) rng: u64,
}

impl App {
    pub fn new(
        dataset: String,
        test_len: usize,
        arch: Arch,
        hyper: Hyper,
        probe: usize,
        colors: ColorMode,
    ) -> App {
        let glyphs = if colors == ColorMode::Monochrome {
            Glyphs::Ascii
        } else {
            Glyphs::HalfBlock
        };
        App {
            dataset,
            test_len,
            arch,
            pending_arch: None,
            rng: hyper.seed ^ 0x9e37_79b9_7f4a_7c15,
            hyper,
            history: History::default(),
            last_step: None,
            last_validation: None,
            last_test: None,
            snapshot: None,
            worker: WorkerState::Running,
            pace: Pace::Max,
            diverged: None,
            validating: None,
            chart: ChartView::default(),
            pinned: None,
            banner: None,
            focus: Panel::Chart,
            selected_block: 0,
            selected_filter: 0,
            probe: if test_len == 0 {
                0
            } else {
                probe.min(test_len - 1)
            },
            typing: None,
            help: false,
            focus_view: None,
            screen: Screen::Dashboard,
            inspect: Inspect::default(),
            timelapse: Default::default(),
            labs: Labs::default(),
            compare: Compare::default(),
            lessons: Lessons::default(),
            glyphs,
            colors,
            per_layer: false,
            size: (160, 48),
            quit: false,
            keep: Default::default(),
        }
    }

    /// Apply one event; returns what should be sent to the worker.
    pub fn handle(&mut self, event: Event) -> Vec<Command> {
        let commands = self.handle_event(event);
        self.check_lesson();
        commands
    }

    fn handle_event(&mut self, event: Event) -> Vec<Command> {
        match event {
            Event::Worker(update) => {
                // A new validation: the screen beside the dashboard recomputes what it shows.
                let evaluated = matches!(&update, Update::Eval(e) if e.set == EvalSet::Validation);
                let pictured = matches!(&update, Update::Snapshot(_));
                self.apply(update);
                if evaluated {
                    self.analysis_request()
                } else if pictured {
                    self.saliency_refresh()
                } else {
                    Vec::new()
                }
            }
            Event::Input(input) => self.on_input(&input),
            Event::Terminal(_) => Vec::new(),
            Event::Tick(dt) => {
                self.tick(dt);
                Vec::new()
            }
        }
    }

    pub fn set_banner(&mut self, kind: BannerKind, text: String) {
        self.banner = Some(Banner { kind, text });
    }

    /// The architecture to show and to edit: the pending edit while there is one, else the
    /// confirmed one.
    pub fn shown_arch(&self) -> &Arch {
        self.pending_arch.as_ref().unwrap_or(&self.arch)
    }

    /// Keep the selected block and filter inside the shown architecture.
    pub fn clamp_selection(&mut self) {
        let blocks = self.shown_arch().blocks.len().max(1);
        self.selected_block = self.selected_block.min(blocks - 1);
        let filters = self
            .shown_arch()
            .blocks
            .get(self.selected_block)
            .map_or(1, |b| b.filters.max(1));
        self.selected_filter = self.selected_filter.min(filters - 1);
    }

    /// A small deterministic generator for the random probe digit (xorshift64).
    pub(super) fn next_random(&mut self) -> u64 {
        let mut x = self.rng.max(1);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        x
    }

    /// The state's invariants; the fuzz test checks them after every event.
    pub fn check_invariants(&self) -> Result<(), String> {
        let arch = self.shown_arch();
        let blocks = arch.blocks.len();
        if blocks == 0 || self.selected_block >= blocks {
            return Err(format!(
                "selected block {} of {blocks}",
                self.selected_block
            ));
        }
        if self.selected_filter >= arch.blocks[self.selected_block].filters {
            return Err(format!("selected filter {}", self.selected_filter));
        }
        if self.test_len > 0 && self.probe >= self.test_len {
            return Err(format!("probe {} of {}", self.probe, self.test_len));
        }
        arch.plan()
            .map_err(|e| format!("edited arch is impossible: {e}"))?;
        self.arch
            .plan()
            .map_err(|e| format!("confirmed arch is impossible: {e}"))?;
        if let Some(v) = &self.focus_view {
            if v.speed >= super::slide::SPEEDS.len() {
                return Err(format!("slide speed {}", v.speed));
            }
            if v.slide.is_some_and(|s| s.done.is_nan() || s.done < 0.0) {
                return Err(format!("slide at {:?}", v.slide));
            }
        }
        self.labs.check()?;
        if self
            .typing
            .as_ref()
            .is_some_and(|t| t.len() > 12 || !t.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(format!("typing {:?}", self.typing));
        }
        Ok(())
    }
}
