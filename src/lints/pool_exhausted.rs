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
        &[SHARE_PCT, WINDOW_S]
    }

    fn check(&self, model: &Model, thresholds: &Thresholds) -> Vec<Warning> {
        let share = thresholds.get(self.id(), &SHARE_PCT) / 100.0;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let window = (thresholds.get(self.id(), &WINDOW_S) * 1e9) as u64;
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
                let waiting: Vec<u64> = model
                    .resources()
                    .filter(|r| r.kind == ResourceKind::Pool && r.name == name)
                    .flat_map(|r| r.waiters().iter().filter_map(|w| w.task))
                    .collect();
                let holders = holders_now(model, sum);
                #[allow(clippy::cast_precision_loss)]
                let summary = format!(
                    "pool {name} ({}): all connections in use with tasks waiting {:.0}% of the last {:.0} s; up to {} waiting; {}",
                    capacity(sum),
                    s * 100.0,
                    window as f64 / 1e9,
                    sum.stats.max_waiters,
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
