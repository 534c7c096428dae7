//! The feed: one engine-agnostic stream of [`Event`]s, whatever produced
//! them (the probe engine, the console engine, an attached process, a
//! recording). Sources send batches; the model consumes them.

pub mod attach;
mod event;
pub mod live;
pub mod replay;

pub use event::{
    ConnectionState, ConsoleTaskStats, Event, HistogramSummary, InProgressPoll, MetricSample,
    MetricValue, Nanos, ReplayStatus, ResourceId, ResourceKind, RuntimeSample, SourceInfo, TaskId,
    WorkerSample,
};

/// One delivery from a source: events in time order.
pub type Batch = Vec<Event>;

/// A running source as the app sees it: batches come in, commands go out.
/// Every source (live demo, attach, replay) is driven through this.
pub struct Feed {
    pub batches: tokio::sync::mpsc::Receiver<Batch>,
    pub commands: tokio::sync::mpsc::UnboundedSender<Command>,
}

/// What the app can ask of a source. A source ignores what it cannot do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Demo sources: flip between the broken and the fixed variant.
    ToggleFixed,
    /// Demo sources: move the demo's main knob up or down by `steps`.
    NudgeMainKnob { steps: i64 },
    /// Demo sources: stop the running demo and start another.
    SwitchDemo { name: String },
    /// Stop producing and close the batch channel.
    Stop,
    /// Replay: pause, or go on if paused.
    Pause,
    /// Replay: pause and deliver the next recorded batch.
    Step,
    /// Replay: jump to a point of the recording.
    Seek { to: SeekTarget },
    /// Replay: play at `percent` of the recorded pace (25 to 1600).
    SetSpeed { percent: u16 },
}

/// Where a replay should jump to, in recording time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeekTarget {
    /// From the start; `Nanos::MAX` is the end.
    At(Nanos),
    /// From the position now: -1 s is `By(-1_000_000_000)`.
    By(i64),
}
