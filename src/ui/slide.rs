//! The slide: the kernel (or the pooling window) stepping over the input position by
//! position, at the layer's stride, while the output map fills in. Plain data: the event loop
//! sends `Event::Tick` with the time that passed, and the slide advances by its speed.

use std::time::Duration;

/// Output positions a second, slowest first.
pub const SPEEDS: [f32; 9] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];
/// The speed a slide starts at (8 a second: a row of 28 in 3.5 s).
pub const DEFAULT_SPEED: usize = 3;

/// Where the slide is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slide {
    /// Output positions computed so far, row by row; the fraction is the time spent on the
    /// current one.
    pub done: f32,
    pub playing: bool,
}

impl Slide {
    pub fn start() -> Slide {
        Slide {
            done: 0.0,
            playing: true,
        }
    }

    /// The position being computed, row-major, for an output of `total` positions; it
    /// stays on the last one when the slide is over.
    pub fn current(&self, total: usize) -> usize {
        (self.done as usize).min(total.saturating_sub(1))
    }

    /// Has it reached the last position of `total`?
    pub fn finished(&self, total: usize) -> bool {
        self.done as usize + 1 >= total
    }

    /// Advance by `dt` at `speed` positions a second over `total` positions; it stops at
    /// the last one.
    pub fn advance(&mut self, dt: Duration, speed: f32, total: usize) {
        if !self.playing {
            return;
        }
        let last = total.saturating_sub(1) as f32;
        self.done = (self.done + speed * dt.as_secs_f32()).min(last);
        if self.finished(total) {
            self.playing = false;
        }
    }

    /// The `a` key: pause a playing slide, resume a paused one, restart a finished one.
    pub fn toggle(&mut self, total: usize) {
        if self.playing {
            self.playing = false;
        } else if self.finished(total) {
            *self = Slide::start();
        } else {
            self.playing = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slide_steps_at_its_speed_and_stops_at_the_last_position() {
        let mut s = Slide::start();
        assert_eq!(s.current(10), 0);
        s.advance(Duration::from_millis(500), 4.0, 10);
        assert_eq!(s.current(10), 2);
        s.advance(Duration::from_secs(60), 4.0, 10);
        assert_eq!((s.current(10), s.playing), (9, false));
        s.toggle(10);
        assert_eq!(s, Slide::start(), "a finished slide restarts");
        s.toggle(10);
        s.advance(Duration::from_secs(1), 4.0, 10);
        assert_eq!(s.current(10), 0, "a paused slide stays");
        s.toggle(10);
        assert!(s.playing, "and resumes");
    }
}
