//! Probe resources: tokio's synchronisation types (and a pool adapter) with
//! a name, reporting who holds them, who waits on them and for how long.
//!
//! Each one records through the probe of the thread it is used on (the
//! per-thread buffer the task hooks write to), tagged with the task polled
//! at that moment. On a thread no probe instruments, recording is a no-op
//! and the types behave exactly like tokio's.

mod channel;
mod lock_guard;
mod mutex;
mod pool;
mod rwlock;
mod semaphore;

use std::future::Future;
use std::panic::Location;
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::Poll;

pub use channel::{channel, Receiver, Sender};
pub use lock_guard::LockGuard;
pub use mutex::{Mutex, MutexGuard};
pub use pool::{Held, PoolProbe};
pub use rwlock::{RwLock, RwLockReadGuard, RwLockWriteGuard};
pub use semaphore::{OwnedSemaphorePermit, Semaphore, SemaphorePermit};

use crate::hooks::{on_this_thread, ProbeEvent, Stamp};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    Semaphore,
    Mutex,
    RwLock,
    /// A bounded mpsc channel: capacity is its buffer, holders are the
    /// senders of the messages waiting in it.
    Channel,
    /// A connection pool: capacity is its size, holders use a connection.
    Pool,
}

/// What a resource is, sent once per probe that sees it.
#[derive(Debug, PartialEq, Eq)]
pub struct ResourceMeta {
    pub id: u64,
    pub kind: ResourceKind,
    pub name: Arc<str>,
    /// At creation; `ProbeEvent::ResourceCapacity` tells later changes.
    /// None: no fixed limit (an `RwLock`'s readers).
    pub capacity: Option<u64>,
    pub location: &'static Location<'static>,
}

static NEXT_RESOURCE_ID: AtomicU64 = AtomicU64::new(1);

/// The recording half every probe resource embeds.
#[derive(Debug)]
pub(crate) struct Recorder {
    meta: Arc<ResourceMeta>,
    /// The probe that has been sent the `ResourceCreated` event (0: none),
    /// so a resource made outside the runtime still shows once used in it.
    announced_to: AtomicU64,
}

/// An acquisition in progress, kept by the guard to report its release.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Holding {
    task: u64,
    at: u64,
    amount: u32,
}

impl Recorder {
    #[track_caller]
    pub(crate) fn new(kind: ResourceKind, name: Arc<str>, capacity: Option<u64>) -> Self {
        let meta = Arc::new(ResourceMeta {
            id: NEXT_RESOURCE_ID.fetch_add(1, Ordering::Relaxed),
            kind,
            name,
            capacity,
            location: Location::caller(),
        });
        let recorder = Self {
            meta,
            announced_to: AtomicU64::new(0),
        };
        recorder.record(|_| None);
        recorder
    }

    pub(crate) fn id(&self) -> u64 {
        self.meta.id
    }

    /// Records the event `make` builds, announcing the resource first if
    /// this thread's probe has not seen it yet.
    fn record(&self, make: impl FnOnce(Stamp) -> Option<ProbeEvent>) -> Option<Stamp> {
        on_this_thread(|stamp, events| {
            if self.announced_to.load(Ordering::Relaxed) != stamp.probe {
                self.announced_to.store(stamp.probe, Ordering::Relaxed);
                events.push(ProbeEvent::ResourceCreated {
                    meta: self.meta.clone(),
                    at: stamp.at,
                });
            }
            if let Some(e) = make(stamp) {
                events.push(e);
            }
            stamp
        })
    }

    fn wait_started(&self) -> Option<Stamp> {
        let resource = self.meta.id;
        self.record(|s| {
            Some(ProbeEvent::ResourceWaiting {
                resource,
                task: s.task,
                at: s.at,
            })
        })
    }

    fn wait_cancelled(&self, wait: Stamp) {
        let resource = self.meta.id;
        self.record(|s| {
            Some(ProbeEvent::ResourceWaitCancelled {
                resource,
                task: wait.task,
                since: wait.at,
                at: s.at,
            })
        });
    }

    /// Records an acquisition by the task polled now.
    pub(crate) fn acquired(&self, amount: u32, wait: Option<Stamp>) -> Option<Holding> {
        let resource = self.meta.id;
        self.record(|s| {
            Some(ProbeEvent::ResourceAcquired {
                resource,
                task: s.task,
                amount,
                wait_started: wait.map(|w| w.at),
                at: s.at,
            })
        })
        .map(|s| Holding {
            task: s.task,
            at: s.at,
            amount,
        })
    }

    pub(crate) fn released(&self, holding: Option<Holding>) {
        let Some(h) = holding else { return };
        let resource = self.meta.id;
        self.record(|s| {
            Some(ProbeEvent::ResourceReleased {
                resource,
                task: h.task,
                amount: h.amount,
                acquired_at: h.at,
                at: s.at,
            })
        });
    }

    pub(crate) fn capacity_changed(&self, capacity: u64) {
        let resource = self.meta.id;
        self.record(|s| {
            Some(ProbeEvent::ResourceCapacity {
                resource,
                capacity,
                at: s.at,
            })
        });
    }

    /// Awaits `fut` (an acquire of `amount`) and records it: a wait only if
    /// its first poll was pending, an acquisition if `acquired` says the
    /// output is one, a cancelled wait if it failed or is dropped first.
    pub(crate) async fn track<F: Future>(
        &self,
        amount: u32,
        fut: F,
        acquired: impl FnOnce(&F::Output) -> bool,
    ) -> (F::Output, Option<Holding>) {
        let mut fut = pin!(fut);
        let mut wait = Wait {
            recorder: self,
            started: None,
            first_poll: true,
        };
        let out = std::future::poll_fn(|cx| match fut.as_mut().poll(cx) {
            Poll::Ready(v) => Poll::Ready(v),
            Poll::Pending => {
                if std::mem::take(&mut wait.first_poll) {
                    wait.started = self.wait_started();
                }
                Poll::Pending
            }
        })
        .await;
        let started = wait.started.take();
        if acquired(&out) {
            let holding = self.acquired(amount, started);
            (out, holding)
        } else {
            if let Some(w) = started {
                self.wait_cancelled(w);
            }
            (out, None)
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let resource = self.meta.id;
        let announced = self.announced_to.load(Ordering::Relaxed);
        // Only a probe that knows the resource hears that it is gone.
        on_this_thread(|s, events| {
            if s.probe == announced {
                events.push(ProbeEvent::ResourceDropped { resource, at: s.at });
            }
        });
    }
}

/// A wait in progress; reports a cancelled wait if dropped mid-wait.
struct Wait<'a> {
    recorder: &'a Recorder,
    started: Option<Stamp>,
    first_poll: bool,
}

impl Drop for Wait<'_> {
    fn drop(&mut self) {
        if let Some(w) = self.started.take() {
            self.recorder.wait_cancelled(w);
        }
    }
}

#[cfg(test)]
mod tests;
