//! The charts' y axes: a log or linear loss axis and an accuracy axis fitted to the data (or
//! 0–100 %), with ticks at round values and compact labels (`0.05`, `1e13`, `98.5%`). Pure
//! functions, tested without drawing.

use crate::number::compact;

/// A y axis: its bounds in plot space (log₁₀ of the value on a log axis) and its ticks, most
/// important first (the first ones are kept when the rows are few).
#[derive(Debug, Clone, PartialEq)]
pub struct YAxis {
    pub log: bool,
    pub lo: f64,
    pub hi: f64,
    /// (position in plot space, label).
    pub ticks: Vec<(f64, String)>,
}

impl YAxis {
    /// A value's position in plot space; `None` where a log axis has none (zero or below) or
    /// the value is not finite.
    pub fn map(&self, v: f64) -> Option<f64> {
        match (self.log, v) {
            (_, v) if !v.is_finite() => None,
            (true, v) if v <= 0.0 => None,
            (true, v) => Some(v.log10()),
            (false, v) => Some(v),
        }
    }

    /// Columns the widest label needs.
    pub fn label_width(&self) -> usize {
        self.ticks
            .iter()
            .map(|(_, l)| l.chars().count())
            .max()
            .unwrap_or(0)
    }
}

/// The 1-2-5 numbers: `v` rounded down (`up` = false) or up to 1, 2 or 5 times a power of ten.
pub fn nice(v: f64, up: bool) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    let steps = [1.0, 2.0, 5.0, 10.0];
    let eps = 1e-9;
    if up {
        steps
            .iter()
            .map(|m| m * p)
            .find(|&x| x >= v * (1.0 - eps))
            .unwrap_or(10.0 * p)
    } else {
        steps
            .iter()
            .rev()
            .map(|m| m * p)
            .find(|&x| x <= v * (1.0 + eps))
            .unwrap_or(p)
    }
}

/// A log axis over the positive values `[min, max]`: bounds at 1-2-5 values around them,
/// ticks at the bounds first, then every power of ten, then the 5s and 2s between.
pub fn log_axis(min: f64, max: f64) -> YAxis {
    let (min, max) = sane_range(min, max);
    let lo = nice(min, false);
    let mut hi = nice(max, true);
    if hi <= lo {
        hi = nice(lo * 1.5, true);
    }
    let mut values = vec![lo, hi];
    // Powers of ten first, then the fives, then the twos (a stable sort keeps each in order).
    let mut between: Vec<(usize, f64)> = one_two_fives(lo, hi)
        .filter(|&(_, v)| !close(v, lo) && !close(v, hi))
        .collect();
    between.sort_by_key(|&(rank, _)| rank);
    values.extend(between.into_iter().map(|(_, v)| v));
    YAxis {
        log: true,
        lo: lo.log10(),
        hi: hi.log10(),
        ticks: values
            .into_iter()
            .map(|v| (v.log10(), compact(v, 2)))
            .collect(),
    }
}

