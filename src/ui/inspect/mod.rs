//! The inspect screen: where the network errs and why. Its pages (`pages`), its state and
//! keys here; what keys and the analysis thread's updates do in `actions`; the drawing in
//! `confusion_view`, `thumbs_view` and `saliency_view`.

mod actions;
pub mod confusion_view;
pub mod filters_view;
pub mod lapse;
pub mod lapse_view;
pub mod layer_history;
mod mouse;
pub mod pages;
pub mod saliency_view;
pub mod stats_view;
pub mod thumbs_view;

use super::keys::{Action, Binding, Group, Key, b};
use crate::train::analysis::JobKind;
use crate::train::analysis::confusion::{Confusion, Mistake};
use crate::train::analysis::filters::FilterScan;
use crate::train::analysis::saliency::Saliency;
use crate::train::messages::EvalSet;
use crossterm::event::KeyCode;
use ndarray::Array2;
pub use pages::Page;

/// The digit whose saliency is shown.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Subject {
    /// The dashboard's probe digit (a test digit), as the newest snapshot shows it.
    #[default]
    Probe,
    /// A validation digit chosen from the confusion matrix (the probe is always a test
    /// digit): its index, picture `(28, 28)` in [0, 1] and label.
    Validation {
        index: usize,
        image: Array2<f32>,
        label: u8,
    },
}

/// The inspect screen's state.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspect {
    pub page: Page,
    /// The split the confusion matrix is computed on.
    pub set: EvalSet,
    /// The last matrix computed (of either split: it says which).
    pub confusion: Option<Confusion>,
    /// The running job: its kind, done and total.
    pub progress: Option<(JobKind, usize, usize)>,
    /// The selected cell: (true label, predicted class).
    pub cell: (u8, u8),
    /// The selected mistake among the cell's kept ones.
    pub mistake: usize,
    /// Whose saliency is shown, and the last maps computed.
    pub subject: Subject,
    pub saliency: Option<Saliency>,
    /// A saliency job was asked for and has not answered: no second one is queued behind it.
    pub saliency_pending: bool,
    /// The last filter scan: each filter's strongest patches and active share.
    pub filters: Option<FilterScan>,
    /// The filter shown on the filter page: (conv layer, filter), both from 0.
    pub filter: (usize, usize),
    /// The worker's per-layer statistics, for the layers page.
    pub layers: layer_history::LayerHistory,
    /// The filter page's time-lapse mode and its scrubber's place (`None`: the patches).
    pub lapse: Option<lapse::Scrub>,
}

impl Default for Inspect {
    fn default() -> Inspect {
        Inspect {
            page: Page::Confusion,
            set: EvalSet::Validation,
            confusion: None,
            progress: None,
            cell: (0, 0),
            mistake: 0,
            subject: Subject::Probe,
            saliency: None,
            saliency_pending: false,
            filters: None,
            filter: (0, 0),
            layers: layer_history::LayerHistory::default(),
            lapse: None,
        }
    }
}

impl Inspect {
    /// The kept mistakes of the selected cell, in split order.
    pub fn cell_mistakes(&self) -> Vec<&Mistake> {
        let (t, p) = self.cell;
        self.confusion
            .as_ref()
            .map_or_else(Vec::new, |c| c.mistakes_in(t, p).collect())
    }
}

/// What a key of the inspect screen does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectKey {
    /// Next / previous page.
    Page(i8),
    /// Move the selected cell.
    Cell(i8, i8),
    /// Jump to the cell confused most.
    Worst,
    /// Next / previous mistake of the cell.
    Mistake(i8),
    /// Make the selected mistake the probe and show its saliency.
    Choose,
    /// Back to the dashboard's probe digit on the saliency page.
    ToProbe,
    /// Validation set ↔ test set.
    Split,
    /// The filter page's time-lapse on / off.
    Lapse,
    /// The time-lapse's frame before / after.
    Scrub(i8),
    /// The time-lapse's first (`false`) or newest frame.
    ScrubEnd(bool),
}

use Action::Inspect as I;
use Group::Inspect as G;
use Key::{Char as C, Code};

