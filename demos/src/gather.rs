//! Fan-out / fan-in: N simulated fetches joined with a JoinSet, per-item
//! errors collected instead of failing the batch (like asyncio's
//! `gather(return_exceptions=True)`). Broken: each fetch is spawned and
//! awaited before the next starts, so the same work takes N times longer.

use std::time::Duration;

use rand::Rng;
use tokio::task::JoinSet;

use crate::support::{ms, round_rng, GaugeGuard};
use crate::{Demo, DemoInfo, Knob, RoundFuture, RoundReport, Settings};

pub struct Gather;

static INFO: DemoInfo = DemoInfo {
    name: "gather",
    summary: "fan-out/fan-in with a JoinSet; broken: awaits each fetch in turn",
    explain: "A round fans out `fanout` simulated fetches and joins them; failed \
              fetches are collected, not fatal. Broken: each fetch is spawned and \
              awaited before the next, so one task runs at a time and a round takes \
              fanout x latency. Fixed: all are in flight at once (many idle tasks) \
              and a round takes about one latency. Watch the idle count and round time.",
    knobs: &[
        Knob {
            name: "fanout",
            default: 20,
            min: 1,
            max: 5000,
            help: "fetches per round",
        },
        Knob {
            name: "latency_ms",
            default: 15,
            min: 0,
            max: 5000,
            help: "mean latency of a fetch",
        },
        Knob {
            name: "error_pct",
            default: 5,
            min: 0,
            max: 100,
            help: "share of fetches that fail",
        },
        Knob {
            name: "deadline_ms",
            default: 0,
            min: 0,
            max: 60_000,
            help:
                "give up on a round after this long (0: never); broken leaves its fetches running",
        },
    ],
};

impl Demo for Gather {
    fn info(&self) -> &'static DemoInfo {
        &INFO
    }

    fn round(&self, s: &Settings, round: u64) -> RoundFuture {
        let fanout = s.count("fanout");
        let latency = s.count("latency_ms");
        let error_pct = s.count("error_pct");
        let deadline = match s.count("deadline_ms") {
            0 => Duration::MAX,
            ms => Duration::from_millis(ms),
        };
        let fixed = s.fixed;
        let mut rng = round_rng(s, round);
        // Draw every item's latency and outcome up front: same seed, same round.
        let plan: Vec<(u64, bool)> = (0..fanout)
            .map(|_| {
                (
                    rng.random_range(latency / 2..=latency + latency / 2),
                    rng.random_range(0..100) < error_pct,
                )
            })
            .collect();
        Box::pin(async move {
            let mut report = RoundReport::default();
            // Past the deadline the round gives up. Fixed: dropping the
            // JoinSet aborts what is left. Broken: a timeout around a
            // JoinHandle does not stop the task, which outlives the round.
            let _ = tokio::time::timeout(deadline, async {
                if fixed {
                    let mut set = JoinSet::new();
                    for (latency, fails) in plan {
                        set.spawn(fetch(latency, fails));
                    }
                    while let Some(done) = set.join_next().await {
                        tally(&mut report, done.ok());
                    }
                } else {
                    for (latency, fails) in plan {
                        let done = tokio::spawn(fetch(latency, fails)).await;
                        tally(&mut report, done.ok());
                    }
                }
            })
            .await;
            report
        })
    }
}

fn tally(report: &mut RoundReport, outcome: Option<Result<(), FetchError>>) {
    match outcome {
        Some(Ok(())) => report.items += 1,
        _ => report.errors += 1,
    }
}

#[derive(Debug)]
struct FetchError;

async fn fetch(latency: u64, fails: bool) -> Result<(), FetchError> {
    let _in_flight = GaugeGuard::new(metrics::gauge!("in_flight"));
    tokio::time::sleep(ms(latency)).await;
    if fails {
        metrics::counter!("errors").increment(1);
        Err(FetchError)
    } else {
        metrics::counter!("items_done").increment(1);
        Ok(())
    }
}
