//! Clicks on the inspect screen, where the screen draws things (found in the rendered text,
//! not recomputed): a matrix cell selects it, a wrong digit selects it and a second click
//! makes it the probe, a filter's chip selects it. And the dashboard's filters panel marks
//! the dead filters of the last scan and says how old it is.

mod common;

use common::render_text as render;

use cnn_tui::train::analysis::confusion::Confusion;
use cnn_tui::train::analysis::filters::{FilterFindings, FilterScan, LayerFindings};
use cnn_tui::train::analysis::{AnalysisUpdate, JobOutput};
use cnn_tui::train::messages::{Command, EvalSet, Update};
use cnn_tui::ui::app::Panel;
use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::inspect::Page;
use cnn_tui::ui::widgets::heatmap::Glyphs;
use cnn_tui::ui::{App, Event};
use crossterm::event::{
    Event as Input, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    let event = KeyEvent::new(code, KeyModifiers::NONE);
    app.handle(Event::Input(Input::Key(event)))
}

fn click(app: &mut App, (column, row): (usize, usize)) -> Vec<Command> {
    app.handle(Event::Input(Input::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: column as u16,
        row: row as u16,
        modifiers: KeyModifiers::NONE,
    })))
}

fn done(app: &mut App, output: JobOutput) {
    let update = AnalysisUpdate::Done {
        step: 1000,
        output: Box::new(output),
    };
    app.handle(Event::Worker(Update::Analysis(update)));
}

/// Where `text` is on the screen: (column, row) of its first character, searching the rows
/// from `from` down; columns in characters, as the terminal counts them.
fn find(screen: &str, text: &str, from: usize) -> Option<(usize, usize)> {
    screen.lines().enumerate().skip(from).find_map(|(y, line)| {
        let i = line.find(text)?;
        Some((line[..i].chars().count(), y))
    })
}

/// 4s called 9 three times (test digits 4, 14, 24), the rest right.
fn confusion() -> Confusion {
    let mut c = Confusion::new(EvalSet::Test, 1000);
    for (i, label) in (0..10u8).cycle().take(200).enumerate() {
        let mut p = [0.0; 10];
        let called = if label == 4 && i < 30 {
            9
        } else {
            label as usize
        };
        p[called] = 0.8;
        p[label as usize] += 0.2;
        c.add(i, label, p, &[0; 784]);
    }
    c
}

/// The default network's 8 + 16 filters, conv2 #7 never active.
fn scan() -> FilterScan {
    let lively = || FilterFindings {
        top: Vec::new(),
        active: 0.3,
    };
    let mut conv2 = vec![lively(); 16];
    conv2[6].active = 0.0;
    let layer = |name: &str, field, filters| LayerFindings {
        name: name.into(),
        field,
        filters,
    };
    FilterScan {
        step: 1000,
        active_set: EvalSet::Validation,
        active_samples: 1000,
        layers: vec![
            layer("conv1", 3, vec![lively(); 8]),
            layer("conv2", 8, conv2),
        ],
    }
}

