//! The tasks table's rows: sorted, filtered, and as a spawn tree if asked,
//! computed once per change of the model or of those choices rather than
//! on every frame; with them, from the same pass, the tasks per state.

mod packed_sort;
mod tree;

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashSet;

use super::{Column, Sort, TaskFilter};
use crate::feed::{Nanos, TaskId};
use crate::model::{Model, StateCounts, Task, Totals};

/// What the rows are asked to be.
#[derive(Clone, Copy, Debug)]
pub struct RowQuery<'a> {
    pub sort: Sort,
    pub filter: &'a TaskFilter,
    pub tree: bool,
    pub collapsed: &'a Collapsed,
}

/// Tree nodes whose children are hidden; `version` changes with the set
/// so the cached rows know when to be rebuilt.
#[derive(Clone, Debug, Default)]
pub struct Collapsed {
    ids: HashSet<TaskId>,
    version: u64,
}

impl Collapsed {
    pub fn toggle(&mut self, id: TaskId) {
        if !self.ids.remove(&id) {
            self.ids.insert(id);
        }
        self.version += 1;
    }

    #[must_use]
    pub fn contains(&self, id: TaskId) -> bool {
        self.ids.contains(&id)
    }
}

/// One row of the table. In a tree, `depth` and the guides say how to
/// draw the lines to its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskRow {
    pub id: TaskId,
    pub depth: u16,
    /// Bit `d` set: the ancestor at depth `d` has siblings below it, so a
    /// vertical guide runs through this row at that depth.
    pub guides: u64,
    /// The last of its siblings.
    pub last: bool,
    /// Children shown or hidden under it (tree only).
    pub children: usize,
    pub collapsed: bool,
}

impl TaskRow {
    fn flat(id: TaskId) -> Self {
        Self {
            id,
            depth: 0,
            guides: 0,
            last: false,
            children: 0,
            collapsed: false,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskRows {
    pub rows: Vec<TaskRow>,
    /// Tasks the filter let through (rows under collapsed nodes included).
    pub matches: usize,
    /// Every retained task's state, filter or not.
    pub states: StateCounts,
}

impl TaskRows {
    /// The row showing `id`.
    #[must_use]
    pub fn position(&self, id: TaskId) -> Option<usize> {
        self.rows.iter().position(|r| r.id == id)
    }
}

/// What rows were computed from. `totals` is there besides the generation
/// because a new session restarts the generation count.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RowsKey {
    generation: u64,
    totals: Totals,
    sort: Sort,
    filter: String,
    tree: bool,
    collapsed: u64,
}

impl RowsKey {
    fn is_of(&self, model: &Model) -> bool {
        self.generation == model.generation() && self.totals == model.totals()
    }

    fn of(model: &Model, q: &RowQuery) -> Self {
        Self {
            generation: model.generation(),
            totals: model.totals(),
            sort: q.sort,
            filter: q.filter.text().to_owned(),
            tree: q.tree,
            collapsed: q.collapsed.version,
        }
    }
}

#[derive(Debug, Default)]
pub struct TaskOrder {
    key: Option<RowsKey>,
    rows: TaskRows,
    sorts: u64,
}

impl TaskOrder {
    /// Rebuilds the rows if the model or the query changed since last time.
    pub fn refresh(&mut self, model: &Model, q: &RowQuery) {
        let key = RowsKey::of(model, q);
        if self.key.as_ref() != Some(&key) {
            self.rows = task_rows(model, q);
            self.key = Some(key);
            self.sorts += 1;
        }
    }

    /// The rows for `model`: the cached ones if current, else fresh ones
    /// (render stays correct when nobody called `refresh`).
    #[must_use]
    pub fn rows<'a>(&'a self, model: &Model, q: &RowQuery) -> Cow<'a, TaskRows> {
        if self.key.as_ref() == Some(&RowsKey::of(model, q)) {
            Cow::Borrowed(&self.rows)
        } else {
            Cow::Owned(task_rows(model, q))
        }
    }

