//! The guard of a probe lock: tokio's guard plus the record of the hold,
//! released (and recorded) when dropped. `MutexGuard`, `RwLockReadGuard`
//! and `RwLockWriteGuard` are this type over tokio's guards.

use std::future::Future;
use std::ops::{Deref, DerefMut};

use super::{Holding, Recorder};

/// A lock held until dropped; derefs to the locked value.
#[must_use]
pub struct LockGuard<'a, G> {
    /// Always Some until drop.
    guard: Option<G>,
    recorder: &'a Recorder,
    holding: Option<Holding>,
}

impl<'a, G> LockGuard<'a, G> {
    fn new(guard: G, recorder: &'a Recorder, holding: Option<Holding>) -> Self {
        Self {
            guard: Some(guard),
            recorder,
            holding,
        }
    }

    /// The lock taken without waiting, recorded as acquired at once.
    pub(super) fn tried<E>(recorder: &'a Recorder, tried: Result<G, E>) -> Result<Self, E> {
        let guard = tried?;
        Ok(Self::new(guard, recorder, recorder.acquired(1, None)))
    }

    /// The lock from `tried` if it was free (the uncontended fast path: no
    /// wait to record, no wait future built), else from `wait()`, recorded
    /// as a wait.
    pub(super) async fn acquire<E, F: Future<Output = G>>(
        recorder: &'a Recorder,
        tried: Result<G, E>,
        wait: impl FnOnce() -> F,
    ) -> Self {
        match Self::tried(recorder, tried) {
            Ok(guard) => guard,
            Err(_) => {
                let (guard, holding) = recorder.track(1, wait(), |_| true).await;
                Self::new(guard, recorder, holding)
            }
        }
    }
}

impl<G: Deref> Deref for LockGuard<'_, G> {
    type Target = G::Target;
    fn deref(&self) -> &G::Target {
        match &self.guard {
            Some(g) => g,
            None => unreachable!("the guard is only taken in drop"),
        }
    }
}

impl<G: DerefMut> DerefMut for LockGuard<'_, G> {
    fn deref_mut(&mut self) -> &mut G::Target {
        match &mut self.guard {
            Some(g) => g,
            None => unreachable!("the guard is only taken in drop"),
        }
    }
}

impl<G> Drop for LockGuard<'_, G> {
    fn drop(&mut self) {
        // Recorded before unlocking: see `SemaphorePermit`'s drop.
        self.recorder.released(self.holding.take());
        drop(self.guard.take());
    }
}
