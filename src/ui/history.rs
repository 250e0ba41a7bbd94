//! The training history the chart panel draws: app state, bounded however long training runs.

/// Points `(x, y)` that never exceed `cap`: when full, neighbouring pairs are averaged and
/// each later point averages twice as many inputs as before.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    points: Vec<(f64, f64)>,
    cap: usize,
    stride: usize,
    pending: (f64, f64, usize),
}

impl Series {
    pub fn new(cap: usize) -> Series {
        Series {
            points: Vec::new(),
            cap: cap.max(2),
            stride: 1,
            pending: (0.0, 0.0, 0),
        }
    }

    pub fn push(&mut self, x: f64, y: f64) {
        if !y.is_finite() {
            return;
        }
        let (_, sum, n) = self.pending;
        self.pending = (x, sum + y, n + 1);
        if n + 1 >= self.stride {
            let (x, sum, n) = self.pending;
            self.points.push((x, sum / n as f64));
            self.pending = (0.0, 0.0, 0);
            if self.points.len() > self.cap {
                self.thin();
            }
        }
    }

    fn thin(&mut self) {
        self.points = self
            .points
            .chunks(2)
            .map(|c| {
                (
                    c[c.len() - 1].0,
                    c.iter().map(|p| p.1).sum::<f64>() / c.len() as f64,
                )
            })
            .collect();
        self.stride *= 2;
    }

    pub fn points(&self) -> &[(f64, f64)] {
        &self.points
    }

    pub fn last(&self) -> Option<(f64, f64)> {
        self.points.last().copied()
    }

    pub fn clear(&mut self) {
        *self = Series::new(self.cap);
    }
}

/// What the chart panel draws.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub loss: Series,
    pub smoothed: Series,
    pub accuracy: Series,
    ema: Option<f64>,
    pub last_step: Option<usize>,
}

/// Weight of the newest loss in the smoothed curve.
const EMA_ALPHA: f64 = 0.05;
/// Points kept per series.
pub const HISTORY_CAP: usize = 600;

impl Default for History {
    fn default() -> Self {
        History {
            loss: Series::new(HISTORY_CAP),
            smoothed: Series::new(HISTORY_CAP),
            accuracy: Series::new(HISTORY_CAP),
            ema: None,
            last_step: None,
        }
    }
}

impl History {
    /// Record one training step; a step count that goes backwards means a new run.
    pub fn push_loss(&mut self, step: usize, loss: f32) {
        if self.last_step.is_some_and(|last| step < last) {
            *self = History::default();
        }
        let loss = loss as f64;
        if !loss.is_finite() {
            return;
        }
        let ema = self.ema.map_or(loss, |e| e + EMA_ALPHA * (loss - e));
        self.ema = Some(ema);
        self.loss.push(step as f64, loss);
        self.smoothed.push(step as f64, ema);
        self.last_step = Some(step);
    }

    pub fn push_accuracy(&mut self, step: usize, accuracy: f32) {
        self.accuracy.push(step as f64, accuracy as f64);
    }

    pub fn is_empty(&self) -> bool {
        self.loss.points().is_empty()
    }

    /// The step range both charts share: from the first point of either series to the newest
    /// step seen, so the loss and the accuracy chart line up column for column.
    pub fn step_range(&self) -> Option<(f64, f64)> {
        let series = [&self.loss, &self.accuracy];
        let first = series
            .iter()
            .filter_map(|s| s.points().first().map(|p| p.0));
        let lo = first.reduce(f64::min)?;
        let last = series.iter().filter_map(|s| s.last().map(|p| p.0));
        let newest = self.last_step.map(|s| s as f64);
        let hi = last.chain(newest).fold(lo, f64::max);
        Some((lo, hi.max(lo + 1.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_stays_bounded_and_keeps_the_mean() {
        let mut s = Series::new(100);
        for i in 0..100_000 {
            s.push(i as f64, 1.0);
        }
        assert!(s.points().len() <= 100, "{}", s.points().len());
        assert!(s.points().len() >= 50);
        assert!(s.points().iter().all(|p| p.1 == 1.0));
        assert!(s.last().unwrap().0 > 99_000.0);
    }

    #[test]
    fn history_restarts_when_steps_go_back() {
        let mut h = History::default();
        h.push_loss(10, 2.0);
        h.push_loss(11, 1.0);
        h.push_loss(1, 2.3);
        assert_eq!(h.loss.points(), &[(1.0, 2.3f32 as f64)]);
    }

    /// After thinning, the loss series' last point can lag the newest step (it waits in the
    /// pending average) while the accuracy was measured at that step: the range covers both.
    #[test]
    fn both_series_share_one_step_range() {
        let mut h = History::default();
        assert_eq!(h.step_range(), None);
        for step in 1..=1200 {
            h.push_loss(step, 1.0);
        }
        h.push_accuracy(100, 0.5);
        h.push_accuracy(1200, 0.9);
        assert!(
            h.loss.last().unwrap().0 < 1200.0,
            "the loss series lags here"
        );
        assert_eq!(h.step_range(), Some((h.loss.points()[0].0, 1200.0)));
        let mut fresh = History::default();
        fresh.push_loss(1, 2.0);
        assert_eq!(
            fresh.step_range(),
            Some((1.0, 2.0)),
            "at least one step wide"
        );
    }
}
