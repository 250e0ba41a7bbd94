//! Thousands of random key, mouse, resize and worker events into the `App`, rendered into a
//! `TestBackend` at random sizes (tiny ones too): nothing panics and the invariants hold.

use cnn_tui::config::Arch;
use cnn_tui::nn::plan::LayerId;
use cnn_tui::train::analysis::confusion::Confusion;
use cnn_tui::train::analysis::pooling::PoolingAccuracy;
use cnn_tui::train::analysis::shift::{ShiftCurve, ShiftCurves};
use cnn_tui::train::analysis::{AnalysisUpdate, JobKind, JobOutput};
use cnn_tui::train::baseline::{BaselineEval, BaselineStep, BaselineUpdate, BaselineWeights};
use cnn_tui::train::messages::{
    Command, Divergence, DivergenceCause, EvalMetrics, EvalSet, Rewind, StepMetrics, Update,
    WorkerStatus,
};
use cnn_tui::train::pace::PACES;
use cnn_tui::train::rebuild::RebuildOutcome;
use cnn_tui::ui::compare::COMPARE_KEYS;
use cnn_tui::ui::demo::{demo_app, demo_snapshot};
use cnn_tui::ui::focus::Target;
use cnn_tui::ui::focus_keys::FOCUS_KEYS;
use cnn_tui::ui::inspect::INSPECT_KEYS;
use cnn_tui::ui::keys::{KEYS, Key};
use cnn_tui::ui::labs::LABS_KEYS;
use cnn_tui::ui::lessons::LESSON_KEYS;
use cnn_tui::ui::screen::Screen;
use cnn_tui::ui::widgets::colormap::ColorMode;
use cnn_tui::ui::{App, Event};
use crossterm::event::{
    Event as Input, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn random_key(rng: &mut ChaCha8Rng, screen: Screen) -> KeyEvent {
    // On a screen beside the dashboard, go back now and then, as a user does: the
    // dashboard's edit keys do nothing there.
    if screen != Screen::Dashboard && rng.random_bool(0.3) {
        return KeyEvent::from(KeyCode::Esc);
    }
    if rng.random_bool(0.8) {
        // The dashboard's keys and the focus view's (or the shown screen's), half and half.
        let table = match (rng.random_bool(0.5), screen) {
            (true, _) => KEYS,
            (false, Screen::Inspect) => INSPECT_KEYS,
            (false, Screen::Dashboard) => FOCUS_KEYS,
            (false, Screen::Labs) => LABS_KEYS,
            (false, Screen::Compare) => COMPARE_KEYS,
            (false, Screen::Lessons) => LESSON_KEYS,
        };
        let row = &table[rng.random_range(0..table.len())];
        return match row.keys[rng.random_range(0..row.keys.len())] {
            Key::Char(c) => KeyEvent::from(KeyCode::Char(c)),
            Key::Ctrl(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
            Key::Code(code) => KeyEvent::from(code),
            Key::Shift(code) => KeyEvent::new(code, KeyModifiers::SHIFT),
        };
    }
    let code = match rng.random_range(0..5) {
        0 => KeyCode::Char(char::from(b'0' + rng.random_range(0..10))),
        1 => KeyCode::Enter,
        2 => KeyCode::Backspace,
        3 => KeyCode::Char(char::from(rng.random_range(b'a'..=b'z'))),
        _ => KeyCode::F(rng.random_range(1..12)),
    };
    KeyEvent::from(code)
}

fn random_input(rng: &mut ChaCha8Rng, size: (u16, u16), screen: Screen) -> Input {
    match rng.random_range(0..10) {
        0..=6 => Input::Key(random_key(rng, screen)),
        7 | 8 => {
            let kind = match rng.random_range(0..6) {
                0 => MouseEventKind::ScrollDown,
                1 => MouseEventKind::ScrollUp,
                // Drags and the right button: the labs' drawing pad.
                2 => MouseEventKind::Drag(MouseButton::Left),
                3 => MouseEventKind::Down(MouseButton::Right),
                _ => MouseEventKind::Down(MouseButton::Left),
            };
            let column = rng.random_range(0..size.0.max(1) + 5);
            let row = rng.random_range(0..size.1.max(1) + 5);
            Input::Mouse(MouseEvent {
                kind,
                column,
                row,
                modifiers: KeyModifiers::NONE,
            })
        }
        _ => {
            let w = if rng.random_bool(0.3) {
                rng.random_range(0..70)
            } else {
                rng.random_range(60..220)
            };
            let h = if rng.random_bool(0.3) {
                rng.random_range(0..20)
            } else {
                rng.random_range(16..70)
            };
            Input::Resize(w, h)
        }
    }
}

/// What a worker might send, including answers to the app's last architecture edit.
fn random_update(rng: &mut ChaCha8Rng, app: &App, step: &mut usize) -> Update {
    match rng.random_range(0..8) {
        0 | 1 => {
            let n = rng.random_range(1..20);
            let steps = (0..n)
                .map(|_| {
                    *step = if rng.random_bool(0.01) { 0 } else { *step + 1 };
                    let loss = match rng.random_range(0..50) {
                        0 => f32::NAN,
                        1 => f32::INFINITY,
                        _ => rng.random_range(0.0..3.0),
                    };
                    StepMetrics {
                        step: *step,
                        epoch: *step / 100,
                        epoch_progress: rng.random_range(0.0..1.0),
                        loss,
                        batch_accuracy: rng.random_range(0.0..1.0),
                        lr: 0.05,
                        samples_per_sec: rng.random_range(0.0..5000.0),
                    }
                })
                .collect();
            Update::Steps(steps)
        }
        2 => Update::Eval(EvalMetrics {
            step: *step,
            epoch: 0,
            set: if rng.random_bool(0.8) {
                EvalSet::Validation
            } else {
                EvalSet::Test
            },
            loss: 0.3,
            accuracy: rng.random_range(0.0..1.0),
            samples: 5000,
        }),
        3 | 4 => Update::Snapshot(Box::new(demo_snapshot(&app.arch, app.probe, *step))),
        5 => Update::Status(WorkerStatus::Rebuilt(RebuildOutcome {
            before: app.arch.clone(),
            after: app.shown_arch().clone(),
            kept: Vec::new(),
            reinitialised: vec!["dense".into()],
        })),
        6 => Update::Status(if rng.random_bool(0.5) {
            WorkerStatus::Paused
        } else {
            WorkerStatus::Running
        }),
        _ => match rng.random_range(0..8) {
            5 => Update::Analysis(random_analysis(rng, *step)),
            6 => random_baseline(rng, *step),
            0 => Update::Failed("fuzzed failure".into()),
            1 => Update::Status(WorkerStatus::Refused("fuzzed refusal".into())),
            2 => Update::Status(WorkerStatus::Pace(PACES[rng.random_range(0..PACES.len())])),
            3 => Update::Status(WorkerStatus::Diverged(Divergence {
                step: *step,
                loss: [f32::NAN, f32::INFINITY, 1e13][rng.random_range(0..3)],
                lr: app.hyper.lr,
                momentum: app.hyper.momentum,
                cause: DivergenceCause::LossNotFinite,
                rewind_to: *step / 2,
            })),
            4 => Update::Status(WorkerStatus::Rewound(Rewind {
                from_step: *step,
                to_step: *step / 2,
                lr_before: app.hyper.lr,
                lr_after: app.hyper.lr / 2.0,
            })),
            _ => Update::Status(WorkerStatus::Hyper(app.hyper)),
        },
    }
}

/// What the analysis thread might send: progress, a confusion matrix, a failure.
fn random_analysis(rng: &mut ChaCha8Rng, step: usize) -> AnalysisUpdate {
    if rng.random_bool(0.2) {
        return random_lab_output(rng, step);
    }
    match rng.random_range(0..3) {
        0 => AnalysisUpdate::Progress {
            kind: JobKind::Confusion,
            step,
            done: rng.random_range(0..6000),
            total: rng.random_range(0..6000),
        },
        1 => {
            let set = if rng.random_bool(0.5) {
                EvalSet::Validation
            } else {
                EvalSet::Test
            };
            let mut c = Confusion::new(set, step);
            for i in 0..rng.random_range(0..300) {
                let mut p = [0.0f32; 10];
                p[rng.random_range(0..10)] = 1.0;
                // Every other digit without its picture: the thumbnails draw it blank.
                c.add(i, rng.random_range(0..10), p, &vec![i as u8; 784 * (i % 2)]);
            }
            AnalysisUpdate::Done {
                step,
                output: Box::new(JobOutput::Confusion(c)),
            }
        }
        _ => AnalysisUpdate::Failed {
            kind: JobKind::Confusion,
            message: "fuzzed analysis failure".into(),
        },
    }
}

/// The labs' figures: an accuracy-against-shift curve or the two poolings' accuracies.
fn random_lab_output(rng: &mut ChaCha8Rng, step: usize) -> AnalysisUpdate {
    let curve = rng.random_bool(0.5);
    let mut acc = || rng.random_range(0.0..=1.0f32);
    let output = if curve {
        let cnn = ShiftCurve {
            horizontal: std::array::from_fn(|_| acc()),
            vertical: std::array::from_fn(|_| acc()),
        };
        JobOutput::Shift(ShiftCurves {
            step,
            samples: 2000,
            mlp: None,
            cnn,
        })
    } else {
        JobOutput::Pooling(PoolingAccuracy {
            step,
            samples: 5000,
            trained: vec![],
            max: Some(acc()),
            avg: None,
            tuned: None,
        })
    };
    AnalysisUpdate::Done {
        step,
        output: Box::new(output),
    }
}

/// What the worker says of the fully connected baseline, including a reset (a step back) and
/// first layers of any size.
fn random_baseline(rng: &mut ChaCha8Rng, step: usize) -> Update {
    let update = match rng.random_range(0..5) {
        0 => BaselineUpdate::Steps(vec![BaselineStep {
            step: if rng.random_bool(0.1) { 0 } else { step },
            loss: rng.random_range(0.0..3.0),
            batch_accuracy: rng.random_range(0.0..1.0),
            cnn_secs: 0.002,
            mlp_secs: 0.0002,
        }]),
        1 => BaselineUpdate::Eval(BaselineEval {
            step,
            set: EvalSet::Validation,
            loss: 0.5,
            accuracy: rng.random_range(0.0..1.0),
        }),
        2 => BaselineUpdate::Weights(Box::new(BaselineWeights {
            step,
            params: 9550,
            first_layer: ndarray::Array2::from_shape_fn(
                (rng.random_range(1..20), 784),
                |(u, p)| (u + p) as f32 % 3.0 - 1.0,
            ),
        })),
        3 => {
            let curve = ShiftCurve {
                horizontal: [rng.random_range(0.0..1.0); 9],
                vertical: [0.5; 9],
            };
            let output = ShiftCurves {
                step,
                samples: 2000,
                cnn: curve.clone(),
                mlp: rng.random_bool(0.5).then_some(curve),
            };
            let output = Box::new(JobOutput::Shift(output));
            return Update::Analysis(AnalysisUpdate::Done { step, output });
        }
        _ => {
            return Update::Analysis(AnalysisUpdate::Progress {
                kind: JobKind::Shift,
                step,
                done: rng.random_range(0..40000),
                total: rng.random_range(0..40000),
            });
        }
    };
    Update::Baseline(update)
}

fn render(app: &App) {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
}

fn fuzz(seed: u64, events: usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut app = if seed.is_multiple_of(2) {
        demo_app()
    } else {
        App::new(
            "fuzz".into(),
            37,
            Arch::default(),
            Default::default(),
            3,
            ColorMode::Ansi256,
        )
    };
    let mut step = 0;
    let mut arch_edits = 0;
    let mut focused = 0;
    for i in 0..events {
        let commands = if rng.random_bool(0.6) {
            let input = random_input(&mut rng, app.size, app.screen);
            app.handle(Event::Input(input))
        } else if rng.random_bool(0.1) {
            let ms = rng.random_range(0..2000);
            app.handle(Event::Tick(std::time::Duration::from_millis(ms)))
        } else {
            let update = random_update(&mut rng, &app, &mut step);
            app.handle(Event::Worker(update))
        };
        for cmd in &commands {
            if let Command::Probe(p) = cmd {
                assert!(
                    *p < app.test_len,
                    "probe {p} sent for {} test images",
                    app.test_len
                );
            }
            if let Command::SetArch(arch) = cmd {
                arch_edits += 1;
                assert!(arch.plan().is_ok(), "an impossible arch was sent: {arch:?}");
            }
        }
        if app.quit {
            assert_eq!(commands, vec![Command::Quit]);
            app.quit = false;
        }
        if let Err(e) = app.check_invariants() {
            panic!("seed {seed}, event {i}: {e}");
        }
        if i % 3 == 0 {
            render(&app);
        }
        focused += usize::from(app.focus_view.is_some());
    }
    // A third screen (the labs) takes its share of the events: seed 4 tries exactly 20.
    assert!(
        arch_edits >= 20,
        "seed {seed}: only {arch_edits} architecture edits were tried"
    );
    assert!(
        focused > events / 10,
        "seed {seed}: the focus view was open for only {focused} of {events} events"
    );
}

#[test]
fn random_sessions_keep_invariants_and_never_panic() {
    for seed in 0..6 {
        fuzz(seed, 2500);
    }
}

#[test]
fn every_size_from_zero_renders() {
    let app = demo_app();
    for w in (0..=170).step_by(7) {
        for h in (0..=50).step_by(3) {
            let mut a = app.clone();
            a.size = (w, h);
            a.help = (w + h) % 2 == 0;
            render(&a);
            // The focus view of a conv, a pooling and a ReLU map, and of a filter.
            for target in [
                Target::Map {
                    layer: LayerId::conv(0),
                    channel: 1,
                },
                Target::Map {
                    layer: LayerId::pool(1),
                    channel: 3,
                },
                Target::Map {
                    layer: LayerId::relu(0),
                    channel: 0,
                },
                Target::Filter {
                    block: 1,
                    filter: 2,
                },
            ] {
                a.open_focus(target);
                render(&a);
            }
        }
    }
}
