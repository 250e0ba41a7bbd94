//! Pure functions behind the heatmap: scales, colour maps and the ASCII ramps (the
//! 256-colour palette is in `palette`, resampling in `resample`). No terminal here; every function has a unit test below.

use super::palette::{ansi256, heat_index};
use ratatui::style::Color;

/// How colours reach the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    TrueColor,
    Ansi256,
    /// `NO_COLOR`: no colours at all; heatmaps use glyph density only.
    Monochrome,
}

impl ColorMode {
    /// From the environment: `NO_COLOR` (any value) wins, then `COLORTERM=truecolor|24bit`.
    pub fn detect(colorterm: Option<&str>, no_color: bool) -> ColorMode {
        match colorterm {
            _ if no_color => ColorMode::Monochrome,
            Some(v) if matches!(v.to_ascii_lowercase().as_str(), "truecolor" | "24bit") => {
                ColorMode::TrueColor
            }
            _ => ColorMode::Ansi256,
        }
    }

    /// The terminal colour for an RGB triple, or `None` in monochrome.
    pub fn color(self, (r, g, b): (u8, u8, u8)) -> Option<Color> {
        match self {
            ColorMode::TrueColor => Some(Color::Rgb(r, g, b)),
            ColorMode::Ansi256 => Some(Color::Indexed(ansi256(r, g, b))),
            ColorMode::Monochrome => None,
        }
    }

    /// The colour of a normalised value on the sequential or diverging map; in 256 colours
    /// the palette colour nearest the truecolour one.
    pub fn heat(self, t: f32, signed: bool) -> Option<Color> {
        match self {
            ColorMode::Ansi256 => Some(Color::Indexed(heat_index(t, signed))),
            _ => self.color(colour(t, signed)),
        }
    }
}

/// How values map to [0, 1]. Signed scales put zero at 0.5.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    Unsigned { min: f32, max: f32 },
    Signed { max_abs: f32 },
}

impl Scale {
    /// The scale that spans `values`; empty or non-finite input gives a unit scale.
    pub fn fit(values: impl IntoIterator<Item = f32>, signed: bool) -> Scale {
        let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
        for v in values.into_iter().filter(|v| v.is_finite()) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if lo > hi {
            (lo, hi) = (0.0, 1.0);
        }
        if signed {
            Scale::Signed {
                max_abs: lo.abs().max(hi.abs()),
            }
        } else {
            Scale::Unsigned { min: lo, max: hi }
        }
    }

    pub fn is_signed(self) -> bool {
        matches!(self, Scale::Signed { .. })
    }

