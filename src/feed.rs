//! The feed: one engine-agnostic stream of [`Event`]s, whatever produced
//! them (the probe engine, the console engine, an attached process, a
//! recording). Sources send batches; the model consumes them.

pub mod attach;
mod event;
pub mod live;

pub use event::{
    ConnectionState, ConsoleTaskStats, Event, InProgressPoll, Nanos, RuntimeSample, SourceInfo,
    TaskId, WorkerSample,
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
}
