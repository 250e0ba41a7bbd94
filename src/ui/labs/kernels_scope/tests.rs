//! The microscope's numbers on a hand-built image and kernel: the products sum to the output
//! pixel, the padding cells are zero, the window sits where stride and padding put it.

use super::*;
use crate::ui::panels::microscope::beside;
use crate::ui::widgets::colormap::ColorMode;
use ndarray::array;

/// A 4×4 image of 1..16 and the kernel 1..9.
fn case(stride: usize, padding: usize) -> KernelConv {
    let image = Array2::from_shape_fn((4, 4), |(r, c)| (4 * r + c + 1) as f32);
    let kernel = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]];
    KernelConv::new(image.view(), &kernel, stride, padding).unwrap()
}

fn readout(conv: &KernelConv, at: (usize, usize)) -> crate::ui::readout::ConvReadout {
    match conv.scene().lens {
        Lens::Conv(lens) => lens.readout(at),
        _ => panic!("a kernel's scene is a conv"),
    }
}

#[test]
fn the_corner_window_reads_padding_zeros_and_sums_to_the_output() {
    let conv = case(1, 1);
    assert_eq!(conv.output.dim(), (4, 4));
    let r = readout(&conv, (0, 0));
    // The window's top row and left column are padding; the rest is image[0..2, 0..2].
    assert_eq!(r.origin, (-1, -1));
    let pad = |v: &Option<f32>| v.is_none();
    assert!(r.patch.slice(ndarray::s![0, 0, ..]).iter().all(pad));
    assert!(r.patch.slice(ndarray::s![0, .., 0]).iter().all(pad));
    assert_eq!(r.patch[[0, 1, 1]], Some(1.0));
    assert_eq!(r.patch[[0, 2, 2]], Some(6.0));
    assert_eq!(r.products.slice(ndarray::s![0, 0, ..]).sum(), 0.0);
    // By hand: 5·1 + 6·2 + 8·5 + 9·6 = 111.
    assert_eq!(r.sum, 111.0);
    assert_eq!(r.result, conv.output[(0, 0)]);
    // Every pixel: the microscope's sum is the lab's output.
    for (at, &v) in conv.output.indexed_iter() {
        assert_eq!(readout(&conv, at).result, v, "at {at:?}");
    }
}

#[test]
fn stride_two_moves_the_window_two_pixels() {
    let conv = case(2, 1);
    assert_eq!(conv.output.dim(), (2, 2));
    let r = readout(&conv, (1, 1));
    assert_eq!(r.origin, (1, 1));
    // image[1..4, 1..4] · kernel, by hand.
    let window = array![[6.0, 7.0, 8.0], [10.0, 11.0, 12.0], [14.0, 15.0, 16.0]];
    let kernel = conv.filter.index_axis(ndarray::Axis(0), 0);
    assert_eq!(r.sum, (&window * &kernel).sum());
    assert_eq!(conv.output[(1, 1)], r.sum);
}

#[test]
fn the_microscope_shows_the_padded_input_the_window_and_the_sum() {
    let conv = case(1, 1);
    let b = beside(&conv.scene(), &view_at((0, 3)), ColorMode::Monochrome).unwrap();
    // The input with a border of zeros, one pixel wide.
    assert_eq!(b.picture.dim(), (6, 6));
    assert_eq!(b.picture.row(0).sum() + b.picture.column(5).sum(), 0.0);
    assert_eq!(b.picture[(1, 1)], 1.0);
    assert_eq!((b.window.0.clone(), b.window.1.clone()), (0..3, 3..6));
    assert_eq!(b.label, "digit + padding 1");
    let text: Vec<String> = b.tables[0].iter().map(|l| l.to_string()).collect();
    let sum = format!("{:+.4}", conv.output[(0, 3)]);
    assert!(
        text.iter()
            .any(|l| l.starts_with("= sum") && l.contains(&sum)),
        "{text:#?}"
    );
    assert!(text.iter().any(|l| l.contains('✓')), "{text:#?}");
}
