//! The pooling lab's worked example: the one window where max and average pooling differ
//! most, its values, what max pooling keeps and what average pooling gives. The lecture's
//! rule, in numbers: max keeps the largest value of each window, average the mean.

use crate::number::fixed;
use ndarray::{ArrayView2, s};
use ratatui::text::Line;

/// The pooled pixel `(row, column)` where max pooling exceeds average pooling the most (the
/// first of equals), from the pooled maps' difference `diff` = max − average that the lab
/// draws; `None` when the map has no whole window.
pub fn widest_window(diff: ArrayView2<f32>) -> Option<(usize, usize)> {
    let mut best: Option<((usize, usize), f32)> = None;
    for (at, &gap) in diff.indexed_iter() {
        if best.is_none_or(|(_, g)| gap > g) {
            best = Some((at, gap));
        }
    }
    best.map(|(at, _)| at)
}

/// The example's lines: a heading, then the window's values row by row with, beside the
/// first two rows, what max keeps and what average gives.
pub fn window_lines(
    map: ArrayView2<f32>,
    window: usize,
    (r, c): (usize, usize),
) -> Vec<Line<'static>> {
    let w = window.max(1);
    let values = map.slice(s![r * w..(r + 1) * w, c * w..(c + 1) * w]);
    let max = values.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let mean = values.mean().unwrap_or(0.0);
    let cell = |v: f32| format!("{:>6}", fixed(v as f64, 2));
    let span = |i: usize| match w {
        1 => format!("{}", i * w + 1),
        _ => format!("{}–{}", i * w + 1, (i + 1) * w),
    };
    let mut lines = vec![Line::from(format!(
        "where max and average differ most: relu1 rows {} × columns {}, pooled into pixel ({}, {}):",
        span(r),
        span(c),
        r + 1,
        c + 1
    ))];
    for (i, row) in values.rows().into_iter().enumerate() {
        let mut text: String = row.iter().map(|&v| cell(v)).collect();
        match i {
            0 => text.push_str(&format!(
                "    max keeps the largest: {}",
                fixed(max as f64, 2)
            )),
            1 => text.push_str(&format!(
                "    average gives the mean: {} / {} = {}",
                fixed(values.sum() as f64, 2),
                w * w,
                fixed(mean as f64, 2)
            )),
            _ => {}
        }
        lines.push(Line::from(text));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::labs::pooling_view::both_ways;
    use ndarray::array;

    #[test]
    fn the_window_with_one_strong_pixel_among_weak_ones_differs_most() {
        let map = array![
            [0.5, 0.5, 0.0, 0.8],
            [0.5, 0.5, 0.0, 0.0],
            [0.2, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0f32]
        ];
        // Gaps: 0, 0.8 − 0.2, 0.2 − 0.05, 0.
        let (max, avg) = both_ways(map.view(), 2);
        assert_eq!(widest_window((&max - &avg).view()), Some((0, 1)));
        let text: Vec<String> = window_lines(map.view(), 2, (0, 1))
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert!(
            text[0].contains("relu1 rows 1–2 × columns 3–4, pooled into pixel (1, 2)"),
            "{text:?}"
        );
        assert!(text[1].contains("max keeps the largest: 0.80"), "{text:?}");
        assert!(
            text[2].contains("average gives the mean: 0.80 / 4 = 0.20"),
            "{text:?}"
        );
    }

    #[test]
    fn a_map_smaller_than_the_window_has_none() {
        let map = array![[1.0f32, 2.0]];
        let (max, avg) = both_ways(map.view(), 2);
        assert_eq!(widest_window((&max - &avg).view()), None);
    }
}