/// The 1-2-5 values in `[lo, hi]`, ranked: 0 for a power of ten, 1 for a five, 2 for a two.
fn one_two_fives(lo: f64, hi: f64) -> impl Iterator<Item = (usize, f64)> {
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    (first..=last).flat_map(move |e| {
        [(0, 1.0), (1, 5.0), (2, 2.0)]
            .into_iter()
            .map(move |(rank, m)| (rank, m * 10f64.powi(e)))
            .filter(move |&(_, v)| v >= lo * 0.999_999 && v <= hi * 1.000_001)
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// Positive, finite and in order, whatever came in.
fn sane_range(min: f64, max: f64) -> (f64, f64) {
    let min = if min.is_finite() && min > 0.0 {
        min
    } else {
        1e-3
    };
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    (min.min(max), max.max(min))
}

/// `n` rounded up to 1, 2, 2.5 or 5 times a power of ten.
pub fn nice_ceiling(n: f64) -> f64 {
    if !(n.is_finite() && n > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(n.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|&v| v >= n * 0.999_999)
        .unwrap_or(10.0 * p)
}

/// A linear axis from 0 to `max` rounded up: ticks at 0, the top, then the steps between.
pub fn linear_axis(max: f64) -> YAxis {
    let hi = nice_ceiling(max);
    let step = nice(hi / 4.0, false);
    let mut ticks = vec![(0.0, "0".to_string()), (hi, compact(hi, 3))];
    let mut v = step;
    while v < hi * 0.999 {
        ticks.push((v, compact(v, 3)));
        v += step;
    }
    YAxis {
        log: false,
        lo: 0.0,
        hi,
        ticks,
    }
}

/// An accuracy axis: 0–100 % when `full`, else fitted to `[min, max]` with a little room, at
/// round steps (1 %, 2 %, 5 %… or 0.1 %…), never above 100 %: e.g. 96–100 %.
pub fn accuracy_axis(min: f64, max: f64, full: bool) -> YAxis {
    let (lo, hi, step) = if full || !(min.is_finite() && max.is_finite()) {
        (0.0, 1.0, 0.25)
    } else {
        fit_accuracy(min.clamp(0.0, 1.0), max.clamp(0.0, 1.0))
    };
    let decimals = if step < 0.01 - 1e-12 { 1 } else { 0 };
    let label = |v: f64| format!("{:.*}%", decimals, v * 100.0);
    let mut ticks = vec![(lo, label(lo)), (hi, label(hi))];
    let n = ((hi - lo) / step).round() as usize;
    ticks.extend((1..n).map(|i| lo + i as f64 * step).map(|v| (v, label(v))));
    YAxis {
        log: false,
        lo,
        hi,
        ticks,
    }
}

/// Bounds and tick step for accuracies in `[min, max]` (both in [0, 1]).
fn fit_accuracy(min: f64, max: f64) -> (f64, f64, f64) {
    let pad = ((max - min) * 0.1).max(0.002);
    let (lo, hi) = ((min - pad).max(0.0), (max + pad).min(1.0));
    const STEPS: [f64; 9] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25];
    let step = STEPS
        .iter()
        .copied()
        .find(|s| (hi - lo) / s <= 4.0)
        .unwrap_or(0.25);
    let lo = ((lo / step + 1e-9).floor() * step).max(0.0);
    let hi = ((hi / step - 1e-9).ceil() * step).min(1.0);
    (lo, hi.max(lo + step), step)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn labels(a: &YAxis) -> Vec<&str> {
        a.ticks.iter().map(|(_, l)| l.as_str()).collect()
    }

    #[test]
    fn nice_numbers_are_one_two_or_five() {
        assert_eq!(nice(2.3, true), 5.0);
        assert_eq!(nice(2.3, false), 2.0);
        assert_eq!(nice(0.07, true), 0.1);
        assert_eq!(nice(0.07, false), 0.05);
        assert_eq!(nice(1.0, true), 1.0);
        assert_eq!(nice(f64::NAN, true), 1.0);
    }

    #[test]
    fn log_ticks_sit_at_the_bounds_then_powers_of_ten_then_fives_and_twos() {
        let a = log_axis(0.03, 2.4);
        assert!(a.log);
        assert!(
            near(a.lo, 0.02f64.log10()) && near(a.hi, 5f64.log10()),
            "{a:?}"
        );
        assert_eq!(
            labels(&a),
            ["0.02", "5", "0.1", "1", "0.05", "0.5", "0.2", "2"]
        );
        assert!(a.ticks.iter().all(|(p, _)| (a.lo..=a.hi).contains(p)));
        // A loss that exploded: the labels stay short.
        let wild = log_axis(0.01, 8.8e13);
        assert_eq!(labels(&wild)[..3], ["0.01", "1e14", "0.1"]);
        assert!(wild.label_width() <= 5, "{:?}", labels(&wild));
        assert_eq!(wild.map(0.0), None);
        assert_eq!(wild.map(f64::NAN), None);
        assert_eq!(wild.map(100.0), Some(2.0));
    }

    #[test]
    fn a_flat_or_odd_range_still_gives_an_axis() {
        let flat = log_axis(0.5, 0.5);
        assert!(flat.hi > flat.lo, "{flat:?}");
        let odd = log_axis(f64::NAN, -1.0);
        assert!(odd.hi > odd.lo);
        let lin = linear_axis(2.3);
        assert_eq!(labels(&lin), ["0", "2.5", "0.5", "1", "1.5", "2"]);
        assert_eq!(nice_ceiling(0.7), 1.0);
        assert_eq!(nice_ceiling(3.0), 5.0);
        assert_eq!(linear_axis(0.0).hi, 1.0);
    }

    #[test]
    fn the_accuracy_axis_fits_the_data() {
        let a = accuracy_axis(0.968, 0.992, false);
        assert!(near(a.lo, 0.96) && near(a.hi, 1.0), "{a:?}");
        assert_eq!(labels(&a), ["96%", "100%", "97%", "98%", "99%"]);
        let narrow = accuracy_axis(0.981, 0.986, false);
        assert!(narrow.lo >= 0.975 && narrow.hi <= 0.992, "{narrow:?}");
        assert!(
            labels(&narrow).iter().all(|l| l.contains('.')),
            "{:?}",
            labels(&narrow)
        );
        let early = accuracy_axis(0.11, 0.9, false);
        assert!(near(early.lo, 0.0) && near(early.hi, 1.0), "{early:?}");
        let full = accuracy_axis(0.968, 0.992, true);
        assert_eq!(labels(&full), ["0%", "100%", "25%", "50%", "75%"]);
    }
}
