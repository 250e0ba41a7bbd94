//! The lessons screen (the list and the chosen lesson's text) and the card that shows the
//! running lesson's task at the bottom of every screen.

use crate::ui::app::App;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

/// The lessons screen's body.
pub fn render_lessons(app: &App, area: Rect, buf: &mut Buffer) {
    let l = &app.lessons;
    let list = match &l.list {
        Ok(list) => list,
        Err(e) => {
            Paragraph::new(vec![
                Line::raw("The lessons file could not be read:").bold(),
                Line::raw(e.to_string()),
            ])
            .wrap(Wrap { trim: true })
            .render(area, buf);
            return;
        }
    };
    let width = if area.width >= 120 { 38 } else { 32 };
    let [left, right] =
        Layout::horizontal([Constraint::Length(width), Constraint::Fill(1)]).areas(area);
    let running = l.running.as_ref().map(|(i, _)| *i);
    let items: Vec<Line> = list
        .iter()
        .enumerate()
        .map(|(i, lesson)| {
            let mark = if l.done[i] { "[x]" } else { "[ ]" };
            let now = if running == Some(i) { ">" } else { " " };
            let text = format!("{now}{mark} {}. {}", i + 1, lesson.title);
            if i == l.selected {
                Line::raw(text).reversed()
            } else {
                Line::raw(text)
            }
        })
        .collect();
    let block = Block::bordered().title(" lessons: up/down, Enter ");
    Paragraph::new(items).block(block).render(left, buf);
    let Some(lesson) = list.get(l.selected) else {
        return;
    };
    let mut text = vec![
        Line::raw(format!("{}. {}", l.selected + 1, lesson.title)).bold(),
        Line::raw(""),
    ];
    // Paragraphs, a blank line between two.
    for (i, paragraph) in lesson.text.iter().enumerate() {
        if i > 0 {
            text.push(Line::raw(""));
        }
        text.push(Line::raw(paragraph.clone()));
    }
    text.push(Line::raw(""));
    text.push(Line::raw(format!("Task: {}", lesson.task)).bold());
    text.push(Line::raw(""));
    text.push(
        Line::raw("Enter starts it (it opens its screen); R restores a network that trains well.")
            .dim(),
    );
    Paragraph::new(text)
        .block(Block::bordered())
        .wrap(Wrap { trim: true })
        .render(right, buf);
}

/// Rows the card takes at the bottom of a screen's body while a lesson runs (0 when none).
pub fn card_rows(app: &App, body: Rect) -> u16 {
    match app.lessons.current() {
        Some((_, lesson, _)) if body.height >= 12 => {
            let text = "Task: ".len() + lesson.task.chars().count();
            let inner = body.width.saturating_sub(2).max(1) as usize;
            2 + text.div_ceil(inner).clamp(1, 3) as u16
        }
        _ => 0,
    }
}

/// The running lesson's task, over the bottom rows of `body`.
pub fn render_card(app: &App, body: Rect, buf: &mut Buffer) {
    let rows = card_rows(app, body);
    let Some((i, lesson, done)) = app.lessons.current() else {
        return;
    };
    if rows == 0 {
        return;
    }
    let area = Rect::new(body.x, body.bottom() - rows, body.width, rows);
    Clear.render(area, buf);
    let n = app.lessons.len();
    let status = if done {
        " done! 5 then Enter: next lesson ".to_string()
    } else {
        " 5: lessons ".to_string()
    };
    let style = match (done, app.colors) {
        (_, crate::ui::widgets::colormap::ColorMode::Monochrome) => Style::default(),
        (true, _) => Style::default().fg(Color::Green),
        (false, _) => Style::default().fg(Color::Yellow),
    };
    let block = Block::bordered()
        .border_style(style)
        .title(format!(" lesson {}/{n}: {} ", i + 1, lesson.title))
        .title(Line::raw(status).right_aligned());
    Paragraph::new(Line::raw(format!("Task: {}", lesson.task)))
        .block(block)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}
