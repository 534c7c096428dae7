//! A fixed, synthetic session for UI tests: no wall clock, no runtime.

use std::sync::Arc;

use taskscope::feed::{Event, InProgressPoll, RuntimeSample, SourceInfo, TaskId, WorkerSample};
use taskscope::model::{Model, ModelConfig};

pub const MS: u64 = 1_000_000;
pub const S: u64 = 1_000 * MS;

pub fn source() -> SourceInfo {
    SourceInfo {
        kind: "demo".into(),
        name: "gather".into(),
        engine: "probe".into(),
        fixed: false,
        knobs: vec![
            ("fanout".into(), 50),
            ("latency_ms".into(), 20),
            ("error_pct".into(), 5),
        ],
    }
}

fn spawn(id: TaskId, parent: Option<TaskId>, location: &str, at: u64) -> Event {
    Event::TaskSpawned {
        id,
        parent,
        location: Arc::from(location),
        name: None,
        at,
    }
}

fn poll(id: TaskId, start: u64, busy: u64, scheduled_ns: u64, worker: u16) -> Event {
    Event::TaskPolled {
        id,
        start,
        end: start + busy,
        scheduled_ns,
        worker: Some(worker),
    }
}

fn runtime(at: u64, busy: [u64; 2], global_queue: u64) -> Event {
    Event::Runtime(RuntimeSample {
        at,
        workers: busy
            .iter()
            .map(|b| WorkerSample {
                busy_ns: *b,
                polls: b / MS,
                ..WorkerSample::default()
            })
            .collect(),
        global_queue,
        alive_tasks: 5,
        ..RuntimeSample::default()
    })
}

/// One round task (1) and its fetches: running (2), scheduled (3),
/// idle (4, 6 named), done (5, 7); 2 workers at 81% and 64%.
pub fn events() -> Vec<Event> {
    const ROUND: &str = "demos/src/runner.rs:40:17";
    const FETCH: &str = "demos/src/gather.rs:55:21";
    vec![
        Event::SessionStarted {
            source: source(),
            at: 0,
        },
        spawn(1, None, ROUND, 100 * MS),
        poll(1, 101 * MS, 2 * MS, MS, 0),
        spawn(2, Some(1), FETCH, 110 * MS),
        spawn(3, Some(1), FETCH, 40 * S),
        spawn(4, Some(1), FETCH, 112 * MS),
        spawn(5, Some(1), FETCH, 113 * MS),
        Event::TaskSpawned {
            id: 6,
            parent: Some(1),
            location: Arc::from(FETCH),
            name: Some(Arc::from("fetch-6")),
            at: 114 * MS,
        },
        spawn(7, Some(1), FETCH, 115 * MS),
        poll(2, 120 * MS, 1_200 * MS, 4 * MS, 1),
        poll(4, 121 * MS, 3 * MS, MS, 0),
        poll(4, 2 * S, 12_000, 30_000, 0),
        poll(5, 130 * MS, 840 * MS, 2 * MS, 1),
        Event::TaskTerminated {
            id: 5,
            at: 2_500 * MS,
        },
        poll(6, 140 * MS, 5 * MS, 700, 0),
        poll(7, 150 * MS, 20 * MS, 3 * MS, 1),
        Event::TaskTerminated { id: 7, at: 41 * S },
    ]
    .into_iter()
    .chain(runtime_history())
    .chain([
        Event::PollsInProgress {
            at: 42 * S,
            polls: vec![InProgressPoll {
                id: 2,
                worker: Some(1),
                since: 41 * S,
            }],
        },
        runtime(42 * S, [10 * S, 10 * S], 1),
        runtime(42 * S + 100 * MS, [10 * S + 81 * MS, 10 * S + 64 * MS], 3),
        Event::Dropped { count: 2 },
        Event::Tick {
            at: 42 * S + 300 * MS,
        },
    ])
    .collect()
}

/// Runtime samples every 100 ms in the 5 s before the fixture's last two,
/// with made-up but fixed shapes, so sparklines have something to draw.
fn runtime_history() -> Vec<Event> {
    let mut busy = [5 * S, 6 * S];
    let mut steals = [0, 0];
    (0..50u64)
        .map(|i| {
            busy[0] += (30 + (i * 7) % 60) * MS;
            busy[1] += (20 + (i * 13) % 70) * MS;
            steals[0] += i % 3;
            steals[1] += (i / 10) % 4;
            Event::Runtime(RuntimeSample {
                at: 37 * S + i * 100 * MS,
                workers: (0..2)
                    .map(|w| WorkerSample {
                        busy_ns: busy[w],
                        polls: busy[w] / (MS / 4),
                        steals: steals[w],
                        local_queue: (i * (w as u64 + 2)) % 7,
                        ..WorkerSample::default()
                    })
                    .collect(),
                global_queue: (i * 3) % 11,
                alive_tasks: 3 + i % 5,
                blocking_threads: 1 + i / 20,
                ..RuntimeSample::default()
            })
        })
        .collect()
}

/// The fixture plus task 8 (spawned by 4) with 40 polls of different
/// lengths and delays, and its children 9 and 10: for the task detail.
#[allow(dead_code)] // not every test binary uses it
pub fn detail_events() -> Vec<Event> {
    const CHILD: &str = "demos/src/gather.rs:71:13";
    let mut events = events();
    events.push(spawn(8, Some(4), CHILD, S));
    let lengths = [(20, 5_000), (12, 60_000), (6, MS), (2, 30 * MS)];
    let mut start = 2 * S;
    for (n, busy) in lengths {
        for i in 0..n {
            events.push(Event::TaskPolled {
                id: 8,
                start,
                end: start + busy,
                scheduled_ns: 2_000 + i * 40_000,
                worker: Some(u16::try_from(i % 2).unwrap_or(0)),
            });
            start += 100 * MS;
        }
    }
    events.push(spawn(9, Some(8), CHILD, 3 * S));
    events.push(spawn(10, Some(8), CHILD, 4 * S));
    events.push(poll(10, 5 * S, MS, 10_000, 0));
    events
}

#[allow(dead_code)] // not every test binary uses it
pub fn detail_model() -> Model {
    let mut model = empty_model();
    model.apply_all(&detail_events());
    model
}

/// An empty model that keeps done tasks long enough for the fixture.
pub fn empty_model() -> Model {
    Model::new(ModelConfig { retain_ns: 60 * S })
}

pub fn model() -> Model {
    let mut model = empty_model();
    model.apply_all(&events());
    model
}
