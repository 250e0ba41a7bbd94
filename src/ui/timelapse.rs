//! The filter time-lapse: a bounded history of the conv filters, taken from the snapshots the
//! dashboard receives, so that conv1's filters at step 100 can be set beside today's.
//!
//! # Bounded
//! A frame is kept every `every` steps (at first `FIRST_EVERY`). When the frames would pass
//! `MAX_FRAMES` or their filters `BUDGET_BYTES`, every second frame goes (the first and the
//! newest stay) and `every` doubles: however long training runs, the frames stay spread over
//! the whole run, the early steps as well represented as the late ones. The newest frame is
//! always the newest snapshot: it is replaced until it is `every` steps past the one before
//! it, then kept.
//! A network whose filters change shape (an edit) starts a new time-lapse; so does a rewind
//! or a reset (the frames after the step trained again are dropped).

use ndarray::Array4;
use std::sync::Arc;

/// The most memory the frames take, in bytes (4 MiB). A frame of the default network
/// (8×1×3×3 + 16×8×3×3 weights) takes 5.1 kB, so its `MAX_FRAMES` take 1.3 MB; the budget
/// binds from 16 kB a frame on (e.g. 32 5×5 filters on 16 channels: 51 kB, 80 frames).
pub const BUDGET_BYTES: usize = 4 << 20;
/// The most frames kept, however small: more than a scrubber can show one a column.
pub const MAX_FRAMES: usize = 256;
/// Steps between two frames before any thinning.
pub const FIRST_EVERY: usize = 10;

/// The conv filters at one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub step: usize,
    /// The smoothed training loss at that step, if the history had one.
    pub loss: Option<f64>,
    /// Each conv layer's weights `(out, in, k, k)`, conv1 first.
    pub filters: Vec<Array4<f32>>,
}

impl Frame {
    /// The memory the frame takes: its weights and their headers.
    pub fn bytes(&self) -> usize {
        let weights: usize = self.filters.iter().map(|w| w.len() * 4).sum();
        std::mem::size_of::<Frame>()
            + weights
            + self.filters.len() * std::mem::size_of::<Array4<f32>>()
    }

    fn shapes(&self) -> Vec<&[usize]> {
        self.filters.iter().map(|w| w.shape()).collect()
    }
}

/// The frames kept, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Timelapse {
    frames: Vec<Arc<Frame>>,
    every: usize,
    bytes: usize,
    /// A frame too large for two to fit the budget: its size (nothing is kept).
    too_large: Option<usize>,
}

impl Default for Timelapse {
    fn default() -> Timelapse {
        Timelapse {
            frames: Vec::new(),
            every: FIRST_EVERY,
            bytes: 0,
            too_large: None,
        }
    }
}

impl Timelapse {
    pub fn frames(&self) -> &[Arc<Frame>] {
        &self.frames
    }

    /// The bytes the frames take (`Frame::bytes` summed): never above `BUDGET_BYTES`.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Steps between two frames now.
    pub fn every(&self) -> usize {
        self.every
    }

    /// The size of a frame too large to keep two of within the budget, if the network's is.
    pub fn too_large(&self) -> Option<usize> {
        self.too_large
    }

    /// Record the filters of `frame.step`.
    pub fn record(&mut self, frame: Frame) {
        let reshaped = self
            .frames
            .first()
            .is_some_and(|f| f.shapes() != frame.shapes());
        if reshaped {
            *self = Timelapse::default();
        }
        // A rewind or a reset: the steps after it are trained again.
        if self.frames.last().is_some_and(|f| f.step >= frame.step) {
            self.frames.retain(|f| f.step < frame.step);
            self.recount();
        }
        let size = frame.bytes();
        if 2 * size > BUDGET_BYTES {
            *self = Timelapse::default();
            self.too_large = Some(size);
            return;
        }
        self.too_large = None;
        let n = self.frames.len();
        // The newest frame stands in for the live weights until it is `every` steps past the
        // one before it; then it stays, and the next one stands in.
        if n >= 2 && self.frames[n - 1].step < self.frames[n - 2].step + self.every {
            self.frames.pop();
        }
        self.frames.push(Arc::new(frame));
        self.recount();
        while self.frames.len() > 2 && (self.bytes > BUDGET_BYTES || self.frames.len() > MAX_FRAMES)
        {
            self.thin();
        }
    }

    /// Drop every second frame but the newest; frames are twice as far apart from now on.
    fn thin(&mut self) {
        let last = self.frames.len() - 1;
        let mut k = 0;
        self.frames.retain(|_| {
            let keep = k % 2 == 0 || k == last;
            k += 1;
            keep
        });
        self.every *= 2;
        self.recount();
    }

    fn recount(&mut self) {
        self.bytes = self.frames.iter().map(|f| f.bytes()).sum();
    }
}

#[cfg(test)]
#[path = "timelapse_tests.rs"]
mod tests;
