//! The keys for following training at a class's pace: the pace (`t`/`T`), the rewind after a
//! divergence (`u`), and how the chart shows the history: log or linear loss (`y`), fitted or
//! full accuracy axis (`Y`), the window of steps (`h`/`H`) and the pinned comparison (`c`).

use super::app::{App, BannerKind};
use super::history::pinned::Pinned;
use super::history::view::ChartView;
use super::keys::Action;
use crate::number::{compact, thousands};
use crate::train::messages::{Command, Divergence, DivergenceCause};

/// Is `action` one of this module's?
pub(super) fn is_tempo(action: Action) -> bool {
    matches!(
        action,
        Action::PaceSlower
            | Action::PaceFaster
            | Action::Rewind
            | Action::LossScale
            | Action::AccuracyScale
            | Action::WindowNarrower
            | Action::WindowWider
            | Action::Pin
    )
}

impl App {
    /// Perform one of this module's actions.
    pub(super) fn act_tempo(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::PaceSlower | Action::PaceFaster => {
                self.change_pace(action == Action::PaceSlower)
            }
            Action::Rewind => self.rewind(),
            Action::LossScale => {
                let log = !self.chart.log_scale(self.history.loss_fell_tenfold());
                self.chart.log_loss = Some(log);
                let text = if log { "log" } else { "linear" };
                self.set_banner(BannerKind::Info, format!("loss axis: {text} (y toggles)"));
                Vec::new()
            }
            Action::AccuracyScale => {
                self.chart.full_accuracy = !self.chart.full_accuracy;
                let text = if self.chart.full_accuracy {
                    "0–100%"
                } else {
                    "fitted to the data"
                };
                self.set_banner(
                    BannerKind::Info,
                    format!("accuracy axis: {text} (Y toggles)"),
                );
                Vec::new()
            }
            Action::WindowNarrower | Action::WindowWider => {
                self.change_window(action == Action::WindowWider);
                Vec::new()
            }
            Action::Pin => {
                self.pin();
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn change_pace(&mut self, slower: bool) -> Vec<Command> {
        if !self.worker.is_alive() {
            return self
                .refuse("the training worker has stopped: press r to start a new one".into());
        }
        let Some(pace) = self.pace.step(slower) else {
            let end = if slower { "slowest" } else { "fastest" };
            return self.refuse(format!("{} is the {end} pace offered", self.pace.label()));
        };
        self.pace = pace;
        let how = if pace.is_limited() {
            "; every batch is shown"
        } else {
            ""
        };
        self.set_banner(BannerKind::Info, format!("pace: {}{how}", pace.label()));
        vec![Command::SetPace(pace)]
    }

    fn rewind(&mut self) -> Vec<Command> {
        match self.diverged {
            Some(d) if self.worker.is_alive() => {
                self.set_banner(
                    BannerKind::Info,
                    format!(
                        "rewinding to the weights of step {}…",
                        thousands(d.rewind_to)
                    ),
                );
                vec![Command::Rewind]
            }
            _ => self.refuse("nothing to rewind: training has not diverged".into()),
        }
    }

    fn change_window(&mut self, wider: bool) {
        let span = self
            .history
            .step_range()
            .map_or(0, |(lo, hi)| (hi - lo).round() as usize);
        let next = if wider {
            self.chart.wider(span)
        } else {
            self.chart.narrower(span).map(Some)
        };
        match next {
            Some(window) => {
                self.chart.window = window;
                let text = ChartView::window_label(window);
                self.set_banner(BannerKind::Info, format!("chart: {text} (h/H)"));
            }
            None => {
                let end = if wider { "widest" } else { "narrowest" };
                let text = ChartView::window_label(self.chart.window);
                self.set_banner(
                    BannerKind::Warning,
                    format!("{text} is the {end} window offered"),
                );
            }
        }
    }

    fn pin(&mut self) {
        if self.pinned.take().is_some() {
            self.set_banner(BannerKind::Info, "comparison cleared (c pins again)".into());
            return;
        }
        if self.history.is_empty() {
            self.set_banner(
                BannerKind::Warning,
                "nothing to pin yet: no steps trained".into(),
            );
            return;
        }
        self.pinned = Some(Pinned::of(&self.history, &self.arch, &self.hyper));
        self.set_banner(
            BannerKind::Info,
            "pinned these curves: after a reset (r) or an edit the new run is drawn over them; c clears"
                .into(),
        );
    }

    /// A refusal while training is diverged, saying what to do; `None` when it is not.
    pub(super) fn refuse_if_diverged(&mut self) -> Option<Vec<Command>> {
        let d = self.diverged?;
        Some(self.refuse(format!(
            "training diverged at step {}: r resets, u rewinds to the last good weights",
            thousands(d.step)
        )))
    }
}

/// The red banner of a divergence: where, why, and what to do, short enough for two rows of
/// 80 columns, e.g. "diverged at step 4,210 (the loss rose to 8.8e13): learning rate 1 with
/// momentum 0.99 is too high — r resets, u rewinds to step 4,000 with half the rate". Never a
/// NaN: it is named in words.
pub fn divergence_text(d: &Divergence) -> String {
    let what = match d.cause {
        DivergenceCause::LossNotFinite if d.loss.is_nan() => "the loss is not a number".into(),
        DivergenceCause::LossNotFinite => "the loss overflowed".into(),
        DivergenceCause::WeightNotFinite => "a weight overflowed".into(),
        DivergenceCause::LossTooHigh => format!("the loss rose to {}", compact(d.loss as f64, 2)),
    };
    let momentum = if d.momentum >= 0.95 {
        format!(" with momentum {}", compact(d.momentum as f64, 3))
    } else {
        String::new()
    };
    format!(
        "diverged at step {} ({what}): learning rate {}{momentum} is too high — r resets, \
         u rewinds to step {} with half the rate",
        thousands(d.step),
        compact(d.lr as f64, 3),
        thousands(d.rewind_to),
    )
}
