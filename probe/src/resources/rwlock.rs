//! `tokio::sync::RwLock` with a name. Readers and the writer are holders
//! (one each); it has no fixed capacity.

use std::sync::Arc;

use tokio::sync::TryLockError;

use super::lock_guard::LockGuard;
use super::{Recorder, ResourceKind};

/// A read-write lock that reports to the probe. Same methods as tokio's.
#[derive(Debug)]
pub struct RwLock<T: ?Sized> {
    recorder: Recorder,
    inner: tokio::sync::RwLock<T>,
}

impl<T> RwLock<T> {
    #[track_caller]
    pub fn new_named(name: impl Into<Arc<str>>, value: T) -> Self {
        Self {
            recorder: Recorder::new(ResourceKind::RwLock, name.into(), None),
            inner: tokio::sync::RwLock::new(value),
        }
    }

    pub fn into_inner(self) -> T {
        self.inner.into_inner()
    }
}

impl<T: ?Sized> RwLock<T> {
    /// The id the probe's events carry for this resource.
    #[must_use]
    pub fn resource_id(&self) -> u64 {
        self.recorder.id()
    }

    pub async fn read(&self) -> RwLockReadGuard<'_, T> {
        LockGuard::acquire(&self.recorder, self.inner.try_read(), || self.inner.read()).await
    }

    pub async fn write(&self) -> RwLockWriteGuard<'_, T> {
        LockGuard::acquire(&self.recorder, self.inner.try_write(), || {
            self.inner.write()
        })
        .await
    }

    pub fn try_read(&self) -> Result<RwLockReadGuard<'_, T>, TryLockError> {
        LockGuard::tried(&self.recorder, self.inner.try_read())
    }

    pub fn try_write(&self) -> Result<RwLockWriteGuard<'_, T>, TryLockError> {
        LockGuard::tried(&self.recorder, self.inner.try_write())
    }

    pub fn get_mut(&mut self) -> &mut T {
        self.inner.get_mut()
    }
}

/// Shared access, held until dropped.
pub type RwLockReadGuard<'a, T> = LockGuard<'a, tokio::sync::RwLockReadGuard<'a, T>>;

/// Exclusive access, held until dropped.
pub type RwLockWriteGuard<'a, T> = LockGuard<'a, tokio::sync::RwLockWriteGuard<'a, T>>;
