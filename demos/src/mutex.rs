//! Shared state behind `tokio::sync::Mutex`. Broken: the guard is held
//! across a slow `.await`, so every other task queues on the lock and the
//! work runs one task at a time. Fixed: the slow part runs first and the
//! lock is held only for the update.

use std::sync::Arc;
use std::time::Instant;

use taskscope_probe::resources::{Mutex, MutexGuard};
use tokio::task::JoinSet;

use crate::support::{millis_f64, ms, GaugeGuard};
use crate::{Demo, DemoInfo, Knob, RoundFuture, RoundReport, Settings};

pub struct MutexDemo;

static INFO: DemoInfo = DemoInfo {
    name: "mutex",
    summary: "a lock held across .await serializes everyone; fixed: short critical section",
    explain: "`workers` tasks each make `ops` updates to a shared total behind a \
              tokio::sync::Mutex (the resource `ledger`); each update needs a slow lookup of `io_ms` first. \
              Broken: the task takes the lock, then awaits the lookup while holding \
              the guard: one task holds the lock, all the others are idle waiting \
              for it (lock_waiting, lock_wait_ms), and a round takes workers x ops \
              x io_ms. Fixed: the lookup runs without the lock and the guard lives \
              only for the addition: the lookups overlap, the lock's hold time \
              drops to nothing and a round takes about ops x io_ms.",
    knobs: &[
        Knob {
            name: "workers",
            default: 8,
            min: 1,
            max: 5000,
            help: "tasks sharing the state",
        },
        Knob {
            name: "ops",
            default: 5,
            min: 0,
            max: 10_000,
            help: "updates per task per round",
        },
        Knob {
            name: "io_ms",
            default: 5,
            min: 0,
            max: 5000,
            help: "slow lookup before each update",
        },
    ],
};

/// The shared state: a running total.
#[derive(Default)]
struct Ledger {
    total: u64,
    updates: u64,
}

impl Demo for MutexDemo {
    fn info(&self) -> &'static DemoInfo {
        &INFO
    }

    fn round(&self, s: &Settings, _round: u64) -> RoundFuture {
        let workers = s.count("workers");
        let ops = s.count("ops");
        let io = s.count("io_ms");
        let fixed = s.fixed;
        Box::pin(async move {
            let ledger = Arc::new(Mutex::new_named("ledger", Ledger::default()));
            let mut set = JoinSet::new();
            for worker in 0..workers {
                let ledger = Arc::clone(&ledger);
                set.spawn(async move {
                    for op in 0..ops {
                        if fixed {
                            let price = lookup(worker + op, io).await;
                            let mut ledger = lock(&ledger).await;
                            ledger.total += price;
                            ledger.updates += 1;
                        } else {
                            let mut ledger = lock(&ledger).await;
                            // The mistake: the guard stays alive across this await.
                            let price = lookup(worker + op, io).await;
                            ledger.total += price;
                            ledger.updates += 1;
                        }
                    }
                });
            }
            while set.join_next().await.is_some() {}
            let updates = ledger.lock().await.updates;
            metrics::counter!("items_done").increment(updates);
            RoundReport {
                items: updates,
                ..RoundReport::default()
            }
        })
    }
}

/// Takes the lock, recording how long it took. (Hold times are the probe
/// resource's job.)
async fn lock(ledger: &Mutex<Ledger>) -> MutexGuard<'_, Ledger> {
    let asked = Instant::now();
    let _waiting = GaugeGuard::new(metrics::gauge!("lock_waiting"));
    let guard = ledger.lock().await;
    metrics::histogram!("lock_wait_ms").record(millis_f64(asked.elapsed()));
    guard
}

/// A slow lookup (a database or a remote call, say).
async fn lookup(key: u64, io_ms: u64) -> u64 {
    tokio::time::sleep(ms(io_ms)).await;
    key % 7 + 1
}
