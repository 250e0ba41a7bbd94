//! The drawing lab: the pad as drawn, the same after MNIST's pre-processing (what the network
//! is given), and the network's answer for it as ten bars.

use super::preprocess::FIELD;
use super::view::{bars, note, picture, square, verdict};
use crate::ui::app::App;
use crate::ui::theme;
use crate::ui::widgets::colormap::Scale;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

/// The cells the raw pad covers in the page `area` (its caption is the row above).
pub fn pad_rect(area: Rect) -> Rect {
    // 28 or 14 rows when there is room: a whole number of pixels a cell.
    let rows = match area.height.saturating_sub(1) {
        r if r >= FIELD as u16 => FIELD as u16,
        r if r >= FIELD as u16 / 2 => FIELD as u16 / 2,
        r => r,
    };
    let (cols, rows) = square(rows);
    Rect::new(area.x, area.y + 1, cols.min(area.width), rows)
}

/// The pad pixel (row, column) under a cell of `pad`.
pub fn pixel_at(pad: Rect, pos: Position) -> Option<(usize, usize)> {
    if !pad.contains(pos) {
        return None;
    }
    // The pixel under the cell's centre.
    let at = |d: u16, len: u16| (2 * d as usize + 1) * FIELD / (2 * len as usize);
    let (r, c) = (at(pos.y - pad.y, pad.height), at(pos.x - pad.x, pad.width));
    Some((r.min(FIELD - 1), c.min(FIELD - 1)))
}

/// The cell of `pad` that shows pad pixel (row, column).
fn cell_of(pad: Rect, (r, c): (usize, usize)) -> Position {
    Position::new(
        pad.x + (c * pad.width as usize / FIELD) as u16,
        pad.y + (r * pad.height as usize / FIELD) as u16,
    )
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let c = app.colors;
    let labs = &app.labs;
    let pad = pad_rect(area);
    let unit = Scale::Unsigned { min: 0.0, max: 1.0 };
    let raw = Rect::new(pad.x, area.y, pad.width, pad.height + 1);
    let pen = if labs.pad.pen { "pen down" } else { "pen up" };
    picture(
        app,
        raw,
        &format!("your drawing (+ cursor, {pen})"),
        labs.pad.ink.view(),
        unit,
        buf,
    );
    // The keyboard's cursor, so that x and the arrows can be followed.
    if let Some(cell) = buf.cell_mut(cell_of(pad, labs.pad.cursor)) {
        cell.set_char('+').modifier.insert(Modifier::BOLD);
    }
    let processed = labs.pad.processed();
    let right = Rect::new(pad.right() + 2, area.y, pad.width, pad.height + 1);
    let bars_x = right.right() + 2;
    let bars_area = Rect::new(
        bars_x,
        area.y,
        area.right().saturating_sub(bars_x),
        area.height,
    );
    let Some(img) = processed else {
        let text = vec![
            note("as MNIST: 20×20, centred", c),
            Line::raw(""),
            Line::from("Draw a digit on the pad at the left:"),
            Line::from("drag with the mouse, or the arrows"),
            Line::from("with x for the pen."),
        ];
        Paragraph::new(text).render(
            Rect::new(
                right.x,
                right.y,
                area.right().saturating_sub(right.x),
                right.height,
            ),
            buf,
        );
        return;
    };
    picture(
        app,
        right,
        "as MNIST: 20×20, centred",
        img.view(),
        unit,
        buf,
    );
    let lines = match labs.trace_for_page() {
        Some(t) => {
            let (class, p) = verdict(&t.probabilities);
            let mut l = vec![Line::from(format!("read as {class} ({:.0} %)", 100.0 * p)).bold()];
            l.extend(bars(&t.probabilities, bars_area.width as usize, c));
            l
        }
        None => vec![Line::styled("reading…", theme::PROGRESS.style(c))],
    };
    Paragraph::new(lines).render(bars_area, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_of_the_pad_maps_to_a_pixel_and_back() {
        for area in [
            Rect::new(0, 3, 80, 17),
            Rect::new(0, 3, 80, 12),
            Rect::new(2, 5, 160, 40),
        ] {
            let pad = pad_rect(area);
            assert_eq!(pad.width, 2 * pad.height);
            // The first cell shows pixel rows 0 and 1 when the pad is 14 rows: the one under
            // its centre is chosen.
            let (r0, c0) = pixel_at(pad, Position::new(pad.x, pad.y)).unwrap();
            assert!(r0 <= 1 && c0 <= 1, "({r0}, {c0})");
            let last = Position::new(pad.right() - 1, pad.bottom() - 1);
            // The last cell: the bottom right pixel, or its neighbour when cells are not a
            // whole number of pixels (the brush reaches the edge from there).
            let (r1, c1) = pixel_at(pad, last).unwrap();
            assert!(r1 >= 26 && c1 >= 26, "({r1}, {c1})");
            assert_eq!(pixel_at(pad, Position::new(pad.right(), pad.y)), None);
            for r in 0..FIELD {
                let at = pixel_at(pad, cell_of(pad, (r, r))).unwrap();
                assert!(
                    at.0.abs_diff(r) <= 2 && at.1.abs_diff(r) <= 2,
                    "{r} → {at:?}"
                );
            }
        }
    }
}
