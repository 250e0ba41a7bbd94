//! The worker's command intake: commands in the order they were sent, except that queued
//! architecture edits collapse. Rebuilding (and validating) once per key press made 400 quick
//! `f`/`F` presses keep the worker busy for two minutes after the keys stopped; only the last
//! architecture matters, and a reset re-initialises every weight, so edits before it are moot.

use super::messages::Command;
use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::Duration;

/// The command channel and what was taken from it but not yet applied.
pub(super) struct Intake<'a> {
    rx: &'a Receiver<Command>,
    backlog: VecDeque<Command>,
}

impl<'a> Intake<'a> {
    pub(super) fn new(rx: &'a Receiver<Command>) -> Intake<'a> {
        Intake {
            rx,
            backlog: VecDeque::new(),
        }
    }

    /// The next command if one is waiting.
    pub(super) fn try_recv(&mut self) -> Result<Command, TryRecvError> {
        let cmd = match self.backlog.pop_front() {
            Some(cmd) => cmd,
            None => self.rx.try_recv()?,
        };
        Ok(self.take(cmd))
    }

    /// The next command, waiting at most `timeout` for one.
    pub(super) fn recv_timeout(&mut self, timeout: Duration) -> Result<Command, RecvTimeoutError> {
        let cmd = match self.backlog.pop_front() {
            Some(cmd) => cmd,
            None => self.rx.recv_timeout(timeout)?,
        };
        Ok(self.take(cmd))
    }

    /// An architecture edit is applied only once everything queued behind it is known: the
    /// channel is drained into the backlog and the backlog coalesced.
    fn take(&mut self, cmd: Command) -> Command {
        if !matches!(cmd, Command::SetArch(_)) {
            return cmd;
        }
        let mut queue = vec![cmd];
        queue.extend(self.backlog.drain(..));
        queue.extend(self.rx.try_iter());
        self.backlog = coalesce(queue);
        // Coalescing keeps a SetArch or the Reset that dropped it: never empty.
        self.backlog.pop_front().unwrap_or(Command::Pause)
    }
}

/// Keep only the last `SetArch`, and none that a later `Reset` makes moot; every other
/// command stays, in its order.
pub(super) fn coalesce(queue: Vec<Command>) -> VecDeque<Command> {
    let is_arch = |c: &Command| matches!(c, Command::SetArch(_));
    let last_arch = queue.iter().rposition(is_arch);
    let last_reset = queue.iter().rposition(|c| *c == Command::Reset);
    let keep = |i: usize| Some(i) == last_arch && last_reset.is_none_or(|r| i > r);
    queue
        .into_iter()
        .enumerate()
        .filter(|(i, c)| !is_arch(c) || keep(*i))
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Arch;
    use std::sync::mpsc;

    fn arch(filters: usize) -> Command {
        let mut a = Arch::default();
        a.blocks[0].filters = filters;
        Command::SetArch(a)
    }

    #[test]
    fn only_the_last_edit_stays_and_other_commands_keep_their_order() {
        let queue = vec![arch(1), Command::Pause, arch(2), Command::Probe(3), arch(4)];
        let kept: Vec<_> = coalesce(queue).into();
        assert_eq!(kept, vec![Command::Pause, Command::Probe(3), arch(4)]);
    }

    #[test]
    fn a_reset_drops_the_edits_before_it_but_not_after() {
        let queue = vec![arch(1), arch(2), Command::Reset, Command::Resume];
        let kept: Vec<_> = coalesce(queue).into();
        assert_eq!(kept, vec![Command::Reset, Command::Resume]);
        let queue = vec![arch(1), Command::Reset, arch(8)];
        let kept: Vec<_> = coalesce(queue).into();
        assert_eq!(kept, vec![Command::Reset, arch(8)]);
    }

    #[test]
    fn taking_an_edit_drains_the_channel() {
        let (tx, rx) = mpsc::channel();
        for f in 1..=50 {
            tx.send(arch(f)).unwrap();
        }
        tx.send(Command::Step).unwrap();
        let mut intake = Intake::new(&rx);
        assert_eq!(intake.try_recv(), Ok(arch(50)));
        assert_eq!(intake.try_recv(), Ok(Command::Step));
        assert_eq!(intake.try_recv(), Err(TryRecvError::Empty));
        tx.send(Command::Pause).unwrap();
        assert_eq!(intake.try_recv(), Ok(Command::Pause), "plain commands pass");
    }
}
