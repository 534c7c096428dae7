//! What the live source does when the app falls behind: events pile up in
//! `pending` instead of a deep queue, and past a limit the short polls go.
//! Spawns, terminations and long polls (the evidence of blocking) stay, so
//! task counts and leak and blocking findings survive an overload; what was
//! dropped is counted in the feed and shows in the header.

use crate::feed::Event;

/// Polls a backlog may hold before short ones are dropped.
pub const MAX_PENDING_POLLS: usize = 200_000;

/// Polls at least this long are kept whatever the backlog.
pub const KEEP_POLLS_FROM_NS: u64 = 1_000_000;

/// Drops the short polls in `pending` if it holds more than `max_polls`
/// polls, and appends an `Event::Dropped` with how many went.
pub fn shed_polls(pending: &mut Vec<Event>, max_polls: usize) {
    let polls = pending
        .iter()
        .filter(|e| matches!(e, Event::TaskPolled { .. }))
        .count();
    if polls <= max_polls {
        return;
    }
    let before = pending.len();
    pending.retain(|e| match e {
        Event::TaskPolled { start, end, .. } => end.saturating_sub(*start) >= KEEP_POLLS_FROM_NS,
        _ => true,
    });
    let dropped = (before - pending.len()) as u64;
    if dropped > 0 {
        pending.push(Event::Dropped { count: dropped });
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn poll(id: u64, ns: u64) -> Event {
        Event::TaskPolled {
            id,
            start: 0,
            end: ns,
            scheduled_ns: 0,
            worker: None,
        }
    }

    #[test]
    fn under_the_limit_nothing_changes() {
        let mut pending = vec![poll(1, 10), poll(2, 10)];
        shed_polls(&mut pending, 2);
        assert_eq!(pending, vec![poll(1, 10), poll(2, 10)]);
    }

    #[test]
    fn over_the_limit_short_polls_go_and_are_counted() {
        let spawn = Event::TaskSpawned {
            id: 1,
            parent: None,
            location: Arc::from("a.rs:1:1"),
            name: None,
            at: 0,
        };
        let done = Event::TaskTerminated { id: 1, at: 5 };
        let long = poll(1, 20_000_000);
        let mut pending = vec![
            spawn.clone(),
            poll(1, 10),
            long.clone(),
            poll(1, 20),
            done.clone(),
        ];
        shed_polls(&mut pending, 1);
        assert_eq!(
            pending,
            vec![spawn, long, done, Event::Dropped { count: 2 }]
        );
    }
}
