//! Pure state built from feed [`Event`]s: tasks, runtime figures, totals.
//!
//! No UI types here: the model is driven the same way live, from a
//! recording and from tests, and views only read it.

mod console_stats;
mod heap;
pub mod histogram;
pub mod leaked_tasks;
mod metrics;
mod opt;
mod resources;
mod runtime;
mod task;
mod task_table;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::mem::size_of;
use std::sync::Arc;

pub use console_stats::{ConnectionStatus, ConsoleState};
pub use histogram::{Distribution, TaskHistograms};
pub use metrics::{MetricsState, Series, METRICS_WINDOW_NS};
pub use resources::{Holder, Resource, ResourceStats, ResourceSummary, Role, Waiter};
pub use runtime::{RuntimeState, WorkerState, HISTORY};
pub use task::{Task, TaskState};
use task_table::TaskTable;

use opt::Opt;

use crate::feed::{Event, Nanos, ReplayStatus, ResourceId, ResourceKind, SourceInfo, TaskId};

/// How long the alive-count history reaches back (for the task-growth lint).
pub const ALIVE_HISTORY_NS: u64 = 60_000_000_000;

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

impl StateCounts {
    pub fn add(&mut self, state: TaskState) {
        match state {
            TaskState::Running => self.running += 1,
            TaskState::Scheduled => self.scheduled += 1,
            TaskState::Idle => self.idle += 1,
            TaskState::Done => self.done += 1,
        }
    }
}

/// `Clone` so a view can keep a frozen snapshot (pause) while ingestion goes on.
#[derive(Clone, Debug)]
pub struct Model {
    config: ModelConfig,
    source: SourceInfo,
    started_at: Nanos,
    now: Nanos,
    tasks: TaskTable,
    /// Done tasks in termination order, for eviction.
    done_order: VecDeque<TaskId>,
    /// Ids polled now, from the last `PollsInProgress`.
    in_progress: Vec<TaskId>,
    totals: Totals,
    runtime: RuntimeState,
    /// Children of retained tasks still alive, to mark them when their
    /// parent ends.
    children: HashMap<TaskId, Vec<TaskId>>,
    /// (time, alive tasks), at most one per 100 ms.
    alive_history: VecDeque<(Nanos, u64)>,
    resources: BTreeMap<ResourceId, Resource>,
    /// Dropped resources in drop order, for eviction.
    dropped_resources: VecDeque<(Nanos, ResourceId)>,
    /// Evicted resources' figures, by kind and name.
    resource_history: BTreeMap<(ResourceKind, Arc<str>), ResourceSummary>,
    metrics: MetricsState,
    /// Console sources' per-task figures, kinds and location growth.
    console: ConsoleState,
    /// Attach sources: the link to the target. Survives new sessions.
    connection: Option<ConnectionStatus>,
    /// Bumped by every change of the task set or its figures, so views can
    /// keep a sorted order until something changed.
    generation: u64,
    /// Set when the source is a replay.
    replay: Option<ReplayStatus>,
}

impl Model {
    #[must_use]
    pub fn new(config: ModelConfig) -> Self {
        Self {
            config,
            source: SourceInfo::default(),
            started_at: 0,
            now: 0,
            tasks: TaskTable::default(),
            done_order: VecDeque::new(),
            in_progress: Vec::new(),
            totals: Totals::default(),
            runtime: RuntimeState::default(),
            children: HashMap::new(),
            alive_history: VecDeque::new(),
            resources: BTreeMap::new(),
            dropped_resources: VecDeque::new(),
            resource_history: BTreeMap::new(),
            metrics: MetricsState::default(),
            console: ConsoleState::default(),
            connection: None,
            generation: 0,
            replay: None,
        }
    }

