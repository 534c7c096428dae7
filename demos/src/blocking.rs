//! Blocking inside async code: `std::thread::sleep` (or a CPU-bound loop)
//! in an async fn holds a runtime worker for the whole time, so every other
//! task on that worker waits. Fixed: the blocking part runs on
//! `spawn_blocking`'s thread pool and the workers stay free.

use std::hint::black_box;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;
use tokio::time::MissedTickBehavior;
use tokio_util::sync::CancellationToken;

use crate::support::{millis_f64, ms};
use crate::{Demo, DemoInfo, Knob, RoundFuture, RoundReport, Settings};

pub struct Blocking;

/// How often the heartbeat task wants to run.
const HEARTBEAT: Duration = Duration::from_millis(5);

static INFO: DemoInfo = DemoInfo {
    name: "blocking",
    summary: "blocking calls in async code starve the workers; fixed: spawn_blocking",
    explain: "Each round `blockers` tasks each do `block_ms` of blocking work \
              (std::thread::sleep, or a busy loop with spin=1), while a heartbeat \
              task tries to tick every 5 ms. Broken: the blocking work runs right \
              in the async task, so a single poll lasts block_ms (far above the \
              10 ms blocking-poll threshold) and, with as many blockers as \
              workers, no worker is left: the heartbeat's tick_lag_ms jumps to \
              about block_ms, and the busy ratio of the workers hits 100%. Fixed: \
              the work goes to tokio::task::spawn_blocking, the async task just \
              awaits it, polls stay short and the heartbeat keeps its beat.",
    knobs: &[
        Knob {
            name: "block_ms",
            default: 50,
            min: 0,
            max: 5000,
            help: "blocking work per task",
        },
        Knob {
            name: "blockers",
            default: 4,
            min: 0,
            max: 1000,
            help: "tasks that block per round",
        },
        Knob {
            name: "spin",
            default: 0,
            min: 0,
            max: 1,
            help: "1: burn CPU instead of sleeping the thread",
        },
    ],
};

impl Demo for Blocking {
    fn info(&self) -> &'static DemoInfo {
        &INFO
    }

    fn round(&self, s: &Settings, _round: u64) -> RoundFuture {
        let blockers = s.count("blockers");
        let block = ms(s.count("block_ms"));
        let spin = s.count("spin") == 1;
        let fixed = s.fixed;
        Box::pin(async move {
            let stop = CancellationToken::new();
            let heartbeat = tokio::spawn(heartbeat(stop.clone()));
            let _stop_on_drop = stop.clone().drop_guard();
            let mut set = JoinSet::new();
            for _ in 0..blockers {
                set.spawn(async move {
                    // Yield once so the heartbeat is running when we block.
                    tokio::task::yield_now().await;
                    if fixed {
                        tokio::task::spawn_blocking(move || block_thread(block, spin))
                            .await
                            .is_ok()
                    } else {
                        // The mistake: this holds the worker thread.
                        block_thread(block, spin);
                        true
                    }
                });
            }
            let mut report = RoundReport::default();
            while let Some(done) = set.join_next().await {
                match done {
                    Ok(true) => report.items += 1,
                    _ => report.errors += 1,
                }
            }
            metrics::counter!("items_done").increment(report.items);
            stop.cancel();
            let worst = heartbeat.await.unwrap_or_default();
            metrics::gauge!("tick_lag_max_ms").set(millis_f64(worst));
            report
        })
    }
}

fn block_thread(length: Duration, spin: bool) {
    if spin {
        let started = Instant::now();
        let mut x = 0u64;
        while started.elapsed() < length {
            x = black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
        }
    } else {
        std::thread::sleep(length);
    }
}

/// Ticks until stopped; returns the worst lateness of a tick.
async fn heartbeat(stop: CancellationToken) -> Duration {
    let mut timer = tokio::time::interval(HEARTBEAT);
    timer.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut worst = Duration::ZERO;
    loop {
        tokio::select! {
            due = timer.tick() => {
                let lag = due.elapsed();
                worst = worst.max(lag);
                metrics::histogram!("tick_lag_ms").record(millis_f64(lag));
            }
            () = stop.cancelled() => return worst,
        }
    }
}
