//! A task that mostly wakes itself: a busy loop dressed as async.
//! Console data only (as tokio-console defines it).

use super::{by_location, ids, Lint, Threshold, Thresholds, Warning};
use crate::model::Model;

pub struct SelfWakes;

const PERCENT: Threshold = Threshold {
    name: "percent",
    default: 50.0,
    help: "share of a task's wakes that it did itself",
};

const MIN_WAKES: Threshold = Threshold {
    name: "min_wakes",
    default: 10.0,
    help: "wakes a task needs before its share counts",
};

impl Lint for SelfWakes {
    fn id(&self) -> &'static str {
        ids::SELF_WAKES
    }

    fn summary(&self) -> &'static str {
        "a task that mostly wakes itself"
    }

    fn explanation(&self) -> &'static str {
        "Waking yourself (wake_by_ref in your own poll, or yield_now in a \
         loop) puts the task straight back in the run queue: fine now and \
         then, but as a habit it is polling in disguise, burning a worker \
         while it waits. Wait on the thing that changes instead: a channel, \
         a Notify, a watch, a timer."
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[PERCENT, MIN_WAKES]
    }

    fn check(&self, model: &Model, thresholds: &Thresholds) -> Vec<Warning> {
        let percent = thresholds.get(self.id(), &PERCENT);
        let min_wakes = thresholds.get(self.id(), &MIN_WAKES);
        by_location::warnings(
            model,
            self.id(),
            |id| {
                let s = model.console().stats(id)?;
                #[allow(clippy::cast_precision_loss)] // counts, as a share
                let share = 100.0 * s.self_wakes as f64 / s.wakes.max(1) as f64;
                #[allow(
                    clippy::cast_precision_loss,
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss
                )]
                ((s.wakes as f64) >= min_wakes && share > percent).then_some(share.round() as u64)
            },
            |location, count, worst, share| {
                format!(
                    "{} spawned at {location} wake themselves; task {worst}: {share}% of its wakes",
                    by_location::tasks(count)
                )
            },
        )
    }
}
