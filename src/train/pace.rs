//! How fast the worker trains: as fast as it can, or at most N mini-batches a second, so that a
//! class can watch the filters change step by step. The `Limiter` keeps the schedule; it is
//! given the time rather than reading a clock, so its schedule is tested without sleeping.

use std::time::{Duration, Instant};

/// The training pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pace {
    /// As fast as possible (the default).
    #[default]
    Max,
    /// At most this many mini-batches a second (never 0).
    PerSecond(u32),
}

/// The paces offered, fastest first: `t` steps down this list, `T` up.
pub const PACES: [Pace; 6] = [
    Pace::Max,
    Pace::PerSecond(100),
    Pace::PerSecond(30),
    Pace::PerSecond(10),
    Pace::PerSecond(3),
    Pace::PerSecond(1),
];

impl Pace {
    /// The time from one batch's start to the next one's; `None` at full speed.
    pub fn interval(self) -> Option<Duration> {
        match self {
            Pace::Max => None,
            Pace::PerSecond(n) => Some(Duration::from_secs(1) / n.max(1)),
        }
    }

    pub fn is_limited(self) -> bool {
        self != Pace::Max
    }

    /// The next pace down the list (`slower`) or up it; `None` at its end. A pace that is not
    /// in the list goes to the nearest listed one in that direction.
    pub fn step(self, slower: bool) -> Option<Pace> {
        let rate = |p: Pace| match p {
            Pace::Max => u32::MAX,
            Pace::PerSecond(n) => n,
        };
        if slower {
            PACES.iter().copied().find(|&p| rate(p) < rate(self))
        } else {
            PACES.iter().rev().copied().find(|&p| rate(p) > rate(self))
        }
    }

    /// For the status line: `max speed`, `10 batches/s`, `1 batch/s`.
    pub fn label(self) -> String {
        match self {
            Pace::Max => "max speed".into(),
            Pace::PerSecond(1) => "1 batch/s".into(),
            Pace::PerSecond(n) => format!("{n} batches/s"),
        }
    }
}

/// When the next mini-batch is due. Batches start one interval apart; a batch that starts late
/// by less than an interval keeps the schedule (the next comes sooner), one later than that
/// (after a pause, or when a batch takes longer than the interval) starts a new schedule, so
/// the worker never bursts to catch up.
#[derive(Debug, Clone)]
pub struct Limiter {
    pace: Pace,
    next: Option<Instant>,
}

impl Limiter {
    pub fn new(pace: Pace) -> Limiter {
        Limiter { pace, next: None }
    }

    pub fn pace(&self) -> Pace {
        self.pace
    }

    /// A new pace applies from the next batch on, which is due at once.
    pub fn set_pace(&mut self, pace: Pace) {
        *self = Limiter::new(pace);
    }

    /// How long to wait at `now` before the next batch may start: zero when it is due.
    pub fn wait(&self, now: Instant) -> Duration {
        match (self.pace.interval(), self.next) {
            (Some(_), Some(due)) => due.saturating_duration_since(now),
            _ => Duration::ZERO,
        }
    }

    /// A batch started at `start`.
    pub fn started(&mut self, start: Instant) {
        let Some(interval) = self.pace.interval() else {
            return;
        };
        self.next = Some(match self.next {
            Some(due) if start < due + interval => due + interval,
            _ => start + interval,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn the_limiter_keeps_a_schedule_without_bursts() {
        let t0 = Instant::now();
        let mut l = Limiter::new(Pace::PerSecond(10));
        assert_eq!(l.wait(t0), Duration::ZERO, "the first batch is due at once");
        l.started(t0);
        assert_eq!(l.wait(t0 + ms(30)), ms(70));
        assert_eq!(l.wait(t0 + ms(100)), Duration::ZERO);
        l.started(t0 + ms(100));
        // 30 ms late (the thread woke late): the schedule holds, the next one is 70 ms away.
        l.started(t0 + ms(230));
        assert_eq!(l.wait(t0 + ms(230)), ms(70));
        // After a long gap (a pause), a new schedule: no burst of batches to catch up.
        l.started(t0 + ms(900));
        assert_eq!(l.wait(t0 + ms(900)), ms(100));
        assert_eq!(l.wait(t0 + ms(1000)), Duration::ZERO);
    }

    #[test]
    fn full_speed_never_waits_and_a_new_pace_starts_at_once() {
        let t0 = Instant::now();
        let mut l = Limiter::new(Pace::Max);
        l.started(t0);
        assert_eq!(l.wait(t0), Duration::ZERO);
        l.set_pace(Pace::PerSecond(1));
        assert_eq!(l.wait(t0), Duration::ZERO);
        l.started(t0);
        assert_eq!(l.wait(t0 + ms(1)), ms(999));
        l.set_pace(Pace::PerSecond(3));
        assert_eq!(l.wait(t0 + ms(1)), Duration::ZERO);
    }

    #[test]
    fn paces_step_through_the_list() {
        assert_eq!(Pace::Max.step(true), Some(Pace::PerSecond(100)));
        assert_eq!(Pace::PerSecond(100).step(false), Some(Pace::Max));
        assert_eq!(Pace::PerSecond(1).step(true), None);
        assert_eq!(Pace::Max.step(false), None);
        assert_eq!(Pace::PerSecond(50).step(true), Some(Pace::PerSecond(30)));
        assert_eq!(
            Pace::PerSecond(3).interval(),
            Some(Duration::from_nanos(333_333_333))
        );
        assert_eq!(Pace::PerSecond(1).label(), "1 batch/s");
        assert_eq!(Pace::PerSecond(30).label(), "30 batches/s");
    }
}
