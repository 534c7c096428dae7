//! The lints that need console data (waker counts, self-wakes), from
//! synthetic `TaskStats` events as an attached target sends them.

use super::*;
use crate::feed::ConsoleTaskStats;

fn stats(id: u64, s: ConsoleTaskStats) -> Event {
    Event::TaskStats {
        id,
        stats: Box::new(s),
    }
}

fn check(lint: &dyn Lint, events: &[Event], thresholds: &Thresholds) -> Vec<Warning> {
    lint.check(&model(events), thresholds)
}

#[test]
fn never_yielded_finds_a_first_poll_that_runs_on() {
    let stuck = ConsoleTaskStats {
        polls: 1,
        last_poll_started: Some(S),
        ..Default::default()
    };
    let events = [
        spawn(1, None, "spin.rs:3:5", 0),
        stats(1, stuck),
        tick(3 * S),
    ];
    let w = check(&NeverYielded, &events, &Thresholds::default());
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(
        (w[0].count, w[0].location.as_ref(), w[0].tasks.clone()),
        (1, "spin.rs:3:5", vec![1])
    );
    assert!(w[0].summary.contains("2.0 s"), "{}", w[0].summary);
    assert!(check(
        &NeverYielded,
        &events,
        &with(&["never-yielded.running_ms=5000"])
    )
    .is_empty());
    // Polled again since: it yielded.
    let yielded = ConsoleTaskStats { polls: 2, ..stuck };
    assert!(check(
        &NeverYielded,
        &[
            spawn(1, None, "spin.rs:3:5", 0),
            stats(1, yielded),
            tick(3 * S)
        ],
        &Thresholds::default()
    )
    .is_empty());
}

#[test]
fn lost_waker_finds_idle_tasks_nothing_can_wake() {
    let idle = ConsoleTaskStats {
        polls: 1,
        last_poll_started: Some(MS),
        last_poll_ended: Some(2 * MS),
        waker_clones: 1,
        waker_drops: 1,
        ..Default::default()
    };
    let events = [
        spawn(1, None, "lost.rs:9:1", 0),
        spawn(2, None, "lost.rs:9:1", 0),
        spawn(3, None, "ok.rs:1:1", 0),
        stats(1, idle),
        stats(2, idle),
        // Still holds a waker: it can be woken.
        stats(
            3,
            ConsoleTaskStats {
                waker_clones: 2,
                ..idle
            },
        ),
        tick(S),
    ];
    let w = check(&LostWaker, &events, &Thresholds::default());
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(
        (w[0].count, w[0].location.as_ref(), w[0].tasks.clone()),
        (2, "lost.rs:9:1", vec![1, 2])
    );
    // Woken after its last poll: about to run, not lost.
    let woken = ConsoleTaskStats {
        last_wake: Some(3 * MS),
        ..idle
    };
    assert!(check(
        &LostWaker,
        &[spawn(1, None, "lost.rs:9:1", 0), stats(1, woken), tick(S)],
        &Thresholds::default()
    )
    .is_empty());
}

#[test]
fn self_wakes_needs_a_majority_of_enough_wakes() {
    let busy = ConsoleTaskStats {
        wakes: 40,
        self_wakes: 30,
        ..Default::default()
    };
    let events = [spawn(1, None, "poll.rs:7:2", 0), stats(1, busy), tick(S)];
    let w = check(&SelfWakes, &events, &Thresholds::default());
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].summary.contains("75%"), "{}", w[0].summary);
    assert!(check(&SelfWakes, &events, &with(&["self-wakes.percent=80"])).is_empty());
    let few = ConsoleTaskStats {
        wakes: 4,
        self_wakes: 4,
        ..Default::default()
    };
    assert!(check(
        &SelfWakes,
        &[spawn(1, None, "poll.rs:7:2", 0), stats(1, few), tick(S)],
        &Thresholds::default()
    )
    .is_empty());
}

#[test]
fn probe_data_gives_the_console_lints_nothing_to_find() {
    let events = [spawn(1, None, "a.rs:1:1", 0), tick(10 * S)];
    for lint in [&NeverYielded as &dyn Lint, &LostWaker, &SelfWakes] {
        assert!(
            check(lint, &events, &Thresholds::default()).is_empty(),
            "{}",
            lint.id()
        );
    }
}
