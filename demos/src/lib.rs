//! Demo workloads for taskscope: classic async patterns and mistakes, each
//! with a broken and a fixed variant. No UI here: a demo is a workload that
//! runs in rounds on whatever runtime it is given and reports its figures
//! through the `metrics` facade.
//!
//! A demo that keeps state across rounds keeps it in its instance: the
//! semaphore (so leaked permits stay leaked, reset when the settings
//! change), the pool (created on the first round, its SQLite file removed
//! when the instance is dropped) and the tasks that `leak` and `timeouts`
//! leave behind on purpose (released when the instance is dropped). Each
//! `catalog()` or `find()` call gives fresh instances.

mod catalog;
mod knobs;
mod leftovers;
mod runner;
mod support;

mod blocking;
mod gather;
mod leak;
mod mutex;
mod pool;
mod queue;
mod select;
mod semaphore;
mod shutdown;
mod task_group;
mod timeouts;

pub use catalog::{catalog, find, UnknownDemo};
pub use knobs::{Knob, KnobError, Settings};
pub use runner::{run_rounds, RoundReport};

use std::future::Future;
use std::pin::Pin;

/// A boxed round future.
pub type RoundFuture = Pin<Box<dyn Future<Output = RoundReport> + Send + 'static>>;

/// What a user reads about a demo before and while running it.
#[derive(Debug)]
pub struct DemoInfo {
    /// kebab-case, as typed on the command line.
    pub name: &'static str,
    /// One line for `taskscope list`.
    pub summary: &'static str,
    /// The pattern, the mistake, and what to look at on screen.
    pub explain: &'static str,
    /// Every knob; the first is the main knob that `+`/`-` change.
    pub knobs: &'static [Knob],
}

/// One workload. `round` builds a round's future; the runner spawns it as
/// a task, so everything the round spawns has the round as its parent.
pub trait Demo: Send + Sync {
    fn info(&self) -> &'static DemoInfo;
    fn round(&self, settings: &Settings, round: u64) -> RoundFuture;
}
