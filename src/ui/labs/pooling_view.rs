//! The pooling lab: one map after conv1's ReLU, pooled with max and with average from the
//! same trained filters, and their difference (where the two disagree most); then the
//! validation accuracy of the current weights with every pooling layer max or average,
//! switched without retraining and after a short fine-tune of each (`pooling_text`).

use super::pooling_text::accuracy_lines;
use super::view::{picture, square};
use crate::nn::plan::{LayerId, PoolKind};
use crate::nn::reference::{Pooling, pool_map};
use crate::ui::app::App;
use crate::ui::widgets::colormap::Scale;
use ndarray::{Array2, ArrayView2, Axis};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

/// A pooled pixel counts as different when max and average differ by more than this share of
/// the map's peak.
const DIFFERENT: f32 = 0.1;
/// Rows under the pictures: the accuracies switched and fine-tuned, what they show, and the
/// count of pooled pixels that differ.
const BOTTOM_ROWS: u16 = 4;

/// One channel `(H, W)` pooled both ways with a `window`: (max, average).
pub fn both_ways(map: ArrayView2<f32>, window: usize) -> (Array2<f32>, Array2<f32>) {
    let x = map.insert_axis(Axis(0)); // (H,W) → (1,H,W)
    let pool = |op| pool_map(x, op, window).index_axis_move(Axis(0), 0);
    (pool(Pooling::Max), pool(Pooling::Avg))
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(snap) = &app.snapshot else {
        Line::from("waiting for the first snapshot…").render(area, buf);
        return;
    };
    let Some(relu) = snap.feature_maps.iter().find(|m| m.id == LayerId::relu(0)) else {
        return;
    };
    let block = snap.blocks.first().copied();
    let window = block.map_or(2, |b| b.pool_size.max(1));
    let kind = block.map_or(PoolKind::Max, |b| b.pool);
    let channels = relu.maps.dim().0.max(1);
    let ch = app.labs.channel % channels;
    let map = relu.maps.index_axis(Axis(0), ch);
    let (max, avg) = both_ways(map, window);
    let diff = &max - &avg; // ≥ 0: a max is never below the mean
    let peak = map.iter().fold(0.0f32, |m, &v| m.max(v));
    let differ = diff.iter().filter(|&&d| d > DIFFERENT * peak).count();
    let trained = match kind {
        PoolKind::None => format!("conv1 has no pooling; shown with a {window}×{window} window"),
        k => format!("conv1 trains with {k} pooling, {window}×{window}"),
    };
    let head = vec![Line::from(format!(
        "relu1 map #{} of {channels} (←/→) · {trained}",
        ch + 1
    ))];
    Paragraph::new(head).render(
        Rect {
            height: 1.min(area.height),
            ..area
        },
        buf,
    );
    let pics = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(BOTTOM_ROWS + 1),
    );
    let ph = pics.height.saturating_sub(1).min(14);
    let pw = square(ph).0.min(pics.width.saturating_sub(6) / 4);
    let column = |i: u16| Rect::new(pics.x + i * (pw + 2), pics.y, pw, ph + 1).intersection(pics);
    let scale = Scale::fit(map.iter().copied(), false);
    let (h, w) = map.dim();
    let (ph_, pw_) = max.dim();
    picture(app, column(0), &format!("relu1 {h}×{w}"), map, scale, buf);
    picture(
        app,
        column(1),
        &format!("max {ph_}×{pw_}"),
        max.view(),
        scale,
        buf,
    );
    picture(
        app,
        column(2),
        &format!("average {ph_}×{pw_}"),
        avg.view(),
        scale,
        buf,
    );
    picture(app, column(3), "max − average", diff.view(), scale, buf);
    let mut lines = accuracy_lines(app.labs.pooling.as_ref(), app.colors);
    let mut differ_line = format!(
        "max − average > {:.0} % of the peak at {differ} of {} pooled pixels",
        100.0 * DIFFERENT,
        diff.len()
    );
    if area.width >= 110 {
        differ_line.push_str(": windows with one strong pixel among weak ones");
    }
    lines.push(Line::from(differ_line));
    let rows = BOTTOM_ROWS.min(area.height);
    let bottom = Rect::new(area.x, area.bottom().saturating_sub(rows), area.width, rows);
    Paragraph::new(lines)
        .wrap(ratatui::widgets::Wrap { trim: true })
        .render(bottom, buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn max_keeps_the_strongest_and_average_the_mean() {
        let map = array![
            [1.0, 0.0, 0.5, 0.5],
            [0.0, 0.0, 0.5, 0.5],
            [0.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 4.0]
        ];
        let (max, avg) = both_ways(map.view(), 2);
        assert_eq!(max, array![[1.0, 0.5], [0.0, 4.0]]);
        assert_eq!(avg, array![[0.25, 0.5], [0.0, 1.0]]);
    }
}
