//! One curve of the training history, bounded however long training runs: the whole run thinned
//! into buckets that keep each interval's minimum and maximum (so a spike is never averaged
//! away), and the most recent points at full resolution for a zoomed-in window.

use std::collections::VecDeque;

/// Buckets kept for the whole run (each holds its interval's extremes, so up to twice as many
/// points are drawn).
pub const BUCKETS: usize = 1000;
/// The newest points kept one per step, for windows of up to this many steps.
pub const RECENT: usize = 5000;

/// An interval of points: where its minimum and its maximum are.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bucket {
    min: (f64, f64),
    max: (f64, f64),
    /// The sums of its points' steps and values, for the mean.
    sum: (f64, f64),
    /// Points it stands for.
    n: usize,
}

impl Bucket {
    fn of(p: (f64, f64)) -> Bucket {
        Bucket {
            min: p,
            max: p,
            sum: p,
            n: 1,
        }
    }

    fn merge(self, later: Bucket) -> Bucket {
        Bucket {
            min: if later.min.1 < self.min.1 {
                later.min
            } else {
                self.min
            },
            max: if later.max.1 > self.max.1 {
                later.max
            } else {
                self.max
            },
            sum: (self.sum.0 + later.sum.0, self.sum.1 + later.sum.1),
            n: self.n + later.n,
        }
    }

    /// The mean of its points.
    fn mean(self) -> (f64, f64) {
        let n = self.n as f64;
        (self.sum.0 / n, self.sum.1 / n)
    }

    /// Its extremes in step order (one point when they are the same).
    fn points(self) -> impl Iterator<Item = (f64, f64)> {
        let (a, b) = if self.min.0 <= self.max.0 {
            (self.min, self.max)
        } else {
            (self.max, self.min)
        };
        std::iter::once(a).chain((a != b).then_some(b))
    }
}

/// Points `(step, value)` in step order; values that are not finite are never stored.
/// Thinned, a series is drawn as each interval's extremes (`Series::extremes`: the per-batch
/// loss, whose spikes matter) or as each interval's mean (`Series::default`: a curve that is
/// smooth already, which its extremes would only make jagged); both are kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Drawn as extremes rather than means.
    extremes: bool,
    buckets: Vec<Bucket>,
    /// The bucket being filled: it holds fewer than `width` points.
    pending: Option<Bucket>,
    /// Points per bucket; doubles at each thinning.
    width: usize,
    cap: usize,
    recent: VecDeque<(f64, f64)>,
    recent_cap: usize,
    /// Points pushed since the start.
    pushed: usize,
}

impl Default for Series {
    fn default() -> Self {
        Series::new(BUCKETS, RECENT)
    }
}

impl Series {
    /// At most `cap` buckets (at least 2) and `recent` points at full resolution, drawn as
    /// the buckets' means.
    pub fn new(cap: usize, recent: usize) -> Series {
        Series {
            extremes: false,
            buckets: Vec::new(),
            pending: None,
            width: 1,
            cap: cap.max(2),
            recent: VecDeque::new(),
            recent_cap: recent.max(1),
            pushed: 0,
        }
    }

    /// The same, drawn as each bucket's extremes.
    pub fn with_extremes(cap: usize, recent: usize) -> Series {
        Series {
            extremes: true,
            ..Series::new(cap, recent)
        }
    }

    /// The default size, drawn as extremes.
    pub fn extremes() -> Series {
        Series::with_extremes(BUCKETS, RECENT)
    }

    pub fn push(&mut self, x: f64, y: f64) {
        if !(x.is_finite() && y.is_finite()) {
            return;
        }
        self.pushed += 1;
        if self.recent.len() == self.recent_cap {
            self.recent.pop_front();
        }
        self.recent.push_back((x, y));
        let bucket = match self.pending.take() {
            Some(b) => b.merge(Bucket::of((x, y))),
            None => Bucket::of((x, y)),
        };
        if bucket.n < self.width {
            self.pending = Some(bucket);
            return;
        }
        self.buckets.push(bucket);
        if self.buckets.len() > self.cap {
            self.thin();
        }
    }

    /// Merge neighbouring buckets: half as many, each twice as wide, extremes kept.
    fn thin(&mut self) {
        self.buckets = self
            .buckets
            .chunks(2)
            .map(|pair| pair.iter().copied().reduce(Bucket::merge).expect("a chunk"))
            .collect();
        self.width *= 2;
    }

    /// The whole run, thinned: each interval's minimum and maximum in step order, or its mean.
    pub fn points(&self) -> Vec<(f64, f64)> {
        if self.pushed == self.recent.len() {
            return self.recent.iter().copied().collect();
        }
        let buckets = self.buckets.iter().chain(&self.pending);
        if self.extremes {
            buckets.flat_map(|b| b.points()).collect()
        } else {
            buckets.map(|b| b.mean()).collect()
        }
    }

