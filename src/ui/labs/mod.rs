//! The labs screen (`3`): experiments that each test one claim of the lecture, a page each,
//! switched with Tab / S-Tab or a click on the page strip. Its state, its keys and what they
//! send to the worker; the drawing is in `view` and the pages' own modules.
//!
//! Two pages show a second digit going through the network beside the probe (the probe
//! shifted, or a drawing): they set the worker's lab image (`Command::Lab`), which it traces
//! with every snapshot and sends back as `Update::Lab`. Two ask the analysis thread for a
//! figure (accuracy against shift, accuracy under each pooling).

pub mod draw_view;
pub mod kernels;
pub mod kernels_scope;
pub mod kernels_view;
pub mod mouse;
pub mod moved_copy;
pub mod pad;
pub mod pooling_text;
pub mod pooling_view;
pub mod pooling_window;
pub mod preprocess;
pub mod shift_chart;
pub mod translation_narrow;
pub mod translation_view;
pub mod view;

use super::app::App;
use super::keys::{Action, Binding, Group, Key, b};
use super::screen::Screen;
use crate::train::analysis::lab::{LabInput, LabTrace, MAX_SHIFT};
use crate::train::analysis::pooling::PoolingAccuracy;
use crate::train::analysis::pooling_tune::FineTune;
use crate::train::analysis::{Job, JobKind, JobOutput};
use crate::train::messages::Command;
use crossterm::event::{KeyCode, KeyEvent};
use kernels::{HAND_KERNELS, Kernel3};
use pad::Pad;

/// The labs, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabPage {
    Translation,
    Draw,
    Kernels,
    Pooling,
}

impl LabPage {
    pub const ALL: [LabPage; 4] = [
        LabPage::Translation,
        LabPage::Draw,
        LabPage::Kernels,
        LabPage::Pooling,
    ];

    pub fn title(self) -> &'static str {
        match self {
            LabPage::Translation => "Translation",
            LabPage::Draw => "Draw a digit",
            LabPage::Kernels => "Kernels by hand",
            LabPage::Pooling => "Max vs average pooling",
        }
    }

    fn step(self, delta: usize) -> LabPage {
        let n = LabPage::ALL.len();
        let i = LabPage::ALL.iter().position(|&p| p == self).unwrap_or(0);
        LabPage::ALL[(i + delta) % n]
    }
}

/// The labs screen's state.
#[derive(Debug, Clone, PartialEq)]
pub struct Labs {
    pub page: LabPage,
    /// The translation lab's shift (right, down) in pixels, each within ±`MAX_SHIFT`.
    pub shift: (i32, i32),
    /// The map the translation lab shows where only one fits (80×24): 0 the input, then the
    /// ReLU and pooling maps in order (wrapped to their number when drawn).
    pub map: usize,
    /// The worker's newest trace of the lab image.
    pub trace: Option<Box<LabTrace>>,
    pub pad: Pad,
    /// The chosen kernel: one of `HAND_KERNELS`, or (at its length) the user's own.
    pub kernel: usize,
    pub custom: Kernel3,
    /// The cell of the user's kernel that + and − change.
    pub cell: (usize, usize),
    /// The kernels lab's microscope, when open: its cursor on the output (row, column).
    pub scope: Option<(usize, usize)>,
    /// The channel the pooling lab shows.
    pub channel: usize,
    pub pooling: Option<PoolingAccuracy>,
    /// The running job: its kind, done and total.
    pub progress: Option<(JobKind, usize, usize)>,
    /// The page whose figure was last asked for, and the step then: a job that outlasts the
    /// validations after it is not restarted by each.
    pub asked: Option<(LabPage, usize)>,
}

impl Default for Labs {
    fn default() -> Labs {
        Labs {
            page: LabPage::Translation,
            shift: (0, 0),
            map: 1,
            trace: None,
            pad: Pad::default(),
            kernel: 0,
            custom: HAND_KERNELS[0].weights,
            cell: (1, 1),
            scope: None,
            channel: 0,
            pooling: None,
            progress: None,
            asked: None,
        }
    }
}

