//! A connection pool with every connection in use and tasks queueing.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::contention::{capacity, holders_now, holders_text};
use super::{ids, Lint, Threshold, Thresholds, Warning, MAX_TASKS_LISTED};
use crate::feed::ResourceKind;
use crate::model::Model;

pub struct PoolExhausted;

const SHARE_PCT: Threshold = Threshold {
    name: "share_pct",
    default: 50.0,
    help: "share of the window spent with every connection in use and tasks waiting",
};

// A pool serving a burst is saturated for a while by design: the fixed
// `pool` demo sends 20 requests at once to 2 connections and has them all
// in use with tasks waiting about 66% of the time, yet every checkout
// takes at most about 60 ms (ten turns of a 5 ms query). Exhausted means
// the checkout itself is slow, because connections are held for longer
// than their queries (the broken demo: saturated 86% of the time, checkout
// p99 about 200 ms). So both must hold: saturated for `share_pct` of the
// window, and a checkout p99 of at least 100 ms, a wait that is a real
// part of a request's latency.
const WAIT_P99_MS: Threshold = Threshold {
    name: "wait_p99_ms",
    default: 100.0,
    help: "99th percentile of the checkout wait (both this and share_pct must be reached)",
};

const WINDOW_S: Threshold = Threshold {
    name: "window_s",
    default: 10.0,
    help: "how far back to look (at most 60 s)",
};

impl Lint for PoolExhausted {
    fn id(&self) -> &'static str {
        ids::POOL_EXHAUSTED
    }

    fn summary(&self) -> &'static str {
        "tasks wait for a pool whose connections are all in use"
    }

    fn explanation(&self) -> &'static str {
        "Every connection is checked out and tasks queue for the next one, so \
         requests wait on the pool rather than the database. Return connections \
         as soon as the query is done (do not hold one across unrelated awaits \
         or slow work), make sure every path drops it, put a timeout on \
         checkout, or size the pool for the concurrency you allow upstream."
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[SHARE_PCT, WAIT_P99_MS, WINDOW_S]
    }

    fn check(&self, model: &Model, thresholds: &Thresholds) -> Vec<Warning> {
        let share = thresholds.get(self.id(), &SHARE_PCT) / 100.0;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let window = (thresholds.get(self.id(), &WINDOW_S) * 1e9) as u64;
        let wait_p99_us = thresholds.get(self.id(), &WAIT_P99_MS) * 1000.0;
        let now = model.now();
        // The worst instance of each pool name.
        let mut worst: BTreeMap<Arc<str>, f64> = BTreeMap::new();
        for r in model.resources().filter(|r| r.kind == ResourceKind::Pool) {
            let s = r.saturated_share(now, window);
            let w = worst.entry(r.name.clone()).or_insert(0.0);
            *w = w.max(s);
        }
        let summaries = model.resource_summaries();
        worst
            .into_iter()
            .filter(|(_, s)| *s > 0.0 && *s >= share)
            .filter_map(|(name, s)| {
                let sum = summaries
                    .iter()
                    .find(|x| x.kind == ResourceKind::Pool && x.name == name)?;
                #[allow(clippy::cast_precision_loss)]
                if (sum.stats.wait_p99_us() as f64) < wait_p99_us {
                    return None;
                }
                let waiting: Vec<u64> = model
                    .resources()
                    .filter(|r| r.kind == ResourceKind::Pool && r.name == name)
                    .flat_map(|r| r.waiters().iter().filter_map(|w| w.task))
                    .collect();
                let holders = holders_now(model, sum);
                #[allow(clippy::cast_precision_loss)]
                let summary = format!(
                    "pool {name} ({}): all connections in use with tasks waiting {:.0}% of the last {:.0} s; up to {} waiting, checkout p99 {}; {}",
                    capacity(sum),
                    s * 100.0,
                    window as f64 / 1e9,
                    sum.stats.max_waiters,
                    super::human_ns(sum.stats.wait_p99_us() * 1000),
                    holders_text(&holders),
                );
                let mut tasks = if waiting.is_empty() { holders } else { waiting };
                tasks.truncate(MAX_TASKS_LISTED);
                Some(Warning {
                    lint: ids::POOL_EXHAUSTED,
                    count: sum.stats.max_waiters,
                    location: sum.location.clone(),
                    tasks,
                    resource: Some(name),
                    summary,
                })
            })
            .collect()
    }
}
