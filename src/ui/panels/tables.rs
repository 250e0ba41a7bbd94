//! The microscope's tables of numbers: the input patch, the kernel and their products side by
//! side or stacked, the sum of each input channel, a pooling window; then the sum, the bias,
//! the result beside the network's own value, and the ReLU. Each is a list of lines that the
//! focus view measures to choose the form that fits.

use crate::nn::reference::Pooling;
use crate::ui::readout::{ConvReadout, PoolReadout};
use crate::ui::widgets::colormap::ColorMode;
use ndarray::Axis;
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};

/// The zero padding's own colour (also on the input picture).
pub const PAD: (u8, u8, u8) = (64, 128, 118);
/// Pixels no window reaches.
pub const DROPPED: (u8, u8, u8) = (210, 50, 50);
/// Positions of the map the slide has not computed yet.
pub const PENDING: (u8, u8, u8) = (58, 58, 66);
/// The cursor's pixel.
pub const CURSOR: (u8, u8, u8) = (40, 255, 120);
/// Signs of weights and products: the ends of the diverging colour map.
const NEGATIVE: (u8, u8, u8) = (90, 170, 255);
const POSITIVE: (u8, u8, u8) = (255, 170, 60);

/// How the K×K matrices are arranged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// input × kernel = products, side by side.
    Wide,
    /// input × kernel side by side, the products below.
    Medium,
    /// One above the other.
    Tall,
    /// The sum of each input channel, in this many columns.
    Sums(usize),
}

/// A style with an RGB colour, or none in monochrome.
pub fn rgb(colors: ColorMode, c: (u8, u8, u8)) -> Style {
    colors.color(c).map_or(Style::new(), |c| Style::new().fg(c))
}

fn signed(v: f32, colors: ColorMode) -> Style {
    match v {
        v if v > 0.0 => rgb(colors, POSITIVE),
        v if v < 0.0 => rgb(colors, NEGATIVE),
        _ => Style::new().fg(Color::DarkGray),
    }
}

/// `v` with a sign; −0 (a negative weight times a zero pixel) reads as +0.
fn plus(v: f32, d: usize) -> String {
    format!("{:+.d$}", v + 0.0)
}

/// A K×K matrix of cells, each already formatted.
type Matrix = Vec<Vec<(String, Style)>>;

fn matrix<T: Copy>(values: ndarray::ArrayView2<T>, cell: impl Fn(T) -> (String, Style)) -> Matrix {
    values
        .outer_iter()
        .map(|row| row.iter().map(|&v| cell(v)).collect())
        .collect()
}

/// The rows of a matrix as spans, each cell right-aligned in `w` columns.
fn rows(m: &Matrix, w: usize) -> Vec<Vec<Span<'static>>> {
    m.iter()
        .map(|row| {
            row.iter()
                .map(|(s, st)| Span::styled(format!("{s:>w$}"), *st))
                .collect()
        })
        .collect()
}

/// `matrices` with titles, placed side by side with an operator on the middle row between them.
fn side_by_side(parts: &[(&str, &str, &Matrix)], w: usize) -> Vec<Line<'static>> {
    let k = parts.first().map_or(0, |p| p.2.len());
    let width = |m: &Matrix| m.first().map_or(0, |r| r.len()) * w;
    let mut title = Vec::new();
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new(); k];
    for (op, name, m) in parts {
        let op_w = op.chars().count();
        title.push(Span::raw(format!("{:op_w$}{name:<mw$}", "", mw = width(m))).bold());
        for (i, row) in rows(m, w).into_iter().enumerate() {
            let op = if i == k / 2 {
                op.to_string()
            } else {
                " ".repeat(op_w)
            };
            lines[i].push(Span::raw(op).bold());
            lines[i].extend(row);
        }
    }
    std::iter::once(Line::from(title))
        .chain(lines.into_iter().map(Line::from))
        .collect()
}

/// Lines for one input channel's K×K (`ch`) or the channel sums, then the sum, the bias, the
/// result beside the network's value, and the ReLU. `d` decimals.
pub fn conv_table(
    r: &ConvReadout,
    ch: usize,
    network: f32,
    form: Form,
    (d, colors): (usize, ColorMode),
) -> Vec<Line<'static>> {
    let (mut lines, one) = match form {
        Form::Sums(cols) => (channel_sums(r, ch, cols, d, colors), None),
        // One channel's products sum to that channel's part of the whole.
        _ => {
            let one = (r.channel_sums.len() > 1).then_some(ch);
            (arrange(form, matrices(r, ch, (d, colors))), one)
        }
    };
    lines.extend(summary(r, (network, one), d + 1, colors));
    lines
}

/// Channel `ch`'s input patch (the padding as `0` in its colour), kernel and products.
fn matrices(r: &ConvReadout, ch: usize, (d, colors): (usize, ColorMode)) -> [Matrix; 3] {
    let pad = ("0".to_string(), rgb(colors, PAD));
    let patch = r.patch.index_axis(Axis(0), ch);
    let input = matrix(patch, |x: Option<f32>| match x {
        Some(v) => (format!("{v:.d$}"), Style::new()),
        None => pad.clone(),
    });
    let kernel = matrix(r.kernel.index_axis(Axis(0), ch), |v: f32| {
        (plus(v, d), signed(v, colors))
    });
    let products = r.products.index_axis(Axis(0), ch);
    let products = ndarray::Zip::from(patch)
        .and(products)
        .map_collect(|x, &v| x.map(|_| v));
    let products = matrix(products.view(), |x: Option<f32>| match x {
        Some(v) => (plus(v, d), signed(v, colors)),
        None => pad.clone(),
    });
    [input, kernel, products]
}

