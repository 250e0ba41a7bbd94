//! The colours of the bars: every message sets its foreground *and* background, so that it
//! reads on dark and light terminal themes alike (WCAG contrast ≥ 4.5 between the two, as
//! drawn in truecolour; tested below). In 256 colours they map to the nearest palette colours;
//! without colours (`NO_COLOR`) only bold and reverse are used.

use super::widgets::colormap::ColorMode;
use ratatui::style::{Modifier, Style};

pub type Rgb = (u8, u8, u8);

/// A foreground on a background.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub fg: Rgb,
    pub bg: Rgb,
}

const fn pair(fg: Rgb, bg: Rgb) -> Pair {
    Pair { fg, bg }
}

/// The band behind the status line and the idle banner.
pub const BAND: Rgb = (30, 32, 40);
/// Plain text, quieter text and separators on the band.
pub const TEXT: Pair = pair((225, 227, 235), BAND);
pub const QUIET: Pair = pair((160, 164, 176), BAND);
/// Worker states on the band.
pub const RUNNING: Pair = pair((110, 215, 140), BAND);
pub const PAUSED: Pair = pair((245, 205, 90), BAND);
pub const FAILED: Pair = pair((255, 125, 125), BAND);
/// The progress bar's done part.
pub const PROGRESS: Pair = pair((80, 190, 230), BAND);
/// Banners: what an edit did, why it was refused, a failure.
pub const INFO: Pair = pair((240, 246, 255), (22, 72, 112));
pub const WARNING: Pair = pair((25, 22, 10), (245, 200, 80));
pub const ERROR: Pair = pair((255, 255, 255), (165, 25, 35));
/// A key in the hint bar.
pub const KEY: Pair = pair((20, 20, 24), (200, 202, 210));

/// Every pair the bars draw, for the contrast test.
pub const ALL: [Pair; 10] = [
    TEXT, QUIET, RUNNING, PAUSED, FAILED, PROGRESS, INFO, WARNING, ERROR, KEY,
];

impl Pair {
    /// The style of this pair in a colour mode; without colours, plain text (`bold` and
    /// `reverse` are the caller's).
    pub fn style(self, colors: ColorMode) -> Style {
        match (colors.color(self.fg), colors.color(self.bg)) {
            (Some(fg), Some(bg)) => Style::new().fg(fg).bg(bg),
            _ => Style::new(),
        }
    }

    /// As `style`, and reversed when there are no colours, so a banner still stands out.
    pub fn marked(self, colors: ColorMode) -> Style {
        match colors {
            ColorMode::Monochrome => Style::new().add_modifier(Modifier::REVERSED),
            _ => self.style(colors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::palette::{contrast, xterm_rgb};
    use ratatui::style::Color;

    #[test]
    fn every_pair_reads_in_truecolour() {
        for p in ALL {
            let ratio = contrast(p.fg, p.bg);
            assert!(ratio >= 4.5, "{p:?}: contrast {ratio:.2}");
        }
    }

    /// The 256-colour versions keep enough contrast too (a little less is lost to rounding).
    #[test]
    fn every_pair_reads_in_256_colours() {
        let rgb = |c: Option<Color>| match c {
            Some(Color::Indexed(i)) => xterm_rgb(i),
            other => panic!("not a palette colour: {other:?}"),
        };
        for p in ALL {
            let style = p.style(ColorMode::Ansi256);
            let ratio = contrast(rgb(style.fg), rgb(style.bg));
            assert!(ratio >= 4.5, "{p:?} in 256 colours: contrast {ratio:.2}");
        }
    }

    #[test]
    fn styles_set_both_colours_or_none() {
        let s = INFO.style(ColorMode::TrueColor);
        assert_eq!(
            (s.fg, s.bg),
            (
                Some(Color::Rgb(240, 246, 255)),
                Some(Color::Rgb(22, 72, 112))
            )
        );
        let mono = INFO.marked(ColorMode::Monochrome);
        assert_eq!((mono.fg, mono.bg), (None, None));
        assert!(mono.add_modifier.contains(Modifier::REVERSED));
    }
}
