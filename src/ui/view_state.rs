//! What the user chose to look at: sort, selection, overlays, pause. Kept
//! apart from the model so the same model can be shown many ways.

use ratatui::layout::Rect;

use super::resource_table::ResourcesView;
use super::task_order::{Collapsed, RowQuery, TaskRow};
use super::{Tab, TaskFilter, TaskOrder};
use crate::app::keymap::Keymap;
use crate::feed::TaskId;
use crate::model::Model;

/// A column of the tasks table, in display order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Column {
    Id,
    State,
    Location,
    Parent,
    Total,
    #[default]
    Busy,
    Sched,
    Idle,
    Polls,
}

impl Column {
    pub const ALL: [Column; 9] = [
        Column::Id,
        Column::State,
        Column::Location,
        Column::Parent,
        Column::Total,
        Column::Busy,
        Column::Sched,
        Column::Idle,
        Column::Polls,
    ];

    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Column::Id => "ID",
            Column::State => "State",
            Column::Location => "Location",
            Column::Parent => "Parent",
            Column::Total => "Total",
            Column::Busy => "Busy",
            Column::Sched => "Sched",
            Column::Idle => "Idle",
            Column::Polls => "Polls",
        }
    }

    fn index(self) -> usize {
        Column::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }

    /// The column to the right, wrapping around.
    #[must_use]
    pub fn next(self) -> Column {
        Column::ALL[(self.index() + 1) % Column::ALL.len()]
    }

    /// The column to the left, wrapping around.
    #[must_use]
    pub fn prev(self) -> Column {
        Column::ALL[(self.index() + Column::ALL.len() - 1) % Column::ALL.len()]
    }

    /// Figures are most interesting largest first; names and ids in order.
    #[must_use]
    pub fn descending_by_default(self) -> bool {
        !matches!(self, Column::Id | Column::Location | Column::Parent)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Self {
            column: Column::Busy,
            descending: true,
        }
    }
}

#[derive(Debug, Default)]
pub struct ViewState {
    pub sort: Sort,
    /// The selected task, followed by id so it stays put when rows re-sort.
    pub selected: Option<TaskId>,
    /// Where the selection was, for when its task is evicted.
    pub selected_hint: usize,
    /// The display is frozen; the model keeps ingesting.
    pub paused: bool,
    pub help: bool,
    /// The source closed its feed: what is shown is final.
    pub ended: bool,
    /// The sorted task order, cached between frames.
    pub order: TaskOrder,
    pub tab: Tab,
    /// Task details opened, the last one shown; Esc goes back one.
    pub detail: Vec<TaskId>,
    /// The highlighted link (parent, then children) in the detail.
    pub detail_link: usize,
    /// The tasks table as a spawn tree.
    pub tree: bool,
    pub collapsed: Collapsed,
    pub filter: TaskFilter,
    /// The highlighted demo in the picker.
    pub demo_cursor: usize,
    /// The size of the last frame drawn, to map mouse clicks to rows.
    pub screen: Rect,
    /// The keys, with the config's overrides: input, footer and help.
    pub keymap: Keymap,
    /// The highlighted warning in the warnings tab.
    pub warning_cursor: usize,
    /// The resources tab: sort, selection, filter, the detail open.
    pub resources: ResourcesView,
    /// The highlighted series in the metrics tab.
    pub metric_cursor: usize,
    /// How far the help overlay is scrolled, in lines.
    pub help_scroll: usize,
    /// The tab a task detail was opened from (warnings, resources): Esc
    /// from that detail goes back there.
    pub return_tab: Option<Tab>,
}

impl ViewState {
    /// The selected row in `ids`: the selected task if it is there, else
    /// the row where it was, else none.
    #[must_use]
    pub fn selected_index(&self, ids: &[TaskId]) -> Option<usize> {
        let selected = self.selected?;
        let last = ids.len().checked_sub(1)?;
        Some(
            ids.iter()
                .position(|id| *id == selected)
                .unwrap_or_else(|| self.selected_hint.min(last)),
        )
    }

    /// [`ViewState::selected_index`] over table rows.
    #[must_use]
    pub fn selected_row(&self, rows: &[TaskRow]) -> Option<usize> {
        let selected = self.selected?;
        let last = rows.len().checked_sub(1)?;
        Some(
            rows.iter()
                .position(|r| r.id == selected)
                .unwrap_or_else(|| self.selected_hint.min(last)),
        )
    }

    /// What the tasks table's rows are built from.
    #[must_use]
    pub fn row_query(&self) -> RowQuery<'_> {
        RowQuery {
            sort: self.sort,
            filter: &self.filter,
            tree: self.tree,
            collapsed: &self.collapsed,
        }
    }

    /// Brings the cached row order up to date with `model` (re-sorts only
    /// if the model or the query changed since the last call).
    pub fn refresh_order(&mut self, model: &Model) {
        let query = RowQuery {
            sort: self.sort,
            filter: &self.filter,
            tree: self.tree,
            collapsed: &self.collapsed,
        };
        self.order.refresh(model, &query);
    }

    /// The filter being typed: the resources' on their tab, else the tasks'.
    pub fn editing_filter_mut(&mut self) -> &mut TaskFilter {
        if self.resources.filter.editing() {
            &mut self.resources.filter
        } else {
            &mut self.filter
        }
    }

    /// The task whose detail is open, if any.
    #[must_use]
    pub fn detail_task(&self) -> Option<TaskId> {
        self.detail.last().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_wrap_both_ways() {
        assert_eq!(Column::Polls.next(), Column::Id);
        assert_eq!(Column::Id.prev(), Column::Polls);
        for c in Column::ALL {
            assert_eq!(c.next().prev(), c);
        }
    }

    #[test]
    fn selection_follows_the_task_then_falls_back_to_its_row() {
        let mut v = ViewState::default();
        assert_eq!(v.selected_index(&[1, 2, 3]), None);
        v.selected = Some(2);
        v.selected_hint = 1;
        assert_eq!(v.selected_index(&[3, 1, 2]), Some(2));
        assert_eq!(v.selected_index(&[3, 1]), Some(1));
        v.selected_hint = 9;
        assert_eq!(v.selected_index(&[3, 1]), Some(1));
        assert_eq!(v.selected_index(&[]), None);
    }
}
