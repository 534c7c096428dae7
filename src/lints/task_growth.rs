//! A live task count that keeps rising.

use std::collections::HashMap;
use std::sync::Arc;

use super::{ids, Lint, Threshold, Thresholds, Warning, MAX_TASKS_LISTED};
use crate::model::Model;

pub struct TaskGrowth;

const WINDOW_S: Threshold = Threshold {
    name: "window_s",
    default: 10.0,
    help: "how far back to look (at most 60 s of history is kept)",
};

const MIN_GROWTH: Threshold = Threshold {
    name: "min_growth",
    default: 50.0,
    help: "how many more tasks must be alive at the end of the window than at its start",
};

/// The window is cut into this many parts; the lowest count of each part
/// must rise from part to part. Lows ignore the sawtooth of work that
/// spawns and finishes, and rise only when tasks pile up.
const PARTS: usize = 5;

impl Lint for TaskGrowth {
    fn id(&self) -> &'static str {
        ids::TASK_GROWTH
    }

    fn summary(&self) -> &'static str {
        "the number of live tasks keeps rising"
    }

    fn explanation(&self) -> &'static str {
        "When the lowest number of live tasks climbs steadily, tasks are spawned \
         faster than they finish: a leak, or work piling up behind a slow \
         dependency. Find the spawn location that grows (sort tasks by \
         location), then bound it: a JoinSet or semaphore limiting concurrency, \
         a bounded queue that pushes back, or cancellation of tasks nobody \
         waits for."
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[WINDOW_S, MIN_GROWTH]
    }

    fn check(&self, model: &Model, thresholds: &Thresholds) -> Vec<Warning> {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let window = (thresholds.get(self.id(), &WINDOW_S) * 1e9) as u64;
        let min_growth = thresholds.get(self.id(), &MIN_GROWTH);
        let now = model.now();
        let start = now.saturating_sub(window);
        let history = model.alive_history();
        // Only judge a window the history covers.
        if window == 0 || history.front().is_none_or(|(at, _)| *at > start) {
            return Vec::new();
        }
        let part = window / PARTS as u64;
        let mut lows = [u64::MAX; PARTS];
        for &(at, alive) in history.iter().filter(|(at, _)| *at >= start) {
            #[allow(clippy::cast_possible_truncation)]
            let i = (at.saturating_sub(start) / part.max(1)).min(PARTS as u64 - 1) as usize;
            lows[i] = lows[i].min(alive);
        }
        let rising = lows.windows(2).all(|w| w[0] < w[1] && w[1] != u64::MAX);
        let growth = lows[PARTS - 1].saturating_sub(lows[0]);
        #[allow(clippy::cast_precision_loss)]
        if !rising || (growth as f64) < min_growth {
            return Vec::new();
        }
        // Where the new tasks come from: the commonest spawn location among
        // tasks spawned in the window and still alive.
        let mut by_location: HashMap<Arc<str>, Vec<u64>> = HashMap::new();
        for t in model.tasks() {
            if t.terminated_at().is_none() && t.spawned_at >= start {
                by_location
                    .entry(t.location.clone())
                    .or_default()
                    .push(t.id);
            }
        }
        let (location, mut tasks) = by_location
            .into_iter()
            .max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(&a.0)))
            .unwrap_or_else(|| (Arc::from("?"), Vec::new()));
        tasks.sort_unstable();
        let from_here = tasks.len();
        tasks.truncate(MAX_TASKS_LISTED);
        #[allow(clippy::cast_precision_loss)]
        let summary = format!(
            "live tasks rose from {} to {} over {:.0} s; {from_here} of the new ones were spawned at {location}",
            lows[0],
            lows[PARTS - 1],
            window as f64 / 1e9
        );
        vec![Warning {
            lint: ids::TASK_GROWTH,
            count: growth,
            location,
            tasks,
            resource: None,
            summary,
        }]
    }
}
