//! The xterm 256-colour palette as seen by eye: nearest colours in OKLab (a perceptual space),
//! the heatmaps' colour maps mapped onto it, and WCAG contrast for text colours.
//! Pure functions, tested below.

use super::colormap::colour;
use std::sync::OnceLock;

/// The RGB of xterm palette index `i` ≥ 16: the 6×6×6 cube, then 24 greys. (0–15 are left to
/// the terminal's theme, so they are never chosen.)
pub fn xterm_rgb(i: u8) -> (u8, u8, u8) {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match i {
        16..=231 => {
            let c = i - 16;
            (
                LEVELS[(c / 36) as usize],
                LEVELS[(c / 6 % 6) as usize],
                LEVELS[(c % 6) as usize],
            )
        }
        232..=255 => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
        _ => (0, 0, 0),
    }
}

/// sRGB channel to linear light.
fn linear(c: u8) -> f32 {
    let c = c as f32 / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// OKLab (L, a, b) of an sRGB colour (Björn Ottosson's matrices).
pub fn oklab((r, g, b): (u8, u8, u8)) -> [f32; 3] {
    let (r, g, b) = (linear(r), linear(g), linear(b));
    let l = (0.412_221_46 * r + 0.536_332_55 * g + 0.051_445_995 * b).cbrt();
    let m = (0.211_903_5 * r + 0.680_699_5 * g + 0.107_396_96 * b).cbrt();
    let s = (0.088_302_46 * r + 0.281_718_85 * g + 0.629_978_7 * b).cbrt();
    [
        0.210_454_26 * l + 0.793_617_8 * m - 0.004_072_047 * s,
        1.977_998_5 * l - 2.428_592_2 * m + 0.450_593_7 * s,
        0.025_904_037 * l + 0.782_771_77 * m - 0.808_675_77 * s,
    ]
}

/// The palette's OKLab colours, computed once.
fn palette_lab() -> &'static [[f32; 3]; 240] {
    static LAB: OnceLock<[[f32; 3]; 240]> = OnceLock::new();
    LAB.get_or_init(|| std::array::from_fn(|i| oklab(xterm_rgb(16 + i as u8))))
}

/// The index among `candidates` whose colour is nearest to `rgb` in OKLab.
pub fn nearest(rgb: (u8, u8, u8), candidates: impl IntoIterator<Item = u8>) -> u8 {
    let target = oklab(rgb);
    let dist = |i: u8| {
        let c = palette_lab()[i.max(16) as usize - 16];
        (0..3).map(|k| (c[k] - target[k]).powi(2)).sum::<f32>()
    };
    candidates
        .into_iter()
        .min_by(|&a, &b| dist(a).total_cmp(&dist(b)))
        .unwrap_or(16)
}

/// Nearest xterm 256-colour index (cube or grey ramp) by eye.
pub fn ansi256(r: u8, g: u8, b: u8) -> u8 {
    nearest((r, g, b), 16..=255)
}

/// The colours the diverging map may use: blues, black and dark grey, reds and oranges. The
/// darker blues of the truecolour map have no near match in the cube, and plain nearest
/// colours turn them grey or teal; among these they stay blue, so blue, dark and orange read
/// as in truecolour.
const DIVERGING_256: [u8; 19] = [
    75, 69, 33, 27, 26, 25, 24, 18, 17, 16, 233, 52, 88, 130, 166, 172, 208, 214, 215,
];

/// Levels of a colour map's 256-colour table.
const LEVELS: usize = 256;

/// The 256-colour index for a normalised value on the sequential (`signed` false) or
/// diverging map: the truecolour map's colour, nearest in the palette.
pub fn heat_index(t: f32, signed: bool) -> u8 {
    static TABLES: OnceLock<[[u8; LEVELS]; 2]> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        let table = |signed: bool| {
            std::array::from_fn(|i| {
                let rgb = colour(i as f32 / (LEVELS - 1) as f32, signed);
                if signed {
                    nearest(rgb, DIVERGING_256)
                } else {
                    nearest(rgb, 16..=255)
                }
            })
        };
        [table(false), table(true)]
    });
    let i = (t.clamp(0.0, 1.0) * (LEVELS - 1) as f32).round() as usize;
    tables[signed as usize][i]
}

/// WCAG relative luminance of an sRGB colour.
pub fn luminance((r, g, b): (u8, u8, u8)) -> f32 {
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// WCAG contrast ratio of two colours, from 1 (none) to 21 (black on white).
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_indices_and_exact_colours() {
        assert_eq!(xterm_rgb(16), (0, 0, 0));
        assert_eq!(xterm_rgb(196), (255, 0, 0));
        assert_eq!(xterm_rgb(231), (255, 255, 255));
        assert_eq!(xterm_rgb(244), (128, 128, 128));
        // A palette colour is its own nearest.
        for i in [16, 24, 130, 196, 215, 231, 244] {
            assert_eq!(ansi256(xterm_rgb(i).0, xterm_rgb(i).1, xterm_rgb(i).2), i);
        }
    }

    /// The signed map in 256 colours: blue below zero (blue the strongest channel), near
    /// black at zero, orange above (red strongest, blue weakest); between, where truecolour
    /// is itself nearly black, dark or the right hue. The ends are brighter than the middle.
    #[test]
    fn diverging_map_stays_blue_dark_orange_in_256_colours() {
        for i in 0..=100 {
            let t = i as f32 / 100.0;
            let (r, g, b) = xterm_rgb(heat_index(t, true));
            let (blue, orange) = (b > r && b >= g, r > b && r >= g);
            let dark = r.max(g).max(b) <= 30;
            let ok = match t {
                t if t <= 0.4 => blue,
                t if t < 0.47 => blue || dark,
                t if t <= 0.53 => dark,
                t if t < 0.6 => orange || dark,
                _ => orange,
            };
            assert!(ok, "t = {t}: ({r}, {g}, {b})");
        }
        let lum = |t: f32| luminance(xterm_rgb(heat_index(t, true)));
        assert!(lum(0.0) > lum(0.25) && lum(0.25) > lum(0.5));
        assert!(lum(1.0) > lum(0.75) && lum(0.75) > lum(0.5));
    }

    /// The sequential map keeps its order of brightness in 256 colours.
    #[test]
    fn sequential_map_gets_brighter_in_256_colours() {
        let lum = |t: f32| luminance(xterm_rgb(heat_index(t, false)));
        let steps: Vec<f32> = (0..=10).map(|i| lum(i as f32 / 10.0)).collect();
        assert!(steps.windows(2).all(|w| w[1] >= w[0]), "{steps:?}");
        assert_eq!(heat_index(0.0, false), 16);
    }

    #[test]
    fn contrast_ratios() {
        let black_white = contrast((0, 0, 0), (255, 255, 255));
        assert!((black_white - 21.0).abs() < 0.01, "{black_white}");
        assert!((contrast((120, 120, 120), (120, 120, 120)) - 1.0).abs() < 1e-6);
        // The case: black text on a dark theme's background cannot be read.
        assert!(contrast((0, 0, 0), (30, 30, 30)) < 1.5);
    }
}
