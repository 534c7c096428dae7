use std::sync::Arc;

use super::*;
use crate::feed::{
    InProgressPoll, MetricSample, MetricValue, ResourceKind, RuntimeSample, WorkerSample,
};

const MS: u64 = 1_000_000;

fn spawn(id: TaskId, parent: Option<TaskId>, at: Nanos) -> Event {
    Event::TaskSpawned {
        id,
        parent,
        location: Arc::from("demo.rs:10:5"),
        name: None,
        at,
    }
}

fn poll(id: TaskId, start: Nanos, end: Nanos) -> Event {
    Event::TaskPolled {
        id,
        start,
        end,
        scheduled_ns: MS,
        worker: Some(1),
    }
}

fn model() -> Model {
    Model::new(ModelConfig {
        retain_ns: 100 * MS,
    })
}

#[test]
fn a_task_moves_through_its_states() {
    let mut m = model();
    m.apply_all(&[spawn(1, None, 0)]);
    assert_eq!(m.task(1).map(Task::state), Some(TaskState::Scheduled));
    m.apply_all(&[Event::PollsInProgress {
        at: 2 * MS,
        polls: vec![InProgressPoll {
            id: 1,
            worker: Some(0),
            since: MS,
        }],
    }]);
    assert_eq!(m.task(1).map(Task::state), Some(TaskState::Running));
    m.apply_all(&[
        poll(1, MS, 3 * MS),
        Event::PollsInProgress {
            at: 3 * MS,
            polls: vec![],
        },
    ]);
    assert_eq!(m.task(1).map(Task::state), Some(TaskState::Idle));
    m.apply_all(&[Event::TaskTerminated { id: 1, at: 4 * MS }]);
    let t = m.task(1).expect("retained");
    assert_eq!(t.state(), TaskState::Done);
    assert_eq!((t.polls, t.busy_ns, t.max_poll_ns), (1, 2 * MS, 2 * MS));
    assert_eq!(t.total_ns(m.now()), 4 * MS);
    assert_eq!(t.scheduled_ns(m.now()), MS);
    assert_eq!(t.idle_ns(m.now()), MS);
    assert_eq!(m.totals().completed, 1);
}

#[test]
fn a_running_poll_counts_as_busy_until_it_ends() {
    let mut m = model();
    m.apply_all(&[
        spawn(1, None, 0),
        Event::PollsInProgress {
            at: 50 * MS,
            polls: vec![InProgressPoll {
                id: 1,
                worker: None,
                since: 10 * MS,
            }],
        },
    ]);
    assert_eq!(m.task(1).map(|t| t.busy_ns(m.now())), Some(40 * MS));
}

#[test]
fn parents_and_children_are_linked() {
    let mut m = model();
    m.apply_all(&[
        spawn(1, None, 0),
        spawn(2, Some(1), 1),
        spawn(3, Some(1), 2),
        spawn(4, Some(2), 3),
    ]);
    assert_eq!(m.children_of(1), vec![2, 3]);
    assert_eq!(m.children_of(2), vec![4]);
    assert_eq!(m.task(4).and_then(Task::parent), Some(2));
    assert_eq!(m.alive(), 4);
}

#[test]
fn done_tasks_leave_after_the_retention_time_and_stay_counted() {
    let mut m = model();
    m.apply_all(&[
        spawn(1, None, 0),
        spawn(2, None, 0),
        Event::TaskTerminated { id: 1, at: 10 * MS },
    ]);
    m.apply_all(&[Event::Tick { at: 109 * MS }]);
    assert!(m.task(1).is_some(), "still within retention");
    m.apply_all(&[Event::Tick { at: 111 * MS }]);
    assert!(m.task(1).is_none(), "evicted after retention");
    assert!(m.task(2).is_some(), "alive tasks are never evicted");
    assert_eq!(m.totals().spawned, 2);
    assert_eq!(m.totals().completed, 1);
    assert_eq!(m.totals().evicted, 1);
    assert_eq!(m.alive(), 1);
}

#[test]
fn a_new_session_forgets_the_old_one() {
    let mut m = model();
    m.apply_all(&[spawn(1, None, 0)]);
    let source = SourceInfo {
        kind: "attach".into(),
        name: "x".into(),
        engine: "console".into(),
        ..SourceInfo::default()
    };
    m.apply_all(&[Event::SessionStarted {
        source: source.clone(),
        at: 5 * MS,
    }]);
    assert!(m.task(1).is_none());
    assert_eq!(m.totals().spawned, 0);
    assert_eq!(m.source(), &source);
}

