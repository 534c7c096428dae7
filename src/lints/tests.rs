//! Each lint against a model built from synthetic events: it fires with the
//! right count and location, stays quiet below its threshold, and a changed
//! threshold flips the outcome.

use std::sync::Arc;

use super::*;
use crate::feed::{Event, InProgressPoll, Nanos, ResourceKind};
use crate::model::ModelConfig;

const MS: u64 = 1_000_000;
const S: u64 = 1_000_000_000;

fn model(events: &[Event]) -> Model {
    let mut m = Model::new(ModelConfig { retain_ns: 600 * S });
    m.apply_all(events);
    m
}

fn spawn(id: u64, parent: Option<u64>, location: &str, at: Nanos) -> Event {
    Event::TaskSpawned {
        id,
        parent,
        location: Arc::from(location),
        name: None,
        at,
    }
}

fn end(id: u64, at: Nanos) -> Event {
    Event::TaskTerminated { id, at }
}

fn tick(at: Nanos) -> Event {
    Event::Tick { at }
}

fn with(pairs: &[&str]) -> Thresholds {
    let mut t = Thresholds::default();
    for p in pairs {
        t.set_str(p).expect("valid threshold");
    }
    t
}

fn leak_events(now: Nanos) -> Vec<Event> {
    vec![
        spawn(1, None, "round.rs:1:1", 0),
        spawn(2, Some(1), "fetch.rs:9:5", MS),
        spawn(3, Some(1), "fetch.rs:9:5", 2 * MS),
        spawn(4, Some(1), "cleanup.rs:4:5", 3 * MS),
        spawn(5, Some(2), "inner.rs:7:5", 4 * MS),
        end(4, 5 * MS),
        end(1, 10 * MS),
        tick(now),
    ]
}

#[test]
fn leaked_task_groups_orphans_by_location_after_the_grace_period() {
    let m = model(&leak_events(10 * MS + 300 * MS));
    let w = LeakedTask.check(&m, &Thresholds::default());
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].lint, "leaked-task");
    assert_eq!(w[0].count, 2);
    assert_eq!(&*w[0].location, "fetch.rs:9:5");
    assert_eq!(w[0].tasks, vec![2, 3]);
    assert!(w[0].summary.contains("task 1"), "{}", w[0].summary);
    // Task 5's parent (2) is alive: not a leak.
    assert!(!w[0].tasks.contains(&5));
}

#[test]
fn leaked_task_waits_for_its_grace_period_and_the_threshold_moves_it() {
    let early = model(&leak_events(10 * MS + 100 * MS));
    assert!(LeakedTask.check(&early, &Thresholds::default()).is_empty());
    assert_eq!(
        LeakedTask
            .check(&early, &with(&["leaked-task.grace_ms=50"]))
            .len(),
        1
    );
    let late = model(&leak_events(10 * MS + 300 * MS));
    assert!(LeakedTask
        .check(&late, &with(&["leaked-task.grace_ms=1000"]))
        .is_empty());
}

#[test]
fn leaked_task_knows_a_parent_that_ended_before_its_child_was_seen() {
    // Events out of order across threads: the child's spawn after the
    // parent's end (the collector sorts, but a replay may not).
    let m = model(&[
        spawn(1, None, "round.rs:1:1", 0),
        end(1, MS),
        spawn(2, Some(1), "fetch.rs:9:5", MS),
        tick(S),
    ]);
    assert_eq!(LeakedTask.check(&m, &Thresholds::default()).len(), 1);
}

fn poll(id: u64, start: Nanos, end: Nanos, worker: u16) -> Event {
    Event::TaskPolled {
        id,
        start,
        end,
        scheduled_ns: 0,
        worker: Some(worker),
    }
}

#[test]
fn blocking_poll_names_the_task_location_and_worker() {
    let events = [
        spawn(1, None, "hash.rs:30:5", 0),
        spawn(2, None, "ok.rs:1:1", 0),
        poll(1, MS, 26 * MS, 1),
        poll(2, MS, 6 * MS, 0),
        poll(1, 30 * MS, 31 * MS, 0),
    ];
    let m = model(&events);
    let w = BlockingPoll.check(&m, &Thresholds::default());
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!((w[0].count, &*w[0].location), (1, "hash.rs:30:5"));
    assert_eq!(w[0].tasks, vec![1]);
    assert!(w[0].summary.contains("worker 1"), "{}", w[0].summary);
    assert!(w[0].summary.contains("25 ms"), "{}", w[0].summary);
    assert!(BlockingPoll
        .check(&m, &with(&["blocking-poll.poll_ms=30"]))
        .is_empty());
    assert_eq!(
        BlockingPoll
            .check(&m, &with(&["blocking-poll.poll_ms=4"]))
            .len(),
        2
    );
}

