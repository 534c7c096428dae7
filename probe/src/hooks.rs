//! tokio task hooks writing into per-thread buffers.
//!
//! Each thread that runs a hook gets its own buffer (a `Mutex<Vec>` that only
//! that thread locks, besides the collector swapping it out), so the hot
//! path is one uncontended lock and a push: no shared map, no allocation per
//! poll once the buffer has grown. Measured here as the cheapest of the
//! designs tried (see shared/notes/probe-engine-measurements.md).

use std::cell::RefCell;
use std::panic::Location;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::ThreadId;

use tokio::runtime::{Builder, TaskMeta};

use crate::clock::Clock;
use crate::resources::ResourceMeta;
use crate::task_id::task_id_u64;

/// What the hooks and the probe resources saw. Times are nanoseconds on the
/// probe's [`Clock`]. In resource events `task` is the task being polled
/// when it happened, 0 outside any task (tokio's task ids start at 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProbeEvent {
    /// `parent` is the task being polled on the spawning thread, if any.
    Spawn {
        task: u64,
        parent: Option<u64>,
        location: &'static Location<'static>,
        at: u64,
    },
    /// One complete poll. `scheduled_ns` is how long the task waited in a
    /// run queue before this poll (tokio's schedule latency), 0 if unknown.
    /// `terminated`: the task ended inside this poll, at `end`. tokio runs
    /// the terminate hook inside the final poll; folding it in here saves
    /// an event, a clock read and a lock per task.
    Poll {
        task: u64,
        start: u64,
        end: u64,
        scheduled_ns: u64,
        thread: u32,
        terminated: bool,
    },
    /// A task ended outside its own poll (aborted, or at shutdown).
    Terminate {
        task: u64,
        at: u64,
    },
    /// A probe resource was first used (or created) on this probe's runtime.
    ResourceCreated {
        meta: Arc<ResourceMeta>,
        at: u64,
    },
    /// `task` started waiting for the resource (it was not ready at once).
    ResourceWaiting {
        resource: u64,
        task: u64,
        at: u64,
    },
    /// A wait ended without acquiring (cancelled, or the resource closed).
    ResourceWaitCancelled {
        resource: u64,
        task: u64,
        since: u64,
        at: u64,
    },
    /// `task` acquired `amount` (permits, a lock, a slot, a connection);
    /// `wait_started` is set if it had to wait.
    ResourceAcquired {
        resource: u64,
        task: u64,
        amount: u32,
        wait_started: Option<u64>,
        at: u64,
    },
    /// What `task` acquired at `acquired_at` was given back (by whichever
    /// task dropped the guard).
    ResourceReleased {
        resource: u64,
        task: u64,
        amount: u32,
        acquired_at: u64,
        at: u64,
    },
    /// The capacity changed (semaphore permits added or forgotten).
    ResourceCapacity {
        resource: u64,
        capacity: u64,
        at: u64,
    },
    ResourceDropped {
        resource: u64,
        at: u64,
    },
}

impl ProbeEvent {
    /// The time the event happened, for ordering events from several threads.
    #[must_use]
    pub fn at(&self) -> u64 {
        match *self {
            ProbeEvent::Spawn { at, .. }
            | ProbeEvent::Terminate { at, .. }
            | ProbeEvent::ResourceCreated { at, .. }
            | ProbeEvent::ResourceWaiting { at, .. }
            | ProbeEvent::ResourceWaitCancelled { at, .. }
            | ProbeEvent::ResourceAcquired { at, .. }
            | ProbeEvent::ResourceReleased { at, .. }
            | ProbeEvent::ResourceCapacity { at, .. }
            | ProbeEvent::ResourceDropped { at, .. } => at,
            ProbeEvent::Poll { start, .. } => start,
        }
    }
}

/// A poll in progress on some thread, as seen by [`Probe::polls_in_progress`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThreadPoll {
    pub thread: ThreadId,
    pub thread_index: u32,
    pub task: u64,
    pub since: u64,
}

/// Handle to one probe. Cloning shares it.
#[derive(Clone)]
pub struct Probe {
    shared: Arc<Shared>,
}

struct Shared {
    id: u64,
    clock: Clock,
    threads: Mutex<Vec<Arc<ThreadBuf>>>,
    /// Indices are never reused: a retired thread's index may still be in
    /// events not yet converted.
    next_index: std::sync::atomic::AtomicU32,
    /// Events from threads whose thread-local storage is already gone
    /// (a runtime shutting down): rare, so one shared lock is fine.
    orphans: Mutex<Vec<ProbeEvent>>,
}

