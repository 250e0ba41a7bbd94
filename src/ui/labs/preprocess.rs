//! A drawn digit made to look like an MNIST one, as MNIST's were made: the ink's bounding box
//! scaled (aspect kept) so that its longer side is 20 pixels, then placed in a 28×28 field so
//! that its centre of mass sits at the field's centre. A network trained on MNIST expects
//! exactly this: a digit drawn small in a corner reads badly until it is pre-processed.
//!
//! Coordinates are pixel indices: pixel `(r, c)` has its centre at `(r, c)`, so the centre
//! of a 28×28 field is `(13.5, 13.5)`.

use ndarray::{Array2, ArrayView2, s};

/// The side of the box the ink is scaled into, and of the field it is centred in.
pub const BOX: usize = 20;
pub const FIELD: usize = 28;
/// Ink below this is paper.
pub const INK: f32 = 0.05;

/// Rows and columns `(r0..r1, c0..c1)` that hold ink, or `None` for a blank picture.
pub fn bounding_box(
    img: ArrayView2<f32>,
) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    let inked = |v: &f32| *v > INK;
    let rows: Vec<usize> = (0..img.nrows())
        .filter(|&r| img.row(r).iter().any(inked))
        .collect();
    let cols: Vec<usize> = (0..img.ncols())
        .filter(|&c| img.column(c).iter().any(inked))
        .collect();
    Some((
        *rows.first()?..rows.last()? + 1,
        *cols.first()?..cols.last()? + 1,
    ))
}

/// The size `(h, w)` a `(h, w)` box takes when its longer side becomes `side` (aspect kept,
/// the shorter side rounded, at least 1).
pub fn fitted_size((h, w): (usize, usize), side: usize) -> (usize, usize) {
    let long = h.max(w).max(1) as f32;
    let fit = |n: usize| ((n as f32 * side as f32 / long).round() as usize).clamp(1, side);
    (fit(h), fit(w))
}

/// `img` `(h, w)` resampled to `(out_h, out_w)` by bilinear interpolation between pixel
/// centres (edges clamped).
pub fn resize(img: ArrayView2<f32>, (out_h, out_w): (usize, usize)) -> Array2<f32> {
    let (h, w) = img.dim();
    let at = |pos: f32, len: usize, out: usize| {
        let p = ((pos + 0.5) * len as f32 / out as f32 - 0.5).clamp(0.0, (len - 1) as f32);
        let lo = p.floor() as usize;
        (lo, (lo + 1).min(len - 1), p - lo as f32)
    };
    Array2::from_shape_fn((out_h, out_w), |(r, c)| {
        let (r0, r1, fr) = at(r as f32, h, out_h);
        let (c0, c1, fc) = at(c as f32, w, out_w);
        let top = img[[r0, c0]] * (1.0 - fc) + img[[r0, c1]] * fc;
        let bottom = img[[r1, c0]] * (1.0 - fc) + img[[r1, c1]] * fc;
        top * (1.0 - fr) + bottom * fr
    })
}

/// The centre of mass `(row, column)` of the ink; `None` when there is none.
pub fn centre_of_mass(img: ArrayView2<f32>) -> Option<(f32, f32)> {
    let total: f32 = img.sum();
    if total <= 0.0 {
        return None;
    }
    let (mut r, mut c) = (0.0, 0.0);
    for ((y, x), &v) in img.indexed_iter() {
        r += y as f32 * v;
        c += x as f32 * v;
    }
    Some((r / total, c / total))
}

/// `small` placed in a `FIELD`×`FIELD` field so that its centre of mass lands as near the
/// field's centre as whole pixels allow (and the whole of it stays inside).
pub fn centre_in_field(small: ArrayView2<f32>) -> Array2<f32> {
    let (h, w) = small.dim();
    let mut field = Array2::zeros((FIELD, FIELD));
    let (cr, cc) =
        centre_of_mass(small).unwrap_or(((h as f32 - 1.0) / 2.0, (w as f32 - 1.0) / 2.0));
    let centre = (FIELD as f32 - 1.0) / 2.0;
    let place =
        |com: f32, len: usize| (centre - com).round().clamp(0.0, (FIELD - len) as f32) as usize;
    let (top, left) = (place(cr, h), place(cc, w));
    field
        .slice_mut(s![top..top + h, left..left + w])
        .assign(&small);
    field
}

