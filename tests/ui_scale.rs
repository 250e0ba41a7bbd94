//! Maps and filters drawn to scale: one zoom a panel, a stride edit that makes the maps
//! smaller, windows that follow the selected filter. Snapshots in ASCII, so the pixels are in
//! the text.

use cnn_tui::config::Arch;
use cnn_tui::train::messages::{Command, Update, WorkerStatus};
use cnn_tui::train::rebuild::RebuildOutcome;
use cnn_tui::ui::App;
use cnn_tui::ui::app::Panel;
use cnn_tui::ui::demo::{demo_app, demo_snapshot};
use cnn_tui::ui::keys::{Action, Field};
use cnn_tui::ui::layout::app_areas;
use cnn_tui::ui::panels::{filters, maps, panel_block};
use cnn_tui::ui::widgets::heatmap::Glyphs;
use cnn_tui::ui::widgets::scale::Zoom;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

fn ascii_demo(w: u16, h: u16) -> App {
    let mut app = demo_app();
    app.glyphs = Glyphs::Ascii;
    app.size = (w, h);
    app.focus = Panel::Maps;
    app
}

fn screen(app: &App) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| f.render_widget(app, f.area())).unwrap();
    t
}

/// The inner area of `panel` on the app's screen.
fn inner(app: &App, panel: Panel) -> Rect {
    let areas = app_areas(app, Rect::new(0, 0, app.size.0, app.size.1)).unwrap();
    let (_, rect) = areas.panels.into_iter().find(|(p, _)| *p == panel).unwrap();
    panel_block(app, panel, "").inner(rect)
}

/// `S` on conv1, confirmed by the worker's rebuild and followed by its new snapshot.
fn stride_edit(app: &mut App) -> Arch {
    let cmds = app.act(Action::Adjust(Field::Stride, true));
    let [Command::SetArch(arch)] = &cmds[..] else {
        panic!("the stride edit sends the new architecture: {cmds:?}");
    };
    let outcome = RebuildOutcome {
        before: app.arch.clone(),
        after: arch.clone(),
        kept: vec!["conv1".into(), "conv2".into()],
        reinitialised: vec!["dense".into()],
    };
    app.apply(Update::Status(WorkerStatus::Rebuilt(outcome)));
    app.apply(Update::Snapshot(Box::new(demo_snapshot(arch, 7, 1300))));
    arch.clone()
}

/// (zoom, input tile, first conv1 tile) of the maps panel.
fn conv1_tiles(app: &App) -> (Zoom, Rect, Rect) {
    let layout = maps::maps_layout(app, inner(app, Panel::Maps)).unwrap();
    let input = layout.sections[0].tiles[0].1;
    let conv1 = layout
        .sections
        .iter()
        .find(|s| s.source == Some(0))
        .expect("conv1 is shown");
    (layout.zoom, input, conv1.tiles[0].1)
}

/// The maps panel before and after conv1's stride goes 1 → 2, at 80×24 and 160×48: one zoom
/// for the panel, so the 14×14 maps are drawn half as large as the 28×28 ones were, while
/// the input digit keeps its size.
#[test]
fn a_stride_edit_makes_the_maps_smaller() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = ascii_demo(w, h);
        let before = conv1_tiles(&app);
        insta::assert_snapshot!(format!("maps_{w}x{h}_stride_1"), screen(&app).backend());
        let arch = stride_edit(&mut app);
        assert_eq!(arch.blocks[0].stride, 2);
        let after = conv1_tiles(&app);
        insta::assert_snapshot!(format!("maps_{w}x{h}_stride_2"), screen(&app).backend());
        assert_eq!(after.0, before.0, "{w}×{h}: the same zoom");
        assert_eq!(after.1, before.1, "{w}×{h}: the input keeps its size");
        let (b, a) = (before.2, after.2);
        assert_eq!((a.width, a.height), (b.width / 2, b.height / 2), "{w}×{h}");
    }
}

