//! Drawing one chart: the y labels in a left gutter, the curves as braille lines on a canvas,
//! the markers as dotted vertical lines with their labels where there is room, and the shared
//! step axis with the epoch boundaries. Positions follow the canvas's own arithmetic
//! (`column_of`, `row_of`), so that a label sits on the row of its value.

use super::axis::YAxis;
use super::data::Curve;
use crate::number::thousands;
use crate::ui::history::MarkerKind;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
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

/// The colour a marker is drawn in.
pub fn marker_color(kind: MarkerKind) -> Color {
    match kind {
        MarkerKind::Edit | MarkerKind::Setting => Color::Magenta,
        MarkerKind::Reset | MarkerKind::Rewind => Color::LightBlue,
        MarkerKind::Diverged => Color::LightRed,
    }
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
    let dots = (plot.width as f64 * DOTS.0) as usize;
    // Each curve in plot space (a log axis takes log₁₀), at the canvas's resolution.
    let drawn: Vec<Curve> = curves
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
        .collect();
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

/// Dotted vertical lines at the markers, through every cell of the plots the curves left empty.
pub fn render_marker_lines(
    markers: &[(f64, MarkerKind, String)],
    x: (f64, f64),
    plots: &[Rect],
    buf: &mut Buffer,
) {
    for plot in plots {
        for (mx, kind, _) in markers {
            let Some(col) = column_of(*mx, x, plot.width) else {
                continue;
            };
            for row in plot.y..plot.bottom() {
                let cell = &mut buf[(plot.x + col, row)];
                if matches!(cell.symbol(), " " | "\u{2800}") {
                    cell.set_symbol("┆").set_fg(marker_color(*kind));
                }
            }
        }
    }
}

/// The markers' labels along the top rows of `plot`, right of their line (left of it near the
/// right edge), each where it does not cover another; the rest stay unlabelled.
pub fn render_marker_labels(
    markers: &[(f64, MarkerKind, String)],
    x: (f64, f64),
    plot: Rect,
    buf: &mut Buffer,
) {
    let rows = plot.height.min(2);
    let mut used: Vec<Vec<(u16, u16)>> = vec![Vec::new(); rows as usize];
    for (mx, kind, label) in markers {
        let Some(col) = column_of(*mx, x, plot.width) else {
            continue;
        };
        let w = label.chars().count() as u16;
        let right = col + 1;
        let start = if right + w <= plot.width {
            right
        } else if w < col {
            col - w
        } else {
            continue;
        };
        let span = (start, start + w);
        let free = |spans: &Vec<(u16, u16)>| spans.iter().all(|&(a, b)| span.1 < a || span.0 > b);
        let Some(row) = (0..rows as usize).find(|&r| free(&used[r])) else {
            continue;
        };
        used[row].push(span);
        let style = Style::new()
            .fg(marker_color(*kind))
            .add_modifier(Modifier::BOLD);
        buf.set_string(plot.x + start, plot.y + row as u16, label, style);
    }
}

/// The step axis under the plots: a line with a tick at every epoch boundary, then a row with
/// the first and last step and the epochs' numbers where they fit; `unit` in the gutter.
pub fn render_x_axis(
    x: (f64, f64),
    epochs: &[(f64, usize)],
    unit: &str,
    area: Rect,
    gutter: u16,
    buf: &mut Buffer,
) {
    let plot = plot_area(area, gutter);
    if plot.is_empty() || gutter == 0 || area.height == 0 {
        return;
    }
    let dim = Style::new().fg(Color::DarkGray);
    buf[(area.x + gutter - 1, area.y)]
        .set_symbol("└")
        .set_style(dim);
    for col in 0..plot.width {
        buf[(plot.x + col, area.y)].set_symbol("─").set_style(dim);
    }
    let columns: Vec<(u16, usize)> = epochs
        .iter()
        .filter_map(|&(s, e)| column_of(s, x, plot.width).map(|c| (c, e)))
        .collect();
    for &(col, _) in &columns {
        buf[(plot.x + col, area.y)].set_symbol("┴").set_style(dim);
    }
    if area.height < 2 {
        return;
    }
    let y = area.y + 1;
    let (first, last) = (
        thousands(x.0.round() as usize),
        thousands(x.1.round() as usize),
    );
    let last_at = plot.width.saturating_sub(last.chars().count() as u16);
    let mut used = vec![(0, first.chars().count() as u16), (last_at, plot.width)];
    buf.set_string(plot.x, y, &first, Style::new().fg(Color::Gray));
    buf.set_string(plot.x + last_at, y, &last, Style::new().fg(Color::Gray));
    for (col, epoch) in columns {
        let label = format!("ep{}", epoch + 1);
        let span = (col, col + label.chars().count() as u16);
        if used.iter().all(|&(a, b)| span.1 < a || span.0 > b) {
            used.push(span);
            buf.set_string(plot.x + col, y, label, dim);
        }
    }
    if gutter as usize > unit.chars().count() {
        buf.set_string(area.x, y, unit, dim);
    }
}