#[test]
fn polls_and_terminations_of_unknown_tasks_are_ignored() {
    let mut m = model();
    m.apply_all(&[poll(9, 0, MS), Event::TaskTerminated { id: 9, at: MS }]);
    assert_eq!(m.tasks().count(), 0);
    assert_eq!(m.totals().completed, 0);
}

#[test]
fn runtime_rates_come_from_sample_deltas() {
    let mut m = model();
    let sample = |at, busy| {
        Event::Runtime(RuntimeSample {
            at,
            workers: vec![
                WorkerSample {
                    busy_ns: busy,
                    polls: at / MS,
                    ..WorkerSample::default()
                };
                2
            ],
            ..RuntimeSample::default()
        })
    };
    m.apply_all(&[
        sample(0, 0),
        sample(100 * MS, 50 * MS),
        sample(200 * MS, 150 * MS),
    ]);
    let w = &m.runtime().workers()[0];
    assert!(
        (w.busy_ratio - 1.0).abs() < 1e-9,
        "last interval fully busy: {}",
        w.busy_ratio
    );
    assert!((m.runtime().busy_ratio_overall() - 0.75).abs() < 1e-9);
    assert_eq!(m.runtime().worker_count(), 2);
}

#[test]
fn state_counts_add_up() {
    let mut m = model();
    m.apply_all(&[
        spawn(1, None, 0),
        spawn(2, None, 0),
        poll(2, MS, 2 * MS),
        spawn(3, None, 0),
        Event::TaskTerminated { id: 3, at: 3 * MS },
    ]);
    assert_eq!(
        m.state_counts(),
        StateCounts {
            running: 0,
            scheduled: 1,
            idle: 1,
            done: 1
        }
    );
}

#[test]
fn task_percentiles_come_from_its_polls() {
    let mut m = model();
    let mut events = vec![spawn(1, None, 0)];
    // 9 polls of 10 µs then one of 5 ms, each after 1 ms in the run queue.
    for i in 0..10 {
        let start = i * 10 * MS;
        let busy = if i == 9 { 5 * MS } else { 10_000 };
        events.push(poll(1, start, start + busy));
    }
    m.apply_all(&events);
    let t = m.task(1).expect("alive");
    assert_eq!(t.percentile(Distribution::Poll, 0.5), Some(16_384));
    assert_eq!(t.percentile(Distribution::Poll, 0.9), Some(16_384));
    assert_eq!(t.percentile(Distribution::Poll, 0.99), Some(5 * MS));
    assert_eq!(t.percentile(Distribution::Sched, 0.5), Some(MS));
    assert_eq!(t.max_scheduled_ns, MS);
}

#[test]
fn histograms_stay_in_place_for_short_tasks_and_are_freed_with_evicted_ones() {
    let mut m = model();
    m.apply_all(&[spawn(1, None, 0), spawn(2, None, 0)]);
    m.apply_all(&[
        poll(1, MS, 2 * MS),
        poll(1, 3 * MS, 3 * MS + 50_000),
        poll(2, MS, 2 * MS),
    ]);
    assert_eq!(m.histogram_heap_bytes(), 0, "a few polls fit in place");
    // More than 255 polls in one bucket move task 1's counters to the heap.
    let many: Vec<Event> = (0..300).map(|i| poll(1, 4 * MS + i, 4 * MS + i)).collect();
    m.apply_all(&many);
    assert!(m.task(1).is_some_and(|t| t.histograms.heap_bytes() > 0));
    m.apply_all(&[Event::TaskTerminated { id: 1, at: 5 * MS }]);
    m.apply_all(&[Event::Tick { at: 200 * MS }]);
    assert!(m.task(1).is_none());
    assert_eq!(m.histogram_heap_bytes(), 0, "task 1's were freed");
}

#[test]
fn a_retained_done_task_costs_at_most_256_bytes_at_every_count() {
    // A size check, not a timing: fails if Task or the tables around it grow.
    assert_eq!(std::mem::size_of::<Task>(), 160);
    let mut m = model();
    let mut worst = (0, 0);
    for id in 1..=5_000 {
        let at = id * 10_000;
        m.apply_all(&[
            spawn(id, None, at),
            poll(id, at + 1_000, at + 2_000),
            Event::TaskTerminated { id, at: at + 3_000 },
        ]);
        let per_task = m.task_bytes() / m.tasks().count();
        worst = worst.max((per_task, id));
    }
    assert!(
        worst.0 <= 256,
        "{} bytes per task at {} tasks",
        worst.0,
        worst.1
    );
}

