//! The kernels lab's microscope (`m` or Enter, or a click on the output): the chosen kernel's
//! output on the probe digit with a cursor, drawn by the focus view's own microscope (the
//! padded input with the window and the zeros marked, then input × kernel = products and
//! their sum, checked against the output pixel). Arrows or a click move the cursor.

use super::kernels::{Kernel3, apply};
use super::kernels_view::kernel_title;
use crate::ui::app::App;
use crate::ui::focus::{FocusView, Target};
use crate::ui::panels::focus::{pixel_in, render_microscope};
use crate::ui::scene::{ConvLens, Lens, Scene};
use ndarray::{Array2, Array3, ArrayView2, CowArray};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

/// A hand-made kernel applied to an image, kept with its operands for the microscope.
#[derive(Debug, Clone, PartialEq)]
pub struct KernelConv {
    /// The image as a one-channel input `(1, H, W)` and the kernel as a filter `(1, 3, 3)`.
    pub input: Array3<f32>,
    pub filter: Array3<f32>,
    /// The output `(OH, OW)`.
    pub output: Array2<f32>,
    pub stride: usize,
    pub padding: usize,
}

impl KernelConv {
    /// `kernel` over `image` `(H, W)` at `stride` and `padding`; `None` when it does not fit.
    pub fn new(
        image: ArrayView2<f32>,
        kernel: &Kernel3,
        stride: usize,
        padding: usize,
    ) -> Option<KernelConv> {
        let output = apply(image, kernel, stride, padding)?;
        Some(KernelConv {
            input: image.to_owned().insert_axis(ndarray::Axis(0)), // (H,W) → (1,H,W)
            filter: Array3::from_shape_fn((1, 3, 3), |(_, r, c)| kernel[r][c]),
            output,
            stride,
            padding,
        })
    }

    /// The output as a focus-view scene whose lens redoes the arithmetic (no bias).
    pub fn scene(&self) -> Scene<'_> {
        Scene {
            name: "kernel".into(),
            index: 0,
            count: 1,
            picture: CowArray::from(self.output.view()),
            layer_values: self.output.iter().copied().collect(),
            signed: true,
            lens: Lens::Conv(ConvLens {
                input: self.input.view(),
                input_name: "digit".into(),
                filter: self.filter.view(),
                bias: 0.0,
                stride: self.stride,
                padding: self.padding,
            }),
        }
    }
}

/// The focus-view state the microscope draws with: the cursor, one channel, no slide.
pub fn view_at(cursor: (usize, usize)) -> FocusView {
    FocusView::new(Target::Input, cursor)
}

/// The kernel applied to the probe digit at conv1's stride and padding, if it fits.
pub fn probe_conv(app: &App) -> Option<KernelConv> {
    let snap = app.snapshot.as_ref()?;
    let conv1 = snap.blocks.first().copied();
    let (stride, padding) = conv1.map_or((1, 1), |b| (b.stride, b.padding));
    let kernel = app.labs.kernel_weights();
    KernelConv::new(snap.probe_image.view(), &kernel, stride, padding)
}

/// The microscope page: two lines of its own, then the focus view's layout below them.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(conv) = probe_conv(app) else {
        Line::from("waiting for the first snapshot, or a 3×3 kernel does not fit conv1")
            .render(area, buf);
        return;
    };
    let (oh, ow) = conv.output.dim();
    let cursor = clamp(app.labs.scope.unwrap_or_default(), (oh, ow));
    let (title, _) = kernel_title(app.labs.kernel);
    let (st, p) = (conv.stride, conv.padding);
    let head = vec![
        Line::from(format!(
            "{title} · output {oh}×{ow}, pixel ({}, {}) = {:+.3}",
            cursor.0, cursor.1, conv.output[cursor]
        ))
        .bold(),
        Line::from(format!(
            "stride {st}: the window steps {st} pixel{} · padding {p}: a border of zeros · m back",
            if st == 1 { "" } else { "s" }
        )),
    ];
    Paragraph::new(head).render(area, buf);
    render_microscope(app, &conv.scene(), &view_at(cursor), area, buf);
}

/// The output pixel a click at `pos` chooses (on the output, or the window nearest on the
/// input), when the microscope is drawn in `area`.
pub fn pixel_at(app: &App, area: Rect, pos: Position) -> Option<(usize, usize)> {
    let conv = probe_conv(app)?;
    let cursor = clamp(app.labs.scope.unwrap_or_default(), conv.output.dim());
    pixel_in(app, (&conv.scene(), &view_at(cursor)), area, pos)
}

impl App {
    /// Where the microscope opens: the output's strongest pixel (by magnitude).
    pub(super) fn scope_start(&self) -> (usize, usize) {
        let Some(conv) = probe_conv(self) else {
            return (0, 0);
        };
        let strongest = conv
            .output
            .indexed_iter()
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
        strongest.map_or((0, 0), |(at, _)| at)
    }

    /// The microscope's cursor moved by (down, right), kept on the output.
    pub(super) fn scope_move(&mut self, dy: i8, dx: i8) {
        let dim = probe_conv(self).map_or((1, 1), |c| c.output.dim());
        let (r, c) = clamp(self.labs.scope.unwrap_or_default(), dim);
        let step = |v: usize, d: i8, len: usize| (v as i64 + d as i64).clamp(0, len as i64 - 1);
        self.labs.scope = Some((step(r, dy, dim.0) as usize, step(c, dx, dim.1) as usize));
    }
}

/// `at` kept inside a `dim` picture.
pub fn clamp((r, c): (usize, usize), (h, w): (usize, usize)) -> (usize, usize) {
    (r.min(h.saturating_sub(1)), c.min(w.saturating_sub(1)))
}

#[cfg(test)]
mod tests;
