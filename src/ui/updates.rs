//! The worker's updates applied to the `App`. What the worker runs (its architecture, whether
//! it is running, paused or failed) is written here only, from what the worker reports.

use super::app::{App, BannerKind, WorkerState};
use super::history::MarkerKind;
use super::tempo::divergence_text;
use crate::number::{compact, thousands};
use crate::train::messages::{EvalMetrics, EvalSet, Rewind, Update, WorkerStatus};
use crate::train::search::Misclassified;

impl App {
    /// Apply one worker update; the app keeps what it needs by moving it (a snapshot of every
    /// layer's maps arrives ten times a second and is not copied).
    pub fn apply(&mut self, update: Update) {
        match update {
            Update::Steps(steps) => {
                for s in &steps {
                    self.history.push_step(s);
                    self.compare.push_cnn_step(s.step, s.batch_accuracy);
                }
                if let Some(&last) = steps.last() {
                    self.last_step = Some(last);
                }
            }
            Update::Eval(e) => self.on_eval(e),
            Update::Snapshot(s) => {
                self.record_frame(&s);
                self.snapshot = Some(s);
            }
            Update::Status(status) => self.on_status(status),
            Update::Analysis(a) => self.on_analysis(a),
            Update::Lab(trace) => self.labs.trace = Some(trace),
            Update::Baseline(b) => self.compare.apply(b),
            Update::Layers(samples) => samples
                .into_iter()
                .for_each(|s| self.inspect.layers.push(s)),
            Update::Failed(msg) => {
                let text = format!("training failed: {msg} — press r to start again");
                self.worker = WorkerState::Failed(msg);
                self.validating = None;
                self.drop_pending_arch();
                self.set_banner(BannerKind::Error, text);
            }
        }
    }

    fn on_eval(&mut self, e: EvalMetrics) {
        if e.set == EvalSet::Validation {
            self.validating = None;
        }
        match e.set {
            // `--validation 0`: an empty set's accuracy is no figure, not 0 %.
            EvalSet::Validation if e.samples == 0 => {
                let msg = "no validation set (--validation 0): the charts show training only";
                self.set_banner(BannerKind::Info, msg.into());
            }
            EvalSet::Validation => {
                self.history.push_eval(&e);
                self.compare.push_cnn_eval(e.step, e.accuracy);
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
                let label = outcome.edits().join(", ");
                self.history.mark(MarkerKind::Edit, label);
                // A later edit may still be on its way: only this one stops being pending.
                if self.pending_arch.as_ref() == Some(&outcome.after) {
                    self.pending_arch = None;
                }
                self.arch = outcome.after;
                self.clamp_selection();
                // Another network: its statistics start again.
                self.inspect.layers = Default::default();
            }
            WorkerStatus::Refused(reason) => {
                self.drop_pending_arch();
                self.set_banner(BannerKind::Warning, format!("refused: {reason}"));
            }
            WorkerStatus::Hyper(h) => {
                self.history.confirm_hyper(&h);
                self.hyper = h;
            }
            WorkerStatus::Pace(p) => self.pace = p,
            WorkerStatus::Diverged(d) => {
                self.diverged = Some(d);
                self.history.mark(MarkerKind::Diverged, "diverged".into());
                self.drop_pending_arch();
                self.set_banner(BannerKind::Error, divergence_text(&d));
            }
            WorkerStatus::Rewound(r) => self.on_rewound(r),
            WorkerStatus::Misclassified(found) => self.on_misclassified(found),
            status @ (WorkerStatus::Saved { .. } | WorkerStatus::SaveFailed(_)) => {
                self.on_saved(status)
            }
            WorkerStatus::Validating { done, total } => self.validating = Some((done, total)),
            WorkerStatus::Finished => {
                self.set_banner(
                    BannerKind::Info,
                    "all planned epochs are done; training goes on".into(),
                );
            }
        }
    }

    fn on_rewound(&mut self, r: Rewind) {
        self.diverged = None;
        let label = format!("rewound to step {}", thousands(r.to_step));
        self.history.mark(MarkerKind::Rewind, label);
        let text = format!(
            "rewound to the weights of step {}; learning rate {} → {}",
            thousands(r.to_step),
            compact(r.lr_before as f64, 3),
            compact(r.lr_after as f64, 3)
        );
        self.set_banner(BannerKind::Info, text);
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
