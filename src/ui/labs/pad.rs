//! The drawing lab's pad: a 28×28 picture drawn with the mouse (a drag inks a line from the
//! last point) or the keyboard (a cursor and a pen that inks while down). The brush is soft
//! and about three pixels wide, like MNIST's pen strokes.

use super::preprocess::{FIELD, preprocess};
use ndarray::Array2;

#[derive(Debug, Clone, PartialEq)]
pub struct Pad {
    /// The raw drawing `(28, 28)` in [0, 1].
    pub ink: Array2<f32>,
    /// The keyboard's cursor (row, column), and whether its pen is down.
    pub cursor: (usize, usize),
    pub pen: bool,
    /// Where the mouse drag was last, to join its points with a line.
    pub last: Option<(usize, usize)>,
}

impl Default for Pad {
    fn default() -> Pad {
        Pad {
            ink: Array2::zeros((FIELD, FIELD)),
            cursor: (FIELD / 2, FIELD / 2),
            pen: false,
            last: None,
        }
    }
}

/// The brush: ink at the centre, less at the four sides, a little at the corners.
const BRUSH: [(i32, i32, f32); 9] = [
    (0, 0, 1.0),
    (-1, 0, 0.7),
    (1, 0, 0.7),
    (0, -1, 0.7),
    (0, 1, 0.7),
    (-1, -1, 0.3),
    (-1, 1, 0.3),
    (1, -1, 0.3),
    (1, 1, 0.3),
];

impl Pad {
    /// Ink (or erase) one brush mark centred at (row, column); never lightens ink when inking.
    pub fn dab(&mut self, (r, c): (usize, usize), erase: bool) {
        for (dr, dc, v) in BRUSH {
            let (y, x) = (r as i32 + dr, c as i32 + dc);
            if (0..FIELD as i32).contains(&y) && (0..FIELD as i32).contains(&x) {
                let px = &mut self.ink[[y as usize, x as usize]];
                *px = if erase { 0.0 } else { px.max(v) };
            }
        }
    }

    /// Dabs along the straight line from `from` to `to`, both ends included.
    pub fn line(&mut self, from: (usize, usize), to: (usize, usize), erase: bool) {
        let (dr, dc) = (to.0 as i32 - from.0 as i32, to.1 as i32 - from.1 as i32);
        let steps = dr.abs().max(dc.abs()).max(1);
        for i in 0..=steps {
            let at = |a: usize, d: i32| (a as f32 + (d * i) as f32 / steps as f32).round() as usize;
            self.dab((at(from.0, dr), at(from.1, dc)), erase);
        }
    }

    /// A mouse press or drag at (row, column): a line from the last point of the drag.
    pub fn stroke(&mut self, at: (usize, usize), erase: bool) {
        let from = self.last.unwrap_or(at);
        self.line(from, at, erase);
        self.last = Some(at);
        self.cursor = at;
    }

    /// Move the cursor (clamped to the pad); with the pen down, ink the way.
    pub fn move_cursor(&mut self, dr: i32, dc: i32) {
        let clamp = |v: usize, d: i32| (v as i32 + d).clamp(0, FIELD as i32 - 1) as usize;
        let to = (clamp(self.cursor.0, dr), clamp(self.cursor.1, dc));
        if self.pen {
            self.line(self.cursor, to, false);
        }
        self.cursor = to;
    }

    /// Pen down (inking where the cursor is) or up.
    pub fn toggle_pen(&mut self) {
        self.pen = !self.pen;
        if self.pen {
            self.dab(self.cursor, false);
        }
    }

    pub fn clear(&mut self) {
        self.ink.fill(0.0);
        self.pen = false;
        self.last = None;
    }

    /// The drawing as the network should see it; `None` while blank.
    pub fn processed(&self) -> Option<Array2<f32>> {
        preprocess(self.ink.view())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_inks_every_pixel_on_its_way() {
        let mut pad = Pad::default();
        pad.line((2, 2), (2, 12), false);
        for c in 2..=12 {
            assert_eq!(pad.ink[[2, c]], 1.0, "column {c}");
            assert_eq!(pad.ink[[3, c]], 0.7);
        }
        assert_eq!(pad.ink[[2, 14]], 0.0);
        pad.line((20, 20), (10, 15), false);
        assert_eq!((pad.ink[[20, 20]], pad.ink[[10, 15]]), (1.0, 1.0));
    }

    #[test]
    fn the_keyboard_pen_inks_only_while_down_and_stays_on_the_pad() {
        let mut pad = Pad::default();
        pad.move_cursor(0, 3);
        assert_eq!(pad.ink.sum(), 0.0);
        pad.toggle_pen();
        pad.move_cursor(5, 0);
        assert_eq!(pad.ink[[19, 17]], 1.0);
        pad.move_cursor(100, -100);
        assert_eq!(pad.cursor, (27, 0));
        pad.clear();
        assert_eq!((pad.ink.sum(), pad.pen), (0.0, false));
        assert!(pad.processed().is_none());
    }

    #[test]
    fn a_drag_joins_its_points_and_erasing_removes_ink() {
        let mut pad = Pad::default();
        pad.stroke((5, 5), false);
        pad.stroke((5, 15), false);
        assert_eq!(
            pad.ink[[5, 10]],
            1.0,
            "the gap between two drag events is inked"
        );
        pad.last = None;
        pad.stroke((5, 10), true);
        assert_eq!(pad.ink[[5, 10]], 0.0);
        assert!(pad.processed().is_some());
    }
}
