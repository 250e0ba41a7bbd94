//! Marks on single pixels of a drawn heatmap: a colour of their own (padding, the cursor),
//! dimmed (outside the kernel's window), tinted (inside it).
//!
//! Half-block cells hold two pixels, top as the foreground of `▀` and bottom as its
//! background, so a mark on one pixel recolours one half of a cell.

use super::colormap::ColorMode;
use super::palette::ansi256;
use ratatui::buffer::Cell;
use ratatui::style::{Color, Modifier};

/// What a mark does to a pixel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    /// Paint it this colour; in ASCII also show this character.
    Paint((u8, u8, u8), Option<char>),
    /// Darken it (outside the kernel's window); dim text in monochrome.
    Dim,
    /// Mix this colour into it, a quarter (inside the kernel's window): black pixels show
    /// the colour, bright ones stay readable. Bold text in monochrome.
    Tint((u8, u8, u8)),
}

impl Mark {
    /// `top` is which half of a half-block cell, `None` for a one-pixel cell.
    pub(super) fn apply(self, cell: &mut Cell, top: Option<bool>, colors: ColorMode) {
        match (self, top) {
            (Mark::Paint(rgb, ch), None) => {
                if let Some(ch) = ch {
                    cell.set_char(ch);
                }
                match colors.color(rgb) {
                    Some(c) => cell.set_fg(c),
                    None => cell.set_style(Modifier::BOLD),
                };
            }
            (Mark::Paint(rgb, _), Some(top)) => {
                if let Some(c) = colors.color(rgb) {
                    set_half(cell, top, c);
                }
            }
            (Mark::Dim, None) => {
                match cell.fg {
                    Color::Reset => cell.set_style(Modifier::DIM),
                    c => cell.set_fg(dim(c)),
                };
            }
            (Mark::Dim, Some(top)) => {
                if let Some(c) = half(cell, top) {
                    set_half(cell, top, dim(c));
                }
            }
            (Mark::Tint(rgb), None) => {
                match colors.color(rgb) {
                    Some(_) => cell.set_fg(mix(cell.fg, rgb, colors)),
                    None => cell.set_style(Modifier::BOLD),
                };
            }
            (Mark::Tint(rgb), Some(top)) => {
                if let Some(c) = half(cell, top) {
                    set_half(cell, top, mix(c, rgb, colors));
                }
            }
        }
    }
}

/// The colour of one half of a half-block cell; `None` when that half is blank.
fn half(cell: &Cell, top: bool) -> Option<Color> {
    match (cell.symbol(), top) {
        ("▀", true) | ("▄", false) => Some(cell.fg),
        ("▀", false) => Some(cell.bg),
        _ => None,
    }
}

/// Paint one half of a half-block cell, keeping the other.
fn set_half(cell: &mut Cell, top: bool, colour: Color) {
    match (cell.symbol(), top) {
        ("▀", true) | ("▄", false) => {
            cell.set_fg(colour);
        }
        ("▀", false) => {
            cell.set_bg(colour);
        }
        ("▄", true) => {
            let bottom = cell.fg;
            cell.set_char('▀').set_fg(colour).set_bg(bottom);
        }
        (_, true) => {
            cell.set_char('▀').set_fg(colour);
        }
        (_, false) => {
            cell.set_char('▄').set_fg(colour);
        }
    }
}

/// A colour at about 40 % of its brightness.
pub fn dim(c: Color) -> Color {
    let f = |v: u8| (v as u16 * 4 / 10) as u8;
    match c {
        Color::Rgb(r, g, b) => Color::Rgb(f(r), f(g), f(b)),
        Color::Indexed(i) => {
            let (r, g, b) = xterm_rgb(i);
            Color::Indexed(ansi256(f(r), f(g), f(b)))
        }
        other => other,
    }
}

/// Three quarters of `c` and a quarter of `rgb` (half and half in 256 colours), in the
/// colour mode of `c`.
fn mix(c: Color, rgb: (u8, u8, u8), colors: ColorMode) -> Color {
    let (r, g, b) = match c {
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) => xterm_rgb(i),
        _ => (0, 0, 0),
    };
    // The 256-colour palette has few dark colours: a quarter of green on black would round
    // to a grey there, half stays green.
    let share = if colors == ColorMode::Ansi256 { 2 } else { 1 };
    let f = |a: u8, b: u8| ((a as u16 * (4 - share) + b as u16 * share) / 4) as u8;
    colors
        .color((f(r, rgb.0), f(g, rgb.1), f(b, rgb.2)))
        .unwrap_or(c)
}

/// The RGB of an xterm 256-colour index (the cube and the grey ramp; the 16 system colours
/// as their usual values).
fn xterm_rgb(i: u8) -> (u8, u8, u8) {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match i {
        16..=231 => {
            let n = i - 16;
            let l = |k: u8| LEVELS[k as usize];
            (l(n / 36), l(n / 6 % 6), l(n % 6))
        }
        232..=255 => {
            let g = 8 + 10 * (i - 232);
            (g, g, g)
        }
        _ => (128, 128, 128),
    }
}

#[cfg(test)]
mod tests {
    use super::super::canvas::Canvas;
    use super::super::colormap::Scale;
    use super::super::heatmap::Glyphs;
    use super::*;
    use ndarray::Array2;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    #[test]
    fn a_mark_paints_one_half_of_a_cell_at_scale_one() {
        let data = Array2::zeros((2, 1));
        let canvas = Canvas::new((0, 0), Glyphs::HalfBlock, 1, 0..2, 0..1);
        let mut buf = Buffer::empty(Rect::new(0, 0, 1, 1));
        let scale = Scale::Unsigned { min: 0.0, max: 1.0 };
        canvas.draw(data.view(), scale, ColorMode::TrueColor, &mut buf);
        let before = buf[(0, 0)].fg;
        canvas.mark(
            &mut buf,
            (1, 0),
            Mark::Paint((1, 2, 3), Some('0')),
            ColorMode::TrueColor,
        );
        assert_eq!(
            (buf[(0, 0)].fg, buf[(0, 0)].bg),
            (before, Color::Rgb(1, 2, 3))
        );
        canvas.mark(&mut buf, (0, 0), Mark::Dim, ColorMode::TrueColor);
        assert_eq!(buf[(0, 0)].fg, dim(before));
        assert_eq!(buf[(0, 0)].symbol(), "▀");
    }

    #[test]
    fn colours_go_back_and_forth_between_palettes() {
        assert_eq!(xterm_rgb(ansi256(255, 0, 0)), (255, 0, 0));
        assert_eq!(dim(Color::Rgb(100, 50, 10)), Color::Rgb(40, 20, 4));
        let tinted = mix(Color::Rgb(0, 0, 0), (40, 255, 120), ColorMode::TrueColor);
        assert_eq!(tinted, Color::Rgb(10, 63, 30));
        let tinted = mix(Color::Indexed(16), (40, 255, 120), ColorMode::Ansi256);
        let Color::Indexed(i) = tinted else {
            panic!("{tinted:?}")
        };
        let (r, g, b) = xterm_rgb(i);
        assert!(
            g > r + 60 && g > b,
            "still green in 256 colours: {:?}",
            (r, g, b)
        );
    }
}
