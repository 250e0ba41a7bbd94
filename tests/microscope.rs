//! The microscope's arithmetic is the network's: for every stride in {1, 2, 3} and padding in
//! {0, 1, 2}, the patch × kernel products, their sum and the bias give the conv layer's own
//! output at every pixel, and max(0, ·) the ReLU's; the pooling readout gives the pooling
//! layer's output, max and average. Checked on the layers directly, and through the app (the
//! snapshot of a real network, resolved as the focus view resolves it).

use cnn_tui::config::{Arch, Hyper};
use cnn_tui::nn::activation::Relu;
use cnn_tui::nn::conv::Conv2d;
use cnn_tui::nn::plan::{ConvBlock, LayerId, PoolKind, conv_out_len};
use cnn_tui::nn::pool::{AvgPool2d, MaxPool2d};
use cnn_tui::nn::{Layer, Network, Tensor};
use cnn_tui::train::messages::{Snapshot, Update};
use cnn_tui::ui::App;
use cnn_tui::ui::demo::demo_digit;
use cnn_tui::ui::focus::Target;
use cnn_tui::ui::readout::{conv_readout, pool_readout};
use cnn_tui::ui::scene::{Lens, resolve};
use cnn_tui::ui::widgets::colormap::ColorMode;
use ndarray::{Array1, Array4, Axis};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() <= 1e-5 * b.abs().max(1.0)
}

fn uniform(rng: &mut ChaCha8Rng, dim: (usize, usize, usize, usize), lo: f32) -> Array4<f32> {
    Array4::from_shape_simple_fn(dim, || rng.random_range(lo..1.0))
}

