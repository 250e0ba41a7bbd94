//! The focus view with the mouse, and under a changing snapshot: no terminal.

use cnn_tui::config::Arch;
use cnn_tui::nn::plan::LayerId;
use cnn_tui::train::messages::Update;
use cnn_tui::ui::app::Panel;
use cnn_tui::ui::demo::{demo_app, demo_snapshot};
use cnn_tui::ui::focus::Target;
use cnn_tui::ui::layout;
use cnn_tui::ui::panels::{focus, maps, panel_block};
use cnn_tui::ui::scene::resolve;
use cnn_tui::ui::{App, Event};
use crossterm::event::{
    Event as Input, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    app.handle(Event::Input(Input::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })));
}

fn target(app: &App) -> Target {
    app.focus_view
        .as_ref()
        .expect("the focus view is open")
        .target
}

fn cursor(app: &App) -> (usize, usize) {
    app.focus_view
        .as_ref()
        .expect("the focus view is open")
        .cursor
}

fn ch(app: &mut App, c: char) {
    app.handle(Event::Input(Input::Key(KeyEvent::from(KeyCode::Char(c)))));
}

fn conv1(channel: usize) -> Target {
    Target::Map {
        layer: LayerId::conv(0),
        channel,
    }
}

#[test]
fn clicks_open_a_map_and_put_the_cursor_on_a_pixel() {
    let mut a = demo_app();
    a.size = (160, 48);
    let screen = Rect::new(0, 0, 160, 48);
    let areas = layout::app_areas(&a, screen).unwrap();
    let (_, rect) = areas
        .panels
        .iter()
        .find(|(p, _)| *p == Panel::Maps)
        .unwrap();
    let inner = panel_block(&a, Panel::Maps, "").inner(*rect);
    let sections = maps::maps_layout(&a, inner).expect("the maps fit").sections;
    // Feature map 0 is conv1's output.
    let conv = sections
        .iter()
        .find(|s| s.source == Some(0))
        .expect("conv1 is shown");
    let (channel, tile) = *conv.tiles.last().expect("a conv1 map is shown");
    mouse(
        &mut a,
        MouseEventKind::Down(MouseButton::Left),
        tile.x,
        tile.y,
    );
    assert_eq!(target(&a), conv1(channel));
    let body = layout::focus_areas(&a, screen).unwrap().body;
    let l = focus::focus_view_layout(&a, body).unwrap();
    let cell = l.output.cell_of((5, 9)).unwrap();
    mouse(
        &mut a,
        MouseEventKind::Down(MouseButton::Left),
        cell.x,
        cell.y,
    );
    assert_eq!(cursor(&a), (5, 9));
    // On the input (padded by 1): the window centred on padded pixel (11, 4) is output (10, 3).
    let (input, _) = l.input.unwrap();
    let cell = input.cell_of((11, 4)).unwrap();
    mouse(
        &mut a,
        MouseEventKind::Down(MouseButton::Left),
        cell.x,
        cell.y,
    );
    assert_eq!(cursor(&a), (10, 3));
    mouse(&mut a, MouseEventKind::ScrollDown, 0, 0);
    assert_eq!(
        target(&a),
        conv1(channel + 1),
        "the wheel steps through the maps"
    );
}

/// The view reads the newest snapshot: a stride edit's 14×14 maps replace the 28×28 ones
/// under an open view, whose cursor stays on the map.
#[test]
fn the_view_follows_the_newest_snapshot() {
    let mut a = demo_app();
    a.open_focus(conv1(0));
    a.set_cursor((27, 27));
    let mut arch = Arch::default();
    arch.blocks[0].stride = 2;
    a.apply(Update::Snapshot(Box::new(demo_snapshot(&arch, 7, 1300))));
    let scene = resolve(&a, conv1(0)).unwrap();
    assert_eq!(scene.dim(), (14, 14));
    let body = layout::focus_areas(&a, Rect::new(0, 0, 160, 48))
        .unwrap()
        .body;
    let l = focus::focus_view_layout(&a, body).unwrap();
    assert!(l.output.whole((14, 14)));
    ch(&mut a, 'h');
    assert_eq!(cursor(&a), (13, 12), "clamped into the new map, then moved");
}