impl Labs {
    /// The kernel shown: a hand-made one or the user's.
    pub fn kernel_weights(&self) -> Kernel3 {
        HAND_KERNELS
            .get(self.kernel)
            .map_or(self.custom, |k| k.weights)
    }

    /// The image the page wants traced beside the probe, if any.
    pub fn input(&self) -> Option<LabInput> {
        match self.page {
            LabPage::Translation => Some(LabInput::Shift {
                dx: self.shift.0,
                dy: self.shift.1,
            }),
            LabPage::Draw => self.pad.processed().map(LabInput::Image),
            LabPage::Kernels | LabPage::Pooling => None,
        }
    }

    /// The state's invariants (the fuzz test checks them).
    pub fn check(&self) -> Result<(), String> {
        let within = |v: i32| (-MAX_SHIFT..=MAX_SHIFT).contains(&v);
        if !within(self.shift.0) || !within(self.shift.1) {
            return Err(format!("lab shift {:?}", self.shift));
        }
        let (r, c) = self.pad.cursor;
        if r >= 28 || c >= 28 || self.cell.0 >= 3 || self.cell.1 >= 3 {
            return Err(format!(
                "pad cursor {:?}, kernel cell {:?}",
                self.pad.cursor, self.cell
            ));
        }
        if self.kernel > HAND_KERNELS.len() || self.pad.ink.iter().any(|v| !(0.0..=1.0).contains(v))
        {
            return Err(format!("kernel {} or ink out of range", self.kernel));
        }
        Ok(())
    }

    /// The newest trace, if it is of what this page shows.
    pub fn trace_for_page(&self) -> Option<&LabTrace> {
        let t = self.trace.as_deref()?;
        let fits = match (self.page, &t.input) {
            (LabPage::Translation, LabInput::Shift { .. }) => true,
            (LabPage::Draw, LabInput::Image(_)) => self.pad.processed().is_some(),
            _ => false,
        };
        fits.then_some(t)
    }
}

/// What a key of the labs screen does; arrows mean what the page needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabKey {
    NextPage,
    PrevPage,
    /// An arrow: (down, right) by one.
    Arrow(i8, i8),
    /// The translation lab's next / previous map (where one map is shown).
    NextMap,
    PrevMap,
    /// Centre the shifted digit; clear the drawing.
    Clear,
    /// The drawing's pen down / up.
    Pen,
    NextKernel,
    PrevKernel,
    /// The user's kernel: the selected cell up or down.
    Raise,
    Lower,
    /// The kernels lab's microscope on / off.
    Scope,
}

use Action::Lab as L;
use Group::Labs as G;
use Key::{Char as C, Code};

/// The labs screen's keys (modal: then `passes_through`).
#[rustfmt::skip]
pub static LABS_KEYS: &[Binding] = &[
    b(&[Code(KeyCode::Esc)], Action::Back, G, "back to the dashboard", Some("back")),
    b(&[Code(KeyCode::Tab)], L(LabKey::NextPage), G, "next / previous lab", Some("lab")),
    b(&[Code(KeyCode::BackTab)], L(LabKey::PrevPage), G, "previous lab", None),
    b(&[Code(KeyCode::Up)], L(LabKey::Arrow(-1, 0)), G, "shift, cursor or cell", None),
    b(&[Code(KeyCode::Down)], L(LabKey::Arrow(1, 0)), G, "down", None),
    b(&[Code(KeyCode::Left)], L(LabKey::Arrow(0, -1)), G, "left", None),
    b(&[Code(KeyCode::Right)], L(LabKey::Arrow(0, 1)), G, "right", None),
    b(&[C('c')], L(LabKey::Clear), G, "centre / clear the drawing", None),
    // m is the translation lab's next map and the kernels lab's microscope: `lab_act` reads
    // it by page (a second binding of m would never be reached).
    b(&[C('m')], L(LabKey::NextMap), G, "next map / microscope", None),
    b(&[C('M')], L(LabKey::PrevMap), G, "previous map", None),
    b(&[C('x')], L(LabKey::Pen), G, "drawing: pen down / up", None),
    b(&[C('k')], L(LabKey::NextKernel), G, "next / previous kernel", None),
    b(&[C('K')], L(LabKey::PrevKernel), G, "previous kernel", None),
    b(&[C('+'), C('=')], L(LabKey::Raise), G, "edit the kernel: cell + / −", None),
    b(&[C('-')], L(LabKey::Lower), G, "cell −", None),
    b(&[Code(KeyCode::Enter)], L(LabKey::Scope), G, "kernels: microscope", None),
];

