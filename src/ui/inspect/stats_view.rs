//! The layers page: each weighted layer's output on the training batch, its weight and
//! gradient norms and the size of its updates, now (a table) and over time (sparklines), with
//! a hint when the learning rate looks too high or too low.

use super::layer_history::{
    LR_DOWN, LR_UP, LayerHistory, RATIO_HIGH, RATIO_LOW, Row, lr_hint, rows,
};
use crate::nn::stats::Weights;
use crate::number::{compact, thousands};
use crate::train::worker::STATS_EVERY;
use crate::ui::app::App;
use crate::ui::theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Sparkline, Widget};

/// The ratio's sparkline spans 1e-5 … 1e-1 on a log scale: the healthy 1e-3 in the middle.
const LOG_RANGE: (f32, f32) = (-5.0, -1.0);
/// Bar heights of a sparkline: 1 (the lowest drawn bar) to this.
const SPARK_MAX: u64 = 64;

/// Plain lines under the hint: what to look for.
const GUIDE: [&str; 3] = [
    "Δ/w = ‖Δw‖/‖w‖ of one SGD step: near 1e-3 is healthy, far above: lr too high",
    "zero: ReLU outputs that are 0 (≥: counted after the pool it runs fused with)",
    "dead: channels 0 for every digit; ‖∇w‖ near 0: that layer stopped learning",
];

/// The page: title, table, history, then the hint and the guide at the bottom.
pub fn render_layers(app: &App, area: Rect, buf: &mut Buffer) {
    let c = app.colors;
    let history = &app.inspect.layers;
    render_title(app, line(area, 0), buf);
    let Some(latest) = &history.latest else {
        let text = format!(
            "the statistics come with the training steps (every {STATS_EVERY} at full speed)…"
        );
        Line::styled(text, theme::QUIET.style(c)).render(line(area, 1), buf);
        return;
    };
    let rows = rows(latest);
    let hint = hint_lines(lr_hint(latest), area.width);
    let bottom = GUIDE.len() as u16 + hint.len().max(1) as u16;
    let table_h = render_table(
        &rows,
        app,
        Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1 + bottom),
            ..area
        },
        buf,
    );
    let sparks = Rect {
        y: area.y + 1 + table_h + 1,
        height: area.height.saturating_sub(1 + table_h + 1 + bottom),
        ..area
    };
    render_history(history, &rows, app, sparks, buf);
    render_guide(
        &hint,
        app,
        Rect {
            y: area.bottom().saturating_sub(bottom),
            height: bottom.min(area.height),
            ..area
        },
        buf,
    );
}

/// What the page shows and when: the newest sample's step and the learning rate now.
fn render_title(app: &App, area: Rect, buf: &mut Buffer) {
    let c = app.colors;
    let mut title =
        vec![Span::styled(" Each layer on the training batch ", theme::TEXT.style(c)).bold()];
    if let Some(s) = &app.inspect.layers.latest {
        title.push(Span::raw(format!("· step {}", thousands(s.step))));
    }
    if let Some(last) = app.last_step {
        title.push(Span::raw(format!(" · lr {}", compact(last.lr as f64, 3))));
    }
    Line::from(title).render(area, buf);
}

/// Row `dy` of `area`, one line high (clipped to the area).
fn line(area: Rect, dy: u16) -> Rect {
    Rect {
        y: area.y + dy.min(area.height),
        height: u16::from(dy < area.height),
        ..area
    }
}

/// A value in scientific notation, e.g. `1.2e-3`.
fn sci(x: f32) -> String {
    if x == 0.0 {
        "0".into()
    } else if x.is_finite() {
        format!("{x:.1e}")
    } else {
        "—".into()
    }
}

/// The table: a header, then one line per row. Returns the lines drawn.
fn render_table(rows: &[Row], app: &App, area: Rect, buf: &mut Buffer) -> u16 {
    let header = format!(
        " {:<6} {:<9}{:>6} {:>6} {:>6} {:>7} {:>5} {:>7} {:>7} {:>8}",
        "layer", "output", "min", "mean", "max", "zero", "dead", "‖w‖", "‖∇w‖", "‖Δw‖/‖w‖"
    );
    Line::styled(header, theme::QUIET.style(app.colors)).render(line(area, 0), buf);
    for (i, row) in rows.iter().enumerate() {
        let text = format!(
            " {:<6} {}{}",
            row.layer,
            output_cells(row),
            weight_cells(&row.weights)
        );
        let ratio = row.weights.ratio();
        let off = ratio > 0.0 && !(RATIO_LOW..=RATIO_HIGH).contains(&ratio);
        let style = if off {
            theme::WARNING.style(app.colors)
        } else {
            theme::TEXT.style(app.colors)
        };
        Line::styled(text, style).render(line(area, 1 + i as u16), buf);
    }
    (1 + rows.len() as u16).min(area.height)
}

/// The output columns: the stage measured, min, mean, max, zero share and dead channels.
fn output_cells(row: &Row) -> String {
    match row.output {
        Some((stage, a, exact)) => format!(
            "{:<9}{:>6} {:>6} {:>6} {:>7} {:>5} ",
            stage,
            compact(a.min as f64, 3),
            compact(a.mean as f64, 3),
            compact(a.max as f64, 3),
            format!(
                "{}{:.1}%",
                if exact { "" } else { "≥" },
                100.0 * a.zero_share
            ),
            format!("{}/{}", a.dead_channels, a.channels),
        ),
        None => format!(
            "{:<9}{:>6} {:>6} {:>6} {:>7} {:>5} ",
            "—", "", "", "", "", ""
        ),
    }
}

