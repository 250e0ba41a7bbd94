//! One reusable heatmap widget with three glyph modes:
//! half-block `▀` (top pixel as foreground, bottom as background; two pixels a cell),
//! braille (2×4 dots a cell, ordered dithering, coloured by the cell's mean) and an ASCII ramp.

use super::colormap::{ColorMode, RAMP, Scale, colour, fit, ramp_char};
use ndarray::ArrayView2;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Glyphs {
    HalfBlock,
    Braille,
    Ascii,
}

impl Glyphs {
    /// The next mode; half-block needs colours, so monochrome skips it.
    pub fn next(self, colors: ColorMode) -> Glyphs {
        let next = match self {
            Glyphs::HalfBlock => Glyphs::Braille,
            Glyphs::Braille => Glyphs::Ascii,
            Glyphs::Ascii => Glyphs::HalfBlock,
        };
        if next == Glyphs::HalfBlock && colors == ColorMode::Monochrome {
            Glyphs::Braille
        } else {
            next
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Glyphs::HalfBlock => "half-block",
            Glyphs::Braille => "braille",
            Glyphs::Ascii => "ASCII",
        }
    }

    /// Pixels a cell shows, (across, down).
    pub fn pixels_per_cell(self) -> (usize, usize) {
        match self {
            Glyphs::HalfBlock => (1, 2),
            Glyphs::Braille => (2, 4),
            Glyphs::Ascii => (1, 1),
        }
    }
}

/// Cells a `w`×`h`-pixel picture needs at one pixel across and two down per cell.
pub fn cells_for(w: usize, h: usize) -> (u16, u16) {
    (w as u16, h.div_ceil(2) as u16)
}

/// A 2-D array drawn into the whole of its area.
pub struct Heatmap<'a> {
    pub data: ArrayView2<'a, f32>,
    pub scale: Scale,
    pub glyphs: Glyphs,
    pub colors: ColorMode,
}

impl Widget for Heatmap<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() || self.data.is_empty() {
            return;
        }
        let (px, py) = self.glyphs.pixels_per_cell();
        let (w, h) = (area.width as usize, area.height as usize);
        let pixels = fit(self.data, w * px, h * py);
        // Normalised values; NaN stays NaN and marks a blank pixel.
        let t: Vec<f32> = pixels
            .iter()
            .map(|&v| {
                if v.is_nan() {
                    v
                } else {
                    self.scale.normalise(v)
                }
            })
            .collect();
        for cy in 0..h {
            for cx in 0..w {
                let at = |dx: usize, dy: usize| t[(cy * py + dy) * w * px + cx * px + dx];
                let cell = &mut buf[(area.x + cx as u16, area.y + cy as u16)];
                match self.glyphs {
                    Glyphs::HalfBlock => self.half_block(cell, at(0, 0), at(0, 1)),
                    Glyphs::Braille => {
                        let (ch, mean) = braille(&at, self.scale);
                        cell.set_char(ch);
                        self.tint(cell, mean);
                    }
                    Glyphs::Ascii => {
                        let v = at(0, 0);
                        cell.set_char(if v.is_nan() {
                            ' '
                        } else {
                            ramp_char(self.scale.intensity(v))
                        });
                        self.tint(cell, v);
                    }
                }
            }
        }
    }
}

impl Heatmap<'_> {
    fn rgb(&self, t: f32) -> Option<Color> {
        if t.is_nan() {
            None
        } else {
            self.colors.color(colour(t, self.scale.is_signed()))
        }
    }

    /// Top pixel as foreground of `▀`, bottom as background; a blank half stays unpainted.
    fn half_block(&self, cell: &mut Cell, top: f32, bottom: f32) {
        match (self.rgb(top), self.rgb(bottom)) {
            (Some(fg), Some(bg)) => cell.set_char('▀').set_fg(fg).set_bg(bg),
            (Some(fg), None) => cell.set_char('▀').set_fg(fg),
            (None, Some(fg)) => cell.set_char('▄').set_fg(fg),
            (None, None) => cell.set_char(' '),
        };
    }

    fn tint(&self, cell: &mut Cell, t: f32) {
        if let Some(c) = self.rgb(t) {
            cell.set_fg(c);
        }
    }
}

