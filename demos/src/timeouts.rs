//! Timeouts: `tokio::time::timeout` around each call and a deadline for the
//! whole batch. Broken: no timeouts, so a slow call makes the batch slow and
//! a hung call never returns; the round moves on after its deadline and
//! leaves the hung calls behind as live tasks.

use std::sync::Arc;

use rand::Rng;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::timeout;

use crate::leftovers::{park, Leftovers, Parking};
use crate::support::{exactly, ms, round_rng, share, GaugeGuard};
use crate::{Demo, DemoInfo, Knob, RoundFuture, RoundReport, Settings};

pub struct Timeouts {
    leftovers: Arc<Leftovers>,
}

static INFO: DemoInfo = DemoInfo {
    name: "timeouts",
    summary: "timeouts per call and a batch deadline; broken: hung calls stay forever",
    explain: "A round makes `calls` calls to a flaky service: most answer in about \
              `latency_ms`, exactly `slow_pct`% take six times longer and exactly \
              `hang_pct`% never answer. Fixed: each call runs under \
              tokio::time::timeout(call_timeout_ms) and the batch under an overall \
              deadline_ms, so the round ends in about call_timeout_ms and nothing \
              outlives it (timeouts_fired counts the calls cut off). Broken: no \
              timeouts. The batch waits for the slowest call, and the hung ones \
              would keep it waiting forever; the round gives up at deadline_ms and \
              leaves every hung call behind as an idle task that never wakes. Watch \
              the idle count and the leaked-task warning at timeouts.rs. At most \
              `cap` calls are left behind per run.",
    knobs: &[
        Knob {
            name: "calls",
            default: 20,
            min: 0,
            max: 10_000,
            help: "calls per round, all at once",
        },
        Knob {
            name: "latency_ms",
            default: 20,
            min: 0,
            max: 5000,
            help: "usual latency of a call",
        },
        Knob {
            name: "slow_pct",
            default: 10,
            min: 0,
            max: 100,
            help: "share of calls that take six times the latency (exact)",
        },
        Knob {
            name: "hang_pct",
            default: 10,
            min: 0,
            max: 100,
            help: "share of calls that never answer (exact)",
        },
        Knob {
            name: "call_timeout_ms",
            default: 60,
            min: 1,
            max: 60_000,
            help: "fixed: timeout of one call",
        },
        Knob {
            name: "deadline_ms",
            default: 300,
            min: 1,
            max: 60_000,
            help: "deadline of the whole batch (broken: when the round gives up)",
        },
        Knob {
            name: "cap",
            default: 5000,
            min: 0,
            max: 1_000_000,
            help: "most hung calls left behind in all (keeps long sessions bounded)",
        },
    ],
};

impl Timeouts {
    #[must_use]
    pub fn new() -> Self {
        Self {
            leftovers: Arc::new(Leftovers::new()),
        }
    }
}

impl Default for Timeouts {
    fn default() -> Self {
        Self::new()
    }
}

/// How one call behaves.
enum Call {
    Answers {
        after_ms: u64,
    },
    /// Parks on this channel, which no one ever sends on.
    Hangs(watch::Receiver<()>),
}

impl Demo for Timeouts {
    fn info(&self) -> &'static DemoInfo {
        &INFO
    }

    fn round(&self, s: &Settings, round: u64) -> RoundFuture {
        let calls = s.count("calls");
        let latency = s.count("latency_ms");
        let mut rng = round_rng(s, round);
        let hung = share(calls, s.count("hang_pct"));
        let hangs = exactly(&mut rng, calls, hung);
        let slow = exactly(&mut rng, calls, share(calls, s.count("slow_pct")));
        // Only the broken variant leaves its hung calls behind.
        let mut parking = self
            .leftovers
            .parking(if s.fixed { 0 } else { hung }, s.count("cap"));
        let plan: Vec<Call> = hangs
            .into_iter()
            .zip(slow)
            .map(|(hangs, slow)| {
                let after_ms = rng.random_range(latency / 2..=latency + latency / 2);
                match (hangs, slow) {
                    (true, _) => Call::Hangs(parking.spot()),
                    (false, true) => Call::Answers {
                        after_ms: after_ms * 6,
                    },
                    (false, false) => Call::Answers { after_ms },
                }
            })
            .collect();
        let call_timeout = (s.fixed).then(|| ms(s.count("call_timeout_ms")));
        let deadline = ms(s.count("deadline_ms"));
        Box::pin(batch(plan, call_timeout, deadline, parking))
    }
}

async fn batch(
    plan: Vec<Call>,
    call_timeout: Option<std::time::Duration>,
    deadline: std::time::Duration,
    parking: Parking,
) -> RoundReport {
    let mut report = RoundReport::default();
    let mut set = JoinSet::new();
    for call in plan {
        set.spawn(async move {
            let answer = async {
                let _pending = GaugeGuard::new(metrics::gauge!("in_flight"));
                match call {
                    Call::Answers { after_ms } => tokio::time::sleep(ms(after_ms)).await,
                    Call::Hangs(spot) => park(spot).await,
                }
            };
            match call_timeout {
                Some(limit) => timeout(limit, answer).await.is_ok(),
                None => {
                    answer.await;
                    true
                }
            }
        });
    }
    let finished = timeout(deadline, async {
        while let Some(done) = set.join_next().await {
            if let Ok(true) = done {
                report.items += 1;
            } else {
                report.errors += 1;
                metrics::counter!("timeouts_fired").increment(1);
            }
        }
    })
    .await;
    if finished.is_err() {
        metrics::counter!("deadline_fired").increment(1);
        if call_timeout.is_some() {
            report.errors += set.len() as u64;
            set.shutdown().await;
        } else {
            // No timeouts anywhere: nothing can stop the hung calls, so the
            // round walks away and leaves them running.
            set.detach_all();
        }
    }
    report.left_behind = parking.granted();
    metrics::counter!("tasks_leaked").increment(report.left_behind);
    report
}
