//! A heatmap as an RGB picture: each map pixel a `factor`×`factor` square in the screen's
//! colour map (`colormap::colour`: sequential, or blue < 0 < orange when signed), and under it
//! a legend: a colour bar and its two ends (and 0 on a signed bar) in a 3×5 bitmap font, so
//! that a picture shown out of the program still says what its colours mean.

use crate::number::compact;
use crate::ui::widgets::colormap::{Scale, colour};
use ndarray::ArrayView2;
use std::io;
use std::path::Path;

/// Where a picture has no value: between tiles, or a NaN.
pub const GAP: (u8, u8, u8) = (110, 110, 110);
/// Around the map and behind the legend.
pub const BACKGROUND: (u8, u8, u8) = (40, 40, 40);
const INK: (u8, u8, u8) = (235, 235, 235);
/// The legend's margin, bar height and glyph scale, in pixels.
const MARGIN: usize = 6;
const BAR: usize = 12;
const GLYPH_SCALE: usize = 2;
/// A picture is at least this wide, so that the legend's two numbers fit.
const MIN_WIDTH: usize = 200;
/// The map is scaled up until its longer side reaches about this many pixels.
const TARGET_SIDE: usize = 320;

/// An RGB image, row-major, 3 bytes a pixel.
#[derive(Debug, Clone, PartialEq)]
pub struct Rgb {
    pub width: usize,
    pub height: usize,
    pub data: Vec<u8>,
}

impl Rgb {
    fn new(width: usize, height: usize, fill: (u8, u8, u8)) -> Rgb {
        let data = [fill.0, fill.1, fill.2].repeat(width * height);
        Rgb {
            width,
            height,
            data,
        }
    }

    pub fn pixel(&self, x: usize, y: usize) -> (u8, u8, u8) {
        let i = 3 * (y * self.width + x);
        (self.data[i], self.data[i + 1], self.data[i + 2])
    }

    fn fill(&mut self, (x, y, w, h): (usize, usize, usize, usize), c: (u8, u8, u8)) {
        for row in y..(y + h).min(self.height) {
            for col in x..(x + w).min(self.width) {
                let i = 3 * (row * self.width + col);
                self.data[i..i + 3].copy_from_slice(&[c.0, c.1, c.2]);
            }
        }
    }
}

/// The whole factor a `(H, W)` map is scaled up by: its longer side near `TARGET_SIDE`.
pub fn factor(dim: (usize, usize)) -> usize {
    (TARGET_SIDE / dim.0.max(dim.1).max(1)).clamp(1, 32)
}

/// Where a `(H, W)` map sits in its picture: the left and top edges, and the factor.
pub fn placement(dim: (usize, usize)) -> (usize, usize, usize) {
    let f = factor(dim);
    let width = (dim.1 * f).max(MIN_WIDTH);
    ((width - dim.1 * f) / 2, MARGIN, f)
}

/// The picture of `map` `(H, W)` on `scale`, with its legend under it.
pub fn render(map: ArrayView2<f32>, scale: Scale) -> Rgb {
    let (h, w) = map.dim();
    let (x0, y0, f) = placement((h, w));
    let width = (w * f).max(MIN_WIDTH);
    let text_h = 5 * GLYPH_SCALE;
    let height = MARGIN + h * f + MARGIN + BAR + MARGIN / 2 + text_h + MARGIN;
    let mut img = Rgb::new(width, height, BACKGROUND);
    let signed = scale.is_signed();
    for ((r, c), &v) in map.indexed_iter() {
        let rgb = if v.is_finite() {
            colour(scale.normalise(v), signed)
        } else {
            GAP
        };
        img.fill((x0 + c * f, y0 + r * f, f, f), rgb);
    }
    legend(&mut img, y0 + h * f + MARGIN, scale);
    img
}

/// The colour bar from `top` down, and the numbers under it.
fn legend(img: &mut Rgb, top: usize, scale: Scale) {
    let (lo, hi) = scale.bounds();
    let span = img.width - 2 * MARGIN;
    for i in 0..span {
        let t = i as f32 / (span - 1).max(1) as f32;
        img.fill((MARGIN + i, top, 1, BAR), colour(t, scale.is_signed()));
    }
    let y = top + BAR + MARGIN / 2;
    let max = compact(hi as f64, 3);
    text(img, MARGIN, y, &compact(lo as f64, 3));
    text(img, img.width - MARGIN - text_width(&max), y, &max);
    if scale.is_signed() {
        text(img, (img.width - text_width("0")) / 2, y, "0");
    }
}

fn text_width(s: &str) -> usize {
    (s.chars().count() * 4).saturating_sub(1) * GLYPH_SCALE
}

/// `s` in the bitmap font, its top left corner at (`x`, `y`).
fn text(img: &mut Rgb, x: usize, y: usize, s: &str) {
    for (i, ch) in s.chars().enumerate() {
        let rows = glyph(ch);
        for (r, bits) in rows.iter().enumerate() {
            for c in 0..3 {
                if bits & (0b100 >> c) != 0 {
                    let px = x + (4 * i + c) * GLYPH_SCALE;
                    let py = y + r * GLYPH_SCALE;
                    img.fill((px, py, GLYPH_SCALE, GLYPH_SCALE), INK);
                }
            }
        }
    }
}

/// A character's 3×5 bitmap, one row a `u8` (bit 2 on the left); unknown ones are blank.
pub fn glyph(ch: char) -> [u8; 5] {
    match ch {
        '0' => [0b111, 0b101, 0b101, 0b101, 0b111],
        '1' => [0b010, 0b110, 0b010, 0b010, 0b111],
        '2' => [0b111, 0b001, 0b111, 0b100, 0b111],
        '3' => [0b111, 0b001, 0b011, 0b001, 0b111],
        '4' => [0b101, 0b101, 0b111, 0b001, 0b001],
        '5' => [0b111, 0b100, 0b111, 0b001, 0b111],
        '6' => [0b111, 0b100, 0b111, 0b101, 0b111],
        '7' => [0b111, 0b001, 0b010, 0b010, 0b010],
        '8' => [0b111, 0b101, 0b111, 0b101, 0b111],
        '9' => [0b111, 0b101, 0b111, 0b001, 0b111],
        '-' => [0b000, 0b000, 0b111, 0b000, 0b000],
        '+' => [0b000, 0b010, 0b111, 0b010, 0b000],
        '.' => [0b000, 0b000, 0b000, 0b000, 0b010],
        'e' => [0b000, 0b111, 0b111, 0b100, 0b111],
        _ => [0; 5],
    }
}

/// Write `img` as a PNG at `path`: a temporary file in the same folder, then a rename, so that
/// nobody sees half a picture.
pub fn write_png(path: &Path, img: &Rgb) -> io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(folder)?;
    {
        let out = io::BufWriter::new(tmp.as_file());
        let mut enc = png::Encoder::new(out, img.width as u32, img.height as u32);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(io::Error::other)?;
        writer
            .write_image_data(&img.data)
            .map_err(io::Error::other)?;
        writer.finish().map_err(io::Error::other)?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
