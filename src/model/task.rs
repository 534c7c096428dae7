use std::sync::Arc;

use super::histogram::{Distribution, TaskHistograms};
use super::opt::Opt;
use crate::feed::{Nanos, TaskId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaskState {
    /// Being polled now.
    Running,
    /// Spawned and waiting for its first poll.
    Scheduled,
    /// Waiting to be woken.
    Idle,
    Done,
}

impl TaskState {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            TaskState::Running => "running",
            TaskState::Scheduled => "scheduled",
            TaskState::Idle => "idle",
            TaskState::Done => "done",
        }
    }
}

/// One task as the model knows it. Kept small: up to hundreds of thousands
/// are retained at once, so optional times, parent and workers are
/// `Opt`s (8 and 2 bytes, not 16 and 4), read through accessors.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub id: TaskId,
    pub(super) parent: Opt<TaskId>,
    pub location: Arc<str>,
    pub name: Option<Arc<str>>,
    pub spawned_at: Nanos,
    pub(super) first_poll_at: Opt<Nanos>,
    pub(super) polling_since: Opt<Nanos>,
    pub(super) terminated_at: Opt<Nanos>,
    pub(super) parent_done_at: Opt<Nanos>,
    pub polls: u64,
    pub busy_ns: u64,
    pub scheduled_ns: u64,
    pub max_poll_ns: u64,
    /// The longest wait in a run queue before one poll.
    pub max_scheduled_ns: u64,
    pub(super) worker: Opt<u16>,
    pub(super) max_poll_worker: Opt<u16>,
    /// Poll-time and scheduling-delay distributions.
    pub histograms: TaskHistograms,
}

impl Task {
    #[must_use]
    pub fn new(
        id: TaskId,
        parent: Option<TaskId>,
        location: Arc<str>,
        name: Option<Arc<str>>,
        at: Nanos,
    ) -> Self {
        Self {
            id,
            parent: parent.into(),
            location,
            name,
            spawned_at: at,
            first_poll_at: Opt::NONE,
            polling_since: Opt::NONE,
            terminated_at: Opt::NONE,
            parent_done_at: Opt::NONE,
            polls: 0,
            busy_ns: 0,
            scheduled_ns: 0,
            max_poll_ns: 0,
            max_scheduled_ns: 0,
            worker: Opt::NONE,
            max_poll_worker: Opt::NONE,
            histograms: TaskHistograms::default(),
        }
    }

    #[must_use]
    pub fn parent(&self) -> Option<TaskId> {
        self.parent.get()
    }

    #[must_use]
    pub fn first_poll_at(&self) -> Option<Nanos> {
        self.first_poll_at.get()
    }

    /// Start of the poll running now, if any.
    #[must_use]
    pub fn polling_since(&self) -> Option<Nanos> {
        self.polling_since.get()
    }

    #[must_use]
    pub fn terminated_at(&self) -> Option<Nanos> {
        self.terminated_at.get()
    }

    /// When its parent ended, if the parent ended before it.
    #[must_use]
    pub fn parent_done_at(&self) -> Option<Nanos> {
        self.parent_done_at.get()
    }

    /// The worker of the last poll.
    #[must_use]
    pub fn worker(&self) -> Option<u16> {
        self.worker.get()
    }

    /// The worker of the longest poll.
    #[must_use]
    pub fn max_poll_worker(&self) -> Option<u16> {
        self.max_poll_worker.get()
    }

    pub(crate) fn record_poll(
        &mut self,
        start: Nanos,
        end: Nanos,
        scheduled_ns: u64,
        worker: Option<u16>,
    ) {
        let poll_ns = end.saturating_sub(start);
        if self.first_poll_at.is_none() {
            self.first_poll_at = start.into();
        }
        self.polls += 1;
        self.busy_ns += poll_ns;
        if poll_ns >= self.max_poll_ns {
            self.max_poll_ns = poll_ns;
            self.max_poll_worker = worker.into();
        }
        self.scheduled_ns += scheduled_ns;
        self.max_scheduled_ns = self.max_scheduled_ns.max(scheduled_ns);
        self.histograms.record(Distribution::Poll, poll_ns);
        // 0 means the source could not tell: leave it out of the distribution.
        if scheduled_ns > 0 {
            self.histograms.record(Distribution::Sched, scheduled_ns);
        }
        if self.polling_since().is_some_and(|s| s <= start) {
            self.polling_since = Opt::NONE;
        }
        if worker.is_some() {
            self.worker = worker.into();
        }
    }

    #[must_use]
    pub fn state(&self) -> TaskState {
        if self.terminated_at.is_some() {
            TaskState::Done
        } else if self.polling_since.is_some() {
            TaskState::Running
        } else if self.first_poll_at.is_none() {
            TaskState::Scheduled
        } else {
            TaskState::Idle
        }
    }

    /// Lifetime so far (or until it ended).
    #[must_use]
    pub fn total_ns(&self, now: Nanos) -> u64 {
        self.terminated_at()
            .unwrap_or(now)
            .saturating_sub(self.spawned_at)
    }

    /// Busy time, counting a poll still running.
    #[must_use]
    pub fn busy_ns(&self, now: Nanos) -> u64 {
        self.busy_ns + self.polling_since().map_or(0, |s| now.saturating_sub(s))
    }

    /// Time waiting in a run queue, counting the wait for a first poll.
    #[must_use]
    pub fn scheduled_ns(&self, now: Nanos) -> u64 {
        match self.first_poll_at() {
            Some(_) => self.scheduled_ns,
            None if self.terminated_at.is_none() => now.saturating_sub(self.spawned_at),
            None => 0,
        }
    }

    /// Whatever is neither busy nor scheduled.
    #[must_use]
    pub fn idle_ns(&self, now: Nanos) -> u64 {
        self.total_ns(now)
            .saturating_sub(self.busy_ns(now))
            .saturating_sub(self.scheduled_ns(now))
    }

    /// `q` (0.0 to 1.0) percentile of `which`, at bucket resolution and
    /// never above the true max; None before any sample.
    #[must_use]
    pub fn percentile(&self, which: Distribution, q: f64) -> Option<u64> {
        let max = match which {
            Distribution::Poll => self.max_poll_ns,
            Distribution::Sched => self.max_scheduled_ns,
        };
        self.histograms.percentile(which, q, max)
    }

    /// Name if it has one, else its spawn location.
    #[must_use]
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.location)
    }
}
