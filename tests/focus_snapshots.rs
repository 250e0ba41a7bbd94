//! Snapshots of the focus view at 80×24 and 160×48, in ASCII so that the pixels are in the
//! text: a conv1 map, the microscope at a corner pixel with padding 1, two frames of the slide
//! at stride 2, a pooling window. The colours of the half-block marks are checked cell by cell.

use cnn_tui::config::{Arch, PoolKind};
use cnn_tui::nn::plan::LayerId;
use cnn_tui::train::messages::Update;
use cnn_tui::ui::App;
use cnn_tui::ui::demo::{demo_app, demo_snapshot_biased};
use cnn_tui::ui::focus::Target;
use cnn_tui::ui::layout;
use cnn_tui::ui::panels::focus;
use cnn_tui::ui::panels::tables::{CURSOR, PAD};
use cnn_tui::ui::widgets::heatmap::Glyphs;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::Color;
use std::time::Duration;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

/// The demo dashboard on `arch`, with biases (so that the sum shows one), in ASCII.
fn demo_on(arch: Arch) -> App {
    let mut app = demo_app();
    app.glyphs = Glyphs::Ascii;
    app.apply(Update::Snapshot(Box::new(demo_snapshot_biased(
        &arch, 7, 1200, 0.2,
    ))));
    app.arch = arch;
    app
}

fn screen(app: &App, (w, h): (u16, u16)) -> Terminal<TestBackend> {
    let mut app = app.clone();
    app.size = (w, h);
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| f.render_widget(&app, f.area())).unwrap();
    t
}

fn text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let area = buf.area;
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

fn conv1(channel: usize) -> Target {
    Target::Map {
        layer: LayerId::conv(0),
        channel,
    }
}

#[test]
fn a_conv1_map() {
    let mut app = demo_app();
    app.glyphs = Glyphs::Ascii;
    app.open_focus(conv1(2));
    for size in SIZES {
        let name = format!("focus_conv1_{}x{}", size.0, size.1);
        insta::assert_snapshot!(name, screen(&app, size).backend());
    }
}

#[test]
fn the_microscope_at_a_corner_with_padding_1() {
    let mut app = demo_on(Arch::default());
    app.open_focus(conv1(2));
    app.set_cursor((0, 0));
    for size in SIZES {
        let t = screen(&app, size);
        let shown = text(&t);
        assert!(shown.contains("padding 1"), "{shown}");
        assert!(shown.contains("network") && shown.contains('✓'), "{shown}");
        let name = format!("microscope_corner_{}x{}", size.0, size.1);
        insta::assert_snapshot!(name, t.backend());
    }
}

#[test]
fn two_frames_of_the_slide_at_stride_2() {
    let mut arch = Arch::default();
    arch.blocks[0].stride = 2;
    let mut app = demo_on(arch);
    app.open_focus(conv1(2));
    app.focus_act(cnn_tui::ui::focus_keys::FocusKey::Slide);
    let step = Duration::from_secs_f32(1.0 / app.focus_view.as_ref().unwrap().speed());
    for _ in 0..17 {
        app.tick(step);
    }
    let first = app.clone();
    app.tick(step);
    assert_eq!(
        (
            first.focus_view.as_ref().unwrap().cursor,
            app.focus_view.as_ref().unwrap().cursor
        ),
        ((1, 3), (1, 4)),
        "one position further"
    );
    for size in SIZES {
        let (a, b) = (screen(&first, size), screen(&app, size));
        assert!(text(&a).contains("slide 18/196"), "{}", text(&a));
        let name = format!("slide_stride2_{}x{}", size.0, size.1);
        insta::assert_snapshot!(format!("{name}_a"), a.backend());
        insta::assert_snapshot!(format!("{name}_b"), b.backend());
    }
}

#[test]
fn a_pooling_window_max_and_average() {
    let mut app = demo_on(Arch::default());
    let pool1 = Target::Map {
        layer: LayerId::pool(0),
        channel: 2,
    };
    app.open_focus(pool1);
    for size in SIZES {
        let t = screen(&app, size);
        let shown = text(&t);
        assert!(shown.contains("max pooling 2×2"), "{shown}");
        assert!(
            shown.contains("max keeps") && shown.contains("mean gives"),
            "{shown}"
        );
        let name = format!("pool_window_{}x{}", size.0, size.1);
        insta::assert_snapshot!(name, t.backend());
    }
    // Average pooling: the same window, the other value marked as the layer's.
    let mut arch = Arch::default();
    arch.blocks[0].pool = PoolKind::Avg;
    let mut app = demo_on(arch);
    app.open_focus(pool1);
    let shown = text(&screen(&app, (160, 48)));
    assert!(shown.contains("average pooling 2×2"), "{shown}");
    let mean_line = shown.lines().find(|l| l.contains("mean gives")).unwrap();
    assert!(mean_line.contains("◀ this layer"), "{mean_line}");
}

/// Half-blocks: the padding has its own colour, the cursor's pixel its colour, and the
/// window is tinted while the rest of the input is dimmed.
#[test]
fn half_block_marks_have_their_colours() {
    let mut app = demo_on(Arch::default());
    app.glyphs = Glyphs::HalfBlock;
    app.open_focus(conv1(2));
    app.set_cursor((10, 10));
    app.size = (160, 48);
    let t = screen(&app, app.size);
    let buf = t.backend().buffer();
    let body = layout::focus_areas(&app, Rect::new(0, 0, 160, 48))
        .unwrap()
        .body;
    let l = focus::focus_view_layout(&app, body).unwrap();
    let (input, _) = l.input.unwrap();
    let rgb = |(r, g, b): (u8, u8, u8)| Color::Rgb(r, g, b);
    let corner = input.cell_of((0, 0)).unwrap();
    assert_eq!(buf[corner].fg, rgb(PAD), "padding: the top-left pixel");
    let at = l.output.cell_of((10, 10)).unwrap();
    assert_eq!(
        buf[at].fg,
        rgb(CURSOR),
        "the cursor's pixel (a top half at scale 2)"
    );
    // Padded pixel (11, 11) is input (10, 10), inside the window; (20, 20) is outside.
    let brightness = |c: Color| match c {
        Color::Rgb(r, g, b) => r as u32 + g as u32 + b as u32,
        other => panic!("{other:?}"),
    };
    let inside = buf[input.cell_of((11, 11)).unwrap()].fg;
    let outside = buf[input.cell_of((20, 20)).unwrap()].fg;
    assert!(brightness(inside) > 60, "the window is tinted: {inside:?}");
    assert!(brightness(outside) < 40, "the rest is dimmed: {outside:?}");
}
