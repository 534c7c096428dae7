//! Tasks a broken variant leaves behind on purpose. They wait on a channel
//! whose sender this struct keeps and never uses, so they stay alive as long
//! as the demo does. A cap keeps a long session from piling them up
//! forever: past it, the would-be leftovers wait on a per-round channel that
//! closes when the round ends, so the round still spawns the same tasks.

use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::watch;

pub(crate) struct Leftovers {
    /// Never sent on, never dropped while the demo lives.
    never: watch::Sender<()>,
    left: AtomicU64,
}

/// Where the tasks of one round park.
pub(crate) struct Parking {
    forever: watch::Receiver<()>,
    /// Closed when the round drops this `Parking`.
    round_end: watch::Sender<()>,
    /// How many tasks of this round may park forever.
    granted: u64,
    /// How many of those are still to be handed out.
    forever_slots: u64,
}

impl Leftovers {
    pub(crate) fn new() -> Self {
        Self {
            never: watch::Sender::new(()),
            left: AtomicU64::new(0),
        }
    }

    /// Tasks left behind so far by this demo.
    pub(crate) fn total(&self) -> u64 {
        self.left.load(Ordering::Relaxed)
    }

    /// Reserves up to `want` forever-slots, keeping the total at most `cap`.
    pub(crate) fn parking(&self, want: u64, cap: u64) -> Parking {
        let mut granted = 0;
        let _ = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                granted = want.min(cap.saturating_sub(left));
                Some(left + granted)
            });
        if granted > 0 {
            metrics::gauge!("tasks_left_behind").set(self.total() as f64);
        }
        Parking {
            forever: self.never.subscribe(),
            round_end: watch::Sender::new(()),
            granted,
            forever_slots: granted,
        }
    }
}

impl Parking {
    /// Tasks of this round that will stay behind (the rest leave when the
    /// round drops this).
    pub(crate) fn granted(&self) -> u64 {
        self.granted
    }

    /// The receiver for the next task: the forever channel while slots
    /// last, then the round's channel. Awaiting `changed()` on it parks.
    pub(crate) fn spot(&mut self) -> watch::Receiver<()> {
        if self.forever_slots > 0 {
            self.forever_slots -= 1;
            self.forever.clone()
        } else {
            self.round_end.subscribe()
        }
    }
}

/// Waits until the channel closes (its sender is dropped); nothing ever
/// sends on these channels.
pub(crate) async fn park(mut spot: watch::Receiver<()>) {
    while spot.changed().await.is_ok() {}
}
