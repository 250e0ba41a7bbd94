//! The dashboard. This file is the only impure UI code: the terminal, the input thread, the
//! worker and the event loop. Everything else (`app`, `view`, `panels`, `widgets`) is plain
//! data and pure rendering, tested without a terminal.

pub mod app;
pub mod bars;
#[doc(hidden)]
pub mod demo;
pub mod edit;
pub mod focus;
pub mod focus_keys;
mod focus_nav;
pub mod help;
pub mod history;
mod input;
pub mod keys;
pub mod layout;
pub mod panels;
pub mod readout;
pub mod scene;
pub mod slide;
mod updates;
pub mod view;
pub mod widgets;

pub use app::{App, Event};

use crate::train::messages::Command;
use crate::train::trainer::COMPUTE_THREAD_PREFIX;
use crate::train::worker::{self, WORKER_THREAD_NAME, Worker, WorkerConfig};
use anyhow::Context;
use crossterm::event::{self as term, DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use ratatui::DefaultTerminal;
use std::io::{IsTerminal, stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use widgets::colormap::ColorMode;

/// At most about 30 frames a second.
const FRAME: Duration = Duration::from_millis(33);
/// How long the loop sleeps when nothing is waiting to be drawn.
const IDLE: Duration = Duration::from_millis(100);
/// How often the input thread looks at its stop flag.
const INPUT_POLL: Duration = Duration::from_millis(40);
/// Events applied before the next frame at the latest.
const BURST: usize = 512;

/// Run the dashboard, training from `options`, until the user quits. Refuses to draw when
/// stdout is not a terminal.
pub fn run(options: WorkerConfig) -> anyhow::Result<()> {
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
    let mut terminal = ratatui::try_init().context("could not set up the terminal")?;
    install_panic_hook();
    let _ = execute!(stdout(), EnableMouseCapture);
    let (tx, rx) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let input = spawn_input(tx.clone(), Arc::clone(&stop));
    let mut worker = Some(spawn_worker(&app, &options, tx.clone()));
    let result = event_loop(
        &mut terminal,
        &mut app,
        &options,
        &mut worker,
        &input,
        tx,
        rx,
    );
    stop.store(true, Ordering::Relaxed);
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
    if let Some(w) = worker {
        w.stop();
    }
    let _ = input.join();
    result
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
        let _ = execute!(stdout(), DisableMouseCapture);
        restore(info);
    }));
}

/// A worker for the app's current settings: a restart keeps what was edited before.
fn spawn_worker(app: &App, options: &WorkerConfig, tx: Sender<Event>) -> Worker {
    let config = WorkerConfig {
        arch: app.arch.clone(),
        hyper: app.hyper,
        probe: app.probe,
        ..options.clone()
    };
    worker::spawn(config, tx)
}

/// Reads terminal events into the channel until told to stop or the terminal fails.
fn spawn_input(tx: Sender<Event>, stop: Arc<AtomicBool>) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("cnn-tui-input".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match term::poll(INPUT_POLL) {
                    Ok(false) => {}
                    Ok(true) => {
                        let sent = term::read().map(|ev| tx.send(Event::Input(ev)).is_ok());
                        if !matches!(sent, Ok(true)) {
                            break;
                        }
                    }
                    Err(_) => break,
                }
            }
        })
        .expect("the OS refused to start a thread")
}

/// Receive, apply a burst, draw at most every `FRAME` and only after a change.
fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    options: &WorkerConfig,
    worker: &mut Option<Worker>,
    input: &JoinHandle<()>,
    tx: Sender<Event>,
    rx: Receiver<Event>,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    app.handle(Event::Input(term::Event::Resize(size.width, size.height)));
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    let mut last_tick = Instant::now();
    while !app.quit && !input.is_finished() {
        if dirty && last_draw.elapsed() >= FRAME {
            terminal.draw(|frame| frame.render_widget(&*app, frame.area()))?;
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
        let (changed, drained) = receive(&rx, timeout, app, options, worker, &tx)?;
        dirty |= changed;
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
    Ok(())
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

/// Wait for one event, then apply up to a burst; (anything applied, channel drained).
fn receive(
    rx: &Receiver<Event>,
    timeout: Duration,
    app: &mut App,
    options: &WorkerConfig,
    worker: &mut Option<Worker>,
    tx: &Sender<Event>,
) -> anyhow::Result<(bool, bool)> {
    let first = match rx.recv_timeout(timeout) {
        Ok(ev) => ev,
        Err(RecvTimeoutError::Timeout) => return Ok((false, true)),
        Err(RecvTimeoutError::Disconnected) => {
            anyhow::bail!("the dashboard's event channel closed")
        }
    };
    let mut next = Some(first);
    let mut count = 0;
    while let Some(ev) = next {
        for cmd in app.handle(ev) {
            dispatch(cmd, app, options, worker, tx);
        }
        count += 1;
        if app.quit || count >= BURST {
            return Ok((true, false));
        }
        next = rx.try_recv().ok();
    }
    Ok((true, true))
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
