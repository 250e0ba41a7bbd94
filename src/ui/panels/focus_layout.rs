//! Where the focus view puts its parts: a two-line header, then the map alone at the largest
//! whole scale that fits; or, for a conv or pooling map, the map and its input side by side
//! at one scale (so that the window's size and step read true) with the table of numbers to
//! their right or below. When even scale 1 does not fit, each picture shows the part around
//! the cursor (a viewport), never fewer than one glyph pixel per map pixel.

use super::tables;
use crate::ui::widgets::canvas::{Canvas, Region, cells, max_scale, window};
use crate::ui::widgets::heatmap::Glyphs;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// A picture's (rows, columns).
type Dim = (usize, usize);

/// Columns between the pictures and the table.
pub const GAP: u16 = 2;
/// Rows of the header.
pub const HEADER: u16 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FocusLayout {
    pub header: Rect,
    pub output: Canvas,
    /// The row above the map for its label (microscope only).
    pub output_label: Option<Rect>,
    /// The input picture and its label (microscope only).
    pub input: Option<(Canvas, Rect)>,
    /// Where the table goes and which candidate it is.
    pub table: Option<(Rect, usize)>,
    /// A free row under the pictures for the legend of the marks.
    pub note: Option<Rect>,
    /// Free room for the words that explain the picture.
    pub words: Option<Rect>,
}

/// Room narrower than this is not worth words.
const WORDS_W: u16 = 24;

/// `room` if it is large enough for a few lines of words.
fn words(room: Rect) -> Option<Rect> {
    (room.width >= WORDS_W && room.height >= 3).then_some(room)
}

/// The picture beside the map: its size and the part that must stay in view.
pub struct Side<'a> {
    pub dim: (usize, usize),
    pub window: Region,
    pub tables: &'a [Vec<Line<'static>>],
}

/// The focus view's layout in `area` for a map of `dim` with the cursor at `cursor`, and the
/// picture beside it for a microscope.
pub fn focus_layout(
    area: Rect,
    glyphs: Glyphs,
    (dim, cursor): ((usize, usize), (usize, usize)),
    side: Option<Side>,
) -> FocusLayout {
    let header = Rect::new(area.x, area.y, area.width, HEADER.min(area.height));
    // ASCII marks the cursor with `[ ]` around it: a column for the `[` of the first pixel.
    let margin = u16::from(glyphs == Glyphs::Ascii).min(area.width);
    let body = Rect::new(
        area.x + margin,
        area.y + header.height,
        area.width - margin,
        area.height - header.height,
    );
    let focus = (cursor.0..cursor.0 + 1, cursor.1..cursor.1 + 1);
    match side {
        Some(side) => microscope_layout(header, body, glyphs, (dim, &focus), side),
        None => alone(header, body, glyphs, (dim, &focus)),
    }
}

/// The picture alone, its words to the right or below.
fn alone(header: Rect, body: Rect, glyphs: Glyphs, (dim, focus): (Dim, &Region)) -> FocusLayout {
    let output = fit_or_crop(glyphs, dim, focus, body);
    let x = output.area.right() + GAP;
    let right = Rect::new(x, body.y, body.right().saturating_sub(x), body.height);
    let y = output.area.bottom() + 1;
    let below = Rect::new(body.x, y, body.width, body.bottom().saturating_sub(y));
    FocusLayout {
        header,
        words: words(right).or(words(below)),
        output,
        output_label: None,
        input: None,
        table: None,
        note: None,
    }
}

