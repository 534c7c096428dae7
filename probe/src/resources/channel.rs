//! A bounded `tokio::sync::mpsc` channel with a name. Its capacity is the
//! buffer; a sent message is "held" by its sender until it is received
//! (hold time = time in the queue); waiters are senders blocked on a full
//! buffer.

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::sync::mpsc::error::{SendError, TryRecvError, TrySendError};

use super::{Holding, Recorder, ResourceKind};

/// A message and the record of its slot.
struct Stamped<T> {
    value: T,
    holding: Option<Holding>,
}

/// Creates a bounded channel that reports to the probe, like
/// `tokio::sync::mpsc::channel(capacity)` with a name.
#[track_caller]
#[must_use]
pub fn channel<T>(name: impl Into<Arc<str>>, capacity: usize) -> (Sender<T>, Receiver<T>) {
    let recorder = Arc::new(Recorder::new(
        ResourceKind::Channel,
        name.into(),
        Some(capacity as u64),
    ));
    let (tx, rx) = mpsc::channel(capacity);
    (
        Sender {
            inner: tx,
            recorder: recorder.clone(),
        },
        Receiver {
            inner: rx,
            recorder,
        },
    )
}

pub struct Sender<T> {
    inner: mpsc::Sender<Stamped<T>>,
    recorder: Arc<Recorder>,
}

pub struct Receiver<T> {
    inner: mpsc::Receiver<Stamped<T>>,
    recorder: Arc<Recorder>,
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            recorder: self.recorder.clone(),
        }
    }
}

impl<T> std::fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender")
            .field("recorder", &self.recorder)
            .finish()
    }
}

impl<T> std::fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("recorder", &self.recorder)
            .finish()
    }
}

impl<T> Sender<T> {
    /// The id the probe's events carry for this channel.
    #[must_use]
    pub fn resource_id(&self) -> u64 {
        self.recorder.id()
    }

    /// Waits for a free slot, then sends.
    pub async fn send(&self, value: T) -> Result<(), SendError<T>> {
        // Free slot fast path: no wait to track, no extra future.
        if let Ok(slot) = self.inner.try_reserve() {
            let holding = self.recorder.acquired(1, None);
            slot.send(Stamped { value, holding });
            return Ok(());
        }
        let (slot, holding) = self
            .recorder
            .track(1, self.inner.reserve(), Result::is_ok)
            .await;
        match slot {
            Ok(slot) => {
                slot.send(Stamped { value, holding });
                Ok(())
            }
            Err(_) => Err(SendError(value)),
        }
    }

    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        match self.inner.try_reserve() {
            Ok(slot) => {
                let holding = self.recorder.acquired(1, None);
                slot.send(Stamped { value, holding });
                Ok(())
            }
            Err(TrySendError::Full(())) => Err(TrySendError::Full(value)),
            Err(TrySendError::Closed(())) => Err(TrySendError::Closed(value)),
        }
    }

    pub async fn closed(&self) {
        self.inner.closed().await;
    }

    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }

    /// Free slots now.
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    #[must_use]
    pub fn max_capacity(&self) -> usize {
        self.inner.max_capacity()
    }
}

impl<T> Receiver<T> {
    pub async fn recv(&mut self) -> Option<T> {
        let msg = self.inner.recv().await?;
        Some(self.received(msg))
    }

    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let msg = self.inner.try_recv()?;
        Ok(self.received(msg))
    }

    pub fn close(&mut self) {
        self.inner.close();
    }

    /// Messages waiting in the buffer.
    #[must_use]
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    fn received(&self, msg: Stamped<T>) -> T {
        self.recorder.released(msg.holding);
        msg.value
    }
}
