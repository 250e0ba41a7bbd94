//! The fc-vs-cnn screen's accuracy page: sizes and speeds side by side, both networks'
//! accuracy against steps, and against shift.

use super::plot::{Series, plot};
use super::{ComparePage, Curve};
use crate::nn::mlp::PIXELS;
use crate::number::thousands;
use crate::train::analysis::shift::{MAX_SHIFT, ShiftCurve};
use crate::ui::app::App;
use crate::ui::widgets::colormap::ColorMode;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

/// The two networks' colours (none without colours: the marks tell them apart).
pub fn cnn_style(c: ColorMode) -> Style {
    tinted(c, Color::Cyan)
}

pub fn mlp_style(c: ColorMode) -> Style {
    tinted(c, Color::LightMagenta)
}

fn tinted(c: ColorMode, color: Color) -> Style {
    match c {
        ColorMode::Monochrome => Style::default(),
        _ => Style::default().fg(color),
    }
}

/// The screen's body: the page strip, then the page.
pub fn render_compare(app: &App, area: Rect, buf: &mut Buffer) {
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let page = |p: ComparePage, name: &str| {
        if app.compare.page == p {
            format!("[{name}]")
        } else {
            format!(" {name} ")
        }
    };
    Line::from(vec![
        "fc vs cnn  ".bold(),
        page(ComparePage::Accuracy, "accuracy").into(),
        " ".into(),
        page(ComparePage::Weights, "weights").into(),
        "   Tab: page".dim(),
    ])
    .render(head, buf);
    match app.compare.page {
        ComparePage::Accuracy => render_accuracy_page(app, body, buf),
        ComparePage::Weights => super::weights_view::render_weights_page(app, body, buf),
    }
}

fn pct(v: Option<f32>) -> String {
    v.map_or("–".into(), |v| format!("{:.1} %", 100.0 * v))
}

fn ms(secs: Option<f32>) -> String {
    secs.map_or("–".into(), |s| format!("{:.2} ms", 1000.0 * s))
}

/// The table: parameters, time per batch, training and validation accuracy.
pub fn table_lines(app: &App) -> Vec<Line<'static>> {
    let c = &app.compare;
    let cnn_params = app.arch.plan().map(|p| p.total_params()).ok();
    let mlp_params = c.weights.as_ref().map(|w| w.params);
    let n = |v: Option<usize>| v.map_or("–".into(), thousands);
    let row = |name: &str, params, secs, train: &Curve, val: &Curve, style| {
        Line::styled(
            format!(
                "{name:<4}{:>9}{:>12}{:>11}{:>10}",
                n(params),
                ms(secs),
                pct(train.last()),
                pct(val.last())
            ),
            style,
        )
    };
    vec![
        Line::from(format!(
            "{:<4}{:>9}{:>12}{:>11}{:>10}",
            "", "params", "per batch", "train", "valid."
        ))
        .dim(),
        row(
            "CNN",
            cnn_params,
            c.last.map(|l| l.cnn_secs),
            &c.cnn_train,
            &c.cnn_val,
            cnn_style(app.colors),
        ),
        row(
            "MLP",
            mlp_params,
            c.last.map(|l| l.mlp_secs),
            &c.mlp_train,
            &c.mlp_val,
            mlp_style(app.colors),
        ),
    ]
}

/// The plain lines that say what the comparison shows: long ones for a wide screen, short
/// ones (one row each at 80 columns) for a narrow one.
pub fn explanation(units: usize, wide: bool) -> Vec<Line<'static>> {
    if !wide {
        return vec![
            Line::raw("FC unit: 784 weights, one per pixel. 3x3 filter: 9, used at every pixel."),
            Line::raw("Conv is translation-equivariant: shift the digit, its maps shift with it."),
            Line::raw("FC is neither equivariant nor invariant: a shifted digit is a new pattern."),
        ];
    }
    vec![
        Line::raw(format!(
            "A dense unit on 28x28 pixels has {} weights, one per pixel (+1 bias); the MLP has {units} such units.",
            thousands(PIXELS)
        )),
        Line::raw(
            "A 3x3 conv filter has 9 weights (+1), shared by all 784 positions: shift the digit and its map shifts the same way (translation-equivariant).",
        ),
        Line::raw(
            "An FC unit ties each weight to one pixel: it is neither equivariant nor invariant, so a shifted digit is a new pattern to it.",
        ),
    ]
}