struct ThreadBuf {
    index: u32,
    thread: ThreadId,
    events: Mutex<Vec<ProbeEvent>>,
    /// The task being polled on this thread now (0: none), for the live view
    /// of long polls that have not ended yet.
    polling_task: AtomicU64,
    polling_since: AtomicU64,
}

struct Local {
    probe: u64,
    clock: Clock,
    buf: Arc<ThreadBuf>,
    current: Option<u64>,
    poll_start: u64,
    /// The task being polled has fired its terminate hook.
    current_terminated: bool,
}

thread_local! {
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

static NEXT_PROBE_ID: AtomicU64 = AtomicU64::new(1);

/// Where and when a resource event happens: the probe of this thread, the
/// task polled now (0: none) and the time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stamp {
    pub probe: u64,
    pub task: u64,
    pub at: u64,
}

/// Runs `f` with this thread's probe buffer if a probe's hook has run on
/// this thread; None (nothing recorded) on any other thread. This is the
/// probe resources' hot path: one thread-local read, one clock read and one
/// uncontended lock.
pub(crate) fn on_this_thread<R>(f: impl FnOnce(Stamp, &mut Vec<ProbeEvent>) -> R) -> Option<R> {
    LOCAL
        .try_with(|cell| {
            let slot = cell.try_borrow().ok()?;
            let l = slot.as_ref()?;
            let stamp = Stamp {
                probe: l.probe,
                task: l.current.unwrap_or(0),
                at: l.clock.now_ns(),
            };
            let mut events = lock(&l.buf.events);
            let out = f(stamp, &mut events);
            drop(events);
            Some(out)
        })
        .ok()
        .flatten()
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding one of these locks leaves plain data behind.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Probe {
    #[must_use]
    pub fn new() -> Self {
        Self {
            shared: Arc::new(Shared {
                id: NEXT_PROBE_ID.fetch_add(1, Ordering::Relaxed),
                clock: Clock::new(),
                threads: Mutex::new(Vec::new()),
                next_index: std::sync::atomic::AtomicU32::new(0),
                orphans: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Installs the task hooks on `builder`. Needs `--cfg tokio_unstable`.
    /// Polls carry tokio's schedule latency if the builder tracks it
    /// (`track_task_schedule_latency`): it reads the clock on every wake,
    /// which costs 1.3x on wake-heavy work, so that is the caller's choice.
    pub fn instrument<'b>(&self, builder: &'b mut Builder) -> &'b mut Builder {
        let (s1, s2, s3, s4) = (
            self.shared.clone(),
            self.shared.clone(),
            self.shared.clone(),
            self.shared.clone(),
        );
        builder
            .on_task_spawn(move |meta| s1.on_spawn(meta))
            .on_before_task_poll(move |meta| s2.on_before_poll(meta))
            .on_after_task_poll(move |meta| s3.on_after_poll(meta))
            .on_task_terminate(move |meta| s4.on_terminate(meta))
    }

    /// The probe's clock: every event time is on it.
    #[must_use]
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// Moves everything recorded so far into `out` (not sorted across threads).
    /// Forgets threads that have exited (blocking-pool threads come and go
    /// all session long), after taking their last events.
    pub fn drain(&self, out: &mut Vec<ProbeEvent>) {
        let threads: Vec<Arc<ThreadBuf>> = {
            let mut threads = lock(&self.shared.threads);
            // Only this list holds an exited thread's buffer (its `Local`
            // is gone), so nothing can push to it any more.
            threads.retain(|t| {
                let exited = Arc::strong_count(t) == 1;
                if exited {
                    out.append(&mut lock(&t.events));
                }
                !exited
            });
            threads.clone()
        };
        for t in threads {
            out.append(&mut lock(&t.events));
        }
        out.append(&mut lock(&self.shared.orphans));
    }

    /// Polls that have started and not yet ended, one per thread at most.
    #[must_use]
    pub fn polls_in_progress(&self) -> Vec<ThreadPoll> {
        lock(&self.shared.threads)
            .iter()
            .filter_map(|t| {
                let task = t.polling_task.load(Ordering::Acquire);
                (task != 0).then(|| ThreadPoll {
                    thread: t.thread,
                    thread_index: t.index,
                    task,
                    since: t.polling_since.load(Ordering::Relaxed),
                })
            })
            .collect()
    }

    /// Every thread that has run a hook, with the index used in
    /// [`ProbeEvent::Poll::thread`].
    #[must_use]
    pub fn threads(&self) -> Vec<(u32, ThreadId)> {
        lock(&self.shared.threads)
            .iter()
            .map(|t| (t.index, t.thread))
            .collect()
    }
}

impl Default for Probe {
    fn default() -> Self {
        Self::new()
    }
}

impl Shared {
    fn register(&self) -> Arc<ThreadBuf> {
        let mut threads = lock(&self.threads);
        let buf = Arc::new(ThreadBuf {
            index: self.next_index.fetch_add(1, Ordering::Relaxed),
            thread: std::thread::current().id(),
            events: Mutex::new(Vec::with_capacity(1024)),
            polling_task: AtomicU64::new(0),
            polling_since: AtomicU64::new(0),
        });
        threads.push(buf.clone());
        buf
    }

    /// Runs `f` with this thread's state for this probe, registering the
    /// thread on first use. Returns None while the thread is being torn down.
    fn with_local<R>(&self, f: impl FnOnce(&mut Local) -> R) -> Option<R> {
        LOCAL
            .try_with(|cell| {
                let mut slot = cell.borrow_mut();
                if slot.as_ref().is_some_and(|l| l.probe != self.id) {
                    *slot = None;
                }
                let local = slot.get_or_insert_with(|| Local {
                    probe: self.id,
                    clock: self.clock.clone(),
                    buf: self.register(),
                    current: None,
                    poll_start: 0,
                    current_terminated: false,
                });
                f(local)
            })
            .ok()
    }

    fn push(&self, event: ProbeEvent) {
        let mut event = Some(event);
        self.with_local(|l| {
            if let Some(e) = event.take() {
                lock(&l.buf.events).push(e);
            }
        });
        if let Some(e) = event {
            lock(&self.orphans).push(e);
        }
    }

    fn on_spawn(&self, meta: &TaskMeta<'_>) {
        let task = task_id_u64(meta.id());
        let at = self.clock.now_ns();
        let location = meta.spawned_at();
        let event = self.with_local(|l| {
            let event = ProbeEvent::Spawn {
                task,
                parent: l.current,
                location,
                at,
            };
            lock(&l.buf.events).push(event);
        });
        if event.is_none() {
            lock(&self.orphans).push(ProbeEvent::Spawn {
                task,
                parent: None,
                location,
                at,
            });
        }
    }

    fn on_before_poll(&self, meta: &TaskMeta<'_>) {
        let task = task_id_u64(meta.id());
        let now = self.clock.now_ns();
        self.with_local(|l| {
            l.current = Some(task);
            l.current_terminated = false;
            l.poll_start = now;
            l.buf.polling_since.store(now, Ordering::Relaxed);
            l.buf.polling_task.store(task, Ordering::Release);
        });
    }

    fn on_after_poll(&self, meta: &TaskMeta<'_>) {
        let task = task_id_u64(meta.id());
        let end = self.clock.now_ns();
        let scheduled_ns = meta
            .schedule_latency()
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        let pushed = self.with_local(|l| {
            l.buf.polling_task.store(0, Ordering::Release);
            l.current = None;
            let event = ProbeEvent::Poll {
                task,
                start: l.poll_start,
                end,
                scheduled_ns,
                thread: l.buf.index,
                terminated: std::mem::take(&mut l.current_terminated),
            };
            lock(&l.buf.events).push(event);
        });
        if pushed.is_none() {
            lock(&self.orphans).push(ProbeEvent::Poll {
                task,
                start: end,
                end,
                scheduled_ns,
                thread: u32::MAX,
                terminated: false,
            });
        }
    }

    fn on_terminate(&self, meta: &TaskMeta<'_>) {
        let task = task_id_u64(meta.id());
        let in_own_poll = self
            .with_local(|l| {
                let own = l.current == Some(task);
                if own {
                    l.current_terminated = true;
                }
                own
            })
            .unwrap_or(false);
        if !in_own_poll {
            let at = self.clock.now_ns();
            self.push(ProbeEvent::Terminate { task, at });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drained(probe: &Probe) -> Vec<ProbeEvent> {
        let mut out = Vec::new();
        probe.drain(&mut out);
        out.sort_by_key(ProbeEvent::at);
        out
    }

    #[test]
    fn exited_threads_are_forgotten_after_their_events_are_taken() {
        let probe = Probe::new();
        let mut builder = Builder::new_multi_thread();
        builder
            .worker_threads(1)
            .thread_keep_alive(std::time::Duration::from_millis(5))
            .enable_all();
        let rt = probe.instrument(&mut builder).build().expect("runtime");
        let mut events = 0;
        let mut seen: Vec<(u32, ThreadId)> = Vec::new();
        for _ in 0..20 {
            rt.block_on(async {
                let waves: Vec<_> = (0..4)
                    .map(|_| {
                        tokio::task::spawn_blocking(|| {
                            std::thread::sleep(std::time::Duration::from_millis(2))
                        })
                    })
                    .collect();
                for w in waves {
                    w.await.expect("blocking");
                }
            });
            for t in probe.threads() {
                if !seen.contains(&t) {
                    seen.push(t);
                }
            }
            // Let the idle blocking threads exit.
            std::thread::sleep(std::time::Duration::from_millis(50));
            events += drained(&probe).len();
        }
        events += drained(&probe).len();
        // 1 worker, the block_on thread, and blocking threads not yet gone.
        assert!(
            probe.threads().len() <= 8,
            "{} threads registered",
            probe.threads().len()
        );
        let mut indices: Vec<u32> = seen.iter().map(|(i, _)| *i).collect();
        indices.sort_unstable();
        indices.dedup();
        assert_eq!(indices.len(), seen.len(), "an index was reused: {seen:?}");
        assert!(
            seen.len() > 8,
            "blocking threads should come and go: {seen:?}"
        );
        assert!(events >= 80, "the blocking tasks' terminates: {events}");
    }

    #[test]
    fn sees_spawn_polls_terminate_and_parent() {
        let probe = Probe::new();
        let mut builder = Builder::new_multi_thread();
        builder.worker_threads(2).enable_all();
        let rt = probe.instrument(&mut builder).build().expect("runtime");
        let (parent, child) = rt.block_on(async {
            let parent = tokio::spawn(async {
                let child = tokio::spawn(async { tokio::task::yield_now().await });
                let id = child.id();
                child.await.expect("child");
                id
            });
            let pid = parent.id();
            let cid = parent.await.expect("parent");
            (task_id_u64(pid), task_id_u64(cid))
        });
        drop(rt);
        let events = drained(&probe);
        let spawn_of = |t| {
            events.iter().find_map(|e| match e {
                ProbeEvent::Spawn { task, parent, .. } if *task == t => Some(*parent),
                _ => None,
            })
        };
        assert_eq!(
            spawn_of(parent),
            Some(None),
            "spawned from block_on: no parent"
        );
        assert_eq!(spawn_of(child), Some(Some(parent)));
        let child_polls = events
            .iter()
            .filter(|e| matches!(e, ProbeEvent::Poll { task, .. } if *task == child))
            .count();
        assert_eq!(child_polls, 2, "one poll before the yield, one after");
        // Both end inside their last poll: it says so, and no separate
        // terminate event is pushed.
        for id in [parent, child] {
            let last_poll = events
                .iter()
                .rev()
                .find(|e| matches!(e, ProbeEvent::Poll { task, .. } if *task == id));
            assert!(
                matches!(
                    last_poll,
                    Some(ProbeEvent::Poll {
                        terminated: true,
                        ..
                    })
                ),
                "{id}: {last_poll:?}"
            );
            assert!(!events
                .iter()
                .any(|e| matches!(e, ProbeEvent::Terminate { task, .. } if *task == id)));
        }
    }

    #[test]
    fn a_task_ending_outside_its_poll_gets_a_terminate_event() {
        let probe = Probe::new();
        let mut builder = Builder::new_multi_thread();
        builder.worker_threads(1).enable_all();
        let rt = probe.instrument(&mut builder).build().expect("runtime");
        // Pending forever: it ends when the runtime shuts down.
        let id = task_id_u64(rt.spawn(std::future::pending::<()>()).id());
        std::thread::sleep(std::time::Duration::from_millis(20));
        drop(rt);
        let events = drained(&probe);
        assert!(events
            .iter()
            .any(|e| matches!(e, ProbeEvent::Terminate { task, .. } if *task == id)));
        assert!(!events.iter().any(|e| matches!(
            e,
            ProbeEvent::Poll {
                task,
                terminated: true,
                ..
            } if *task == id
        )));
    }

    #[test]
    fn sees_a_poll_in_progress() {
        let probe = Probe::new();
        let mut builder = Builder::new_multi_thread();
        builder.worker_threads(1).enable_all();
        let rt = probe.instrument(&mut builder).build().expect("runtime");
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let handle = rt.spawn(async move {
            // Deliberately blocks the worker until the test has looked.
            let _ = rx.recv();
        });
        let id = task_id_u64(handle.id());
        let mut seen = false;
        for _ in 0..200 {
            if probe.polls_in_progress().iter().any(|p| p.task == id) {
                seen = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        tx.send(()).expect("send");
        rt.block_on(handle).expect("task");
        assert!(seen, "the blocked poll should be visible while it runs");
        // The JoinHandle completes inside the final poll, before the
        // after-poll hook clears the slot: give that hook a moment.
        let cleared = (0..200).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(5));
            probe.polls_in_progress().iter().all(|p| p.task != id)
        });
        assert!(
            cleared,
            "the poll should leave the in-progress set once it ends"
        );
    }
}
