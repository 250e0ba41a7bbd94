//! What each filter responds to: for every filter of every conv layer, the test digits whose
//! patches activate it most after its ReLU (one patch a digit, its strongest), cropped to the
//! filter's receptive field on the input; and how often each filter is active at all, over a
//! sample of the validation set (the data the network is judged on, not the test set).
//!
//! # Receptive field
//! Walking the layers from the input, a unit of a layer sees `size` input pixels a side, its
//! neighbours are `jump` pixels apart, and unit `(0, 0)`'s window starts at `start` (negative
//! in the padding): a conv (kernel K, stride S, padding P) makes `size += (K−1)·jump`,
//! `start −= P·jump`, `jump *= S`; a pool of window W is a conv with K = S = W, P = 0.

use super::{ANALYSIS_BATCH, Progress, Stopped};
use crate::data::dataset::Dataset;
use crate::nn::plan::{ArchPlan, LayerKind};
use crate::nn::{Network, Tensor};
use crate::train::messages::EvalSet;
use ndarray::{Array2, ArrayView2, Axis};

/// Patches kept a filter.
pub const TOP: usize = 9;

/// Where units of one layer look on the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub size: usize,
    pub jump: usize,
    pub start: isize,
}

impl Field {
    /// The input rows (or columns) unit `i` sees: from `start + i·jump`, `size` of them.
    pub fn origin(self, i: usize) -> isize {
        self.start + (i * self.jump) as isize
    }
}

/// The receptive field of the output of every layer of `plan`, in order.
pub fn fields(plan: &ArchPlan) -> Vec<Field> {
    let mut f = Field {
        size: 1,
        jump: 1,
        start: 0,
    };
    plan.layers
        .iter()
        .map(|row| {
            if matches!(
                row.kind,
                LayerKind::Conv | LayerKind::MaxPool | LayerKind::AvgPool
            ) {
                f.size += (row.kernel - 1) * f.jump;
                f.start -= (row.padding * f.jump) as isize;
                f.jump *= row.stride.max(1);
            }
            f
        })
        .collect()
}

/// The `size`×`size` square of `image` `(28, 28)` from `(top, left)`; NaN outside the image
/// (the padding: drawn blank).
pub fn crop(image: &Array2<f32>, (top, left): (isize, isize), size: usize) -> Array2<f32> {
    let (h, w) = image.dim();
    Array2::from_shape_fn((size, size), |(r, c)| {
        let (y, x) = (top + r as isize, left + c as isize);
        let inside = (0..h as isize).contains(&y) && (0..w as isize).contains(&x);
        if inside {
            image[[y as usize, x as usize]]
        } else {
            f32::NAN
        }
    })
}

/// One of a filter's strongest responses: its value, the digit and the unit's position.
#[derive(Debug, Clone, PartialEq)]
pub struct Top {
    pub value: f32,
    pub index: usize,
    pub at: (usize, usize),
    /// The receptive field's pixels `(size, size)`, NaN in the padding.
    pub patch: Array2<f32>,
}

/// One filter's findings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FilterFindings {
    /// Strongest first, at most `TOP`, one a digit.
    pub top: Vec<Top>,
    /// Share of positions (over the validation sample) where the ReLU output is above 0.
    pub active: f32,
}

/// One conv layer's findings.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerFindings {
    pub name: String,
    /// Receptive field side, in input pixels.
    pub field: usize,
    pub filters: Vec<FilterFindings>,
}

/// All conv layers' findings, on the weights of `step`.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterScan {
    pub step: usize,
    /// The split the active shares were measured on (the validation set unless it is empty)
    /// and the digits of it used.
    pub active_set: EvalSet,
    pub active_samples: usize,
    pub layers: Vec<LayerFindings>,
}

impl FilterScan {
    /// "conv2 #7 dead: active on 0.0 % of positions" for filters active on less than
    /// `threshold` of positions.
    pub fn dead(&self, threshold: f32) -> Vec<String> {
        let mut out = Vec::new();
        for layer in &self.layers {
            for (k, f) in layer.filters.iter().enumerate() {
                if f.active < threshold {
                    out.push(format!(
                        "{} #{} dead: active on {:.1} % of positions",
                        layer.name,
                        k + 1,
                        100.0 * f.active
                    ));
                }
            }
        }
        out
    }
}

/// The ReLU outputs `(N, F, H, W)` after each conv layer of a batch, with the conv's row.
fn relu_outputs(net: &mut Network, x: &Tensor) -> Vec<(usize, Tensor)> {
    let kinds: Vec<LayerKind> = net.plan().layers.iter().map(|r| r.kind).collect();
    let mut out = Vec::new();
    let mut h = x.clone();
    for (i, layer) in net.layers_mut().iter_mut().enumerate() {
        h = layer.forward(&h);
        if kinds[i] == LayerKind::Relu && i > 0 && kinds[i - 1] == LayerKind::Conv {
            out.push((i - 1, h.clone()));
        }
    }
    out
}

/// Validation digits over which each filter's active share is measured (the first ones of
/// the split): enough for a share of 0.1 % to be told from 0, a tenth of the scan's time.
pub const ACTIVE_SAMPLE: usize = 1000;

