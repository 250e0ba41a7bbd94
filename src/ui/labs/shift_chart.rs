//! Accuracy against shift as a table (`curve_lines`) and as a chart: a line for each network and direction, 0 to 8 pixels
//! across, accuracy up. The MLP's lines join the CNN's when the fully connected baseline
//! provides its curve (the one job of `train::analysis::shift`, kept in `compare.shift`).

use super::view::note;
use crate::number::thousands;
use crate::train::analysis::shift::{MAX_SHIFT, ShiftCurve};
use crate::ui::app::App;
use crate::ui::widgets::heatmap::Glyphs;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Stylize;
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Widget};

/// (name, points, colour) of each line.
type Series = (String, Vec<(f64, f64)>, Color);

fn series(name: &str, curve: &ShiftCurve, colours: [Color; 2]) -> Vec<Series> {
    let points = |acc: &[f32; MAX_SHIFT + 1]| {
        acc.iter()
            .enumerate()
            .map(|(d, &a)| (d as f64, 100.0 * a as f64))
            .collect()
    };
    vec![
        (format!("{name} →"), points(&curve.horizontal), colours[0]),
        (format!("{name} ↓"), points(&curve.vertical), colours[1]),
    ]
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(curves) = &app.compare.shift else {
        return;
    };
    let mut lines = series("CNN", &curves.cnn, [Color::Cyan, Color::LightBlue]);
    if let Some(mlp) = &curves.mlp {
        lines.extend(series("MLP", mlp, [Color::LightRed, Color::Yellow]));
    }
    // The y axis from a round number below the lowest point, to 100 %.
    let lowest = lines
        .iter()
        .flat_map(|(_, p, _)| p.iter().map(|&(_, y)| y))
        .fold(100.0f64, f64::min);
    let floor = ((lowest / 10.0).floor() * 10.0).clamp(0.0, 90.0);
    let marker = match app.glyphs {
        Glyphs::Ascii => Marker::Dot,
        _ => Marker::Braille,
    };
    let datasets: Vec<Dataset> = lines
        .iter()
        .map(|(name, points, colour)| {
            Dataset::default()
                .name(name.clone())
                .marker(marker)
                .graph_type(GraphType::Line)
                .style(Style::new().fg(*colour))
                .data(points)
        })
        .collect();
    let mid = format!("{:.0}", (floor + 100.0) / 2.0);
    Chart::new(datasets)
        .block(Block::new().title("accuracy % against shift (px)"))
        .hidden_legend_constraints((Constraint::Ratio(1, 2), Constraint::Ratio(3, 4)))
        .x_axis(
            Axis::default()
                .bounds([0.0, MAX_SHIFT as f64])
                .labels(["0", "4", "8"]),
        )
        .y_axis(Axis::default().bounds([floor, 100.0]).labels([
            format!("{floor:.0}"),
            mid,
            "100".into(),
        ]))
        .render(area, buf);
}

/// The accuracy-against-shift table: the CNN's curves and the place for the MLP's.
pub fn curve_lines(app: &App) -> Vec<Line<'static>> {
    let c = app.colors;
    let Some(curves) = &app.compare.shift else {
        return vec![note(
            "test accuracy against shift: computing on a copy of the weights…",
            c,
        )];
    };
    let mut lines = vec![
        Line::from(format!(
            "Accuracy against shift · {} test digits · step {}",
            thousands(curves.samples),
            thousands(curves.step)
        ))
        .bold(),
        Line::from(format!(
            "{:<9}{}",
            "shift px",
            (0..=MAX_SHIFT)
                .map(|d| format!("{d:>6}"))
                .collect::<String>()
        )),
    ];
    lines.extend(curve_rows("CNN", &curves.cnn));
    match &curves.mlp {
        Some(mlp) => lines.extend(curve_rows("MLP", mlp)),
        None => lines.push(note(
            "MLP: joins once the fully connected baseline trains (screen 4)",
            c,
        )),
    }
    lines
}

fn curve_rows(name: &str, curve: &ShiftCurve) -> Vec<Line<'static>> {
    let row = |arrow: &str, acc: &[f32; MAX_SHIFT + 1]| {
        let cells: String = acc.iter().map(|a| format!("{:>6.1}", 100.0 * a)).collect();
        Line::from(format!("{:<9}{cells}", format!("{name} {arrow}")))
    };
    vec![row("→", &curve.horizontal), row("↓", &curve.vertical)]
}
