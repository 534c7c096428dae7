//! Graceful shutdown of background workers. Fixed: a CancellationToken
//! asks the workers to stop, each finishes the item in hand, and a
//! TaskTracker waits for them. Broken: the workers ignore the signal and
//! are cut off mid-item when the manager exits.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::support::{ms, GaugeGuard};
use crate::{Demo, DemoInfo, Knob, RoundFuture, RoundReport, Settings};

pub struct Shutdown;

static INFO: DemoInfo = DemoInfo {
    name: "shutdown",
    summary: "graceful shutdown with a token and a tracker; broken: work cut off",
    explain: "A round starts `workers` background workers that take items from a \
              queue of `items` and spend `work_ms` on each, in four steps. After \
              `run_ms` the manager shuts down. Fixed: it cancels a \
              CancellationToken; each worker finishes the item in hand and takes \
              no more, and the manager waits on a TaskTracker until all are done: \
              items_lost stays 0 and the rest stay queued for the next start. \
              Broken: the workers never look at the token, and the manager exits \
              without waiting, so they are aborted mid-item: every item in hand is \
              lost (items_lost, `lost` in the round report). Watch the running \
              tasks vanish at once instead of finishing their step.",
    knobs: &[
        Knob {
            name: "workers",
            default: 4,
            min: 1,
            max: 1000,
            help: "background workers",
        },
        Knob {
            name: "items",
            default: 200,
            min: 0,
            max: 100_000,
            help: "items queued when the workers start",
        },
        Knob {
            name: "work_ms",
            default: 20,
            min: 1,
            max: 5000,
            help: "time one item takes",
        },
        Knob {
            name: "run_ms",
            default: 110,
            min: 0,
            max: 60_000,
            help: "time until shutdown",
        },
    ],
};

/// The queue the workers share: items are numbered, a worker claims the
/// next number.
struct Queue {
    items: u64,
    claimed: AtomicU64,
    done: AtomicU64,
}

impl Queue {
    fn claim(&self) -> Option<u64> {
        let item = self.claimed.fetch_add(1, Ordering::Relaxed);
        if item < self.items {
            metrics::gauge!("queue_depth").set((self.items - item - 1) as f64);
            Some(item)
        } else {
            self.claimed.fetch_sub(1, Ordering::Relaxed);
            None
        }
    }

    async fn work_on(&self, _item: u64, work_ms: u64) {
        let _in_flight = GaugeGuard::new(metrics::gauge!("in_flight"));
        for _ in 0..4 {
            tokio::time::sleep(ms(work_ms / 4)).await;
        }
        self.done.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("items_done").increment(1);
    }
}

impl Demo for Shutdown {
    fn info(&self) -> &'static DemoInfo {
        &INFO
    }

    fn round(&self, s: &Settings, _round: u64) -> RoundFuture {
        let workers = s.count("workers");
        let work_ms = s.count("work_ms");
        let run = ms(s.count("run_ms"));
        let queue = Arc::new(Queue {
            items: s.count("items"),
            claimed: AtomicU64::new(0),
            done: AtomicU64::new(0),
        });
        let fixed = s.fixed;
        Box::pin(async move {
            if fixed {
                let stop = CancellationToken::new();
                // Also stop the workers if the round itself is aborted.
                let _stop_on_drop = stop.clone().drop_guard();
                let tracker = TaskTracker::new();
                for _ in 0..workers {
                    let (queue, stop) = (Arc::clone(&queue), stop.clone());
                    tracker.spawn(async move {
                        // Checked between items only: an item is never cut off.
                        while !stop.is_cancelled() {
                            let Some(item) = queue.claim() else { break };
                            queue.work_on(item, work_ms).await;
                        }
                    });
                }
                tracker.close();
                tokio::time::sleep(run).await;
                stop.cancel();
                tracker.wait().await;
            } else {
                let mut set = JoinSet::new();
                for _ in 0..workers {
                    let queue = Arc::clone(&queue);
                    set.spawn(async move {
                        while let Some(item) = queue.claim() {
                            queue.work_on(item, work_ms).await;
                        }
                    });
                }
                tokio::time::sleep(run).await;
                // The mistake: nothing tells the workers to stop and nothing
                // waits for them; exiting drops them wherever they are.
                set.shutdown().await;
            }
            let claimed = queue.claimed.load(Ordering::Relaxed);
            let done = queue.done.load(Ordering::Relaxed);
            let lost = claimed - done;
            metrics::counter!("items_lost").increment(lost);
            RoundReport {
                items: done,
                lost,
                ..RoundReport::default()
            }
        })
    }
}
