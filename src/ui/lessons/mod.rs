//! Lessons (key 5): the lecture in order. Each lesson sets up its screen and, if it says so,
//! the network that trains well; a card at the bottom of every screen shows its task while it
//! runs (the screens' own keys keep working, so the task can be done where it is); a pure
//! predicate (`checks`) notices when the task is done, and the lessons screen then offers the
//! next one. The texts are in `assets/lessons.md`, compiled in.

pub mod checks;
pub mod parse;
pub mod view;

use super::app::{App, BannerKind};
use super::keys::{Action, Binding, Group, Key, b};
use super::screen::Screen;
use crate::config::{Arch, Hyper};
use crate::train::messages::Command;
use checks::{Start, is_done};
use crossterm::event::{KeyCode, KeyEvent};
use parse::{Lesson, LessonError};

/// The lessons file, as compiled in.
pub const LESSONS_FILE: &str = include_str!("../../../assets/lessons.md");

/// The lessons' state: the list, the one chosen on the lessons screen, the one running.
#[derive(Debug, Clone, PartialEq)]
pub struct Lessons {
    /// The lessons, or why the file could not be read.
    pub list: Result<Vec<Lesson>, LessonError>,
    pub selected: usize,
    /// The lesson running and what its predicate compares with.
    pub running: Option<(usize, Start)>,
    /// Lessons whose task was done.
    pub done: Vec<bool>,
}

impl Default for Lessons {
    fn default() -> Lessons {
        Lessons::from_source(LESSONS_FILE)
    }
}

impl Lessons {
    pub fn from_source(source: &str) -> Lessons {
        let list = parse::parse(source);
        let n = list.as_ref().map_or(0, Vec::len);
        Lessons {
            list,
            selected: 0,
            running: None,
            done: vec![false; n],
        }
    }

    pub fn len(&self) -> usize {
        self.done.len()
    }

    pub fn is_empty(&self) -> bool {
        self.done.is_empty()
    }

    pub fn lesson(&self, i: usize) -> Option<&Lesson> {
        self.list.as_ref().ok()?.get(i)
    }

    /// The running lesson and whether its task is done.
    pub fn current(&self) -> Option<(usize, &Lesson, bool)> {
        let (i, _) = self.running.as_ref()?;
        Some((*i, self.lesson(*i)?, self.done[*i]))
    }
}

/// What a key of the lessons screen does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonKey {
    /// The previous / next lesson in the list.
    Select(i8),
    /// Start the selected lesson.
    Start,
}

use Action::Lesson as Ls;
use Group::Lessons as G;
use Key::{Char as C, Code};

/// The lessons screen's keys (modal: then the keys every screen shares, and `R`).
#[rustfmt::skip]
pub static LESSON_KEYS: &[Binding] = &[
    b(&[Code(KeyCode::Esc)], Action::Back, G, "back to the dashboard", Some("back")),
    b(&[Code(KeyCode::Up), C('k')], Ls(LessonKey::Select(-1)), G, "previous / next lesson", Some("choose")),
    b(&[Code(KeyCode::Down), C('j')], Ls(LessonKey::Select(1)), G, "next lesson", None),
    b(&[Code(KeyCode::Enter)], Ls(LessonKey::Start), G, "start the lesson", Some("start")),
];

/// The hyperparameters that train well, keeping the run's seed, schedule and split.
fn good_hyper(current: &Hyper) -> Hyper {
    let d = Hyper::default();
    Hyper {
        lr: d.lr,
        momentum: d.momentum,
        weight_decay: d.weight_decay,
        batch: d.batch,
        ..*current
    }
}

impl App {
    /// A key while the lessons screen is shown.
    pub(super) fn on_lessons_key(&mut self, key: &KeyEvent) -> Vec<Command> {
        let action =
            super::keys::action_in(LESSON_KEYS, key).or_else(|| super::keys::action_for(key));
        match action {
            Some(Action::Back) => self.show(Screen::Dashboard),
            Some(Action::Lesson(LessonKey::Select(d))) => {
                let n = self.lessons.len().max(1) as i64;
                self.lessons.selected =
                    (self.lessons.selected as i64 + i64::from(d)).rem_euclid(n) as usize;
                Vec::new()
            }
            Some(Action::Lesson(LessonKey::Start)) => self.start_lesson(self.lessons.selected),
            Some(a) if super::inspect::passes_through(a) || a == Action::Restore => self.act(a),
            _ => Vec::new(),
        }
    }

    /// `R`: the default architecture and the hyperparameters that train well (after a
    /// divergence, from the initial weights first).
    pub fn restore(&mut self) -> Vec<Command> {
        let arch = Arch::default();
        let hyper = good_hyper(&self.hyper);
        let mut commands = Vec::new();
        if self.diverged.is_some() {
            commands.push(Command::Reset);
        }
        if self.shown_arch() != &arch {
            self.pending_arch = Some(arch.clone());
            commands.push(Command::SetArch(arch));
        }
        self.selected_block = 0;
        self.selected_filter = 0;
        self.hyper = hyper;
        commands.push(Command::SetHyper(hyper));
        self.set_banner(
            BannerKind::Info,
            "restored: the default network and settings (R)".into(),
        );
        commands
    }

    /// Start lesson `i`: its screen, its network, its start state.
    pub fn start_lesson(&mut self, i: usize) -> Vec<Command> {
        let Some(lesson) = self.lessons.lesson(i).cloned() else {
            return Vec::new();
        };
        let mut commands = if lesson.restore {
            self.restore()
        } else {
            Vec::new()
        };
        let arch = self.shown_arch().clone();
        self.lessons.selected = i;
        self.lessons.done[i] = false;
        self.lessons.running = Some((i, Start::of(self, arch)));
        commands.extend(self.show(lesson.screen));
        let n = self.lessons.len();
        self.set_banner(
            BannerKind::Info,
            format!("lesson {}/{n}: {}", i + 1, lesson.title),
        );
        commands
    }

    /// After every event: has the running lesson's task been done? Then say so, and choose
    /// the next lesson on the lessons screen.
    pub fn check_lesson(&mut self) {
        let Some((i, start)) = self.lessons.running.as_ref() else {
            return;
        };
        let i = *i;
        let Some(lesson) = self.lessons.lesson(i) else {
            return;
        };
        if self.lessons.done[i] || !is_done(lesson.check, start, self) {
            return;
        }
        self.lessons.done[i] = true;
        let n = self.lessons.len();
        let text = if i + 1 < n {
            self.lessons.selected = i + 1;
            format!(
                "lesson {}/{n} done! press 5, then Enter, for the next",
                i + 1
            )
        } else {
            format!("lesson {n}/{n} done: that was the last lesson")
        };
        self.set_banner(BannerKind::Info, text);
    }
}
