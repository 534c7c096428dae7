//! Each resource on a real instrumented runtime, checked through the events
//! the probe drains.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::runtime::{Builder, Runtime};

use super::*;
use crate::{task_id_u64, Probe};

const MS: u64 = 1_000_000;

fn runtime(probe: &Probe, workers: usize) -> Runtime {
    let mut builder = Builder::new_multi_thread();
    builder.worker_threads(workers).enable_all();
    probe.instrument(&mut builder).build().expect("runtime")
}

fn drained(probe: &Probe) -> Vec<ProbeEvent> {
    let mut out = Vec::new();
    probe.drain(&mut out);
    out.sort_by_key(ProbeEvent::at);
    out
}

fn of(resource: u64, events: &[ProbeEvent]) -> Vec<ProbeEvent> {
    events
        .iter()
        .filter(|e| match e {
            ProbeEvent::ResourceCreated { meta, .. } => meta.id == resource,
            ProbeEvent::ResourceWaiting { resource: r, .. }
            | ProbeEvent::ResourceWaitCancelled { resource: r, .. }
            | ProbeEvent::ResourceAcquired { resource: r, .. }
            | ProbeEvent::ResourceReleased { resource: r, .. }
            | ProbeEvent::ResourceCapacity { resource: r, .. }
            | ProbeEvent::ResourceDropped { resource: r, .. } => *r == resource,
            _ => false,
        })
        .cloned()
        .collect()
}

/// Replays acquisitions and releases in time order; returns the most ever
/// held at once.
fn max_held(events: &[ProbeEvent]) -> u64 {
    let (mut held, mut max) = (0_i64, 0_i64);
    for e in events {
        match e {
            ProbeEvent::ResourceAcquired { amount, .. } => held += i64::from(*amount),
            ProbeEvent::ResourceReleased { amount, .. } => held -= i64::from(*amount),
            _ => {}
        }
        max = max.max(held);
    }
    u64::try_from(max).unwrap_or(0)
}

fn hold_times(events: &[ProbeEvent]) -> Vec<u64> {
    events
        .iter()
        .filter_map(|e| match e {
            ProbeEvent::ResourceReleased {
                acquired_at, at, ..
            } => Some(at - acquired_at),
            _ => None,
        })
        .collect()
}

fn waits(events: &[ProbeEvent]) -> Vec<(u64, u64)> {
    events
        .iter()
        .filter_map(|e| match e {
            ProbeEvent::ResourceAcquired {
                task,
                wait_started: Some(s),
                at,
                ..
            } => Some((*task, at - s)),
            _ => None,
        })
        .collect()
}

/// Polls the probe until `found` sees what it wants in the events so far.
fn wait_for(probe: &Probe, seen: &mut Vec<ProbeEvent>, found: impl Fn(&[ProbeEvent]) -> bool) {
    for _ in 0..400 {
        probe.drain(seen);
        if found(seen) {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("not seen in time: {seen:?}");
}

#[test]
fn semaphore_holders_never_exceed_permits_and_times_are_recorded() {
    let probe = Probe::new();
    let rt = runtime(&probe, 2);
    let sem = Arc::new(Semaphore::new_named("permits", 2));
    let id = sem.resource_id();
    let tasks: Vec<u64> = rt.block_on(async {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let sem = sem.clone();
                tokio::spawn(async move {
                    let _permit = sem.acquire().await.expect("open");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                })
            })
            .collect();
        let ids = handles.iter().map(|h| task_id_u64(h.id())).collect();
        for h in handles {
            h.await.expect("task");
        }
        ids
    });
    drop(rt);
    let events = of(id, &drained(&probe));
    assert!(
        matches!(&events[0], ProbeEvent::ResourceCreated { meta, .. }
        if &*meta.name == "permits" && meta.capacity == Some(2) && meta.kind == ResourceKind::Semaphore
            && meta.location.file().ends_with("tests.rs"))
    );
    assert_eq!(max_held(&events), 2, "{events:?}");
    let holds = hold_times(&events);
    assert_eq!(holds.len(), 6);
    assert!(holds.iter().all(|h| *h >= 19 * MS), "{holds:?}");
    let waited = waits(&events);
    assert!(
        waited.len() >= 4,
        "4 of 6 must wait for a permit: {waited:?}"
    );
    assert!(waited.iter().all(|(t, w)| tasks.contains(t) && *w > 0));
    assert!(waited.iter().any(|(_, w)| *w >= 15 * MS), "{waited:?}");
}

