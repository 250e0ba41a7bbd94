//! The translation lab's pictures to scale: every map it draws has at least as many drawn
//! pixels as the map has (1:1 or larger; 1:2 only in ASCII, one pixel a cell), at 80×24 one
//! chosen map (m/M) unshifted beside shifted, at 160×48 all five of each row.

mod common;

use common::render_text as render;

use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::labs::view::lab_areas;
use cnn_tui::ui::labs::{LabPage, translation_view};
use cnn_tui::ui::layout::focus_areas;
use cnn_tui::ui::widgets::heatmap::Glyphs;
use cnn_tui::ui::{App, Event};
use crossterm::event::{Event as Input, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

fn key(app: &mut App, code: KeyCode) {
    app.handle(Event::Input(Input::Key(KeyEvent::new(
        code,
        KeyModifiers::NONE,
    ))));
}

/// The demo app on the translation lab, at `w`×`h` in `glyphs`.
fn lab(w: u16, h: u16, glyphs: Glyphs) -> App {
    let mut app = demo_app();
    app.glyphs = glyphs;
    app.size = (w, h);
    key(&mut app, KeyCode::Char('3'));
    assert_eq!(app.labs.page, LabPage::Translation);
    app
}

/// The pictures the page draws: cells and map pixels `(h, w)`.
fn drawn(app: &App) -> Vec<(Rect, (usize, usize))> {
    let areas = focus_areas(app, Rect::new(0, 0, app.size.0, app.size.1)).unwrap();
    let page = lab_areas(areas.body, LabPage::Translation).page;
    translation_view::drawn_maps(app, page)
}

/// Drawn pixels (across, down) of a picture of `rect` cells in `glyphs`.
fn pixels(rect: Rect, glyphs: Glyphs) -> (usize, usize) {
    let (px, py) = glyphs.pixels_per_cell();
    (rect.width as usize * px, rect.height as usize * py)
}

#[test]
fn every_map_drawn_has_at_least_a_pixel_for_each_of_its_own() {
    for (w, h, pictures) in [(80, 24, 2), (100, 30, 2), (120, 40, 4), (160, 48, 10)] {
        for glyphs in [Glyphs::HalfBlock, Glyphs::Braille] {
            let app = lab(w, h, glyphs);
            let maps = drawn(&app);
            // Braille's 2×4 dots a cell fit all five a row from 100 columns.
            if glyphs == Glyphs::HalfBlock {
                assert_eq!(maps.len(), pictures, "{w}×{h}: {maps:?}");
            } else {
                assert!(!maps.is_empty(), "{w}×{h} {glyphs:?}");
            }
            for (rect, (mh, mw)) in maps {
                let (dw, dh) = pixels(rect, glyphs);
                assert!(
                    dw >= mw && dh >= mh,
                    "{w}×{h} {glyphs:?}: a {mh}×{mw} map in {rect:?} ({dw}×{dh} pixels)"
                );
            }
        }
    }
    // ASCII, one pixel a cell, has 1:2 as its floor (as the dashboard's maps panel).
    let app = lab(80, 24, Glyphs::Ascii);
    for (rect, (mh, mw)) in drawn(&app) {
        assert!(rect.width as usize * 2 >= mw && rect.height as usize * 2 >= mh);
    }
}

/// m / M choose the map where one is shown; the text beside it is whole (wrapped, not cut).
#[test]
fn m_chooses_the_map_at_80_columns() {
    let mut app = lab(80, 24, Glyphs::HalfBlock);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("relu1 #1 1:1"), "{screen}");
    assert!(screen.contains("m/M map 2 of 5"), "{screen}");
    assert!(screen.contains("shift: computing…"), "{screen}");
    key(&mut app, KeyCode::Char('m'));
    let screen = render(&app, 80, 24);
    // maxpool1's 14×14 maps are drawn twice as large: 2:1.
    assert!(screen.contains("maxpool1 #1 2:1"), "{screen}");
    assert!(screen.contains("m/M map 3 of 5"), "{screen}");
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('M'));
    }
    let screen = render(&app, 80, 24);
    assert!(screen.contains("m/M map 5 of 5"), "{screen}");
    assert!(screen.contains("maxpool2 #1 4:1"), "{screen}");
    key(&mut app, KeyCode::Char('m'));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("input 1:1"), "{screen}");
}

/// From about 40 rows the next map's pair is drawn under the chosen one: a ReLU map above its
/// pooled map, each checked as a moved copy.
#[test]
fn the_next_map_is_drawn_under_the_chosen_one_where_the_height_allows() {
    let app = lab(120, 40, Glyphs::HalfBlock);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("relu1 #1 1:1"), "{screen}");
    assert!(screen.contains("maxpool1 #1 2:1"), "{screen}");
    assert!(screen.contains("m/M maps 2 and 3 of 5"), "{screen}");
    let below = |name: &str| screen.lines().position(|l| l.contains(name));
    assert!(below("maxpool1 #1") > below("relu1 #1"), "{screen}");
    let app = lab(80, 24, Glyphs::HalfBlock);
    let screen = render(&app, 80, 24);
    assert!(
        !screen.contains("maxpool1"),
        "no room for a second pair:\n{screen}"
    );
}
