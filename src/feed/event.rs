use std::sync::Arc;

use serde::{Deserialize, Serialize};

mod console;

pub use console::{ConnectionState, ConsoleTaskStats};

/// Nanoseconds since the session started, on the source's clock.
pub type Nanos = u64;

/// A task id as the source knows it (tokio's task id for the probe engine).
pub type TaskId = u64;

/// A resource id (semaphore, mutex, channel, pool) as the source knows it.
pub type ResourceId = u64;

/// Everything a source can tell the model. Recorded to `.tsrec` as is, so
/// add variants freely but never change the meaning of an existing one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// A new session starts: the model forgets everything before it (an
    /// attached process restarted, or the demo was switched).
    SessionStarted {
        source: SourceInfo,
        at: Nanos,
    },
    /// The same session goes on with changed settings (variant, knobs).
    SourceUpdated {
        source: SourceInfo,
    },
    TaskSpawned {
        id: TaskId,
        parent: Option<TaskId>,
        /// `file:line:col` of the spawn call.
        location: Arc<str>,
        name: Option<Arc<str>>,
        at: Nanos,
    },
    /// One complete poll. `scheduled_ns` is the time the task waited in a
    /// run queue before it (0 if the source cannot tell).
    TaskPolled {
        id: TaskId,
        start: Nanos,
        end: Nanos,
        scheduled_ns: u64,
        worker: Option<u16>,
    },
    TaskTerminated {
        id: TaskId,
        at: Nanos,
    },
    /// Polls that had started and not ended when the source looked, so a
    /// poll that blocks a worker shows while it blocks. Replaces the last set.
    PollsInProgress {
        at: Nanos,
        polls: Vec<InProgressPoll>,
    },
    Runtime(RuntimeSample),
    /// The source's clock moved on with nothing else to say.
    Tick {
        at: Nanos,
    },
    /// Events the source had to drop (a bounded buffer overflowed).
    Dropped {
        count: u64,
    },
    /// A resource that tasks acquire and wait for. Sent before its other
    /// events; may repeat (the model keeps the first).
    ResourceCreated {
        id: ResourceId,
        kind: ResourceKind,
        name: Arc<str>,
        /// None: no fixed limit (an `RwLock`'s readers).
        capacity: Option<u64>,
        /// `file:line:col` where it was created.
        location: Arc<str>,
        at: Nanos,
    },
    /// `task` (None: code outside any task) started waiting for it.
    ResourceWaiting {
        id: ResourceId,
        task: Option<TaskId>,
        at: Nanos,
    },
    /// A wait that started at `since` ended without acquiring.
    ResourceWaitCancelled {
        id: ResourceId,
        task: Option<TaskId>,
        since: Nanos,
        at: Nanos,
    },
    /// `task` acquired `amount` (permits, a lock, a buffer slot, a
    /// connection); `wait_started` is set if it had to wait.
    ResourceAcquired {
        id: ResourceId,
        task: Option<TaskId>,
        amount: u32,
        wait_started: Option<Nanos>,
        at: Nanos,
    },
    /// What `task` acquired at `acquired_at` was given back.
    ResourceReleased {
        id: ResourceId,
        task: Option<TaskId>,
        amount: u32,
        acquired_at: Nanos,
        at: Nanos,
    },
    /// The capacity changed (permits added, or lost for good).
    ResourceCapacity {
        id: ResourceId,
        capacity: u64,
        at: Nanos,
    },
    ResourceDropped {
        id: ResourceId,
        at: Nanos,
    },
    /// The workload's own figures (the `metrics` facade) as they are now.
    Metrics {
        at: Nanos,
        series: Vec<MetricSample>,
    },
    /// A replay's place in its recording, for the progress bar.
    ReplayPosition(ReplayStatus),
    /// Console sources: a task's cumulative figures, replacing the last ones.
    /// Boxed: inline it would make every event three times larger.
    /// A `dropped_at` ends the task like `TaskTerminated`.
    TaskStats {
        id: TaskId,
        stats: Box<ConsoleTaskStats>,
    },
    /// Console sources: what the target says about a task besides its
    /// location: its kind (task, local, blocking, block_on) and other fields.
    TaskMeta {
        id: TaskId,
        kind: Arc<str>,
        fields: Vec<(Arc<str>, String)>,
    },
    /// Attach sources: the link to the target changed. Kept across sessions.
    Connection {
        target: String,
        state: ConnectionState,
    },
}

