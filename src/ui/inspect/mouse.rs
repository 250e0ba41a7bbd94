//! What a click does on the inspect screen: the page strip switches pages; on the pages, the
//! same geometry the views draw with (`confusion_layout`, `thumb_at`, `chip_layout`,
//! `bar_area`) says what was clicked.

use super::{Page, confusion_view, filters_view, lapse_view, thumbs_view};
use crate::train::messages::Command;
use crate::ui::app::App;
use crate::ui::layout::focus_areas;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

impl App {
    /// A click on the inspect screen: the page strip (the body's first row) switches pages;
    /// on the page, a click selects a matrix cell, a wrong digit (a second click makes it the
    /// probe), a filter, or the time-lapse's frame.
    pub(in crate::ui) fn on_inspect_mouse(&mut self, mouse: &MouseEvent) -> Vec<Command> {
        let area = ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1);
        let Some(body) = focus_areas(self, area).map(|a| a.body) else {
            return Vec::new();
        };
        if mouse.kind != MouseEventKind::Down(MouseButton::Left) || body.height < 2 {
            return Vec::new();
        }
        if mouse.row == body.y {
            if let Some(page) = super::pages::strip_hit(body.x, mouse.column) {
                self.inspect.page = page;
                return self.analysis_request();
            }
            return Vec::new();
        }
        let page = ratatui::layout::Rect {
            y: body.y + 1,
            height: body.height - 1,
            ..body
        };
        self.on_page_click(page, Position::new(mouse.column, mouse.row))
    }

    /// A click at `pos` of the page drawn in `area`.
    fn on_page_click(&mut self, area: ratatui::layout::Rect, pos: Position) -> Vec<Command> {
        let inspect = &mut self.inspect;
        match inspect.page {
            Page::Confusion => {
                if let Some(cell) = confusion_view::cell_at(area, pos) {
                    inspect.cell = cell;
                    inspect.mistake = 0;
                    return Vec::new();
                }
                let thumbs = confusion_view::confusion_layout(area).thumbs;
                if let Some(k) = thumbs_view::thumb_at(inspect, thumbs, pos) {
                    if k == inspect.mistake {
                        return self.choose_mistake();
                    }
                    inspect.mistake = k;
                }
            }
            Page::Filters if inspect.lapse.is_some() => {
                let bar = lapse_view::bar_area(&self.timelapse, area);
                if let Some(bar) = bar.filter(|b| b.contains(pos)) {
                    let i = lapse_view::frame_at_column(&self.timelapse, bar, pos.x);
                    inspect.lapse = Some(super::lapse::moved(&self.timelapse, i, 0));
                }
            }
            Page::Filters => {
                let hit = inspect
                    .filters
                    .as_ref()
                    .and_then(|scan| filters_view::chip_at(scan, area, pos));
                if let Some(at) = hit {
                    inspect.filter = at;
                }
            }
            Page::Saliency | Page::Layers => {}
        }
        Vec::new()
    }
}
