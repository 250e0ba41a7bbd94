//! The kernels lab's microscope: `m` opens it on the output's strongest pixel, arrows and
//! clicks move its cursor, and the table's sum is the output pixel shown; drawn at 80×24 and
//! 160×48 (ASCII glyphs, so the snapshots show the pictures and the marks).

mod common;

use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::labs::LabPage;
use cnn_tui::ui::labs::kernels_scope::probe_conv;
use cnn_tui::ui::widgets::heatmap::Glyphs;
use cnn_tui::ui::{App, Event};
use common::render_text as render;
use crossterm::event::{
    Event as Input, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

fn key(app: &mut App, code: KeyCode) {
    app.handle(Event::Input(Input::Key(KeyEvent::new(
        code,
        KeyModifiers::NONE,
    ))));
}

fn click(app: &mut App, column: u16, row: u16) {
    app.handle(Event::Input(Input::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })));
}

/// The demo app on the kernels lab, ASCII, at `size`.
fn kernels_lab(size: (u16, u16)) -> App {
    let mut app = demo_app();
    app.glyphs = Glyphs::Ascii;
    app.size = size;
    key(&mut app, KeyCode::Char('3'));
    while app.labs.page != LabPage::Kernels {
        key(&mut app, KeyCode::Tab);
    }
    app
}

#[test]
fn m_opens_the_microscope_on_the_strongest_pixel_and_arrows_move_it() {
    let mut app = kernels_lab((80, 24));
    key(&mut app, KeyCode::Char('m'));
    let conv = probe_conv(&app).unwrap();
    let at = app.labs.scope.expect("open");
    let strongest = conv.output.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    assert_eq!(conv.output[at].abs(), strongest);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Down);
    let moved = app.labs.scope.unwrap();
    let (h, w) = conv.output.dim();
    assert_eq!(moved, ((at.0 + 1).min(h - 1), (at.1 + 1).min(w - 1)));
    // The arrows no longer move the kernel's cell while the microscope is open.
    assert_eq!(app.labs.cell, (1, 1));
    for _ in 0..40 {
        key(&mut app, KeyCode::Left);
        key(&mut app, KeyCode::Up);
    }
    assert_eq!(app.labs.scope, Some((0, 0)), "kept on the output");
    key(&mut app, KeyCode::Char('m'));
    assert_eq!(app.labs.scope, None);
    key(&mut app, KeyCode::Right);
    assert_eq!(app.labs.cell, (1, 2), "arrows edit the kernel again");
}

#[test]
fn the_microscope_shows_the_window_the_products_and_their_sum() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = kernels_lab((w, h));
        key(&mut app, KeyCode::Char('m'));
        // The strongest pixel: a sum far from zero.
        let at = app.labs.scope.unwrap();
        let value = probe_conv(&app).unwrap().output[at];
        assert!(value.abs() > 0.5, "{value}");
        let screen = render(&app, w, h);
        let head = format!("output 28×28, pixel ({}, {}) = {value:+.3}", at.0, at.1);
        assert!(screen.contains(&head), "{screen}");
        assert!(screen.contains("digit + padding 1"), "{screen}");
        assert!(screen.contains("padding 1: a border of zeros"), "{screen}");
        // The table's sum (its decimals depend on the room) is the output pixel.
        let sum: f32 = screen
            .lines()
            .find_map(|l| l.split("= sum").nth(1))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .expect("a sum in the table");
        assert!((sum - value).abs() < 0.01, "{sum} vs {value}\n{screen}");
        assert!(screen.contains('✓'), "{screen}");
        insta::assert_snapshot!(format!("labs_kernels_microscope_{w}x{h}"), screen);
    }
}

#[test]
fn a_click_on_the_output_opens_the_microscope_there_and_moves_it() {
    let mut app = kernels_lab((160, 48));
    let screen = render(&app, 160, 48);
    // The output picture's caption, then its first row.
    let (row, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("output 28×28 ") && !l.starts_with("output"))
        .expect("the output's caption");
    let col = line.find("output 28×28").unwrap();
    let col = line[..col].chars().count() as u16;
    click(&mut app, col, row as u16 + 1);
    assert_eq!(app.labs.scope, Some((0, 0)), "the output's top-left pixel");
    // In the microscope, a click on the output map moves the cursor.
    let before = render(&app, 160, 48);
    let (r, l) = before
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("kernel map 1 (output)"))
        .expect("the map's label");
    let c = l[..l.find("kernel map").unwrap()].chars().count() as u16;
    click(&mut app, c + 4, r as u16 + 3);
    let moved = app.labs.scope.unwrap();
    assert_ne!(moved, (0, 0), "{before}");
}
