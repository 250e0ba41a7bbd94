//! The focus view's words: what the picture is and how the highlighted pixel was made, for a
//! student reading the screen without a lecture.

use crate::nn::reference::Pooling;
use crate::ui::scene::{ConvLens, Lens, Scene};

/// A few sentences about the scene, in the layer's own numbers.
pub fn explain(scene: &Scene) -> String {
    match &scene.lens {
        Lens::Conv(c) => conv(c),
        Lens::Pool(pl) => {
            let k = pl.window;
            let used = match pl.op {
                Pooling::Max => "max",
                Pooling::Avg => "average",
            };
            format!(
                "Pooling: each output pixel reads one {k}×{k} window of its channel; the windows \
                 do not overlap (stride {k}), so the map shrinks {k} times a side. Max pooling \
                 keeps the largest value of the window, average pooling gives its mean: both \
                 are shown, this layer uses {used} (o switches it)."
            )
        }
        Lens::Relu(_) => "ReLU: max(0, x), pixel by pixel. The conv map's negative values \
                          become 0; the positive ones pass unchanged."
            .into(),
        Lens::Plain if scene.signed => "A filter's weights: one slice per input channel. The \
            filter slides over the input; where the input looks like it, the output is high."
            .into(),
        Lens::Plain => "The probe digit as the network is given it: 28×28 pixels in [0, 1].".into(),
        Lens::Unavailable(why) => why.clone(),
    }
}

/// How a conv pixel is made, with this layer's kernel, stride and padding.
fn conv(c: &ConvLens) -> String {
    let (channels, _, _) = c.input.dim();
    let (k, s, p) = (c.kernel(), c.stride, c.padding);
    let per_channel = if channels > 1 {
        format!(
            " The kernel has one {k}×{k} slice for each of the {channels} input channels: \
             the table sums each channel; Enter shows one channel's products, c and C \
             choose which."
        )
    } else {
        String::new()
    };
    format!(
        "How one output pixel is made: the {k}×{k} kernel lies on the input at the \
         cursor's place. Each input pixel under it is multiplied by the weight at the \
         same place; the products are added, then the bias. That is the output pixel, \
         the value the network computed; the ReLU after it keeps it if positive, else \
         gives 0.{per_channel} From one output pixel to the next the window moves by the \
         stride, {s}; the padding, {p}, is a border of zeros so that the edges get a \
         whole window. a slides it."
    )
}
