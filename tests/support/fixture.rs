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

#[allow(dead_code)] // not every test binary uses it
pub fn model() -> Model {
    let mut model = empty_model();
    model.apply_all(&events());
    model
}

/// The detail fixture plus what the diagnostics views show: the round
/// (task 1) ends at 41 s while fetches 2, 3, 4 and 6 live on (leaked);
/// a mutex `ledger` held by task 4 for 2 s with tasks 6 and 8 waiting, after
/// 40 earlier turns with waits up to 900 ms; a semaphore `permits` (8)
/// used briefly by tasks 9 and 10; and counter, gauge and histogram
/// metrics reported every second from 2 s on.
#[allow(dead_code)] // not every test binary uses it
pub fn diagnostics_events() -> Vec<Event> {
    use taskscope::feed::{HistogramSummary, MetricSample, MetricValue, ResourceKind};
    let mut later: Vec<Event> = Vec::new();
    let created = |id, kind, name: &str, capacity, location: &str| Event::ResourceCreated {
        id,
        kind,
        name: Arc::from(name),
        capacity: Some(capacity),
        location: Arc::from(location),
        at: 2 * S,
    };
    later.push(created(
        1,
        ResourceKind::Mutex,
        "ledger",
        1,
        "demos/src/mutex.rs:71:26",
    ));
    later.push(created(
        2,
        ResourceKind::Semaphore,
        "permits",
        8,
        "demos/src/semaphore.rs:60:20",
    ));
    // 40 turns on the ledger, one every 900 ms from 3 s: waits of 0 to
    // 900 ms, holds of 20 to 200 ms, by tasks 9 and 10 in turn.
    for i in 0..40u64 {
        let task = Some(9 + i % 2);
        let start = 3 * S + i * 900 * MS;
        let wait = (i * 97) % 10 * 100 * MS;
        let hold = (20 + (i * 37) % 180) * MS;
        later.push(Event::ResourceWaiting {
            id: 1,
            task,
            at: start,
        });
        later.push(Event::ResourceAcquired {
            id: 1,
            task,
            amount: 1,
            wait_started: Some(start),
            at: start + wait,
        });
        later.push(Event::ResourceReleased {
            id: 1,
            task,
            amount: 1,
            acquired_at: start + wait,
            at: start + wait + hold,
        });
        // The semaphore: a short hold, never a wait.
        let at = start + 50 * MS;
        later.push(Event::ResourceAcquired {
            id: 2,
            task,
            amount: 2,
            wait_started: None,
            at,
        });
        later.push(Event::ResourceReleased {
            id: 2,
            task,
            amount: 2,
            acquired_at: at,
            at: at + 4 * MS,
        });
    }
    // Now: task 4 holds the ledger; 6 and 8 wait.
    later.push(Event::ResourceAcquired {
        id: 1,
        task: Some(4),
        amount: 1,
        wait_started: None,
        at: 40 * S + 300 * MS,
    });
    later.push(Event::ResourceWaiting {
        id: 1,
        task: Some(6),
        at: 40 * S + 800 * MS,
    });
    later.push(Event::ResourceWaiting {
        id: 1,
        task: Some(8),
        at: 41 * S + 500 * MS,
    });
    later.push(Event::TaskTerminated { id: 1, at: 41 * S });
    for s in 2..=42u64 {
        let series = vec![
            MetricSample {
                key: Arc::from("requests_total{demo=gather}"),
                value: MetricValue::Counter(s * s * 3),
            },
            MetricSample {
                key: Arc::from("in_flight"),
                value: MetricValue::Gauge(((s * 7) % 13) as f64),
            },
            MetricSample {
                key: Arc::from("fetch_ms"),
                value: MetricValue::Histogram(HistogramSummary {
                    count: 10,
                    sum: 200.0,
                    min: 1.0,
                    max: 80.0 + s as f64,
                    p50: 12.5,
                    p99: 40.0 + ((s * 11) % 30) as f64,
                }),
            },
        ];
        later.push(Event::Metrics { at: s * S, series });
    }
    for t in 30..=42u64 {
        later.push(Event::Tick { at: t * S });
    }
    later.sort_by_key(|e| e.at().unwrap_or(0));
    later.push(Event::Tick {
        at: 42 * S + 300 * MS,
    });
    let mut events = detail_events();
    events.extend(later);
    events
}

#[allow(dead_code)] // not every test binary uses it
pub fn diagnostics_model() -> Model {
    let mut model = empty_model();
    model.apply_all(&diagnostics_events());
    model
}
