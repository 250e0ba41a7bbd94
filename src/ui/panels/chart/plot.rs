//! Drawing one chart: the y labels in a left gutter and the curves as braille lines on a
//! canvas, resampled to its resolution. Positions follow the canvas's own arithmetic
//! (`column_of`, `row_of`), so that a label sits on the row of its value and a marker on the
//! column of its step.

use super::axis::YAxis;
use super::data::Curve;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::widgets::Widget;
use ratatui::widgets::canvas::{Canvas, Line, Points};

/// Braille dots per cell, across and down.
const DOTS: (f64, f64) = (2.0, 4.0);

/// The cell column (from the plot's left) where the canvas puts `x` of the range `[lo, hi]`.
pub fn column_of(x: f64, (lo, hi): (f64, f64), width: u16) -> Option<u16> {
    if !(lo..=hi).contains(&x) || width == 0 || hi <= lo {
        return None;
    }
    let dot = ((x - lo) * (width as f64 * DOTS.0 - 1.0) / (hi - lo)).round();
    Some((dot / DOTS.0) as u16)
}

/// The cell row (from the plot's top) where the canvas puts `y` of the range `[lo, hi]`.
pub fn row_of(y: f64, (lo, hi): (f64, f64), height: u16) -> Option<u16> {
    if !(lo..=hi).contains(&y) || height == 0 || hi <= lo {
        return None;
    }
    let dot = ((hi - y) * (height as f64 * DOTS.1 - 1.0) / (hi - lo)).round();
    Some((dot / DOTS.1) as u16)
}

/// The plot area right of the gutter.
pub fn plot_area(area: Rect, gutter: u16) -> Rect {
    let g = gutter.min(area.width);
    Rect::new(area.x + g, area.y, area.width - g, area.height)
}

/// One chart in `area`: y labels right-aligned in the first `gutter` columns (its last one is
/// the axis line), then the curves of `x`'s range, first curve at the bottom.
pub fn render_plot(
    axis: &YAxis,
    curves: &[Curve],
    x: (f64, f64),
    area: Rect,
    gutter: u16,
    buf: &mut Buffer,
) {
    let plot = plot_area(area, gutter);
    if plot.is_empty() || gutter == 0 {
        return;
    }
    let drawn = in_plot_space(curves, axis, x, (plot.width as f64 * DOTS.0) as usize);
    Canvas::default()
        .marker(Marker::Braille)
        .x_bounds([x.0, x.1])
        .y_bounds([axis.lo, axis.hi])
        .paint(|ctx| {
            for c in &drawn {
                if c.raw || c.points.len() == 1 {
                    ctx.draw(&Points::new(&c.points, c.color));
                }
                if !c.raw {
                    for w in c.points.windows(2) {
                        ctx.draw(&Line::new(w[0].0, w[0].1, w[1].0, w[1].1, c.color));
                    }
                }
                ctx.layer();
            }
        })
        .render(plot, buf);
    render_y_labels(axis, area, gutter, buf);
}

/// Each curve in plot space (a log axis takes log₁₀; what it cannot show is left out), at the
/// resolution of `dots` columns across `x`.
fn in_plot_space(curves: &[Curve], axis: &YAxis, x: (f64, f64), dots: usize) -> Vec<Curve> {
    curves
        .iter()
        .map(|c| {
            let points: Vec<_> = c
                .points
                .iter()
                .filter_map(|&(px, y)| axis.map(y).map(|v| (px, v)))
                .collect();
            Curve {
                points: resample(&points, x, dots, c.raw),
                ..*c
            }
        })
        .collect()
}

/// `points` (in step order) at the canvas's resolution: of those that fall in one of the
/// `dots` columns across `x`, their mean (a curve stays a line however many steps a column
/// holds), or with `extremes` their lowest and highest (the per-batch loss: its spikes stay).
pub fn resample(
    points: &[(f64, f64)],
    x: (f64, f64),
    dots: usize,
    extremes: bool,
) -> Vec<(f64, f64)> {
    let (lo, hi) = x;
    if dots < 2 || hi <= lo {
        return points.to_vec();
    }
    let column = |px: f64| ((px - lo) * (dots - 1) as f64 / (hi - lo)).round() as i64;
    let mut out = Vec::new();
    for group in points.chunk_by(|a, b| column(a.0) == column(b.0)) {
        if extremes {
            let by_y = |a: &&(f64, f64), b: &&(f64, f64)| a.1.total_cmp(&b.1);
            let low = *group.iter().min_by(by_y).expect("a point");
            let high = *group.iter().max_by(by_y).expect("a point");
            out.push(low);
            if high != low {
                out.push(high);
            }
        } else {
            let n = group.len() as f64;
            let sum = group.iter().fold((0.0, 0.0), |s, p| (s.0 + p.0, s.1 + p.1));
            out.push((sum.0 / n, sum.1 / n));
        }
    }
    out
}

/// Tick labels on the rows of their values, a free row between two; the axis line beside them.
fn render_y_labels(axis: &YAxis, area: Rect, gutter: u16, buf: &mut Buffer) {
    let line_x = area.x + gutter - 1;
    let dim = Style::new().fg(Color::DarkGray);
    for row in 0..area.height {
        buf[(line_x, area.y + row)].set_symbol("│").set_style(dim);
    }
    let mut taken: Vec<u16> = Vec::new();
    for (pos, label) in &axis.ticks {
        let Some(row) = row_of(*pos, (axis.lo, axis.hi), area.height) else {
            continue;
        };
        if taken.iter().any(|&r| r.abs_diff(row) < 2) {
            continue;
        }
        taken.push(row);
        let width = label.chars().count().min(gutter as usize - 1) as u16;
        let text: String = label.chars().take(width as usize).collect();
        buf.set_string(
            line_x - width,
            area.y + row,
            text,
            Style::new().fg(Color::Gray),
        );
        buf[(line_x, area.y + row)].set_symbol("┤").set_style(dim);
    }
}

#[cfg(test)]
mod tests;
