//! A line made of parts that drops its least useful parts first when it is too wide, instead
//! of being cut at the edge: the status line, and the labels above the maps.

use ratatui::text::{Line, Span};

/// One part of a line: its spans and how much it matters (a higher rank stays longer).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub rank: u8,
    pub spans: Vec<Span<'static>>,
}

impl Part {
    pub fn new(rank: u8, spans: Vec<Span<'static>>) -> Part {
        Part { rank, spans }
    }

    fn width(&self) -> usize {
        self.spans.iter().map(Span::width).sum()
    }
}

/// The parts in their order, the lowest ranks (the last of equals first) dropped until the
/// rest fit in `width` with `sep` between them. A single part wider than `width` is kept (and
/// cut by the terminal) when it is all that is left.
pub fn fit_parts(mut parts: Vec<Part>, sep: Span<'static>, width: usize) -> Line<'static> {
    let total = |parts: &[Part]| {
        let gaps = parts.len().saturating_sub(1) * sep.width();
        parts.iter().map(Part::width).sum::<usize>() + gaps
    };
    while parts.len() > 1 && total(&parts) > width {
        let lowest = parts.iter().map(|p| p.rank).min().unwrap_or(0);
        let drop = parts.iter().rposition(|p| p.rank == lowest).unwrap_or(0);
        parts.remove(drop);
    }
    let mut spans = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            spans.push(sep.clone());
        }
        spans.extend(part.spans);
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn least_useful_parts_go_first_and_order_is_kept() {
        let parts = vec![
            Part::new(9, vec![Span::raw("MNIST")]),
            Part::new(2, vec![Span::raw("lr 0.07")]),
            Part::new(8, vec![Span::raw("running")]),
            Part::new(2, vec![Span::raw("batch 32")]),
        ];
        let sep = Span::raw(" | ");
        assert_eq!(
            text(&fit_parts(parts.clone(), sep.clone(), 80)),
            "MNIST | lr 0.07 | running | batch 32"
        );
        // All four take 36 columns: the last of the two rank-2 parts goes first.
        assert_eq!(
            text(&fit_parts(parts.clone(), sep.clone(), 30)),
            "MNIST | lr 0.07 | running"
        );
        assert_eq!(
            text(&fit_parts(parts.clone(), sep.clone(), 16)),
            "MNIST | running"
        );
        assert_eq!(text(&fit_parts(parts, sep, 3)), "MNIST");
    }
}
