//! The one-line bars around the panels: status line, banner, tab bar and key-hint bar. The
//! status line and the banner set both their colours (`theme`), and drop or shorten their
//! least useful parts rather than be cut at the edge.

use super::app::{App, BannerKind, WorkerState};
use super::keys;
use super::layout::tab_labels;
use super::screen;
use super::theme::{self, Pair};
use super::widgets::parts::{Part, fit_parts};
use crate::number::{fixed, thousands};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Dataset, state, epoch and its progress, step, samples/s, learning rate, the other
/// hyperparameters and the test accuracy; at 120 and 80 columns the least useful go first.
pub fn render_status(app: &App, area: Rect, buf: &mut Buffer) {
    let band = theme::TEXT.style(app.colors);
    buf.set_style(area, band);
    let sep = Span::styled(" │ ", theme::QUIET.style(app.colors));
    // The screens' strip at the right end; the parts fit in what is left.
    let strip = screen::strip_area(area, app.screen);
    let left = Rect::new(area.x, area.y, area.width - strip.width, area.height);
    fit_parts(status_parts(app, area.width), sep, left.width as usize).render(left, buf);
    screen::render_strip(app.screen, app.colors, strip, buf);
}

/// The status line's parts for a line `width` wide, in order, each with its rank (higher
/// stays longer).
pub fn status_parts(app: &App, width: u16) -> Vec<Part> {
    let c = app.colors;
    let text = |s: String| Span::styled(s, theme::TEXT.style(c));
    let (state, pair) = match &app.worker {
        _ if app.diverged.is_some() => ("✖ diverged", theme::FAILED),
        WorkerState::Running => ("▶ running", theme::RUNNING),
        WorkerState::Paused => ("⏸ paused", theme::PAUSED),
        WorkerState::Failed(_) => ("✖ failed", theme::FAILED),
        WorkerState::Gone => ("✖ stopped", theme::FAILED),
    };
    let mut parts = vec![
        Part::new(5, vec![text(format!(" {}", app.dataset)).bold()]),
        Part::new(10, vec![Span::styled(state, pair.style(c)).bold()]),
    ];
    if app.pace.is_limited() {
        // Slowed down on purpose: say so before anything but the state.
        let label = app.pace.label();
        let pace = if width >= 120 {
            format!("pace {label}")
        } else {
            format!(
                "pace {}",
                label.replace(" batches", "").replace(" batch", "")
            )
        };
        parts.push(Part::new(
            9,
            vec![Span::styled(pace, theme::PAUSED.style(c)).bold()],
        ));
    }
    if let Some((done, total)) = app.validating {
        // A large network validates for many seconds; say why no step comes.
        let text = format!("validating {} / {}", thousands(done), thousands(total));
        parts.push(Part::new(
            9,
            vec![Span::styled(text, theme::PAUSED.style(c))],
        ));
    }
    let Some(s) = app.last_step else {
        if app.validating.is_none() {
            parts.push(Part::new(
                9,
                vec![Span::styled("starting…", theme::QUIET.style(c))],
            ));
        }
        return parts;
    };
    parts.push(Part::new(8, epoch_part(app, s.epoch, s.epoch_progress)));
    parts.push(Part::new(7, vec![text(format!("step {}", s.step))]));
    parts.push(Part::new(
        4,
        vec![text(format!(
            "{} samples/s",
            fixed(s.samples_per_sec as f64, 0)
        ))],
    ));
    parts.push(Part::new(
        6,
        vec![text(format!("lr {}", fixed(s.lr as f64, 4)))],
    ));
    let h = &app.hyper;
    let more = format!(
        "peak lr {} · momentum {} · batch {}",
        h.lr, h.momentum, h.batch
    );
    parts.push(Part::new(
        2,
        vec![Span::styled(more, theme::QUIET.style(c))],
    ));
    if let Some(t) = app.last_test {
        parts.push(Part::new(
            3,
            vec![text(format!("test acc {:.1}%", t.accuracy * 100.0))],
        ));
    }
    parts
}

