//! Key, mouse and resize events applied to the `App`. Keys go through the one key table.

use super::app::{App, BannerKind, Panel, WorkerState};
use super::edit;
use super::focus::Target;
use super::keys::{Action, Field, action_for};
use super::layout::{Hit, hit_test, screen_at};
use super::screen::Screen;
use crate::config::Arch;
use crate::train::messages::Command;
use crossterm::event::{
    Event as Input, KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind,
};

impl App {
    pub(super) fn on_input(&mut self, input: &Input) -> Vec<Command> {
        match input {
            Input::Key(key) => self.on_key(key),
            Input::Mouse(mouse) => self.on_mouse(mouse),
            Input::Resize(w, h) => {
                self.size = (*w, *h);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// One key press.
    pub fn on_key(&mut self, key: &KeyEvent) -> Vec<Command> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        if self.keep.asking {
            return self.on_quit_question(key);
        }
        if super::keep::is_ctrl_c(key) {
            return self.quit_now();
        }
        if self.typing.is_some() {
            return self.on_typing(key);
        }
        if self.help && matches!(key.code, KeyCode::Esc) {
            self.help = false;
            return Vec::new();
        }
        if self.focus_view.is_some() {
            return self.on_focus_key(key);
        }
        match self.screen {
            Screen::Inspect => return self.on_inspect_key(key),
            Screen::Compare => return self.on_compare_key(key),
            Screen::Lessons => return self.on_lessons_key(key),
            Screen::Labs => return self.on_labs_key(key),
            Screen::Dashboard => {}
        }
        match action_for(key) {
            Some(action) => self.act(action),
            None => Vec::new(),
        }
    }

    /// Digits of a probe index; Enter chooses, Esc cancels.
    fn on_typing(&mut self, key: &KeyEvent) -> Vec<Command> {
        let Some(text) = self.typing.as_mut() else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Char(c) if c.is_ascii_digit() && text.len() < 9 => text.push(c),
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Esc => self.typing = None,
            KeyCode::Enter => {
                let text = self.typing.take().unwrap_or_default();
                return match text.parse::<usize>() {
                    Ok(i) if i < self.test_len => self.set_probe(i),
                    _ => {
                        let msg = format!(
                            "no test image #{text}: choose 0 to {}",
                            self.test_len.saturating_sub(1)
                        );
                        self.set_banner(BannerKind::Warning, msg);
                        Vec::new()
                    }
                };
            }
            _ => {}
        }
        Vec::new()
    }

    /// Perform one action of the key table.
    pub fn act(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::Quit => self.quit_or_ask(),
            Action::SaveCheckpoint => self.save_checkpoint(),
            Action::ExportMetrics => self.export_metrics(),
            Action::ExportPicture => self.export_picture(),
            Action::Help => {
                self.help = !self.help;
                Vec::new()
            }
            Action::Screen(screen) => self.show(screen),
            Action::Restore => self.restore(),
            Action::PauseResume => self.pause_resume(),
            Action::Step => self
                .refuse_if_diverged()
                .unwrap_or_else(|| self.when_alive(|_| vec![Command::Step])),
            Action::Reset => self.reset(),
            Action::FocusNext | Action::FocusPrev => {
                let n = Panel::ALL.len();
                let delta = if action == Action::FocusNext {
                    1
                } else {
                    n - 1
                };
                self.focus = Panel::ALL[(self.focus.index() + delta) % n];
                Vec::new()
            }
            Action::Glyphs => {
                let next = self.glyphs.next(self.colors);
                if next == self.glyphs {
                    let why = "without colours only ASCII glyphs keep a map's picture and its sign";
                    self.set_banner(BannerKind::Info, why.into());
                }
                self.glyphs = next;
                Vec::new()
            }
            Action::Normalise => {
                self.per_layer = !self.per_layer;
                Vec::new()
            }
            Action::Open => {
                self.open_selected();
                Vec::new()
            }
            Action::Back => {
                self.back();
                Vec::new()
            }
            _ if super::tempo::is_tempo(action) => self.act_tempo(action),
            _ => self.act_selection(action),
        }
    }