/// 4×4 Bayer thresholds for ordered dithering of the braille dots.
const BAYER: [[f32; 4]; 4] = [
    [0.0, 8.0, 2.0, 10.0],
    [12.0, 4.0, 14.0, 6.0],
    [3.0, 11.0, 1.0, 9.0],
    [15.0, 7.0, 13.0, 5.0],
];
/// Braille dot bits by (dx, dy).
const DOTS: [[u32; 4]; 2] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];

/// The braille character for one cell's 2×4 normalised values, and their mean.
fn braille(at: &impl Fn(usize, usize) -> f32, scale: Scale) -> (char, f32) {
    let (mut bits, mut sum, mut n) = (0u32, 0.0, 0);
    for dy in 0..4 {
        for dx in 0..2 {
            let t = at(dx, dy);
            if t.is_nan() {
                continue;
            }
            (sum, n) = (sum + t, n + 1);
            if scale.intensity(t) > (BAYER[dy][dx] + 0.5) / 16.0 {
                bits |= DOTS[dx][dy];
            }
        }
    }
    let mean = if n == 0 { f32::NAN } else { sum / n as f32 };
    (char::from_u32(0x2800 + bits).unwrap_or(' '), mean)
}

/// A one-line legend: `min −0.31 ▕gradient▏ max 0.42`, with zero marked on signed scales.
pub fn legend(scale: Scale, actual: (f32, f32), colors: ColorMode, width: usize) -> Line<'static> {
    let mut spans = vec![Span::raw(format!("{:+.2} ", actual.0))];
    let (lo, hi) = scale.bounds();
    for i in 0..width {
        let v = lo + (hi - lo) * (i as f32 + 0.5) / width as f32;
        let t = scale.normalise(v);
        let mid = scale.is_signed() && i == width / 2;
        let span = match colors.color(colour(t, scale.is_signed())) {
            Some(c) if mid => Span::styled("0", Style::new().bg(c).fg(Color::White)),
            Some(c) => Span::styled(" ", Style::new().bg(c)),
            None if mid => Span::raw("0"),
            None => Span::raw((ramp_char(scale.intensity(t))).to_string()),
        };
        spans.push(span);
    }
    spans.push(Span::raw(format!(" {:+.2}", actual.1)));
    Line::from(spans)
}

/// The characters of the ASCII ramp, for the help text.
pub fn ramp() -> &'static str {
    std::str::from_utf8(RAMP).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn braille_dots_follow_intensity() {
        let scale = Scale::Unsigned { min: 0.0, max: 1.0 };
        let (full, mean) = braille(&|_, _| 1.0, scale);
        assert_eq!((full, mean), ('⣿', 1.0));
        assert_eq!(braille(&|_, _| 0.0, scale).0, '⠀');
    }

    #[test]
    fn half_block_cell_has_top_and_bottom_colours() {
        let data = array![[0.0_f32], [1.0]];
        let mut buf = Buffer::empty(Rect::new(0, 0, 1, 1));
        let scale = Scale::Unsigned { min: 0.0, max: 1.0 };
        Heatmap {
            data: data.view(),
            scale,
            glyphs: Glyphs::HalfBlock,
            colors: ColorMode::TrueColor,
        }
        .render(buf.area, &mut buf);
        let cell = &buf[(0, 0)];
        assert_eq!(cell.symbol(), "▀");
        assert_eq!(cell.fg, Color::Rgb(0, 0, 4));
        assert_eq!(cell.bg, Color::Rgb(252, 253, 191));
    }

    #[test]
    fn glyph_cycle_skips_half_block_without_colour() {
        assert_eq!(Glyphs::Ascii.next(ColorMode::Monochrome), Glyphs::Braille);
        assert_eq!(Glyphs::Ascii.next(ColorMode::TrueColor), Glyphs::HalfBlock);
    }
}
