//! Pure state built from feed [`Event`]s: tasks, runtime figures, totals.
//!
//! No UI types here: the model is driven the same way live, from a
//! recording and from tests, and views only read it.

pub mod histogram;
mod runtime;
mod task;

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

pub use histogram::{Distribution, TaskHistograms};
pub use runtime::{RuntimeState, WorkerState, HISTORY};
pub use task::{Task, TaskState};

use crate::feed::{Event, Nanos, SourceInfo, TaskId};

/// How long done tasks stay visible, and other knobs of the model.
#[derive(Clone, Debug)]
pub struct ModelConfig {
    pub retain_ns: u64,
}

impl Default for ModelConfig {
    fn default() -> Self {
        Self {
            retain_ns: 6_000_000_000,
        }
    }
}

/// Counts over the whole session, not only what is retained.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub spawned: u64,
    pub completed: u64,
    /// Events the source reported as dropped.
    pub dropped_events: u64,
    /// Done tasks evicted after their retention time.
    pub evicted: u64,
    pub longest_poll_ns: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateCounts {
    pub running: usize,
    pub scheduled: usize,
    pub idle: usize,
    pub done: usize,
}

/// `Clone` so a view can keep a frozen snapshot (pause) while ingestion goes on.
#[derive(Clone, Debug)]
pub struct Model {
    config: ModelConfig,
    source: SourceInfo,
    started_at: Nanos,
    now: Nanos,
    tasks: HashMap<TaskId, Task>,
    /// Done tasks in termination order, for eviction.
    done_order: VecDeque<(Nanos, TaskId)>,
    /// Ids polled now, from the last `PollsInProgress`.
    in_progress: Vec<TaskId>,
    totals: Totals,
    runtime: RuntimeState,
    /// Bumped by every change of the task set or its figures, so views can
    /// keep a sorted order until something changed.
    generation: u64,
}

impl Model {
    #[must_use]
    pub fn new(config: ModelConfig) -> Self {
        Self {
            config,
            source: SourceInfo::default(),
            started_at: 0,
            now: 0,
            tasks: HashMap::new(),
            done_order: VecDeque::new(),
            in_progress: Vec::new(),
            totals: Totals::default(),
            runtime: RuntimeState::default(),
            generation: 0,
        }
    }

    pub fn apply_all<'a>(&mut self, events: impl IntoIterator<Item = &'a Event>) {
        for e in events {
            self.apply(e);
        }
        self.evict();
    }

    pub fn apply(&mut self, event: &Event) {
        if let Some(at) = event.at() {
            self.now = self.now.max(at);
        }
        self.generation += 1;
        match event {
            Event::SessionStarted { source, at } => {
                // Forget the old session, but keep counting changes.
                let generation = self.generation;
                *self = Model::new(self.config.clone());
                self.generation = generation;
                self.source = source.clone();
                self.started_at = *at;
                self.now = *at;
            }
            Event::TaskSpawned {
                id,
                parent,
                location,
                name,
                at,
            } => {
                self.totals.spawned += 1;
                self.tasks.insert(
                    *id,
                    Task::new(*id, *parent, location.clone(), name.clone(), *at),
                );
            }
            Event::TaskPolled {
                id,
                start,
                end,
                scheduled_ns,
                worker,
            } => {
                let poll_ns = end.saturating_sub(*start);
                self.totals.longest_poll_ns = self.totals.longest_poll_ns.max(poll_ns);
                if let Some(t) = self.tasks.get_mut(id) {
                    t.record_poll(*start, *end, *scheduled_ns, *worker);
                }
            }
            Event::TaskTerminated { id, at } => {
                if let Some(t) = self.tasks.get_mut(id) {
                    if t.terminated_at.is_none() {
                        t.terminated_at = Some(*at);
                        t.polling_since = None;
                        self.totals.completed += 1;
                        self.done_order.push_back((*at, *id));
                    }
                }
            }
            Event::PollsInProgress { polls, .. } => {
                for id in self.in_progress.drain(..) {
                    if let Some(t) = self.tasks.get_mut(&id) {
                        t.polling_since = None;
                    }
                }
                for p in polls {
                    if let Some(t) = self.tasks.get_mut(&p.id) {
                        if t.terminated_at.is_none() {
                            t.polling_since = Some(p.since);
                            t.worker = p.worker.or(t.worker);
                            self.in_progress.push(p.id);
                        }
                    }
                }
            }
            Event::Runtime(sample) => self.runtime.record(sample),
            Event::Tick { .. } => {}
            Event::Dropped { count } => self.totals.dropped_events += count,
            Event::SourceUpdated { source } => self.source = source.clone(),
        }
    }

    /// Drops done tasks older than the retention time.
    fn evict(&mut self) {
        let horizon = self.now.saturating_sub(self.config.retain_ns);
        while let Some(&(at, id)) = self.done_order.front() {
            if at > horizon {
                break;
            }
            self.done_order.pop_front();
            self.tasks.remove(&id);
            self.totals.evicted += 1;
        }
    }

    #[must_use]
    pub fn source(&self) -> &SourceInfo {
        &self.source
    }

    /// Time since the session started.
    #[must_use]
    pub fn elapsed_ns(&self) -> u64 {
        self.now.saturating_sub(self.started_at)
    }

    #[must_use]
    pub fn now(&self) -> Nanos {
        self.now
    }

    #[must_use]
    pub fn generation(&self) -> u64 {
        self.generation
    }

    #[must_use]
    pub fn totals(&self) -> Totals {
        self.totals
    }

    #[must_use]
    pub fn runtime(&self) -> &RuntimeState {
        &self.runtime
    }

    #[must_use]
    pub fn task(&self, id: TaskId) -> Option<&Task> {
        self.tasks.get(&id)
    }

    /// Every retained task, in no particular order.
    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.tasks.values()
    }

    /// Tasks alive now (spawned and not terminated), whether retained or not.
    #[must_use]
    pub fn alive(&self) -> u64 {
        self.totals.spawned.saturating_sub(self.totals.completed)
    }

    #[must_use]
    pub fn state_counts(&self) -> StateCounts {
        let mut c = StateCounts::default();
        for t in self.tasks.values() {
            match t.state() {
                TaskState::Running => c.running += 1,
                TaskState::Scheduled => c.scheduled += 1,
                TaskState::Idle => c.idle += 1,
                TaskState::Done => c.done += 1,
            }
        }
        c
    }

    /// Ids of the retained tasks whose parent is `id`.
    #[must_use]
    pub fn children_of(&self, id: TaskId) -> Vec<TaskId> {
        let mut ids: Vec<TaskId> = self
            .tasks
            .values()
            .filter(|t| t.parent == Some(id))
            .map(|t| t.id)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Heap bytes held by the retained tasks' histograms.
    #[must_use]
    pub fn histogram_heap_bytes(&self) -> usize {
        self.tasks.values().map(|t| t.histograms.heap_bytes()).sum()
    }

    #[must_use]
    pub fn retain_ns(&self) -> u64 {
        self.config.retain_ns
    }
}

/// Interns spawn locations so each distinct one is allocated once.
#[derive(Debug, Default)]
pub struct LocationInterner {
    seen: HashMap<String, Arc<str>>,
}

impl LocationInterner {
    pub fn intern(&mut self, location: &str) -> Arc<str> {
        if let Some(s) = self.seen.get(location) {
            return s.clone();
        }
        let s: Arc<str> = Arc::from(location);
        self.seen.insert(location.to_owned(), s.clone());
        s
    }
}

#[cfg(test)]
mod tests;
