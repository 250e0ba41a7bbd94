//! The key tables: input handling, the hint bar and the help overlay all read `KEYS` (the
//! dashboard) and `focus_keys::FOCUS_KEYS` (the focus view, which is modal).

use super::focus_keys::FocusKey;
use super::inspect::InspectKey;
use super::labs::LabKey;
use super::screen::Screen;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// A value the user can step down or up with a lowercase / uppercase key pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Stride,
    Padding,
    Kernel,
    Filters,
    PoolSize,
    Lr,
    Momentum,
    Batch,
}

/// Everything a key can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    PauseResume,
    Step,
    Reset,
    FocusNext,
    FocusPrev,
    Glyphs,
    Normalise,
    ProbeNext,
    ProbePrev,
    ProbeRandom,
    ProbeType,
    /// The next / previous test digit the network gets wrong.
    MisclassifiedNext,
    MisclassifiedPrev,
    BlockPrev,
    BlockNext,
    FilterPrev,
    FilterNext,
    /// Step a field down (`false`) or up (`true`).
    Adjust(Field, bool),
    CyclePool,
    AddBlock,
    RemoveBlock,
    /// The training pace: fewer / more mini-batches a second.
    PaceSlower,
    PaceFaster,
    /// After a divergence: the last good weights with half the learning rate.
    Rewind,
    /// The loss axis log / linear; the accuracy axis fitted / 0–100 %.
    LossScale,
    AccuracyScale,
    /// The chart's window of steps.
    WindowNarrower,
    WindowWider,
    /// Pin the current curves for comparison, or clear the pin.
    Pin,
    /// Open the selected map, filter or digit in the focus view.
    Open,
    /// Close the help, the focus view or the typing of an index.
    Back,
    /// A key of the focus view's own table.
    Focus(FocusKey),
    /// Show a screen (the digit keys).
    Screen(Screen),
    /// A key of the inspect screen's own table.
    Inspect(InspectKey),
    /// Keep and share: a checkpoint file, the metrics history as CSV.
    SaveCheckpoint,
    ExportMetrics,
    ExportPicture,
    /// A key of the labs screen's own table.
    Lab(LabKey),
    /// A key of the fc-vs-cnn screen's own table.
    Compare(super::compare::CompareKey),
    /// A key of the lessons screen's own table.
    Lesson(super::lessons::LessonKey),
    /// The default network and settings, which train well (`R`).
    Restore,
}

/// One physical key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
    /// A key code with Shift held, e.g. Shift+←.
    Shift(KeyCode),
}

impl Key {
    /// Does this crossterm key event press this key? Shift is part of the character.
    pub fn matches(self, event: &KeyEvent) -> bool {
        if event.kind == KeyEventKind::Release {
            return false;
        }
        let ctrl_alt = event
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match self {
            Key::Char(c) => !ctrl_alt && event.code == KeyCode::Char(c),
            Key::Ctrl(c) => {
                event.modifiers.contains(KeyModifiers::CONTROL) && event.code == KeyCode::Char(c)
            }
            Key::Code(code) => event.code == code,
            Key::Shift(code) => event.modifiers.contains(KeyModifiers::SHIFT) && event.code == code,
        }
    }

    /// How the help overlay and the hint bar spell the key.
    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("^{}", c.to_ascii_uppercase()),
            Key::Code(KeyCode::Esc) => "Esc".into(),
            Key::Code(KeyCode::Tab) => "Tab".into(),
            Key::Code(KeyCode::BackTab) => "S-Tab".into(),
            Key::Code(KeyCode::Up) => "↑".into(),
            Key::Code(KeyCode::Down) => "↓".into(),
            Key::Code(KeyCode::Left) => "←".into(),
            Key::Code(KeyCode::Right) => "→".into(),
            Key::Code(code) => format!("{code:?}"),
            Key::Shift(code) => format!("S-{}", Key::Code(code).label()),
        }
    }
}

