//! Layout and the frame: a pure function of the `App`. One `render_*` function per panel;
//! the same layout serves mouse hit-testing.

use super::app::{App, Panel};
pub use super::bars::{banner_rows, render_banner, render_hints, render_status, render_tabs};
use super::panels::{chart, filters, ledger, maps, prediction};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

/// Below this nothing but a "too small" message is drawn.
pub const MIN_SIZE: (u16, u16) = (60, 16);
/// From this size on every panel is shown at once; below it, one panel at a time as tabs.
pub const FULL_SIZE: (u16, u16) = (140, 40);
/// Widths of the ledger and prediction panels in the full layout.
const LEDGER_W: u16 = 80;
const PREDICTION_W: u16 = 26;

/// Where everything goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Areas {
    pub status: Rect,
    pub banner: Rect,
    pub tabs: Option<Rect>,
    pub panels: Vec<(Panel, Rect)>,
    pub hints: Rect,
}

/// The layout of `area`, or `None` when it is too small to draw.
pub fn areas(area: Rect, focus: Panel, banner_rows: u16) -> Option<Areas> {
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        return None;
    }
    let full = area.width >= FULL_SIZE.0 && area.height >= FULL_SIZE.1;
    let tab_rows = if full { 0 } else { 1 };
    let [status, banner, tabs, body, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(banner_rows),
        Constraint::Length(tab_rows),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    if !full {
        return Some(Areas {
            status,
            banner,
            tabs: Some(tabs),
            panels: vec![(focus, body)],
            hints,
        });
    }
    let top_h = ((body.height as u32 * 38 / 100) as u16).max(15);
    let [top, bottom] =
        Layout::vertical([Constraint::Length(top_h), Constraint::Fill(1)]).areas(body);
    let [chart, ledger, prediction] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(LEDGER_W),
        Constraint::Length(PREDICTION_W),
    ])
    .areas(top);
    let [filters, maps] =
        Layout::horizontal([Constraint::Percentage(36), Constraint::Fill(1)]).areas(bottom);
    let panels = vec![
        (Panel::Chart, chart),
        (Panel::Ledger, ledger),
        (Panel::Prediction, prediction),
        (Panel::Filters, filters),
        (Panel::Maps, maps),
    ];
    Some(Areas {
        status,
        banner,
        tabs: None,
        panels,
        hints,
    })
}

/// What a mouse click at (column, row) lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Panel(Panel),
    /// A ledger row of this conv block.
    Block(usize),
    Filter {
        block: usize,
        filter: usize,
    },
}

pub fn hit_test(app: &App, column: u16, row: u16) -> Option<Hit> {
    let rows = banner_rows(app, app.size.0);
    let areas = areas(Rect::new(0, 0, app.size.0, app.size.1), app.focus, rows)?;
    let pos = Position::new(column, row);
    if let Some(tabs) = areas.tabs.filter(|t| t.contains(pos)) {
        return tab_at(tabs, column).map(Hit::Panel);
    }
    let (panel, rect) = areas
        .panels
        .iter()
        .copied()
        .find(|(_, r)| r.contains(pos))?;
    let inner = panel_block(app, panel, "").inner(rect);
    let hit = match panel {
        Panel::Ledger => ledger::block_at(app, inner, pos).map(Hit::Block),
        Panel::Filters => {
            filters::tile_at(app, inner, pos).map(|(block, filter)| Hit::Filter { block, filter })
        }
        _ => None,
    };
    Some(hit.unwrap_or(Hit::Panel(panel)))
}

/// Tab labels and their widths, in `Panel::ALL` order.
pub fn tab_labels() -> impl Iterator<Item = (Panel, String)> {
    Panel::ALL
        .into_iter()
        .map(|p| (p, format!(" {} ", p.title())))
}

fn tab_at(tabs: Rect, column: u16) -> Option<Panel> {
    let mut x = tabs.x;
    for (panel, label) in tab_labels() {
        let w = label.chars().count() as u16 + 1;
        if column >= x && column < x + w {
            return Some(panel);
        }
        x += w;
    }
    None
}

/// The bordered block of a panel, highlighted when focused.
pub fn panel_block<'a>(app: &App, panel: Panel, extra: &'a str) -> Block<'a> {
    let focused = app.focus == panel;
    let border = if focused {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new().fg(Color::DarkGray)
    };
    let mut title = vec![Span::styled(
        format!(" {} ", panel.title()),
        border.add_modifier(Modifier::BOLD),
    )];
    if !extra.is_empty() {
        title.push(Span::styled(
            format!("{extra} "),
            Style::new().fg(Color::Gray),
        ));
    }
    Block::bordered()
        .border_style(border)
        .title(Line::from(title))
}

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Some(areas) = areas(area, self.focus, banner_rows(self, area.width)) else {
            render_too_small(area, buf);
            return;
        };
        render_status(self, areas.status, buf);
        render_banner(self, areas.banner, buf);
        if let Some(tabs) = areas.tabs {
            render_tabs(self, tabs, buf);
        }
        for &(panel, rect) in &areas.panels {
            render_panel(self, panel, rect, buf);
        }
        render_hints(self, areas.hints, buf);
        if self.help {
            super::help::render_help(self, area, buf);
        }
    }
}

fn render_panel(app: &App, panel: Panel, area: Rect, buf: &mut Buffer) {
    match panel {
        Panel::Chart => chart::render_chart(app, area, buf),
        Panel::Ledger => ledger::render_ledger(app, area, buf),
        Panel::Filters => filters::render_filters(app, area, buf),
        Panel::Maps => maps::render_maps(app, area, buf),
        Panel::Prediction => prediction::render_prediction(app, area, buf),
    }
}

pub fn render_too_small(area: Rect, buf: &mut Buffer) {
    let text = format!(
        "terminal too small: {}×{}, need {}×{} (all panels from {}×{})",
        area.width, area.height, MIN_SIZE.0, MIN_SIZE.1, FULL_SIZE.0, FULL_SIZE.1
    );
    Paragraph::new(text)
        .wrap(ratatui::widgets::Wrap { trim: true })
        .yellow()
        .render(area, buf);
}
