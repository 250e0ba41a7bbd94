//! The legend of a heatmap, on one line: what its colours or characters mean.
//! Signed: `-0.31 ▕blue … 0 … orange▏ +0.42`; non-negative: `0.00 ▕dark … bright▏ 0.87`;
//! in ASCII the ramps themselves, negative mirrored left of the 0: `O o = ~ - , 0 . : + * # @`.

use super::colormap::{ColorMode, NEGATIVE_RAMP, POSITIVE_RAMP, RAMP, Scale};
use super::heatmap::Glyphs;
use ratatui::style::{Color, Style};
use ratatui::text::Span;

/// A heatmap's legend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Legend {
    pub scale: Scale,
    /// The values drawn, (min, max); `None` when each map is drawn on its own scale.
    pub range: Option<(f32, f32)>,
    pub glyphs: Glyphs,
    pub colors: ColorMode,
}

/// `v` in at most 6 characters: 2 decimals, or the exponent form for very large or small.
pub fn short_number(v: f32, signed: bool) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let tiny = v != 0.0 && v.abs() < 0.01;
    match (v.abs() >= 1000.0 || tiny, signed) {
        (true, true) => format!("{v:+.0e}"),
        (true, false) => format!("{v:.0e}"),
        (false, true) => format!("{v:+.2}"),
        (false, false) => format!("{v:.2}"),
    }
}

impl Legend {
    /// The legend's spans; `width` cells for a colour gradient (ASCII shows its ramps whole).
    pub fn spans(&self, width: usize) -> Vec<Span<'static>> {
        let signed = self.scale.is_signed();
        let (lo, hi) = match self.range {
            Some((lo, hi)) => (short_number(lo, signed), short_number(hi, signed)),
            None if signed => ("-max".into(), "+max".into()),
            None => ("min".into(), "max".into()),
        };
        let mut spans = vec![Span::raw(format!("{lo} "))];
        if self.glyphs == Glyphs::Ascii || self.colors == ColorMode::Monochrome {
            spans.extend(self.ramps());
        } else {
            spans.extend(self.gradient(width.max(3)));
        }
        spans.push(Span::raw(format!(" {hi}")));
        if self.range.is_none() {
            spans.push(Span::raw(" each map"));
        }
        spans
    }

    /// The colour ramp as background cells, `0` marked in the middle of a signed one.
    fn gradient(&self, width: usize) -> Vec<Span<'static>> {
        let signed = self.scale.is_signed();
        (0..width)
            .map(|i| {
                let t = (i as f32 + 0.5) / width as f32;
                let bg = self.colors.heat(t, signed).unwrap_or(Color::Reset);
                if signed && i == width / 2 {
                    Span::styled("0", Style::new().bg(bg).fg(Color::Rgb(255, 255, 255)))
                } else {
                    Span::styled(" ", Style::new().bg(bg))
                }
            })
            .collect()
    }

    /// The ASCII ramps, each character tinted as it is drawn; negative mirrored on the left.
    fn ramps(&self) -> Vec<Span<'static>> {
        let signed = self.scale.is_signed();
        let tint = |c: u8, t: f32| {
            let style = self
                .colors
                .heat(t, signed)
                .map_or(Style::new(), |c| Style::new().fg(c));
            Span::styled((c as char).to_string(), style)
        };
        let steps = |ramp: &[u8]| (ramp.len() - 1) as f32;
        if !signed {
            return RAMP[1..]
                .iter()
                .enumerate()
                .map(|(i, &c)| tint(c, (i + 1) as f32 / steps(RAMP)))
                .collect();
        }
        let neg = NEGATIVE_RAMP[1..].iter().enumerate().rev();
        let mut out: Vec<Span> = neg
            .map(|(i, &c)| tint(c, 0.5 - 0.5 * (i + 1) as f32 / steps(NEGATIVE_RAMP)))
            .collect();
        out.push(Span::raw("0"));
        out.extend(
            POSITIVE_RAMP[1..]
                .iter()
                .enumerate()
                .map(|(i, &c)| tint(c, 0.5 + 0.5 * (i + 1) as f32 / steps(POSITIVE_RAMP))),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn ascii_legend_shows_both_ramps_around_zero() {
        let legend = Legend {
            scale: Scale::Signed { max_abs: 0.5 },
            range: Some((-0.31, 0.5)),
            glyphs: Glyphs::Ascii,
            colors: ColorMode::Monochrome,
        };
        assert_eq!(text(&legend.spans(9)), "-0.31 Oo=~-,0.:+*#@ +0.50");
        let unsigned = Legend {
            scale: Scale::Unsigned { min: 0.0, max: 2.0 },
            range: None,
            ..legend
        };
        assert_eq!(text(&unsigned.spans(9)), "min .:-=+*#%@ max each map");
    }

    #[test]
    fn colour_legend_is_a_gradient_with_zero_in_the_middle() {
        let legend = Legend {
            scale: Scale::Signed { max_abs: 1.0 },
            range: Some((-1.0, 0.25)),
            glyphs: Glyphs::HalfBlock,
            colors: ColorMode::TrueColor,
        };
        let spans = legend.spans(9);
        assert_eq!(text(&spans), "-1.00     0     +0.25");
        // Blue at the negative end, orange at the positive end.
        let bg = |i: usize| spans[i].style.bg;
        assert_eq!(bg(1), ColorMode::TrueColor.heat(0.5 / 9.0, true));
        assert!(matches!(bg(1), Some(Color::Rgb(r, _, b)) if b > r));
        assert!(matches!(bg(9), Some(Color::Rgb(r, _, b)) if r > b));
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short_number(0.1234, true), "+0.12");
        assert_eq!(short_number(0.0, false), "0.00");
        assert_eq!(short_number(12345.0, false), "1e4");
        assert_eq!(short_number(f32::NAN, true), "—");
    }
}
