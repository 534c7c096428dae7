//! Reads tokio's `RuntimeMetrics` into a feed sample.

use tokio::runtime::Handle;

use crate::feed::{Nanos, RuntimeSample, WorkerSample};

fn ns(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

#[must_use]
pub fn sample(handle: &Handle, at: Nanos) -> RuntimeSample {
    let m = handle.metrics();
    let workers = (0..m.num_workers())
        .map(|w| WorkerSample {
            busy_ns: ns(m.worker_total_busy_duration(w)),
            polls: m.worker_poll_count(w),
            steals: m.worker_steal_count(w),
            parks: m.worker_park_count(w),
            local_queue: m.worker_local_queue_depth(w) as u64,
        })
        .collect();
    RuntimeSample {
        at,
        workers,
        global_queue: m.global_queue_depth() as u64,
        alive_tasks: m.num_alive_tasks() as u64,
        blocking_threads: m.num_blocking_threads() as u64,
        blocking_queue: m.blocking_queue_depth() as u64,
        spawned_tasks: m.spawned_tasks_count(),
    }
}

/// Which OS thread each worker runs on, by worker index.
#[must_use]
pub fn worker_threads(handle: &Handle) -> Vec<Option<std::thread::ThreadId>> {
    let m = handle.metrics();
    (0..m.num_workers())
        .map(|w| m.worker_thread_id(w))
        .collect()
}
