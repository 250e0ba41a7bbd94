//! An exponential moving average: the smoothed loss of the dashboard's chart and of the
//! headless progress lines, and the running training accuracy.

/// Weight of the newest value in the smoothed loss and the running accuracy: about the last
/// twenty steps count.
pub const SMOOTHING: f64 = 0.05;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ema {
    alpha: f64,
    value: Option<f64>,
}

impl Ema {
    pub fn new(alpha: f64) -> Ema {
        Ema { alpha, value: None }
    }

    /// Add a value and return the average; the first value is the average. A value that is
    /// not finite is left out (the average stays as it was).
    pub fn push(&mut self, x: f64) -> Option<f64> {
        if x.is_finite() {
            let alpha = self.alpha;
            self.value = Some(self.value.map_or(x, |v| v + alpha * (x - v)));
        }
        self.value
    }

    pub fn value(&self) -> Option<f64> {
        self.value
    }
}

impl Default for Ema {
    fn default() -> Self {
        Ema::new(SMOOTHING)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_average_follows_slowly_and_skips_non_finite_values() {
        let mut e = Ema::new(0.5);
        assert_eq!(e.value(), None);
        assert_eq!(e.push(2.0), Some(2.0));
        assert_eq!(e.push(f64::NAN), Some(2.0));
        assert_eq!(e.push(1.0), Some(1.5));
        assert_eq!(e.push(f64::INFINITY), Some(1.5));
    }
}
