//! A fixed, seeded dashboard state for snapshot tests, the fuzz test and the render benchmark:
//! a hand-drawn "7", edge-like filters, maps computed from them, and a training history.

use super::app::App;
use super::widgets::colormap::ColorMode;
use crate::config::{Arch, Hyper};
use crate::nn::FeatureMap;
use crate::nn::plan::{ArchPlan, INPUT_SIDE, LayerKind};
use crate::nn::reference::{self, Pooling};
use crate::train::messages::{EvalMetrics, EvalSet, Snapshot, StepMetrics, Update, WorkerStatus};
use ndarray::{Array1, Array2, Array4, Axis};

/// A small linear congruential generator: the same numbers on every machine.
struct Lcg(u64);

impl Lcg {
    /// Uniform in [-1, 1).
    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }
}

/// A 28×28 "7": a bar and a diagonal stroke with soft edges.
pub fn demo_digit() -> Array2<f32> {
    Array2::from_shape_fn((INPUT_SIDE, INPUT_SIDE), |(y, x)| {
        let (xf, yf) = (x as f32, y as f32);
        let bar = if (6.0..=21.0).contains(&xf) {
            (1.6 - (yf - 7.0).abs()).clamp(0.0, 1.0)
        } else {
            0.0
        };
        // Diagonal from (21, 8) down to (12, 23): distance to the segment.
        let (ax, ay, bx, by) = (21.0, 8.0, 12.0, 23.0);
        let t = (((xf - ax) * (bx - ax) + (yf - ay) * (by - ay))
            / ((bx - ax).powi(2) + (by - ay).powi(2)))
        .clamp(0.0, 1.0);
        let d = ((xf - ax - t * (bx - ax)).powi(2) + (yf - ay - t * (by - ay)).powi(2)).sqrt();
        bar.max((1.8 - d).clamp(0.0, 1.0))
    })
}

/// Filters for `arch`: conv1 as oriented edges, deeper layers seeded noise.
fn demo_filters(arch: &Arch, rng: &mut Lcg) -> Vec<Array4<f32>> {
    let mut channels = 1;
    let mut out = Vec::new();
    for (i, b) in arch.blocks.iter().enumerate() {
        let c = channels;
        let half = (b.kernel as f32 - 1.0) / 2.0;
        let w = Array4::from_shape_fn((b.filters, c, b.kernel, b.kernel), |(f, _, y, x)| {
            let angle = f as f32 * std::f32::consts::PI / b.filters as f32;
            let edge = angle.cos() * (x as f32 - half) + angle.sin() * (y as f32 - half);
            if i == 0 { 0.4 * edge } else { 0.0 }
        });
        out.push(w.mapv(|v| v + 0.15 * rng.next()));
        channels = b.filters;
    }
    out
}

/// Every conv, ReLU and pool layer's output for `image` `(28, 28)`, as `Network::trace`
/// gives them, computed with the plain convolution from the demo filters and biases.
fn demo_maps(
    plan: &ArchPlan,
    image: &Array2<f32>,
    filters: &[Array4<f32>],
    biases: &[Array1<f32>],
) -> Vec<FeatureMap> {
    let mut x = image.clone().insert_axis(Axis(0)); // (28, 28) → (1, 28, 28)
    let mut maps = Vec::new();
    for row in &plan.layers {
        let Some(block) = row.id.block() else {
            break; // flatten and dense: no maps
        };
        x = match row.kind {
            LayerKind::Conv => {
                let (w, b) = (&filters[block], &biases[block]);
                reference::conv_map(x.view(), w.view(), b.view(), row.stride, row.padding)
            }
            LayerKind::Relu => x.mapv(|v| v.max(0.0)),
            LayerKind::MaxPool => reference::pool_map(x.view(), Pooling::Max, row.kernel),
            LayerKind::AvgPool => reference::pool_map(x.view(), Pooling::Avg, row.kernel),
            LayerKind::Flatten | LayerKind::Dense => break,
        };
        maps.push(FeatureMap {
            id: row.id,
            layer: row.name.clone(),
            maps: x.clone(),
        });
    }
    maps
}

