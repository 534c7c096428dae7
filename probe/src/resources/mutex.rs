//! `tokio::sync::Mutex` with a name, recording who holds the lock and who waits.

use std::sync::Arc;

use tokio::sync::TryLockError;

use super::lock_guard::LockGuard;
use super::{Recorder, ResourceKind};

/// A mutex that reports to the probe. Same methods as tokio's.
#[derive(Debug)]
pub struct Mutex<T: ?Sized> {
    recorder: Recorder,
    inner: tokio::sync::Mutex<T>,
}

impl<T> Mutex<T> {
    #[track_caller]
    pub fn new_named(name: impl Into<Arc<str>>, value: T) -> Self {
        Self {
            recorder: Recorder::new(ResourceKind::Mutex, name.into(), Some(1)),
            inner: tokio::sync::Mutex::new(value),
        }
    }

    pub fn into_inner(self) -> T {
        self.inner.into_inner()
    }
}

impl<T: ?Sized> Mutex<T> {
    /// The id the probe's events carry for this resource.
    #[must_use]
    pub fn resource_id(&self) -> u64 {
        self.recorder.id()
    }

    pub async fn lock(&self) -> MutexGuard<'_, T> {
        LockGuard::acquire(&self.recorder, self.inner.try_lock(), || self.inner.lock()).await
    }

    pub fn try_lock(&self) -> Result<MutexGuard<'_, T>, TryLockError> {
        LockGuard::tried(&self.recorder, self.inner.try_lock())
    }

    pub fn get_mut(&mut self) -> &mut T {
        self.inner.get_mut()
    }
}

impl<T: ?Sized + std::fmt::Debug> std::fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// The lock, held until dropped.
pub type MutexGuard<'a, T> = LockGuard<'a, tokio::sync::MutexGuard<'a, T>>;