/// Dashboard actions that keep working on the labs screen.
pub fn passes_through(action: Action) -> bool {
    super::inspect::passes_through(action)
        || matches!(
            action,
            Action::ProbeNext | Action::ProbePrev | Action::ProbeRandom | Action::Glyphs
        )
}

/// A lab's figure is computed again after this many training steps (or a reset): each takes
/// one of the machine's cores for seconds, which training would miss if it ran after every
/// validation.
pub const FIGURE_EVERY: usize = 5000;
/// The pooling lab's figure, with its two fine-tunes, takes several times longer than the
/// others (14 s of one core against about 2 s): it is computed again less often.
pub const POOLING_EVERY: usize = 4 * FIGURE_EVERY;

/// The step of a value of the user's kernel.
const CELL_STEP: f32 = 0.5;

impl App {
    /// A key while the labs screen is shown.
    pub(super) fn on_labs_key(&mut self, key: &KeyEvent) -> Vec<Command> {
        let action =
            super::keys::action_in(LABS_KEYS, key).or_else(|| super::keys::action_for(key));
        match action {
            Some(Action::Back) => self.show(Screen::Dashboard),
            Some(Action::Lab(k)) => self.labs_act(k),
            Some(a) if passes_through(a) => self.act(a),
            _ => Vec::new(),
        }
    }

    fn labs_act(&mut self, key: LabKey) -> Vec<Command> {
        let labs = &mut self.labs;
        match (key, labs.page) {
            (LabKey::NextPage | LabKey::PrevPage, page) => {
                let delta = if key == LabKey::NextPage {
                    1
                } else {
                    LabPage::ALL.len() - 1
                };
                labs.page = page.step(delta);
                return self.labs_request();
            }
            (LabKey::Arrow(dy, dx), LabPage::Translation) => {
                let clamp = |v: i32, d: i8| (v + d as i32).clamp(-MAX_SHIFT, MAX_SHIFT);
                labs.shift = (clamp(labs.shift.0, dx), clamp(labs.shift.1, dy));
            }
            (LabKey::Clear, LabPage::Translation) => labs.shift = (0, 0),
            (LabKey::NextMap | LabKey::PrevMap, LabPage::Translation) => {
                // Wrapped to the maps there are when drawn; kept small here.
                let n = self
                    .snapshot
                    .as_deref()
                    .map_or(1, translation_narrow::choices);
                let delta = if key == LabKey::NextMap { 1 } else { n - 1 };
                labs.map = (labs.map % n + delta) % n;
                return Vec::new();
            }
            (LabKey::Arrow(dy, dx), LabPage::Draw) => labs.pad.move_cursor(dy as i32, dx as i32),
            (LabKey::Clear, LabPage::Draw) => labs.pad.clear(),
            (LabKey::Pen, LabPage::Draw) => labs.pad.toggle_pen(),
            (LabKey::Scope | LabKey::NextMap, LabPage::Kernels) => {
                self.labs.scope = match self.labs.scope {
                    Some(_) => None,
                    None => Some(self.scope_start()),
                };
                return Vec::new();
            }
            (LabKey::Arrow(dy, dx), LabPage::Kernels) if labs.scope.is_some() => {
                self.scope_move(dy, dx);
                return Vec::new();
            }
            (LabKey::Arrow(dy, dx), LabPage::Kernels) => {
                let step = |v: usize, d: i8| (v as i8 + d).rem_euclid(3) as usize;
                labs.cell = (step(labs.cell.0, dy), step(labs.cell.1, dx));
                return Vec::new();
            }
            (LabKey::NextKernel | LabKey::PrevKernel, LabPage::Kernels) => {
                let n = HAND_KERNELS.len() + 1;
                let delta = if key == LabKey::NextKernel { 1 } else { n - 1 };
                labs.kernel = (labs.kernel + delta) % n;
                return Vec::new();
            }
            (LabKey::Raise | LabKey::Lower, LabPage::Kernels) => {
                // Editing starts from the kernel shown.
                labs.custom = labs.kernel_weights();
                labs.kernel = HAND_KERNELS.len();
                let d = if key == LabKey::Raise {
                    CELL_STEP
                } else {
                    -CELL_STEP
                };
                let (r, c) = labs.cell;
                labs.custom[r][c] = (labs.custom[r][c] + d).clamp(-9.0, 9.0);
                return Vec::new();
            }
            (LabKey::Arrow(_, dx), LabPage::Pooling) => {
                labs.channel = (labs.channel as i64 + dx as i64).max(0) as usize;
                return Vec::new();
            }
            _ => return Vec::new(),
        }
        self.lab_image()
    }

