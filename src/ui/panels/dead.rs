//! Dead filters in the filters panel: the last filter scan (the inspect screen's filter page
//! asks for it) says which filters are (almost) never active on the validation sample; the
//! panel marks them ✗ (x in ASCII) beside their tiles and says how old the scan is.

use crate::number::thousands;
use crate::ui::app::App;
use crate::ui::inspect::filters_view::DEAD_BELOW;
use crate::ui::widgets::heatmap::Glyphs;

/// The dead filters of the network shown, from the last scan.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadFilters {
    /// The step of the weights scanned.
    pub step: usize,
    /// (conv layer, filter) of each dead filter.
    pub dead: Vec<(usize, usize)>,
}

impl DeadFilters {
    pub fn contains(&self, block: usize, filter: usize) -> bool {
        self.dead.contains(&(block, filter))
    }
}

/// The last scan's dead filters, if it scanned a network of the shown filters' shapes (a
/// scan of the network before an edit says nothing of this one).
pub fn dead_filters(app: &App) -> Option<DeadFilters> {
    let scan = app.inspect.filters.as_ref()?;
    let snap = app.snapshot.as_ref()?;
    let same = scan.layers.len() == snap.filters.len()
        && scan
            .layers
            .iter()
            .zip(&snap.filters)
            .all(|(l, w)| l.filters.len() == w.dim().0);
    if !same {
        return None;
    }
    let dead = scan
        .layers
        .iter()
        .enumerate()
        .flat_map(|(l, layer)| {
            let dead = layer.filters.iter().enumerate();
            dead.filter(|(_, f)| f.active < DEAD_BELOW)
                .map(move |(f, _)| (l, f))
        })
        .collect();
    Some(DeadFilters {
        step: scan.step,
        dead,
    })
}

/// The mark beside a dead filter.
pub fn cross(glyphs: Glyphs) -> char {
    if glyphs == Glyphs::Ascii { 'x' } else { '✗' }
}

/// The panel's line about them, e.g. "✗ dead: conv2 #7 #12 · scan of step 1,200, now 3,400";
/// `None` when the scan found none.
pub fn dead_line(app: &App) -> Option<String> {
    let found = dead_filters(app).filter(|d| !d.dead.is_empty())?;
    let mut text = format!("{} dead:", cross(app.glyphs));
    let mut layer = usize::MAX;
    for &(l, f) in &found.dead {
        if l != layer {
            text.push_str(&format!(" conv{}", l + 1));
            layer = l;
        }
        text.push_str(&format!(" #{}", f + 1));
    }
    let now = app.snapshot.as_ref().map_or(found.step, |s| s.step);
    text.push_str(&format!(" · scan of step {}", thousands(found.step)));
    if now > found.step {
        text.push_str(&format!(", now {}", thousands(now)));
    }
    Some(text)
}
