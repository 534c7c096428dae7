//! An adapter for any connection pool: wrap the pool's `get()` future and
//! keep the connection in a [`Held`], which records the hold on drop.

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use super::{Holding, Recorder, ResourceKind};

/// Records waits for and holds of a pool's connections.
///
/// ```ignore
/// let probe = PoolProbe::new_named("db", 4);
/// let conn = probe.acquire(pool.get()).await?;
/// ```
#[derive(Debug, Clone)]
pub struct PoolProbe {
    recorder: Arc<Recorder>,
}

impl PoolProbe {
    /// `size`: the pool's maximum number of connections.
    #[track_caller]
    pub fn new_named(name: impl Into<Arc<str>>, size: usize) -> Self {
        Self {
            recorder: Arc::new(Recorder::new(
                ResourceKind::Pool,
                name.into(),
                Some(size as u64),
            )),
        }
    }

    /// The id the probe's events carry for this resource.
    #[must_use]
    pub fn resource_id(&self) -> u64 {
        self.recorder.id()
    }

    /// Awaits `get` (the pool's checkout) and records the wait and the hold.
    pub async fn acquire<T, E>(
        &self,
        get: impl Future<Output = Result<T, E>>,
    ) -> Result<Held<T>, E> {
        let (conn, holding) = self.recorder.track(1, get, Result::is_ok).await;
        Ok(Held {
            value: Some(conn?),
            recorder: self.recorder.clone(),
            holding,
        })
    }

    /// The pool was resized.
    pub fn set_size(&self, size: usize) {
        self.recorder.capacity_changed(size as u64);
    }
}

/// A connection (or any checked-out object) from [`PoolProbe::acquire`].
#[must_use]
pub struct Held<T> {
    /// Always Some until drop or `into_inner`.
    value: Option<T>,
    recorder: Arc<Recorder>,
    holding: Option<Holding>,
}

impl<T> Held<T> {
    /// Ends the recorded hold and hands the object over.
    pub fn into_inner(mut self) -> T {
        self.recorder.released(self.holding.take());
        match self.value.take() {
            Some(v) => v,
            None => unreachable!("the value is only taken once"),
        }
    }
}

impl<T> Deref for Held<T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.value {
            Some(v) => v,
            None => unreachable!("the value is only taken in drop"),
        }
    }
}

impl<T> DerefMut for Held<T> {
    fn deref_mut(&mut self) -> &mut T {
        match &mut self.value {
            Some(v) => v,
            None => unreachable!("the value is only taken in drop"),
        }
    }
}

impl<T> Drop for Held<T> {
    fn drop(&mut self) {
        self.recorder.released(self.holding.take());
        drop(self.value.take());
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Held<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Held").field(&self.value).finish()
    }
}
