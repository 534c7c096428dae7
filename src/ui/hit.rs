//! What a mouse click at a screen cell lands on.

use ratatui::layout::Position;

use super::layout::screen_areas;
use super::{views, Tab, ViewState};
use crate::feed::TaskId;
use crate::model::Model;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// A row of the tasks table (or tree): its task and its index.
    TaskRow { id: TaskId, index: usize },
    /// A demo in the picker, by index in the catalog.
    Demo(usize),
    /// A parent or child link in the task detail, by index.
    DetailLink(usize),
    /// A row of the resources table, by index.
    ResourceRow(usize),
}

/// The thing drawn at (`column`, `row`) in the last frame, if any.
#[must_use]
pub fn hit(model: &Model, view: &ViewState, column: u16, row: u16) -> Option<Hit> {
    if view.help {
        return None;
    }
    let areas = screen_areas(view.screen, model.replay().is_some())?;
    if !areas.body.contains(Position::new(column, row)) {
        return None;
    }
    match view.tab {
        Tab::Tasks => match view.detail_task() {
            Some(id) => views::task_detail::link_at(areas.body, model, id, view.detail_link, row)
                .map(Hit::DetailLink),
            None => {
                let rows = view.order.rows(model, &view.row_query());
                let index = views::tasks::row_at(areas.body, view, &rows, row)?;
                Some(Hit::TaskRow {
                    id: rows.rows[index].id,
                    index,
                })
            }
        },
        Tab::Demos => views::demo_picker::demo_at(areas.body, view, row).map(Hit::Demo),
        Tab::Resources if view.resources.detail.is_none() => {
            let rows = view.resources.rows(model);
            views::resources::row_at(areas.body, view, &rows, row).map(Hit::ResourceRow)
        }
        Tab::Resources | Tab::Runtime | Tab::Metrics | Tab::Warnings => None,
    }
}