/// `epoch 2 ███████░░░ 70%`.
fn epoch_part(app: &App, epoch: usize, progress: f32) -> Vec<Span<'static>> {
    let (bar, c) = (10, app.colors);
    let filled = (progress.clamp(0.0, 1.0) * bar as f32).round() as usize;
    vec![
        Span::styled(format!("epoch {} ", epoch + 1), theme::TEXT.style(c)),
        Span::styled("█".repeat(filled), theme::PROGRESS.style(c)),
        Span::styled("░".repeat(bar - filled), theme::QUIET.style(c)),
        Span::styled(format!(" {:.0}%", progress * 100.0), theme::TEXT.style(c)),
    ]
}

/// The banner: what the last edit did, why it was refused, or a failure, on a band of its
/// own colour; wrapped onto a second row when `banner_rows` gave it one. Without a message,
/// what the keys do, as long as the width allows.
pub fn render_banner(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(b) = &app.banner else {
        buf.set_style(area, theme::TEXT.style(app.colors));
        let line = Line::styled(idle_text(app, area.width), theme::QUIET.style(app.colors));
        line.render(area, buf);
        return;
    };
    let (tag, pair): (&str, Pair) = match b.kind {
        BannerKind::Info => (" ℹ ", theme::INFO),
        BannerKind::Warning => (" ! ", theme::WARNING),
        BannerKind::Error => (" ✖ ", theme::ERROR),
    };
    let style = pair.marked(app.colors);
    let line = Line::from(vec![
        Span::styled(tag, style.bold()),
        Span::styled(format!(" {}", b.text), style),
    ]);
    buf.set_style(area, style);
    Paragraph::new(line)
        .style(style)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

/// The line under the status line while no edit has been made, the longest that fits. It
/// names the lessons, so a newcomer finds the way in without the README.
fn idle_text(app: &App, width: u16) -> String {
    let (block, blocks) = (app.selected_block + 1, app.shown_arch().blocks.len());
    let texts = [
        format!(
            " editing block {block} of {blocks} — shape edits rebuild the network while it trains; ? for help · new here? 5: lessons"
        ),
        format!(
            " editing block {block} of {blocks} — edits rebuild the network live; ? help · 5 lessons"
        ),
        format!(" editing block {block} of {blocks} — edits rebuild the network live; ? help"),
        format!(" block {block} of {blocks} · ? help"),
    ];
    let fits = |t: &String| t.chars().count() <= width as usize;
    texts.iter().find(|t| fits(t)).unwrap_or(&texts[2]).clone()
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
        let c = app.colors;
        buf.set_style(area, theme::TEXT.style(c));
        let line = Line::from(vec![
            Span::styled(" probe test image #", theme::TEXT.style(c)).bold(),
            Span::styled(format!("{text}▏"), theme::PAUSED.style(c)).bold(),
            Span::styled(
                format!("  (0 to {max})  Enter choose · Backspace · Esc cancel"),
                theme::QUIET.style(c),
            ),
        ]);
        line.render(area, buf);
        return;
    }
    render_hint_pairs(bar_hints(area.width), app, area, buf);
}

/// Hint words in the order a bar too short for all of them keeps them: help and quit first,
/// then the live edits the lecture is about, then the rest in the table's order.
const SHORT_BAR_ORDER: [&str; 10] = [
    "quit", "help", "pause", "stride", "pad", "pool", "kernel", "filters", "open", "block",
];

/// The dashboard's hints for a bar `width` columns wide: all in the table's order when they
/// fit, else the most useful first.
pub fn bar_hints(width: u16) -> Vec<(String, &'static str)> {
    let mut hints = keys::hints();
    let need: usize = 1 + hints
        .iter()
        .map(|(k, w)| k.chars().count() + w.chars().count() + 3)
        .sum::<usize>();
    if need > width as usize {
        let rank = |word: &str| SHORT_BAR_ORDER.iter().position(|&w| w == word);
        hints.sort_by_key(|(_, word)| rank(word).unwrap_or(usize::MAX));
    }
    hints
}

/// (keys, word) pairs in a hint bar, as many as fit.
pub fn render_hint_pairs(
    pairs: impl IntoIterator<Item = (String, &'static str)>,
    app: &App,
    area: Rect,
    buf: &mut Buffer,
) {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (keys, word) in pairs {
        let w = keys.chars().count() + word.chars().count() + 3;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(keys, theme::KEY.marked(app.colors)));
        spans.push(Span::raw(format!(" {word}  ")).dark_gray());
    }
    Line::from(spans).render(area, buf);
}
