//! One reusable heatmap widget with three glyph modes:
//! half-block `▀` (top pixel as foreground, bottom as background; two pixels a cell),
//! braille (2×4 dots a cell, ordered dithering, coloured by the dots it draws) and ASCII ramps
//! (signed maps: one ramp for each sign). Given an area that is a whole multiple of the map (or
//! half of it), it draws the map at exactly that scale: pixels repeated, or 2×2 averaged.

use super::colormap::{ColorMode, RAMP, Scale, ascii_char};
use super::resample::fit;
use ndarray::ArrayView2;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::widgets::Widget;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Glyphs {
    HalfBlock,
    Braille,
    Ascii,
}

impl Glyphs {
    /// The next mode. Without colours only ASCII is offered: half-blocks are colours, and
    /// braille dots alone lose the sign of a signed map.
    pub fn next(self, colors: ColorMode) -> Glyphs {
        if colors == ColorMode::Monochrome {
            return Glyphs::Ascii;
        }
        match self {
            Glyphs::HalfBlock => Glyphs::Braille,
            Glyphs::Braille => Glyphs::Ascii,
            Glyphs::Ascii => Glyphs::HalfBlock,
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

/// Cells a `w`×`h`-pixel picture needs at one pixel across and two down per cell (half-blocks
/// at 1:1; `scale::Zoom::cells` gives any zoom and glyph mode).
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
        // Dithering needs several dots a map pixel to show its level; with one dot (or less)
        // a pixel it turns a faint map into noise, so a fixed threshold draws its shape.
        let (rows, cols) = self.data.dim();
        let dots = BrailleDots {
            dither: w * px >= 2 * cols && h * py >= 2 * rows,
            scale: self.scale,
        };
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
                        let (ch, mean) = braille(&at, dots);
                        cell.set_char(ch);
                        self.tint(cell, mean);
                    }
                    Glyphs::Ascii => {
                        let v = at(0, 0);
                        cell.set_char(if v.is_nan() {
                            ' '
                        } else {
                            ascii_char(v, self.scale.is_signed())
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
            self.colors.heat(t, self.scale.is_signed())
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

/// How braille dots are chosen: ordered dithering, or a fixed threshold of ink.
#[derive(Clone, Copy)]
struct BrailleDots {
    dither: bool,
    scale: Scale,
}

/// Ink above which a dot is drawn when not dithering.
const THRESHOLD: f32 = 0.2;

/// The braille character for one cell's 2×4 normalised values, and the mean of the dots it
/// draws (of all its values when it draws none): the colour of sparse dots is theirs, not
/// the dark of the blank around them.
fn braille(at: &impl Fn(usize, usize) -> f32, dots: BrailleDots) -> (char, f32) {
    let (mut bits, mut lit, mut all) = (0u32, (0.0, 0), (0.0, 0));
    for dy in 0..4 {
        for dx in 0..2 {
            let t = at(dx, dy);
            if t.is_nan() {
                continue;
            }
            all = (all.0 + t, all.1 + 1);
            let threshold = if dots.dither {
                (BAYER[dy][dx] + 0.5) / 16.0
            } else {
                THRESHOLD
            };
            if dots.scale.intensity(t) > threshold {
                bits |= DOTS[dx][dy];
                lit = (lit.0 + t, lit.1 + 1);
            }
        }
    }
    let (sum, n) = if lit.1 > 0 { lit } else { all };
    let mean = if n == 0 { f32::NAN } else { sum / n as f32 };
    (char::from_u32(0x2800 + bits).unwrap_or(' '), mean)
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
        let dots = BrailleDots {
            dither: true,
            scale,
        };
        let (full, mean) = braille(&|_, _| 1.0, dots);
        assert_eq!((full, mean), ('⣿', 1.0));
        assert_eq!(braille(&|_, _| 0.0, dots).0, '⠀');
        // Dithering a faint level lights some dots; the threshold lights all or none.
        let faint = braille(&|_, _| 0.3, dots).0 as u32 - 0x2800;
        assert!(faint.count_ones() > 0 && faint.count_ones() < 8);
        let threshold = BrailleDots {
            dither: false,
            scale,
        };
        assert_eq!(braille(&|_, _| 0.3, threshold).0, '⣿');
        assert_eq!(braille(&|_, _| 0.1, threshold).0, '⠀');
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
    fn glyph_cycle_offers_only_ascii_without_colour() {
        for g in [Glyphs::HalfBlock, Glyphs::Braille, Glyphs::Ascii] {
            assert_eq!(g.next(ColorMode::Monochrome), Glyphs::Ascii);
        }
        assert_eq!(Glyphs::Ascii.next(ColorMode::TrueColor), Glyphs::HalfBlock);
        assert_eq!(Glyphs::HalfBlock.next(ColorMode::Ansi256), Glyphs::Braille);
    }

    #[test]
    fn braille_dots_take_the_colour_of_what_they_draw() {
        // One bright pixel among seven blanks: its dot is drawn in its own colour.
        let scale = Scale::Unsigned { min: 0.0, max: 1.0 };
        let dots = BrailleDots {
            dither: true,
            scale,
        };
        let (ch, mean) = braille(&|dx, dy| if (dx, dy) == (0, 0) { 1.0 } else { 0.0 }, dots);
        assert_eq!((ch, mean), ('⠁', 1.0));
    }

    /// At twice the map's size in cells every map pixel becomes 2×2 pixels; at half, each
    /// 2×2 block is one pixel: the widget draws at the zoom its area was made for.
    #[test]
    fn draws_at_the_zoom_of_its_area() {
        let data = ndarray::Array2::from_shape_fn((2, 2), |(y, x)| (2 * y + x) as f32);
        let scale = Scale::Unsigned { min: 0.0, max: 3.0 };
        let draw = |w: u16, h: u16| {
            let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
            Heatmap {
                data: data.view(),
                scale,
                glyphs: Glyphs::Ascii,
                colors: ColorMode::Monochrome,
            }
            .render(buf.area, &mut buf);
            (0..h)
                .map(|y| {
                    (0..w)
                        .map(|x| buf[(x, y)].symbol().to_string())
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(4, 4), vec!["  --", "  --", "**@@", "**@@"]);
        assert_eq!(draw(1, 1), vec!["+"]);
    }
}
