//! The labs screen drawn: the page strip (clickable), what the page shows in two or three
//! plain lines, then the page itself. Helpers the pages share: a captioned picture, a
//! prediction line, the rows text takes when wrapped.

use super::{LabPage, draw_view, kernels_view, pooling_view, translation_view};
use crate::ui::app::App;
use crate::ui::theme;
use crate::ui::widgets::colormap::{ColorMode, Scale};
use crate::ui::widgets::heatmap::Heatmap;
use ndarray::ArrayView2;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// What each lab shows, in plain words.
pub fn explanation(page: LabPage) -> &'static str {
    match page {
        LabPage::Translation => {
            "Arrows shift the digit (c centres it). conv1's maps move with it, pixel for pixel: \
             convolution is translation-equivariant. Pooling and the dense layer make the answer \
             only partly invariant: small shifts are forgiven, large ones are not."
        }
        LabPage::Draw => {
            "Draw a digit with the mouse (right button erases), or with the arrows and x for the \
             pen; c clears. It is scaled into 20×20 and centred by its centre of mass, as MNIST's \
             digits were, then read by the network as you draw."
        }
        LabPage::Kernels => {
            "A convolution is a small kernel slid over the image. k/K choose a hand-made one \
             (arrows and +/− edit it), applied at conv1's stride and padding; beside it, the \
             learned conv1 filter most like it and what that filter sees."
        }
        LabPage::Pooling => {
            "Pooling keeps each window's largest value (max) or its mean (average). Both from the \
             same trained filters (←/→ choose the map); below, the validation accuracy with \
             each, switched without retraining, then after a short fine-tune of each."
        }
    }
}

/// The page strip's entries and their text, in order.
fn strip_entries(current: LabPage) -> impl Iterator<Item = (LabPage, String)> {
    LabPage::ALL.into_iter().enumerate().map(move |(i, p)| {
        let text = if p == current {
            format!(" {} {} ", i + 1, p.title())
        } else {
            format!(" {} {} ", i + 1, short_title(p))
        };
        (p, text)
    })
}

fn short_title(page: LabPage) -> &'static str {
    match page {
        LabPage::Translation => "shift",
        LabPage::Draw => "draw",
        LabPage::Kernels => "kernels",
        LabPage::Pooling => "pooling",
    }
}

/// The page whose strip entry is at `column` of the strip in row `strip`.
pub fn strip_hit(strip: Rect, current: LabPage, column: u16) -> Option<LabPage> {
    let mut x = strip.x + " Labs:".len() as u16;
    for (page, text) in strip_entries(current) {
        x += 1; // the space before each entry
        let w = text.chars().count() as u16;
        if (x..x + w).contains(&column) {
            return Some(page);
        }
        x += w;
    }
    None
}

/// The parts of the body: the strip, the explanation and the page.
pub struct LabAreas {
    pub strip: Rect,
    pub text: Rect,
    pub page: Rect,
}

/// Where the parts go in `area` for `page`.
pub fn lab_areas(area: Rect, page: LabPage) -> LabAreas {
    let strip = Rect {
        height: area.height.min(1),
        ..area
    };
    let text_h = wrapped_rows(explanation(page), area.width).min(area.height.saturating_sub(1));
    let text = Rect::new(area.x, area.y + 1, area.width, text_h);
    let used = 1 + text_h;
    let page = Rect::new(
        area.x,
        area.y + used,
        area.width,
        area.height.saturating_sub(used),
    );
    LabAreas { strip, text, page }
}

/// Rows that `text` takes wrapped at word boundaries into `width` columns.
pub fn wrapped_rows(text: &str, width: u16) -> u16 {
    let width = width.max(1) as usize;
    let (mut rows, mut col) = (1u16, 0usize);
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if col > 0 && col + 1 + w > width {
            rows += 1;
            col = w;
        } else {
            col += w + usize::from(col > 0);
        }
    }
    rows
}

