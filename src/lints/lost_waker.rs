//! A task idle with no waker left: nothing can ever wake it again.
//! Console data only (as tokio-console defines it).

use super::{by_location, human_ns, ids, Lint, Threshold, Thresholds, Warning};
use crate::model::Model;

pub struct LostWaker;

impl Lint for LostWaker {
    fn id(&self) -> &'static str {
        ids::LOST_WAKER
    }

    fn summary(&self) -> &'static str {
        "an idle task with no waker left: it will never run again"
    }

    fn explanation(&self) -> &'static str {
        "An idle task runs again only when something calls its waker. Here \
         every clone of the waker has been dropped while the task waits, so \
         it is stuck for good and holds whatever it holds. Usually a future \
         returned Poll::Pending without storing the waker, or the thing that \
         held it (a channel sender, a timer) was dropped without waking it."
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[]
    }

    fn check(&self, model: &Model, _thresholds: &Thresholds) -> Vec<Warning> {
        let now = model.now();
        by_location::warnings(
            model,
            self.id(),
            |id| {
                let s = model.console().stats(id)?;
                let last_poll = s.last_poll_ended?;
                // Woken after its last poll: it is about to run, not lost.
                let woken = s.last_wake.is_some_and(|w| w > last_poll);
                let lost = s.dropped_at.is_none()
                    && s.polling_since().is_none()
                    && s.live_wakers() == 0
                    && !woken;
                lost.then(|| now.saturating_sub(last_poll))
            },
            |location, count, worst, idle| {
                format!(
                    "{} spawned at {location} lost their wakers; task {worst} idle for {}",
                    by_location::tasks(count),
                    human_ns(idle)
                )
            },
        )
    }
}
