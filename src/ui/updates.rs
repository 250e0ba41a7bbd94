//! The worker's updates applied to the `App`. What the worker runs (its architecture, whether
//! it is running, paused or failed) is written here only, from what the worker reports.

use super::app::{App, BannerKind, WorkerState};
use crate::train::messages::{EvalMetrics, EvalSet, Update, WorkerStatus};
use crate::train::search::Misclassified;

impl App {
    /// Apply one worker update; the app keeps what it needs by moving it (a snapshot of every
    /// layer's maps arrives ten times a second and is not copied).
    pub fn apply(&mut self, update: Update) {
        match update {
            Update::Steps(steps) => {
                for s in &steps {
                    self.history.push_loss(s.step, s.loss);
                }
                if let Some(&last) = steps.last() {
                    self.last_step = Some(last);
                }
            }
            Update::Eval(e) => self.on_eval(e),
            Update::Snapshot(s) => self.snapshot = Some(s),
            Update::Status(status) => self.on_status(status),
            Update::Failed(msg) => {
                let text = format!("training failed: {msg} — press r to start again");
                self.worker = WorkerState::Failed(msg);
                self.drop_pending_arch();
                self.set_banner(BannerKind::Error, text);
            }
        }
    }

    fn on_eval(&mut self, e: EvalMetrics) {
        match e.set {
            EvalSet::Validation => {
                self.history.push_accuracy(e.step, e.accuracy);
                self.last_validation = Some(e);
            }
            EvalSet::Test => self.last_test = Some(e),
        }
    }

    fn on_status(&mut self, status: WorkerStatus) {
        match status {
            WorkerStatus::Running => self.worker = WorkerState::Running,
            WorkerStatus::Paused => self.worker = WorkerState::Paused,
            WorkerStatus::Rebuilt(outcome) => {
                self.set_banner(BannerKind::Info, outcome.summary());
                // A later edit may still be on its way: only this one stops being pending.
                if self.pending_arch.as_ref() == Some(&outcome.after) {
                    self.pending_arch = None;
                }
                self.arch = outcome.after;
                self.clamp_selection();
            }
            WorkerStatus::Refused(reason) => {
                self.drop_pending_arch();
                self.set_banner(BannerKind::Warning, format!("refused: {reason}"));
            }
            WorkerStatus::Hyper(h) => self.hyper = h,
            WorkerStatus::Misclassified(found) => self.on_misclassified(found),
            WorkerStatus::Finished => {
                self.set_banner(
                    BannerKind::Info,
                    "all planned epochs are done; training goes on".into(),
                );
            }
        }
    }

    /// The worker's answer to `e` / `E`: the probe is now the digit it found.
    fn on_misclassified(&mut self, found: Option<Misclassified>) {
        let text = match found {
            Some(m) => {
                self.probe = m.index;
                // Training goes on: the network may get it right a moment later.
                format!(
                    "test #{} was misclassified when found: label {}, predicted {} (e / E: next / previous)",
                    m.index, m.label, m.predicted
                )
            }
            None => format!(
                "every one of the {} test digits is classified right",
                self.test_len
            ),
        };
        self.set_banner(BannerKind::Info, text);
    }

    /// The worker thread ended; unless it said why, say that it stopped without a message.
    pub fn worker_gone(&mut self) {
        if self.worker.is_alive() {
            self.worker = WorkerState::Gone;
            self.drop_pending_arch();
            self.set_banner(
                BannerKind::Error,
                "the training worker stopped without a message — press r to start a new one".into(),
            );
        }
    }

    /// Forget an edit that will not be confirmed: it was refused, or its worker died (a new
    /// worker starts from the confirmed architecture). The selection stays in range.
    fn drop_pending_arch(&mut self) {
        self.pending_arch = None;
        self.clamp_selection();
    }
}