/// A section of the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    General,
    View,
    Probe,
    Block,
    Training,
    /// Saving and exporting: checkpoint, metrics, pictures.
    Keep,
    Focus,
    Inspect,
    Labs,
    Compare,
    Lessons,
}

impl Group {
    pub const ALL: [Group; 11] = [
        Group::General,
        Group::View,
        Group::Probe,
        Group::Block,
        Group::Training,
        Group::Keep,
        Group::Focus,
        Group::Inspect,
        Group::Labs,
        Group::Compare,
        Group::Lessons,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Group::General => "General",
            Group::View => "View",
            Group::Probe => "Probe digit",
            Group::Block => "Selected block (rebuilds live)",
            Group::Training => "Training (applies at once)",
            Group::Keep => "Keep and share (files go here)",
            Group::Focus => "Focus view (Enter opens, Esc closes)",
            Group::Inspect => "Inspect screen (2 opens, Esc closes)",
            Group::Labs => "Labs screen (3 opens, Esc closes)",
            Group::Compare => "fc vs cnn screen (4 opens, Esc closes)",
            Group::Lessons => "Lessons (5 opens, Esc closes)",
        }
    }
}

/// One row of the table: the keys, what they do, and where they are listed.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub group: Group,
    /// The help overlay's description.
    pub help: &'static str,
    /// The hint bar's short word; `None` keeps it out of the bar.
    pub hint: Option<&'static str>,
}

pub(crate) const fn b(
    keys: &'static [Key],
    action: Action,
    group: Group,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        action,
        group,
        help,
        hint,
    }
}

use Action as A;
use Field as F;
use Group as G;
use Key::{Char as C, Code};