    fn act_selection(&mut self, action: Action) -> Vec<Command> {
        let len = self.test_len.max(1);
        match action {
            Action::ProbeNext => self.set_probe((self.probe + 1) % len),
            Action::ProbePrev => self.set_probe((self.probe + len - 1) % len),
            Action::ProbeRandom => {
                let r = self.next_random() as usize % len;
                self.set_probe(r)
            }
            Action::MisclassifiedNext | Action::MisclassifiedPrev => {
                let forward = action == Action::MisclassifiedNext;
                self.when_alive(|app| {
                    vec![Command::FindMisclassified {
                        from: app.probe,
                        forward,
                    }]
                })
            }
            Action::ProbeType => {
                self.typing = Some(String::new());
                Vec::new()
            }
            Action::BlockPrev | Action::BlockNext => {
                let n = self.shown_arch().blocks.len().max(1);
                let delta = if action == Action::BlockNext {
                    1
                } else {
                    n - 1
                };
                self.select(Some((self.selected_block + delta) % n), None);
                Vec::new()
            }
            Action::FilterPrev | Action::FilterNext => {
                let n = self
                    .shown_arch()
                    .blocks
                    .get(self.selected_block)
                    .map_or(1, |b| b.filters.max(1));
                let delta = if action == Action::FilterNext {
                    1
                } else {
                    n - 1
                };
                self.select(None, Some((self.selected_filter + delta) % n));
                Vec::new()
            }
            _ => self.act_edit(action),
        }
    }

    fn act_edit(&mut self, action: Action) -> Vec<Command> {
        let i = self.selected_block;
        let arch = self.shown_arch();
        let edited = match action {
            Action::Adjust(f @ (Field::Lr | Field::Momentum | Field::Batch), up) => {
                return match edit::adjust_hyper(&self.hyper, f, up) {
                    Ok((hyper, msg)) => {
                        self.hyper = hyper;
                        self.set_banner(BannerKind::Info, msg);
                        vec![Command::SetHyper(hyper)]
                    }
                    Err(msg) => self.refuse(msg),
                };
            }
            _ if self.diverged.is_some() => {
                return self.refuse_if_diverged().unwrap_or_default();
            }
            Action::Adjust(field, up) => edit::adjust_block(arch, i, field, up),
            Action::CyclePool => {
                edit::cycle_pool(arch, i).ok_or_else(|| "no such block".to_string())
            }
            Action::AddBlock => Ok(edit::add_block(arch, i)),
            Action::RemoveBlock => Ok(edit::remove_block(arch, i)),
            _ => return Vec::new(),
        };
        match edited {
            Ok((arch, msg)) => self.propose_arch(arch, msg, action == Action::AddBlock),
            Err(msg) => self.refuse(msg),
        }
    }

    /// Check an edited architecture; send it if it can be built (it is pending until the
    /// worker confirms or refuses it), else say why not.
    fn propose_arch(&mut self, arch: Arch, msg: String, added: bool) -> Vec<Command> {
        if let Err(e) = arch.plan() {
            return self.refuse(edit::refusal(&msg, &e));
        }
        self.pending_arch = Some(arch.clone());
        if added {
            // The selection moves to the new block, at its first filter.
            self.select(Some(self.selected_block + 1), None);
        }
        self.clamp_selection();
        self.set_banner(BannerKind::Info, format!("{msg}: rebuilding…"));
        vec![Command::SetArch(arch)]
    }

    pub(super) fn refuse(&mut self, msg: String) -> Vec<Command> {
        self.set_banner(BannerKind::Warning, msg);
        Vec::new()
    }

    /// Pause or resume; the status line changes when the worker says it did.
    fn pause_resume(&mut self) -> Vec<Command> {
        if self.worker == WorkerState::Paused
            && let Some(refusal) = self.refuse_if_diverged()
        {
            return refusal;
        }
        self.when_alive(|app| {
            if app.worker == WorkerState::Paused {
                vec![Command::Resume]
            } else {
                vec![Command::Pause]
            }
        })
    }

