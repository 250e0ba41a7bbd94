//! The focus view: one map, filter or the probe digit full screen, with a cursor on a pixel;
//! for conv and pooling maps the microscope and the slide. This file holds its state and the
//! actions of its keys (`focus_keys`); `scene` resolves what it shows, `panels::focus` draws it.

use super::app::{App, Panel};
use super::focus_keys::{Dir, FOCUS_KEYS, FocusKey, passes_through};
use super::keys::{Action, action_in};
use super::scene::{Lens, Scene, resolve};
use super::slide::{DEFAULT_SPEED, SPEEDS, Slide};
use crate::nn::plan::LayerId;
use crate::train::messages::Command;
use crossterm::event::KeyEvent;
use std::time::Duration;

/// What the focus view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The probe digit.
    Input,
    /// One channel of a layer's output for the probe digit.
    Map { layer: LayerId, channel: usize },
    /// One filter of a conv block, all its input channels.
    Filter { block: usize, filter: usize },
}

/// The focus view's state.
#[derive(Debug, Clone, PartialEq)]
pub struct FocusView {
    pub target: Target,
    /// (row, column) of the picture; kept in range by every key that moves it.
    pub cursor: (usize, usize),
    /// The input channel whose K×K products the microscope details (deeper convs).
    pub channel: usize,
    /// Show that channel's K×K products (else the sum of each channel).
    pub details: bool,
    pub slide: Option<Slide>,
    /// Index into `slide::SPEEDS`.
    pub speed: usize,
    /// A time-lapse frame whose filters a filter target shows instead of the live weights.
    pub frame: Option<std::sync::Arc<super::timelapse::Frame>>,
}

impl FocusView {
    pub fn new(target: Target, cursor: (usize, usize)) -> FocusView {
        FocusView {
            target,
            cursor,
            channel: 0,
            details: false,
            slide: None,
            speed: DEFAULT_SPEED,
            frame: None,
        }
    }

    /// Slide speed in output positions a second.
    pub fn speed(&self) -> f32 {
        SPEEDS[self.speed.min(SPEEDS.len() - 1)]
    }
}

/// The strongest pixel of a picture: where a map responds most, where a cursor starts.
fn argmax(scene: &Scene) -> (usize, usize) {
    let mut best = ((0, 0), f32::NEG_INFINITY);
    for (at, &v) in scene.picture.indexed_iter() {
        if v > best.1 {
            best = (at, v);
        }
    }
    best.0
}

impl App {
    /// Open the focus view on `target`, the cursor on its strongest pixel; the dashboard's
    /// selection follows, so that stride and padding keys edit the block looked at.
    pub fn open_focus(&mut self, target: Target) {
        let cursor = resolve(self, target).map_or((0, 0), |s| argmax(&s));
        self.focus_view = Some(FocusView::new(target, cursor));
        self.follow_target(target);
    }

    /// Enter on the dashboard: the filter in the filters panel, the digit in the prediction
    /// panel, else the selected block's conv map of the selected filter.
    pub fn open_selected(&mut self) {
        let target = match self.focus {
            Panel::Filters => Target::Filter {
                block: self.selected_block,
                filter: self.selected_filter,
            },
            Panel::Prediction => Target::Input,
            _ => Target::Map {
                layer: LayerId::conv(self.selected_block),
                channel: self.selected_filter,
            },
        };
        self.open_focus(target);
    }

    /// Esc: close the help, else the focus view; it never quits, and says so when there is
    /// nothing to close.
    pub fn back(&mut self) {
        if !std::mem::take(&mut self.help) && self.focus_view.take().is_none() {
            let msg = "nothing to close: q quits".to_string();
            self.set_banner(super::app::BannerKind::Info, msg);
        }
    }

    pub(super) fn follow_target(&mut self, target: Target) {
        match target {
            Target::Map { layer, channel } => {
                if let Some(b) = layer.block() {
                    self.select(Some(b), Some(channel));
                }
            }
            Target::Filter { block, filter } => self.select(Some(block), Some(filter)),
            Target::Input => {}
        }
    }

    /// A key in the focus view: its own table first, then the dashboard keys that pass.
    pub(super) fn on_focus_key(&mut self, key: &KeyEvent) -> Vec<Command> {
        match action_in(FOCUS_KEYS, key).or_else(|| super::keys::action_for(key)) {
            Some(Action::Back) => {
                // Back on the inspect screen's filter page, on the filter paged to.
                if let Some(Target::Filter { block, filter }) =
                    self.focus_view.as_ref().map(|v| v.target)
                    && self.screen == super::screen::Screen::Inspect
                {
                    self.inspect.filter = (block, filter);
                }
                self.back();
                Vec::new()
            }
            Some(Action::Focus(k)) => {
                self.focus_act(k);
                Vec::new()
            }
            Some(a) if passes_through(a) => self.act(a),
            _ => Vec::new(),
        }
    }

