//! The feed: one engine-agnostic stream of [`Event`]s, whatever produced
//! them (the probe engine, the console engine, an attached process, a
//! recording). Sources send batches; the model consumes them.

mod event;

pub use event::{Event, InProgressPoll, Nanos, RuntimeSample, SourceInfo, TaskId, WorkerSample};

/// One delivery from a source: events in time order.
pub type Batch = Vec<Event>;