    fn when_alive(&mut self, f: impl FnOnce(&mut App) -> Vec<Command>) -> Vec<Command> {
        if self.worker.is_alive() {
            f(self)
        } else {
            self.refuse("the training worker has stopped: press r to start a new one".into())
        }
    }

    /// Reset the weights; for a dead worker the event loop starts a new one on `Reset`.
    fn reset(&mut self) -> Vec<Command> {
        self.history.restart();
        self.diverged = None;
        self.last_step = None;
        self.last_validation = None;
        self.last_test = None;
        // The worker drops the edits queued before a reset (see `train::intake`); one it
        // already took comes back as `Rebuilt` and is confirmed then.
        self.pending_arch = None;
        self.clamp_selection();
        self.keep.saved_at = None;
        let msg = if self.worker.is_alive() {
            "reset: initial weights of the same seed"
        } else {
            "starting a new training worker"
        };
        self.set_banner(BannerKind::Info, msg.into());
        let mut cmds = vec![Command::Reset];
        // A new worker starts without the baseline: ask it again if its screen was shown.
        if !self.worker.is_alive() && self.compare.baseline_asked {
            cmds.push(Command::StartBaseline);
        }
        cmds
    }

    fn set_probe(&mut self, i: usize) -> Vec<Command> {
        if self.test_len == 0 {
            return Vec::new();
        }
        self.probe = i.min(self.test_len - 1);
        vec![Command::Probe(self.probe)]
    }

    /// Select a block and/or a filter, keeping both in range.
    pub fn select(&mut self, block: Option<usize>, filter: Option<usize>) {
        if let Some(b) = block {
            if b != self.selected_block {
                self.selected_filter = 0;
            }
            self.selected_block = b;
        }
        if let Some(f) = filter {
            self.selected_filter = f;
        }
        self.clamp_selection();
    }

    fn on_mouse(&mut self, mouse: &MouseEvent) -> Vec<Command> {
        if mouse.kind == MouseEventKind::Down(MouseButton::Left)
            && let Some(screen) = screen_at(self, mouse.column, mouse.row)
        {
            return self.show(screen);
        }
        // The focus view opened from the inspect screen takes its clicks.
        if self.focus_view.is_some() && self.screen == Screen::Inspect {
            self.on_focus_mouse(mouse);
            return Vec::new();
        }
        if self.screen == Screen::Labs {
            return self.on_labs_mouse(mouse);
        }
        if self.screen == Screen::Inspect {
            return self.on_inspect_mouse(mouse);
        }
        if self.screen != Screen::Dashboard {
            return Vec::new();
        }
        if self.focus_view.is_some() {
            self.on_focus_mouse(mouse);
            return Vec::new();
        }
        let hit = hit_test(self, mouse.column, mouse.row);
        match (mouse.kind, hit) {
            (MouseEventKind::Down(MouseButton::Left), Some(hit)) => self.on_click(hit),
            (MouseEventKind::ScrollDown, Some(Hit::Panel(Panel::Filters) | Hit::Filter { .. })) => {
                return self.act(Action::FilterNext);
            }
            (MouseEventKind::ScrollUp, Some(Hit::Panel(Panel::Filters) | Hit::Filter { .. })) => {
                return self.act(Action::FilterPrev);
            }
            _ => {}
        }
        Vec::new()
    }

    fn on_click(&mut self, hit: Hit) {
        match hit {
            Hit::Panel(p) => self.focus = p,
            Hit::Block(b) => {
                self.focus = Panel::Ledger;
                self.select(Some(b), None);
            }
            Hit::Filter { block, filter } => {
                // A click on the selected filter opens it; on another one selects it.
                let selected = (self.selected_block, self.selected_filter) == (block, filter);
                self.focus = Panel::Filters;
                self.select(Some(block), Some(filter));
                if selected {
                    self.open_focus(Target::Filter { block, filter });
                }
            }
            Hit::Map(layer, channel) => {
                self.focus = Panel::Maps;
                let target = match layer {
                    Some(layer) => Target::Map { layer, channel },
                    None => Target::Input,
                };
                self.open_focus(target);
            }
        }
    }
}