    /// `v` mapped to [0, 1]; a flat scale maps everything to its middle (signed) or bottom.
    pub fn normalise(self, v: f32) -> f32 {
        let t = match self {
            Scale::Unsigned { min, max } if max > min => (v - min) / (max - min),
            Scale::Unsigned { .. } => 0.0,
            Scale::Signed { max_abs } if max_abs > 0.0 => 0.5 + 0.5 * v / max_abs,
            Scale::Signed { .. } => 0.5,
        };
        if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// How strongly a normalised value shows as ink: distance from zero for signed scales.
    pub fn intensity(self, t: f32) -> f32 {
        if self.is_signed() {
            (t - 0.5).abs() * 2.0
        } else {
            t
        }
    }

    /// The (low, high) ends of the scale, for legends.
    pub fn bounds(self) -> (f32, f32) {
        match self {
            Scale::Unsigned { min, max } => (min, max),
            Scale::Signed { max_abs } => (-max_abs, max_abs),
        }
    }
}

/// Sequential map (magma-like): black → purple → orange → pale yellow.
const SEQUENTIAL: [(u8, u8, u8); 5] = [
    (0, 0, 4),
    (81, 18, 124),
    (183, 55, 121),
    (252, 137, 97),
    (252, 253, 191),
];
/// Diverging map: blue (negative) → near black (zero) → orange (positive).
const DIVERGING: [(u8, u8, u8); 5] = [
    (90, 170, 255),
    (40, 80, 170),
    (18, 18, 24),
    (180, 70, 20),
    (255, 170, 60),
];

/// The colour of a normalised value `t` in [0, 1] on the sequential or diverging map.
pub fn colour(t: f32, signed: bool) -> (u8, u8, u8) {
    let stops = if signed { &DIVERGING } else { &SEQUENTIAL };
    let x = t.clamp(0.0, 1.0) * (stops.len() - 1) as f32;
    let i = (x.floor() as usize).min(stops.len() - 2);
    let f = x - i as f32;
    let lerp = |a: u8, b: u8| (a as f32 + (b as f32 - a as f32) * f).round() as u8;
    let (a, b) = (stops[i], stops[i + 1]);
    (lerp(a.0, b.0), lerp(a.1, b.1), lerp(a.2, b.2))
}

/// The ASCII ramp, dark to bright, for non-negative maps.
pub const RAMP: &[u8] = b" .:-=+*#%@";
/// Signed maps in ASCII keep the sign: positive values on one ramp, negative on another.
pub const POSITIVE_RAMP: &[u8] = b" .:+*#@";
pub const NEGATIVE_RAMP: &[u8] = b" ,-~=oO";

/// The ramp character for an ink level in [0, 1].
pub fn ramp_char(t: f32) -> char {
    on_ramp(RAMP, t)
}

fn on_ramp(ramp: &[u8], t: f32) -> char {
    let i = (t.clamp(0.0, 1.0) * (ramp.len() - 1) as f32).round() as usize;
    ramp[i] as char
}

/// The ASCII character of a normalised value `t`: on a signed scale, its distance from the
/// middle on the positive or the negative ramp; else its level on `RAMP`.
pub fn ascii_char(t: f32, signed: bool) -> char {
    if !signed {
        return ramp_char(t);
    }
    let ink = (t - 0.5).abs() * 2.0;
    if t >= 0.5 {
        on_ramp(POSITIVE_RAMP, ink)
    } else {
        on_ramp(NEGATIVE_RAMP, ink)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detect_colour_mode() {
        assert_eq!(
            ColorMode::detect(Some("truecolor"), false),
            ColorMode::TrueColor
        );
        assert_eq!(
            ColorMode::detect(Some("24bit"), false),
            ColorMode::TrueColor
        );
        assert_eq!(ColorMode::detect(None, false), ColorMode::Ansi256);
        assert_eq!(
            ColorMode::detect(Some("truecolor"), true),
            ColorMode::Monochrome
        );
    }

    #[test]
    fn signed_scale_puts_zero_in_the_middle() {
        let s = Scale::fit([-0.2, 0.5, 0.1], true);
        assert_eq!(s, Scale::Signed { max_abs: 0.5 });
        assert_eq!(s.normalise(0.0), 0.5);
        assert_eq!(s.normalise(0.5), 1.0);
        assert_eq!(s.normalise(-0.5), 0.0);
        assert_eq!(s.intensity(s.normalise(-0.5)), 1.0);
        assert_eq!(Scale::Signed { max_abs: 0.0 }.normalise(3.0), 0.5);
    }

    #[test]
    fn unsigned_scale_and_flat_input() {
        let s = Scale::fit([2.0, 4.0, f32::NAN], false);
        assert_eq!(s, Scale::Unsigned { min: 2.0, max: 4.0 });
        assert_eq!(s.normalise(3.0), 0.5);
        assert_eq!(Scale::fit([1.0, 1.0], false).normalise(1.0), 0.0);
        assert_eq!(
            Scale::fit(std::iter::empty(), false),
            Scale::Unsigned { min: 0.0, max: 1.0 }
        );
    }

    #[test]
    fn colour_maps_hit_their_stops() {
        assert_eq!(colour(0.0, false), (0, 0, 4));
        assert_eq!(colour(1.0, false), (252, 253, 191));
        assert_eq!(colour(0.5, true), (18, 18, 24));
        assert_eq!(colour(0.0, true), (90, 170, 255));
        assert_eq!(colour(2.0, true), (255, 170, 60));
    }

    #[test]
    fn ascii_keeps_the_sign() {
        // Zero is blank; equal magnitudes of opposite sign give different characters, each
        // the same level of its own ramp.
        assert_eq!(ascii_char(0.5, true), ' ');
        for ink in [0.2_f32, 0.5, 0.8, 1.0] {
            let (pos, neg) = (
                ascii_char(0.5 + ink / 2.0, true),
                ascii_char(0.5 - ink / 2.0, true),
            );
            assert_ne!(pos, neg, "ink {ink}");
            assert!(POSITIVE_RAMP.contains(&(pos as u8)) && !NEGATIVE_RAMP.contains(&(pos as u8)));
            assert!(NEGATIVE_RAMP.contains(&(neg as u8)) && !POSITIVE_RAMP.contains(&(neg as u8)));
        }
        assert_eq!(ascii_char(1.0, true), '@');
        assert_eq!(ascii_char(0.0, true), 'O');
        assert_eq!(ascii_char(1.0, false), '@');
    }

    #[test]
    fn ramp_ends() {
        assert_eq!(ramp_char(0.0), ' ');
        assert_eq!(ramp_char(1.0), '@');
        assert_eq!(ramp_char(0.5), '+');
    }
}
