//! `tokio::sync::RwLock` with a name. Readers and the writer are holders
//! (one each); it has no fixed capacity.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use tokio::sync::TryLockError;

use super::{Holding, Recorder, ResourceKind};

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
        if let Ok(g) = self.try_read() {
            return g;
        }
        let (guard, holding) = self.recorder.track(1, self.inner.read(), |_| true).await;
        RwLockReadGuard {
            guard: Some(guard),
            recorder: &self.recorder,
            holding,
        }
    }

    pub async fn write(&self) -> RwLockWriteGuard<'_, T> {
        if let Ok(g) = self.try_write() {
            return g;
        }
        let (guard, holding) = self.recorder.track(1, self.inner.write(), |_| true).await;
        RwLockWriteGuard {
            guard: Some(guard),
            recorder: &self.recorder,
            holding,
        }
    }

    pub fn try_read(&self) -> Result<RwLockReadGuard<'_, T>, TryLockError> {
        let guard = self.inner.try_read()?;
        Ok(RwLockReadGuard {
            guard: Some(guard),
            recorder: &self.recorder,
            holding: self.recorder.acquired(1, None),
        })
    }

    pub fn try_write(&self) -> Result<RwLockWriteGuard<'_, T>, TryLockError> {
        let guard = self.inner.try_write()?;
        Ok(RwLockWriteGuard {
            guard: Some(guard),
            recorder: &self.recorder,
            holding: self.recorder.acquired(1, None),
        })
    }

    pub fn get_mut(&mut self) -> &mut T {
        self.inner.get_mut()
    }
}

/// Shared access, held until dropped.
#[must_use]
pub struct RwLockReadGuard<'a, T: ?Sized> {
    guard: Option<tokio::sync::RwLockReadGuard<'a, T>>,
    recorder: &'a Recorder,
    holding: Option<Holding>,
}

/// Exclusive access, held until dropped.
#[must_use]
pub struct RwLockWriteGuard<'a, T: ?Sized> {
    guard: Option<tokio::sync::RwLockWriteGuard<'a, T>>,
    recorder: &'a Recorder,
    holding: Option<Holding>,
}

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.guard {
            Some(g) => g,
            None => unreachable!("the guard is only taken in drop"),
        }
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.guard {
            Some(g) => g,
            None => unreachable!("the guard is only taken in drop"),
        }
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        match &mut self.guard {
            Some(g) => g,
            None => unreachable!("the guard is only taken in drop"),
        }
    }
}

impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        self.recorder.released(self.holding.take());
        drop(self.guard.take());
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        self.recorder.released(self.holding.take());
        drop(self.guard.take());
    }
}