/// input × kernel = products in `form`, each cell as wide as the widest number and a space.
fn arrange(form: Form, [input, kernel, products]: [Matrix; 3]) -> Vec<Line<'static>> {
    let w = [&input, &kernel, &products]
        .iter()
        .flat_map(|m| m.iter().flatten())
        .map(|(s, _)| s.chars().count())
        .max()
        .unwrap_or(0)
        + 1;
    let (i, k, p) = (
        ("", "input", &input),
        (" × ", "kernel", &kernel),
        (" = ", "products", &products),
    );
    match form {
        Form::Wide => side_by_side(&[i, k, p], w),
        Form::Medium => {
            let mut l = side_by_side(&[i, k], w);
            l.extend(side_by_side(&[("", "= products", &products)], w));
            l
        }
        Form::Tall | Form::Sums(_) => {
            let mut l = side_by_side(&[i], w);
            l.extend(side_by_side(&[("", "× kernel", &kernel)], w));
            l.extend(side_by_side(&[("", "= products", &products)], w));
            l
        }
    }
}

/// The sum of each input channel's products, in `cols` columns; `▸` marks channel `ch`.
fn channel_sums(
    r: &ConvReadout,
    ch: usize,
    cols: usize,
    d: usize,
    colors: ColorMode,
) -> Vec<Line<'static>> {
    let n = r.channel_sums.len();
    let per_col = n.div_ceil(cols.max(1));
    let digits = n.to_string().len();
    let mut lines = vec![Line::from("Σ input × kernel, per channel").bold()];
    for row in 0..per_col {
        let mut spans = Vec::new();
        for c in (0..cols).map(|col| col * per_col + row).filter(|&c| c < n) {
            let mark = if c == ch { "▸" } else { " " };
            let v = r.channel_sums[c];
            spans.push(Span::raw(format!("{mark}ch {:>digits$} ", c + 1)));
            spans.push(Span::styled(format!("{v:+.d$}  "), signed(v, colors)));
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// Σ (after channel `one`'s own sum, when one channel of several is detailed), bias, result
/// and the network's value, ReLU: one per line, `d` decimals.
fn summary(
    r: &ConvReadout,
    (network, one): (f32, Option<usize>),
    d: usize,
    colors: ColorMode,
) -> Vec<Line<'static>> {
    let row = |label: &str, v: f32| {
        Line::from(vec![
            Span::raw(format!("{label:<8}")),
            Span::styled(plus(v, d), signed(v, colors)),
        ])
    };
    let mut network_row = row("network", network);
    network_row.push_span(agreement(r.result, network));
    let mut lines: Vec<Line<'static>> = one
        .map(|ch| {
            let all = format!("Σ all {}", r.channel_sums.len());
            vec![
                row(&format!("Σ ch {}", ch + 1), r.channel_sums[ch]),
                row(&all, r.sum),
            ]
        })
        .unwrap_or_else(|| vec![row("Σ", r.sum)]);
    lines.extend([
        row("+ bias", r.bias),
        row("= sum", r.result).add_modifier(Modifier::BOLD),
        network_row,
        row("ReLU", r.relu),
    ]);
    lines
}

/// ` ✓` when the microscope's value is the network's (to float rounding), else ` ≠`.
fn agreement(mine: f32, network: f32) -> Span<'static> {
    if (mine - network).abs() <= 1e-4 * network.abs().max(1.0) {
        Span::raw(" ✓").green().bold()
    } else {
        Span::raw(" ≠").red().bold()
    }
}

/// A pooling window, its max in brackets, then what max and average pooling give; the layer's
/// own pooling is marked.
pub fn pool_table(r: &PoolReadout, op: Pooling, network: f32, d: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from("window").bold()];
    for (i, row) in r.window.outer_iter().enumerate() {
        let spans: Vec<Span> = row
            .iter()
            .enumerate()
            .map(|(j, v)| {
                let s = format!("{v:.d$}");
                if (i, j) == r.argmax {
                    Span::raw(format!("[{s}]")).bold()
                } else {
                    Span::raw(format!(" {s} "))
                }
            })
            .collect();
        lines.push(Line::from(spans));
    }
    let d = d + 1;
    let used = |o: Pooling| if o == op { " ◀ this layer" } else { "" };
    lines.push(Line::from(vec![
        Span::raw(format!("max keeps  {:+.d$}", r.max)),
        Span::raw(used(Pooling::Max)).cyan(),
    ]));
    lines.push(Line::from(vec![
        Span::raw(format!("mean gives {:+.d$}", r.mean)),
        Span::raw(used(Pooling::Avg)).cyan(),
    ]));
    lines.push(Line::from(vec![
        Span::raw(format!("network    {network:+.d$}")),
        agreement(r.value(op), network),
    ]));
    lines
}

/// A filter's K×K weights of one channel, coloured by sign.
pub fn weights(w: ndarray::ArrayView2<f32>, colors: ColorMode) -> Vec<Line<'static>> {
    let m = matrix(w, |v: f32| (plus(v, 3), signed(v, colors)));
    rows(&m, 7).into_iter().map(Line::from).collect()
}

/// (columns, rows) a list of lines takes.
pub fn size(lines: &[Line]) -> (u16, u16) {
    let w = lines.iter().map(Line::width).max().unwrap_or(0);
    (w as u16, lines.len() as u16)
}