/// The key table. Lowercase steps a value down, uppercase steps it up.
#[rustfmt::skip]
pub static KEYS: &[Binding] = &[
    b(&[C('q'), Key::Ctrl('c')], A::Quit, G::General, "quit", Some("quit")),
    b(&[C('?')], A::Help, G::General, "this help", Some("help")),
    b(&[Code(KeyCode::Enter)], A::Open, G::General, "open a map or filter", Some("open")),
    b(&[Code(KeyCode::Esc)], A::Back, G::General, "close help or focus view", None),
    b(&[C('1')], A::Screen(Screen::Dashboard), G::General, "dashboard / inspect screen", None),
    b(&[C('2')], A::Screen(Screen::Inspect), G::General, "inspect: the confusion matrix", None),
    b(&[C('3')], A::Screen(Screen::Labs), G::General, "labs: four experiments", None),
    b(&[C('4')], A::Screen(Screen::Compare), G::General, "screens: fc vs cnn / lessons", None),
    b(&[C('5')], A::Screen(Screen::Lessons), G::General, "lessons, step by step", None),
    b(&[C('R')], A::Restore, G::General, "restore a good network", None),
    b(&[C(' ')], A::PauseResume, G::General, "pause / resume", Some("pause")),
    b(&[C('.')], A::Step, G::General, "one mini-batch, stay paused", Some("step")),
    b(&[C('r')], A::Reset, G::General, "reset weights (same seed)", Some("reset")),
    b(&[C('t')], A::PaceSlower, G::General, "pace slower / faster", Some("pace")),
    b(&[C('T')], A::PaceFaster, G::General, "pace faster", None),
    b(&[C('u')], A::Rewind, G::General, "after divergence: rewind", None),
    b(&[Code(KeyCode::Tab)], A::FocusNext, G::View, "next / previous panel (tab)", Some("panel")),
    b(&[Code(KeyCode::BackTab)], A::FocusPrev, G::View, "previous panel", None),
    b(&[C('g')], A::Glyphs, G::View, "glyphs ▀ / braille / ASCII", Some("glyphs")),
    b(&[C('v')], A::Normalise, G::View, "scale per map / per layer", Some("scale")),
    b(&[C('y')], A::LossScale, G::View, "loss axis log / linear", Some("log")),
    b(&[C('Y')], A::AccuracyScale, G::View, "accuracy axis fit / 0–100%", None),
    b(&[C('h')], A::WindowNarrower, G::View, "chart: fewer / more steps", Some("window")),
    b(&[C('H')], A::WindowWider, G::View, "more steps", None),
    b(&[C('c')], A::Pin, G::View, "pin / clear a comparison", Some("pin")),
    b(&[C('n'), Code(KeyCode::Right)], A::ProbeNext, G::Probe, "next / previous probe", Some("probe")),
    b(&[C('N'), Code(KeyCode::Left)], A::ProbePrev, G::Probe, "previous probe", None),
    b(&[C('d')], A::ProbeRandom, G::Probe, "random probe", None),
    b(&[C('i'), C('#')], A::ProbeType, G::Probe, "type a test index, Enter", Some("index")),
    b(&[C('e')], A::MisclassifiedNext, G::Probe, "next / previous mistake", Some("wrong")),
    b(&[C('E')], A::MisclassifiedPrev, G::Probe, "previous misclassified", None),
    b(&[C('[')], A::BlockPrev, G::Block, "previous / next block", Some("block")),
    b(&[C(']')], A::BlockNext, G::Block, "next block", None),
    b(&[Code(KeyCode::Up)], A::FilterPrev, G::Block, "previous / next filter", None),
    b(&[Code(KeyCode::Down)], A::FilterNext, G::Block, "next filter", None),
    b(&[C('s')], A::Adjust(F::Stride, false), G::Block, "stride − / +", Some("stride")),
    b(&[C('S')], A::Adjust(F::Stride, true), G::Block, "stride +", None),
    b(&[C('p')], A::Adjust(F::Padding, false), G::Block, "padding − / +", Some("pad")),
    b(&[C('P')], A::Adjust(F::Padding, true), G::Block, "padding +", None),
    b(&[C('o')], A::CyclePool, G::Block, "pooling max → avg → none", Some("pool")),
    b(&[C('z')], A::Adjust(F::PoolSize, false), G::Block, "pool size − / +", None),
    b(&[C('Z')], A::Adjust(F::PoolSize, true), G::Block, "pool size +", None),
    b(&[C('k')], A::Adjust(F::Kernel, false), G::Block, "kernel − / + (same pad)", Some("kernel")),
    b(&[C('K')], A::Adjust(F::Kernel, true), G::Block, "kernel +", None),
    b(&[C('f')], A::Adjust(F::Filters, false), G::Block, "filters ÷2 / ×2", Some("filters")),
    b(&[C('F')], A::Adjust(F::Filters, true), G::Block, "filters ×2", None),
    b(&[C('+'), C('=')], A::AddBlock, G::Block, "add / remove a block", Some("blocks")),
    b(&[C('-')], A::RemoveBlock, G::Block, "remove the block", None),
    b(&[C('l')], A::Adjust(F::Lr, false), G::Training, "learning rate − / +", Some("lr")),
    b(&[C('L')], A::Adjust(F::Lr, true), G::Training, "learning rate +", None),
    b(&[C('m')], A::Adjust(F::Momentum, false), G::Training, "momentum − / +", Some("mom")),
    b(&[C('M')], A::Adjust(F::Momentum, true), G::Training, "momentum +", None),
    b(&[C('b')], A::Adjust(F::Batch, false), G::Training, "batch size ÷2 / ×2", Some("batch")),
    b(&[C('B')], A::Adjust(F::Batch, true), G::Training, "batch size ×2", None),
    b(&[C('w')], A::SaveCheckpoint, G::Keep, "save a checkpoint", None),
    b(&[C('x')], A::ExportMetrics, G::Keep, "metrics history as CSV", None),
    b(&[C('X')], A::ExportPicture, G::Keep, "focused heatmap as PNG", None),
];