#[test]
fn blocking_poll_counts_a_poll_still_running() {
    let m = model(&[
        spawn(1, None, "stuck.rs:3:5", 0),
        Event::PollsInProgress {
            at: 500 * MS,
            polls: vec![InProgressPoll {
                id: 1,
                worker: Some(0),
                since: 100 * MS,
            }],
        },
    ]);
    let w = BlockingPoll.check(&m, &Thresholds::default());
    assert_eq!(w.len(), 1);
    assert!(
        w[0].summary.contains("has been running for 400 ms"),
        "{}",
        w[0].summary
    );
    assert!(w[0].summary.contains("worker 0"));
}

/// One task spawned every 100 ms for `secs`; `finishing` ends each 50 ms later.
fn growth_events(secs: u64, finishing: bool) -> Vec<Event> {
    let mut ev = Vec::new();
    for i in 0..secs * 10 {
        let at = i * 100 * MS;
        ev.push(spawn(i + 1, None, "accept.rs:12:9", at));
        if finishing {
            ev.push(end(i + 1, at + 50 * MS));
        }
        ev.push(tick(at + 60 * MS));
    }
    ev
}

#[test]
fn task_growth_fires_on_a_steady_rise_only() {
    let m = model(&growth_events(12, false));
    let w = TaskGrowth.check(&m, &Thresholds::default());
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].count >= 75, "about 80 over 10 s: {}", w[0].count);
    assert_eq!(&*w[0].location, "accept.rs:12:9");
    let flat = model(&growth_events(12, true));
    assert!(TaskGrowth.check(&flat, &Thresholds::default()).is_empty());
    assert!(TaskGrowth
        .check(&m, &with(&["task-growth.min_growth=200"]))
        .is_empty());
    // A window longer than the history is not judged.
    assert!(TaskGrowth
        .check(&m, &with(&["task-growth.window_s=30"]))
        .is_empty());
}

fn created(id: u64, kind: ResourceKind, name: &str, capacity: u64) -> Event {
    Event::ResourceCreated {
        id,
        kind,
        name: Arc::from(name),
        capacity: Some(capacity),
        location: Arc::from("db.rs:20:13"),
        at: 0,
    }
}

fn acquired(id: u64, task: u64, wait_started: Option<Nanos>, at: Nanos) -> Event {
    Event::ResourceAcquired {
        id,
        task: Some(task),
        amount: 1,
        wait_started,
        at,
    }
}

fn waiting(id: u64, task: u64, at: Nanos) -> Event {
    Event::ResourceWaiting {
        id,
        task: Some(task),
        at,
    }
}

fn released(id: u64, task: u64, acquired_at: Nanos, at: Nanos) -> Event {
    Event::ResourceReleased {
        id,
        task: Some(task),
        amount: 1,
        acquired_at,
        at,
    }
}

#[test]
fn contention_names_the_resource_and_who_holds_it() {
    let mut ev = vec![
        created(7, ResourceKind::Semaphore, "permits", 2),
        acquired(7, 1, None, MS),
        acquired(7, 2, None, 2 * MS),
    ];
    // Ten waiting from 3 ms to 100 ms on 2 permits: 9.7 on average, 4.85
    // per permit.
    ev.extend((3..13).map(|t| waiting(7, t, 3 * MS)));
    ev.push(tick(100 * MS));
    let m = model(&ev);
    let w = Contention.check(&m, &Thresholds::default());
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].count, 10);
    assert_eq!(w[0].resource.as_deref(), Some("permits"));
    assert_eq!(&*w[0].location, "db.rs:20:13");
    assert_eq!(w[0].tasks, vec![1, 2]);
    assert!(
        w[0].summary.contains("held by task 1, 2"),
        "{}",
        w[0].summary
    );
    assert!(
        w[0].summary.contains("9.7 waiting on average"),
        "{}",
        w[0].summary
    );
    assert!(Contention
        .check(&m, &with(&["contention.waiters_per_unit=5"]))
        .is_empty());
}

#[test]
fn contention_ignores_a_queue_that_drains() {
    // The same ten waiters served within 2 ms: a burst, not contention,
    // however many waited at once.
    let mut ev = vec![created(7, ResourceKind::Semaphore, "permits", 2)];
    ev.extend((3..13).map(|t| waiting(7, t, 3 * MS)));
    ev.extend((3..13).map(|t| acquired(7, t, Some(3 * MS), 5 * MS)));
    ev.extend((3..13).map(|t| released(7, t, 5 * MS, 6 * MS)));
    ev.push(tick(100 * MS));
    let m = model(&ev);
    assert!(Contention.check(&m, &Thresholds::default()).is_empty());
    // Ten waiting for 2 ms of 100: 0.2 on average, 0.1 per permit.
    let w = Contention.check(&m, &with(&["contention.waiters_per_unit=0.1"]));
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].summary.contains("0.2 waiting on average"),
        "{}",
        w[0].summary
    );
}

