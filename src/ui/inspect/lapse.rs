//! The filter page's time-lapse mode (`t`): the frames of `ui::timelapse` recorded from the
//! snapshots, a scrubber to move through them (← → or [ ], Home / End, a click on its bar),
//! and Enter to open the scrubbed filters in the focus view. Drawn by `lapse_view`.

use super::Page;
use crate::train::messages::Snapshot;
use crate::ui::app::App;
use crate::ui::focus::Target;
use crate::ui::timelapse::{Frame, Timelapse};
use std::sync::Arc;

/// The scrubber's place: the step of the frame looked at, or the newest frame, following
/// training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scrub {
    Newest,
    At(usize),
}

/// The frame `scrub` stands on: the last one at or before its step (the first when thinning
/// dropped all those), with its index.
pub fn frame_at(lapse: &Timelapse, scrub: Scrub) -> Option<(usize, &Arc<Frame>)> {
    let frames = lapse.frames();
    let i = match scrub {
        Scrub::Newest => frames.len().checked_sub(1)?,
        Scrub::At(step) => frames
            .iter()
            .rposition(|f| f.step <= step)
            .unwrap_or(0)
            .min(frames.len().checked_sub(1)?),
    };
    Some((i, &frames[i]))
}

/// The scrubber's place after moving `delta` frames from frame `i` of `n` (kept in range):
/// the newest frame follows training.
pub fn moved(lapse: &Timelapse, i: usize, delta: isize) -> Scrub {
    let n = lapse.frames().len();
    let j = (i as isize + delta).clamp(0, n.saturating_sub(1) as isize) as usize;
    if j + 1 >= n {
        Scrub::Newest
    } else {
        Scrub::At(lapse.frames()[j].step)
    }
}

impl App {
    /// A snapshot's filters join the time-lapse, with the smoothed loss of its step.
    pub(in crate::ui) fn record_frame(&mut self, snap: &Snapshot) {
        let step = snap.step as f64;
        let loss = self
            .history
            .smoothed
            .points_from(step - 1000.0)
            .into_iter()
            .rfind(|p| p.0 <= step)
            .map(|p| p.1);
        self.timelapse.record(Frame {
            step: snap.step,
            loss,
            filters: snap.filters.clone(),
        });
    }

    /// Time-lapse on / off, on the filter page.
    pub(super) fn toggle_lapse(&mut self) {
        self.inspect.page = Page::Filters;
        self.inspect.lapse = match self.inspect.lapse {
            Some(_) => None,
            None => Some(Scrub::Newest),
        };
    }

    /// Move the scrubber `delta` frames; `None`: to the first (`false`) or newest frame.
    pub(super) fn scrub(&mut self, delta: Option<isize>, newest: bool) {
        let Some(scrub) = self.inspect.lapse else {
            return;
        };
        let Some((i, _)) = frame_at(&self.timelapse, scrub) else {
            return;
        };
        self.inspect.lapse = Some(match (delta, newest) {
            (Some(d), _) => moved(&self.timelapse, i, d),
            (None, true) => Scrub::Newest,
            (None, false) => moved(&self.timelapse, 0, 0),
        });
    }

    /// ↑ ↓ in the time-lapse: the deeper layer's filter before / after, its row scrolled
    /// into view and the one Enter opens (conv1's when there is no deeper layer).
    pub(super) fn lapse_filter(&mut self, delta: isize) {
        let Some(counts) = self
            .snapshot
            .as_ref()
            .map(|s| s.filters.iter().map(|w| w.dim().0).collect::<Vec<_>>())
        else {
            return;
        };
        let block = self
            .selected_block
            .max(1)
            .min(counts.len().saturating_sub(1));
        let n = counts.get(block).map_or(1, |&c| c.max(1)) as isize;
        let current = if self.selected_block == block {
            self.selected_filter as isize
        } else {
            -1
        };
        let f = (current + delta).rem_euclid(n) as usize;
        self.select(Some(block), Some(f));
        self.inspect.filter = (block, f);
    }

    /// Enter on the filter page: the chosen filter in the focus view, ← → paging through
    /// its layer's filters; in time-lapse mode, the scrubbed frame's weights, not the live.
    pub(super) fn open_filter_focus(&mut self) {
        let (block, filter) = match &self.inspect.filters {
            Some(scan) => super::filters_view::selected(self, scan),
            None => self.inspect.filter,
        };
        let frame = self
            .inspect
            .lapse
            .and_then(|s| frame_at(&self.timelapse, s))
            .map(|(_, f)| Arc::clone(f));
        let layers = frame
            .as_ref()
            .map(|f| f.filters.len())
            .or_else(|| self.snapshot.as_ref().map(|s| s.filters.len()))
            .unwrap_or(0);
        if block >= layers {
            return;
        }
        self.open_focus(Target::Filter { block, filter });
        if let Some(v) = self.focus_view.as_mut() {
            v.frame = frame;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array4;

    fn lapse(steps: &[usize]) -> Timelapse {
        let mut t = Timelapse::default();
        for &step in steps {
            t.record(Frame {
                step,
                loss: None,
                filters: vec![Array4::zeros((2, 1, 3, 3))],
            });
        }
        t
    }

    #[test]
    fn the_scrubber_finds_its_frame_and_stays_in_range() {
        let t = lapse(&[0, 10, 20, 30]);
        assert_eq!(frame_at(&t, Scrub::Newest).map(|f| f.0), Some(3));
        assert_eq!(frame_at(&t, Scrub::At(25)).map(|f| f.0), Some(2));
        assert_eq!(frame_at(&t, Scrub::At(0)).map(|f| f.0), Some(0));
        assert_eq!(moved(&t, 2, -5), Scrub::At(0));
        assert_eq!(moved(&t, 1, 1), Scrub::At(20));
        assert_eq!(moved(&t, 2, 1), Scrub::Newest);
        assert_eq!(frame_at(&Timelapse::default(), Scrub::Newest), None);
    }
}
