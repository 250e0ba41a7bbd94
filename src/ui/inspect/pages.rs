//! The inspect screen's pages and the strip that names them, at the top of the screen: Tab /
//! S-Tab or a click on a name switches pages.

use crate::ui::theme;
use crate::ui::widgets::colormap::ColorMode;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// One page of the inspect screen, each answering one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Page {
    /// Which digits are confused with which, and the digits themselves.
    #[default]
    Confusion,
    /// Which pixels made the network call the probe digit what it did.
    Saliency,
    /// What each filter responds to across the test set.
    Filters,
    /// Each layer's outputs, weights, gradients and update sizes on the training batch.
    Layers,
}

impl Page {
    pub const ALL: [Page; 4] = [Page::Confusion, Page::Saliency, Page::Filters, Page::Layers];

    pub fn title(self) -> &'static str {
        match self {
            Page::Confusion => "confusion",
            Page::Saliency => "saliency",
            Page::Filters => "filters",
            Page::Layers => "layers",
        }
    }

    /// The page `delta` places on, wrapping.
    pub fn cycle(self, delta: i8) -> Page {
        let n = Page::ALL.len() as i8;
        let i = Page::ALL.iter().position(|&p| p == self).unwrap_or(0) as i8;
        Page::ALL[(i + delta).rem_euclid(n) as usize]
    }
}

/// The strip's entries as (page, text), e.g. " confusion ".
fn entries() -> impl Iterator<Item = (Page, String)> {
    Page::ALL
        .into_iter()
        .map(|p| (p, format!(" {} ", p.title())))
}

/// Draw the strip in the first row of `area`, the shown page marked, then the hint.
pub fn render_strip(current: Page, colors: ColorMode, area: Rect, buf: &mut Buffer) {
    let mut spans = vec![Span::raw(" pages:")];
    for (page, text) in entries() {
        spans.push(Span::raw(" "));
        spans.push(if page == current {
            Span::styled(text, theme::KEY.marked(colors)).bold()
        } else {
            Span::styled(text, theme::TEXT.style(colors))
        });
    }
    spans.push(Span::styled("  (Tab / S-Tab)", theme::QUIET.style(colors)));
    Line::from(spans).render(area, buf);
}

/// The page whose name is at `column` of a strip drawn from `x`.
pub fn strip_hit(x: u16, column: u16) -> Option<Page> {
    let mut at = x + " pages:".len() as u16;
    for (page, text) in entries() {
        at += 1;
        let w = text.chars().count() as u16;
        if (at..at + w).contains(&column) {
            return Some(page);
        }
        at += w;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cycle_both_ways_and_a_click_finds_its_name() {
        assert_eq!(Page::Confusion.cycle(1), Page::Saliency);
        assert_eq!(Page::Confusion.cycle(-1), Page::Layers);
        assert_eq!(Page::Filters.cycle(1), Page::Layers);
        assert_eq!(Page::Layers.cycle(1), Page::Confusion);
        // " pages: " then " confusion " at 8..19, a space, " saliency " at 20..30.
        assert_eq!(strip_hit(0, 7), None);
        assert_eq!(strip_hit(0, 8), Some(Page::Confusion));
        assert_eq!(strip_hit(0, 18), Some(Page::Confusion));
        assert_eq!(strip_hit(0, 19), None);
        assert_eq!(strip_hit(0, 20), Some(Page::Saliency));
        assert_eq!(strip_hit(10, 30), Some(Page::Saliency));
    }
}
