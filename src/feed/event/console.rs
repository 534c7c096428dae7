//! Event payloads that only console-subscriber sources (attach, the
//! in-process console engine) produce.

use serde::{Deserialize, Serialize};

use super::Nanos;

/// A task's cumulative figures as a console-subscriber target reports them.
/// Each one replaces the last for that task: the target sends snapshots,
/// not increments. Times are on the session's clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleTaskStats {
    pub polls: u64,
    pub busy_ns: u64,
    /// Summed time between a wake and the poll it led to.
    pub scheduled_ns: u64,
    pub created_at: Nanos,
    pub first_poll: Option<Nanos>,
    pub last_poll_started: Option<Nanos>,
    pub last_poll_ended: Option<Nanos>,
    pub dropped_at: Option<Nanos>,
    pub last_wake: Option<Nanos>,
    pub wakes: u64,
    pub waker_clones: u64,
    pub waker_drops: u64,
    pub self_wakes: u64,
}

impl ConsoleTaskStats {
    /// Wakers that exist now: once it reaches 0 on an idle task, nothing
    /// can wake that task again.
    #[must_use]
    pub fn live_wakers(&self) -> u64 {
        self.waker_clones.saturating_sub(self.waker_drops)
    }

    /// A poll has started and not ended.
    #[must_use]
    pub fn polling_since(&self) -> Option<Nanos> {
        match (self.last_poll_started, self.last_poll_ended) {
            (Some(s), Some(e)) if s > e => Some(s),
            (Some(s), None) => Some(s),
            _ => None,
        }
    }
}

/// The link to an attached target, for the header and the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ConnectionState {
    Connecting,
    Connected,
    /// `retry_in_ms` is `None` when the source gives up (headless runs).
    Disconnected {
        retry_in_ms: Option<u64>,
        reason: String,
    },
}
