//! `tokio::sync::Semaphore` with a name, recording permits held and waited for.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::{AcquireError, TryAcquireError};

use super::{Holding, Recorder, ResourceKind};

/// A semaphore that reports to the probe. Same methods as tokio's.
#[derive(Debug)]
pub struct Semaphore {
    inner: Arc<tokio::sync::Semaphore>,
    /// Permits added minus permits forgotten: what the model shows as capacity.
    capacity: AtomicU64,
    recorder: Recorder,
}

impl Semaphore {
    #[track_caller]
    pub fn new_named(name: impl Into<Arc<str>>, permits: usize) -> Self {
        Self {
            inner: Arc::new(tokio::sync::Semaphore::new(permits)),
            capacity: AtomicU64::new(permits as u64),
            recorder: Recorder::new(ResourceKind::Semaphore, name.into(), Some(permits as u64)),
        }
    }

    /// The id the probe's events carry for this resource.
    #[must_use]
    pub fn resource_id(&self) -> u64 {
        self.recorder.id()
    }

    pub async fn acquire(&self) -> Result<SemaphorePermit<'_>, AcquireError> {
        self.acquire_many(1).await
    }

    pub async fn acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_>, AcquireError> {
        // Uncontended fast path: no wait to track, no extra future.
        if let Ok(p) = self.try_acquire_many(n) {
            return Ok(p);
        }
        let (permit, holding) = self
            .recorder
            .track(n, self.inner.acquire_many(n), Result::is_ok)
            .await;
        Ok(SemaphorePermit {
            permit: Some(permit?),
            sem: self,
            holding,
        })
    }

    pub fn try_acquire(&self) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.try_acquire_many(1)
    }

    pub fn try_acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        let permit = self.inner.try_acquire_many(n)?;
        Ok(SemaphorePermit {
            permit: Some(permit),
            sem: self,
            holding: self.recorder.acquired(n, None),
        })
    }

    pub async fn acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, AcquireError> {
        self.acquire_many_owned(1).await
    }

    pub async fn acquire_many_owned(
        self: Arc<Self>,
        n: u32,
    ) -> Result<OwnedSemaphorePermit, AcquireError> {
        if let Ok(permit) = self.inner.clone().try_acquire_many_owned(n) {
            let holding = self.recorder.acquired(n, None);
            return Ok(OwnedSemaphorePermit {
                permit: Some(permit),
                sem: self,
                holding,
            });
        }
        let (permit, holding) = self
            .recorder
            .track(n, self.inner.clone().acquire_many_owned(n), Result::is_ok)
            .await;
        Ok(OwnedSemaphorePermit {
            permit: Some(permit?),
            sem: self,
            holding,
        })
    }

    pub fn try_acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, TryAcquireError> {
        let permit = self.inner.clone().try_acquire_owned()?;
        let holding = self.recorder.acquired(1, None);
        Ok(OwnedSemaphorePermit {
            permit: Some(permit),
            sem: self,
            holding,
        })
    }

    pub fn add_permits(&self, n: usize) {
        self.inner.add_permits(n);
        let now = self.capacity.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        self.recorder.capacity_changed(now);
    }

    /// Removes up to `n` available permits for good; returns how many.
    pub fn forget_permits(&self, n: usize) -> usize {
        let gone = self.inner.forget_permits(n);
        self.shrink(gone as u64);
        gone
    }

    #[must_use]
    pub fn available_permits(&self) -> usize {
        self.inner.available_permits()
    }

    pub fn close(&self) {
        self.inner.close();
    }

    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }

    fn shrink(&self, n: u64) {
        let before = self
            .capacity
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |c| {
                Some(c.saturating_sub(n))
            })
            .unwrap_or(0);
        self.recorder.capacity_changed(before.saturating_sub(n));
    }
}

/// Permits from [`Semaphore::acquire`]; released (and recorded) on drop.
#[derive(Debug)]
#[must_use]
pub struct SemaphorePermit<'a> {
    permit: Option<tokio::sync::SemaphorePermit<'a>>,
    sem: &'a Semaphore,
    holding: Option<Holding>,
}

impl SemaphorePermit<'_> {
    /// Keeps the permits out of the semaphore for good (a lost permit): the
    /// hold ends and the capacity shrinks.
    pub fn forget(mut self) {
        if let Some(p) = self.permit.take() {
            let n = p.num_permits() as u64;
            p.forget();
            self.sem.recorder.released(self.holding.take());
            self.sem.shrink(n);
        }
    }

    #[must_use]
    pub fn num_permits(&self) -> usize {
        self.permit
            .as_ref()
            .map_or(0, tokio::sync::SemaphorePermit::num_permits)
    }
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        // Record before giving back, so the release is stamped before the
        // acquisition of a waiter it wakes: holders never exceed capacity.
        self.sem.recorder.released(self.holding.take());
        drop(self.permit.take());
    }
}

/// Permits from [`Semaphore::acquire_owned`]: `'static`, movable into tasks.
#[derive(Debug)]
#[must_use]
pub struct OwnedSemaphorePermit {
    permit: Option<tokio::sync::OwnedSemaphorePermit>,
    sem: Arc<Semaphore>,
    holding: Option<Holding>,
}

impl OwnedSemaphorePermit {
    /// See [`SemaphorePermit::forget`].
    pub fn forget(mut self) {
        if let Some(p) = self.permit.take() {
            let n = p.num_permits() as u64;
            p.forget();
            self.sem.recorder.released(self.holding.take());
            self.sem.shrink(n);
        }
    }

    #[must_use]
    pub fn num_permits(&self) -> usize {
        self.permit
            .as_ref()
            .map_or(0, tokio::sync::OwnedSemaphorePermit::num_permits)
    }

    #[must_use]
    pub fn semaphore(&self) -> &Arc<Semaphore> {
        &self.sem
    }
}

impl Drop for OwnedSemaphorePermit {
    fn drop(&mut self) {
        self.sem.recorder.released(self.holding.take());
        drop(self.permit.take());
    }
}