impl Event {
    /// When it happened, if it carries a time.
    #[must_use]
    pub fn at(&self) -> Option<Nanos> {
        match self {
            Event::SessionStarted { at, .. }
            | Event::TaskSpawned { at, .. }
            | Event::TaskTerminated { at, .. }
            | Event::PollsInProgress { at, .. }
            | Event::Tick { at }
            | Event::ResourceCreated { at, .. }
            | Event::ResourceWaiting { at, .. }
            | Event::ResourceWaitCancelled { at, .. }
            | Event::ResourceAcquired { at, .. }
            | Event::ResourceReleased { at, .. }
            | Event::ResourceCapacity { at, .. }
            | Event::ResourceDropped { at, .. }
            | Event::Metrics { at, .. } => Some(*at),
            Event::TaskPolled { end, .. } => Some(*end),
            Event::Runtime(s) => Some(s.at),
            // Recording time, not the source's clock; stats carry times of
            // the past and do not move the clock either.
            Event::Dropped { .. }
            | Event::SourceUpdated { .. }
            | Event::ReplayPosition(_)
            | Event::TaskStats { .. }
            | Event::TaskMeta { .. }
            | Event::Connection { .. } => None,
        }
    }
}

/// What is being watched, for the header and the report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// "demo", "attach" or "replay".
    pub kind: String,
    /// Demo name, target address or file name.
    pub name: String,
    /// "probe" or "console".
    pub engine: String,
    /// For demos: the fixed variant (false: broken).
    pub fixed: bool,
    /// For demos: every knob and its value, the main knob first.
    pub knobs: Vec<(String, i64)>,
}

/// Where a replay is. Times are recording time: nanoseconds since the
/// recording started, as its frames are stamped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplayStatus {
    pub at: Nanos,
    pub length: Nanos,
    pub paused: bool,
    /// 100 is the recorded pace.
    pub speed_percent: u16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InProgressPoll {
    pub id: TaskId,
    pub worker: Option<u16>,
    pub since: Nanos,
}

/// A reading of tokio's `RuntimeMetrics`. Counters are cumulative since the
/// runtime started; the model turns them into rates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeSample {
    pub at: Nanos,
    pub workers: Vec<WorkerSample>,
    pub global_queue: u64,
    pub alive_tasks: u64,
    pub blocking_threads: u64,
    pub blocking_queue: u64,
    pub spawned_tasks: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerSample {
    pub busy_ns: u64,
    pub polls: u64,
    pub steals: u64,
    pub parks: u64,
    pub local_queue: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    Semaphore,
    Mutex,
    RwLock,
    /// A bounded channel: capacity is its buffer, waiters are blocked senders.
    Channel,
    /// A connection pool: capacity is its size.
    Pool,
}

impl ResourceKind {
    /// As the report spells it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::Semaphore => "semaphore",
            ResourceKind::Mutex => "mutex",
            ResourceKind::RwLock => "rwlock",
            ResourceKind::Channel => "channel",
            ResourceKind::Pool => "pool",
        }
    }
}

/// One metric series as it is now. `key` is the name with its labels,
/// `name{label=value,...}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricSample {
    pub key: Arc<str>,
    pub value: MetricValue,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MetricValue {
    /// Cumulative since the series was first seen.
    Counter(u64),
    Gauge(f64),
    /// Values recorded since the last sample.
    Histogram(HistogramSummary),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HistogramSummary {
    pub count: u64,
    pub sum: f64,
    pub min: f64,
    pub max: f64,
    pub p50: f64,
    pub p99: f64,
}
