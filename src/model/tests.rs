use std::sync::Arc;

use super::*;
use crate::feed::{InProgressPoll, RuntimeSample, WorkerSample};

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
    assert_eq!(m.task(4).and_then(|t| t.parent), Some(2));
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
fn histograms_are_freed_with_evicted_tasks_and_done_tasks_stay_small() {
    let mut m = model();
    m.apply_all(&[spawn(1, None, 0), spawn(2, None, 0)]);
    assert_eq!(m.histogram_heap_bytes(), 0, "nothing before the first poll");
    m.apply_all(&[
        poll(1, MS, 2 * MS),
        poll(1, 3 * MS, 3 * MS + 50_000),
        poll(2, MS, 2 * MS),
        Event::TaskTerminated { id: 1, at: 4 * MS },
    ]);
    let done = m.task(1).expect("retained");
    assert!(done.histograms.heap_bytes() > 0);
    assert!(
        done.retained_bytes() <= 256,
        "a retained done task costs {} bytes",
        done.retained_bytes()
    );
    let alive_bytes = m.task(2).map_or(0, |t| t.histograms.heap_bytes());
    m.apply_all(&[Event::Tick { at: 200 * MS }]);
    assert!(m.task(1).is_none());
    assert_eq!(m.histogram_heap_bytes(), alive_bytes, "task 1's were freed");
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
