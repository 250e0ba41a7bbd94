//! The screens: the dashboard and the ones beside it, one at a time. A screen other than the
//! dashboard covers the panels (the status line, the banner and the hint bar stay) and is
//! modal like the focus view: its own keys first, then the few that always work. The digit
//! keys, or a click on the strip at the right end of the status line, choose a screen.

use super::theme;
use super::widgets::colormap::ColorMode;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Dashboard,
    /// Where the network errs: the confusion matrix (issue 9's screens).
    Inspect,
    /// Experiments with the network (issue 10's labs).
    Labs,
    /// The fully connected baseline beside the CNN (issue 10, lab 1).
    Compare,
    /// The lecture, lesson by lesson (issue 10, §6).
    Lessons,
}

impl Screen {
    pub const ALL: [Screen; 5] = [
        Screen::Dashboard,
        Screen::Inspect,
        Screen::Labs,
        Screen::Compare,
        Screen::Lessons,
    ];

    /// The strip's label of the screen shown.
    pub fn title(self) -> &'static str {
        match self {
            Screen::Dashboard => "dashboard",
            Screen::Inspect => "inspect",
            Screen::Labs => "labs",
            Screen::Compare => "fc vs cnn",
            Screen::Lessons => "lessons",
        }
    }

    /// The digit that chooses it.
    pub fn key(self) -> char {
        match self {
            Screen::Dashboard => '1',
            Screen::Inspect => '2',
            Screen::Labs => '3',
            Screen::Compare => '4',
            Screen::Lessons => '5',
        }
    }
}

/// The strip's entries as (screen, text) in order: the shown screen with its name, the others
/// by their digit (the help lists them all), e.g. " 1 dashboard ", " 2 ". Short, because the
/// status line's parts need the room.
fn entries(current: Screen) -> impl Iterator<Item = (Screen, String)> {
    Screen::ALL.into_iter().map(move |s| {
        let text = if s == current {
            format!(" {} {} ", s.key(), s.title())
        } else {
            format!(" {} ", s.key())
        };
        (s, text)
    })
}

/// Columns the strip takes while `current` is shown.
pub fn strip_width(current: Screen) -> u16 {
    entries(current)
        .map(|(_, t)| t.chars().count() as u16)
        .sum()
}

/// Where the strip goes: the right end of the status line.
pub fn strip_area(status: Rect, current: Screen) -> Rect {
    let w = strip_width(current).min(status.width);
    Rect::new(status.right() - w, status.y, w, status.height.min(1))
}

/// Draw the strip, the current screen marked.
pub fn render_strip(current: Screen, colors: ColorMode, area: Rect, buf: &mut Buffer) {
    let spans: Vec<Span> = entries(current)
        .map(|(screen, text)| {
            if screen == current {
                Span::styled(text, theme::KEY.marked(colors)).bold()
            } else {
                Span::styled(text, theme::QUIET.style(colors))
            }
        })
        .collect();
    Line::from(spans).render(area, buf);
}

/// The screen whose strip entry is at `column` of the strip drawn in `area` while `current`
/// is shown.
pub fn strip_hit(area: Rect, current: Screen, column: u16) -> Option<Screen> {
    let mut x = area.x;
    for (screen, text) in entries(current) {
        let w = text.chars().count() as u16;
        if (x..x + w).contains(&column) {
            return Some(screen);
        }
        x += w;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_screen_has_its_own_digit() {
        let keys: Vec<char> = Screen::ALL.iter().map(|s| s.key()).collect();
        assert_eq!(keys, vec!['1', '2', '3', '4', '5']);
    }

    #[test]
    fn a_click_on_an_entry_chooses_its_screen() {
        let status = Rect::new(0, 0, 160, 1);
        let strip = strip_area(status, Screen::Dashboard);
        assert_eq!(strip.right(), 160);
        assert_eq!(
            strip.width,
            (" 1 dashboard ".len() + 4 * " 2 ".len()) as u16
        );
        let hit = |x| strip_hit(strip, Screen::Dashboard, x);
        assert_eq!(hit(strip.x), Some(Screen::Dashboard));
        assert_eq!(hit(strip.x + 13), Some(Screen::Inspect));
        assert_eq!(hit(strip.x + 16), Some(Screen::Labs));
        assert_eq!(hit(strip.right() - 1), Some(Screen::Lessons));
        assert_eq!(hit(strip.x.saturating_sub(1)), None);
        // On the inspect screen the names swap.
        let other = strip_area(status, Screen::Inspect);
        assert_eq!(
            other.width,
            (" 1 ".len() + " 2 inspect ".len() + 3 * " 4 ".len()) as u16
        );
        assert_eq!(
            strip_hit(other, Screen::Inspect, other.x + 3),
            Some(Screen::Inspect)
        );
    }
}
