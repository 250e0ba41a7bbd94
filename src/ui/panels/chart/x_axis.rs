//! The step axis under the charts: a line with a tick at every epoch boundary, then a row with
//! the first and the last step shown and the epochs' numbers where they fit.

use super::plot::{column_of, plot_area};
use crate::number::thousands;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

/// The axis in `area` (two rows: the line, the labels), its line in the gutter's last column;
/// `unit` in the gutter of the labels' row.
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
    let columns: Vec<(u16, usize)> = epochs
        .iter()
        .filter_map(|&(s, e)| column_of(s, x, plot.width).map(|c| (c, e)))
        .collect();
    let dim = Style::new().fg(Color::DarkGray);
    buf[(plot.x - 1, area.y)].set_symbol("└").set_style(dim);
    for col in 0..plot.width {
        let tick = columns.iter().any(|&(c, _)| c == col);
        let symbol = if tick { "┴" } else { "─" };
        buf[(plot.x + col, area.y)]
            .set_symbol(symbol)
            .set_style(dim);
    }
    if area.height >= 2 {
        let labels = Rect::new(plot.x, area.y + 1, plot.width, 1);
        render_labels(x, &columns, labels, buf);
        if gutter as usize > unit.chars().count() {
            buf.set_string(area.x, area.y + 1, unit, dim);
        }
    }
}

/// The first and last step at the ends of `row`, the epochs (`ep3`) at their columns where
/// they cover no other label.
fn render_labels(x: (f64, f64), epochs: &[(u16, usize)], row: Rect, buf: &mut Buffer) {
    let first = thousands(x.0.round() as usize);
    let last = thousands(x.1.round() as usize);
    let last_at = row.width.saturating_sub(last.chars().count() as u16);
    let mut used = vec![(0, first.chars().count() as u16), (last_at, row.width)];
    let gray = Style::new().fg(Color::Gray);
    buf.set_string(row.x, row.y, &first, gray);
    buf.set_string(row.x + last_at, row.y, &last, gray);
    for &(col, epoch) in epochs {
        let label = format!("ep{}", epoch + 1);
        let span = (col, col + label.chars().count() as u16);
        if used.iter().all(|&(a, b)| span.1 < a || span.0 > b) {
            used.push(span);
            buf.set_string(row.x + col, row.y, label, Style::new().fg(Color::DarkGray));
        }
    }
}
