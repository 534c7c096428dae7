//! When to try again after a failed or lost connection. Pure, so the rule
//! is tested: starts at 100 ms, doubles, is capped at 5 s, and only a
//! successful connection (one that delivered an update) resets it. Key
//! presses never reach it: it lives in the source, not in the UI.

use std::time::Duration;

pub const FIRST_RETRY: Duration = Duration::from_millis(100);
pub const MAX_RETRY: Duration = Duration::from_secs(5);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backoff {
    next: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self { next: FIRST_RETRY }
    }
}

impl Backoff {
    /// The wait before the next attempt; each call doubles the one after,
    /// up to [`MAX_RETRY`].
    pub fn next_delay(&mut self) -> Duration {
        let delay = self.next;
        self.next = (self.next * 2).min(MAX_RETRY);
        delay
    }

    /// The target answered: the next failure starts from the first wait.
    pub fn connected(&mut self) {
        self.next = FIRST_RETRY;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_100ms_and_is_capped_at_5s() {
        let mut b = Backoff::default();
        let delays: Vec<u128> = (0..10).map(|_| b.next_delay().as_millis()).collect();
        assert_eq!(
            delays,
            [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000]
        );
    }

    #[test]
    fn is_monotone_and_never_above_the_cap() {
        let mut b = Backoff::default();
        let mut last = Duration::ZERO;
        for _ in 0..1000 {
            let d = b.next_delay();
            assert!(d >= last && d <= MAX_RETRY, "{d:?} after {last:?}");
            last = d;
        }
        assert_eq!(last, MAX_RETRY);
    }

    #[test]
    fn only_a_connection_resets_it() {
        let mut b = Backoff::default();
        for _ in 0..8 {
            b.next_delay();
        }
        // Nothing but `connected` touches the state: cloning or reading
        // (what a redraw or a key press could do) leaves it where it was.
        let copy = b.clone();
        assert_eq!(copy, b);
        assert_eq!(b.next_delay(), MAX_RETRY);
        b.connected();
        assert_eq!(b.next_delay(), FIRST_RETRY);
        assert_eq!(b.next_delay(), FIRST_RETRY * 2);
    }
}
