//! A picture drawn by `Heatmap` at a whole number of glyph pixels per picture pixel, possibly
//! only a part of it (a viewport), and the geometry to find its pixels again: to mark them
//! afterwards (padding, the kernel's window, the cursor) and to map a click to a pixel.
//!
//! What a mark does to a pixel is in `marks`.

use super::colormap::{ColorMode, Scale};
use super::heatmap::{Glyphs, Heatmap};
pub use super::marks::Mark;
use ndarray::{ArrayView2, s};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::Widget;
use std::ops::Range;

/// A block of picture pixels: (rows, columns).
pub type Region = (Range<usize>, Range<usize>);

/// Where a picture (or the part of it in `rows` × `cols`) is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canvas {
    /// The cells the shown part covers, from its top-left.
    pub area: Rect,
    /// Glyph pixels a side per picture pixel.
    pub scale: usize,
    /// `HalfBlock` or `Ascii` (one pixel a cell); braille cannot mark single pixels.
    pub glyphs: Glyphs,
    /// The picture's rows and columns shown.
    pub rows: Range<usize>,
    pub cols: Range<usize>,
}

/// Cells (columns, rows) that `h`×`w` picture pixels take at `scale`.
pub fn cells(glyphs: Glyphs, scale: usize, (h, w): (usize, usize)) -> (u16, u16) {
    let (px, py) = glyphs.pixels_per_cell();
    (
        (w * scale).div_ceil(px) as u16,
        (h * scale).div_ceil(py) as u16,
    )
}

/// The largest scale at which `h`×`w` pixels fit in `room` (columns, rows); 0 if none.
pub fn max_scale(glyphs: Glyphs, dim: (usize, usize), room: (u16, u16)) -> usize {
    (1..=32)
        .take_while(|&s| {
            let (c, r) = cells(glyphs, s, dim);
            c <= room.0 && r <= room.1
        })
        .last()
        .unwrap_or(0)
}

/// The part `len` long of `0..total` that keeps `focus` in view, centred when it can be.
pub fn window(total: usize, len: usize, focus: Range<usize>) -> Range<usize> {
    let len = len.min(total);
    let mid = (focus.start + focus.end) / 2;
    let start = mid.saturating_sub(len / 2).min(total - len);
    start..start + len
}

impl Canvas {
    /// A canvas at (x, y) showing `rows` × `cols` of a picture at `scale`.
    pub fn new(
        (x, y): (u16, u16),
        glyphs: Glyphs,
        scale: usize,
        rows: Range<usize>,
        cols: Range<usize>,
    ) -> Canvas {
        let (w, h) = cells(glyphs, scale, (rows.len(), cols.len()));
        Canvas {
            area: Rect::new(x, y, w, h),
            scale,
            glyphs,
            rows,
            cols,
        }
    }

    /// Does the canvas show the whole of a `dim` picture?
    pub fn whole(&self, dim: (usize, usize)) -> bool {
        self.rows == (0..dim.0) && self.cols == (0..dim.1)
    }

    /// Draw the shown part of `data` with the heatmap widget.
    pub fn draw(&self, data: ArrayView2<f32>, scale: Scale, colors: ColorMode, buf: &mut Buffer) {
        Heatmap {
            data: data.slice(s![self.rows.clone(), self.cols.clone()]),
            scale,
            glyphs: self.glyphs,
            colors,
        }
        .render(self.area, buf);
    }

    /// The picture pixel (row, column) under a cell, if the canvas shows one there.
    pub fn pixel_at(&self, pos: Position) -> Option<(usize, usize)> {
        if !self.area.contains(pos) {
            return None;
        }
        let (px, py) = self.glyphs.pixels_per_cell();
        let gx = (pos.x - self.area.x) as usize * px;
        let gy = (pos.y - self.area.y) as usize * py;
        let (r, c) = (
            self.rows.start + gy / self.scale,
            self.cols.start + gx / self.scale,
        );
        (self.rows.contains(&r) && self.cols.contains(&c)).then_some((r, c))
    }

    /// The cell column and row of picture pixel (row, column)'s top-left, if shown.
    pub fn cell_of(&self, (r, c): (usize, usize)) -> Option<Position> {
        if !self.rows.contains(&r) || !self.cols.contains(&c) {
            return None;
        }
        let (px, py) = self.glyphs.pixels_per_cell();
        let gx = (c - self.cols.start) * self.scale / px;
        let gy = (r - self.rows.start) * self.scale / py;
        Some(Position::new(
            self.area.x + gx as u16,
            self.area.y + gy as u16,
        ))
    }

    /// Apply `mark` to every glyph pixel of picture pixel (row, column), if shown.
    pub fn mark(&self, buf: &mut Buffer, (r, c): (usize, usize), mark: Mark, colors: ColorMode) {
        if !self.rows.contains(&r) || !self.cols.contains(&c) {
            return;
        }
        let (px, py) = self.glyphs.pixels_per_cell();
        let s = self.scale;
        let (y0, x0) = ((r - self.rows.start) * s, (c - self.cols.start) * s);
        for gy in y0..y0 + s {
            for gx in (x0..x0 + s).step_by(px) {
                let pos = (
                    self.area.x + (gx / px) as u16,
                    self.area.y + (gy / py) as u16,
                );
                if let Some(cell) = buf.cell_mut(pos) {
                    let half = (py == 2).then_some(gy % 2 == 0);
                    mark.apply(cell, half, colors);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;
    use ratatui::style::Color;

    /// In an area exactly scale × its pixels, the heatmap repeats each pixel scale times a
    /// side: here 3×2 pixels at scale 2 in half-blocks take 6 columns and 2 rows.
    #[test]
    fn the_heatmap_replicates_pixels_at_a_whole_scale() {
        let data = Array2::from_shape_fn((2, 3), |(r, c)| (r * 3 + c) as f32);
        let canvas = Canvas::new((1, 1), Glyphs::HalfBlock, 2, 0..2, 0..3);
        assert_eq!(canvas.area, Rect::new(1, 1, 6, 2));
        let mut buf = Buffer::empty(Rect::new(0, 0, 8, 4));
        let scale = Scale::Unsigned { min: 0.0, max: 5.0 };
        canvas.draw(data.view(), scale, ColorMode::TrueColor, &mut buf);
        let colour = |v: f32| {
            let (r, g, b) = super::super::colormap::colour(scale.normalise(v), false);
            Color::Rgb(r, g, b)
        };
        for (x, y) in [(1, 1), (2, 1), (3, 1), (6, 2)] {
            let cell = &buf[(x, y)];
            let (r, c) = canvas.pixel_at(Position::new(x, y)).unwrap();
            let v = data[(r, c)];
            assert_eq!(
                (cell.symbol(), cell.fg, cell.bg),
                ("▀", colour(v), colour(v))
            );
        }
        assert_eq!(canvas.pixel_at(Position::new(3, 2)), Some((1, 1)));
        assert_eq!(canvas.cell_of((1, 2)), Some(Position::new(5, 2)));
        assert_eq!(canvas.pixel_at(Position::new(7, 1)), None);
    }

    #[test]
    fn scales_and_windows() {
        assert_eq!(max_scale(Glyphs::HalfBlock, (28, 28), (60, 30)), 2);
        assert_eq!(max_scale(Glyphs::Ascii, (28, 28), (60, 20)), 0);
        assert_eq!(window(28, 10, 0..3), 0..10);
        assert_eq!(window(28, 10, 26..28), 18..28);
        assert_eq!(window(28, 10, 12..15), 8..18);
        assert_eq!(window(5, 10, 2..3), 0..5);
    }
}
