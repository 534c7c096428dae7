use std::sync::Arc;

use serde::{Deserialize, Serialize};

mod console;

pub use console::{ConnectionState, ConsoleTaskStats};

/// Nanoseconds since the session started, on the source's clock.
pub type Nanos = u64;

/// A task id as the source knows it (tokio's task id for the probe engine).
pub type TaskId = u64;

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
    /// Console sources: a task's cumulative figures, replacing the last ones.
    /// A `dropped_at` ends the task like `TaskTerminated`.
    TaskStats {
        id: TaskId,
        stats: ConsoleTaskStats,
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
            | Event::Tick { at } => Some(*at),
            Event::TaskPolled { end, .. } => Some(*end),
            Event::Runtime(s) => Some(s.at),
            // Stats carry times of the past; they do not move the clock.
            Event::Dropped { .. }
            | Event::SourceUpdated { .. }
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
