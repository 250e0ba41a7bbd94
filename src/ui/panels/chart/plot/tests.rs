use super::*;
use crate::ui::history::MarkerKind;
use crate::ui::panels::chart::markers::{render_marker_labels, render_marker_lines};

fn row_text(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

/// A single point lands in the cell `column_of` and `row_of` name: the labels and markers
/// placed by them sit where the canvas draws.
#[test]
fn positions_agree_with_the_canvas() {
    let axis = YAxis {
        log: false,
        lo: 0.0,
        hi: 10.0,
        ticks: Vec::new(),
    };
    let area = Rect::new(0, 0, 21, 6);
    for (x, y) in [(0.0, 0.0), (37.0, 2.5), (100.0, 10.0), (61.0, 7.7)] {
        let mut buf = Buffer::empty(area);
        let curve = Curve {
            color: Color::Yellow,
            raw: false,
            points: vec![(x, y)],
        };
        render_plot(&axis, &[curve], (0.0, 100.0), area, 1, &mut buf);
        let col = column_of(x, (0.0, 100.0), 20).unwrap();
        let row = row_of(y, (0.0, 10.0), 6).unwrap();
        let cell = &buf[(1 + col, row)];
        assert_ne!(cell.symbol(), " ", "({x}, {y}) not at ({col}, {row})");
        assert_eq!(cell.fg, Color::Yellow);
    }
    assert_eq!(column_of(101.0, (0.0, 100.0), 20), None);
    assert_eq!(row_of(f64::NAN, (0.0, 10.0), 6), None);
}

#[test]
fn resampling_keeps_a_line_as_means_and_the_raw_loss_as_extremes() {
    let points: Vec<_> = (0..1000).map(|i| (i as f64, (i % 10) as f64)).collect();
    let mean = resample(&points, (0.0, 999.0), 10, false);
    assert_eq!(mean.len(), 10);
    assert!(mean.iter().all(|p| (p.1 - 4.5).abs() < 0.6), "{mean:?}");
    let extremes = resample(&points, (0.0, 999.0), 10, true);
    assert_eq!(extremes.len(), 20);
    assert!(extremes.iter().any(|p| p.1 == 9.0) && extremes.iter().any(|p| p.1 == 0.0));
    let few = [(1.0, 1.0), (50.0, 2.0)];
    assert_eq!(
        resample(&few, (0.0, 100.0), 200, false),
        few,
        "fewer points than dots"
    );
}

/// Markers stand at their steps' columns, labelled where there is room.
#[test]
fn markers_are_placed_at_their_steps_and_labelled_where_there_is_room() {
    let area = Rect::new(0, 0, 40, 5);
    let mut buf = Buffer::empty(area);
    let markers = vec![
        (1000.0, MarkerKind::Setting, "lr 0.07→0.1".to_string()),
        (3000.0, MarkerKind::Edit, "conv1 stride 1→2".to_string()),
        (3100.0, MarkerKind::Edit, "conv1 stride 2→1".to_string()),
        (4990.0, MarkerKind::Diverged, "diverged".to_string()),
    ];
    let x = (0.0, 5000.0);
    render_marker_lines(&markers, x, &[area], &mut buf);
    render_marker_labels(&markers, x, area, &mut buf);
    for (step, kind, _) in &markers {
        let col = column_of(*step, x, 40).unwrap();
        let bottom = &buf[(col, 4)];
        assert_eq!(bottom.symbol(), "┆", "the line of {step}");
        assert_eq!(
            bottom.fg,
            crate::ui::panels::chart::markers::marker_color(*kind)
        );
    }
    let top = row_text(&buf, 0);
    let second = row_text(&buf, 1);
    let at = |label: &str, text: &str| text.find(label).map(|i| text[..i].chars().count());
    assert_eq!(
        at("lr 0.07→0.1", &top),
        Some(column_of(1000.0, x, 40).unwrap() as usize + 1)
    );
    assert!(top.contains("conv1 stride 1→2"), "{top}");
    assert!(
        second.contains("conv1 stride 2→1"),
        "too close: the second row\n{top}\n{second}"
    );
    // At the right edge: to the left of its line, where the second row is free.
    let diverged = column_of(4990.0, x, 40).unwrap() as usize;
    assert_eq!(at("diverged", &second), Some(diverged - "diverged".len()));
}