    /// One action of the focus view's table.
    pub fn focus_act(&mut self, key: FocusKey) {
        if self.focus_view.is_none() {
            return;
        }
        match key {
            FocusKey::Cursor(dir) => self.move_cursor(dir),
            FocusKey::MapPrev | FocusKey::MapNext => self.step_map(key == FocusKey::MapNext),
            FocusKey::LayerPrev | FocusKey::LayerNext => {
                self.step_layer(key == FocusKey::LayerNext)
            }
            FocusKey::ChannelNext | FocusKey::ChannelPrev => {
                let n = self.input_channels();
                let delta = if key == FocusKey::ChannelNext {
                    1
                } else {
                    n - 1
                };
                self.edit_view(|v| v.channel = (v.channel.min(n - 1) + delta) % n);
            }
            FocusKey::Details => self.edit_view(|v| v.details = !v.details),
            FocusKey::Slide => self.toggle_slide(),
            FocusKey::Slower => self.edit_view(|v| v.speed = v.speed.saturating_sub(1)),
            FocusKey::Faster => self.edit_view(|v| v.speed = (v.speed + 1).min(SPEEDS.len() - 1)),
        }
    }

    fn edit_view(&mut self, f: impl FnOnce(&mut FocusView)) {
        if let Some(v) = self.focus_view.as_mut() {
            f(v);
        }
    }

    /// The conv input's channel count in the focus view (1 without a conv).
    fn input_channels(&self) -> usize {
        let Some(view) = &self.focus_view else {
            return 1;
        };
        match resolve(self, view.target).map(|s| s.lens) {
            Ok(Lens::Conv(c)) => c.input.dim().0.max(1),
            _ => 1,
        }
    }

    /// Put the cursor on pixel (row, column) of the picture, kept in range; a slide stops.
    pub fn set_cursor(&mut self, (r, c): (usize, usize)) {
        let Some(view) = &self.focus_view else {
            return;
        };
        let (h, w) = resolve(self, view.target).map_or((1, 1), |s| s.dim());
        self.edit_view(|v| {
            v.cursor = (r.min(h.saturating_sub(1)), c.min(w.saturating_sub(1)));
            v.slide = None;
        });
    }

    /// One pixel in `dir`, from the cursor as shown: kept inside the newest picture, which
    /// may have shrunk since the cursor was put there.
    fn move_cursor(&mut self, dir: Dir) {
        let Some(view) = &self.focus_view else {
            return;
        };
        let (h, w) = resolve(self, view.target).map_or((1, 1), |s| s.dim());
        let (r, c) = view.cursor;
        let (r, c) = (r.min(h.saturating_sub(1)), c.min(w.saturating_sub(1)));
        let at = match dir {
            Dir::Left => (r, c.saturating_sub(1)),
            Dir::Right => (r, c + 1),
            Dir::Up => (r.saturating_sub(1), c),
            Dir::Down => (r + 1, c),
        };
        self.set_cursor(at);
    }

    /// The slide of a conv or pooling map: start, pause, resume or restart.
    fn toggle_slide(&mut self) {
        let Some(view) = &self.focus_view else {
            return;
        };
        let scene = resolve(self, view.target).ok();
        let slides = scene
            .as_ref()
            .is_some_and(|s| matches!(s.lens, Lens::Conv(_) | Lens::Pool(_)));
        let total = scene.map_or(0, |s| s.picture.len());
        if !slides {
            let msg = "the slide is for conv and pooling maps: ↑ ↓ to one".to_string();
            self.set_banner(super::app::BannerKind::Info, msg);
            return;
        }
        self.edit_view(|v| match v.slide.as_mut() {
            Some(s) => s.toggle(total),
            None => v.slide = Some(Slide::start()),
        });
        self.follow_slide();
    }

    /// Is something moving on screen? The event loop then sends `Event::Tick`s.
    pub fn animating(&self) -> bool {
        self.focus_view
            .as_ref()
            .and_then(|v| v.slide)
            .is_some_and(|s| s.playing)
    }

    /// Time passed: a playing slide advances and the cursor goes with it.
    pub fn tick(&mut self, dt: Duration) {
        let Some(view) = &self.focus_view else {
            return;
        };
        let total = resolve(self, view.target).map_or(0, |s| s.picture.len());
        let speed = view.speed();
        self.edit_view(|v| {
            if let Some(s) = v.slide.as_mut() {
                s.advance(dt, speed, total);
            }
        });
        self.follow_slide();
    }

    /// The cursor on the slide's current position.
    fn follow_slide(&mut self) {
        let Some(view) = &self.focus_view else {
            return;
        };
        let Some(slide) = view.slide else {
            return;
        };
        let (h, w) = resolve(self, view.target).map_or((1, 1), |s| s.dim());
        let at = slide.current(h * w);
        self.edit_view(|v| v.cursor = (at / w.max(1), at % w.max(1)));
    }
}