#[test]
fn clicks_choose_a_cell_a_wrong_digit_and_a_filter() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = demo_app();
        app.size = (w, h);
        key(&mut app, KeyCode::Char('2'));
        done(&mut app, JobOutput::Confusion(confusion()));
        // The count of true 4 called 9: the column of "9" in the header, the row of "true 4".
        let screen = render(&app, w, h);
        let (_, header) = find(&screen, "predicted →", 0).unwrap();
        let line = screen.lines().nth(header).unwrap();
        let col = line
            .chars()
            .collect::<Vec<_>>()
            .iter()
            .rposition(|&c| c == '9')
            .unwrap();
        let (_, row) = find(&screen, "true 4", header).unwrap();
        click(&mut app, (col, row));
        assert_eq!(app.inspect.cell, (4, 9), "{w}×{h} ({col}, {row})\n{screen}");
        // The second wrong digit's caption ("9:80% 4:20%"), then a second click on it.
        let screen = render(&app, w, h);
        let (_, below) = find(&screen, "true 4 called 9: 3 digits", 0).unwrap();
        let first = find(&screen, "9:80% 4:20%", below).unwrap_or_else(|| panic!("{screen}"));
        let line = screen.lines().nth(first.1).unwrap();
        let second = line[line.find("9:80%").unwrap() + 1..]
            .find("9:80%")
            .unwrap();
        let x = line[..line.find("9:80%").unwrap() + 1 + second]
            .chars()
            .count();
        assert!(click(&mut app, (x, first.1)).is_empty());
        assert_eq!(app.inspect.mistake, 1, "{w}×{h}");
        let sent = click(&mut app, (x + 2, first.1 - 1));
        assert_eq!(sent.first(), Some(&Command::Probe(14)), "{w}×{h}");
        assert_eq!(app.inspect.page, Page::Saliency);
        // The filter page: a click on conv2's chip 7 selects it; it is marked dead.
        key(&mut app, KeyCode::Tab);
        done(&mut app, JobOutput::Filters(scan()));
        app.glyphs = Glyphs::Ascii;
        let screen = render(&app, w, h);
        let (_, row) = find(&screen, " conv2   1   2", 0).unwrap_or_else(|| panic!("{screen}"));
        let at = find(&screen, " 7x ", row).unwrap_or_else(|| panic!("{screen}"));
        assert_eq!(at.1, row, "{screen}");
        click(&mut app, (at.0 + 1, row));
        assert_eq!(app.inspect.filter, (1, 6), "{w}×{h}");
        let screen = render(&app, w, h);
        assert!(screen.contains("conv2 #7 of 16"), "{screen}");
        assert!(
            screen.contains("conv2 #7 dead: active on 0.0 % of positions"),
            "{screen}"
        );
        assert!(
            screen.contains("active on 0.0 % (1,000 validation digits)"),
            "{screen}"
        );
        insta::assert_snapshot!(format!("inspect_filter_chips_{w}x{h}"), screen);
        // Enter opens conv2 #7 in the focus view; → pages to #8.
        key(&mut app, KeyCode::Enter);
        let target = app.focus_view.as_ref().map(|v| v.target);
        let want = cnn_tui::ui::focus::Target::Filter {
            block: 1,
            filter: 6,
        };
        assert_eq!(target, Some(want));
        key(&mut app, KeyCode::Right);
        let screen = render(&app, w, h);
        assert!(screen.contains("conv2 filter 8 of 16"), "{screen}");
    }
}

#[test]
fn the_filters_panel_marks_the_dead_filters_of_the_last_scan() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = demo_app();
        app.glyphs = Glyphs::Ascii;
        app.focus = Panel::Filters;
        let before = render(&app, w, h);
        assert!(!before.contains("dead"), "{before}");
        done(&mut app, JobOutput::Filters(scan()));
        let screen = render(&app, w, h);
        // The scan was of step 1,000; the dashboard shows step 1,200.
        assert!(
            screen.contains("x dead: conv2 #7 · scan of step 1,000, now 1,200"),
            "{screen}"
        );
        // Row 7 of conv2's grid: its number, then the mark in the gap before its tiles.
        app.select(Some(1), Some(6));
        let screen = render(&app, w, h);
        // Selected, the mark goes under its ▶: "7▶" on the tile's first row, "x" on its last.
        let lead = |l: &str| l.trim_start_matches(['│', ' ']).to_string();
        let rows: Vec<String> = screen.lines().map(lead).collect();
        let seven = rows
            .iter()
            .position(|l| l.starts_with("7▶"))
            .expect("row 7");
        assert!(
            rows[seven + 1..seven + 4]
                .iter()
                .any(|l| l.starts_with('x')),
            "{screen}"
        );
        insta::assert_snapshot!(format!("dead_filters_panel_{w}x{h}"), screen);
    }
    // A scan of another network (an edit since) marks nothing.
    let mut app = demo_app();
    let mut other = scan();
    other.layers[1].filters.truncate(4);
    done(&mut app, JobOutput::Filters(other));
    assert!(!render(&app, 160, 48).contains("dead"));
}
