//! Moving the focus view between pictures: the neighbouring map or filter of the same layer
//! (← →), the layer before or after (↑ ↓). The cursor keeps its place, scaled to the new
//! picture's size, so that a pixel can be followed through the layers.

use super::app::App;
use super::focus::Target;
use super::layout::focus_pixel_at;
use super::scene::resolve;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

impl App {
    /// A click puts the cursor on a pixel (of the map, or the window around it on the
    /// input); the wheel steps through the layer's maps.
    pub(super) fn on_focus_mouse(&mut self, mouse: &MouseEvent) {
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(at) = focus_pixel_at(self, mouse.column, mouse.row) {
                    self.set_cursor(at);
                }
            }
            MouseEventKind::ScrollDown => self.step_map(true),
            MouseEventKind::ScrollUp => self.step_map(false),
            _ => {}
        }
    }

    /// The next (or previous) map of the layer or filter of the block, wrapping around.
    pub(super) fn step_map(&mut self, next: bool) {
        let Some(target) = self.focus_view.as_ref().map(|v| v.target) else {
            return;
        };
        let Ok(scene) = resolve(self, target) else {
            return;
        };
        let n = scene.count.max(1);
        let i = if next {
            (scene.index + 1) % n
        } else {
            (scene.index + n - 1) % n
        };
        let new = match target {
            Target::Map { layer, .. } => Target::Map { layer, channel: i },
            Target::Filter { block, .. } => Target::Filter { block, filter: i },
            Target::Input => Target::Input,
        };
        self.retarget(new);
    }

    /// The layer after (or before) in the network: input, conv1, relu1, pool1, conv2…; for
    /// a filter, the next block's filter. It stops at either end.
    pub(super) fn step_layer(&mut self, next: bool) {
        let Some(target) = self.focus_view.as_ref().map(|v| v.target) else {
            return;
        };
        let Some(snap) = self.snapshot.as_deref() else {
            return;
        };
        let new = match target {
            Target::Filter { block, filter } => {
                let frame = self.focus_view.as_ref().and_then(|v| v.frame.as_ref());
                let layers = frame.map_or(snap.filters.len(), |f| f.filters.len());
                let last = layers.saturating_sub(1);
                let b = if next {
                    (block + 1).min(last)
                } else {
                    block.saturating_sub(1)
                };
                Target::Filter { block: b, filter }
            }
            Target::Input | Target::Map { .. } => {
                let mut seq = vec![Target::Input];
                let channel = match target {
                    Target::Map { channel, .. } => channel,
                    _ => self.selected_filter,
                };
                seq.extend(snap.feature_maps.iter().map(|fm| Target::Map {
                    layer: fm.id,
                    channel,
                }));
                let i = seq.iter().position(|&t| t == target).unwrap_or(0);
                let j = if next {
                    (i + 1).min(seq.len() - 1)
                } else {
                    i.saturating_sub(1)
                };
                seq[j]
            }
        };
        self.retarget(new);
    }

    /// Show `new` instead, the cursor scaled to its size; a slide stops.
    fn retarget(&mut self, new: Target) {
        let Some(view) = self.focus_view.as_ref() else {
            return;
        };
        let old = resolve(self, view.target).map_or((1, 1), |s| s.dim());
        let (h, w) = resolve(self, new).map_or((1, 1), |s| s.dim());
        let (r, c) = view.cursor;
        let scale =
            |x: usize, from: usize, to: usize| (x * to / from.max(1)).min(to.saturating_sub(1));
        let cursor = (scale(r, old.0, h), scale(c, old.1, w));
        if let Some(v) = self.focus_view.as_mut() {
            v.target = new;
            v.cursor = cursor;
            v.slide = None;
        }
        self.follow_target(new);
    }
}
