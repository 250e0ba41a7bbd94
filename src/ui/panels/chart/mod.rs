//! The chart panel: the loss above (per batch, smoothed, validation; log or linear) and the
//! accuracy below (running training and validation; fitted or 0–100 %), on one step axis with
//! the epoch boundaries, markers at every edit, change, reset and rewind, and, when a run is
//! pinned (`c`), the current run drawn over the pinned one. Each chart has a one-row legend at
//! every size.

pub mod axis;
pub mod data;
pub mod markers;
pub mod plot;
pub mod x_axis;

use crate::number::compact;
use crate::ui::app::{App, Panel, WorkerState};
use crate::ui::panels::panel_block;
use data::{ChartData, RAW, TRAIN, VALIDATION, chart_data};
use markers::{render_marker_labels, render_marker_lines};
use plot::{plot_area, render_plot};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use x_axis::render_x_axis;

pub fn render_chart(app: &App, area: Rect, buf: &mut Buffer) {
    let loss = app.history.smoothed.last();
    let loss = loss.map(|p| format!("loss {}", compact(p.1, 3)));
    let accuracy = app.last_validation.map(|v| {
        let percent = compact(v.accuracy as f64 * 100.0, 3);
        format!("val acc {percent}%")
    });
    let extra = [loss, accuracy]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let block = panel_block(app, Panel::Chart, &extra);
    let inner = block.inner(area);
    block.render(area, buf);
    match chart_data(app) {
        Some(data) => render_data(&data, inner, buf),
        None => Paragraph::new(waiting(app))
            .dark_gray()
            .wrap(ratatui::widgets::Wrap { trim: true })
            .render(inner, buf),
    }
}

/// What the empty chart says: how to start when paused at the initial weights.
fn waiting(app: &App) -> &'static str {
    if app.worker == WorkerState::Paused {
        "paused at the initial weights: space trains, . trains one mini-batch, t/T set the pace"
    } else if app.validating.is_some() {
        // A large network's first validation takes many seconds; training waits for it.
        "validating the initial weights first; training starts when it is done"
    } else {
        "waiting for the first training steps…"
    }
}

/// Where each part goes: legend rows, chart areas (the accuracy's may be missing) and the
/// step axis below.
struct Rows {
    loss_legend: Rect,
    loss: Rect,
    accuracy: Option<(Rect, Rect)>,
    axis: Rect,
}

/// Rows: loss legend, loss chart, accuracy legend, accuracy chart, step axis and its labels;
/// when short of rows the accuracy chart goes first.
fn rows(area: Rect) -> Rows {
    let row = |y: u16, h: u16| Rect::new(area.x, area.y + y, area.width, h);
    let plots_h = area.height.saturating_sub(4);
    if plots_h < 5 {
        let loss_h = area.height.saturating_sub(3);
        return Rows {
            loss_legend: row(0, 1),
            loss: row(1, loss_h),
            accuracy: None,
            axis: row(1 + loss_h, area.height - 1 - loss_h),
        };
    }
    let loss_h = (plots_h * 6 / 10).max(3);
    let acc_h = plots_h - loss_h;
    Rows {
        loss_legend: row(0, 1),
        loss: row(1, loss_h),
        accuracy: Some((row(1 + loss_h, 1), row(2 + loss_h, acc_h))),
        axis: row(2 + loss_h + acc_h, 2),
    }
}

fn render_data(data: &ChartData, area: Rect, buf: &mut Buffer) {
    if area.height < 3 || area.width < 12 {
        return;
    }
    let labels = data.loss_axis.label_width();
    // Room for the step axis's unit ("step") and a space in the same columns.
    let gutter = (labels.max(data.accuracy_axis.label_width()).max(4) + 1) as u16;
    let rows = rows(area);
    legend(loss_legend(data, area.width), rows.loss_legend, buf);
    render_plot(&data.loss_axis, &data.loss, data.x, rows.loss, gutter, buf);
    let mut plots = vec![plot_area(rows.loss, gutter)];
    if let Some((legend_row, chart)) = rows.accuracy {
        legend(accuracy_legend(data, area.width), legend_row, buf);
        let (axis, curves) = (&data.accuracy_axis, &data.accuracy);
        render_plot(axis, curves, data.x, chart, gutter, buf);
        plots.push(plot_area(chart, gutter));
    }
    render_marker_lines(&data.markers, data.x, &plots, buf);
    render_marker_labels(&data.markers, data.x, plots[0], buf);
    render_x_axis(data.x, &data.epochs, "step", rows.axis, gutter, buf);
}

/// A legend entry: a short line in the curve's colour and its name (long, short).
type Entry = (Color, &'static str, &'static str);

fn loss_legend(data: &ChartData, width: u16) -> Vec<Span<'static>> {
    let scale = if data.loss_axis.log { "log" } else { "linear" };
    let title = format!("loss ({scale})");
    let entries: [Entry; 3] = [
        (RAW, "per batch", "batch"),
        (TRAIN, "smoothed", "avg"),
        (VALIDATION, "validation", "val"),
    ];
    match &data.runs {
        None => with_entries(title, &entries, width),
        Some((now, pinned)) => runs_legend(title, data, now, pinned, width),
    }
}

fn accuracy_legend(data: &ChartData, width: u16) -> Vec<Span<'static>> {
    let a = &data.accuracy_axis;
    let fitted = if a.lo > 0.0 || a.hi < 1.0 {
        "fitted"
    } else {
        "0–100%"
    };
    let entries: [Entry; 2] = [
        (TRAIN, "training (running)", "train"),
        (VALIDATION, "validation", "val"),
    ];
    with_entries(format!("accuracy ({fitted})"), &entries, width)
}

/// The title, then the entries with their long names where they fit in `width`, else with
/// their short ones.
fn with_entries(title: String, entries: &[Entry], width: u16) -> Vec<Span<'static>> {
    let spans = |long: bool| {
        let mut out = vec![Span::styled(
            title.clone(),
            Style::new().add_modifier(Modifier::BOLD),
        )];
        for &(color, l, s) in entries {
            out.push(Span::styled(" ━", Style::new().fg(color)));
            out.push(Span::raw(format!(" {}", if long { l } else { s })));
        }
        out
    };
    let long = spans(true);
    if long.iter().map(|s| s.width()).sum::<usize>() <= width as usize {
        long
    } else {
        spans(false)
    }
}

/// When comparing: each run's label in its colour, the pinned one dimmed.
fn runs_legend(
    title: String,
    data: &ChartData,
    now: &str,
    pinned: &str,
    width: u16,
) -> Vec<Span<'static>> {
    // The pinned run's curves come first: its validation, then its smoothed loss.
    let dim = data.loss.get(1).map_or(Color::DarkGray, |c| c.color);
    let runs = [
        Span::styled(" ━", Style::new().fg(TRAIN)),
        Span::raw(format!(" now {now}")),
        Span::styled(" ━", Style::new().fg(dim)),
        Span::styled(format!(" pinned {pinned}"), Style::new().fg(Color::Gray)),
    ];
    let need = title.chars().count() + runs.iter().map(|s| s.width()).sum::<usize>();
    // The scale is left out of the title when the labels need the room.
    let title = if need <= width as usize {
        title
    } else {
        "loss".into()
    };
    let mut spans = vec![Span::styled(
        title,
        Style::new().add_modifier(Modifier::BOLD),
    )];
    spans.extend(runs);
    spans
}

fn legend(spans: Vec<Span<'static>>, area: Rect, buf: &mut Buffer) {
    Line::from(spans).render(area, buf);
}
