//! Resources that tasks queue for.

use super::{human_ns, ids, task_list, Lint, Threshold, Thresholds, Warning, MAX_TASKS_LISTED};
use crate::feed::{ResourceKind, TaskId};
use crate::model::{Model, ResourceSummary};

pub struct Contention;

// Why these defaults. Queueing is not contention by itself: a semaphore
// that bounds a burst of requests, or a bounded channel pushing back on
// fast producers, has tasks waiting by design (the fixed `semaphore` demo
// queues 32 requests on 8 permits every round, and waits up to ~85 ms; the
// fixed `queue` demo always has its producers waiting for room). What
// is wrong is a queue that stays long or waits that hurt:
//
// - By Little's law the mean number of waiters divided by the capacity is
//   how many hold times a task waits on average. Past 4, tasks spend most
//   of their life queueing: the resource is held too long (a lock across
//   an .await: the broken `mutex` demo measures about 7) or too small for
//   the load (permits lost: the broken `semaphore` demo reaches capacity 0
//   with 40 waiting). A burst that drains, like the fixed semaphore's,
//   averages about 2; a lock taken briefly by tasks that arrive together
//   (the fixed `mutex` demo: 7 waiters, for microseconds) stays near 0.
//   A time average over a window, not the most waiters ever seen, so a
//   brief pile-up does not count.
// - A wait of 250 ms (p99) is latency a user sees, whatever the queue
//   length: well above a burst that drains in a few turns of the resource.
const WAITERS_PER_UNIT: Threshold = Threshold {
    name: "waiters_per_unit",
    default: 4.0,
    help: "mean tasks waiting per unit of capacity over the window (the mean wait, in hold times)",
};

const WAIT_P99_MS: Threshold = Threshold {
    name: "wait_p99_ms",
    default: 250.0,
    help: "99th percentile of the time to acquire",
};

const WINDOW_S: Threshold = Threshold {
    name: "window_s",
    default: 10.0,
    help: "how far back the mean number of waiters looks (at most 60 s, and what --retain keeps)",
};

impl Lint for Contention {
    fn id(&self) -> &'static str {
        ids::CONTENTION
    }

    fn summary(&self) -> &'static str {
        "tasks queue for a semaphore, lock or channel"
    }

    fn explanation(&self) -> &'static str {
        "Tasks spend their time waiting for a resource rather than working: on \
         average more tasks wait than the resource can serve in a few turns, or \
         the slowest waits are long. Look at who holds it and for how long: \
         hold a lock or permit only around the work that needs it (not across \
         unrelated .await points), release it on every path (a forgotten permit \
         shrinks the semaphore for good), size the limit for the load, or make \
         a full channel's consumer faster. Connection pools have their own \
         lint, pool-exhausted."
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[WAITERS_PER_UNIT, WAIT_P99_MS, WINDOW_S]
    }

    fn check(&self, model: &Model, thresholds: &Thresholds) -> Vec<Warning> {
        let per_unit_limit = thresholds.get(self.id(), &WAITERS_PER_UNIT);
        let wait_p99_us = thresholds.get(self.id(), &WAIT_P99_MS) * 1000.0;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let window = (thresholds.get(self.id(), &WINDOW_S) * 1e9) as u64;
        let now = model.now();
        let mut warnings = Vec::new();
        for s in model.resource_summaries() {
            if s.kind == ResourceKind::Pool {
                continue;
            }
            let mean = mean_waiters(model, &s, now, window);
            // A semaphore that lost every permit has capacity 0: its
            // waiters wait for nothing, each one counts in full.
            #[allow(clippy::cast_precision_loss)]
            let per_unit = mean / s.capacity.unwrap_or(1).max(1) as f64;
            #[allow(clippy::cast_precision_loss)]
            let p99 = s.stats.wait_p99_us() as f64;
            let long_waits = p99 > 0.0 && p99 >= wait_p99_us;
            if per_unit < per_unit_limit && !long_waits {
                continue;
            }
            let holders = holders_now(model, &s);
            let summary = format!(
                "{} {} ({}): {mean:.1} waiting on average, up to {}; wait p99 {}, hold p99 {}; {}",
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

/// Mean number of tasks waiting on the instances of this resource (one per
/// round, say) over the window, weighted by how long each lived in it.
fn mean_waiters(model: &Model, s: &ResourceSummary, now: u64, window: u64) -> f64 {
    let (waiting, span) = model
        .resources()
        .filter(|r| r.kind == s.kind && r.name == s.name)
        .map(|r| r.waiting_in_window(now, window))
        .fold((0u64, 0u64), |(w, t), (dw, dt)| {
            (w.saturating_add(dw), t.saturating_add(dt))
        });
    #[allow(clippy::cast_precision_loss)]
    if span == 0 {
        0.0
    } else {
        waiting as f64 / span as f64
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