    /// The points from step `x0` on, one per step when the recent ones reach back that far.
    pub fn points_from(&self, x0: f64) -> Vec<(f64, f64)> {
        let covered =
            self.pushed == self.recent.len() || self.recent.front().is_some_and(|p| p.0 <= x0);
        if covered {
            return self.recent.iter().copied().filter(|p| p.0 >= x0).collect();
        }
        self.points().into_iter().filter(|p| p.0 >= x0).collect()
    }

    pub fn first(&self) -> Option<(f64, f64)> {
        if self.pushed == self.recent.len() {
            return self.recent.front().copied();
        }
        self.buckets
            .first()
            .map(|b| b.points().next().expect("a point"))
    }

    pub fn last(&self) -> Option<(f64, f64)> {
        self.recent.back().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.pushed == 0
    }

    /// Points held in memory (buckets count twice: their two extremes).
    pub fn stored(&self) -> usize {
        2 * (self.buckets.len() + usize::from(self.pending.is_some())) + self.recent.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A noisy curve with one spike up and one dip down, a million steps long.
    #[test]
    fn thinning_stays_bounded_and_keeps_the_extremes() {
        let mut s = Series::with_extremes(100, 50);
        let n: usize = 1_000_000;
        for i in 0..n {
            let y = match i {
                123_457 => 50.0,
                777_777 => -7.0,
                _ => 1.0 + ((i * 7919) % 13) as f64 / 100.0,
            };
            s.push(i as f64, y);
            assert!(s.stored() <= 2 * 101 + 50, "{} at {i}", s.stored());
        }
        let points = s.points();
        assert!(
            points.len() <= 2 * 101 && points.len() >= 50,
            "{}",
            points.len()
        );
        assert!(points.contains(&(123_457.0, 50.0)), "the spike is kept");
        assert!(points.contains(&(777_777.0, -7.0)), "the dip is kept");
        assert!(points.windows(2).all(|w| w[0].0 < w[1].0), "in step order");
        assert!(
            points
                .iter()
                .all(|p| (1.0..=1.12).contains(&p.1) || p.1 == 50.0 || p.1 == -7.0)
        );
        assert_eq!(
            s.last(),
            Some(((n - 1) as f64, 1.0 + (((n - 1) * 7919) % 13) as f64 / 100.0))
        );
        assert_eq!(s.first().unwrap().0, 0.0);
    }

    /// A smooth curve thinned is drawn as its intervals' means: no jagged extremes.
    #[test]
    fn a_smooth_series_is_thinned_to_its_means() {
        let mut s = Series::new(10, 5);
        for i in 0..1000 {
            s.push(i as f64, if i % 2 == 0 { 1.0 } else { 3.0 });
        }
        let points = s.points();
        assert!(points.len() <= 11, "{}", points.len());
        // A bucket of an odd number of points leans a little one way.
        assert!(
            points.iter().all(|p| (p.1 - 2.0).abs() < 0.02),
            "{points:?}"
        );
        let mut e = Series::with_extremes(10, 5);
        for i in 0..1000 {
            e.push(i as f64, if i % 2 == 0 { 1.0 } else { 3.0 });
        }
        assert!(e.points().iter().any(|p| p.1 == 3.0) && e.points().iter().any(|p| p.1 == 1.0));
    }

    #[test]
    fn recent_points_are_kept_one_per_step() {
        let mut s = Series::with_extremes(10, 50);
        for i in 0..1000 {
            s.push(i as f64, i as f64);
        }
        let zoomed = s.points_from(960.0);
        assert_eq!(zoomed.len(), 40);
        assert_eq!(zoomed[0], (960.0, 960.0));
        // Further back than the recent points reach: the thinned run.
        let all = s.points_from(0.0);
        assert!(all.len() <= 22, "{}", all.len());
        s.push(f64::NAN, 1.0);
        s.push(1000.0, f64::INFINITY);
        assert_eq!(
            s.last(),
            Some((999.0, 999.0)),
            "non-finite points are dropped"
        );
    }

    #[test]
    fn a_short_series_is_drawn_as_it_is() {
        let mut s = Series::default();
        assert!(s.is_empty() && s.points().is_empty() && s.first().is_none());
        for (x, y) in [(1.0, 2.0), (2.0, 1.0), (3.0, 1.5)] {
            s.push(x, y);
        }
        assert_eq!(s.points(), vec![(1.0, 2.0), (2.0, 1.0), (3.0, 1.5)]);
    }
}
