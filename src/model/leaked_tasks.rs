//! Leaked tasks from what the console protocol carries (it has no parent
//! links): tasks idle, and not woken since their last poll, for longer than
//! a threshold, grouped by spawn location, with whether the location's
//! alive count only grows and how many have no waker left. Pure over the
//! model, so a lint can wrap it. A task that sleeps longer than the
//! threshold looks the same until it wakes: the threshold is a knob.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::feed::{ConsoleTaskStats, Nanos, TaskId};

use super::{Model, Task};

/// The lint id this finding is reported under.
pub const LINT_ID: &str = "leaked-task";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeakThresholds {
    /// Idle and not woken for at least this long.
    pub idle_ns: u64,
}

impl Default for LeakThresholds {
    fn default() -> Self {
        Self {
            idle_ns: 1_000_000_000,
        }
    }
}

/// Tasks from one spawn location that look leaked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeakGroup {
    pub location: Arc<str>,
    pub tasks: Vec<TaskId>,
    /// Age of the oldest of them.
    pub oldest_age_ns: u64,
    /// Each has been idle and not woken at least this long (the threshold).
    pub idle_at_least_ns: u64,
    /// How many of them have no waker left: nothing can ever wake them.
    pub without_waker: u64,
    /// The alive count at this location only grew over the last samples.
    pub growing: bool,
}

impl LeakGroup {
    #[must_use]
    pub fn count(&self) -> u64 {
        self.tasks.len() as u64
    }

    #[must_use]
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} task(s) spawned at {} idle and not woken for {:.1}s or more (oldest {:.1}s old)",
            self.count(),
            self.location,
            self.idle_at_least_ns as f64 / 1e9,
            self.oldest_age_ns as f64 / 1e9
        );
        if self.without_waker > 0 {
            s += &format!("; {} with no waker left", self.without_waker);
        }
        if self.growing {
            s += "; the count at this location only grows";
        }
        s
    }
}

/// Polled at least once, not polled now, not woken since its last poll
/// started, and idle for at least `idle_ns`.
#[must_use]
pub fn is_stale(task: &Task, stats: &ConsoleTaskStats, now: Nanos, idle_ns: u64) -> bool {
    let (Some(started), Some(ended)) = (stats.last_poll_started, stats.last_poll_ended) else {
        return false;
    };
    task.terminated_at.is_none()
        && stats.dropped_at.is_none()
        && stats.polling_since().is_none()
        && stats.last_wake.is_none_or(|w| w <= started)
        && now.saturating_sub(ended) >= idle_ns
}

/// Every location with stale tasks, most tasks first.
#[must_use]
pub fn find(model: &Model, thresholds: &LeakThresholds) -> Vec<LeakGroup> {
    let now = model.now();
    let mut groups: BTreeMap<Arc<str>, LeakGroup> = BTreeMap::new();
    for task in model.tasks() {
        let Some(stats) = model.console().stats(task.id) else {
            continue;
        };
        if !is_stale(task, stats, now, thresholds.idle_ns) {
            continue;
        }
        let g = groups
            .entry(task.location.clone())
            .or_insert_with(|| LeakGroup {
                location: task.location.clone(),
                tasks: Vec::new(),
                oldest_age_ns: 0,
                idle_at_least_ns: thresholds.idle_ns,
                without_waker: 0,
                growing: model.console().only_grows(&task.location),
            });
        g.tasks.push(task.id);
        g.oldest_age_ns = g.oldest_age_ns.max(task.total_ns(now));
        g.without_waker += u64::from(stats.live_wakers() == 0);
    }
    let mut out: Vec<LeakGroup> = groups.into_values().collect();
    for g in &mut out {
        g.tasks.sort_unstable();
    }
    out.sort_by_key(|g| std::cmp::Reverse(g.tasks.len()));
    out
}
