use super::*;
use crate::nn::plan::{ConvBlock, PoolKind};
use crate::train::analysis::tests::with_progress;
use rand::SeedableRng;

/// One 3×3 filter that copies the centre pixel (bias `bias`), then the rest at random.
fn copier(bias: f32) -> Network {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let mut net = Network::new(&[ConvBlock::new(1, 3, PoolKind::Max)], &mut rng).unwrap();
    for mut p in net.params() {
        match p.value.shape() {
            [1, 1, 3, 3] => {
                p.value.fill(0.0);
                p.value[[0, 0, 1, 1].as_slice()] = 1.0;
            }
            [1] => p.value.fill(bias),
            _ => {}
        }
    }
    net
}

/// Twelve digits, digit n black but for pixel (n + 2, n + 5) at 20·(n + 1).
fn dots() -> Dataset {
    let mut pixels = vec![0u8; 12 * 784];
    for n in 0..12 {
        pixels[n * 784 + (n + 2) * 28 + n + 5] = 20 * (n as u8 + 1);
    }
    Dataset::new(pixels, vec![0; 12])
}

#[test]
fn the_default_network_sees_3_then_8_pixels() {
    let blocks = [
        ConvBlock::new(8, 3, PoolKind::Max),
        ConvBlock::new(16, 3, PoolKind::Max),
    ];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let net = Network::new(&blocks, &mut rng).unwrap();
    let f = fields(net.plan());
    let of = |name: &str| {
        f[net
            .plan()
            .layers
            .iter()
            .position(|l| l.name == name)
            .unwrap()]
    };
    assert_eq!(
        of("conv1"),
        Field {
            size: 3,
            jump: 1,
            start: -1
        }
    );
    assert_eq!(
        of("maxpool1"),
        Field {
            size: 4,
            jump: 2,
            start: -1
        }
    );
    assert_eq!(
        of("conv2"),
        Field {
            size: 8,
            jump: 2,
            start: -3
        }
    );
}

#[test]
fn the_top_nine_are_the_brightest_dots_cropped_around_them() {
    let mut net = copier(0.0);
    let scan = with_progress(|p| compute(&mut net, (&dots(), &dots()), 40, p)).unwrap();
    assert_eq!(scan.step, 40);
    let layer = &scan.layers[0];
    assert_eq!((layer.name.as_str(), layer.field), ("conv1", 3));
    let top = &layer.filters[0].top;
    let indices: Vec<usize> = top.iter().map(|t| t.index).collect();
    assert_eq!(indices, vec![11, 10, 9, 8, 7, 6, 5, 4, 3]);
    for t in top {
        let n = t.index;
        assert_eq!(t.at, (n + 2, n + 5));
        assert!((t.value - 20.0 * (n + 1) as f32 / 255.0).abs() < 1e-6);
        // The 3×3 field around the dot: the dot in the middle, black around it.
        assert_eq!(t.patch.dim(), (3, 3));
        assert_eq!(t.patch[[1, 1]], t.value);
        assert_eq!(t.patch.iter().filter(|&&v| v == 0.0).count(), 8);
    }
    // One positive position a digit.
    assert!((layer.filters[0].active - 1.0 / 784.0).abs() < 1e-7);
    assert!(scan.dead(0.01).len() == 1, "{:?}", scan.dead(0.01));
}

#[test]
fn a_filter_that_never_fires_is_dead() {
    let mut net = copier(-2.0);
    let scan = with_progress(|p| compute(&mut net, (&dots(), &dots()), 0, p)).unwrap();
    assert!(scan.layers[0].filters[0].top.is_empty());
    assert_eq!(
        scan.dead(0.001),
        vec!["conv1 #1 dead: active on 0.0 % of positions".to_string()]
    );
}

#[test]
fn the_active_share_is_measured_on_the_validation_sample_not_the_test_set() {
    let mut net = copier(0.0);
    // Three validation digits, each with three lit pixels: 3 of 784 positions active.
    let mut pixels = vec![0u8; 3 * 784];
    for n in 0..3 {
        for k in 0..3 {
            pixels[n * 784 + 300 + 40 * k] = 200;
        }
    }
    let validation = Dataset::new(pixels, vec![0; 3]);
    let scan = with_progress(|p| compute(&mut net, (&dots(), &validation), 0, p)).unwrap();
    assert_eq!(
        (scan.active_set, scan.active_samples),
        (EvalSet::Validation, 3)
    );
    assert!((scan.layers[0].filters[0].active - 3.0 / 784.0).abs() < 1e-7);
    // The patches still come from the test set: the dots' digits.
    assert_eq!(scan.layers[0].filters[0].top[0].index, 11);
    // No validation set (`--validation 0`): the test set, and it says so.
    let empty = Dataset::new(Vec::new(), Vec::new());
    let scan = with_progress(|p| compute(&mut net, (&dots(), &empty), 0, p)).unwrap();
    assert_eq!((scan.active_set, scan.active_samples), (EvalSet::Test, 12));
    assert!((scan.layers[0].filters[0].active - 1.0 / 784.0).abs() < 1e-7);
}

#[test]
fn a_crop_at_the_edge_is_blank_in_the_padding() {
    let image = Array2::from_shape_fn((28, 28), |(r, c)| (r * 28 + c) as f32);
    let patch = crop(&image, (-1, 26), 3);
    assert!(patch.row(0).iter().all(|v| v.is_nan()));
    assert_eq!(patch[[1, 0]], 26.0);
    assert_eq!(patch[[1, 1]], 27.0);
    assert!(patch[[1, 2]].is_nan());
}