/// Every map of the panel is drawn at the panel's zoom: cells = zoomed pixels / pixels a cell.
#[test]
fn every_map_of_a_panel_shares_its_zoom() {
    for glyphs in [Glyphs::HalfBlock, Glyphs::Braille, Glyphs::Ascii] {
        let mut app = ascii_demo(160, 48);
        app.glyphs = glyphs;
        let snap = app.snapshot.clone().unwrap();
        let layout = maps::maps_layout(&app, inner(&app, Panel::Maps)).unwrap();
        let ppc = glyphs.pixels_per_cell();
        for section in &layout.sections {
            let (h, w) = match section.source {
                Some(i) => {
                    let (_, h, w) = snap.feature_maps[i].maps.dim();
                    (h, w)
                }
                None => snap.probe_image.dim(),
            };
            for &(_, rect) in &section.tiles {
                assert_eq!(
                    (rect.width, rect.height),
                    layout.zoom.cells((h, w), ppc),
                    "{glyphs:?} {:?}",
                    section.source
                );
            }
        }
        // Never below half the pixels: 1:2 is the smallest zoom.
        assert!(layout.zoom >= Zoom::Half);
    }
}

/// ↓ moves the selected filter past the maps shown: the window follows it, and the label
/// says which maps are shown.
#[test]
fn the_window_of_maps_follows_the_selected_filter() {
    let mut app = ascii_demo(80, 24);
    let shown = |app: &App| {
        let layout = maps::maps_layout(app, inner(app, Panel::Maps)).unwrap();
        let conv1 = layout
            .sections
            .iter()
            .find(|s| s.source == Some(0))
            .unwrap();
        (
            conv1.window,
            conv1.tiles.iter().map(|t| t.0).collect::<Vec<_>>(),
        )
    };
    let ((first, n, total), channels) = shown(&app);
    assert!(n < total, "not all 8 conv1 maps fit at 80×24");
    assert_eq!(first, 0);
    assert_eq!(channels, (0..n).collect::<Vec<_>>());
    for _ in 0..7 {
        app.act(Action::FilterNext);
    }
    let ((first, _, _), channels) = shown(&app);
    assert!(channels.contains(&7) && first > 0, "{channels:?}");
    let text = screen(&app).backend().to_string();
    assert!(text.contains(&format!("{}–8 of 8 ↑↓", first + 1)), "{text}");
}

/// The filters panel: one zoom for conv1 and the grid; every input channel of a grid row.
#[test]
fn filters_share_one_zoom_and_keep_their_channels() {
    let app = ascii_demo(160, 48);
    let layout = filters::filter_layout(&app, inner(&app, Panel::Filters)).unwrap();
    let ppc = app.glyphs.pixels_per_cell();
    for tile in &layout.tiles {
        assert_eq!(
            (tile.rect.width, tile.rect.height),
            layout.zoom.cells((3, 3), ppc)
        );
    }
    assert_eq!(layout.channels, Some((8, 8)));
}

/// A map is drawn with every one of its pixels (1:1 or larger) wherever one layer fits: in
/// half-blocks at 160×48 and at 80×24 the maps panel leaves layers out (and names them)
/// rather than shrinking conv1's 28×28 maps; only ASCII, one pixel a cell, falls back to 1:2.
#[test]
fn maps_keep_every_pixel_where_a_layer_fits() {
    for (w, h) in [(160, 48), (80, 24)] {
        let mut app = ascii_demo(w, h);
        app.glyphs = Glyphs::HalfBlock;
        let layout = maps::maps_layout(&app, inner(&app, Panel::Maps)).unwrap();
        assert!(layout.zoom >= Zoom::Up(1), "{w}×{h}: {:?}", layout.zoom);
        assert!(
            layout.sections.iter().any(|s| s.source == Some(0)),
            "{w}×{h}: conv1 shown"
        );
        assert!(
            !layout.left_out.is_empty(),
            "{w}×{h}: some layer is left out"
        );
        assert!(layout.note.is_some(), "{w}×{h}: and the note says which");
    }
    let app = ascii_demo(80, 24);
    let layout = maps::maps_layout(&app, inner(&app, Panel::Maps)).unwrap();
    assert_eq!(
        layout.zoom,
        Zoom::Half,
        "ASCII at 80×24: not even one layer fits at 1:1"
    );
}