    pub fn apply_all<'a>(&mut self, events: impl IntoIterator<Item = &'a Event>) {
        for e in events {
            self.apply(e);
        }
        self.evict();
        self.console.sample_growth(self.now, self.tasks.values());
    }

    pub fn apply(&mut self, event: &Event) {
        if let Some(at) = event.at() {
            self.now = self.now.max(at);
        }
        self.generation += 1;
        match event {
            Event::SessionStarted { source, at } => {
                // Forget the old session, but keep counting changes; the
                // link to an attached target outlives its sessions.
                let generation = self.generation;
                let connection = self.connection.take();
                *self = Model::new(self.config.clone());
                self.generation = generation;
                self.connection = connection;
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
                self.tasks
                    .insert(Task::new(*id, *parent, location.clone(), name.clone(), *at));
                if let Some(p) = parent {
                    self.add_child(*p, *id);
                }
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
                if let Some(t) = self.tasks.get_mut(*id) {
                    t.record_poll(*start, *end, *scheduled_ns, *worker);
                }
            }
            Event::TaskTerminated { id, at } => self.terminate(*id, *at),
            Event::PollsInProgress { polls, .. } => {
                for id in self.in_progress.drain(..) {
                    if let Some(t) = self.tasks.get_mut(id) {
                        t.polling_since = Opt::NONE;
                    }
                }
                for p in polls {
                    if let Some(t) = self.tasks.get_mut(p.id) {
                        if t.terminated_at.is_none() {
                            t.polling_since = p.since.into();
                            t.worker = p.worker.or(t.worker()).into();
                            self.in_progress.push(p.id);
                        }
                    }
                }
            }
            Event::Runtime(sample) => self.runtime.record(sample),
            Event::Tick { at } => self.sample(*at),
            Event::Dropped { count } => self.totals.dropped_events += count,
            Event::SourceUpdated { source } => self.source = source.clone(),
            Event::Metrics { at, series } => self.metrics.record(*at, series),
            Event::ResourceCreated {
                id,
                kind,
                name,
                capacity,
                location,
                at,
            } => {
                self.resources.entry(*id).or_insert_with(|| {
                    Resource::new(*id, *kind, name.clone(), *capacity, location.clone(), *at)
                });
            }
            Event::ResourceWaiting { id, task, at } => {
                if let Some(r) = self.resources.get_mut(id) {
                    r.waiting(*task, *at);
                }
            }
            Event::ResourceWaitCancelled {
                id,
                task,
                since,
                at,
            } => {
                if let Some(r) = self.resources.get_mut(id) {
                    r.wait_cancelled(*task, *since, *at);
                }
            }
            Event::ResourceAcquired {
                id,
                task,
                amount,
                wait_started,
                at,
            } => {
                if let Some(r) = self.resources.get_mut(id) {
                    r.acquired(*task, *amount, *wait_started, *at);
                }
            }
            Event::ResourceReleased {
                id,
                task,
                acquired_at,
                at,
                ..
            } => {
                if let Some(r) = self.resources.get_mut(id) {
                    r.released(*task, *acquired_at, *at);
                }
            }
            Event::ResourceCapacity { id, capacity, at } => {
                if let Some(r) = self.resources.get_mut(id) {
                    r.set_capacity(*capacity, *at);
                }
            }
            Event::ReplayPosition(status) => self.replay = Some(*status),
            Event::ResourceDropped { id, at } => {
                if let Some(r) = self.resources.get_mut(id) {
                    if r.dropped_at.is_none() {
                        r.dropped(*at);
                        self.dropped_resources.push_back((*at, *id));
                    }
                }
            }
            Event::TaskStats { id, stats } => {
                if let Some(t) = self.tasks.get_mut(*id) {
                    console_stats::apply_to_task(t, stats);
                    self.console.set_stats(*id, **stats);
                    if let Some(at) = stats.dropped_at {
                        self.terminate(*id, at);
                    }
                }
            }
            Event::TaskMeta { id, kind, .. } => {
                if self.tasks.get(*id).is_some() {
                    self.console.set_kind(*id, kind.clone());
                }
            }
            Event::Connection { target, state } => {
                ConnectionStatus::update(&mut self.connection, target, state);
            }
        }
    }

    fn add_child(&mut self, parent: TaskId, child: TaskId) {
        // A parent not retained (spawned before the session, or evicted)
        // is never seen to end: nothing to index.
        let Some(p) = self.tasks.get(parent) else {
            return;
        };
        if let Some(done) = p.terminated_at() {
            // Seen out of order: the parent already ended.
            if let Some(c) = self.tasks.get_mut(child) {
                c.parent_done_at = done.into();
            }
            return;
        }
        let kids = self.children.entry(parent).or_default();
        kids.push(child);
        // A long-lived parent (an accept loop) spawns without end: forget
        // children that are done now and then.
        if kids.len() >= 64 && kids.len().is_power_of_two() {
            let tasks = &self.tasks;
            kids.retain(|k| tasks.get(*k).is_some_and(|t| t.terminated_at.is_none()));
        }
    }

    /// Marks the live children of `parent`, which ended at `at`.
    fn orphan_children(&mut self, parent: TaskId, at: Nanos) {
        for child in self.children.remove(&parent).unwrap_or_default() {
            if let Some(c) = self.tasks.get_mut(child) {
                if c.terminated_at.is_none() {
                    c.parent_done_at = at.into();
                }
            }
        }
    }

    /// Keeps short histories: alive tasks, resources' counters.
    fn sample(&mut self, at: Nanos) {
        if self
            .alive_history
            .back()
            .is_none_or(|(last, _)| at.saturating_sub(*last) >= 100_000_000)
        {
            self.alive_history.push_back((at, self.alive()));
            let horizon = at.saturating_sub(ALIVE_HISTORY_NS);
            while self
                .alive_history
                .front()
                .is_some_and(|(t, _)| *t < horizon)
            {
                self.alive_history.pop_front();
            }
        }
        for r in self.resources.values_mut() {
            r.sample(at);
        }
    }

    fn terminate(&mut self, id: TaskId, at: Nanos) {
        if let Some(t) = self.tasks.get_mut(id) {
            if t.terminated_at.is_none() {
                t.terminated_at = at.into();
                t.polling_since = Opt::NONE;
                self.totals.completed += 1;
                if self.done_order.len() == self.done_order.capacity() {
                    let more = task_table::growth(self.done_order.len());
                    self.done_order.reserve_exact(more);
                }
                self.done_order.push_back(id);
            }
            self.orphan_children(id, at);
        }
    }

    /// Drops done tasks older than the retention time.
    fn evict(&mut self) {
        let horizon = self.now.saturating_sub(self.config.retain_ns);
        while let Some(&id) = self.done_order.front() {
            let done_at = self.tasks.get(id).and_then(Task::terminated_at);
            if done_at.is_some_and(|at| at > horizon) {
                break;
            }
            self.done_order.pop_front();
            if self.tasks.remove(id).is_some() {
                self.console.forget(id);
                self.totals.evicted += 1;
            }
        }
        // Evictions leave room a new burst may reuse: give it back only
        // once at most half (a quarter, for hash tables) is used.
        self.tasks.shrink();
        let order = &mut self.done_order;
        if let Some(keep) = task_table::shrunk(order.len(), order.capacity()) {
            order.shrink_to(keep);
        }
        if self.children.len() <= self.children.capacity() / 4 {
            self.children.shrink_to(self.children.len());
        }
        while let Some(&(at, id)) = self.dropped_resources.front() {
            if at > horizon {
                break;
            }
            self.dropped_resources.pop_front();
            if let Some(r) = self.resources.remove(&id) {
                self.resource_history
                    .entry((r.kind, r.name.clone()))
                    .and_modify(|s| s.add(&r))
                    .or_insert_with(|| ResourceSummary::of(&r));
            }
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
        self.tasks.get(id)
    }

    /// Heap bytes the model spends on its task records (the table, the
    /// eviction queue, the parent index, the per-task histograms): what
    /// retention costs per task. Shared strings (interned locations) are
    /// not counted.
    #[must_use]
    pub fn task_bytes(&self) -> usize {
        let order = self.done_order.capacity() * size_of::<TaskId>();
        let children =
            heap::hash_table_bytes(self.children.capacity(), size_of::<(TaskId, Vec<TaskId>)>())
                + self
                    .children
                    .values()
                    .map(|v| v.capacity() * size_of::<TaskId>())
                    .sum::<usize>();
        self.tasks.heap_bytes() + order + children + self.histogram_heap_bytes()
    }

    /// Every retained task, in no particular order.
    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.tasks.values()
    }

    /// How many tasks are retained, without walking them.
    #[must_use]
    pub fn task_count(&self) -> usize {
        self.tasks.len()
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
            c.add(t.state());
        }
        c
    }

    /// Ids of the retained tasks whose parent is `id`.
    #[must_use]
    pub fn children_of(&self, id: TaskId) -> Vec<TaskId> {
        let mut ids: Vec<TaskId> = self
            .tasks
            .values()
            .filter(|t| t.parent() == Some(id))
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

    /// Where a replay is in its recording; `None` for live sources.
    #[must_use]
    pub fn replay(&self) -> Option<&ReplayStatus> {
        self.replay.as_ref()
    }

    /// What console sources told about tasks beyond the task list.
    #[must_use]
    pub fn console(&self) -> &ConsoleState {
        &self.console
    }

    /// Attach sources: the link to the target, if there is one.
    #[must_use]
    pub fn connection(&self) -> Option<&ConnectionStatus> {
        self.connection.as_ref()
    }

    #[must_use]
    pub fn retain_ns(&self) -> u64 {
        self.config.retain_ns
    }

    /// (time, alive tasks) over the last minute, oldest first.
    #[must_use]
    pub fn alive_history(&self) -> &VecDeque<(Nanos, u64)> {
        &self.alive_history
    }

    #[must_use]
    pub fn metrics(&self) -> &MetricsState {
        &self.metrics
    }

    /// Live resources and those dropped within the retention time, by id.
    pub fn resources(&self) -> impl Iterator<Item = &Resource> {
        self.resources.values()
    }

    #[must_use]
    pub fn resource(&self, id: ResourceId) -> Option<&Resource> {
        self.resources.get(&id)
    }

    /// Every resource ever seen, grouped by kind and name (a resource made
    /// anew each round is one line), sorted by kind then name.
    #[must_use]
    pub fn resource_summaries(&self) -> Vec<ResourceSummary> {
        let mut by_name = self.resource_history.clone();
        for r in self.resources.values() {
            by_name
                .entry((r.kind, r.name.clone()))
                .and_modify(|s| s.add(r))
                .or_insert_with(|| ResourceSummary::of(r));
        }
        by_name.into_values().collect()
    }

    /// The resources `task` holds or waits on now.
    #[must_use]
    pub fn resources_of_task(&self, task: TaskId) -> Vec<(ResourceId, Role)> {
        self.resources
            .values()
            .filter_map(|r| r.role_of(task).map(|role| (r.id, role)))
            .collect()
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