#[test]
fn a_blocked_waiter_shows_with_its_task_id_while_it_waits() {
    let probe = Probe::new();
    let rt = runtime(&probe, 1);
    let sem = Arc::new(Semaphore::new_named("one", 1));
    let id = sem.resource_id();
    let held = sem.clone().try_acquire_owned().expect("free");
    let sem2 = sem.clone();
    let waiter = rt.spawn(async move {
        let _p = sem2.acquire().await.expect("open");
    });
    let task = task_id_u64(waiter.id());
    let mut seen = Vec::new();
    wait_for(&probe, &mut seen, |ev| {
        ev.iter().any(|e| {
            matches!(e, ProbeEvent::ResourceWaiting { resource, task: t, .. }
                if *resource == id && *t == task)
        })
    });
    assert!(
        !seen
            .iter()
            .any(|e| matches!(e, ProbeEvent::ResourceAcquired { task: t, .. } if *t == task)),
        "still blocked"
    );
    drop(held);
    rt.block_on(waiter).expect("waiter");
    drop(rt);
    probe.drain(&mut seen);
    seen.sort_by_key(ProbeEvent::at);
    assert_eq!(waits(&of(id, &seen)).first().map(|w| w.0), Some(task));
}

#[test]
fn a_cancelled_wait_is_recorded_and_forget_shrinks_capacity() {
    let probe = Probe::new();
    let rt = runtime(&probe, 1);
    let sem = Arc::new(Semaphore::new_named("leaky", 1));
    let id = sem.resource_id();
    rt.block_on(async {
        let sem = sem.clone();
        tokio::spawn(async move {
            let permit = sem.acquire().await.expect("open");
            let timed_out = tokio::time::timeout(Duration::from_millis(10), sem.acquire()).await;
            assert!(timed_out.is_err());
            permit.forget();
        })
        .await
        .expect("task");
    });
    drop(rt);
    let events = of(id, &drained(&probe));
    assert!(events.iter().any(
        |e| matches!(e, ProbeEvent::ResourceWaitCancelled { since, at, .. } if at - since >= 9 * MS)
    ));
    assert!(events
        .iter()
        .any(|e| matches!(e, ProbeEvent::ResourceCapacity { capacity: 0, .. })));
    assert_eq!(
        hold_times(&events).len(),
        1,
        "a forgotten permit ends its hold"
    );
}

#[test]
fn mutex_records_hold_time_and_the_waiting_task() {
    let probe = Probe::new();
    let rt = runtime(&probe, 2);
    let m = Arc::new(Mutex::new_named("state", 0_u32));
    let id = m.resource_id();
    rt.block_on(async {
        let a = {
            let m = m.clone();
            tokio::spawn(async move {
                let mut g = m.lock().await;
                tokio::time::sleep(Duration::from_millis(30)).await;
                *g += 1;
            })
        };
        tokio::time::sleep(Duration::from_millis(5)).await;
        let b = {
            let m = m.clone();
            tokio::spawn(async move { *m.lock().await += 1 })
        };
        a.await.expect("a");
        b.await.expect("b");
    });
    assert_eq!(*rt.block_on(m.lock()), 2);
    drop(rt);
    let events = of(id, &drained(&probe));
    assert_eq!(max_held(&events), 1);
    assert!(hold_times(&events).iter().any(|h| *h >= 29 * MS));
    assert_eq!(waits(&events).len(), 1, "{events:?}");
}

