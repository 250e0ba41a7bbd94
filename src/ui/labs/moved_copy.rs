//! Whether a shifted map is the unshifted one moved (the translation lab's check, "relu1 ✓"),
//! and the shift's label.

use crate::train::analysis::lab::{shift, spans};
use ndarray::{Array2, ArrayView2, s};

/// "→3 ↓1", or "not shifted".
pub fn shift_label(dx: i32, dy: i32) -> String {
    if (dx, dy) == (0, 0) {
        return "not shifted".into();
    }
    let h = match dx {
        0 => String::new(),
        d if d > 0 => format!("→{d} "),
        d => format!("←{} ", -d),
    };
    let v = match dy {
        0 => String::new(),
        d if d > 0 => format!("↓{d}"),
        d => format!("↑{}", -d),
    };
    format!("shifted {h}{v}").trim_end().to_string()
}

/// Whether the shifted map `b` is the map `a` moved: by the shift divided by how much smaller
/// the map is than the 28-pixel input, compared where the moved copy has a source.
pub fn check(layer: &str, a: ArrayView2<f32>, b: ArrayView2<f32>, (dx, dy): (i32, i32)) -> String {
    let stride = (28 / a.dim().0.max(1)) as i32;
    if dx % stride != 0 || dy % stride != 0 {
        return format!("{layer} ✗");
    }
    match moved_copy_error(a, b, (dx / stride, dy / stride)) {
        Some(e) if e < 1e-3 => format!("{layer} ✓"),
        Some(e) => format!("{layer} ≈{:.0}%", 100.0 * e),
        None => format!("{layer} gone"),
    }
}

/// Map pixels next to the edges left out of the comparison: there the shifted digit's maps
/// also see what the shift pushed out of the picture (or the zeros it brought in).
const EDGE: usize = 2;

/// The largest difference between `b` and `a` moved by (dx, dy) map pixels, relative to the
/// largest value of `a`, over the pixels the move gives a source, `EDGE` pixels away from
/// the edges; `None` when none.
pub fn moved_copy_error(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    (dx, dy): (i32, i32),
) -> Option<f32> {
    let (h, w) = a.dim();
    let ((ys, _), (xs, _)) = (spans(h, dy)?, spans(w, dx)?);
    let inner = |r: std::ops::Range<usize>, len: usize| {
        r.start.max(EDGE)..r.end.min(len.saturating_sub(EDGE))
    };
    let (ys, xs) = (inner(ys, h), inner(xs, w));
    if ys.is_empty() || xs.is_empty() {
        return None;
    }
    let moved: Array2<f32> = shift(a, dx, dy);
    let diff = (&moved.slice(s![ys.clone(), xs.clone()]) - &b.slice(s![ys, xs]))
        .iter()
        .fold(0.0f32, |m, v| m.max(v.abs()));
    let peak = a.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    Some(if peak > 0.0 { diff / peak } else { diff })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_copy_has_no_error_and_a_changed_map_has_some() {
        let a = Array2::from_shape_fn((8, 8), |(y, x)| {
            if (2..4).contains(&y) && (1..3).contains(&x) {
                1.0
            } else {
                0.0
            }
        });
        let b = shift(a.view(), 2, 1);
        assert_eq!(moved_copy_error(a.view(), b.view(), (2, 1)), Some(0.0));
        let mut c = b.clone();
        c[[3, 3]] = 0.5;
        assert_eq!(moved_copy_error(a.view(), c.view(), (2, 1)), Some(0.5));
        // A difference next to an edge is not counted: the shift may have pushed ink out.
        c[[3, 3]] = 1.0;
        c[[7, 4]] = 0.9;
        assert_eq!(moved_copy_error(a.view(), c.view(), (2, 1)), Some(0.0));
        assert_eq!(moved_copy_error(a.view(), b.view(), (9, 0)), None);
        assert_eq!(shift_label(3, -1), "shifted →3 ↑1");
        assert_eq!(shift_label(0, 2), "shifted ↓2");
    }
}
