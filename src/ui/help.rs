//! The help overlay (`?`), listed from the same key table as the input handling.

use super::app::App;
use super::focus_keys::FOCUS_KEYS;
use super::inspect::INSPECT_KEYS;
use super::keys::{Group, merged, merged_of};
use super::labs::LABS_KEYS;
use super::screen::Screen;
use super::widgets::colormap::{NEGATIVE_RAMP, POSITIVE_RAMP};
use super::widgets::heatmap::ramp;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

/// Width of the key column and of one column of the overlay.
const KEY_W: usize = 9;
const COLUMN_W: u16 = 40;

/// The overlay's sections: each group's title, its keys and what they do; then notes.
pub fn help_sections() -> Vec<Vec<Line<'static>>> {
    let mut rows = merged();
    rows.extend(merged_of(FOCUS_KEYS));
    rows.extend(merged_of(INSPECT_KEYS));
    rows.extend(merged_of(LABS_KEYS));
    rows.extend(merged_of(super::compare::COMPARE_KEYS));
    rows.extend(merged_of(super::lessons::LESSON_KEYS));
    let mut sections: Vec<Vec<Line<'static>>> = Group::ALL
        .into_iter()
        .map(|group| {
            let mut lines = vec![Line::from(group.title()).cyan().bold()];
            for (keys, row) in rows.iter().filter(|(_, r)| r.group == group) {
                lines.push(Line::from(vec![
                    Span::styled(format!("{keys:>KEY_W$}  "), Style::new().fg(Color::Yellow)),
                    Span::raw(row.help),
                ]));
            }
            lines
        })
        .collect();
    sections.push(vec![
        Line::from("Heatmaps and mouse").cyan().bold(),
        Line::from("blue < 0 < orange; zero is dark"),
        Line::from(format!("ASCII ramp \"{}\"", ramp())),
        Line::from(format!(
            "signed: <0 \"{}\" >0 \"{}\"",
            String::from_utf8_lossy(&NEGATIVE_RAMP[1..]),
            String::from_utf8_lossy(&POSITIVE_RAMP[1..])
        )),
        Line::from("NO_COLOR: ASCII only"),
        Line::from("click a panel, ledger row, filter"),
        Line::from("click a map or a selected filter:"),
        Line::from("  it opens full screen (Enter too)"),
    ]);
    sections
}

/// Sections packed into columns of at most `height` lines, a blank line between sections.
fn pack(sections: Vec<Vec<Line<'static>>>, height: usize) -> Vec<Vec<Line<'static>>> {
    let mut columns: Vec<Vec<Line<'static>>> = vec![Vec::new()];
    for section in sections {
        let col = columns.last_mut().expect("one column at least");
        let need = section.len() + usize::from(!col.is_empty());
        if !col.is_empty() && col.len() + need > height {
            columns.push(section);
        } else {
            if !col.is_empty() {
                col.push(Line::from(""));
            }
            col.extend(section);
        }
    }
    columns
}

pub fn render_help(app: &App, area: Rect, buf: &mut Buffer) {
    let mut sections = help_sections();
    // On the inspect screen and in the focus view their own keys come first.
    let own = match app.screen {
        Screen::Inspect if app.focus_view.is_some() => Some(Group::Focus),
        Screen::Inspect => Some(Group::Inspect),
        Screen::Labs => Some(Group::Labs),
        Screen::Compare => Some(Group::Compare),
        Screen::Lessons => Some(Group::Lessons),
        Screen::Dashboard => app.focus_view.as_ref().map(|_| Group::Focus),
    };
    if let Some(own) = own.and_then(|g| Group::ALL.iter().position(|&x| x == g)) {
        sections[..=own].rotate_right(1);
    }
    let total: usize = sections.iter().map(|s| s.len() + 1).sum();
    let max_h = area.height.saturating_sub(4) as usize;
    let fit_cols = (area.width.saturating_sub(2) / COLUMN_W).max(1) as usize;
    let want_cols = total.div_ceil(max_h.max(1)).clamp(2, 3).min(fit_cols);
    let longest = sections.iter().map(Vec::len).max().unwrap_or(0);
    let column_h = (total.div_ceil(want_cols) + 3).min(max_h).max(longest);
    let columns = pack(sections, column_h);
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0) as u16;
    let width = (columns.len() as u16 * COLUMN_W + 2).min(area.width);
    let height = (tallest + 2).min(area.height);
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(Line::from(" Help — ? or Esc closes ").bold())
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(rect);
    block.render(rect, buf);
    for (i, column) in columns.into_iter().enumerate() {
        let x = inner.x + i as u16 * COLUMN_W;
        if x >= inner.right() {
            break;
        }
        let w = COLUMN_W.min(inner.right() - x);
        Paragraph::new(column).render(Rect::new(x, inner.y, w, inner.height), buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line as long as the column runs into the next column's text; longer, it is cut.
    #[test]
    fn every_help_line_fits_its_column_with_a_space_to_spare() {
        let long: Vec<String> = help_sections()
            .into_iter()
            .flatten()
            .filter(|line| line.width() >= COLUMN_W as usize - 1)
            .map(|line| line.to_string())
            .collect();
        assert!(
            long.is_empty(),
            "lines wider than {}: {long:#?}",
            COLUMN_W - 1
        );
    }
}
