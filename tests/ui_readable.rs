//! Text that can be read: the banner and the status line set both colours with enough
//! contrast (WCAG, as drawn in truecolour), and nothing is cut — the status line drops whole
//! parts, the first banner and the filters caption fit.

use cnn_tui::config::{Arch, Hyper};
use cnn_tui::train::messages::{EvalMetrics, EvalSet, Update};
use cnn_tui::ui::App;
use cnn_tui::ui::app::{BannerKind, Panel};
use cnn_tui::ui::bars::{self, status_parts};
use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::layout::banner_rows;
use cnn_tui::ui::panels::filters;
use cnn_tui::ui::widgets::colormap::ColorMode;
use cnn_tui::ui::widgets::palette::contrast;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;

fn row(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

fn draw(w: u16, h: u16, render: impl Fn(&mut Buffer)) -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    render(&mut buf);
    buf
}

/// The WCAG contrast of every non-blank cell's foreground on its background.
fn worst_contrast(buf: &Buffer) -> f32 {
    let rgb = |c: Color| match c {
        Color::Rgb(r, g, b) => (r, g, b),
        other => panic!("{other:?} depends on the terminal's theme"),
    };
    let mut worst = f32::INFINITY;
    for cell in buf.content() {
        if cell.symbol().trim().is_empty() {
            // A blank still needs its background set: it is part of the band.
            assert!(
                matches!(cell.bg, Color::Rgb(..)),
                "a blank without a background"
            );
            continue;
        }
        worst = worst.min(contrast(rgb(cell.fg), rgb(cell.bg)));
    }
    worst
}

#[test]
fn banners_and_the_status_line_read_on_any_theme() {
    let mut app = demo_app();
    app.last_test = Some(EvalMetrics {
        step: 1200,
        epoch: 0,
        set: EvalSet::Test,
        loss: 0.1,
        accuracy: 0.981,
        samples: 10_000,
    });
    let kinds = [BannerKind::Info, BannerKind::Warning, BannerKind::Error];
    for kind in kinds {
        app.set_banner(kind, "conv1 stride 1→2: rebuilt, kept conv1".into());
        let buf = draw(100, 1, |b| bars::render_banner(&app, b.area, b));
        let ratio = worst_contrast(&buf);
        assert!(ratio >= 4.5, "{kind:?} banner: contrast {ratio:.2}");
    }
    app.banner = None;
    let idle = draw(100, 1, |b| bars::render_banner(&app, b.area, b));
    assert!(worst_contrast(&idle) >= 4.5);
    app.apply(Update::Failed("out of memory".into()));
    let status = draw(160, 1, |b| bars::render_status(&app, b.area, b));
    let ratio = worst_contrast(&status);
    assert!(ratio >= 4.5, "status line: contrast {ratio:.2}");
}

/// At 160, 120 and 80 columns the status line shows whole parts only, the most useful ones:
/// the state, epoch and step stay; the hyperparameters, test accuracy and speed go first.
#[test]
fn the_status_line_drops_whole_parts_when_narrow() {
    let mut app = demo_app();
    app.last_test = Some(EvalMetrics {
        step: 1200,
        epoch: 0,
        set: EvalSet::Test,
        loss: 0.1,
        accuracy: 0.981,
        samples: 10_000,
    });
    let parts: Vec<String> = status_parts(&app, 160)
        .iter()
        .map(|p| p.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    let mut shown_at = Vec::new();
    for w in [160u16, 120, 80] {
        let buf = draw(w, 1, |b| bars::render_status(&app, b.area, b));
        // The screens' strip at the right end is not one of the parts.
        let strip = cnn_tui::ui::screen::strip_width(app.screen) as usize;
        let line: String = row(&buf, 0).chars().take(w as usize - strip).collect();
        let shown: Vec<&String> = parts.iter().filter(|p| line.contains(p.as_str())).collect();
        // Every part is there whole or not at all: what is shown adds up to the line.
        let len: usize = shown.iter().map(|p| p.chars().count() + 3).sum::<usize>() - 3;
        assert_eq!(line.trim_end().chars().count(), len, "{w}: {line:?}");
        for must in ["running", "epoch 1", "step 1200"] {
            assert!(line.contains(must), "{w}: {must} missing from {line:?}");
        }
        shown_at.push(shown.len());
    }
    // Beside the screens' strip, all but the least useful part fit in 160 columns.
    assert!(
        shown_at[0] + 1 >= parts.len(),
        "{shown_at:?} of {}",
        parts.len()
    );
    assert!(
        shown_at[1] < shown_at[0] && shown_at[2] < shown_at[1],
        "{shown_at:?}"
    );
}

/// A new user's first screen at 80×24: the line under the status line fits, uncut, and
/// names the help and the lessons.
#[test]
fn the_first_banner_fits_at_80_columns() {
    let app = App::new(
        "MNIST (built in)".into(),
        10_000,
        Arch::default(),
        Hyper::default(),
        0,
        ColorMode::TrueColor,
    );
    assert_eq!(banner_rows(&app, 80), 1);
    let buf = draw(80, 1, |b| bars::render_banner(&app, b.area, b));
    let line = row(&buf, 0);
    assert!(line.trim_end().ends_with("? help · 5 lessons"), "{line:?}");
    assert!(line.contains("block 1 of 2"), "{line:?}");
}

/// The filters caption is never cut: on one row when it fits, else wrapped at a space.
#[test]
fn the_filters_caption_is_whole_at_every_size() {
    for (w, h) in [(80, 24), (160, 48), (200, 60)] {
        let mut app = demo_app();
        app.size = (w, h);
        app.focus = Panel::Filters;
        let areas = cnn_tui::ui::layout::app_areas(&app, Rect::new(0, 0, w, h)).unwrap();
        let (_, rect) = areas
            .panels
            .into_iter()
            .find(|(p, _)| *p == Panel::Filters)
            .unwrap();
        let inner = cnn_tui::ui::panels::panel_block(&app, Panel::Filters, "").inner(rect);
        let layout = filters::filter_layout(&app, inner).unwrap();
        let text: Vec<&str> = layout.caption.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            text.join(" "),
            "row = output filter · tile = input channel: a filter is as deep as its input",
            "{w}×{h}"
        );
        for (t, r) in &layout.caption {
            assert!(
                t.chars().count() <= r.width as usize,
                "{w}×{h}: {t:?} in {r:?}"
            );
        }
        let below = layout.tiles.iter().map(|t| t.rect.bottom()).max().unwrap();
        assert!(
            below <= layout.caption[0].1.y,
            "{w}×{h}: tiles over the caption"
        );
    }
}