/// A snapshot of `arch` for the demo digit, maps computed from the demo filters (biases 0);
/// without maps when `arch` cannot be planned.
pub fn demo_snapshot(arch: &Arch, probe_index: usize, step: usize) -> Snapshot {
    demo_snapshot_biased(arch, probe_index, step, 0.0)
}

/// `demo_snapshot` with seeded biases in [−`bias`, `bias`), the maps computed with them, so
/// that a test sees the bias take part in the sum.
pub fn demo_snapshot_biased(arch: &Arch, probe_index: usize, step: usize, bias: f32) -> Snapshot {
    let mut rng = Lcg(7);
    let image = demo_digit();
    let filters = demo_filters(arch, &mut rng);
    let biases: Vec<Array1<f32>> = filters
        .iter()
        .map(|w| Array1::from_shape_fn(w.dim().0, |_| bias * rng.next() + 0.0)) // + 0: no −0
        .collect();
    let feature_maps = arch.plan().map_or_else(
        |_| Vec::new(),
        |plan| demo_maps(&plan, &image, &filters, &biases),
    );
    let probabilities = [
        0.002, 0.011, 0.034, 0.021, 0.004, 0.003, 0.001, 0.873, 0.012, 0.039,
    ];
    Snapshot {
        step,
        probe_index,
        probe_image: image,
        probe_label: 7,
        probabilities,
        feature_maps,
        filters,
        biases,
        blocks: arch.blocks.clone(),
    }
}

/// A populated dashboard: 1,200 steps of history, evaluations, a snapshot and a banner.
#[doc(hidden)]
pub fn demo_app() -> App {
    let arch = Arch::default();
    let hyper = Hyper::default();
    let mut app = App::new(
        "MNIST (built in)".into(),
        10_000,
        arch.clone(),
        hyper,
        7,
        ColorMode::TrueColor,
    );
    let mut rng = Lcg(42);
    let steps_per_epoch = 55_000 / hyper.batch;
    let steps: Vec<StepMetrics> = (1..=1200)
        .map(|step| {
            let t = step as f32;
            StepMetrics {
                step,
                epoch: step / steps_per_epoch,
                epoch_progress: (step % steps_per_epoch) as f32 / steps_per_epoch as f32,
                loss: (2.2 * (-t / 150.0).exp() + 0.12 + 0.08 * rng.next()).max(0.01),
                batch_accuracy: 0.97 - 0.85 * (-t / 150.0).exp(),
                lr: hyper.lr * (t / 200.0).min(1.0),
                samples_per_sec: 2450.0,
            }
        })
        .collect();
    app.apply(Update::Steps(steps));
    for step in (100..=1200).step_by(100) {
        let accuracy = 0.985 - 0.7 * (-(step as f32) / 180.0).exp();
        let eval = EvalMetrics {
            step,
            epoch: 0,
            set: EvalSet::Validation,
            loss: 0.1,
            accuracy,
            samples: 5000,
        };
        app.apply(Update::Eval(eval));
    }
    app.apply(Update::Snapshot(Box::new(demo_snapshot(&arch, 7, 1200))));
    app.apply(Update::Status(WorkerStatus::Rebuilt(demo_rebuild(arch))));
    app
}

/// What the trainer reports after conv1's stride went from 2 back to 1: the filters' shapes
/// did not change, the dense layer's input did.
fn demo_rebuild(after: Arch) -> crate::train::rebuild::RebuildOutcome {
    let mut before = after.clone();
    before.blocks[0].stride = 2;
    crate::train::rebuild::RebuildOutcome {
        before,
        after,
        kept: vec!["conv1".into(), "conv2".into()],
        reinitialised: vec!["dense".into()],
    }
}
