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
#[must_use]
pub fn sorted_ids(model: &Model, sort: Sort) -> Vec<TaskId> {
    let now = model.now();
    let mut tasks: Vec<&Task> = model.tasks().collect();
    tasks.sort_unstable_by(|a, b| {
        let by_column = compare(a, b, sort.column, now);
        let by_column = if sort.descending {
            by_column.reverse()
        } else {
            by_column
        };
        by_column.then(a.id.cmp(&b.id))
    });
    tasks.into_iter().map(|t| t.id).collect()
}

fn compare(a: &Task, b: &Task, column: Column, now: Nanos) -> Ordering {
    match column {
        Column::Id => a.id.cmp(&b.id),
        Column::State => a.state().cmp(&b.state()),
        Column::Location => a.label().cmp(b.label()),
        Column::Parent => a.parent.cmp(&b.parent),
        Column::Total => a.total_ns(now).cmp(&b.total_ns(now)),
        Column::Busy => a.busy_ns(now).cmp(&b.busy_ns(now)),
        Column::Sched => a.scheduled_ns(now).cmp(&b.scheduled_ns(now)),
        Column::Idle => a.idle_ns(now).cmp(&b.idle_ns(now)),
        Column::Polls => a.polls.cmp(&b.polls),
    }
}
