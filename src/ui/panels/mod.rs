//! One module per panel, each with its `render_*` function (and, where clicks land on parts
//! of it, the geometry `layout::hit_test` asks). The frame every panel draws is here.

pub mod chart;
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

/// What a panel that draws the snapshot shows before the first one arrives.
pub fn render_waiting(area: ratatui::layout::Rect, buf: &mut ratatui::buffer::Buffer) {
    use ratatui::style::Stylize;
    use ratatui::widgets::{Paragraph, Widget};
    Paragraph::new("waiting for the first snapshot…")
        .dark_gray()
        .render(area, buf);
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(100), "100");
    }
}
