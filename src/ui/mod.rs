//! The dashboard. This file is the only impure UI code: the terminal, the input thread, the
//! worker and the event loop. Everything else (`app`, `view`, `panels`, `widgets`) is plain
//! data and pure rendering, tested without a terminal.

pub mod app;
pub mod bars;
pub mod compare;
#[doc(hidden)]
pub mod demo;
pub mod edit;
pub mod focus;
pub mod focus_keys;
mod focus_nav;
pub mod help;
pub mod history;
mod inbox;
mod input;
pub mod inspect;
pub mod keep;
pub mod keys;
pub mod labs;
pub mod layout;
pub mod lessons;
pub mod panels;
pub mod picture;
pub mod readout;
pub mod scene;
pub mod screen;
pub mod slide;
pub mod tempo;
pub mod terminal;
pub mod theme;
pub mod timelapse;
mod updates;
pub mod view;
pub mod widgets;

pub use app::{App, Event};

use crate::checkpoint::Checkpoint;
use crate::metrics::MetricsSink;
use crate::train::messages::Command;
use crate::train::trainer::COMPUTE_THREAD_PREFIX;
use crate::train::worker::{self, WORKER_THREAD_NAME, Worker, WorkerConfig};
use anyhow::Context;
use crossterm::event as term;
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use crossterm::{execute, queue};
use inbox::Inbox;
use ratatui::DefaultTerminal;
use std::io::{IsTerminal, stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use terminal::TerminalEvent;
use widgets::colormap::ColorMode;

/// At most about 30 frames a second.
const FRAME: Duration = Duration::from_millis(33);
/// How long the loop sleeps when nothing is waiting to be drawn.
const IDLE: Duration = Duration::from_millis(100);
/// How often the input thread looks at its stop flag.
const INPUT_POLL: Duration = Duration::from_millis(40);
/// How long quitting waits for the input thread.
const INPUT_JOIN: Duration = Duration::from_secs(1);
/// Events applied before the next frame at the latest.
const BURST: usize = 512;

/// What a dashboard run starts from besides its `WorkerConfig`: a checkpoint to go on from
/// (`--load`; `options.arch` must be its architecture) and a metrics file (`--metrics`).
#[derive(Default)]
pub struct Extras {
    pub resume: Option<Checkpoint>,
    pub metrics: Option<MetricsSink>,
}

/// Run the dashboard, training from `options`, until the user quits. Refuses to draw when
/// stdout is not a terminal.
pub fn run(options: WorkerConfig, extras: Extras) -> anyhow::Result<()> {
    if !stdout().is_terminal() {
        anyhow::bail!("cnn-tui's dashboard needs a terminal; for scripts use `cnn-tui train`");
    }
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let colors = ColorMode::detect(std::env::var("COLORTERM").ok().as_deref(), no_color);
    let test_len = options.data.test.len();
    let mut app = App::new(
        options.data.name.clone(),
        test_len,
        options.arch.clone(),
        options.hyper,
        options.probe,
        colors,
    );
    app.keep.saved_at = extras.resume.as_ref().map(resumed_at);
    let mut terminal = terminal::enter().context("could not set up the terminal")?;
    install_panic_hook();
    let (tx, rx) = mpsc::channel();
    let signals = match terminal::spawn_signals(tx.clone()) {
        Ok(handle) => handle,
        Err(e) => {
            terminal::leave();
            return Err(e).context("could not watch for signals");
        }
    };
    let stop = Arc::new(AtomicBool::new(false));
    let input = spawn_input(tx.clone(), Arc::clone(&stop));
    let first = worker::spawn_from(
        WorkerConfig {
            probe: app.probe,
            ..options.clone()
        },
        extras.resume,
        tx.clone(),
    );
    let mut worker = Some(first);
    let ended = event_loop(
        &mut terminal,
        &mut app,
        &options,
        &mut worker,
        &input,
        tx,
        Inbox::new(rx, extras.metrics),
    );
    stop.store(true, Ordering::Relaxed);
    terminal::leave();
    signals.close();
    if let Some(w) = worker {
        w.stop();
    }
    wait_for(input, INPUT_JOIN);
    match ended? {
        Some(signal) => terminal::exit_for(signal),
        None => Ok(()),
    }
}

/// Join `thread` if it ends within `limit`; else leave it behind (a read from a terminal that
/// went away may never return) and let the process's exit end it.
fn wait_for(thread: JoinHandle<()>, limit: Duration) {
    let start = Instant::now();
    while !thread.is_finished() && start.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(5));
    }
    if thread.is_finished() {
        let _ = thread.join();
    }
}

