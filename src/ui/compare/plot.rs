//! A small line plot drawn with one character per series, so that it reads in ASCII and in a
//! text snapshot: each series' points joined column by column.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// One series: its points (x, y), its mark and its style.
pub struct Series<'a> {
    pub points: &'a [(f64, f64)],
    pub mark: char,
    pub style: Style,
}

/// Plot the series into `area` with x in `xs` and y in `ys` (y up). Later series draw over
/// earlier ones. Each column gets the series' value interpolated at its x.
pub fn plot(series: &[Series<'_>], xs: (f64, f64), ys: (f64, f64), area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    if area.width < 2 || area.height < 2 || xs.1 <= xs.0 || ys.1 <= ys.0 {
        return;
    }
    let (w, h) = (area.width as f64, area.height as f64);
    for s in series {
        for col in 0..area.width {
            let x = xs.0 + (xs.1 - xs.0) * f64::from(col) / (w - 1.0);
            let Some(y) = value_at(s.points, x) else {
                continue;
            };
            let t = ((y - ys.0) / (ys.1 - ys.0)).clamp(0.0, 1.0);
            let row = ((1.0 - t) * (h - 1.0)).round() as u16;
            buf[(area.x + col, area.y + row)]
                .set_char(s.mark)
                .set_style(s.style);
        }
    }
}

/// The series' value at `x`, linear between its points; `None` outside them.
pub fn value_at(points: &[(f64, f64)], x: f64) -> Option<f64> {
    let first = points.first()?;
    if points.len() == 1 {
        return ((x - first.0).abs() < f64::EPSILON).then_some(first.1);
    }
    let i = points.partition_point(|p| p.0 < x);
    if i == 0 {
        return (x == first.0).then_some(first.1);
    }
    let (a, b) = (points[i - 1], *points.get(i)?);
    let t = if b.0 > a.0 {
        (x - a.0) / (b.0 - a.0)
    } else {
        1.0
    };
    Some(a.1 + t * (b.1 - a.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolates_between_points_and_not_outside() {
        let p = [(0.0, 0.0), (2.0, 1.0), (4.0, 1.0)];
        assert_eq!(value_at(&p, 1.0), Some(0.5));
        assert_eq!(value_at(&p, 0.0), Some(0.0));
        assert_eq!(value_at(&p, 4.0), Some(1.0));
        assert_eq!(value_at(&p, 5.0), None);
        assert_eq!(value_at(&p, -1.0), None);
        assert_eq!(value_at(&[], 0.0), None);
    }

    #[test]
    fn a_rising_line_goes_from_bottom_left_to_top_right() {
        let area = Rect::new(0, 0, 5, 3);
        let mut buf = Buffer::empty(area);
        let pts = [(0.0, 0.0), (1.0, 1.0)];
        let s = Series {
            points: &pts,
            mark: '*',
            style: Style::default(),
        };
        plot(&[s], (0.0, 1.0), (0.0, 1.0), area, &mut buf);
        assert_eq!(buf[(0, 2)].symbol(), "*");
        assert_eq!(buf[(4, 0)].symbol(), "*");
        assert_eq!(buf[(0, 0)].symbol(), " ");
    }
}
