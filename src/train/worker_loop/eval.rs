//! The worker's validations: when they are due, and running one a slice at a time between
//! commands (a large network took 30–40 s to validate 5,000 digits on two cores, and every
//! key that needed the worker waited that long), saying how far it is when it is slow.

use super::Loop;
use crate::train::baseline::BaselineUpdate;
use crate::train::messages::{EvalSet, Update, WorkerStatus};
use crate::train::trainer::Evaluation;
use std::time::{Duration, Instant};

/// Validation runs at most this many steps apart; early in a run, and again after a rebuild,
/// a reset or a rewind, more often (100, 200, 400, 800 steps after it), so the curve shows the
/// recovery.
pub const EVAL_EVERY_STEPS: usize = 1000;
pub(super) const FIRST_EVAL_STEP: usize = 100;

/// The step of the next validation after one at `step`.
fn next_eval_after(step: usize) -> usize {
    (2 * step).clamp(FIRST_EVAL_STEP, step + EVAL_EVERY_STEPS)
}

/// A validation under way, and when it started and last said how far it is.
pub(super) struct Validation {
    eval: Evaluation,
    started: Instant,
    told: Option<Instant>,
}

/// A validation says how far it is once it has run this long, and again this often.
const TELL_AFTER: Duration = Duration::from_secs(1);
const TELL_EVERY: Duration = Duration::from_millis(250);

impl<F: Fn(Update) -> bool> Loop<'_, F> {
    /// Validate the current weights, a slice at a time from `next_command`; a validation
    /// under way is dropped, since the weights it was measuring are gone (a reset, a rebuild,
    /// a rewind).
    pub(super) fn start_eval(&mut self) {
        self.evaluation = Some(Validation {
            eval: Evaluation::new(EvalSet::Validation),
            started: Instant::now(),
            told: None,
        });
        let step = self.trainer.step_count();
        self.next_eval = self.eval_base + next_eval_after(step - self.eval_base);
    }

    /// The next slice of the validation under way; when it is done, its result (and the
    /// baseline's, on the same weights' step) is sent. False when nobody listens.
    pub(super) fn continue_eval(&mut self) -> bool {
        let Some(mut v) = self.evaluation.take() else {
            return true;
        };
        let Some(eval) = self.trainer.evaluate_slice(&mut v.eval) else {
            let now = Instant::now();
            let tell =
                now - v.started >= TELL_AFTER && v.told.is_none_or(|t| now - t >= TELL_EVERY);
            let (done, total) = (v.eval.done(), self.trainer.data().validation.len());
            if tell {
                v.told = Some(now);
            }
            self.evaluation = Some(v);
            return !tell || self.status(WorkerStatus::Validating { done, total });
        };
        let baseline = self.trainer.evaluate_baseline(EvalSet::Validation);
        (self.send)(Update::Eval(eval))
            && baseline.is_none_or(|b| self.send_baseline(BaselineUpdate::Eval(b)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_is_frequent_early_then_every_thousand_steps() {
        let mut step = 0;
        let mut at = Vec::new();
        for _ in 0..7 {
            step = next_eval_after(step);
            at.push(step);
        }
        assert_eq!(at, vec![100, 200, 400, 800, 1600, 2600, 3600]);
    }
}