#[test]
fn rwlock_readers_share_and_a_writer_waits() {
    let probe = Probe::new();
    let rt = runtime(&probe, 2);
    let l = Arc::new(RwLock::new_named("config", 1_u32));
    let id = l.resource_id();
    rt.block_on(async {
        let l2 = l.clone();
        tokio::spawn(async move {
            let r1 = l2.read().await;
            let r2 = l2.read().await;
            let l3 = l2.clone();
            let w = tokio::spawn(async move { *l3.write().await += 1 });
            tokio::time::sleep(Duration::from_millis(10)).await;
            drop((r1, r2));
            w.await.expect("writer");
        })
        .await
        .expect("task");
    });
    drop(rt);
    let events = of(id, &drained(&probe));
    assert_eq!(max_held(&events), 2);
    assert_eq!(waits(&events).len(), 1);
}

#[test]
fn channel_senders_wait_on_a_full_buffer_and_hold_is_queue_time() {
    let probe = Probe::new();
    let rt = runtime(&probe, 2);
    let (tx, mut rx) = channel::<u32>("jobs", 2);
    let id = tx.resource_id();
    let got = rt.block_on(async move {
        let producer = tokio::spawn(async move {
            for i in 0..5 {
                tx.send(i).await.expect("open");
            }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        let mut got = Vec::new();
        while let Some(v) = rx.recv().await {
            got.push(v);
        }
        producer.await.expect("producer");
        got
    });
    assert_eq!(got, vec![0, 1, 2, 3, 4]);
    drop(rt);
    let events = of(id, &drained(&probe));
    // Released is stamped just after the receiver frees a slot: allow one over.
    assert!(max_held(&events) <= 3, "{events:?}");
    assert_eq!(hold_times(&events).len(), 5);
    assert!(hold_times(&events).iter().any(|h| *h >= 15 * MS));
    assert!(!waits(&events).is_empty(), "the third send waits");
}

#[test]
fn pool_probe_wraps_any_checkout_future() {
    let probe = Probe::new();
    let rt = runtime(&probe, 2);
    // A stand-in pool of 1 connection: checking out is taking its permit.
    let pool = Arc::new(tokio::sync::Semaphore::new(1));
    let pp = PoolProbe::new_named("db", 1);
    let id = pp.resource_id();
    rt.block_on(async {
        let handles: Vec<_> = (0..3)
            .map(|_| {
                let (pool, pp) = (pool.clone(), pp.clone());
                tokio::spawn(async move {
                    let conn = pp.acquire(pool.acquire_owned()).await.expect("open");
                    assert_eq!(conn.num_permits(), 1, "derefs to the connection");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                })
            })
            .collect();
        for h in handles {
            h.await.expect("task");
        }
    });
    drop(rt);
    let events = of(id, &drained(&probe));
    assert_eq!(max_held(&events), 1);
    assert_eq!(hold_times(&events).len(), 3);
    assert_eq!(waits(&events).len(), 2);
}

#[test]
fn no_probe_no_events_and_a_late_probe_still_learns_the_resource() {
    let sem = Arc::new(Semaphore::new_named("outside", 1));
    let plain = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    plain.block_on(async { drop(sem.acquire().await.expect("open")) });
    let probe = Probe::new();
    let rt = runtime(&probe, 1);
    let sem2 = sem.clone();
    rt.block_on(async move {
        tokio::spawn(async move { drop(sem2.acquire().await.expect("open")) })
            .await
            .expect("task");
    });
    drop(rt);
    let events = of(sem.resource_id(), &drained(&probe));
    let kinds: HashMap<&str, usize> = events.iter().fold(HashMap::new(), |mut m, e| {
        let k = match e {
            ProbeEvent::ResourceCreated { .. } => "created",
            ProbeEvent::ResourceAcquired { .. } => "acquired",
            ProbeEvent::ResourceReleased { .. } => "released",
            _ => "other",
        };
        *m.entry(k).or_default() += 1;
        m
    });
    assert_eq!(kinds.get("created"), Some(&1));
    assert_eq!(kinds.get("acquired"), Some(&1), "only the instrumented use");
    assert_eq!(kinds.get("released"), Some(&1));
}

#[test]
fn probe_events_stay_small() {
    // Every poll pushes one: growing the enum slows every task.
    assert!(std::mem::size_of::<ProbeEvent>() <= 48);
}