#[test]
fn evictions_give_the_memory_back() {
    let mut m = model();
    let mut events = vec![spawn(1, None, 0)];
    for id in 2..=2_000 {
        events.extend([
            spawn(id, Some(1), id),
            poll(id, id + 1, id + 2),
            Event::TaskTerminated { id, at: id + 3 },
        ]);
    }
    m.apply_all(&events);
    let full = m.task_bytes();
    assert!(full > 2_000 * 160);
    m.apply_all(&[Event::Tick { at: 200 * MS }]);
    assert_eq!(m.tasks().count(), 1, "the parent, alive");
    assert!(m.task_bytes() < 1_000, "{} bytes left", m.task_bytes());
}

#[test]
fn runtime_keeps_a_history_of_every_figure_the_runtime_view_draws() {
    let mut m = model();
    let sample = |i: u64| {
        Event::Runtime(RuntimeSample {
            at: i * 100 * MS,
            workers: vec![WorkerSample {
                busy_ns: i * 50 * MS,
                polls: i * 10,
                steals: i,
                local_queue: i,
                ..WorkerSample::default()
            }],
            global_queue: i,
            blocking_threads: 2,
            alive_tasks: 10 + i,
            ..RuntimeSample::default()
        })
    };
    m.apply_all(&(0..3).map(sample).collect::<Vec<_>>());
    let rt = m.runtime();
    let w = &rt.workers()[0];
    assert_eq!(w.polls_per_s_history, [100.0, 100.0]);
    assert_eq!(w.steals_per_s_history, [10.0, 10.0]);
    assert_eq!(w.local_queue_history, [1, 2]);
    assert_eq!(rt.alive_tasks_history(), &[10, 11, 12]);
    assert_eq!(rt.blocking_threads_history(), &[2, 2, 2]);
    m.apply_all(&(3..3 + HISTORY as u64).map(sample).collect::<Vec<_>>());
    assert_eq!(m.runtime().alive_tasks_history().len(), HISTORY);
}

