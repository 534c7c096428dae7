//! What fills the body of the screen: one view per tab.

mod column_fit;
pub mod demo_picker;
pub mod metrics;
pub mod resource_detail;
pub mod resources;
pub mod runtime;
pub mod side_column;
mod table_title;
pub mod task_detail;
pub mod tasks;
pub mod warnings;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{Tab, Theme, ViewState};
use crate::lints::Warning;
use crate::model::Model;

/// The current tab's view; a task's (a resource's) detail replaces the
/// tasks (resources) table.
pub fn render_body(
    area: Rect,
    buf: &mut Buffer,
    model: &Model,
    view: &ViewState,
    warnings: &[Warning],
    theme: &Theme,
) {
    match view.tab {
        Tab::Tasks => match view.detail_task() {
            Some(id) => task_detail::render(area, buf, model, view, id, warnings, theme),
            None => tasks::render(area, buf, model, view, theme),
        },
        Tab::Resources => match &view.resources.detail {
            Some(key) => resource_detail::render(area, buf, model, view, key, theme),
            None => resources::render(area, buf, model, view, theme),
        },
        Tab::Runtime => runtime::render(area, buf, model, theme),
        Tab::Metrics => metrics::render(area, buf, model, view, theme),
        Tab::Warnings => warnings::render(area, buf, model, view, warnings, theme),
        Tab::Demos => demo_picker::render(area, buf, model, view, theme),
    }
}
