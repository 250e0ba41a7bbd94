//! When a lesson's task is done: a pure predicate on the app's state, compared with what it
//! was when the lesson started.

use crate::config::Arch;
use crate::ui::app::App;

/// What a lesson asks the student to do (the `done:` line of the lessons file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Another FC unit chosen on the compare screen's weights page.
    FcUnitChanged,
    /// The focus view open.
    FocusOpen,
    /// Some block's stride, padding or pooling changed, or the number of blocks.
    StrideChanged,
    PaddingChanged,
    PoolChanged,
    BlocksChanged,
    /// Another probe digit.
    ProbeChanged,
    /// An accuracy-against-shift result computed after the lesson started.
    ShiftComputed,
    /// This many training steps after the lesson started.
    Steps(usize),
}

impl Check {
    /// From its name in the lessons file; the error lists the names.
    pub fn parse(s: &str) -> Result<Check, String> {
        let check = match s {
            "fc-unit-changed" => Check::FcUnitChanged,
            "focus-open" => Check::FocusOpen,
            "stride-changed" => Check::StrideChanged,
            "padding-changed" => Check::PaddingChanged,
            "pool-changed" => Check::PoolChanged,
            "blocks-changed" => Check::BlocksChanged,
            "probe-changed" => Check::ProbeChanged,
            "shift-computed" => Check::ShiftComputed,
            _ => match s.strip_prefix("steps ").map(|n| n.trim().parse::<usize>()) {
                Some(Ok(n)) if n > 0 => Check::Steps(n),
                _ => {
                    return Err(format!(
                        "unknown check '{s}': expected fc-unit-changed, focus-open, stride-changed, padding-changed, pool-changed, blocks-changed, probe-changed, shift-computed or steps N (N at least 1)"
                    ));
                }
            },
        };
        Ok(check)
    }
}

/// What the predicates compare with: the state when the lesson started.
#[derive(Debug, Clone, PartialEq)]
pub struct Start {
    /// The architecture the lesson starts from (the restored one after `setup: restore`).
    pub arch: Arch,
    pub probe: usize,
    pub unit: usize,
    pub step: usize,
}

impl Start {
    pub fn of(app: &App, arch: Arch) -> Start {
        Start {
            arch,
            probe: app.probe,
            unit: app.compare.unit,
            step: app.last_step.map_or(0, |s| s.step),
        }
    }
}

/// Whether `check` is done in `app`, for a lesson that started at `start`. The architecture
/// compared is the one the worker confirmed, or the edit on its way.
pub fn is_done(check: Check, start: &Start, app: &App) -> bool {
    let arch = app.pending_arch.as_ref().unwrap_or(&app.arch);
    let differs = |f: fn(&crate::config::ConvBlock) -> usize| {
        arch.blocks.len() != start.arch.blocks.len()
            || arch
                .blocks
                .iter()
                .zip(&start.arch.blocks)
                .any(|(a, b)| f(a) != f(b))
    };
    match check {
        Check::FcUnitChanged => app.compare.unit != start.unit,
        Check::FocusOpen => app.focus_view.is_some(),
        Check::StrideChanged => differs(|b| b.stride),
        Check::PaddingChanged => differs(|b| b.padding),
        Check::PoolChanged => {
            arch.blocks.len() != start.arch.blocks.len()
                || arch
                    .blocks
                    .iter()
                    .zip(&start.arch.blocks)
                    .any(|(a, b)| a.pool != b.pool)
        }
        Check::BlocksChanged => arch.blocks.len() != start.arch.blocks.len(),
        Check::ProbeChanged => app.probe != start.probe,
        Check::ShiftComputed => app
            .compare
            .shift
            .as_ref()
            .is_some_and(|s| s.step >= start.step),
        Check::Steps(n) => app.last_step.is_some_and(|s| s.step >= start.step + n),
    }
}
