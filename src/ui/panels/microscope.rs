//! What the focus view draws beside a conv or pooling map: the layer's input (one channel,
//! with the zero padding as a border of its own colour), where the kernel's window sits for
//! the cursor's pixel, which pixels no window reaches, and the candidate tables of numbers.

use super::tables::{self, CURSOR, DROPPED, Form, PAD};
use crate::ui::focus::FocusView;
use crate::ui::scene::{ConvLens, Lens, PoolLens, Scene};
use crate::ui::widgets::canvas::{Canvas, Mark, Region};
use crate::ui::widgets::colormap::ColorMode;
use crate::ui::widgets::heatmap::Glyphs;
use ndarray::{Array2, Axis, s};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;

/// The picture beside the map and the tables that explain the cursor's pixel.
pub struct Beside {
    /// The conv's input channel with its padding (zeros), or the pooled channel `(H, W)`.
    pub picture: Array2<f32>,
    pub label: String,
    pub padding: usize,
    /// The cursor's window in the picture's coordinates.
    pub window: Region,
    /// Rows and columns from which on no window reads.
    pub read: (usize, usize),
    /// The window's side and its step (the stride) in the picture's pixels.
    pub kernel: usize,
    pub step: usize,
    /// Tables for the cursor's pixel, the best first; the focus view takes the first that fits.
    pub tables: Vec<Vec<Line<'static>>>,
}

/// The microscope of a conv or pooling scene at the view's cursor; `None` for other scenes.
pub fn beside(scene: &Scene, view: &FocusView, colors: ColorMode) -> Option<Beside> {
    let (h, w) = scene.dim();
    let at = (view.cursor.0.min(h - 1), view.cursor.1.min(w - 1));
    let network = scene.picture[at];
    match &scene.lens {
        Lens::Conv(c) => Some(conv_beside(c, view, (at, (h, w)), network, colors)),
        Lens::Pool(p) => Some(pool_beside(p, (at, (h, w)), network)),
        _ => None,
    }
}

/// A conv's input channel (the view's) padded with zeros, the window of output pixel `at`,
/// and the tables: one channel's K×K, or the sum of each channel.
fn conv_beside(
    c: &ConvLens,
    view: &FocusView,
    (at, (h, w)): ((usize, usize), (usize, usize)),
    network: f32,
    colors: ColorMode,
) -> Beside {
    let (channels, ih, iw) = c.input.dim();
    let ch = view.channel.min(channels - 1);
    let (k, st, p) = (c.kernel(), c.stride, c.padding);
    let mut picture = Array2::zeros((ih + 2 * p, iw + 2 * p));
    picture
        .slice_mut(s![p..p + ih, p..p + iw])
        .assign(&c.input.index_axis(Axis(0), ch));
    let r = c.readout(at);
    let forms: Vec<Form> = if channels == 1 || view.details {
        vec![Form::Wide, Form::Medium, Form::Tall]
    } else {
        (1..=4).map(Form::Sums).collect()
    };
    let tables = [3, 2]
        .into_iter()
        .flat_map(|d| forms.iter().map(move |&f| (f, d)))
        .map(|(f, d)| tables::conv_table(&r, ch, network, f, (d, colors)))
        .collect();
    let channel = match channels {
        1 => String::new(),
        n => format!(" channel {} of {n}", ch + 1),
    };
    Beside {
        picture,
        label: format!("{}{channel} + padding {p}", c.input_name),
        padding: p,
        window: (at.0 * st..at.0 * st + k, at.1 * st..at.1 * st + k),
        read: ((h - 1) * st + k, (w - 1) * st + k),
        kernel: k,
        step: st,
        tables,
    }
}

/// The pooled channel, the window of output pixel `at`, and its table.
fn pool_beside(
    pl: &PoolLens,
    (at, (h, w)): ((usize, usize), (usize, usize)),
    network: f32,
) -> Beside {
    let k = pl.window;
    let r = pl.readout(at);
    Beside {
        picture: pl.input.to_owned(),
        label: format!("{} (its input)", pl.input_name),
        padding: 0,
        window: (at.0 * k..(at.0 + 1) * k, at.1 * k..(at.1 + 1) * k),
        read: (h * k, w * k),
        kernel: k,
        step: k,
        tables: [3, 2]
            .into_iter()
            .map(|d| tables::pool_table(&r, pl.op, network, d))
            .collect(),
    }
}