/// A drawing of any size pre-processed as MNIST was; `None` when it has no ink.
pub fn preprocess(drawing: ArrayView2<f32>) -> Option<Array2<f32>> {
    let (rows, cols) = bounding_box(drawing)?;
    let ink = drawing.slice(s![rows, cols]);
    let small = resize(ink, fitted_size(ink.dim(), BOX)).mapv(|v| v.clamp(0.0, 1.0));
    Some(centre_in_field(small.view()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank() -> Array2<f32> {
        Array2::zeros((FIELD, FIELD))
    }

    #[test]
    fn the_box_holds_exactly_the_inked_rows_and_columns() {
        let mut img = blank();
        img[[3, 5]] = 1.0;
        img[[10, 2]] = 0.5;
        img[[20, 20]] = 0.01; // below the ink threshold
        assert_eq!(bounding_box(img.view()), Some((3..11, 2..6)));
        assert_eq!(bounding_box(blank().view()), None);
    }

    #[test]
    fn the_longer_side_becomes_twenty() {
        assert_eq!(fitted_size((10, 2), BOX), (20, 4));
        assert_eq!(fitted_size((5, 15), BOX), (7, 20)); // 6.67 rounds to 7
        assert_eq!(fitted_size((28, 1), BOX), (20, 1));
    }

    #[test]
    fn a_block_in_a_corner_fills_the_central_twenty_by_twenty() {
        // A 2×2 block at the top left: scaled to 20×20 of ink, whose centre of mass (9.5,
        // 9.5) goes to (13.5, 13.5): rows and columns 4..24.
        let mut img = blank();
        img.slice_mut(s![0..2, 0..2]).fill(1.0);
        let out = preprocess(img.view()).unwrap();
        assert_eq!(out.slice(s![4..24, 4..24]), Array2::<f32>::ones((20, 20)));
        assert_eq!(out.sum(), 400.0);
    }

    #[test]
    fn a_thin_bar_keeps_its_aspect_and_is_centred() {
        // A 10×2 bar at rows 15..25, columns 1..3 → 20×4, centre of mass (9.5, 1.5) → placed
        // at top 4, left 12: rows 4..24, columns 12..16.
        let mut img = blank();
        img.slice_mut(s![15..25, 1..3]).fill(1.0);
        let out = preprocess(img.view()).unwrap();
        assert_eq!(out.slice(s![4..24, 12..16]), Array2::<f32>::ones((20, 4)));
        assert_eq!(out.sum(), 80.0);
        assert_eq!(preprocess(blank().view()), None);
    }

    #[test]
    fn the_centre_of_mass_not_the_box_is_centred() {
        // An L: a 20×20 box whose mass leans to the bottom left. Its centre of mass (13.4, 5.6) sits at (13.5, 13.5) ± half a pixel after placing, not the box's middle.
        let mut small = Array2::zeros((20, 20));
        small.slice_mut(s![.., 0..3]).fill(1.0);
        small.slice_mut(s![17..20, ..]).fill(1.0);
        let (r, c) = centre_of_mass(small.view()).unwrap();
        assert!(r > 10.0 && c < 9.0, "the L leans down and left: ({r}, {c})");
        let field = centre_in_field(small.view());
        let (fr, fc) = centre_of_mass(field.view()).unwrap();
        assert!(
            (fr - 13.5).abs() <= 0.5 && (fc - 13.5).abs() <= 0.5,
            "{fr}, {fc}"
        );
        assert_eq!(field.sum(), small.sum());
    }

    #[test]
    fn resizing_a_constant_keeps_it_and_doubling_interpolates() {
        let ones = Array2::<f32>::ones((3, 5));
        assert_eq!(resize(ones.view(), (7, 2)), Array2::<f32>::ones((7, 2)));
        let ramp = ndarray::array![[0.0, 1.0]];
        // Doubling: centres at -0.25, 0.25, 0.75, 1.25 → clamped 0, 0.25, 0.75, 1.
        assert_eq!(
            resize(ramp.view(), (1, 4)),
            ndarray::array![[0.0, 0.25, 0.75, 1.0]]
        );
    }
}
