//! Resources (semaphores, mutexes, channels, pools): who holds and who waits
//! now, and wait/hold time distributions.

use std::collections::VecDeque;
use std::sync::Arc;

use hdrhistogram::Histogram;

use crate::feed::{Nanos, ResourceId, ResourceKind, TaskId};

/// Samples of a resource's counters kept for rates and windows (a minute
/// at one sample per 100 ms).
const HISTORY: usize = 600;

/// A task (or code outside any task: `task` None) holding part of a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Holder {
    pub task: Option<TaskId>,
    pub amount: u32,
    pub since: Nanos,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiter {
    pub task: Option<TaskId>,
    pub since: Nanos,
}

/// Figures that add up across instances of the same resource (one made per
/// round, say): kept per resource and per name.
#[derive(Clone, Debug)]
pub struct ResourceStats {
    pub acquisitions: u64,
    pub cancelled_waits: u64,
    pub max_waiters: u64,
    /// Microseconds from asking to acquiring, 0 for no wait.
    pub wait_us: Histogram<u64>,
    /// Microseconds from acquiring to releasing.
    pub hold_us: Histogram<u64>,
}

impl Default for ResourceStats {
    fn default() -> Self {
        Self {
            acquisitions: 0,
            cancelled_waits: 0,
            max_waiters: 0,
            wait_us: histogram(),
            hold_us: histogram(),
        }
    }
}

/// Two significant figures, growing only as large values come: a few KB.
fn histogram() -> Histogram<u64> {
    Histogram::new(2).unwrap_or_else(|_| unreachable!("2 sigfig is valid"))
}

/// `saturating_record` would clamp to the current range instead of growing.
fn record(h: &mut Histogram<u64>, v: u64) {
    if h.record(v).is_err() {
        h.saturating_record(v);
    }
}

fn quantile_us(h: &Histogram<u64>, q: f64) -> u64 {
    if h.is_empty() {
        0
    } else {
        h.value_at_quantile(q)
    }
}

impl ResourceStats {
    pub(crate) fn merge(&mut self, other: &ResourceStats) {
        self.acquisitions += other.acquisitions;
        self.cancelled_waits += other.cancelled_waits;
        self.max_waiters = self.max_waiters.max(other.max_waiters);
        // Both auto-resize, so adding cannot fail on range.
        let _ = self.wait_us.add(&other.wait_us);
        let _ = self.hold_us.add(&other.hold_us);
    }

    #[must_use]
    pub fn wait_p50_us(&self) -> u64 {
        quantile_us(&self.wait_us, 0.5)
    }

    #[must_use]
    pub fn wait_p99_us(&self) -> u64 {
        quantile_us(&self.wait_us, 0.99)
    }

    #[must_use]
    pub fn hold_p50_us(&self) -> u64 {
        quantile_us(&self.hold_us, 0.5)
    }

    #[must_use]
    pub fn hold_p99_us(&self) -> u64 {
        quantile_us(&self.hold_us, 0.99)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Sample {
    at: Nanos,
    acquisitions: u64,
    saturated_ns: u64,
    waiting_ns: u64,
}

/// One resource instance.
#[derive(Clone, Debug)]
pub struct Resource {
    pub id: ResourceId,
    pub kind: ResourceKind,
    pub name: Arc<str>,
    pub capacity: Option<u64>,
    pub location: Arc<str>,
    pub created_at: Nanos,
    pub dropped_at: Option<Nanos>,
    pub stats: ResourceStats,
    holders: Vec<Holder>,
    waiters: Vec<Waiter>,
    /// Time spent with waiters while all capacity was in use, up to
    /// `changed_at`.
    saturated_ns: u64,
    /// Waiters times the time they waited (task-nanoseconds), up to
    /// `changed_at`: its rate is the mean number of waiters.
    waiting_ns: u64,
    changed_at: Nanos,
    history: VecDeque<Sample>,
}

/// What a task does with a resource now, for the task detail view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Holds { amount: u32, since: Nanos },
    Waits { since: Nanos },
}

impl Resource {
    pub(crate) fn new(
        id: ResourceId,
        kind: ResourceKind,
        name: Arc<str>,
        capacity: Option<u64>,
        location: Arc<str>,
        at: Nanos,
    ) -> Self {
        Self {
            id,
            kind,
            name,
            capacity,
            location,
            created_at: at,
            dropped_at: None,
            stats: ResourceStats::default(),
            holders: Vec::new(),
            waiters: Vec::new(),
            saturated_ns: 0,
            waiting_ns: 0,
            changed_at: at,
            history: VecDeque::new(),
        }
    }

