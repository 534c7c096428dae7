//! A task in its first poll for a long time: it never gave its worker back.
//! Console data only (as tokio-console defines it).

use super::{by_location, human_ns, ids, ms_to_ns, Lint, Threshold, Thresholds, Warning};
use crate::model::Model;

pub struct NeverYielded;

const RUNNING_MS: Threshold = Threshold {
    name: "running_ms",
    default: 1000.0,
    help: "how long a first poll may run before it counts",
};

impl Lint for NeverYielded {
    fn id(&self) -> &'static str {
        ids::NEVER_YIELDED
    }

    fn summary(&self) -> &'static str {
        "a task still in its first poll: it never yielded"
    }

    fn explanation(&self) -> &'static str {
        "The task has not returned from its very first poll, so its worker \
         runs nothing else. It loops or blocks without ever reaching an \
         .await that waits. Move the blocking or CPU-bound part to \
         tokio::task::spawn_blocking, or yield with tokio::task::yield_now \
         inside the loop."
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[RUNNING_MS]
    }

    fn check(&self, model: &Model, thresholds: &Thresholds) -> Vec<Warning> {
        let limit = ms_to_ns(thresholds.get(self.id(), &RUNNING_MS));
        let now = model.now();
        by_location::warnings(
            model,
            self.id(),
            |id| {
                let s = model.console().stats(id)?;
                let running = now.saturating_sub(s.polling_since()?);
                (s.polls <= 1 && s.dropped_at.is_none() && running >= limit).then_some(running)
            },
            |location, count, worst, ns| {
                format!(
                    "{} spawned at {location} never yielded; task {worst} has run {} in its first poll",
                    by_location::tasks(count),
                    human_ns(ns)
                )
            },
        )
    }
}
