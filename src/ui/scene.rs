//! What the focus view shows, resolved against the newest snapshot every frame (so the view
//! follows training live): the picture of its target and, for a conv, ReLU or pooling map,
//! the tensors the microscope redoes the layer's arithmetic with.

use super::app::App;
use super::focus::Target;
use super::readout::{ConvReadout, PoolReadout, conv_readout, pool_readout};
use crate::nn::plan::{LayerId, LayerInfo, LayerKind, Stage, conv_out_len};
use crate::nn::reference::Pooling;
use crate::train::messages::Snapshot;
use ndarray::{Array2, ArrayView2, ArrayView3, Axis, CowArray, Ix2, s};

/// A conv map's microscope: the layer's input, this map's filter and bias, the geometry.
#[derive(Debug, Clone)]
pub struct ConvLens<'a> {
    /// The conv layer's input `(C, H, W)`: the probe image or the previous layer's output.
    pub input: ArrayView3<'a, f32>,
    pub input_name: String,
    /// This map's filter `(C, K, K)` and bias.
    pub filter: ArrayView3<'a, f32>,
    pub bias: f32,
    pub stride: usize,
    pub padding: usize,
}

impl ConvLens<'_> {
    pub fn kernel(&self) -> usize {
        self.filter.dim().1
    }

    /// Output pixel `at`, term by term.
    pub fn readout(&self, at: (usize, usize)) -> ConvReadout {
        conv_readout(
            self.input,
            self.filter,
            self.bias,
            (self.stride, self.padding),
            at,
        )
    }
}

/// A pooling map's microscope: the channel it pools and the window.
#[derive(Debug, Clone)]
pub struct PoolLens<'a> {
    /// The pooled channel `(H, W)` (the ReLU's output).
    pub input: ArrayView2<'a, f32>,
    pub input_name: String,
    pub window: usize,
    pub op: Pooling,
}

impl PoolLens<'_> {
    /// Output pixel `at`: its window, its max and its mean.
    pub fn readout(&self, at: (usize, usize)) -> PoolReadout {
        pool_readout(self.input, self.window, at)
    }
}

/// How the focus view explains its picture.
#[derive(Debug, Clone)]
pub enum Lens<'a> {
    /// The probe digit or a filter: values only.
    Plain,
    Conv(ConvLens<'a>),
    Pool(PoolLens<'a>),
    /// A ReLU map: the conv value before it, same channel.
    Relu(ArrayView2<'a, f32>),
    /// The layer's arithmetic cannot be redone yet, and why (e.g. the snapshot predates an edit).
    Unavailable(String),
}

/// The focus view's target resolved against one snapshot.
#[derive(Debug, Clone)]
pub struct Scene<'a> {
    /// What the picture is, e.g. `conv1`, `input`, `conv2 filter`.
    pub name: String,
    /// Its index among its neighbours (maps of a layer, filters of a block) and their number.
    pub index: usize,
    pub count: usize,
    /// The picture `(H, W)`; a filter's channels side by side, NaN between them.
    pub picture: CowArray<'a, f32, Ix2>,
    /// All values of the picture's layer, for "scale per layer".
    pub layer_values: Vec<f32>,
    /// Signed values (conv outputs and filters) get the diverging colour map.
    pub signed: bool,
    pub lens: Lens<'a>,
}

impl Scene<'_> {
    /// (rows, columns) of the picture.
    pub fn dim(&self) -> (usize, usize) {
        self.picture.dim()
    }
}

/// The scene of `target` in the app's newest snapshot, or why there is none.
pub fn resolve(app: &App, target: Target) -> Result<Scene<'_>, String> {
    let snap = app
        .snapshot
        .as_deref()
        .ok_or("waiting for the first snapshot…")?;
    match target {
        Target::Input => Ok(Scene {
            name: "input".into(),
            index: 0,
            count: 1,
            picture: CowArray::from(snap.probe_image.view()),
            layer_values: snap.probe_image.iter().copied().collect(),
            signed: false,
            lens: Lens::Plain,
        }),
        Target::Map { layer, channel } => map_scene(snap, layer, channel),
        Target::Filter { block, filter } => {
            match app.focus_view.as_ref().and_then(|v| v.frame.as_ref()) {
                Some(frame) => {
                    let name = format!("time-lapse, step {}", crate::number::thousands(frame.step));
                    filter_scene(&frame.filters, block, filter, Some(name))
                }
                None => filter_scene(&snap.filters, block, filter, None),
            }
        }
    }
}

