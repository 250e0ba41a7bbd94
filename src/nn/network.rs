//! The network: the layers of a checked plan (`plan::plan`), in order, with the loss on top.
//!
//! # Shapes
//! - input `(N, 1, 28, 28)` → each block `(N, F, H', W')` → flatten `(N, D, 1, 1)`
//!   → dense `(N, 10, 1, 1)` → logits `(N, 10)`
//!
//! `layers()[i]` is the layer of `plan().layers[i]`: same order, same name.

use super::activation::Relu;
use super::conv::Conv2d;
use super::dense::Dense;
use super::flatten::Flatten;
use super::loss::{softmax, softmax_cross_entropy};
use super::plan::{
    self, ArchError, ArchPlan, CLASSES, ConvBlock, INPUT_CHANNELS, INPUT_SIDE, LayerId, LayerInfo,
    LayerKind,
};
use super::pool::{AvgPool2d, MaxPool2d};
use super::{Layer, Param, Sgd, Tensor};
use ndarray::{Array1, Array2, Array3, Array4, Axis};
use rand::Rng;

/// Mean loss over a batch and how many of its samples were classified correctly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchResult {
    pub loss: f32,
    pub correct: usize,
}

/// One layer's output for one image.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureMap {
    /// Which layer: ask this, not the name.
    pub id: LayerId,
    /// Layer name from the ledger, for display, e.g. `conv1`, `relu1`, `maxpool1`.
    pub layer: String,
    /// `(C, H, W)`.
    pub maps: Array3<f32>,
}

pub struct Network {
    blocks: Vec<ConvBlock>,
    plan: ArchPlan,
    layers: Vec<Box<dyn Layer>>,
    /// Each layer's output and input gradient of the last batch, handed back to it on the
    /// next (`Layer::forward_reusing`) so that their memory is reused, not reallocated.
    spare_out: Vec<Tensor>,
    spare_grad: Vec<Tensor>,
    /// The conv layers that ran fused with their ReLU and max-pool in the last forward.
    fused: Vec<usize>,
}

/// The layer of one ledger row, freshly initialised.
fn build_layer<R: Rng + ?Sized>(row: &LayerInfo, rng: &mut R) -> Box<dyn Layer> {
    let name = row.name.clone();
    let (c_in, c_out) = (row.in_shape[0], row.out_shape[0]);
    match row.kind {
        LayerKind::Conv => Box::new(Conv2d::new(
            name,
            c_in,
            c_out,
            row.kernel,
            row.stride,
            row.padding,
            rng,
        )),
        LayerKind::Relu => Box::new(Relu::new(name)),
        LayerKind::MaxPool => Box::new(MaxPool2d::new(name, row.kernel)),
        LayerKind::AvgPool => Box::new(AvgPool2d::new(name, row.kernel)),
        LayerKind::Flatten => Box::new(Flatten::new(name)),
        LayerKind::Dense => Box::new(Dense::new(name, c_in, c_out, rng)),
    }
}

impl Network {
    /// Plan `blocks` and build their layers, initialised from `rng` (the same seed gives the
    /// same weights).
    pub fn new(blocks: &[ConvBlock], rng: &mut impl Rng) -> Result<Network, ArchError> {
        let plan = plan::plan(blocks)?;
        let layers: Vec<_> = plan
            .layers
            .iter()
            .map(|row| build_layer(row, rng))
            .collect();
        let spares = || {
            (0..layers.len())
                .map(|_| Tensor::zeros((0, 0, 0, 0)))
                .collect()
        };
        Ok(Network {
            blocks: blocks.to_vec(),
            plan,
            spare_out: spares(),
            spare_grad: spares(),
            fused: Vec::new(),
            layers,
        })
    }