fn weight_cells(w: &Weights) -> String {
    format!(
        "{:>7} {:>7} {:>8}",
        compact(w.weight as f64, 3),
        sci(w.grad),
        sci(w.ratio())
    )
}

/// Sparklines of ‖w‖, ‖∇w‖ and the ratio (log scale) of each row, oldest → newest.
fn render_history(history: &LayerHistory, rows: &[Row], app: &App, area: Rect, buf: &mut Buffer) {
    if area.height < 2 || rows.is_empty() {
        return;
    }
    let spacing = history
        .spacing()
        .map_or(String::new(), |s| format!(", {s} steps apart"));
    let about = format!(
        " oldest → newest: {} samples{spacing}; Δ/w on a log scale 1e-5…1e-1",
        history.points.len()
    );
    Line::styled(about, theme::QUIET.style(app.colors)).render(line(area, 0), buf);
    // Up to 8 rows a sparkline (its 64 heights at 8 a row, one more blank) where the screen
    // is tall: at 160×48 the history had filled only the top half of the page.
    let each = ((area.height - 1) / rows.len() as u16).clamp(1, 9);
    // From three rows a layer, one stays blank between layers.
    let gap = u16::from(each >= 3);
    for (i, row) in rows.iter().enumerate() {
        let y = area.y + 1 + i as u16 * each;
        if y + each > area.bottom() {
            break;
        }
        render_spark_row(
            history,
            row.layer,
            app,
            Rect {
                y,
                height: each - gap,
                ..area
            },
            buf,
        );
    }
}

/// One layer's three sparklines side by side, each after its label.
fn render_spark_row(history: &LayerHistory, layer: &str, app: &App, area: Rect, buf: &mut Buffer) {
    let c = app.colors;
    Line::styled(format!(" {layer:<6}"), theme::TEXT.style(c)).render(line(area, 0), buf);
    let series: [(&str, Vec<u64>); 3] = [
        ("‖w‖", linear(&history.series(layer, |w| w.weight))),
        ("‖∇w‖", linear(&history.series(layer, |w| w.grad))),
        ("Δ/w", log_scale(&history.series(layer, Weights::ratio))),
    ];
    let x0 = area.x + 8;
    let width = area.right().saturating_sub(x0) / 3;
    for (k, (label, data)) in series.iter().enumerate() {
        let x = x0 + k as u16 * width;
        let at = Rect {
            x,
            width: width.saturating_sub(1),
            ..area
        };
        Line::styled(format!("{label:<5}"), theme::QUIET.style(c)).render(line(at, 0), buf);
        let spark = Rect {
            x: x + 5,
            width: at.width.saturating_sub(5),
            ..area
        };
        let shown = thin(data, spark.width as usize);
        Sparkline::default()
            .data(&shown)
            .max(SPARK_MAX)
            .style(theme::PROGRESS.style(c).bg(Color::Reset))
            .render(spark, buf);
    }
}

/// At most `width` values, evenly spread over `data` (the newest always among them).
pub fn thin(data: &[u64], width: usize) -> Vec<u64> {
    if data.len() <= width || width == 0 {
        return data.to_vec();
    }
    (0..width)
        .map(|i| data[(i * (data.len() - 1)) / (width - 1).max(1)])
        .collect()
}

/// Bar heights 1..=SPARK_MAX from 0 to the series' greatest value: a norm that holds still
/// draws flat, not its noise magnified.
pub fn linear(xs: &[f32]) -> Vec<u64> {
    let hi = xs.iter().fold(0.0f32, |h, &v| h.max(v));
    xs.iter()
        .map(|&v| match hi > 0.0 && hi.is_finite() && v.is_finite() {
            true => 1 + (v.max(0.0) / hi * (SPARK_MAX - 1) as f32).round() as u64,
            false => 1,
        })
        .collect()
}

/// Bar heights 1..=SPARK_MAX of log10 of each value over `LOG_RANGE` (0 and below: 1).
pub fn log_scale(xs: &[f32]) -> Vec<u64> {
    let (lo, hi) = LOG_RANGE;
    xs.iter()
        .map(|&v| {
            let l = if v > 0.0 { v.log10().clamp(lo, hi) } else { lo };
            1 + ((l - lo) / (hi - lo) * (SPARK_MAX - 1) as f32).round() as u64
        })
        .collect()
}

/// The hint (or that the updates look healthy), then the guide.
fn render_guide(hint: &[String], app: &App, area: Rect, buf: &mut Buffer) {
    let c = app.colors;
    if hint.is_empty() {
        let text = format!(
            " updates look healthy: Δ/w within {RATIO_LOW:.0e}…{RATIO_HIGH:.0e} in every layer ({LR_DOWN} / {LR_UP}: lr)"
        );
        Line::styled(text, theme::RUNNING.style(c)).render(line(area, 0), buf);
    }
    for (i, text) in hint.iter().enumerate() {
        Line::styled(text.as_str(), theme::WARNING.style(c))
            .bold()
            .render(line(area, i as u16), buf);
    }
    let below = hint.len().max(1) as u16;
    for (i, text) in GUIDE.iter().enumerate() {
        Line::styled(format!(" {text}"), theme::QUIET.style(c))
            .render(line(area, below + i as u16), buf);
    }
}

/// The hint as drawn: one line when it fits `width`, else broken after its dash.
fn hint_lines(hint: Option<String>, width: u16) -> Vec<String> {
    let Some(h) = hint else {
        return Vec::new();
    };
    let one = format!(" {h}");
    match h.split_once(" — ") {
        Some((what, why)) if one.chars().count() > width as usize => {
            vec![format!(" {what} —"), format!("   {why}")]
        }
        _ => vec![one],
    }
}