/// Scan all of `test` for each filter's top patches, and a sample of `validation` (its first
/// `ACTIVE_SAMPLE` digits; the test set's when it is empty, `--validation 0`) for its share of
/// active positions.
pub fn compute(
    net: &mut Network,
    (test, validation): (&Dataset, &Dataset),
    step: usize,
    progress: &Progress,
) -> Result<FilterScan, Stopped> {
    let (sample, active_set) = match validation.len() {
        0 => (test, EvalSet::Test),
        _ => (validation, EvalSet::Validation),
    };
    let samples = sample.len().min(ACTIVE_SAMPLE);
    let total = test.len() + samples;
    let mut scan = FilterScan {
        step,
        active_set,
        active_samples: samples,
        layers: Vec::new(),
    };
    scan_top(net, test, &mut scan, &|done| progress.report(done, total))?;
    let report = |done| progress.report(test.len() + done, total);
    let shares = active_shares(net, sample, samples, &report)?;
    for (layer, shares) in scan.layers.iter_mut().zip(shares) {
        for (f, share) in layer.filters.iter_mut().zip(shares) {
            f.active = share;
        }
    }
    Ok(scan)
}

/// Each conv filter's share of positions with a positive ReLU output `[layer][filter]`, over
/// the first `n` digits of `split`.
fn active_shares(
    net: &mut Network,
    split: &Dataset,
    n: usize,
    report: &dyn Fn(usize) -> Result<(), Stopped>,
) -> Result<Vec<Vec<f32>>, Stopped> {
    let mut counts: Vec<Vec<(usize, usize)>> = Vec::new(); // (active, positions) a filter
    let (mut x, mut labels) = (Tensor::zeros((0, 1, 28, 28)), Vec::new());
    let mut start = 0;
    while start < n {
        report(start)?;
        let end = (start + ANALYSIS_BATCH).min(n);
        split.range_batch(start, end, &mut x, &mut labels);
        for (k, (_, maps)) in relu_outputs(net, &x).into_iter().enumerate() {
            if counts.len() <= k {
                counts.push(vec![(0, 0); maps.dim().1]);
            }
            for sample in maps.outer_iter() {
                for (f, map) in sample.outer_iter().enumerate() {
                    let c = &mut counts[k][f];
                    c.0 += map.iter().filter(|&&v| v > 0.0).count();
                    c.1 += map.len();
                }
            }
        }
        start = end;
    }
    let share = |(a, all): (usize, usize)| a as f32 / all.max(1) as f32;
    Ok(counts
        .into_iter()
        .map(|l| l.into_iter().map(share).collect())
        .collect())
}

/// Keep digit `index`'s strongest response in `map` `(H, W)` among `top` if it is one of
/// the `TOP` strongest, with its patch of `image` `(28, 28)`.
fn keep_top(
    top: &mut Vec<Top>,
    map: ArrayView2<f32>,
    (index, image): (usize, ArrayView2<f32>),
    field: Field,
) {
    let Some((at, &value)) = map.indexed_iter().max_by(|a, b| a.1.total_cmp(b.1)) else {
        return;
    };
    if value <= 0.0 || (top.len() == TOP && top[TOP - 1].value >= value) {
        return;
    }
    let origin = (field.origin(at.0), field.origin(at.1));
    let patch = crop(&image.to_owned(), origin, field.size);
    top.push(Top {
        value,
        index,
        at,
        patch,
    });
    top.sort_by(|a, b| b.value.total_cmp(&a.value));
    top.truncate(TOP);
}

/// Fill `scan.layers` with each filter's `TOP` strongest patches over all of `split`.
fn scan_top(
    net: &mut Network,
    split: &Dataset,
    scan: &mut FilterScan,
    report: &dyn Fn(usize) -> Result<(), Stopped>,
) -> Result<(), Stopped> {
    let fields = fields(net.plan());
    let (mut x, mut labels) = (Tensor::zeros((0, 1, 28, 28)), Vec::new());
    let mut start = 0;
    while start < split.len() {
        report(start)?;
        let end = (start + ANALYSIS_BATCH).min(split.len());
        split.range_batch(start, end, &mut x, &mut labels);
        for (k, (row, maps)) in relu_outputs(net, &x).into_iter().enumerate() {
            if scan.layers.len() <= k {
                scan.layers.push(LayerFindings {
                    name: net.plan().layers[row].name.clone(),
                    field: fields[row].size,
                    filters: vec![FilterFindings::default(); maps.dim().1],
                });
            }
            let layer = &mut scan.layers[k];
            for (n, sample) in maps.outer_iter().enumerate() {
                let image = x
                    .view()
                    .index_axis_move(Axis(0), n)
                    .index_axis_move(Axis(0), 0);
                for (f, map) in sample.outer_iter().enumerate() {
                    let digit = (start + n, image);
                    keep_top(&mut layer.filters[f].top, map, digit, fields[row]);
                }
            }
        }
        start = end;
    }
    Ok(())
}

#[cfg(test)]
#[path = "filters_tests.rs"]
mod tests;
