//! The focus view's own key table. The view is modal: its keys come first, then the few
//! dashboard keys that still make sense there (`passes_through`); the rest do nothing.

use super::keys::{Action, Binding, Field, Group, Key, b};
use crossterm::event::KeyCode;

/// A direction of the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Left,
    Down,
    Up,
    Right,
}

/// What a key of the focus view does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FocusKey {
    MapPrev,
    MapNext,
    /// The layer before (towards the input) or after.
    LayerPrev,
    LayerNext,
    Cursor(Dir),
    /// The input channel the microscope details, for convs with more than one.
    ChannelNext,
    ChannelPrev,
    /// The microscope's table: one channel's K×K products, or the sum of each channel.
    Details,
    /// Start, pause or restart the kernel's slide over the input.
    Slide,
    Slower,
    Faster,
}

impl FocusKey {
    /// Two rows that the help and the hint bar show as one pair, e.g. `←/→`.
    pub fn pairs_with(self, next: FocusKey) -> bool {
        use FocusKey as K;
        matches!(
            (self, next),
            (K::MapPrev, K::MapNext)
                | (K::LayerPrev, K::LayerNext)
                | (K::ChannelNext, K::ChannelPrev)
                | (K::Slower, K::Faster)
        )
    }
}

use Action::Focus as F;
use FocusKey as K;
use Group::Focus as G;
use Key::{Char as C, Code, Shift};

/// The focus view's keys. Shift+arrows come before the plain arrows: a plain `Code` row
/// matches whatever modifiers are held.
#[rustfmt::skip]
pub static FOCUS_KEYS: &[Binding] = &[
    b(&[Code(KeyCode::Esc)], Action::Back, G, "back to the dashboard", Some("back")),
    b(&[C('h'), Shift(KeyCode::Left)], F(K::Cursor(Dir::Left)), G, "cursor left (or click)", Some("cursor")),
    b(&[C('j'), Shift(KeyCode::Down)], F(K::Cursor(Dir::Down)), G, "cursor down", None),
    b(&[C('k'), Shift(KeyCode::Up)], F(K::Cursor(Dir::Up)), G, "cursor up", None),
    b(&[C('l'), Shift(KeyCode::Right)], F(K::Cursor(Dir::Right)), G, "cursor right", None),
    b(&[Code(KeyCode::Left), C('<')], F(K::MapPrev), G, "previous / next map", Some("map")),
    b(&[Code(KeyCode::Right), C('>')], F(K::MapNext), G, "next map", None),
    b(&[Code(KeyCode::Up)], F(K::LayerPrev), G, "layer before / after", Some("layer")),
    b(&[Code(KeyCode::Down)], F(K::LayerNext), G, "layer after", None),
    b(&[C('a')], F(K::Slide), G, "slide the kernel / pause", Some("slide")),
    b(&[C('-')], F(K::Slower), G, "slide slower / faster", Some("speed")),
    b(&[C('+'), C('=')], F(K::Faster), G, "slide faster", None),
    b(&[C('c')], F(K::ChannelNext), G, "input channel next / prev", Some("channel")),
    b(&[C('C')], F(K::ChannelPrev), G, "input channel previous", None),
    b(&[Code(KeyCode::Enter)], F(K::Details), G, "one channel / all channels", Some("details")),
];

/// Dashboard actions that keep working in the focus view: quitting, help, the training's
/// pause and step, the view's glyphs and scale, the probe digit, and the focused block's
/// stride, padding and pooling (to watch the microscope change). The kernel size, the
/// learning rate and the block count need keys the focus view uses for itself.
pub fn passes_through(action: Action) -> bool {
    matches!(
        action,
        Action::Quit
            | Action::Help
            | Action::PauseResume
            | Action::Step
            | Action::Reset
            | Action::Glyphs
            | Action::Normalise
            | Action::ProbeNext
            | Action::ProbePrev
            | Action::ProbeRandom
            | Action::ProbeType
            | Action::CyclePool
            | Action::Adjust(Field::Stride | Field::Padding | Field::PoolSize, _)
            | Action::SaveCheckpoint
            | Action::ExportMetrics
            | Action::ExportPicture
    )
}