/// The labs screen's body.
pub fn render_labs(app: &App, area: Rect, buf: &mut Buffer) {
    let c = app.colors;
    let page = app.labs.page;
    let areas = lab_areas(area, page);
    let mut spans = vec![Span::styled(" Labs:", theme::TEXT.style(c)).bold()];
    for (p, text) in strip_entries(page) {
        spans.push(Span::raw(" "));
        spans.push(if p == page {
            Span::styled(text, theme::KEY.marked(c)).bold()
        } else {
            Span::styled(text, theme::QUIET.style(c))
        });
    }
    if let Some((kind, done, total)) = app.labs.progress {
        // The job's name only where it fits: at 80 columns the strip leaves room for the
        // percentage alone, and a cut name reads as a broken one.
        let pct = 100 * done / total.max(1);
        let used = Line::from(spans.clone()).width();
        let full = format!("  ⟳ {} {pct} %", kind.label());
        let room = (areas.strip.width as usize).saturating_sub(used);
        let text = if full.chars().count() <= room {
            full
        } else {
            format!("  ⟳ {pct} %")
        };
        spans.push(Span::styled(text, theme::PROGRESS.style(c)));
    }
    Line::from(spans).render(areas.strip, buf);
    Paragraph::new(explanation(page))
        .wrap(Wrap { trim: true })
        .style(theme::QUIET.style(c))
        .render(areas.text, buf);
    match page {
        LabPage::Translation => translation_view::render(app, areas.page, buf),
        LabPage::Draw => draw_view::render(app, areas.page, buf),
        LabPage::Kernels => kernels_view::render(app, areas.page, buf),
        LabPage::Pooling => pooling_view::render(app, areas.page, buf),
    }
}

/// The hint bar's own part for a page.
pub fn page_hints(page: LabPage) -> Vec<(String, &'static str)> {
    let mut hints = vec![("Esc".to_string(), "back"), ("Tab".to_string(), "lab")];
    let own: &[(&str, &'static str)] = match page {
        LabPage::Translation => &[("←↑↓→", "shift"), ("c", "centre"), ("n/N", "probe")],
        LabPage::Draw => &[
            ("mouse", "draw"),
            ("←↑↓→", "cursor"),
            ("x", "pen"),
            ("c", "clear"),
        ],
        LabPage::Kernels => &[
            ("k/K", "kernel"),
            ("←↑↓→", "cell"),
            ("+/-", "edit"),
            ("m", "microscope"),
        ],
        LabPage::Pooling => &[("←→", "map"), ("n/N", "probe")],
    };
    hints.extend(own.iter().map(|&(k, w)| (k.to_string(), w)));
    hints
}

/// A picture with its caption on the row above, drawn in `rect` (caption row + picture).
pub fn picture(
    app: &App,
    rect: Rect,
    caption: &str,
    data: ArrayView2<f32>,
    scale: Scale,
    buf: &mut Buffer,
) {
    if rect.height < 2 || rect.width < 2 {
        return;
    }
    let cap: String = caption.chars().take(rect.width as usize).collect();
    Line::styled(cap, theme::QUIET.style(app.colors)).render(Rect { height: 1, ..rect }, buf);
    let pic = Rect::new(rect.x, rect.y + 1, rect.width, rect.height - 1);
    Heatmap {
        data,
        scale,
        glyphs: app.glyphs,
        colors: app.colors,
    }
    .render(pic, buf);
}

/// The picture size (columns, rows) that keeps a square map square: two columns a row.
pub fn square(rows: u16) -> (u16, u16) {
    (2 * rows, rows)
}

/// "says 7 (98 %)": the class a softmax output names and its probability.
pub fn verdict(probabilities: &[f32; 10]) -> (usize, f32) {
    let best = crate::ui::panels::prediction::argmax(probabilities);
    (best, probabilities[best])
}

/// The ten classes as bars `width` columns wide, the chosen one bold.
pub fn bars(probabilities: &[f32; 10], width: usize, colors: ColorMode) -> Vec<Line<'static>> {
    let (best, _) = verdict(probabilities);
    probabilities
        .iter()
        .enumerate()
        .map(|(class, &p)| {
            let bar = crate::ui::panels::prediction::bar(p, width.saturating_sub(10));
            let line = Line::from(vec![
                Span::raw(format!("{class} ")),
                Span::styled(bar, theme::PROGRESS.style(colors)),
                Span::raw(format!(" {:>3.0} %", 100.0 * p)),
            ]);
            if class == best { line.bold() } else { line }
        })
        .collect()
}

/// One quiet line.
pub fn note(text: impl Into<String>, colors: ColorMode) -> Line<'static> {
    Line::styled(text.into(), theme::QUIET.style(colors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_counts_rows_at_word_boundaries() {
        assert_eq!(wrapped_rows("aaa bbb ccc", 7), 2);
        assert_eq!(wrapped_rows("aaa bbb ccc", 11), 1);
        assert_eq!(wrapped_rows("aaa bbb ccc", 3), 3);
    }

    #[test]
    fn a_click_on_the_strip_chooses_its_page() {
        let strip = Rect::new(0, 5, 160, 1);
        let start = " Labs: ".len() as u16;
        assert_eq!(
            strip_hit(strip, LabPage::Translation, start),
            Some(LabPage::Translation)
        );
        let second = start + " 1 Translation ".len() as u16 + 1;
        assert_eq!(
            strip_hit(strip, LabPage::Translation, second),
            Some(LabPage::Draw)
        );
        assert_eq!(strip_hit(strip, LabPage::Translation, 0), None);
    }
}
