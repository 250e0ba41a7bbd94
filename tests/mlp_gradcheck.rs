//! The fully connected baseline's gradient check: the engine's gradients of the batch-mean
//! cross-entropy against centred finite differences of a plain f64 re-implementation of the
//! MLP's forward pass (which also checks the engine's loss). Every parameter tensor: the
//! biases and fc2 whole, fc1 on a sample of its entries (always the first and the last).

use cnn_tui::nn::mlp::{Mlp, PIXELS};
use cnn_tui::nn::{Param, Tensor};
use ndarray::{Array1, Array2, ArrayD, Ix1, Ix2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const TOLERANCE: f64 = 1e-2;
const EPS: f64 = 1e-4;

/// The MLP's parameters in f64: fc1 `(H, 784)`, fc1 bias `(H)`, fc2 `(10, H)`, fc2 bias `(10)`.
struct Weights {
    w1: Array2<f64>,
    b1: Array1<f64>,
    w2: Array2<f64>,
    b2: Array1<f64>,
}

fn as_f64(p: &Param<'_>) -> ArrayD<f64> {
    p.value.mapv(f64::from)
}

/// Pre-activations `(N, H)` and the mean cross-entropy, all in f64.
fn reference(wt: &Weights, x: &Array2<f64>, labels: &[u8]) -> (Array2<f64>, f64) {
    let z = x.dot(&wt.w1.t()) + &wt.b1; // (N,784)·(784,H) → (N,H)
    let a = z.mapv(|v| v.max(0.0));
    let logits = a.dot(&wt.w2.t()) + &wt.b2; // (N,H)·(H,10) → (N,10)
    let loss: f64 = logits
        .rows()
        .into_iter()
        .zip(labels)
        .map(|(row, &y)| {
            let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
            let lse = row.iter().map(|v| (v - max).exp()).sum::<f64>().ln() + max;
            lse - row[y as usize]
        })
        .sum();
    (z, loss / labels.len() as f64)
}

/// Add `d` to entry `i` of tensor `t`.
fn nudge(wt: &mut Weights, t: usize, i: usize, d: f64) {
    let slot = match t {
        0 => wt.w1.as_slice_mut().unwrap().get_mut(i),
        1 => wt.b1.as_slice_mut().unwrap().get_mut(i),
        2 => wt.w2.as_slice_mut().unwrap().get_mut(i),
        _ => wt.b2.as_slice_mut().unwrap().get_mut(i),
    };
    *slot.expect("an entry of the tensor") += d;
}

fn passes(analytic: f64, numeric: f64, scale: f64) -> bool {
    let err = (analytic - numeric).abs();
    err <= TOLERANCE * analytic.abs().max(numeric.abs()).max(1e-2 * scale) + 1e-7
}

#[test]
fn every_parameter_gradient_matches_finite_differences() {
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let mut mlp = Mlp::new(5, &mut rng);
    let n = 3;
    // Pixels in [0, 1] like MNIST's, a third of them zero like a digit's background.
    let x = Tensor::from_shape_simple_fn((n, 1, 28, 28), || {
        if rng.random_range(0..3) == 0 {
            0.0
        } else {
            rng.random_range(0.0f32..1.0)
        }
    });
    let labels = [3u8, 7, 0];
    let engine = mlp.loss_and_backward(&x, &labels);
    let params = mlp.params();
    let grads: Vec<ArrayD<f64>> = params.iter().map(|p| p.grad.mapv(f64::from)).collect();
    let mut wt = Weights {
        w1: as_f64(&params[0]).into_dimensionality::<Ix2>().unwrap(),
        b1: as_f64(&params[1]).into_dimensionality::<Ix1>().unwrap(),
        w2: as_f64(&params[2]).into_dimensionality::<Ix2>().unwrap(),
        b2: as_f64(&params[3]).into_dimensionality::<Ix1>().unwrap(),
    };
    drop(params);
    let xf = x
        .mapv(f64::from)
        .into_shape_with_order((n, PIXELS))
        .unwrap();
    let (z, loss) = reference(&wt, &xf, &labels);
    assert!(
        (loss - f64::from(engine.loss)).abs() < 1e-5,
        "engine loss {} vs reference {loss}",
        engine.loss
    );
    // No ReLU input within a nudge of its kink, else the difference quotient is meaningless.
    let nearest = z.iter().fold(f64::INFINITY, |m, v| m.min(v.abs()));
    assert!(
        nearest > 1e-2,
        "a pre-activation is {nearest}: pick another seed"
    );

    let mut checked = 0;
    for (t, grad) in grads.iter().enumerate() {
        let len = grad.len();
        let picks: Vec<usize> = if len <= 60 {
            (0..len).collect()
        } else {
            let mut v = vec![0, len - 1];
            v.extend((0..40).map(|_| rng.random_range(0..len)));
            v
        };
        let scale = grad.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(scale > 0.0, "tensor {t} has an all-zero gradient");
        for i in picks {
            nudge(&mut wt, t, i, EPS);
            let up = reference(&wt, &xf, &labels).1;
            nudge(&mut wt, t, i, -2.0 * EPS);
            let down = reference(&wt, &xf, &labels).1;
            nudge(&mut wt, t, i, EPS);
            let numeric = (up - down) / (2.0 * EPS);
            let analytic = grad.as_slice().unwrap()[i];
            assert!(
                passes(analytic, numeric, scale),
                "tensor {t} entry {i}: engine {analytic}, finite difference {numeric}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} entries checked");
}