impl Beside {
    /// The output pixel whose window is centred nearest input pixel (row, column), for a
    /// click on the input; `dim` is the output's size.
    pub fn output_for(&self, (y, x): (usize, usize), (h, w): (usize, usize)) -> (usize, usize) {
        // Window i is centred on i·S + (K − 1)/2: the nearest i, in half pixels.
        let (k, s) = (self.kernel, self.step.max(1));
        let back = |v: usize, len: usize| {
            ((2 * v + s).saturating_sub(k - 1) / (2 * s)).min(len.saturating_sub(1))
        };
        (back(y, h), back(x, w))
    }
}

/// Mark the input picture: padding in its colour (`0` in ASCII), pixels no window reads in
/// red (`x`), everything outside the cursor's window dimmed, and in ASCII `[ ]` around the
/// window's rows.
pub fn mark_input(canvas: &Canvas, b: &Beside, colors: ColorMode, buf: &mut Buffer) {
    let (h, w) = b.picture.dim();
    let p = b.padding;
    for r in canvas.rows.clone() {
        for c in canvas.cols.clone() {
            // Padding and unread pixels keep their own colours; the image outside the
            // window is dimmed.
            let padding = r < p || c < p || r >= h - p || c >= w - p;
            let outside = !b.window.0.contains(&r) || !b.window.1.contains(&c);
            if r >= b.read.0 || c >= b.read.1 {
                canvas.mark(buf, (r, c), Mark::Paint(DROPPED, Some('x')), colors);
            } else if padding {
                canvas.mark(buf, (r, c), Mark::Paint(PAD, Some('0')), colors);
            } else if outside {
                canvas.mark(buf, (r, c), Mark::Dim, colors);
            } else {
                canvas.mark(buf, (r, c), Mark::Tint(CURSOR), colors);
            }
        }
    }
    if canvas.glyphs == Glyphs::Ascii {
        brackets(canvas, &b.window, buf);
    }
}

/// The cursor's pixel on the map in its own colour (bracketed in ASCII).
pub fn mark_cursor(canvas: &Canvas, at: (usize, usize), colors: ColorMode, buf: &mut Buffer) {
    canvas.mark(buf, at, Mark::Paint(CURSOR, None), colors);
    if canvas.glyphs == Glyphs::Ascii {
        brackets(canvas, &(at.0..at.0 + 1, at.1..at.1 + 1), buf);
    }
}

/// The brackets read in the terminal's own text colour.
const BRACKET: Style = Style::new().fg(Color::Reset).add_modifier(Modifier::BOLD);

/// `[` and `]` in the cells just left and right of a block of pixels, on each of its rows.
fn brackets(canvas: &Canvas, (rows, cols): &Region, buf: &mut Buffer) {
    let first = cols.start.max(canvas.cols.start);
    let last = cols.end.min(canvas.cols.end).saturating_sub(1);
    for r in rows.clone() {
        let (Some(a), Some(b)) = (canvas.cell_of((r, first)), canvas.cell_of((r, last))) else {
            continue;
        };
        let right = b.x + canvas.scale as u16;
        for dy in 0..canvas.scale as u16 {
            if let Some(cell) = a.x.checked_sub(1).and_then(|x| buf.cell_mut((x, a.y + dy))) {
                cell.set_char('[').set_style(BRACKET);
            }
            if let Some(cell) = buf.cell_mut((right, b.y + dy)) {
                cell.set_char(']').set_style(BRACKET);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_on_the_input_picks_the_window_centred_nearest() {
        let b = |kernel, step| Beside {
            picture: Array2::zeros((1, 1)),
            label: String::new(),
            padding: 0,
            window: (0..1, 0..1),
            read: (0, 0),
            kernel,
            step,
            tables: Vec::new(),
        };
        // Pooling 2×2: pixels 2 and 3 are window 1's.
        assert_eq!(b(2, 2).output_for((3, 2), (14, 14)), (1, 1));
        // A 3×3 kernel at stride 1 over a padded input: window 4 is centred on pixel 5.
        assert_eq!(b(3, 1).output_for((5, 0), (28, 28)), (4, 0));
        assert_eq!(b(3, 2).output_for((29, 29), (14, 14)), (13, 13));
    }
}