fn render_accuracy_page(app: &App, area: Rect, buf: &mut Buffer) {
    let units = app.compare.units();
    let wide = area.width >= 120;
    let text: Vec<Line> = table_lines(app)
        .into_iter()
        .chain(explanation(units, wide))
        .collect();
    let [top, charts] = Layout::vertical([Constraint::Length(6), Constraint::Fill(1)]).areas(area);
    Paragraph::new(text)
        .wrap(Wrap { trim: false })
        .render(top, buf);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(charts);
    render_steps_chart(app, left, buf);
    render_shift_chart(app, right, buf);
}

fn as_f64(curve: &Curve) -> Vec<(f64, f64)> {
    curve
        .points
        .iter()
        .map(|&(s, v)| (s as f64, f64::from(v)))
        .collect()
}

/// Validation accuracy (and the smoothed batch accuracy) of both against the step.
fn render_steps_chart(app: &App, area: Rect, buf: &mut Buffer) {
    let c = &app.compare;
    let block = Block::bordered().title(" accuracy vs step ");
    let inner = block.inner(area);
    block.render(area, buf);
    let [legend, inner] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    Line::from("C CNN, M MLP: validation; c m: batches")
        .dim()
        .render(legend, buf);
    let curves = [&c.cnn_train, &c.mlp_train, &c.cnn_val, &c.mlp_val].map(as_f64);
    let last = curves
        .iter()
        .filter_map(|p| p.last())
        .map(|p| p.0)
        .fold(1.0, f64::max);
    let low = curves
        .iter()
        .flatten()
        .map(|p| p.1)
        .fold(1.0, f64::min)
        .min(0.9);
    let (cs, ms) = (cnn_style(app.colors), mlp_style(app.colors));
    let series = [
        Series {
            points: &curves[0],
            mark: 'c',
            style: cs,
        },
        Series {
            points: &curves[1],
            mark: 'm',
            style: ms,
        },
        Series {
            points: &curves[2],
            mark: 'C',
            style: cs,
        },
        Series {
            points: &curves[3],
            mark: 'M',
            style: ms,
        },
    ];
    let [axis, plot_area] = axis_split(inner);
    render_axis(axis, low, buf);
    plot(&series, (0.0, last), (low, 1.0), plot_area, buf);
}

/// A column of y labels at the left: top, bottom.
fn axis_split(area: Rect) -> [Rect; 2] {
    Layout::horizontal([Constraint::Length(5), Constraint::Fill(1)]).areas(area)
}

fn render_axis(area: Rect, low: f64, buf: &mut Buffer) {
    if area.height < 2 {
        return;
    }
    let style = Style::default().dim();
    buf.set_string(area.x, area.y, "100%", style);
    let bottom = format!("{:>3.0}%", 100.0 * low);
    buf.set_string(area.x, area.bottom() - 1, bottom, style);
}

fn curve_points(values: &[f32; MAX_SHIFT + 1]) -> Vec<(f64, f64)> {
    values
        .iter()
        .enumerate()
        .map(|(d, &v)| (d as f64, f64::from(v)))
        .collect()
}

/// Test accuracy against shift: right (upper case) and down (lower case).
fn render_shift_chart(app: &App, area: Rect, buf: &mut Buffer) {
    let c = &app.compare;
    let title = match (&c.shift, c.progress) {
        (_, Some((done, total))) => format!(
            " accuracy vs shift: computing {} % ",
            100 * done / total.max(1)
        ),
        (Some(s), None) => format!(" accuracy vs shift, step {} ", thousands(s.step)),
        (None, None) => " accuracy vs shift: a computes it ".into(),
    };
    let block = Block::bordered().title(title);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(s) = &c.shift else {
        return;
    };
    let (cs, ms) = (cnn_style(app.colors), mlp_style(app.colors));
    let pts = |curve: &ShiftCurve| {
        (
            curve_points(&curve.horizontal),
            curve_points(&curve.vertical),
        )
    };
    let (ch, cv) = pts(&s.cnn);
    let (mh, mv) = s.mlp.as_ref().map(pts).unwrap_or_default();
    let [legend, rest] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    let note = format!(
        "C c: CNN right, down; M m: MLP; 0-{MAX_SHIFT} px; {} digits",
        thousands(s.samples)
    );
    Line::from(note).dim().render(legend, buf);
    let [axis, plot_area] = axis_split(rest);
    render_axis(axis, 0.0, buf);
    let series = [
        Series {
            points: &mv,
            mark: 'm',
            style: ms,
        },
        Series {
            points: &mh,
            mark: 'M',
            style: ms,
        },
        Series {
            points: &cv,
            mark: 'c',
            style: cs,
        },
        Series {
            points: &ch,
            mark: 'C',
            style: cs,
        },
    ];
    plot(&series, (0.0, MAX_SHIFT as f64), (0.0, 1.0), plot_area, buf);
}
