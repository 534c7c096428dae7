//! Tasks still alive after the task that spawned them has finished.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{
    human_ns, ids, ms_to_ns, task_list, Lint, Threshold, Thresholds, Warning, MAX_TASKS_LISTED,
};
use crate::feed::TaskId;
use crate::model::leaked_tasks::{self, LeakThresholds};
use crate::model::Model;

pub struct LeakedTask;

/// Console data has no parent links: there, a task counts as leaked once it
/// has been idle, and not woken since its last poll, this long.
const IDLE_MS: Threshold = Threshold {
    name: "idle_ms",
    default: 1000.0,
    help: "console sources (no parent links): idle and not woken for this long",
};

const GRACE_MS: Threshold = Threshold {
    name: "grace_ms",
    default: 250.0,
    help: "how long a task may outlive its parent before it counts (cleanup that is about to end)",
};

/// Tasks sharing a spawn location.
#[derive(Default)]
struct Group {
    tasks: Vec<TaskId>,
    parents: Vec<TaskId>,
    oldest_ns: u64,
}

impl Lint for LeakedTask {
    fn id(&self) -> &'static str {
        ids::LEAKED_TASK
    }

    fn summary(&self) -> &'static str {
        "tasks still alive after the task that spawned them finished"
    }

    fn explanation(&self) -> &'static str {
        "A spawned task is detached: dropping its JoinHandle, or a timeout around \
         it, does not stop it. If its parent has finished, nothing will ever await \
         or cancel it, and whatever it holds (memory, sockets, permits) stays taken. \
         Spawn into a JoinSet or a TaskTracker owned by the parent and await or \
         abort it there, or pass a CancellationToken the task obeys."
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[GRACE_MS, IDLE_MS]
    }

    fn check(&self, model: &Model, thresholds: &Thresholds) -> Vec<Warning> {
        let grace = ms_to_ns(thresholds.get(self.id(), &GRACE_MS));
        let now = model.now();
        let mut groups: BTreeMap<Arc<str>, Group> = BTreeMap::new();
        for t in model.tasks() {
            let Some(parent_done) = t.parent_done_at() else {
                continue;
            };
            if t.terminated_at().is_some() || now.saturating_sub(parent_done) < grace {
                continue;
            }
            let g = groups.entry(t.location.clone()).or_default();
            g.tasks.push(t.id);
            g.parents.extend(t.parent());
            g.oldest_ns = g.oldest_ns.max(t.total_ns(now));
        }
        let mut warnings: Vec<Warning> = groups
            .into_iter()
            .map(|(location, mut g)| {
                g.tasks.sort_unstable();
                g.parents.sort_unstable();
                g.parents.dedup();
                let count = g.tasks.len() as u64;
                let summary = format!(
                    "{count} task{} spawned at {location} outlived {} ({} {}); oldest {}",
                    if count == 1 { "" } else { "s" },
                    if g.parents.len() == 1 {
                        "the task that spawned them"
                    } else {
                        "the tasks that spawned them"
                    },
                    if g.parents.len() == 1 {
                        "task"
                    } else {
                        "tasks"
                    },
                    task_list(&g.parents, 3),
                    human_ns(g.oldest_ns),
                );
                g.tasks.truncate(MAX_TASKS_LISTED);
                Warning {
                    lint: ids::LEAKED_TASK,
                    count,
                    location,
                    tasks: g.tasks,
                    resource: None,
                    summary,
                }
            })
            .collect();
        let idle = LeakThresholds {
            idle_ns: ms_to_ns(thresholds.get(self.id(), &IDLE_MS)),
        };
        warnings.extend(leaked_tasks::find(model, &idle).into_iter().map(|g| {
            let mut tasks = g.tasks.clone();
            tasks.truncate(MAX_TASKS_LISTED);
            Warning {
                lint: ids::LEAKED_TASK,
                count: g.count(),
                location: g.location.clone(),
                tasks,
                resource: None,
                summary: g.summary(),
            }
        }));
        warnings.sort_by_key(|w| std::cmp::Reverse(w.count));
        warnings
    }
}