    /// Tasks per state: the last rebuild's count while the model has not
    /// changed since, so frames without a batch do not walk every task.
    #[must_use]
    pub fn state_counts(&self, model: &Model) -> StateCounts {
        match &self.key {
            Some(key) if key.is_of(model) => self.rows.states,
            _ => model.state_counts(),
        }
    }

    /// How many times `refresh` rebuilt the rows, to check the cache works.
    #[must_use]
    pub fn sorts(&self) -> u64 {
        self.sorts
    }
}

/// The rows for `q`: matching tasks sorted; as a tree, each under its
/// parent (siblings keep the sort), tasks whose parent is not shown as roots.
#[must_use]
pub fn task_rows(model: &Model, q: &RowQuery) -> TaskRows {
    let mut states = StateCounts::default();
    // The tree's links, taken in the same pass: no lookup per id after.
    let mut parents: Vec<(TaskId, TaskId)> = Vec::new();
    let tasks = model.tasks().inspect(|t| {
        states.add(t.state());
        if let Some(parent) = t.parent().filter(|_| q.tree) {
            parents.push((t.id, parent));
        }
    });
    let ids = matching_ids(tasks, model.now(), q.sort, q.filter);
    let matches = ids.len();
    let rows = if q.tree {
        tree::tree_rows(&ids, &parents, q.collapsed)
    } else {
        ids.into_iter().map(TaskRow::flat).collect()
    };
    TaskRows {
        rows,
        matches,
        states,
    }
}

/// Every retained task's id, sorted; ties by id so the order is stable.
#[must_use]
pub fn sorted_ids(model: &Model, sort: Sort) -> Vec<TaskId> {
    matching_ids(model.tasks(), model.now(), sort, &TaskFilter::default())
}

/// The ids of the tasks `filter` lets through, sorted, ties by id. One
/// pass over the tasks filters them and computes each key once; the sort
/// then moves small (key, id) pairs. Going back to the map per id (a hash
/// and a cache miss each) cost more than the sort itself at 100k tasks.
fn matching_ids<'a>(
    tasks: impl Iterator<Item = &'a Task>,
    now: Nanos,
    sort: Sort,
    filter: &TaskFilter,
) -> Vec<TaskId> {
    let everything = filter.matches_everything();
    let shown = tasks.filter(|t| everything || filter.matches(t));
    if sort.column == Column::Location {
        let mut rows: Vec<(&str, TaskId)> = shown.map(|t| (t.label(), t.id)).collect();
        rows.sort_unstable_by(|a, b| {
            directed(cmp_labels(a.0, b.0), sort.descending).then(a.1.cmp(&b.1))
        });
        return rows.into_iter().map(|(_, id)| id).collect();
    }
    // Descending as ascending on the inverted key: ties stay by ascending
    // id, and no closure is needed to compare.
    let invert = if sort.descending { u64::MAX } else { 0 };
    let rows: Vec<(u64, TaskId)> = shown
        .map(|t| (numeric_key(t, sort.column, now) ^ invert, t.id))
        .collect();
    packed_sort::ids_in_order(rows)
}

/// Labels are interned, so most pairs compared are the very same string.
fn cmp_labels(a: &str, b: &str) -> Ordering {
    if std::ptr::eq(a, b) {
        Ordering::Equal
    } else {
        a.cmp(b)
    }
}

fn directed(o: Ordering, descending: bool) -> Ordering {
    if descending {
        o.reverse()
    } else {
        o
    }
}

/// The sort key of every column but Location, as a number.
fn numeric_key(t: &Task, column: Column, now: Nanos) -> u64 {
    match column {
        Column::Id | Column::Location => t.id,
        Column::State => t.state() as u64,
        // No parent sorts first.
        Column::Parent => t.parent().map_or(0, |p| p.saturating_add(1)),
        Column::Total => t.total_ns(now),
        Column::Busy => t.busy_ns(now),
        Column::Sched => t.scheduled_ns(now),
        Column::Idle => t.idle_ns(now),
        Column::Polls => t.polls,
    }
}

#[cfg(test)]
mod tests;