    /// Tell the worker the image to trace now (none: stop tracing).
    pub(super) fn lab_image(&mut self) -> Vec<Command> {
        let input = self.labs.input();
        if input.is_none() {
            self.labs.trace = None;
        }
        vec![Command::Lab(input)]
    }

    /// What the labs page shown needs: its lab image, and its figure from the analysis thread
    /// unless the one shown is recent (`FIGURE_EVERY`, `POOLING_EVERY`).
    pub(super) fn labs_request(&mut self) -> Vec<Command> {
        let mut cmds = self.lab_image();
        let now = self.last_step.map_or(0, |s| s.step);
        let page = self.labs.page;
        let asked = self.labs.asked.filter(|a| a.0 == page).map(|a| a.1);
        let stale = |step: Option<usize>, every: usize| {
            let newest = step.max(asked);
            newest.is_none_or(|s| s > now || s + every <= now)
        };
        let job = match page {
            // The curves are the fc-vs-cnn screen's (`compare.shift`): one job for both.
            LabPage::Translation
                if stale(self.compare.shift.as_ref().map(|c| c.step), FIGURE_EVERY) =>
            {
                Some(Job::ShiftAccuracy)
            }
            LabPage::Pooling
                if stale(self.labs.pooling.as_ref().map(|p| p.step), POOLING_EVERY) =>
            {
                // The rate the trainer uses now, after its schedule.
                let lr = self.last_step.map_or(self.hyper.lr, |s| s.lr);
                let tune = FineTune::new(&self.hyper, lr);
                Some(Job::Pooling { tune })
            }
            _ => None,
        };
        if job.is_some() {
            self.labs.asked = Some((page, now));
        }
        cmds.extend(job.map(Command::Analyse));
        cmds
    }

    /// A finished labs job.
    pub(super) fn on_lab_output(&mut self, output: JobOutput) {
        if let JobOutput::Pooling(p) = output {
            self.labs.pooling = Some(p);
        }
    }
}

impl LabKey {
    /// Two rows of the table that the help lists as one.
    pub fn pairs_with(self, next: LabKey) -> bool {
        matches!(
            (self, next),
            (LabKey::NextPage, LabKey::PrevPage)
                | (LabKey::NextKernel, LabKey::PrevKernel)
                | (LabKey::Raise, LabKey::Lower)
                | (LabKey::NextMap, LabKey::PrevMap)
        )
    }
}
