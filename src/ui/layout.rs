//! Where everything goes on the screen, and what a click at a cell lands on: the one layout
//! that the view draws and the mouse handling reads. The panels' own frames (`panel_block`)
//! and their inner geometry (`ledger::block_at`, `filters::tile_at`) stay with the panels,
//! which import nothing from here, so the imports run one way: view and input → layout →
//! panels → app.

use super::app::{App, Panel};
use super::panels::{filters, focus, ledger, maps, panel_block};
use super::screen::{self, Screen};
use crate::nn::plan::LayerId;
use ratatui::layout::{Constraint, Layout, Position, Rect};

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
        Layout::horizontal([Constraint::Percentage(38), Constraint::Fill(1)]).areas(bottom);
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

/// The focus view's screen: the status line, the banner, the view, the hint bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FocusAreas {
    pub status: Rect,
    pub banner: Rect,
    pub body: Rect,
    pub hints: Rect,
}

/// Where the focus view goes in `area`, or `None` when it is too small to draw.
pub fn focus_areas(app: &App, area: Rect) -> Option<FocusAreas> {
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        return None;
    }
    let [status, banner, body, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(banner_rows(app, area.width)),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Some(FocusAreas {
        status,
        banner,
        body,
        hints,
    })
}

/// The map pixel a click at (column, row) chooses in the open focus view.
pub fn focus_pixel_at(app: &App, column: u16, row: u16) -> Option<(usize, usize)> {
    let areas = focus_areas(app, Rect::new(0, 0, app.size.0, app.size.1))?;
    focus::pixel_at(app, areas.body, Position::new(column, row))
}

/// The layout of `area` for the app's focus and banner, as drawn and as clicked.
pub fn app_areas(app: &App, area: Rect) -> Option<Areas> {
    areas(area, app.focus, banner_rows(app, area.width))
}

/// Rows the banner needs at `width`: two when its message would be cut, since the end of a
/// rebuild message (what was kept, what was re-initialised) is the part that matters.
pub fn banner_rows(app: &App, width: u16) -> u16 {
    match &app.banner {
        Some(b) if b.text.chars().count() + 4 > width as usize => 2,
        _ => 1,
    }
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
    /// A map in the feature maps panel: the layer (`None` for the input digit), the channel.
    Map(Option<LayerId>, usize),
}

/// What a click at (column, row) of the app's terminal lands on, by the layout `view` draws.
pub fn hit_test(app: &App, column: u16, row: u16) -> Option<Hit> {
    let areas = app_areas(app, Rect::new(0, 0, app.size.0, app.size.1))?;
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
        Panel::Maps => maps::tile_at(app, inner, pos).map(|(id, ch)| Hit::Map(id, ch)),
        _ => None,
    };
    Some(hit.unwrap_or(Hit::Panel(panel)))
}

/// The screen whose entry in the status line's strip is at (column, row).
pub fn screen_at(app: &App, column: u16, row: u16) -> Option<Screen> {
    let status = focus_areas(app, Rect::new(0, 0, app.size.0, app.size.1))?.status;
    let strip = screen::strip_area(status, app.screen);
    (row == strip.y).then(|| screen::strip_hit(strip, app.screen, column))?
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