#[test]
fn the_microscope_gives_the_conv_layers_output_for_every_stride_and_padding() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut checked = 0;
    for stride in 1..=3 {
        for padding in 0..=2 {
            for (c, k) in [(1, 3), (3, 3), (2, 5)] {
                let x = uniform(&mut rng, (1, c, 11, 9), 0.0);
                let w = uniform(&mut rng, (4, c, k, k), -1.0);
                let b = Array1::from_shape_simple_fn(4, || rng.random_range(-1.0..1.0));
                let mut conv = Conv2d::from_weights("conv", w.clone(), b.clone(), stride, padding);
                let y = conv.forward(&x);
                let relu = Relu::new("relu").forward(&y);
                let image = x.index_axis(Axis(0), 0);
                for ((_, f, i, j), &want) in y.indexed_iter() {
                    let filter = w.index_axis(Axis(0), f);
                    let r = conv_readout(image, filter, b[f], (stride, padding), (i, j));
                    let at = format!("s {stride} p {padding} c {c} k {k} f {f} ({i}, {j})");
                    assert!(close(r.result, want), "{at}: {} vs {want}", r.result);
                    assert!(close(r.relu, relu[[0, f, i, j]]), "{at}: ReLU");
                    assert!(close(r.sum + r.bias, r.result), "{at}: sum + bias");
                    let parts: f32 = r.channel_sums.iter().sum();
                    assert!(close(parts, r.sum), "{at}: the channels add up");
                    let outside = |o: usize, len: usize| o < padding || o >= len + padding;
                    for ((ch, u, v), tap) in r.patch.indexed_iter() {
                        let (yy, xx) = (i * stride + u, j * stride + v);
                        let pad = outside(yy, 11) || outside(xx, 9);
                        assert_eq!(tap.is_none(), pad, "{at}: tap ({u}, {v})");
                        let product = tap.map_or(0.0, |p| p * filter[[ch, u, v]]);
                        assert_eq!(r.products[[ch, u, v]], product, "{at}: product");
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "{checked} pixels checked");
}

#[test]
fn the_pooling_readout_gives_the_pooling_layers_output_max_and_average() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for window in [2, 3] {
        // 7 is not a multiple of 2 or 3: the last row and column are never read.
        let x = uniform(&mut rng, (1, 2, 7, 7), -1.0);
        let max = MaxPool2d::new("max", window).forward(&x);
        let avg = AvgPool2d::new("avg", window).forward(&x);
        assert_eq!(max.dim(), (1, 2, 7 / window, 7 / window));
        for ((_, c, i, j), &want) in max.indexed_iter() {
            let r = pool_readout(x.slice(ndarray::s![0, c, .., ..]), window, (i, j));
            assert_eq!(r.max, want, "window {window} ({i}, {j})");
            assert!(
                close(r.mean, avg[[0, c, i, j]]),
                "window {window} ({i}, {j}) mean"
            );
            assert_eq!(r.window[r.argmax], r.max);
            assert_eq!(r.origin, (i * window, j * window));
        }
    }
}

/// A real network's snapshot of the demo digit with random biases, in a fresh app.
fn app_with_network(blocks: &[ConvBlock]) -> (App, Snapshot) {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut net = Network::new(blocks, &mut rng).unwrap();
    for p in net.params() {
        let mut value = p.value;
        if value.ndim() == 1 {
            value.mapv_inplace(|_| rng.random_range(-0.5..0.5));
        }
    }
    let image = demo_digit();
    let x = Tensor::from_shape_vec((1, 1, 28, 28), image.iter().copied().collect()).unwrap();
    let (feature_maps, probabilities) = net.trace(&x);
    let snapshot = Snapshot {
        step: 1,
        probe_index: 0,
        probe_image: image,
        probe_label: 7,
        probabilities,
        feature_maps,
        filters: net.filters(),
        biases: net.biases(),
        blocks: blocks.to_vec(),
    };
    let arch = Arch {
        blocks: blocks.to_vec(),
    };
    let mut app = App::new(
        "t".into(),
        10,
        arch,
        Hyper::default(),
        0,
        ColorMode::TrueColor,
    );
    app.apply(Update::Snapshot(Box::new(snapshot.clone())));
    (app, snapshot)
}

/// What the focus view computes for every pixel of every conv and pooling map of a real
/// network is that network's output there.
#[test]
fn the_focus_view_redoes_a_real_networks_every_conv_and_pool_pixel() {
    for (stride, padding, pool) in [
        (1, 1, PoolKind::Max),
        (2, 1, PoolKind::Avg),
        (3, 2, PoolKind::Max),
    ] {
        let first = ConvBlock {
            stride,
            padding,
            ..ConvBlock::new(3, 3, pool)
        };
        let blocks = [first, ConvBlock::new(4, 3, PoolKind::Avg)];
        let (app, snap) = app_with_network(&blocks);
        let mut kinds = 0;
        for fm in &snap.feature_maps {
            for (ch, map) in fm.maps.outer_iter().enumerate() {
                let target = Target::Map {
                    layer: fm.id,
                    channel: ch,
                };
                let scene = resolve(&app, target).unwrap();
                for ((i, j), &want) in map.indexed_iter() {
                    let at = format!("{} s{stride} p{padding} map {ch} ({i}, {j})", fm.layer);
                    match &scene.lens {
                        Lens::Conv(l) => assert!(close(l.readout((i, j)).result, want), "{at}"),
                        Lens::Pool(l) => {
                            let kind = blocks[fm.id.block().unwrap()].pool;
                            let r = l.readout((i, j));
                            let got = if kind == PoolKind::Max { r.max } else { r.mean };
                            assert!(close(got, want), "{at}");
                        }
                        Lens::Relu(before) => assert_eq!(before[(i, j)].max(0.0), want, "{at}"),
                        other => panic!("{at}: no microscope: {other:?}"),
                    }
                }
            }
            kinds += 1;
        }
        assert_eq!(kinds, 6, "conv, ReLU and pool of both blocks");
        let side = conv_out_len(28, 3, stride, padding).unwrap();
        assert_eq!(snap.feature_maps[0].maps.dim(), (3, side, side));
        assert_eq!(snap.feature_maps[0].id, LayerId::conv(0));
    }
}
