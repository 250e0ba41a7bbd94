//! The microscope's arithmetic: what a convolution or a pooling layer computed at one output
//! pixel, term by term, from the network's own tensors in the snapshot. The taps come from
//! `nn::reference` (the plain convolution and pooling the fast layers are tested against).

use crate::nn::reference::{self, Pooling};
use ndarray::{Array2, Array3, ArrayView2, ArrayView3, Zip};

/// One output pixel of a convolution, term by term.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvReadout {
    /// The output pixel (row, column).
    pub at: (usize, usize),
    /// The window's top-left input pixel (row, column): `at·S − P`, negative in the padding.
    pub origin: (isize, isize),
    /// The input under the window `(C, K, K)`; `None` in the zero padding.
    pub patch: Array3<Option<f32>>,
    /// The filter `(C, K, K)`.
    pub kernel: Array3<f32>,
    /// patch · kernel, tap by tap `(C, K, K)`; 0 in the padding.
    pub products: Array3<f32>,
    /// The products summed per input channel `(C)`.
    pub channel_sums: Vec<f32>,
    /// All the products.
    pub sum: f32,
    pub bias: f32,
    /// sum + bias: the conv layer's output there.
    pub result: f32,
    /// max(0, result): what the ReLU after it gives.
    pub relu: f32,
}

/// Output pixel `at` of filter `filter` `(C, K, K)` with `bias` over the input `x` `(C, H, W)`.
pub fn conv_readout(
    x: ArrayView3<f32>,
    filter: ArrayView3<f32>,
    bias: f32,
    (stride, padding): (usize, usize),
    at: (usize, usize),
) -> ConvReadout {
    let k = filter.dim().1;
    let patch = reference::receptive_field(x, k, (stride, padding), at);
    let mut products = Array3::zeros(filter.dim());
    Zip::from(&mut products)
        .and(&patch)
        .and(filter)
        .for_each(|p, x, &w| *p = x.map_or(0.0, |x| x * w));
    // Summed in f64 so that the shown sum is the exact sum of the shown products, rounded once.
    let channel_sums: Vec<f32> = products
        .outer_iter()
        .map(|c| c.iter().map(|&p| p as f64).sum::<f64>() as f32)
        .collect();
    let sum = products.iter().map(|&p| p as f64).sum::<f64>();
    let result = (sum + bias as f64) as f32;
    let origin = |i: usize| (i * stride) as isize - padding as isize;
    ConvReadout {
        at,
        origin: (origin(at.0), origin(at.1)),
        patch,
        kernel: filter.to_owned(),
        products,
        channel_sums,
        sum: sum as f32,
        bias,
        result,
        relu: result.max(0.0),
    }
}

/// One output pixel of a pooling layer: its window and both poolings of it.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolReadout {
    pub at: (usize, usize),
    /// The window's top-left input pixel (row, column): `at·K`.
    pub origin: (usize, usize),
    /// The `K×K` input values.
    pub window: Array2<f32>,
    /// What max pooling keeps, and where in the window it is.
    pub max: f32,
    pub argmax: (usize, usize),
    /// What average pooling gives.
    pub mean: f32,
}

impl PoolReadout {
    /// The value the given pooling gives.
    pub fn value(&self, op: Pooling) -> f32 {
        match op {
            Pooling::Max => self.max,
            Pooling::Avg => self.mean,
        }
    }
}

/// Output pixel `at` of pooling the channel `x` `(H, W)` with a `window×window` window.
pub fn pool_readout(x: ArrayView2<f32>, window: usize, at: (usize, usize)) -> PoolReadout {
    let cells = reference::pool_window(x, window, at);
    let max = reference::pool_pixel(x, Pooling::Max, window, at);
    let argmax = cells
        .indexed_iter()
        .find(|&(_, &v)| v == max)
        .map_or((0, 0), |(i, _)| i);
    PoolReadout {
        at,
        origin: (at.0 * window, at.1 * window),
        window: cells.to_owned(),
        max,
        argmax,
        mean: reference::pool_pixel(x, Pooling::Avg, window, at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn a_corner_with_padding_reads_zeros_and_adds_the_bias() {
        let x = Array3::from_shape_fn((1, 3, 3), |(_, i, j)| (3 * i + j) as f32);
        let w = array![[[1.0f32, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]];
        let r = conv_readout(x.view(), w.view(), -50.0, (1, 1), (0, 0));
        assert_eq!(r.origin, (-1, -1));
        assert_eq!(r.patch[[0, 0, 0]], None);
        assert_eq!(r.patch[[0, 1, 1]], Some(0.0));
        // 5·0 + 6·1 + 8·3 + 9·4 = 66; the bias takes it to 16.
        assert_eq!((r.sum, r.result, r.relu), (66.0, 16.0, 16.0));
        assert_eq!(r.products[[0, 2, 2]], 36.0);
        let low = conv_readout(x.view(), w.view(), -70.0, (1, 1), (0, 0));
        assert_eq!((low.result, low.relu), (-4.0, 0.0));
    }

    #[test]
    fn a_pooling_window_keeps_its_max_and_gives_its_mean() {
        let x = array![[1.0f32, 5.0, 0.0], [3.0, 2.0, 0.0], [9.0, 9.0, 9.0]];
        let r = pool_readout(x.view(), 2, (0, 0));
        assert_eq!((r.max, r.argmax, r.mean), (5.0, (0, 1), 2.75));
        assert_eq!(r.value(Pooling::Avg), 2.75);
    }
}