    /// Holders, oldest first.
    #[must_use]
    pub fn holders(&self) -> &[Holder] {
        &self.holders
    }

    /// Waiters, oldest first.
    #[must_use]
    pub fn waiters(&self) -> &[Waiter] {
        &self.waiters
    }

    /// Permits, locks, slots or connections held now.
    #[must_use]
    pub fn in_use(&self) -> u64 {
        self.holders.iter().map(|h| u64::from(h.amount)).sum()
    }

    /// Every unit in use and someone waiting for one.
    #[must_use]
    pub fn is_saturated(&self) -> bool {
        !self.waiters.is_empty() && self.capacity.is_some_and(|c| self.in_use() >= c)
    }

    /// Share of the last `window_ns` (or of its life, if shorter) spent
    /// saturated, 0.0 to 1.0.
    #[must_use]
    pub fn saturated_share(&self, now: Nanos, window_ns: u64) -> f64 {
        let (saturated, span) = self.in_window(now, window_ns, |s| s.saturated_ns);
        #[allow(clippy::cast_precision_loss)] // a share for display and thresholds
        if span == 0 {
            0.0
        } else {
            (saturated as f64 / span as f64).clamp(0.0, 1.0)
        }
    }

    /// Task-nanoseconds spent waiting in the last `window_ns` (or in its
    /// life, if shorter), and the nanoseconds of that span: their ratio is
    /// the mean number of waiters. Two numbers, so instances sharing a
    /// name can be added up.
    #[must_use]
    pub fn waiting_in_window(&self, now: Nanos, window_ns: u64) -> (u64, u64) {
        self.in_window(now, window_ns, |s| s.waiting_ns)
    }

    /// How much of the counter `field` grew over the window, and the span.
    fn in_window(&self, now: Nanos, window_ns: u64, field: fn(&Sample) -> u64) -> (u64, u64) {
        let start = now.saturating_sub(window_ns).max(self.created_at);
        let current = field(&self.sample_at(now));
        let before = self
            .history
            .iter()
            .rev()
            .find(|s| s.at <= start)
            .map_or((self.created_at, 0), |s| (s.at, field(s)));
        // A dropped resource is judged over its life, not the time since.
        let end = self.dropped_at.map_or(now, |d| d.min(now));
        (
            current.saturating_sub(before.1),
            end.saturating_sub(before.0),
        )
    }

    /// The counters as they stand at `now`.
    fn sample_at(&self, now: Nanos) -> Sample {
        let end = self.dropped_at.unwrap_or(now).max(self.changed_at);
        let since_change = end.saturating_sub(self.changed_at);
        Sample {
            at: now,
            acquisitions: self.stats.acquisitions,
            saturated_ns: self.saturated_ns + if self.is_saturated() { since_change } else { 0 },
            waiting_ns: self
                .waiting_ns
                .saturating_add(self.waiters.len() as u64 * since_change),
        }
    }

    /// Acquisitions per second over about the last second.
    #[must_use]
    pub fn acquisitions_per_s(&self, now: Nanos) -> f64 {
        let Some(base) = self
            .history
            .iter()
            .rev()
            .find(|s| now.saturating_sub(s.at) >= 1_000_000_000)
            .or_else(|| self.history.front())
        else {
            return 0.0;
        };
        let dt = now.saturating_sub(base.at);
        #[allow(clippy::cast_precision_loss)]
        if dt == 0 {
            0.0
        } else {
            self.stats.acquisitions.saturating_sub(base.acquisitions) as f64 * 1e9 / dt as f64
        }
    }

