//! The time-lapse drawn: which frame, its step and loss; the scrubber (the first frame's step,
//! a bar with the frame looked at, the newest frame's step); then the frame's filters as the
//! dashboard's filters panel draws the live ones (conv1's tiles, the selected block's grid).

use super::lapse::{Scrub, frame_at};
use crate::number::thousands;
use crate::ui::app::App;
use crate::ui::panels::filters::{draw_filters, filter_layout_of};
use crate::ui::theme;
use crate::ui::timelapse::Timelapse;
use crate::ui::widgets::heatmap::Glyphs;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// The scrubber's bar in the page's `area` (its second row, between the end labels), or
/// `None` without two frames.
pub fn bar_area(lapse: &Timelapse, area: Rect) -> Option<Rect> {
    let frames = lapse.frames();
    let (first, last) = (frames.first()?, frames.last()?);
    let left = format!(" step {} ", thousands(first.step)).chars().count() as u16;
    let right = format!(" {} ", thousands(last.step)).chars().count() as u16;
    let width = area.width.checked_sub(left + right)?;
    (frames.len() >= 2 && width >= 2 && area.height >= 2)
        .then(|| Rect::new(area.x + left, area.y + 1, width, 1))
}

/// The frame a click at `column` of the bar chooses.
pub fn frame_at_column(lapse: &Timelapse, bar: Rect, column: u16) -> usize {
    let n = lapse.frames().len().max(1);
    let at = column.clamp(bar.x, bar.right().saturating_sub(1)) - bar.x;
    let span = bar.width.saturating_sub(1).max(1) as usize;
    (at as usize * (n - 1) + span / 2) / span
}

/// The column of frame `i` on the bar.
fn column_of(lapse: &Timelapse, bar: Rect, i: usize) -> u16 {
    let n = lapse.frames().len().max(2);
    bar.x + (i * bar.width.saturating_sub(1) as usize / (n - 1)) as u16
}

pub fn render_lapse(app: &App, scrub: Scrub, area: Rect, buf: &mut Buffer) {
    let c = app.colors;
    let lapse = &app.timelapse;
    let mut title = vec![Span::styled(" Filter time-lapse ", theme::TEXT.style(c)).bold()];
    let Some((i, frame)) = frame_at(lapse, scrub) else {
        let why = match lapse.too_large() {
            Some(b) => format!(
                "· a frame of this network's filters takes {} kB: too large to keep",
                b / 1000
            ),
            None => "· waiting for the first snapshot…".into(),
        };
        title.push(Span::styled(why, theme::QUIET.style(c)));
        Line::from(title).render(Rect { height: 1, ..area }, buf);
        return;
    };
    let n = lapse.frames().len();
    let loss = frame.loss.map_or("—".into(), |l| format!("{l:.3}"));
    let live = if scrub == Scrub::Newest {
        " (live)"
    } else {
        ""
    };
    title.push(Span::raw(format!(
        "· frame {} of {n}{live} · step {} · loss {loss}",
        i + 1,
        thousands(frame.step)
    )));
    Line::from(title).render(Rect { height: 1, ..area }, buf);
    render_bar(app, i, area, buf);
    let mut keys =
        " ←→ [ ] frame · ↑↓ filter · Home/End ends · click the bar · Enter focus · t back"
            .to_string();
    let every = format!(" · a frame every {} steps", thousands(lapse.every()));
    if keys.chars().count() + every.chars().count() <= area.width as usize {
        keys.push_str(&every);
    }
    Line::styled(keys, theme::QUIET.style(c)).render(
        Rect::new(
            area.x,
            area.y + 2,
            area.width,
            1.min(area.height.saturating_sub(2)),
        ),
        buf,
    );
    let grid = Rect::new(
        area.x,
        area.y + 3,
        area.width,
        area.height.saturating_sub(3),
    );
    if let Some(layout) = filter_layout_of(app, &frame.filters, grid) {
        draw_filters(app, &frame.filters, &layout, grid, buf);
    }
}

/// The end labels and the bar: done part thick, the rest thin, the frame looked at a dot.
fn render_bar(app: &App, i: usize, area: Rect, buf: &mut Buffer) {
    let lapse = &app.timelapse;
    let Some(bar) = bar_area(lapse, area) else {
        return;
    };
    let c = app.colors;
    let frames = lapse.frames();
    let first = format!(" step {} ", thousands(frames[0].step));
    let last = format!(" {} ", thousands(frames[frames.len() - 1].step));
    buf.set_string(area.x, bar.y, first, theme::QUIET.style(c));
    buf.set_string(bar.right(), bar.y, last, theme::QUIET.style(c));
    let ascii = app.glyphs == Glyphs::Ascii;
    let (done, rest, dot) = if ascii {
        ('=', '-', '|')
    } else {
        ('━', '─', '●')
    };
    let at = column_of(lapse, bar, i);
    for x in bar.x..bar.right() {
        let (ch, style) = match x.cmp(&at) {
            std::cmp::Ordering::Less => (done, theme::PROGRESS.style(c)),
            std::cmp::Ordering::Equal => (dot, theme::PROGRESS.style(c).bold()),
            std::cmp::Ordering::Greater => (rest, theme::QUIET.style(c)),
        };
        buf[(x, bar.y)].set_char(ch).set_style(style);
    }
}
