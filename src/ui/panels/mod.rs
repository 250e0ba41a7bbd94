//! One module per panel, each with its `render_*` function (and, where clicks land on parts
//! of it, the geometry `layout::hit_test` asks). The frame every panel draws is here.

pub mod chart;
pub mod dead;
pub mod explain;
pub mod filters;
pub mod focus;
pub mod focus_layout;
pub mod focus_text;
pub mod ledger;
pub mod maps;
pub mod microscope;
pub mod prediction;
pub mod tables;

use crate::ui::app::{App, Panel};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

/// The bordered block of a panel, highlighted when focused.
pub fn panel_block<'a>(app: &App, panel: Panel, extra: &'a str) -> Block<'a> {
    let focused = app.focus == panel;
    let border = if focused {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new().fg(Color::DarkGray)
    };
    let mut title = vec![Span::styled(
        format!(" {} ", panel.title()),
        border.add_modifier(Modifier::BOLD),
    )];
    if !extra.is_empty() {
        title.push(Span::styled(
            format!("{extra} "),
            Style::new().fg(Color::Gray),
        ));
    }
    Block::bordered()
        .border_style(border)
        .title(Line::from(title))
}

/// A panel title's extra text from (rank, text) parts joined by ` · `, the least useful
/// dropped until it fits beside the panel's name in `width` columns.
pub fn title_extra(panel: Panel, parts: Vec<(u8, String)>, width: u16) -> String {
    use crate::ui::widgets::parts::{Part, fit_parts};
    // The corners, the name with its spaces and a space after the extra.
    let room = (width as usize).saturating_sub(panel.title().chars().count() + 5);
    let parts = parts
        .into_iter()
        .map(|(rank, text)| Part::new(rank, vec![Span::raw(text)]))
        .collect();
    let line = fit_parts(parts, Span::raw(" · "), room);
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    if text.chars().count() <= room {
        text
    } else {
        String::new()
    }
}

/// What a panel that draws the snapshot shows before the first one arrives.
pub fn render_waiting(area: ratatui::layout::Rect, buf: &mut ratatui::buffer::Buffer) {
    use ratatui::style::Stylize;
    use ratatui::widgets::{Paragraph, Widget};
    Paragraph::new("waiting for the first snapshot…")
        .dark_gray()
        .render(area, buf);
}

/// `1234567` → `1,234,567` (written once, in `number`).
pub use crate::number::thousands;

/// `text` broken at spaces into lines of at most `width` characters (a word longer than the
/// width is cut).
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        let word: String = word.chars().take(width.max(1)).collect();
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(&word);
            }
            _ => lines.push(word),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_at_spaces() {
        assert_eq!(wrap_words("a bb ccc dd", 6), vec!["a bb", "ccc dd"]);
        assert_eq!(wrap_words("a bb", 10), vec!["a bb"]);
        assert_eq!(wrap_words("abcdef g", 3), vec!["abc", "g"]);
    }

    #[test]
    fn thousands_groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(100), "100");
    }
}