    /// A copy with the same blocks and weights (no gradients, no cached activations), for
    /// work on another thread while this one trains on.
    pub fn duplicate(&mut self) -> Network {
        let blocks = self.blocks.clone();
        // The copy's weights are overwritten below; the generator only sizes them.
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0);
        let mut copy =
            Network::new(&blocks, &mut rng).expect("a network's own blocks are a valid plan");
        for (to, from) in copy.params().iter_mut().zip(self.params()) {
            to.value.assign(&from.value);
        }
        copy
    }

    /// The blocks the network was built from.
    pub fn blocks(&self) -> &[ConvBlock] {
        &self.blocks
    }

    pub fn plan(&self) -> &ArchPlan {
        &self.plan
    }

    pub fn layers(&self) -> &[Box<dyn Layer>] {
        &self.layers
    }

    pub fn layers_mut(&mut self) -> &mut [Box<dyn Layer>] {
        &mut self.layers
    }

    /// Logits `(N, 10)` of a batch `(N, 1, 28, 28)`; every layer caches what backward needs.
    /// A conv followed by a ReLU and a max-pool runs as one (`Layer::forward_fused`).
    pub fn forward(&mut self, x: &Tensor) -> Array2<f32> {
        let (n, c, h, w) = x.dim();
        assert_eq!(
            (c, h, w),
            (INPUT_CHANNELS, INPUT_SIDE, INPUT_SIDE),
            "the network takes (N, 1, 28, 28)"
        );
        self.fused.clear();
        // The running activation and the layer whose output it is (None: the input).
        let mut h: Option<(Tensor, usize)> = None;
        let mut i = 0;
        while i < self.layers.len() {
            let input = h.as_ref().map_or(x, |(t, _)| t);
            let (y, last) = match self.fused_window(i) {
                Some(win) => {
                    let spare = std::mem::take(&mut self.spare_out[i + 2]);
                    self.fused.push(i);
                    (self.layers[i].forward_fused(input, win, spare), i + 2)
                }
                None => {
                    let spare = std::mem::take(&mut self.spare_out[i]);
                    (self.layers[i].forward_reusing(input, spare), i)
                }
            };
            if let Some((used, owner)) = h.replace((y, last)) {
                self.spare_out[owner] = used; // that layer's output, used up
            }
            i = last + 1;
        }
        let (logits, _) = h.expect("a network has layers");
        logits
            .into_shape_with_order((n, CLASSES))
            .expect("the dense layer gives (N, 10, 1, 1)") // (N,10,1,1) → (N,10)
    }

    /// The pool window when layer `i` is a conv that can run fused with the ReLU and the
    /// max-pool after it (`Layer::forward_fused`).
    fn fused_window(&self, i: usize) -> Option<usize> {
        let rows = &self.plan.layers;
        let kinds = (rows.get(i + 1)?.kind, rows.get(i + 2)?.kind);
        let fits = kinds == (LayerKind::Relu, LayerKind::MaxPool) && self.layers[i].fusable();
        fits.then(|| rows[i + 2].kernel)
    }

    /// Each layer's output `(N, C, H, W)` of the last `forward`, input side first, where it
    /// reached memory: `None` for the conv and ReLU of a fused block (`forward_fused` keeps
    /// only the pool's output), for the last layer (its logits went to the loss) and before
    /// any forward. For per-layer statistics without another forward pass (`stats`).
    pub fn last_outputs(&self) -> Vec<Option<&Tensor>> {
        let in_fused = |i: usize| self.fused.iter().any(|&f| i == f || i == f + 1);
        let last = self.layers.len().saturating_sub(1);
        (0..self.layers.len())
            .map(|i| {
                let t = &self.spare_out[i];
                (i != last && !in_fused(i) && !t.is_empty()).then_some(t)
            })
            .collect()
    }

    /// Zero the gradients, run forward, the loss and backward: every gradient is filled.
    pub fn loss_and_backward(&mut self, x: &Tensor, labels: &[u8]) -> BatchResult {
        self.zero_grad();
        let logits = self.forward(x); // (N,10)
        let (loss, dlogits, correct) = softmax_cross_entropy(logits.view(), labels);
        let n = labels.len();
        let mut dy = dlogits
            .into_shape_with_order((n, CLASSES, 1, 1))
            .expect("standard layout"); // (N,10) → (N,10,1,1)
        // The layer whose input gradient `dy` is (None: the loss's).
        let mut owner = None;
        let mut end = self.layers.len();
        while end > 0 {
            // The layers start..end run backward as one: a fused block or a single layer.
            let fused = end >= 3 && self.fused.contains(&(end - 3));
            let start = if fused { end - 3 } else { end - 1 };
            let layer = &mut self.layers[start];
            if start == 0 {
                // Nobody needs the gradient of the images.
                match fused {
                    true => drop(layer.backward_fused(&dy, None)),
                    false => layer.backward_params_only(&dy),
                }
                break;
            }
            let spare = std::mem::take(&mut self.spare_grad[start]);
            let dx = match fused {
                true => layer
                    .backward_fused(&dy, Some(spare))
                    .expect("asked for dx"),
                false => layer.backward_reusing(&dy, spare),
            };
            let used = std::mem::replace(&mut dy, dx);
            if let Some(o) = owner.replace(start) {
                self.spare_grad[o] = used; // that layer's input gradient, used up
            }
            end = start;
        }
        if let Some(o) = owner {
            self.spare_grad[o] = dy;
        }
        BatchResult { loss, correct }
    }

    /// One step of training: `loss_and_backward`, then the optimiser's update.
    pub fn train_step(&mut self, x: &Tensor, labels: &[u8], opt: &mut Sgd) -> BatchResult {
        let result = self.loss_and_backward(x, labels);
        opt.step(self.params());
        result
    }

    /// Mean loss and correct count of a batch, without touching the weights or gradients.
    pub fn evaluate(&mut self, x: &Tensor, labels: &[u8]) -> BatchResult {
        let logits = self.forward(x);
        let (loss, _, correct) = softmax_cross_entropy(logits.view(), labels);
        BatchResult { loss, correct }
    }

    pub fn zero_grad(&mut self) {
        self.layers.iter_mut().for_each(|l| l.zero_grad());
    }

    /// Every (value, gradient) pair, input side first.
    pub fn params(&mut self) -> Vec<Param<'_>> {
        self.layers.iter_mut().flat_map(|l| l.params()).collect()
    }

    /// Every conv, ReLU and pool layer's output `(C, H, W)` for one image `(1, 1, 28, 28)`,
    /// input side first, and the softmax probabilities.
    pub fn trace(&mut self, image: &Tensor) -> (Vec<FeatureMap>, [f32; 10]) {
        assert_eq!(
            image.dim(),
            (1, INPUT_CHANNELS, INPUT_SIDE, INPUT_SIDE),
            "trace takes one image"
        );
        let mut maps = Vec::new();
        let mut h = image.clone();
        for (layer, row) in self.layers.iter_mut().zip(&self.plan.layers) {
            h = layer.forward(&h);
            if !matches!(row.kind, LayerKind::Flatten | LayerKind::Dense) {
                maps.push(FeatureMap {
                    id: row.id,
                    layer: row.name.clone(),
                    maps: h.index_axis(Axis(0), 0).to_owned(),
                }); // (1,C,H,W) → (C,H,W)
            }
        }
        let logits = h
            .into_shape_with_order((1, CLASSES))
            .expect("(1, 10, 1, 1)"); // → (1,10)
        let p = softmax(logits.view());
        let mut probabilities = [0.0; CLASSES];
        probabilities
            .iter_mut()
            .zip(p.iter())
            .for_each(|(d, &v)| *d = v);
        (maps, probabilities)
    }

    /// Each conv layer's weights `(out, in, k, k)`, conv1 first.
    pub fn filters(&self) -> Vec<Array4<f32>> {
        self.layers
            .iter()
            .filter_map(|l| l.kernel())
            .map(|k| k.to_owned())
            .collect()
    }

    /// Each conv layer's biases `(out)`, conv1 first.
    pub fn biases(&self) -> Vec<Array1<f32>> {
        self.layers
            .iter()
            .filter_map(|l| l.bias())
            .map(|b| b.to_owned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::plan::PoolKind;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// The default and tiny presets, written out: the engine does not know the presets.
    const DEFAULT: [ConvBlock; 2] = [
        ConvBlock::new(8, 3, PoolKind::Max),
        ConvBlock::new(16, 3, PoolKind::Max),
    ];
    const TINY: [ConvBlock; 1] = [ConvBlock::new(8, 3, PoolKind::Max)];

    #[test]
    fn network_is_send() {
        fn send<T: Send>() {}
        send::<Network>();
    }

    #[test]
    fn layers_follow_the_plan() {
        let net = Network::new(&DEFAULT, &mut ChaCha8Rng::seed_from_u64(1)).unwrap();
        let names: Vec<_> = net.layers().iter().map(|l| l.name()).collect();
        let planned: Vec<_> = net.plan().layers.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, planned);
        assert_eq!(
            net.filters().iter().map(|f| f.dim()).collect::<Vec<_>>(),
            vec![(8, 1, 3, 3), (16, 8, 3, 3)]
        );
        let biases: Vec<_> = net.biases().iter().map(|b| b.len()).collect();
        assert_eq!(biases, vec![8, 16]);
    }

    #[test]
    fn first_loss_is_about_ln_10_and_trace_names_and_identifies_the_maps() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut net = Network::new(&DEFAULT, &mut rng).unwrap();
        let x = Tensor::from_shape_simple_fn((16, 1, 28, 28), || rng.random::<f32>());
        let labels: Vec<u8> = (0..16).map(|i| (i % 10) as u8).collect();
        let r = net.evaluate(&x, &labels);
        assert!((r.loss - 10f32.ln()).abs() < 0.5, "first loss {}", r.loss);
        let (maps, p) = net.trace(&x.slice_axis(Axis(0), (0..1).into()).to_owned());
        let names: Vec<_> = maps.iter().map(|m| m.layer.as_str()).collect();
        assert_eq!(
            names,
            ["conv1", "relu1", "maxpool1", "conv2", "relu2", "maxpool2"]
        );
        assert_eq!(maps[2].maps.dim(), (8, 14, 14));
        let ids: Vec<_> = maps.iter().map(|m| m.id).collect();
        let planned: Vec<_> = net.plan().layers[..6].iter().map(|l| l.id).collect();
        assert_eq!(ids, planned);
        assert_eq!(net.blocks(), DEFAULT);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }

    #[test]
    fn a_few_samples_can_be_overfitted() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut net = Network::new(&TINY, &mut rng).unwrap();
        let x = Tensor::from_shape_simple_fn((20, 1, 28, 28), || rng.random::<f32>());
        let labels: Vec<u8> = (0..20).map(|i| (i % 10) as u8).collect();
        let mut opt = Sgd::new(0.05, 0.9, 0.0);
        let first = net.train_step(&x, &labels, &mut opt);
        let mut last = first;
        for _ in 0..100 {
            last = net.train_step(&x, &labels, &mut opt);
        }
        assert!(
            last.loss < 0.05 && last.correct == 20,
            "loss {} → {}",
            first.loss,
            last.loss
        );
    }
}
