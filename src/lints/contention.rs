//! Resources that tasks queue for.

use super::{human_ns, ids, task_list, Lint, Threshold, Thresholds, Warning, MAX_TASKS_LISTED};
use crate::feed::{ResourceKind, TaskId};
use crate::model::{Model, ResourceSummary};

pub struct Contention;

const WAITERS: Threshold = Threshold {
    name: "waiters",
    default: 4.0,
    help: "most tasks waiting at once",
};

const WAIT_P99_MS: Threshold = Threshold {
    name: "wait_p99_ms",
    default: 50.0,
    help: "99th percentile of the time to acquire",
};

impl Lint for Contention {
    fn id(&self) -> &'static str {
        ids::CONTENTION
    }

    fn summary(&self) -> &'static str {
        "tasks queue for a semaphore, lock or channel"
    }

    fn explanation(&self) -> &'static str {
        "Tasks spend their time waiting for a resource rather than working. Look \
         at who holds it and for how long: hold a lock or permit only around the \
         work that needs it (not across unrelated .await points), release it \
         on every path (a forgotten permit shrinks the semaphore for good), \
         size the limit for the load, or make a full channel's consumer faster. \
         Connection pools have their own lint, pool-exhausted."
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[WAITERS, WAIT_P99_MS]
    }

    fn check(&self, model: &Model, thresholds: &Thresholds) -> Vec<Warning> {
        let max_waiters = thresholds.get(self.id(), &WAITERS);
        let wait_p99_us = thresholds.get(self.id(), &WAIT_P99_MS) * 1000.0;
        let mut warnings = Vec::new();
        for s in model.resource_summaries() {
            if s.kind == ResourceKind::Pool {
                continue;
            }
            #[allow(clippy::cast_precision_loss)]
            let (waiters, p99) = (s.stats.max_waiters as f64, s.stats.wait_p99_us() as f64);
            if waiters < max_waiters && p99 < wait_p99_us {
                continue;
            }
            let holders = holders_now(model, &s);
            let summary = format!(
                "{} {} ({}): up to {} waiting, wait p99 {}, hold p99 {}; {}",
                s.kind.label(),
                s.name,
                capacity(&s),
                s.stats.max_waiters,
                human_ns(s.stats.wait_p99_us() * 1000),
                human_ns(s.stats.hold_p99_us() * 1000),
                holders_text(&holders),
            );
            warnings.push(Warning {
                lint: ids::CONTENTION,
                count: s.stats.max_waiters,
                location: s.location.clone(),
                tasks: holders.into_iter().take(MAX_TASKS_LISTED).collect(),
                resource: Some(s.name.clone()),
                summary,
            });
        }
        warnings.sort_by_key(|w| std::cmp::Reverse(w.count));
        warnings
    }
}

pub(super) fn capacity(s: &ResourceSummary) -> String {
    s.capacity
        .map_or_else(|| "no limit".to_owned(), |c| format!("capacity {c}"))
}

/// Tasks holding a live instance of this resource now, oldest hold first.
pub(super) fn holders_now(model: &Model, s: &ResourceSummary) -> Vec<TaskId> {
    let mut holders: Vec<(u64, TaskId)> = model
        .resources()
        .filter(|r| r.kind == s.kind && r.name == s.name)
        .flat_map(|r| {
            r.holders()
                .iter()
                .filter_map(|h| h.task.map(|t| (h.since, t)))
        })
        .collect();
    holders.sort_unstable();
    let mut ids: Vec<TaskId> = holders.into_iter().map(|(_, t)| t).collect();
    let mut seen = std::collections::HashSet::new();
    ids.retain(|t| seen.insert(*t));
    ids
}

pub(super) fn holders_text(holders: &[TaskId]) -> String {
    if holders.is_empty() {
        "no task holds it now".to_owned()
    } else {
        format!("held by task {}", task_list(holders, 5))
    }
}