fn created(id: u64, name: &str, capacity: u64, at: Nanos) -> Event {
    Event::ResourceCreated {
        id,
        kind: ResourceKind::Semaphore,
        name: Arc::from(name),
        capacity: Some(capacity),
        location: Arc::from("sem.rs:5:9"),
        at,
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

fn released(id: u64, task: u64, acquired_at: Nanos, at: Nanos) -> Event {
    Event::ResourceReleased {
        id,
        task: Some(task),
        amount: 1,
        acquired_at,
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

#[test]
fn a_resource_tracks_holders_waiters_and_times() {
    let mut m = model();
    m.apply_all(&[
        created(1, "permits", 1, 0),
        acquired(1, 10, None, MS),
        waiting(1, 11, 2 * MS),
        waiting(1, 12, 3 * MS),
    ]);
    let r = m.resource(1).expect("known");
    assert_eq!((r.in_use(), r.capacity), (1, Some(1)));
    assert_eq!(r.holders()[0].task, Some(10));
    assert_eq!(
        r.waiters()
            .iter()
            .map(|w| (w.task, w.since))
            .collect::<Vec<_>>(),
        vec![(Some(11), 2 * MS), (Some(12), 3 * MS)]
    );
    assert!(r.is_saturated());
    assert_eq!(
        m.resources_of_task(11),
        vec![(1, Role::Waits { since: 2 * MS })]
    );
    assert_eq!(
        m.resources_of_task(10),
        vec![(
            1,
            Role::Holds {
                amount: 1,
                since: MS
            }
        )]
    );
    m.apply_all(&[
        released(1, 10, MS, 41 * MS),
        acquired(1, 11, Some(2 * MS), 41 * MS),
        Event::ResourceWaitCancelled {
            id: 1,
            task: Some(12),
            since: 3 * MS,
            at: 50 * MS,
        },
    ]);
    let r = m.resource(1).expect("known");
    assert_eq!(r.holders()[0].task, Some(11));
    assert!(r.waiters().is_empty());
    assert_eq!(r.stats.max_waiters, 2);
    assert_eq!(r.stats.acquisitions, 2);
    assert_eq!(r.stats.cancelled_waits, 1);
    let near = |v: u64, want: u64| v.abs_diff(want) * 100 <= want;
    assert!(
        near(r.stats.hold_p99_us(), 40_000),
        "{}",
        r.stats.hold_p99_us()
    );
    assert!(
        near(r.stats.wait_p99_us(), 39_000),
        "{}",
        r.stats.wait_p99_us()
    );
    assert_eq!(
        r.stats.wait_p50_us(),
        0,
        "the first acquisition did not wait"
    );
}

#[test]
fn resources_of_one_name_add_up_in_summaries_even_after_eviction() {
    let mut m = model();
    for round in 0..3 {
        let t0 = round * 10 * MS;
        m.apply_all(&[
            created(round + 1, "permits", 4, t0),
            acquired(round + 1, 1, None, t0),
            released(round + 1, 1, t0, t0 + MS),
            Event::ResourceDropped {
                id: round + 1,
                at: t0 + 2 * MS,
            },
        ]);
    }
    m.apply_all(&[Event::Tick { at: 500 * MS }]);
    assert_eq!(
        m.resources().count(),
        0,
        "dropped resources leave after retention"
    );
    let s = m.resource_summaries();
    assert_eq!(s.len(), 1);
    assert_eq!((s[0].instances, s[0].stats.acquisitions), (3, 3));
    assert_eq!(&*s[0].name, "permits");
    assert_eq!(s[0].capacity, Some(4));
}

#[test]
fn capacity_changes_and_drops_clear_holders() {
    let mut m = model();
    m.apply_all(&[
        created(1, "permits", 2, 0),
        acquired(1, 5, None, MS),
        Event::ResourceCapacity {
            id: 1,
            capacity: 1,
            at: 2 * MS,
        },
    ]);
    assert_eq!(m.resource(1).and_then(|r| r.capacity), Some(1));
    m.apply_all(&[Event::ResourceDropped { id: 1, at: 3 * MS }]);
    let r = m.resource(1).expect("retained a while");
    assert!(r.holders().is_empty() && r.dropped_at == Some(3 * MS));
    // Events about unknown resources are ignored.
    m.apply_all(&[acquired(99, 1, None, 4 * MS)]);
    assert!(m.resource(99).is_none());
}

#[test]
fn acquisitions_per_second_come_from_the_last_second() {
    let mut m = model();
    let mut ev = vec![created(1, "permits", 100, 0)];
    for i in 0..20 {
        let at = i * 100 * MS;
        // 5 acquisitions per 100 ms: 50 per second.
        for k in 0..5 {
            ev.push(acquired(1, 1, None, at + k));
        }
        ev.push(Event::Tick { at: at + 50 * MS });
    }
    m.apply_all(&ev);
    let rate = m
        .resource(1)
        .map(|r| r.acquisitions_per_s(m.now()))
        .unwrap_or(0.0);
    assert!((rate - 50.0).abs() < 6.0, "{rate}");
}

#[test]
fn metrics_keep_a_minute_of_history_per_series() {
    let mut m = model();
    for i in 0..=70 {
        m.apply_all(&[Event::Metrics {
            at: i * 1_000 * MS,
            series: vec![
                MetricSample {
                    key: Arc::from("items"),
                    value: MetricValue::Counter(i * 10),
                },
                MetricSample {
                    key: Arc::from("in_flight"),
                    value: MetricValue::Gauge(3.0),
                },
            ],
        }]);
    }
    let items = m.metrics().get("items").expect("series");
    assert_eq!(items.points().len(), 61, "60 s back from the last point");
    assert_eq!(items.latest, MetricValue::Counter(700));
    assert!(items.sparkline().iter().all(|r| (*r - 10.0).abs() < 1e-9));
    let gauge = m.metrics().get("in_flight").expect("series");
    assert_eq!(gauge.sparkline().last(), Some(&3.0));
    assert_eq!(m.metrics().series().count(), 2);
}

#[test]
fn a_child_outliving_its_parent_is_marked() {
    let mut m = model();
    m.apply_all(&[
        spawn(1, None, 0),
        spawn(2, Some(1), MS),
        spawn(3, Some(1), MS),
        Event::TaskTerminated { id: 3, at: 2 * MS },
        Event::TaskTerminated { id: 1, at: 5 * MS },
    ]);
    assert_eq!(m.task(2).and_then(Task::parent_done_at), Some(5 * MS));
    assert_eq!(m.task(3).and_then(Task::parent_done_at), None);
}

#[test]
fn alive_history_is_sampled_on_ticks() {
    let mut m = model();
    for i in 0..10 {
        m.apply_all(&[
            spawn(i + 1, None, i * 50 * MS),
            Event::Tick { at: i * 50 * MS },
        ]);
    }
    // One sample per 100 ms at most.
    let h: Vec<u64> = m.alive_history().iter().map(|(_, n)| *n).collect();
    assert_eq!(h, vec![1, 3, 5, 7, 9]);
}
