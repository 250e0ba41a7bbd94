//! The commands a running worker obeys: pause, step, reset, rewind, new settings, a rebuilt
//! network, a probe digit, a pace. A diverged worker takes no step and builds nothing until a
//! reset or a rewind.

use super::Loop;
use crate::checkpoint;
use crate::config::{Arch, Hyper};
use crate::train::messages::{Command, Divergence, Update, WorkerStatus};
use std::path::Path;

impl<F: Fn(Update) -> bool> Loop<'_, F> {
    /// After a reset or a rewind: run again if the divergence paused a running worker.
    fn recover(&mut self) {
        if std::mem::take(&mut self.resume_on_recovery) {
            self.paused = false;
        }
    }

    /// What a diverged worker says to a command that needs sound weights.
    fn refuse_diverged(&self, d: Divergence) -> bool {
        self.status(WorkerStatus::Refused(format!(
            "training diverged at step {}: press r to reset or u to rewind first",
            d.step
        )))
    }

    /// Apply one command; false when the updates channel is gone.
    pub(super) fn apply(&mut self, cmd: Command) -> bool {
        let diverged = self.trainer.diverged();
        if let Some(d) = diverged
            && matches!(cmd, Command::Resume | Command::Step | Command::SetArch(_))
        {
            return self.refuse_diverged(d);
        }
        match cmd {
            Command::Pause => {
                self.paused = true;
                self.trainer.pause_clock();
                self.flush() && self.status(WorkerStatus::Paused)
            }
            Command::Resume => {
                self.paused = false;
                self.steps_to_run = 0;
                self.status(WorkerStatus::Running)
            }
            Command::Step => {
                let was_running = !self.paused;
                self.paused = true;
                self.steps_to_run += 1;
                // The dashboard shows the state the worker reports, so say that it paused.
                !was_running || self.status(WorkerStatus::Paused)
            }
            Command::Reset => self.reset(),
            Command::Rewind => self.rewind(),
            Command::FindMisclassified { from, forward } => {
                let found = self.trainer.find_misclassified(from, forward);
                if let Some(m) = found {
                    self.probe = m.index;
                }
                self.status(WorkerStatus::Misclassified(found)) && self.send_snapshot()
            }
            Command::SetHyper(h) => self.set_hyper(h),
            Command::SetArch(arch) => self.rebuild(&arch),
            Command::Probe(i) => self.probe(i, diverged),
            Command::SetPace(pace) => {
                self.limiter.set_pace(pace);
                self.status(WorkerStatus::Pace(pace))
            }
            Command::Analyse(job) => {
                let net = self.trainer.network_copy();
                let mlp = job.needs_baseline().then(|| self.trainer.baseline_copy());
                let step = self.trainer.step_count();
                self.analyst.submit_with(job, net, mlp.flatten(), step);
                true
            }
            Command::Lab(input) => {
                self.lab = input;
                // While diverged the pictures stay as they were (as for a new probe).
                self.lab.is_none() || diverged.is_some() || self.send_snapshot()
            }
            Command::StartBaseline => {
                if !self.trainer.baseline_on() {
                    self.trainer.set_baseline(true);
                }
                true
            }
            Command::Quit => false,
            Command::Save(folder) => self.save(&folder),
        }
    }

    /// Write a checkpoint into `folder`, after sending every step it holds.
    fn save(&mut self, folder: &Path) -> bool {
        if !self.flush() {
            return false;
        }
        let step = self.trainer.step_count();
        let path = folder.join(checkpoint::file_name(step));
        match self.trainer.save(&path) {
            Ok(()) => self.status(WorkerStatus::Saved { path, step }),
            Err(e) => self.status(WorkerStatus::SaveFailed(e.to_string())),
        }
    }

    fn reset(&mut self) -> bool {
        self.trainer.reset();
        self.pending.clear();
        self.pending_baseline.clear();
        self.eval_base = 0;
        self.recover();
        self.start_eval();
        self.announce()
    }

    fn set_hyper(&mut self, h: Hyper) -> bool {
        match self.trainer.set_hyper(h) {
            // The steps so far ran with the old values: a chart marks the change after them.
            Ok(()) => self.send_steps() && self.status(WorkerStatus::Hyper(*self.trainer.hyper())),
            Err(e) => self.status(WorkerStatus::Refused(e.to_string())),
        }
    }

    fn rebuild(&mut self, arch: &Arch) -> bool {
        match self.trainer.set_arch(arch) {
            Ok(outcome) => {
                self.eval_base = self.trainer.step_count();
                self.start_eval();
                self.flush() && self.status(WorkerStatus::Rebuilt(outcome)) && self.send_snapshot()
            }
            Err(e) => self.status(WorkerStatus::Refused(e.to_string())),
        }
    }

    /// A new probe digit; while diverged the pictures stay as they were.
    fn probe(&mut self, i: usize, diverged: Option<Divergence>) -> bool {
        self.probe = i;
        match diverged {
            Some(d) => self.status(WorkerStatus::Refused(format!(
                "the pictures stay as they were before step {}, when training diverged, until r or u",
                d.step
            ))),
            None => self.send_snapshot(),
        }
    }

    /// Back to the last good weights with half the rate, validated at once.
    fn rewind(&mut self) -> bool {
        let Some(rewind) = self.trainer.rewind() else {
            return self.status(WorkerStatus::Refused(
                "training has not diverged: there is nothing to rewind".into(),
            ));
        };
        self.eval_base = self.trainer.step_count();
        self.recover();
        self.start_eval();
        self.status(WorkerStatus::Rewound(rewind)) && self.announce()
    }
}