/// The action bound to a key event, if any. The first matching row wins.
pub fn action_for(event: &KeyEvent) -> Option<Action> {
    action_in(KEYS, event)
}

/// The action of the first row of `table` that a key event presses.
pub fn action_in(table: &[Binding], event: &KeyEvent) -> Option<Action> {
    table
        .iter()
        .find(|row| row.keys.iter().any(|k| k.matches(event)))
        .map(|row| row.action)
}

/// The keys of a binding joined for display, e.g. `q/Esc/Ctrl-C`.
pub fn keys_label(binding: &Binding) -> String {
    binding
        .keys
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join("/")
}

/// The table's rows for display, each down/up or previous/next pair merged into one row with
/// both keys, e.g. (`s/S`, the stride row). The help overlay lists all; the hint bar the hinted.
pub fn merged() -> Vec<(String, &'static Binding)> {
    merged_of(KEYS)
}

/// `merged` for any table.
pub fn merged_of(table: &'static [Binding]) -> Vec<(String, &'static Binding)> {
    let mut rows = Vec::new();
    let mut i = 0;
    while i < table.len() {
        let row = &table[i];
        let mut keys = keys_label(row);
        if let Some(next) = table.get(i + 1).filter(|n| pairs(row, n)) {
            keys = format!("{keys} {}", keys_label(next));
            i += 1;
        }
        rows.push((keys, row));
        i += 1;
    }
    rows
}

/// The hint bar: short key labels and words, e.g. (`s/S`, `stride`).
pub fn hints() -> Vec<(String, &'static str)> {
    let mut rows: Vec<_> = merged_of(KEYS)
        .into_iter()
        .filter(|(_, row)| row.hint.is_some())
        .collect();
    // Live controls before navigation: the bar is cut at the terminal's width.
    let rank = |g: Group| {
        [G::General, G::Block, G::Training, G::Probe, G::View]
            .iter()
            .position(|&x| x == g)
    };
    rows.sort_by_key(|(_, row)| rank(row.group));
    rows.into_iter()
        .map(|(_, row)| (short_keys(KEYS, row), row.hint.unwrap_or("")))
        .collect()
}

/// The hinted rows of `table` in its own order, e.g. (`a`, `slide`).
pub fn hints_of(table: &'static [Binding]) -> Vec<(String, &'static str)> {
    merged_of(table)
        .into_iter()
        .filter_map(|(_, row)| Some((short_keys(table, row), row.hint?)))
        .collect()
}

/// The first key of a row and of its partner in `table`, e.g. `s/S`.
fn short_keys(table: &[Binding], row: &Binding) -> String {
    let i = table.iter().position(|r| std::ptr::eq(r, row)).unwrap_or(0);
    match table.get(i + 1).filter(|n| pairs(row, n)) {
        Some(next) => format!("{}/{}", row.keys[0].label(), next.keys[0].label()),
        None => row.keys[0].label(),
    }
}

/// Two rows that form a down/up or previous/next pair.
fn pairs(a: &Binding, b: &Binding) -> bool {
    matches!(
        (a.action, b.action),
        (A::Adjust(x, false), A::Adjust(y, true)) if x == y
    ) || matches!(
        (a.action, b.action),
        (A::FocusNext, A::FocusPrev)
            | (A::ProbeNext, A::ProbePrev)
            | (A::MisclassifiedNext, A::MisclassifiedPrev)
            | (A::BlockPrev, A::BlockNext)
            | (A::FilterPrev, A::FilterNext)
            | (A::AddBlock, A::RemoveBlock)
            | (A::PaceSlower, A::PaceFaster)
            | (A::WindowNarrower, A::WindowWider)
            | (A::Screen(_), A::Screen(_))
    ) || matches!((a.action, b.action), (A::Focus(x), A::Focus(y)) if x.pairs_with(y))
        || matches!((a.action, b.action), (A::Lab(x), A::Lab(y)) if x.pairs_with(y))
}
