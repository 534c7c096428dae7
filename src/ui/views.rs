//! What fills the body of the screen: one view per tab.

pub mod demo_picker;
pub mod runtime;
pub mod side_column;
pub mod task_detail;
pub mod tasks;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{Tab, Theme, ViewState};
use crate::model::Model;

/// The current tab's view; a task's detail replaces the tasks table.
pub fn render_body(area: Rect, buf: &mut Buffer, model: &Model, view: &ViewState, theme: &Theme) {
    match view.tab {
        Tab::Tasks => match view.detail_task() {
            Some(id) => task_detail::render(area, buf, model, view, id, theme),
            None => tasks::render(area, buf, model, view, theme),
        },
        Tab::Runtime => runtime::render(area, buf, model, theme),
        Tab::Demos => demo_picker::render(area, buf, model, view, theme),
    }
}