/// A panicking worker reports itself as `Update::Failed`: its panic must neither restore the
/// terminal under the running dashboard nor print over it. Any other panic restores it.
fn install_panic_hook() {
    let restore = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // The worker and its compute threads report their panics as `Update::Failed`.
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("");
        if name == WORKER_THREAD_NAME || name.starts_with(COMPUTE_THREAD_PREFIX) {
            return;
        }
        terminal::leave();
        restore(info);
    }));
}

/// The epoch position (epoch + fraction) a checkpoint was saved at.
fn resumed_at(ckpt: &Checkpoint) -> f32 {
    let meta = &ckpt.meta;
    let into = meta.state.cursor as f32 / meta.state.train_samples.max(1) as f32;
    meta.epoch as f32 + into.min(1.0)
}

/// A worker for the app's current settings: a restart keeps what was edited before.
fn spawn_worker(app: &App, options: &WorkerConfig, tx: Sender<Event>) -> Worker {
    let config = WorkerConfig {
        arch: app.arch.clone(),
        hyper: app.hyper,
        probe: app.probe,
        pace: app.pace,
        ..options.clone()
    };
    worker::spawn(config, tx)
}

/// Reads terminal events into the channel until told to stop; a terminal whose reads fail is
/// gone (its window closed, its session killed): that is reported, and the thread ends.
fn spawn_input(tx: Sender<Event>, stop: Arc<AtomicBool>) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("cnn-tui-input".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let event = match term::poll(INPUT_POLL) {
                    Ok(false) => continue,
                    Ok(true) => term::read(),
                    Err(e) => Err(e),
                };
                let event = event.map_or(Event::Terminal(TerminalEvent::Lost), Event::Input);
                let lost = event == Event::Terminal(TerminalEvent::Lost);
                if tx.send(event).is_err() || lost {
                    break;
                }
            }
        })
        .expect("the OS refused to start a thread")
}

/// Receive, apply a burst, draw at most every `FRAME` and only after a change. Returns the
/// signal that ended the loop, if one did.
fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    options: &WorkerConfig,
    worker: &mut Option<Worker>,
    input: &JoinHandle<()>,
    tx: Sender<Event>,
    mut rx: Inbox,
) -> anyhow::Result<Option<i32>> {
    resized(terminal, app)?;
    #[cfg(debug_assertions)]
    if std::env::var_os("CNN_TUI_TEST_PANIC").is_some() {
        panic!("CNN_TUI_TEST_PANIC: a test asked the dashboard to panic");
    }
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    let mut last_tick = Instant::now();
    while !app.quit && !input.is_finished() {
        if dirty && last_draw.elapsed() >= FRAME {
            draw_frame(terminal, app)?;
            (dirty, last_draw) = (false, Instant::now());
        }
        let mut timeout = if dirty {
            FRAME.saturating_sub(last_draw.elapsed())
        } else {
            IDLE
        };
        if app.animating() {
            timeout = timeout.min(FRAME.saturating_sub(last_tick.elapsed()));
        }
        let finished = worker.as_ref().is_none_or(Worker::is_finished);
        let (changed, drained, asked) = receive(&mut rx, timeout, app, options, worker, &tx)?;
        dirty |= changed | rx.after_events(app);
        match asked {
            Some(TerminalEvent::Quit(signal)) => return Ok(Some(signal)),
            Some(TerminalEvent::Lost) => return Ok(None),
            Some(TerminalEvent::Suspend) => {
                terminal::suspend(terminal)?;
                resized(terminal, app)?;
                dirty = true;
            }
            None => {}
        }
        dirty |= tick(app, &mut last_tick);
        // Everything a finished worker sent is in the channel already: once that is drained,
        // a worker that is still "alive" to the app died without a word.
        if finished
            && drained
            && app.worker.is_alive()
            && worker.as_ref().is_none_or(Worker::is_finished)
        {
            app.worker_gone();
            dirty = true;
        }
    }
    Ok(None)
}

