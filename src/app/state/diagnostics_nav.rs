//! Keys on the warnings, resources and metrics tabs: moving the cursor,
//! sorting and filtering the resources, and Enter following a warning or
//! a resource to what it names.

use super::{AppState, Move};
use crate::app::Action;
use crate::feed::TaskId;
use crate::ui::resource_table::party_links;
use crate::ui::{target_of, Tab, ViewState, WarningTarget};

/// Enter on these tabs; false if the tab is not one of them.
pub(super) fn open(state: &mut AppState) -> bool {
    let shown = state.frozen.as_ref().unwrap_or(&state.live);
    let view = &mut state.view;
    match view.tab {
        Tab::Warnings => {
            let warnings = state.lints.warnings();
            let Some(w) = warnings.get(view.warning_cursor.min(warnings.len().saturating_sub(1)))
            else {
                return true;
            };
            match target_of(w, shown) {
                Some(WarningTarget::Task(id)) => open_task(view, id, Tab::Warnings),
                Some(WarningTarget::Resource(key)) => {
                    view.tab = Tab::Resources;
                    view.resources.selected = Some(key.clone());
                    view.resources.detail = Some(key);
                    view.resources.link = 0;
                }
                None => {}
            }
        }
        Tab::Resources => match view.resources.detail.clone() {
            Some(key) => {
                let links = party_links(shown, &key);
                if let Some(Some(id)) = links.get(view.resources.link) {
                    open_task(view, *id, Tab::Resources);
                }
            }
            None => {
                let rows = view.resources.rows(shown);
                let index = view.resources.selected_row(&rows).unwrap_or(0);
                if let Some(row) = rows.get(index) {
                    view.resources.selected = Some(row.key.clone());
                    view.resources.detail = Some(row.key.clone());
                    view.resources.link = 0;
                }
            }
        },
        _ => return false,
    }
    true
}

/// The task's detail, with Esc leading back to `from`.
fn open_task(view: &mut ViewState, id: TaskId, from: Tab) {
    view.tab = Tab::Tasks;
    view.detail = vec![id];
    view.detail_link = 0;
    view.return_tab = Some(from);
}

/// Up, down, first, last on these tabs; false if the tab is not one of them.
pub(super) fn move_selection(state: &mut AppState, to: Move) -> bool {
    let shown = state.frozen.as_ref().unwrap_or(&state.live);
    let view = &mut state.view;
    match view.tab {
        Tab::Warnings => {
            let len = state.lints.warnings().len();
            if let Some(i) = to.apply(Some(view.warning_cursor.min(len.saturating_sub(1))), len) {
                view.warning_cursor = i;
            }
        }
        Tab::Metrics => {
            let len = shown.metrics().series().count();
            if let Some(i) = to.apply(Some(view.metric_cursor.min(len.saturating_sub(1))), len) {
                view.metric_cursor = i;
            }
        }
        Tab::Resources => {
            let r = &mut view.resources;
            if let Some(key) = &r.detail {
                let len = party_links(shown, key).len();
                if let Some(i) = to.apply(Some(r.link), len) {
                    r.link = i;
                }
                return true;
            }
            let rows = r.rows(shown);
            let current = r.selected_row(&rows);
            if let Some(i) = to.apply(current, rows.len()) {
                r.selected = Some(rows[i].key.clone());
                r.selected_hint = i;
            }
        }
        _ => return false,
    }
    true
}

/// Left, right and invert on the resources tab; false elsewhere.
pub(super) fn sort(view: &mut ViewState, action: Action) -> bool {
    if view.tab != Tab::Resources {
        return false;
    }
    let sort = &mut view.resources.sort;
    match action {
        Action::SortPrev | Action::SortNext => {
            sort.column = if action == Action::SortPrev {
                sort.column.prev()
            } else {
                sort.column.next()
            };
            sort.descending = sort.column.descending_by_default();
        }
        Action::InvertSort => sort.descending = !sort.descending,
        _ => return false,
    }
    true
}

/// `/` on the resources tab filters the resources; false elsewhere.
pub(super) fn start_filter(view: &mut ViewState) -> bool {
    if view.tab != Tab::Resources {
        return false;
    }
    view.help = false;
    view.resources.detail = None;
    view.resources.filter.start_editing();
    true
}

/// Esc: closes the resource detail, or clears the resources filter; after
/// a task detail opened from another tab closes, goes back to that tab.
/// False if there was nothing of these to undo.
pub(super) fn back(view: &mut ViewState) -> bool {
    if view.tab == Tab::Tasks && view.detail.len() == 1 {
        if let Some(tab) = view.return_tab.take() {
            view.detail.clear();
            view.detail_link = 0;
            view.tab = tab;
            return true;
        }
    }
    if view.tab != Tab::Resources {
        return false;
    }
    let r = &mut view.resources;
    if r.filter.editing() {
        r.filter.clear();
    } else if r.detail.is_some() {
        r.detail = None;
        r.link = 0;
    } else if r.filter.is_active() {
        r.filter.clear();
    } else {
        return false;
    }
    true
}
