use std::sync::Arc;

use serde::{Deserialize, Serialize};

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
    /// A replay's place in its recording, for the progress bar.
    ReplayPosition(ReplayStatus),
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
            // Recording time, not the source's clock.
            Event::Dropped { .. } | Event::SourceUpdated { .. } | Event::ReplayPosition(_) => None,
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
