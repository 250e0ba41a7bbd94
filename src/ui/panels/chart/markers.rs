//! Markers on the charts: a dotted vertical line at every edit, change of a setting, reset,
//! rewind and divergence, through both charts, and its label ("conv1 stride 1→2") along the
//! top of the loss chart where there is room.

use super::plot::column_of;
use crate::ui::history::MarkerKind;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};

/// The colour a marker is drawn in.
pub fn marker_color(kind: MarkerKind) -> Color {
    match kind {
        MarkerKind::Edit | MarkerKind::Setting => Color::Magenta,
        MarkerKind::Reset | MarkerKind::Rewind => Color::LightBlue,
        MarkerKind::Diverged => Color::LightRed,
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
