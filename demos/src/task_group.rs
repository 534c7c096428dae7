//! Structured concurrency: a group of sibling tasks that fails as a whole.
//! Fixed: the first error aborts the siblings (`JoinSet::abort_all`).
//! Broken: the group reports its failure but the siblings keep running and
//! finish their slow work for nothing.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use rand::Rng;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::support::{millis_f64, ms, round_rng, GaugeGuard};
use crate::{Demo, DemoInfo, Knob, RoundFuture, RoundReport, Settings};

pub struct TaskGroup;

static INFO: DemoInfo = DemoInfo {
    name: "task-group",
    summary: "first error cancels the siblings; broken: they run on for nothing",
    explain: "A round starts `members` sibling tasks that succeed or fail together. \
              Fixed: the members live in a JoinSet and the first error calls \
              abort_all, so the siblings stop at once (watch the running/idle \
              count drop to zero right after the error). Broken: the group returns \
              its error but the siblings were spawned and forgotten: they stay \
              idle until their slow work finishes, and their results are thrown \
              away (counter wasted_ms, `lost` in the round report).",
    knobs: &[
        Knob {
            name: "members",
            default: 16,
            min: 1,
            max: 5000,
            help: "sibling tasks per group",
        },
        Knob {
            name: "latency_ms",
            default: 60,
            min: 1,
            max: 5000,
            help: "mean slow work of a member",
        },
        Knob {
            name: "error_pct",
            default: 10,
            min: 0,
            max: 100,
            help: "share of members that fail early (at a quarter of their work)",
        },
    ],
};

/// Shared by the members of one group.
struct Group {
    failed: AtomicBool,
    /// Members that finished after the group had already failed.
    wasted: AtomicU64,
}

impl Demo for TaskGroup {
    fn info(&self) -> &'static DemoInfo {
        &INFO
    }

    fn round(&self, s: &Settings, round: u64) -> RoundFuture {
        let latency = s.count("latency_ms");
        let error_pct = s.count("error_pct");
        let fixed = s.fixed;
        let mut rng = round_rng(s, round);
        let plan: Vec<(u64, bool)> = (0..s.count("members"))
            .map(|_| {
                (
                    rng.random_range(latency / 2..=latency + latency / 2),
                    rng.random_range(0..100) < error_pct,
                )
            })
            .collect();
        Box::pin(async move {
            let group = Arc::new(Group {
                failed: AtomicBool::new(false),
                wasted: AtomicU64::new(0),
            });
            let started = Instant::now();
            let mut report = if fixed {
                fixed_group(plan, &group).await
            } else {
                broken_group(plan, &group, started).await
            };
            report.lost = group.wasted.load(Ordering::Relaxed);
            report
        })
    }
}

/// Members in a JoinSet; the first error aborts the rest.
async fn fixed_group(plan: Vec<(u64, bool)>, group: &Arc<Group>) -> RoundReport {
    let started = Instant::now();
    let mut report = RoundReport::default();
    let mut set = JoinSet::new();
    for (work, fails) in plan {
        set.spawn(member(work, fails, Arc::clone(group)));
    }
    while let Some(done) = set.join_next().await {
        if let Ok(Ok(())) = done {
            report.items += 1;
            continue;
        }
        report.errors += 1;
        group.failed.store(true, Ordering::Relaxed);
        metrics::histogram!("group_ms").record(millis_f64(started.elapsed()));
        metrics::counter!("siblings_cancelled").increment(set.len() as u64);
        set.abort_all();
        // Wait until the aborted siblings are really gone.
        while set.join_next().await.is_some() {}
        return report;
    }
    metrics::histogram!("group_ms").record(millis_f64(started.elapsed()));
    report
}

/// Members spawned and forgotten; the group only listens for results.
async fn broken_group(plan: Vec<(u64, bool)>, group: &Arc<Group>, started: Instant) -> RoundReport {
    let mut report = RoundReport::default();
    let (results, mut results_rx) = mpsc::unbounded_channel();
    let mut handles = Vec::with_capacity(plan.len());
    for (work, fails) in plan {
        let group = Arc::clone(group);
        let results = results.clone();
        // The mistake: the JoinHandle is the only way to cancel the member,
        // and the group never uses it.
        handles.push(tokio::spawn(async move {
            let _ = results.send(member(work, fails, group).await);
        }));
    }
    drop(results);
    while let Some(outcome) = results_rx.recv().await {
        if outcome.is_ok() {
            report.items += 1;
        } else {
            report.errors += 1;
            group.failed.store(true, Ordering::Relaxed);
            break;
        }
    }
    metrics::histogram!("group_ms").record(millis_f64(started.elapsed()));
    // The group has returned; the demo waits for the stragglers only to
    // count their wasted work and keep rounds from overlapping.
    for handle in handles {
        let _ = handle.await;
    }
    report
}

#[derive(Debug)]
struct MemberFailed;

async fn member(work: u64, fails: bool, group: Arc<Group>) -> Result<(), MemberFailed> {
    let _running = GaugeGuard::new(metrics::gauge!("in_flight"));
    if fails {
        tokio::time::sleep(ms(work / 4)).await;
        metrics::counter!("errors").increment(1);
        return Err(MemberFailed);
    }
    tokio::time::sleep(ms(work)).await;
    if group.failed.load(Ordering::Relaxed) {
        group.wasted.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("wasted_ms").increment(work);
    } else {
        metrics::counter!("items_done").increment(1);
    }
    Ok(())
}