/// The inspect screen's keys (modal: then `passes_through`).
#[rustfmt::skip]
pub static INSPECT_KEYS: &[Binding] = &[
    b(&[Code(KeyCode::Esc)], Action::Back, G, "back to the dashboard", Some("back")),
    b(&[Code(KeyCode::Tab)], I(InspectKey::Page(1)), G, "next / previous page", Some("page")),
    b(&[Code(KeyCode::BackTab)], I(InspectKey::Page(-1)), G, "previous page", None),
    b(&[Code(KeyCode::Up), C('k')], I(InspectKey::Cell(-1, 0)), G, "move the cell", Some("cell")),
    b(&[Code(KeyCode::Down), C('j')], I(InspectKey::Cell(1, 0)), G, "cell down", None),
    b(&[Code(KeyCode::Left), C('h')], I(InspectKey::Cell(0, -1)), G, "cell left", None),
    b(&[Code(KeyCode::Right), C('l')], I(InspectKey::Cell(0, 1)), G, "cell right", None),
    b(&[C('m')], I(InspectKey::Worst), G, "the cell confused most", Some("most")),
    b(&[C('n')], I(InspectKey::Mistake(1)), G, "next / previous wrong digit", Some("digit")),
    b(&[C('N')], I(InspectKey::Mistake(-1)), G, "previous wrong digit", None),
    b(&[Code(KeyCode::Enter)], I(InspectKey::Choose), G, "probe it / open the filter", Some("probe it")),
    b(&[C('p')], I(InspectKey::ToProbe), G, "saliency of the probe digit", Some("probe")),
    b(&[C('s')], I(InspectKey::Split), G, "validation set / test set", Some("split")),
    b(&[C('t')], I(InspectKey::Lapse), G, "time-lapse of the filters", Some("time-lapse")),
    b(&[C('[')], I(InspectKey::Scrub(-1)), G, "earlier / later frame", None),
    b(&[C(']')], I(InspectKey::Scrub(1)), G, "later frame", None),
    b(&[Code(KeyCode::Home)], I(InspectKey::ScrubEnd(false)), G, "first frame", None),
    b(&[Code(KeyCode::End)], I(InspectKey::ScrubEnd(true)), G, "newest frame", None),
];

/// The hint bar's pairs for `page`: the keys that do something there.
pub fn page_hints(page: Page) -> Vec<(String, &'static str)> {
    let on_page = |word: &str| match page {
        Page::Confusion => !["probe", "time-lapse"].contains(&word),
        Page::Saliency => {
            !["cell", "most", "digit", "probe it", "split", "time-lapse"].contains(&word)
        }
        Page::Filters => !["most", "digit", "probe", "split"].contains(&word),
        Page::Layers => ["back", "page"].contains(&word),
    };
    let mut hints: Vec<_> = super::keys::hints_of(INSPECT_KEYS)
        .into_iter()
        .filter(|(_, w)| on_page(w))
        .map(|(k, w)| match w {
            "cell" if page == Page::Filters => ("←↑↓→".to_string(), "filter"),
            "probe it" if page == Page::Filters => (k, "focus"),
            "cell" => ("←↑↓→".to_string(), w),
            "page" => ("Tab".to_string(), w),
            _ => (k, w),
        })
        .collect();
    if page == Page::Layers {
        let (down, up) = (layer_history::LR_DOWN, layer_history::LR_UP);
        hints.push((format!("{down}/{up}"), "lr"));
    }
    hints
}

/// The hint bar's pairs for the screen's state: `page_hints`, but in the time-lapse the
/// arrows move the scrubber.
pub fn hints(inspect: &Inspect) -> Vec<(String, &'static str)> {
    let mut pairs = page_hints(inspect.page);
    if inspect.page == Page::Filters && inspect.lapse.is_some() {
        for pair in &mut pairs {
            if pair.1 == "filter" {
                *pair = ("←→ [ ]".to_string(), "frame");
            }
        }
    }
    pairs
}

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

/// The inspect screen's body: the page strip, then the page.
pub fn render_inspect(
    app: &super::App,
    area: ratatui::layout::Rect,
    buf: &mut ratatui::buffer::Buffer,
) {
    if area.height < 2 {
        return;
    }
    pages::render_strip(app.inspect.page, app.colors, area, buf);
    let body = ratatui::layout::Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    match app.inspect.page {
        Page::Confusion => confusion_view::render_confusion(app, body, buf),
        Page::Saliency => saliency_view::render_saliency(app, body, buf),
        Page::Filters => match app.inspect.lapse {
            Some(scrub) => lapse_view::render_lapse(app, scrub, body, buf),
            None => filters_view::render_filters(app, body, buf),
        },
        Page::Layers => stats_view::render_layers(app, body, buf),
    }
}
