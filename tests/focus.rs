//! The focus view's keys, mouse and slide, driven with plain events: no terminal.

use cnn_tui::config::Arch;
use cnn_tui::nn::plan::LayerId;
use cnn_tui::train::messages::Command;
use cnn_tui::ui::app::Panel;
use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::focus::Target;
use cnn_tui::ui::focus_keys::FOCUS_KEYS;
use cnn_tui::ui::scene::resolve;
use cnn_tui::ui::slide::SPEEDS;
use cnn_tui::ui::{App, Event};
use crossterm::event::{Event as Input, KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;

fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Command> {
    app.handle(Event::Input(Input::Key(KeyEvent::new(code, modifiers))))
}

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    press(app, code, KeyModifiers::NONE)
}

fn ch(app: &mut App, c: char) -> Vec<Command> {
    key(app, KeyCode::Char(c))
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

fn conv1(channel: usize) -> Target {
    Target::Map {
        layer: LayerId::conv(0),
        channel,
    }
}

#[test]
fn enter_opens_what_the_focused_panel_shows() {
    let mut a = demo_app();
    a.select(Some(0), Some(3));
    key(&mut a, KeyCode::Enter);
    assert_eq!(
        target(&a),
        conv1(3),
        "from the chart: the selected conv map"
    );
    // The cursor starts on the map's strongest pixel.
    let scene = resolve(&a, conv1(3)).unwrap();
    let best = scene.picture.iter().copied().fold(f32::MIN, f32::max);
    assert_eq!(scene.picture[cursor(&a)], best);
    for (panel, want) in [
        (
            Panel::Filters,
            Target::Filter {
                block: 0,
                filter: 3,
            },
        ),
        (Panel::Prediction, Target::Input),
    ] {
        key(&mut a, KeyCode::Esc);
        a.focus = panel;
        key(&mut a, KeyCode::Enter);
        assert_eq!(target(&a), want, "from {panel:?}");
    }
}

#[test]
fn arrows_step_through_the_maps_of_a_layer_and_through_the_layers() {
    let mut a = demo_app();
    a.open_focus(conv1(0));
    key(&mut a, KeyCode::Left);
    assert_eq!(target(&a), conv1(7), "← wraps to the last map");
    ch(&mut a, '>');
    assert_eq!(target(&a), conv1(0));
    key(&mut a, KeyCode::Right);
    assert_eq!(
        (target(&a), a.selected_filter),
        (conv1(1), 1),
        "the selection follows"
    );
    a.focus_view.as_mut().unwrap().cursor = (27, 14);
    let layers: Vec<LayerId> = a
        .snapshot
        .as_ref()
        .unwrap()
        .feature_maps
        .iter()
        .map(|f| f.id)
        .collect();
    for id in &layers[1..] {
        key(&mut a, KeyCode::Down);
        assert_eq!(
            target(&a),
            Target::Map {
                layer: *id,
                channel: 1
            }
        );
    }
    key(&mut a, KeyCode::Down);
    assert_eq!(
        target(&a),
        Target::Map {
            layer: LayerId::pool(1),
            channel: 1
        },
        "stops at the end"
    );
    // maxpool2 is 7×7: the cursor went along, scaled.
    assert_eq!(cursor(&a), (6, 3));
    for _ in 0..layers.len() {
        key(&mut a, KeyCode::Up);
    }
    assert_eq!(
        target(&a),
        Target::Input,
        "the input digit is the first picture"
    );
    key(&mut a, KeyCode::Esc);
    a.open_focus(Target::Filter {
        block: 0,
        filter: 2,
    });
    key(&mut a, KeyCode::Down);
    assert_eq!(
        target(&a),
        Target::Filter {
            block: 1,
            filter: 2
        },
        "the next block's filter"
    );
}

#[test]
fn the_cursor_moves_with_hjkl_shift_arrows_and_stays_on_the_map() {
    let mut a = demo_app();
    a.open_focus(conv1(0));
    a.set_cursor((0, 0));
    ch(&mut a, 'h');
    ch(&mut a, 'k');
    assert_eq!(cursor(&a), (0, 0), "clamped at the corner");
    ch(&mut a, 'l');
    ch(&mut a, 'j');
    press(&mut a, KeyCode::Right, KeyModifiers::SHIFT);
    press(&mut a, KeyCode::Down, KeyModifiers::SHIFT);
    assert_eq!(cursor(&a), (2, 2));
    assert_eq!(
        target(&a),
        conv1(0),
        "Shift+→ moves the cursor, not the map"
    );
    a.set_cursor((100, 100));
    assert_eq!(cursor(&a), (27, 27));
}

#[test]
fn the_slide_steps_at_its_speed_and_the_cursor_goes_with_it() {
    let mut a = demo_app();
    a.open_focus(conv1(0));
    assert!(!a.animating());
    ch(&mut a, 'a');
    assert!(a.animating());
    assert_eq!(cursor(&a), (0, 0), "from the first position");
    let speed = a.focus_view.as_ref().unwrap().speed();
    // One second: `speed` positions, row by row over the 28 columns.
    a.handle(Event::Tick(Duration::from_secs(1)));
    assert_eq!(cursor(&a), (0, speed as usize));
    ch(&mut a, '+');
    assert_eq!(a.focus_view.as_ref().unwrap().speed(), speed * 2.0);
    ch(&mut a, '-');
    ch(&mut a, '-');
    assert_eq!(a.focus_view.as_ref().unwrap().speed(), speed / 2.0);
    ch(&mut a, 'a');
    assert!(!a.animating(), "a pauses");
    a.handle(Event::Tick(Duration::from_secs(5)));
    assert_eq!(cursor(&a), (0, speed as usize), "a paused slide stays");
    ch(&mut a, 'a');
    a.handle(Event::Tick(Duration::from_secs(3600)));
    assert_eq!(cursor(&a), (27, 27), "it stops at the last position");
    assert!(!a.animating());
    ch(&mut a, 'a');
    assert_eq!(cursor(&a), (0, 0), "and starts again");
    ch(&mut a, 'j');
    assert!(
        a.focus_view.as_ref().unwrap().slide.is_none(),
        "moving the cursor ends it"
    );
    for _ in 0..20 {
        ch(&mut a, '+');
    }
    assert_eq!(
        a.focus_view.as_ref().unwrap().speed(),
        SPEEDS[SPEEDS.len() - 1]
    );
    // A ReLU map has no kernel to slide.
    key(&mut a, KeyCode::Down);
    ch(&mut a, 'a');
    assert!(!a.animating());
    assert!(a.banner.as_ref().unwrap().text.contains("conv and pooling"));
}

#[test]
fn dashboard_keys_pass_through_only_where_they_make_sense() {
    let mut a = demo_app();
    a.open_focus(Target::Map {
        layer: LayerId::conv(1),
        channel: 0,
    });
    assert_eq!(
        a.selected_block, 1,
        "the block looked at is the block edited"
    );
    assert_eq!(ch(&mut a, ' '), vec![Command::Pause]);
    let cmds = ch(&mut a, 'S');
    let mut want = Arch::default();
    want.blocks[1].stride = 2;
    assert_eq!(cmds, vec![Command::SetArch(want)]);
    for k in ['k', 'K', 'f', 'l', 'L', '+', '-', '['] {
        assert!(
            ch(&mut a, k).is_empty(),
            "{k} does nothing to the network here"
        );
    }
    key(&mut a, KeyCode::Tab);
    assert_eq!(
        a.focus,
        Panel::Chart,
        "Tab does not move the dashboard's focus"
    );
    assert_eq!(ch(&mut a, 'q'), vec![Command::Quit]);
}

#[test]
fn deeper_convs_choose_an_input_channel_and_show_its_details() {
    let mut a = demo_app();
    a.open_focus(Target::Map {
        layer: LayerId::conv(1),
        channel: 0,
    });
    let view = |a: &App| a.focus_view.clone().unwrap();
    assert!(!view(&a).details);
    key(&mut a, KeyCode::Enter);
    assert!(view(&a).details);
    ch(&mut a, 'C');
    assert_eq!(
        view(&a).channel,
        7,
        "conv2 reads conv1's 8 channels; C wraps back"
    );
    ch(&mut a, 'c');
    ch(&mut a, 'c');
    assert_eq!(view(&a).channel, 1);
    // conv1 has one input channel: nothing to choose.
    key(&mut a, KeyCode::Esc);
    a.open_focus(conv1(0));
    ch(&mut a, 'c');
    assert_eq!(view(&a).channel, 0);
}

#[test]
fn the_focus_key_table_has_no_duplicate_keys() {
    let mut seen = Vec::new();
    for row in FOCUS_KEYS {
        for k in row.keys {
            assert!(!seen.contains(k), "{k:?} bound twice");
            seen.push(*k);
        }
    }
    assert!(seen.len() > 15);
}
