//! Tasks picked by a rule, one warning per spawn location: the shape of
//! the per-task console lints.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Warning, MAX_TASKS_LISTED};
use crate::feed::TaskId;
use crate::model::Model;

/// One warning per location for the tasks `pick` keeps; `pick` returns a
/// figure (how bad) and `summary` turns (location, count, worst task and
/// figure) into the warning's line. Worst first.
pub fn warnings(
    model: &Model,
    lint: &'static str,
    pick: impl Fn(TaskId) -> Option<u64>,
    summary: impl Fn(&str, u64, TaskId, u64) -> String,
) -> Vec<Warning> {
    let mut groups: BTreeMap<Arc<str>, (Vec<TaskId>, TaskId, u64)> = BTreeMap::new();
    for t in model.tasks() {
        let Some(figure) = pick(t.id) else { continue };
        let g = groups
            .entry(t.location.clone())
            .or_insert((Vec::new(), t.id, figure));
        g.0.push(t.id);
        if figure > g.2 {
            (g.1, g.2) = (t.id, figure);
        }
    }
    let mut out: Vec<(u64, Warning)> = groups
        .into_iter()
        .map(|(location, (mut tasks, worst, figure))| {
            tasks.sort_unstable();
            let count = tasks.len() as u64;
            tasks.truncate(MAX_TASKS_LISTED);
            let summary = summary(&location, count, worst, figure);
            (
                figure,
                Warning {
                    lint,
                    count,
                    location,
                    tasks,
                    resource: None,
                    summary,
                },
            )
        })
        .collect();
    out.sort_by_key(|(figure, _)| std::cmp::Reverse(*figure));
    out.into_iter().map(|(_, w)| w).collect()
}

/// "1 task" or "3 tasks".
pub fn tasks(count: u64) -> String {
    if count == 1 {
        "1 task".to_owned()
    } else {
        format!("{count} tasks")
    }
}
