use console_api::field::{Name, Value};
use console_api::instrument::Update;
use console_api::tasks::{Stats, Task, TaskUpdate};
use console_api::{Field, Id, Location, PollStats};
use prost_types::Timestamp;

use super::*;

const S: u64 = 1_000_000_000;
/// The target's clock: some Unix time, in seconds.
const T0: i64 = 1_700_000_000;

fn ts(secs: i64, ms: i32) -> Option<Timestamp> {
    Some(Timestamp {
        seconds: T0 + secs,
        nanos: ms * 1_000_000,
    })
}

fn field(name: &str, value: Value) -> Field {
    Field {
        name: Some(Name::StrName(name.into())),
        value: Some(value),
        metadata_id: None,
    }
}

fn task(span: u64, tokio_id: u64, line: u32) -> Task {
    Task {
        id: Some(Id { id: span }),
        metadata: None,
        kind: 0,
        fields: vec![
            field("kind", Value::DebugVal("task".into())),
            field("task.name", Value::DebugVal(String::new())),
            field("task.id", Value::U64Val(tokio_id)),
            field("size.bytes", Value::U64Val(128)),
        ],
        parents: Vec::new(),
        location: Some(Location {
            file: Some("demos/src/leak.rs".into()),
            module_path: None,
            line: Some(line),
            column: Some(9),
        }),
    }
}

fn stats(created: i64, polls: u64, dropped: Option<i64>) -> Stats {
    Stats {
        created_at: ts(created, 0),
        dropped_at: dropped.and_then(|d| ts(d, 0)),
        wakes: 0,
        waker_clones: 1,
        waker_drops: 0,
        last_wake: None,
        poll_stats: Some(PollStats {
            polls,
            first_poll: ts(created, 1),
            last_poll_started: ts(created, 1),
            last_poll_ended: ts(created, 2),
            busy_time: Some(prost_types::Duration {
                seconds: 0,
                nanos: 1_000_000,
            }),
        }),
        self_wakes: 0,
        scheduled_time: None,
    }
}

fn update(now: i64, tasks: Vec<Task>, stats: Vec<(u64, Stats)>, dropped: u64) -> Update {
    Update {
        now: ts(now, 0),
        task_update: Some(TaskUpdate {
            new_tasks: tasks,
            stats_update: stats.into_iter().collect(),
            dropped_events: dropped,
        }),
        resource_update: None,
        async_op_update: None,
        new_metadata: None,
    }
}

fn mapper() -> UpdateMapper {
    UpdateMapper::new(SourceInfo {
        kind: "attach".into(),
        name: "http://127.0.0.1:6669".into(),
        engine: "console".into(),
        ..SourceInfo::default()
    })
}

fn spawned_ids(batch: &Batch) -> Vec<TaskId> {
    batch
        .iter()
        .filter_map(|e| match e {
            Event::TaskSpawned { id, .. } => Some(*id),
            _ => None,
        })
        .collect()
}

fn sessions(batch: &Batch) -> usize {
    batch
        .iter()
        .filter(|e| matches!(e, Event::SessionStarted { .. }))
        .count()
}

#[test]
fn a_first_update_starts_a_session_with_tokio_ids_and_locations() {
    let mut m = mapper();
    // Span ids are large; tokio's ids are in the `task.id` field.
    let batch = m.map(&update(
        10,
        vec![task(274_877_906_951, 7, 30)],
        vec![(274_877_906_951, stats(4, 1, None))],
        0,
    ));
    // The session's zero is the earliest creation time: 6 s before `now`.
    assert_eq!(
        batch[0],
        Event::SessionStarted {
            source: m.source.clone(),
            at: 6 * S,
        }
    );
    assert_eq!(
        batch[1],
        Event::TaskSpawned {
            id: 7,
            parent: None,
            location: Arc::from("demos/src/leak.rs:30:9"),
            name: None,
            at: 0,
        }
    );
    assert_eq!(
        batch[2],
        Event::TaskMeta {
            id: 7,
            kind: Arc::from("task"),
            fields: vec![(Arc::from("size.bytes"), "128".to_owned())],
        }
    );
    let Event::TaskStats { id: 7, stats } = &batch[3] else {
        panic!("stats expected: {batch:?}");
    };
    assert_eq!(stats.polls, 1);
    assert_eq!(stats.busy_ns, 1_000_000);
    assert_eq!(stats.first_poll, Some(1_000_000));
    assert_eq!(stats.last_poll_ended, Some(2_000_000));
    assert_eq!(stats.live_wakers(), 1);
    assert_eq!(batch.last(), Some(&Event::Tick { at: 6 * S }));
}

