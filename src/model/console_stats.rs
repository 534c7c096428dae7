//! What console-subscriber sources add to the model: each task's cumulative
//! figures (wakes, wakers, self-wakes), its kind, the connection to the
//! target, and alive counts per spawn location over time. Kept beside the
//! tasks, not in `Task`, which probe sessions keep small.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use crate::feed::{ConnectionState, ConsoleTaskStats, Nanos, TaskId};

use super::Task;

/// Alive counts per location are sampled this often...
const GROWTH_SAMPLE_NS: u64 = 1_000_000_000;
/// ...and this many samples are kept.
const GROWTH_SAMPLES: usize = 10;

#[derive(Clone, Debug, Default)]
pub struct ConsoleState {
    stats: HashMap<TaskId, ConsoleTaskStats>,
    kinds: HashMap<TaskId, Arc<str>>,
    growth: VecDeque<(Nanos, HashMap<Arc<str>, u64>)>,
}

impl ConsoleState {
    #[must_use]
    pub fn stats(&self, id: TaskId) -> Option<&ConsoleTaskStats> {
        self.stats.get(&id)
    }

    /// task, local, blocking or block_on, as the target named it.
    #[must_use]
    pub fn kind(&self, id: TaskId) -> Option<&str> {
        self.kinds.get(&id).map(AsRef::as_ref)
    }

    pub(super) fn set_stats(&mut self, id: TaskId, stats: ConsoleTaskStats) {
        self.stats.insert(id, stats);
    }

    pub(super) fn set_kind(&mut self, id: TaskId, kind: Arc<str>) {
        self.kinds.insert(id, kind);
    }

    pub(super) fn forget(&mut self, id: TaskId) {
        self.stats.remove(&id);
        self.kinds.remove(&id);
    }

    /// Takes a sample of alive tasks per location if one is due.
    pub(super) fn sample_growth<'a>(&mut self, now: Nanos, tasks: impl Iterator<Item = &'a Task>) {
        if self
            .growth
            .back()
            .is_some_and(|(at, _)| now.saturating_sub(*at) < GROWTH_SAMPLE_NS)
        {
            return;
        }
        let mut counts: HashMap<Arc<str>, u64> = HashMap::new();
        for t in tasks.filter(|t| t.terminated_at.is_none()) {
            *counts.entry(t.location.clone()).or_default() += 1;
        }
        if self.growth.len() == GROWTH_SAMPLES {
            self.growth.pop_front();
        }
        self.growth.push_back((now, counts));
    }

    /// The alive count at `location` rose over the samples kept (at least
    /// three) and never fell.
    #[must_use]
    pub fn only_grows(&self, location: &str) -> bool {
        let counts: Vec<u64> = self
            .growth
            .iter()
            .map(|(_, c)| c.get(location).copied().unwrap_or(0))
            .collect();
        counts.len() >= 3
            && counts.windows(2).all(|w| w[0] <= w[1])
            && counts.first() < counts.last()
    }
}

/// Copies what the task list shows from a stats snapshot into the task.
pub(super) fn apply_to_task(task: &mut Task, s: &ConsoleTaskStats) {
    task.polls = s.polls;
    task.busy_ns = s.busy_ns;
    task.scheduled_ns = s.scheduled_ns;
    task.first_poll_at = s.first_poll.into();
    if task.terminated_at.is_none() {
        task.polling_since = s.polling_since().into();
    }
}

/// The link to an attached target, as the header and report show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionStatus {
    pub target: String,
    pub state: ConnectionState,
    /// Connected at least once.
    pub ever_connected: bool,
    /// Times an established connection was lost.
    pub disconnects: u64,
}

impl ConnectionStatus {
    pub(super) fn update(this: &mut Option<Self>, target: &str, state: &ConnectionState) {
        let s = this.get_or_insert_with(|| ConnectionStatus {
            target: target.to_owned(),
            state: ConnectionState::Connecting,
            ever_connected: false,
            disconnects: 0,
        });
        if matches!(state, ConnectionState::Disconnected { .. })
            && s.state == ConnectionState::Connected
        {
            s.disconnects += 1;
        }
        if *state == ConnectionState::Connected {
            s.ever_connected = true;
        }
        target.clone_into(&mut s.target);
        s.state = state.clone();
    }
}

#[cfg(test)]
mod tests;
