//! In-runtime instrumentation for taskscope.
//!
//! [`Probe`] installs tokio's task hooks on a runtime [`Builder`] and collects
//! what they see into per-thread buffers that a collector drains at its own
//! pace. Probe resources (semaphore, mutex, rwlock, channel, pool) live in
//! [`resources`] and report through the same probe.
//!
//! Nothing here knows about the UI, the model or recordings: this crate is
//! what runs inside the observed runtime, so it stays small and cheap.
//!
//! [`Builder`]: tokio::runtime::Builder

mod clock;
mod hooks;
pub mod resources;
mod task_id;

pub use clock::Clock;
pub use hooks::{Probe, ProbeEvent, ThreadPoll};
pub use resources::{ResourceKind, ResourceMeta};
pub use task_id::task_id_u64;
