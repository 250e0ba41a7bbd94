//! How the chart panel shows the history: the loss axis (log or linear), the accuracy axis
//! (fitted or 0–100 %) and the window of steps (all, or the last N). App state, set by keys.

/// Windows offered, in steps; beyond the last comes "all".
pub const WINDOWS: [usize; 9] = [100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChartView {
    /// The loss axis as chosen with `y`; `None` until then: log once the loss fell tenfold.
    pub log_loss: Option<bool>,
    /// Accuracy on 0–100 % (`Y`) instead of an axis fitted to the data.
    pub full_accuracy: bool,
    /// The last this many steps, or all (`None`).
    pub window: Option<usize>,
}

impl ChartView {
    /// Is the loss axis logarithmic, given whether the loss has fallen tenfold?
    pub fn log_scale(&self, fell_tenfold: bool) -> bool {
        self.log_loss.unwrap_or(fell_tenfold)
    }

    /// A narrower window: the widest offered that is narrower than what is shown now (`span`
    /// steps of history, all of it when the window is wider). `None` at the narrowest.
    pub fn narrower(&self, span: usize) -> Option<usize> {
        let shown = self.window.map_or(span, |w| w.min(span));
        WINDOWS.iter().rev().copied().find(|&w| w < shown)
    }

    /// A wider window: the next offered, or all once that covers the whole history. `None`
    /// when all is shown already.
    pub fn wider(&self, span: usize) -> Option<Option<usize>> {
        let shown = self.window?;
        match WINDOWS.iter().copied().find(|&w| w > shown) {
            Some(w) if w < span => Some(Some(w)),
            _ => Some(None),
        }
    }

    /// The step range `[lo, hi]` shown of a history that spans `[first, last]`.
    pub fn range(&self, first: f64, last: f64) -> (f64, f64) {
        let lo = match self.window {
            Some(w) => first.max(last - w as f64),
            None => first,
        };
        (lo, last.max(lo + 1.0))
    }

    /// For the banner: `all steps` or `the last 2,000 steps`.
    pub fn window_label(window: Option<usize>) -> String {
        match window {
            None => "all steps".into(),
            Some(w) => format!("the last {} steps", crate::number::thousands(w)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_zooms_in_and_out_through_the_offered_sizes() {
        let mut v = ChartView::default();
        assert_eq!(v.range(0.0, 30_000.0), (0.0, 30_000.0), "all by default");
        // Narrower from all: the widest window narrower than the 30,000 steps shown.
        v.window = v.narrower(30_000);
        assert_eq!(v.window, Some(20_000));
        assert_eq!(v.range(0.0, 30_000.0), (10_000.0, 30_000.0));
        v.window = v.narrower(30_000);
        assert_eq!(v.window, Some(10_000));
        v.window = Some(100);
        assert_eq!(v.narrower(30_000), None, "100 is the narrowest");
        assert_eq!(v.wider(30_000), Some(Some(200)));
        v.window = Some(20_000);
        assert_eq!(v.wider(30_000), Some(None), "50,000 covers it all: all");
        v.window = None;
        assert_eq!(v.wider(30_000), None, "all is the widest");
        // A window wider than the history shows all of it.
        assert_eq!(v.narrower(150), Some(100));
        v.window = Some(5_000);
        assert_eq!(v.range(0.0, 150.0), (0.0, 150.0));
        assert_eq!(v.range(7.0, 7.0), (7.0, 8.0), "at least one step wide");
    }

    #[test]
    fn the_loss_axis_turns_log_once_the_loss_fell_tenfold_unless_chosen() {
        let mut v = ChartView::default();
        assert!(!v.log_scale(false));
        assert!(v.log_scale(true));
        v.log_loss = Some(false);
        assert!(!v.log_scale(true));
    }
}