/// Tell the app the terminal's size, which may have changed while nobody listened.
fn resized(terminal: &DefaultTerminal, app: &mut App) -> anyhow::Result<()> {
    let size = terminal.size()?;
    app.handle(Event::Input(term::Event::Resize(size.width, size.height)));
    Ok(())
}

/// The terminal event an event stands for: a signal, a lost terminal, or Ctrl-Z (in raw mode
/// the terminal sends it as a key instead of raising SIGTSTP).
fn terminal_event(event: &Event) -> Option<TerminalEvent> {
    match event {
        Event::Terminal(asked) => Some(*asked),
        Event::Input(term::Event::Key(key))
            if key.kind != term::KeyEventKind::Release
                && key.code == term::KeyCode::Char('z')
                && key.modifiers.contains(term::KeyModifiers::CONTROL) =>
        {
            Some(TerminalEvent::Suspend)
        }
        _ => None,
    }
}

/// One frame inside a synchronized update, so that a terminal that supports it shows the
/// whole frame at once, never a half-drawn heatmap (others ignore the two sequences).
fn draw_frame(terminal: &mut DefaultTerminal, app: &App) -> std::io::Result<()> {
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    let drawn = terminal
        .draw(|frame| frame.render_widget(app, frame.area()))
        .map(|_| ());
    // End the update even when the draw failed, or the terminal would stay frozen.
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    drawn
}

/// A moving slide gets the time that passed since `last`, about once a frame; whether it
/// moved. Without one the clock just follows, so that a slide starts from now.
fn tick(app: &mut App, last: &mut Instant) -> bool {
    if !app.animating() {
        *last = Instant::now();
        return false;
    }
    if last.elapsed() < FRAME {
        return false;
    }
    app.handle(Event::Tick(last.elapsed()));
    *last = Instant::now();
    true
}

/// Wait for one event, then apply up to a burst; (anything applied, channel drained, a
/// terminal event that stops the burst).
fn receive(
    rx: &mut Inbox,
    timeout: Duration,
    app: &mut App,
    options: &WorkerConfig,
    worker: &mut Option<Worker>,
    tx: &Sender<Event>,
) -> anyhow::Result<(bool, bool, Option<TerminalEvent>)> {
    let first = match rx.recv_timeout(timeout) {
        Ok(ev) => ev,
        Err(RecvTimeoutError::Timeout) => return Ok((false, true, None)),
        Err(RecvTimeoutError::Disconnected) => {
            anyhow::bail!("the dashboard's event channel closed")
        }
    };
    let mut next = Some(first);
    let mut count = 0;
    while let Some(ev) = next {
        if let Some(asked) = terminal_event(&ev) {
            return Ok((count > 0, false, Some(asked)));
        }
        for cmd in app.handle(ev) {
            dispatch(cmd, app, options, worker, tx);
        }
        count += 1;
        if app.quit || count >= BURST {
            return Ok((true, false, None));
        }
        next = rx.try_recv().ok();
    }
    Ok((true, true, None))
}

/// Send a command; a reset of a dead worker starts a new one instead.
fn dispatch(
    cmd: Command,
    app: &App,
    options: &WorkerConfig,
    worker: &mut Option<Worker>,
    tx: &Sender<Event>,
) {
    let dead = worker.as_ref().is_none_or(Worker::is_finished);
    match cmd {
        Command::Quit => {}
        Command::Reset if dead => {
            if let Some(old) = worker.take() {
                old.stop();
            }
            *worker = Some(spawn_worker(app, options, tx.clone()));
        }
        cmd => {
            if let Some(w) = worker.as_ref() {
                w.send(cmd);
            }
        }
    }
}
