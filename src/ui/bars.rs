//! The one-line bars around the panels: status line, banner, tab bar and key-hint bar.

use super::app::{App, BannerKind, WorkerState};
use super::keys;
use super::layout::tab_labels;
use crate::number::fixed;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Dataset, epoch and its progress, step, samples/s, running or paused, learning rate.
/// Below 120 columns, a compact form.
pub fn render_status(app: &App, area: Rect, buf: &mut Buffer) {
    let wide = area.width >= 120;
    let (state, style) = match &app.worker {
        _ if app.diverged.is_some() => ("✖ diverged", Style::new().fg(Color::LightRed).bold()),
        WorkerState::Running => ("▶ running", Style::new().fg(Color::Green).bold()),
        WorkerState::Paused => ("⏸ paused", Style::new().fg(Color::Yellow).bold()),
        WorkerState::Failed(_) => ("✖ failed", Style::new().fg(Color::Red).bold()),
        WorkerState::Gone => ("✖ stopped", Style::new().fg(Color::Red).bold()),
    };
    let sep = || Span::raw(" │ ").dark_gray();
    let mut spans = vec![
        Span::raw(format!(" {}", app.dataset)).bold(),
        sep(),
        Span::styled(state, style),
        sep(),
    ];
    if let Some(pace) = pace_part(app, wide) {
        spans.extend([pace, sep()]);
    }
    match app.last_step {
        Some(s) => {
            let bar = if wide { 10 } else { 6 };
            let filled = (s.epoch_progress.clamp(0.0, 1.0) * bar as f32).round() as usize;
            spans.push(Span::raw(format!(
                "{} {} ",
                if wide { "epoch" } else { "ep" },
                s.epoch + 1
            )));
            spans.push(Span::raw("█".repeat(filled)).cyan());
            spans.push(Span::raw("░".repeat(bar - filled)).dark_gray());
            spans.push(Span::raw(format!(" {:.0}%", s.epoch_progress * 100.0)));
            spans.extend([sep(), Span::raw(format!("step {}", s.step)), sep()]);
            spans.push(Span::raw(format!(
                "{} {}",
                fixed(s.samples_per_sec as f64, 0),
                if wide { "samples/s" } else { "/s" }
            )));
            spans.extend([sep(), Span::raw(format!("lr {}", fixed(s.lr as f64, 4)))]);
        }
        None if app.worker == WorkerState::Paused => {
            spans.push(Span::raw("step 0 · the initial weights").dark_gray())
        }
        None => spans.push(Span::raw("starting…").dark_gray()),
    }
    if wide {
        let h = &app.hyper;
        spans.extend([
            sep(),
            Span::raw(format!(
                "peak lr {} · momentum {} · batch {}",
                h.lr, h.momentum, h.batch
            )),
        ]);
        if let Some(t) = app.last_test {
            spans.extend([
                sep(),
                Span::raw(format!("test acc {:.1}%", t.accuracy * 100.0)),
            ]);
        }
    }
    Line::from(spans).render(area, buf);
}

/// The training pace when it is limited (at full speed nothing: that is the default), e.g.
/// `pace 1 batch/s`, below 120 columns `pace 1/s`: one part of the status line, on its own so
/// that a narrow status line can drop it.
fn pace_part(app: &App, wide: bool) -> Option<Span<'static>> {
    let pace = app.pace;
    pace.is_limited().then(|| {
        let text = if wide {
            format!("pace {}", pace.label())
        } else {
            format!(
                "pace {}",
                pace.label().replace(" batches", "").replace(" batch", "")
            )
        };
        Span::styled(text, Style::new().fg(Color::LightMagenta).bold())
    })
}

/// The banner: what the last edit did, why it was refused, or a failure; wrapped onto a second
/// row when `banner_rows` gave it one.
pub fn render_banner(app: &App, area: Rect, buf: &mut Buffer) {
    let line = match &app.banner {
        Some(b) => {
            let (tag, style) = match b.kind {
                BannerKind::Info => (" ℹ ", Style::new().fg(Color::Black).bg(Color::Cyan)),
                BannerKind::Warning => (" ! ", Style::new().fg(Color::Black).bg(Color::Yellow)),
                BannerKind::Error => (" ✖ ", Style::new().fg(Color::White).bg(Color::Red).bold()),
            };
            // An error is red from end to end, its text white on red; other text is in the
            // terminal's own colours (black on the default background was unreadable on a
            // dark terminal): readable on a dark or a light terminal alike.
            let text = match b.kind {
                BannerKind::Error => style,
                _ => Style::new(),
            };
            Line::from(vec![
                Span::styled(tag, style),
                Span::styled(" ", text),
                Span::styled(b.text.clone(), text),
            ])
        }
        None => Line::from(format!(
            " editing block {} of {} — shape edits rebuild the network while it trains; ? for help",
            app.selected_block + 1,
            app.shown_arch().blocks.len()
        ))
        .dark_gray(),
    };
    let fill = match &app.banner {
        Some(b) if b.kind == BannerKind::Error => Style::new().fg(Color::White).bg(Color::Red),
        _ => Style::new(),
    };
    Paragraph::new(line)
        .style(fill)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

pub fn render_tabs(app: &App, area: Rect, buf: &mut Buffer) {
    let spans: Vec<Span> = tab_labels()
        .flat_map(|(panel, label)| {
            let style = if panel == app.focus {
                Style::new().black().on_cyan().bold()
            } else {
                Style::new().gray()
            };
            [Span::styled(label, style), Span::raw(" ")]
        })
        .collect();
    Line::from(spans).render(area, buf);
}

/// The hint bar from the key table, cut to the width; while typing, what Enter and Esc do.
pub fn render_hints(app: &App, area: Rect, buf: &mut Buffer) {
    if let Some(text) = &app.typing {
        let max = app.test_len.saturating_sub(1);
        let line = Line::from(vec![
            Span::raw(" probe test image #").bold(),
            Span::raw(format!("{text}▏")).yellow().bold(),
            Span::raw(format!(
                "  (0 to {max})  Enter choose · Backspace · Esc cancel"
            ))
            .dark_gray(),
        ]);
        line.render(area, buf);
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (keys, word) in keys::hints() {
        let w = keys.chars().count() + word.chars().count() + 3;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(
            keys,
            Style::new().fg(Color::Black).bg(Color::Gray),
        ));
        spans.push(Span::raw(format!(" {word}  ")).dark_gray());
    }
    Line::from(spans).render(area, buf);
}