/// The map and its input side by side, labelled, the table right or below; the marks'
/// legend under the pictures and the words in the room left, where there is some.
fn microscope_layout(
    header: Rect,
    body: Rect,
    glyphs: Glyphs,
    (dim, focus): (Dim, &Region),
    side: Side,
) -> FocusLayout {
    let sizes: Vec<(u16, u16)> = side.tables.iter().map(|t| tables::size(t)).collect();
    let (s, t, right) = choose(glyphs, (dim, side.dim), &sizes, body).unwrap_or_else(|| {
        // Nothing fits whole: the narrowest table that fits the height on the right, the
        // pictures cropped to the rest.
        let t = (0..sizes.len())
            .filter(|&i| sizes[i].1 <= body.height)
            .min_by_key(|&i| sizes[i].0)
            .unwrap_or(sizes.len().saturating_sub(1));
        (0, t, true)
    });
    let (tw, th) = sizes.get(t).copied().unwrap_or((0, 0));
    let (maps_w, maps_h) = match right {
        true => (body.width.saturating_sub(tw + GAP), body.height),
        false => (body.width, body.height.saturating_sub(th + 1)),
    };
    let pics = Rect::new(body.x, body.y + 1, maps_w, maps_h.saturating_sub(1));
    let (output, input) = pair(glyphs, s, (dim, focus), (side.dim, &side.window), pics);
    let label = |c: &Canvas| Rect::new(c.area.x, body.y, c.area.width, 1).intersection(body);
    let bottom = output.area.bottom().max(input.area.bottom());
    let (table, free) = if right {
        let x = body
            .right()
            .saturating_sub(tw)
            .max(input.area.right() + GAP);
        let table = Rect::new(x, body.y, body.right().saturating_sub(x), body.height);
        let y = table.y + th + 1;
        (
            table,
            Rect::new(x, y, table.width, body.bottom().saturating_sub(y)),
        )
    } else {
        let table = Rect::new(
            body.x,
            bottom + 1,
            body.width,
            body.bottom().saturating_sub(bottom + 1),
        );
        let x = input.area.right() + GAP;
        let h = table.y - body.y - 1;
        (
            table,
            Rect::new(x, body.y + 1, body.right().saturating_sub(x), h),
        )
    };
    let note = (bottom < body.bottom() && (right || th + 1 < body.bottom() - bottom))
        .then(|| Rect::new(body.x, bottom, maps_w, 1));
    FocusLayout {
        header,
        output_label: Some(label(&output)),
        input: Some((input.clone(), label(&input))),
        output,
        table: Some((table, t)),
        note,
        words: words(free),
    }
}

/// The largest scale at which the map and its input side by side and one of the tables fit,
/// and (scale, table, table on the right?); the tables in order of preference at each scale.
fn choose(
    glyphs: Glyphs,
    (out, inp): ((usize, usize), (usize, usize)),
    tables: &[(u16, u16)],
    body: Rect,
) -> Option<(usize, usize, bool)> {
    let most = max_scale(glyphs, out, (body.width, body.height)).min(max_scale(
        glyphs,
        inp,
        (body.width, body.height),
    ));
    for s in (1..=most).rev() {
        let (ow, oh) = cells(glyphs, s, out);
        let (iw, ih) = cells(glyphs, s, inp);
        let (mw, mh) = (ow + GAP + iw, 1 + oh.max(ih));
        for (t, &(tw, th)) in tables.iter().enumerate() {
            if mw + GAP + tw <= body.width && mh.max(th) <= body.height {
                return Some((s, t, true));
            }
            if mw.max(tw) <= body.width && mh + 1 + th <= body.height {
                return Some((s, t, false));
            }
        }
    }
    None
}

/// The map and its input side by side in `room` at scale `s`, or (`s` = 0) at scale 1, each
/// cropped around what it must show, the width shared in proportion to their sizes.
fn pair(
    glyphs: Glyphs,
    s: usize,
    (out, out_focus): ((usize, usize), &Region),
    (inp, in_focus): ((usize, usize), &Region),
    room: Rect,
) -> (Canvas, Canvas) {
    if s > 0 {
        let output = Canvas::new((room.x, room.y), glyphs, s, 0..out.0, 0..out.1);
        let x = output.area.right() + GAP;
        let input = Canvas::new((x, room.y), glyphs, s, 0..inp.0, 0..inp.1);
        return (output, input);
    }
    let share = room.width.saturating_sub(GAP) as usize;
    let out_w = (share * out.1 / (out.1 + inp.1).max(1)) as u16;
    let left = Rect::new(room.x, room.y, out_w, room.height);
    let output = crop(glyphs, out, out_focus, left);
    let x = output.area.right() + GAP;
    let right = Rect::new(x, room.y, room.right().saturating_sub(x), room.height);
    (output, crop(glyphs, inp, in_focus, right))
}

/// The whole picture at the largest scale that fits `room`, else the part around `focus`.
pub fn fit_or_crop(glyphs: Glyphs, dim: (usize, usize), focus: &Region, room: Rect) -> Canvas {
    match max_scale(glyphs, dim, (room.width, room.height)) {
        0 => crop(glyphs, dim, focus, room),
        s => Canvas::new((room.x, room.y), glyphs, s, 0..dim.0, 0..dim.1),
    }
}

/// At scale 1, the rows and columns of a `dim` picture around `focus` that fit `room`.
fn crop(glyphs: Glyphs, dim: (usize, usize), focus: &Region, room: Rect) -> Canvas {
    let (px, py) = glyphs.pixels_per_cell();
    let rows = window(dim.0, room.height as usize * py, focus.0.clone());
    let cols = window(dim.1, room.width as usize * px, focus.1.clone());
    Canvas::new((room.x, room.y), glyphs, 1, rows, cols)
}