    /// What `task` does with this resource, if anything.
    #[must_use]
    pub fn role_of(&self, task: TaskId) -> Option<Role> {
        if let Some(h) = self.holders.iter().find(|h| h.task == Some(task)) {
            let amount = self
                .holders
                .iter()
                .filter(|h| h.task == Some(task))
                .map(|h| h.amount)
                .sum();
            return Some(Role::Holds {
                amount,
                since: h.since,
            });
        }
        self.waiters
            .iter()
            .find(|w| w.task == Some(task))
            .map(|w| Role::Waits { since: w.since })
    }

    /// Brings the saturation clock up to `at` before a change.
    fn touch(&mut self, at: Nanos) {
        let at = at.max(self.changed_at);
        if self.is_saturated() {
            self.saturated_ns += at - self.changed_at;
        }
        self.waiting_ns = self
            .waiting_ns
            .saturating_add(self.waiters.len() as u64 * (at - self.changed_at));
        self.changed_at = at;
    }

    pub(crate) fn waiting(&mut self, task: Option<TaskId>, at: Nanos) {
        self.touch(at);
        self.waiters.push(Waiter { task, since: at });
        self.stats.max_waiters = self.stats.max_waiters.max(self.waiters.len() as u64);
    }

    pub(crate) fn wait_cancelled(&mut self, task: Option<TaskId>, since: Nanos, at: Nanos) {
        self.touch(at);
        self.remove_waiter(task, since);
        self.stats.cancelled_waits += 1;
    }

    pub(crate) fn acquired(
        &mut self,
        task: Option<TaskId>,
        amount: u32,
        wait_started: Option<Nanos>,
        at: Nanos,
    ) {
        self.touch(at);
        if let Some(since) = wait_started {
            self.remove_waiter(task, since);
        }
        let waited = wait_started.map_or(0, |s| at.saturating_sub(s));
        record(&mut self.stats.wait_us, waited / 1000);
        self.stats.acquisitions += 1;
        let pos = self.holders.partition_point(|h| h.since <= at);
        self.holders.insert(
            pos,
            Holder {
                task,
                amount,
                since: at,
            },
        );
    }

    pub(crate) fn released(&mut self, task: Option<TaskId>, acquired_at: Nanos, at: Nanos) {
        self.touch(at);
        if let Some(i) = self
            .holders
            .iter()
            .position(|h| h.task == task && h.since == acquired_at)
        {
            self.holders.remove(i);
        }
        record(
            &mut self.stats.hold_us,
            at.saturating_sub(acquired_at) / 1000,
        );
    }

    pub(crate) fn set_capacity(&mut self, capacity: u64, at: Nanos) {
        self.touch(at);
        self.capacity = Some(capacity);
    }

    /// Nothing can hold or wait on a dropped resource.
    pub(crate) fn dropped(&mut self, at: Nanos) {
        self.touch(at);
        self.dropped_at = Some(at);
        self.holders.clear();
        self.waiters.clear();
    }

    /// Keeps the counters' history for rates and windows.
    pub(crate) fn sample(&mut self, at: Nanos) {
        if self
            .history
            .back()
            .is_some_and(|s| at.saturating_sub(s.at) < 100_000_000)
        {
            return;
        }
        if self.history.len() == HISTORY {
            self.history.pop_front();
        }
        self.history.push_back(self.sample_at(at));
    }

    fn remove_waiter(&mut self, task: Option<TaskId>, since: Nanos) {
        if let Some(i) = self
            .waiters
            .iter()
            .position(|w| w.task == task && w.since == since)
        {
            self.waiters.remove(i);
        }
    }
}

/// All instances that share a kind and a name, live and gone: what the
/// report lists.
#[derive(Clone, Debug)]
pub struct ResourceSummary {
    pub kind: ResourceKind,
    pub name: Arc<str>,
    /// Where the first instance was created.
    pub location: Arc<str>,
    /// Of the latest instance.
    pub capacity: Option<u64>,
    pub instances: u64,
    pub stats: ResourceStats,
}

impl ResourceSummary {
    pub(crate) fn of(r: &Resource) -> Self {
        Self {
            kind: r.kind,
            name: r.name.clone(),
            location: r.location.clone(),
            capacity: r.capacity,
            instances: 1,
            stats: r.stats.clone(),
        }
    }

    pub(crate) fn add(&mut self, r: &Resource) {
        self.capacity = r.capacity;
        self.instances += 1;
        self.stats.merge(&r.stats);
    }
}