fn map_scene(snap: &Snapshot, id: LayerId, channel: usize) -> Result<Scene<'_>, String> {
    let i = snap
        .feature_maps
        .iter()
        .position(|fm| fm.id == id)
        .ok_or("this layer is not in the network any more: Esc, then Enter on another map")?;
    let fm = &snap.feature_maps[i];
    let count = fm.maps.dim().0;
    let ch = channel.min(count.saturating_sub(1));
    let input = match i.checked_sub(1) {
        Some(prev) => snap.feature_maps[prev].maps.view(),
        None => snap.probe_image.view().insert_axis(Axis(0)), // (28, 28) → (1, 28, 28)
    };
    let input_name = i
        .checked_sub(1)
        .map_or("input".to_string(), |p| snap.feature_maps[p].layer.clone());
    Ok(Scene {
        name: fm.layer.clone(),
        index: ch,
        count,
        picture: CowArray::from(fm.maps.index_axis(Axis(0), ch)),
        layer_values: fm.maps.iter().copied().collect(),
        signed: id.is(Stage::Conv),
        lens: lens(snap, (id, ch), input, input_name).unwrap_or_else(Lens::Unavailable),
    })
}

/// The microscope's tensors for channel `ch` of layer `id`, with the kernel, stride and
/// padding of the network that took the snapshot (its `blocks`), checked against its maps.
fn lens<'a>(
    snap: &'a Snapshot,
    (id, ch): (LayerId, usize),
    input: ArrayView3<'a, f32>,
    input_name: String,
) -> Result<Lens<'a>, String> {
    let stale = || "this snapshot's tensors do not match its plan".to_string();
    let plan = crate::nn::plan::plan(&snap.blocks).map_err(|e| e.to_string())?;
    let row = plan.layer(id).ok_or_else(stale)?;
    let (c, h, w) = input.dim();
    let out = snap
        .feature_maps
        .iter()
        .find(|fm| fm.id == id)
        .map(|fm| fm.maps.dim());
    if row.in_shape != [c, h, w] || out != Some(row.out_shape.into()) {
        return Err(stale());
    }
    let pick = |x: ArrayView3<'a, f32>| x.index_axis_move(Axis(0), ch.min(c.saturating_sub(1)));
    match row.kind {
        LayerKind::Conv => conv_lens(snap, row, ch, input, input_name).ok_or_else(stale),
        LayerKind::MaxPool | LayerKind::AvgPool => Ok(Lens::Pool(PoolLens {
            input: pick(input),
            input_name,
            window: row.kernel,
            op: if row.kind == LayerKind::MaxPool {
                Pooling::Max
            } else {
                Pooling::Avg
            },
        })),
        LayerKind::Relu => Ok(Lens::Relu(pick(input))),
        LayerKind::Flatten | LayerKind::Dense => Ok(Lens::Plain),
    }
}

/// Filter `ch` of the conv layer of plan row `row` and its bias, if the snapshot's kernel
/// fits the row and the input.
fn conv_lens<'a>(
    snap: &'a Snapshot,
    row: &LayerInfo,
    ch: usize,
    input: ArrayView3<'a, f32>,
    input_name: String,
) -> Option<Lens<'a>> {
    let block = row.id.block()?;
    let kernel = snap.filters.get(block)?;
    let bias = *snap.biases.get(block)?.get(ch)?;
    let (f, fc, k, _) = kernel.dim();
    let (c, h, _) = input.dim();
    let side = conv_out_len(h, k, row.stride, row.padding);
    if fc != c || ch >= f || k != row.kernel || side != Some(row.out_shape[1]) {
        return None;
    }
    Some(Lens::Conv(ConvLens {
        input,
        input_name,
        filter: kernel.index_axis(Axis(0), ch),
        bias,
        stride: row.stride,
        padding: row.padding,
    }))
}

/// A filter `(C, K, K)` of `filters` (each conv layer's `(out, in, k, k)`) as one picture:
/// its channels side by side, one NaN column between; `whence` says whose weights they are
/// in its name when they are not the live ones.
fn filter_scene<'a>(
    filters: &'a [ndarray::Array4<f32>],
    block: usize,
    filter: usize,
    whence: Option<String>,
) -> Result<Scene<'a>, String> {
    let kernel = filters
        .get(block)
        .ok_or("this block is not in the network any more: Esc, then Enter on another filter")?;
    let (count, c, k, _) = kernel.dim();
    let f = filter.min(count.saturating_sub(1));
    let w = kernel.index_axis(Axis(0), f);
    let mut picture = Array2::from_elem((k, c * (k + 1) - 1), f32::NAN);
    for ch in 0..c {
        let x = ch * (k + 1);
        picture
            .slice_mut(s![.., x..x + k])
            .assign(&w.index_axis(Axis(0), ch));
    }
    Ok(Scene {
        name: match whence {
            None => format!("conv{} filter", block + 1),
            Some(w) => format!("conv{} filter ({w})", block + 1),
        },
        index: f,
        count,
        picture: CowArray::from(picture),
        layer_values: kernel.iter().copied().collect(),
        signed: true,
        lens: Lens::Plain,
    })
}

/// Which channel and tap of a filter picture's column `x` is: `(channel, column in the
/// kernel)`, or `None` on the gap between two channels.
pub fn filter_column(x: usize, k: usize) -> Option<(usize, usize)> {
    let (ch, v) = (x / (k + 1), x % (k + 1));
    (v < k).then_some((ch, v))
}