#[test]
fn contention_counts_waiters_of_a_semaphore_with_no_permits_left() {
    let m = model(&[
        created(7, ResourceKind::Semaphore, "permits", 0),
        waiting(7, 1, 0),
        waiting(7, 2, 0),
        waiting(7, 3, 0),
        waiting(7, 4, 0),
        tick(100 * MS),
    ]);
    let w = Contention.check(&m, &Thresholds::default());
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].summary.contains("capacity 0"), "{}", w[0].summary);
}

#[test]
fn contention_fires_on_long_waits_with_few_waiters() {
    let m = model(&[
        created(7, ResourceKind::Mutex, "state", 1),
        acquired(7, 1, None, 0),
        waiting(7, 2, MS),
        released(7, 1, 0, 300 * MS),
        acquired(7, 2, Some(MS), 300 * MS),
    ]);
    assert_eq!(Contention.check(&m, &Thresholds::default()).len(), 1);
    assert!(Contention
        .check(&m, &with(&["contention.wait_p99_ms=500"]))
        .is_empty());
}

#[test]
fn pool_exhausted_measures_the_share_of_the_window() {
    // One connection, held 0-3 s with a task waiting all that time, then
    // idle until 10 s: saturated 30% of the window.
    let mut ev = vec![
        created(9, ResourceKind::Pool, "db", 1),
        acquired(9, 1, None, 0),
        waiting(9, 2, 0),
        released(9, 1, 0, 3 * S),
        acquired(9, 2, Some(0), 3 * S),
        released(9, 2, 3 * S, 3 * S + MS),
    ];
    ev.extend((1..=100).map(|i| tick(i * 100 * MS)));
    let m = model(&ev);
    assert!(PoolExhausted.check(&m, &Thresholds::default()).is_empty());
    let w = PoolExhausted.check(&m, &with(&["pool-exhausted.share_pct=25"]));
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].resource.as_deref(), Some("db"));
    assert!(w[0].summary.contains("30%"), "{}", w[0].summary);
    assert!(
        w[0].summary.contains("checkout p99 3.0 s"),
        "{}",
        w[0].summary
    );
    // Saturated but quick to hand out a connection: not exhausted.
    assert!(PoolExhausted
        .check(
            &m,
            &with(&[
                "pool-exhausted.share_pct=25",
                "pool-exhausted.wait_p99_ms=5000"
            ])
        )
        .is_empty());
    // Contention leaves pools to this lint.
    assert!(Contention
        .check(&m, &with(&["contention.waiters_per_unit=0"]))
        .is_empty());
}

#[test]
fn config_enables_disables_and_validates() {
    let all = LintConfig::default();
    assert!(LINTS.iter().all(|l| all.is_enabled(l.id())));
    let one = LintConfig::from_args(&["contention".into()], &["all".into()], &[]).expect("valid");
    assert!(one.is_enabled("contention") && !one.is_enabled("leaked-task"));
    assert!(LintConfig::from_args(&[], &["lost-waker".into()], &[]).is_ok());
    assert!(LintConfig::from_args(&[], &["no-such".into()], &[]).is_err());
    for bad in [
        "blocking-poll.poll_ms",
        "blocking-poll=3",
        "blocking-poll.nope=3",
        "nope.poll_ms=3",
        "blocking-poll.poll_ms=-1",
        "blocking-poll.poll_ms=x",
        "lost-waker.x=1",
    ] {
        assert!(
            LintConfig::from_args(&[], &[], &[bad.into()]).is_err(),
            "{bad}"
        );
    }
    // A disabled lint reports nothing.
    let m = model(&leak_events(S));
    assert_eq!(all.check(&m).len(), 1);
    let off = LintConfig::from_args(&[], &["leaked-task".into()], &[]).expect("valid");
    assert!(off.check(&m).is_empty());
}

#[test]
fn every_lint_is_documented_with_kebab_case_id() {
    for l in LINTS {
        let id = l.id();
        assert!(
            id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{id}"
        );
        assert!(
            !l.summary().is_empty() && l.explanation().len() > 80,
            "{id}"
        );
        for t in l.thresholds() {
            assert!(t.default > 0.0 && !t.help.is_empty(), "{id}.{}", t.name);
        }
    }
}

mod console;
