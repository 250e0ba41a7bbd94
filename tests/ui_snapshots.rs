//! Snapshot tests of the dashboard rendered into a `TestBackend` from the fixed demo state,
//! and direct checks of a few cells' colours (colours are not in the text snapshots).

use cnn_tui::train::messages::Update;
use cnn_tui::ui::App;
use cnn_tui::ui::app::Panel;
use cnn_tui::ui::bars;
use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::keys::{Action, Field};
use cnn_tui::ui::panels::{chart, filters, ledger, maps, prediction};
use cnn_tui::ui::widgets::colormap::ColorMode;
use cnn_tui::ui::widgets::heatmap::Glyphs;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;

/// The demo with its heatmaps drawn as the ASCII ramp, so that the text snapshots show the
/// pictures: a half-block heatmap is a wall of `▀` whose picture is in the colours, which the
/// cell tests below check.
fn ascii_demo() -> App {
    let mut app = demo_app();
    app.glyphs = Glyphs::Ascii;
    app
}

fn screen(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut app = app.clone();
    app.size = (w, h);
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| f.render_widget(&app, f.area())).unwrap();
    t
}

/// One panel's render function into a `w`×`h` terminal.
fn panel(app: &App, w: u16, h: u16, render: fn(&App, Rect, &mut Buffer)) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        let area = f.area();
        render(app, area, f.buffer_mut())
    })
    .unwrap();
    t
}

#[test]
fn whole_screen_160x48() {
    insta::assert_snapshot!(screen(&ascii_demo(), 160, 48).backend());
}

#[test]
fn whole_screen_80x24_each_tab() {
    let mut app = ascii_demo();
    for p in Panel::ALL {
        app.focus = p;
        insta::assert_snapshot!(format!("tab_80x24_{p:?}"), screen(&app, 80, 24).backend());
    }
}

#[test]
fn too_small() {
    insta::assert_snapshot!(screen(&demo_app(), 50, 12).backend());
}

#[test]
fn help_overlay() {
    let mut app = ascii_demo();
    app.help = true;
    insta::assert_snapshot!("help_160x48", screen(&app, 160, 48).backend());
    insta::assert_snapshot!("help_80x24", screen(&app, 80, 24).backend());
}

#[test]
fn each_panel() {
    let app = ascii_demo();
    insta::assert_snapshot!(
        "panel_chart",
        panel(&app, 60, 16, chart::render_chart).backend()
    );
    insta::assert_snapshot!(
        "panel_ledger",
        panel(&app, 80, 16, ledger::render_ledger).backend()
    );
    insta::assert_snapshot!(
        "panel_prediction",
        panel(&app, 26, 30, prediction::render_prediction).backend()
    );
    insta::assert_snapshot!(
        "panel_filters",
        panel(&app, 58, 29, filters::render_filters).backend()
    );
    insta::assert_snapshot!(
        "panel_maps",
        panel(&app, 100, 29, maps::render_maps).backend()
    );
    insta::assert_snapshot!(
        "panel_status",
        panel(&app, 160, 1, bars::render_status).backend()
    );
    insta::assert_snapshot!(
        "panel_hints",
        panel(&app, 160, 1, bars::render_hints).backend()
    );
}

#[test]
fn glyph_modes_and_block_two() {
    let mut app = demo_app();
    app.act(Action::BlockNext);
    app.act(Action::FilterNext);
    app.act(Action::Glyphs);
    insta::assert_snapshot!(
        "filters_braille_block2",
        panel(&app, 58, 29, filters::render_filters).backend()
    );
    insta::assert_snapshot!(
        "maps_braille_block2",
        panel(&app, 100, 29, maps::render_maps).backend()
    );
    app.act(Action::Glyphs);
    insta::assert_snapshot!(
        "maps_ascii_block2",
        panel(&app, 100, 29, maps::render_maps).backend()
    );
}

#[test]
fn banners_and_typing() {
    let mut app = demo_app();
    app.act(Action::Adjust(Field::PoolSize, true));
    app.act(Action::Adjust(Field::PoolSize, true));
    app.act(Action::Adjust(Field::PoolSize, true));
    insta::assert_snapshot!(
        "banner_refused",
        panel(&app, 160, 1, bars::render_banner).backend()
    );
    app.apply(Update::Failed("the trainer crashed: out of memory".into()));
    insta::assert_snapshot!(
        "banner_failed",
        panel(&app, 160, 2, |a, r, b| {
            bars::render_status(a, Rect { height: 1, ..r }, b);
            bars::render_banner(
                a,
                Rect {
                    y: 1,
                    height: 1,
                    ..r
                },
                b,
            );
        })
        .backend()
    );
    app.act(Action::ProbeType);
    for c in "123".chars() {
        app.on_key(&crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Char(c),
        ));
    }
    insta::assert_snapshot!(
        "hints_typing",
        panel(&app, 100, 1, bars::render_hints).backend()
    );
}

/// The top-left input pixels are 0: a half-block cell with both halves at the bottom of the
/// sequential map; in 256 colours its nearest palette index.
#[test]
fn half_block_cell_colours() {
    let mut app = demo_app();
    let area = Rect::new(0, 0, 100, 29);
    let inner = Rect::new(1, 1, 98, 27);
    let input_tile = maps::maps_layout(&app, inner).unwrap().sections[0].tiles[0].1;
    let t = panel(&app, area.width, area.height, maps::render_maps);
    let cell = &t.backend().buffer()[(input_tile.x, input_tile.y)];
    assert_eq!(cell.symbol(), "▀");
    assert_eq!(
        (cell.fg, cell.bg),
        (Color::Rgb(0, 0, 4), Color::Rgb(0, 0, 4))
    );
    app.colors = ColorMode::Ansi256;
    let t = panel(&app, area.width, area.height, maps::render_maps);
    let cell = &t.backend().buffer()[(input_tile.x, input_tile.y)];
    assert_eq!((cell.fg, cell.bg), (Color::Indexed(16), Color::Indexed(16)));
}

/// Row 7 of the demo "7" is its bar at full ink: at a native-size tile the cell for rows 6–7
/// has the top of the bar (0.6) as foreground and full ink (1.0) as background.
#[test]
fn half_block_cell_has_bar_colours() {
    let app = demo_app();
    let t = panel(&app, 30, 30, prediction::render_prediction);
    let buf = t.backend().buffer();
    // The digit is drawn centred below the 12 text lines: x = 1 + (28 − 28)/2, y = 1 + 12 + 1.
    let cell = &buf[(1 + 10, 14 + 3)];
    assert_eq!(cell.symbol(), "▀");
    let top = cnn_tui::ui::widgets::colormap::colour(0.6, false);
    assert_eq!(cell.fg, Color::Rgb(top.0, top.1, top.2));
    assert_eq!(cell.bg, Color::Rgb(252, 253, 191));
}

#[test]
fn selected_block_rows_are_highlighted_in_the_ledger() {
    let app = demo_app();
    let t = panel(&app, 80, 16, ledger::render_ledger);
    let buf = t.backend().buffer();
    // Row 3 (border, header, input) is conv1, the selected block's first layer.
    assert_eq!(buf[(2, 3)].symbol(), "c");
    assert_eq!(buf[(2, 3)].fg, Color::Cyan);
    assert_ne!(buf[(2, 6)].fg, Color::Cyan, "conv2 is not selected");
}