#[test]
fn later_stats_map_to_the_same_task_and_drops_are_reported() {
    let mut m = mapper();
    m.map(&update(
        1,
        vec![task(99, 1, 30)],
        vec![(99, stats(0, 1, None))],
        0,
    ));
    let batch = m.map(&update(2, vec![], vec![(99, stats(0, 3, Some(2)))], 5));
    assert_eq!(sessions(&batch), 0);
    assert!(spawned_ids(&batch).is_empty());
    assert!(batch.iter().any(|e| matches!(
        e,
        Event::TaskStats { id: 1, stats } if stats.polls == 3 && stats.dropped_at == Some(2 * S)
    )));
    assert!(batch.contains(&Event::Dropped { count: 5 }));
    // Stats for a span never announced are ignored, not invented.
    let batch = m.map(&update(3, vec![], vec![(12345, stats(0, 1, None))], 0));
    assert!(!batch.iter().any(|e| matches!(e, Event::TaskStats { .. })));
}

#[test]
fn a_reconnect_to_the_same_process_continues_the_session() {
    let mut m = mapper();
    m.map(&update(
        5,
        vec![task(10, 1, 30), task(11, 2, 30)],
        vec![(10, stats(0, 1, None)), (11, stats(1, 1, None))],
        0,
    ));
    m.new_stream();
    // The new stream re-sends task 1 (same creation time); task 2 is gone.
    let batch = m.map(&update(
        9,
        vec![task(10, 1, 30), task(12, 3, 31)],
        vec![(10, stats(0, 1, None)), (12, stats(8, 1, None))],
        0,
    ));
    assert_eq!(sessions(&batch), 0, "{batch:?}");
    assert_eq!(spawned_ids(&batch), [3]);
    assert!(batch.contains(&Event::TaskTerminated { id: 2, at: 9 * S }));
}

#[test]
fn a_restarted_target_starts_a_new_session() {
    let mut m = mapper();
    m.map(&update(
        5,
        vec![task(10, 1, 30)],
        vec![(10, stats(0, 1, None))],
        0,
    ));
    m.new_stream();
    // Task ids start again at 1, created at another time: another process.
    let batch = m.map(&update(
        20,
        vec![task(10, 1, 30)],
        vec![(10, stats(18, 1, None))],
        0,
    ));
    assert_eq!(
        batch[0],
        Event::SessionStarted {
            source: m.source.clone(),
            at: 2 * S,
        }
    );
    assert_eq!(spawned_ids(&batch), [1]);
    assert!(!batch
        .iter()
        .any(|e| matches!(e, Event::TaskTerminated { .. })));
}

#[test]
fn mapped_updates_drive_the_model_and_the_leak_finder() {
    use crate::model::leaked_tasks::{find, LeakThresholds};
    use crate::model::{Model, ModelConfig};

    let mut m = mapper();
    let mut model = Model::new(ModelConfig::default());
    // Tasks 1-3 at line 30 polled once and never woken, 6 parked after a
    // wake; 4 at line 40 woken and not polled since; 5 at line 30 ended.
    let mut woken = stats(0, 2, None);
    woken.wakes = 1;
    woken.last_wake = ts(3, 0);
    // Woken once (a short sleep), polled again, then parked for good.
    let mut parked = stats(0, 2, None);
    parked.wakes = 1;
    parked.last_wake = ts(0, 50);
    if let Some(p) = parked.poll_stats.as_mut() {
        p.last_poll_started = ts(0, 100);
        p.last_poll_ended = ts(0, 101);
    }
    model.apply_all(&m.map(&update(
        10,
        vec![
            task(1, 1, 30),
            task(2, 2, 30),
            task(3, 3, 30),
            task(4, 4, 40),
            task(5, 5, 30),
            task(6, 6, 30),
        ],
        vec![
            (1, stats(0, 1, None)),
            (2, stats(1, 1, None)),
            (3, stats(2, 1, None)),
            (4, woken),
            (5, stats(0, 1, Some(1))),
            (6, parked),
        ],
        0,
    )));
    assert_eq!(model.totals().spawned, 6);
    assert_eq!(model.totals().completed, 1);
    assert_eq!(model.console().kind(1), Some("task"));
    let groups = find(&model, &LeakThresholds::default());
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(&*groups[0].location, "demos/src/leak.rs:30:9");
    assert_eq!(groups[0].tasks, [1, 2, 3, 6]);
    assert_eq!(groups[0].oldest_age_ns, 10 * S);
    assert_eq!(groups[0].without_waker, 0);
    // A threshold longer than their idle time finds nothing.
    let patient = LeakThresholds { idle_ns: 20 * S };
    assert!(find(&model, &patient).is_empty());
}
