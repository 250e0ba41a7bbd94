//! The mouse on the labs screen: a click on the page strip chooses a lab; on the drawing lab
//! the left button draws (a drag inks a line) and the right one erases; on the kernels lab a
//! click on the output opens the microscope there, and in the microscope moves its cursor.

use super::view::{lab_areas, strip_hit};
use super::{LabPage, draw_view, kernels_scope, kernels_view};
use crate::train::messages::Command;
use crate::ui::app::App;
use crate::ui::layout::focus_areas;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

impl App {
    /// A mouse event while the labs screen is shown.
    pub(in crate::ui) fn on_labs_mouse(&mut self, mouse: &MouseEvent) -> Vec<Command> {
        let Some(areas) = focus_areas(self, Rect::new(0, 0, self.size.0, self.size.1)) else {
            return Vec::new();
        };
        let (x, y) = (mouse.column, mouse.row);
        // (A click on the status line's screen strip was handled before.)
        if mouse.kind == MouseEventKind::Down(MouseButton::Left) {
            let strip = lab_areas(areas.body, self.labs.page).strip;
            if y == strip.y
                && let Some(page) = strip_hit(strip, self.labs.page, x)
            {
                self.labs.page = page;
                return self.labs_request();
            }
        }
        if self.labs.page == LabPage::Kernels {
            self.on_kernels_click(mouse, lab_areas(areas.body, LabPage::Kernels).page);
            return Vec::new();
        }
        if self.labs.page != LabPage::Draw {
            return Vec::new();
        }
        let pad = draw_view::pad_rect(lab_areas(areas.body, LabPage::Draw).page);
        let at = draw_view::pixel_at(pad, Position::new(x, y));
        let erase =
            match mouse.kind {
                MouseEventKind::Down(MouseButton::Left)
                | MouseEventKind::Drag(MouseButton::Left) => false,
                MouseEventKind::Down(MouseButton::Right)
                | MouseEventKind::Drag(MouseButton::Right) => true,
                MouseEventKind::Up(_) => {
                    self.labs.pad.last = None;
                    return Vec::new();
                }
                _ => return Vec::new(),
            };
        match at {
            Some(px) => {
                if matches!(mouse.kind, MouseEventKind::Down(_)) {
                    self.labs.pad.last = None;
                }
                self.labs.pad.stroke(px, erase);
                self.lab_image()
            }
            // A drag that leaves the pad lifts the pen there.
            None => {
                self.labs.pad.last = None;
                Vec::new()
            }
        }
    }
}

impl App {
    /// A left click on the kernels lab drawn in `page`: the output pixel under it becomes the
    /// microscope's cursor (opening the microscope from the plain page).
    fn on_kernels_click(&mut self, mouse: &MouseEvent, page: Rect) {
        if mouse.kind != MouseEventKind::Down(MouseButton::Left) {
            return;
        }
        let pos = Position::new(mouse.column, mouse.row);
        let at = match self.labs.scope {
            Some(_) => kernels_scope::pixel_at(self, page, pos),
            None => kernels_scope::probe_conv(self)
                .and_then(|c| kernels_view::output_pixel(page, c.output.dim(), pos)),
        };
        if let Some(at) = at {
            self.labs.scope = Some(at);
        }
    }
}
