//! The tasks table's row order, sorted once per model change or sort
//! change rather than on every frame.

use std::borrow::Cow;
use std::cmp::Ordering;

use super::{Column, Sort};
use crate::feed::{Nanos, TaskId};
use crate::model::{Model, Task, Totals};

/// What an order was computed from. `totals` is there besides the
/// generation because a new session restarts the generation count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct OrderKey {
    generation: u64,
    totals: Totals,
    sort: Sort,
}

impl OrderKey {
    fn of(model: &Model, sort: Sort) -> Self {
        Self {
            generation: model.generation(),
            totals: model.totals(),
            sort,
        }
    }
}

#[derive(Debug, Default)]
pub struct TaskOrder {
    key: Option<OrderKey>,
    ids: Vec<TaskId>,
    sorts: u64,
}

impl TaskOrder {
    /// Re-sorts if the model or the sort changed since the last time.
    pub fn refresh(&mut self, model: &Model, sort: Sort) {
        let key = OrderKey::of(model, sort);
        if self.key != Some(key) {
            self.ids = sorted_ids(model, sort);
            self.key = Some(key);
            self.sorts += 1;
        }
    }

    /// The order for `model`: the cached one if it is current, else a
    /// fresh one (render stays correct when nobody called `refresh`).
    #[must_use]
    pub fn ids<'a>(&'a self, model: &Model, sort: Sort) -> Cow<'a, [TaskId]> {
        if self.key == Some(OrderKey::of(model, sort)) {
            Cow::Borrowed(&self.ids)
        } else {
            Cow::Owned(sorted_ids(model, sort))
        }
    }

    /// How many times `refresh` sorted, to check the cache works.
    #[must_use]
    pub fn sorts(&self) -> u64 {
        self.sorts
    }
}

/// Every retained task's id, sorted; ties by id so the order is stable.
/// Each task's key is computed once and the sort moves small (key, id)
/// pairs: comparing tasks through the map costs 10x more at 100k tasks.
#[must_use]
pub fn sorted_ids(model: &Model, sort: Sort) -> Vec<TaskId> {
    if sort.column == Column::Location {
        let mut rows: Vec<(&str, TaskId)> = model.tasks().map(|t| (t.label(), t.id)).collect();
        rows.sort_unstable_by(|a, b| directed(a.0.cmp(b.0), sort.descending).then(a.1.cmp(&b.1)));
        return rows.into_iter().map(|(_, id)| id).collect();
    }
    let now = model.now();
    let mut rows: Vec<(u64, TaskId)> = model
        .tasks()
        .map(|t| (numeric_key(t, sort.column, now), t.id))
        .collect();
    rows.sort_unstable_by(|a, b| directed(a.0.cmp(&b.0), sort.descending).then(a.1.cmp(&b.1)));
    rows.into_iter().map(|(_, id)| id).collect()
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
        Column::Parent => t.parent.map_or(0, |p| p.saturating_add(1)),
        Column::Total => t.total_ns(now),
        Column::Busy => t.busy_ns(now),
        Column::Sched => t.scheduled_ns(now),
        Column::Idle => t.idle_ns(now),
        Column::Polls => t.polls,
    }
}
