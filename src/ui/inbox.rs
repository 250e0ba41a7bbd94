//! The event loop's receiving end: the one channel, and `--metrics`, which records every
//! step and evaluation of the worker's updates as they pass, before the app sees them.

use super::app::{App, BannerKind, Event};
use crate::metrics::{MetricsSink, write_history};
use crate::train::messages::Update;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::Duration;

pub(super) struct Inbox {
    rx: Receiver<Event>,
    sink: Option<MetricsSink>,
    /// Why the sink stopped, until the banner shows it.
    failure: Option<String>,
}

impl Inbox {
    pub(super) fn new(rx: Receiver<Event>, sink: Option<MetricsSink>) -> Inbox {
        Inbox {
            rx,
            sink,
            failure: None,
        }
    }

    pub(super) fn recv_timeout(&mut self, timeout: Duration) -> Result<Event, RecvTimeoutError> {
        let event = self.rx.recv_timeout(timeout)?;
        self.record(&event);
        Ok(event)
    }

    pub(super) fn try_recv(&mut self) -> Result<Event, TryRecvError> {
        let event = self.rx.try_recv()?;
        self.record(&event);
        Ok(event)
    }

    /// A sink that fails (a full disk) is dropped: training goes on, the banner says why.
    fn record(&mut self, event: &Event) {
        let Some(sink) = self.sink.as_mut() else {
            return;
        };
        let written = match event {
            Event::Worker(Update::Steps(steps)) => steps.iter().try_for_each(|s| sink.step(s)),
            Event::Worker(Update::Eval(e)) => sink.eval(e),
            _ => Ok(()),
        };
        if let Err(e) = written {
            self.failure = Some(format!("metrics no longer recorded: {e}"));
            self.sink = None;
        }
    }

    /// What the events just applied left to do outside the app: a sink's failure to show, a
    /// history or a picture to write. True when the app changed.
    pub(super) fn after_events(&mut self, app: &mut App) -> bool {
        let mut changed = false;
        if let Some(msg) = self.failure.take() {
            app.set_banner(BannerKind::Error, msg);
            changed = true;
        }
        if let Some(path) = app.keep.export.take() {
            let h = &app.history;
            let (loss, val_loss) = (h.loss.points(), h.val_loss.points());
            let outcome = write_history(&path, &loss, &val_loss, &h.val_accuracy.points());
            app.exported(&path, outcome.map_err(|e| e.to_string()));
            changed = true;
        }
        if let Some(folder) = app.keep.picture.take() {
            app.write_picture(&folder);
            changed = true;
        }
        changed
    }
}
