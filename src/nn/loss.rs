//! Softmax and the softmax cross-entropy loss, numerically stable.
//!
//! # Shapes
//! - logits `(N, K)`, labels `N` class indices in `0..K`
//! - `dlogits` `(N, K)`, already divided by `N` (the loss is the batch mean)

use ndarray::{Array2, ArrayView1, ArrayView2, Zip};

/// Softmax of each row. Subtracting the row's maximum first keeps `exp` from overflowing
/// and does not change the result.
pub fn softmax(logits: ArrayView2<f32>) -> Array2<f32> {
    let mut p = logits.to_owned(); // (N,K)
    for mut row in p.rows_mut() {
        let max = row.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        row.mapv_inplace(|v| (v - max).exp());
        let sum = row.sum();
        row.mapv_inplace(|v| v / sum);
    }
    p
}

/// Index of a row's largest value; the first one on ties.
pub fn argmax(row: ArrayView1<f32>) -> usize {
    row.iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |(bi, bv), (i, &v)| {
            if v > bv { (i, v) } else { (bi, bv) }
        })
        .0
}

/// Mean cross-entropy of `softmax(logits)` against `labels`, its gradient with respect to the
/// logits (`(softmax − one_hot) / N`), and how many rows have their largest logit at the label.
///
/// `−log p_y = log Σ_j exp(z_j − m) − (z_y − m)` with `m` the row maximum (log-sum-exp), so
/// neither huge nor very negative logits overflow or give `log 0`.
pub fn softmax_cross_entropy(logits: ArrayView2<f32>, labels: &[u8]) -> (f32, Array2<f32>, usize) {
    let (n, k) = logits.dim();
    assert_eq!(labels.len(), n, "one label per row of logits");
    let p = softmax(logits); // (N,K)
    let mut dlogits = p.clone(); // (N,K)
    let (mut total, mut correct) = (0.0f64, 0usize);
    let scale = 1.0 / n.max(1) as f32;
    Zip::from(dlogits.rows_mut())
        .and(logits.rows())
        .and(labels)
        .for_each(|mut d, z, &y| {
            let y = y as usize;
            assert!(y < k, "label {y} out of range for {k} classes");
            let max = z.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
            let log_sum = z
                .iter()
                .map(|&v| f64::from(v - max).exp())
                .sum::<f64>()
                .ln();
            total += log_sum - f64::from(z[y] - max);
            correct += usize::from(argmax(z) == y);
            d[y] -= 1.0;
            d.mapv_inplace(|v| v * scale);
        });
    ((total / n.max(1) as f64) as f32, dlogits, correct)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn uniform_logits_give_ln_10() {
        let (loss, d, _) = softmax_cross_entropy(Array2::zeros((4, 10)).view(), &[0, 3, 9, 5]);
        assert!((loss - 10f32.ln()).abs() < 1e-6, "{loss}");
        assert!((d[[0, 0]] - (0.1 - 1.0) / 4.0).abs() < 1e-7);
        assert!((d[[0, 1]] - 0.1 / 4.0).abs() < 1e-7);
    }

    #[test]
    fn softmax_rows_sum_to_one() {
        let p = softmax(array![[1.0, 2.0, 3.0], [-5.0, 0.0, 5.0]].view());
        for row in p.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-6);
        }
        assert!(p[[0, 2]] > p[[0, 1]] && p[[0, 1]] > p[[0, 0]]);
    }

    #[test]
    fn huge_logits_do_not_overflow() {
        let logits = array![[1000.0, 0.0, -1000.0], [-1e30, 1e30, 0.0]];
        let (loss, d, correct) = softmax_cross_entropy(logits.view(), &[0, 2]);
        assert!(loss.is_finite() && d.iter().all(|v| v.is_finite()));
        assert!(
            (loss - 1e30 / 2.0).abs() / 1e30 < 1e-3,
            "the second row costs 1e30: {loss}"
        );
        assert_eq!(correct, 1);
        assert!(softmax(logits.view()).iter().all(|v| v.is_finite()));
    }

    #[test]
    fn counts_correct_rows() {
        let logits = array![[0.0, 5.0], [3.0, 1.0], [2.0, 2.0]];
        let (_, _, correct) = softmax_cross_entropy(logits.view(), &[1, 1, 0]);
        assert_eq!(correct, 2); // the tie goes to class 0
    }
}
