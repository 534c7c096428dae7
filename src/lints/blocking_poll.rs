//! A single poll that held a worker for longer than a threshold.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{human_ns, ids, ms_to_ns, Lint, Threshold, Thresholds, Warning, MAX_TASKS_LISTED};
use crate::feed::TaskId;
use crate::model::Model;

pub struct BlockingPoll;

const POLL_MS: Threshold = Threshold {
    name: "poll_ms",
    default: 10.0,
    help: "longest acceptable single poll",
};

/// The worst poll at one spawn location.
struct Worst {
    task: TaskId,
    ns: u64,
    worker: Option<u16>,
    running: bool,
}

impl Lint for BlockingPoll {
    fn id(&self) -> &'static str {
        ids::BLOCKING_POLL
    }

    fn summary(&self) -> &'static str {
        "a single poll kept a worker thread busy too long"
    }

    fn explanation(&self) -> &'static str {
        "While one poll runs, its worker runs nothing else: every task queued \
         behind it waits, timers fire late, and with few workers the whole \
         runtime stalls. Blocking calls (std::thread::sleep, std::fs, blocking \
         locks, heavy CPU work) belong in tokio::task::spawn_blocking, or use \
         the async equivalent (tokio::time::sleep, tokio::fs); split long \
         computations and yield with tokio::task::yield_now."
    }

    fn thresholds(&self) -> &'static [Threshold] {
        &[POLL_MS]
    }

    fn check(&self, model: &Model, thresholds: &Thresholds) -> Vec<Warning> {
        let limit = ms_to_ns(thresholds.get(self.id(), &POLL_MS));
        let now = model.now();
        let mut groups: BTreeMap<Arc<str>, (Vec<TaskId>, Worst)> = BTreeMap::new();
        for t in model.tasks() {
            // A poll still in progress counts: it may never end.
            let running = t.polling_since().map_or(0, |s| now.saturating_sub(s));
            let (ns, worker, is_running) = if running > t.max_poll_ns {
                (running, t.worker(), true)
            } else {
                (t.max_poll_ns, t.max_poll_worker(), false)
            };
            if ns < limit || ns == 0 {
                continue;
            }
            let worst = Worst {
                task: t.id,
                ns,
                worker,
                running: is_running,
            };
            match groups.get_mut(&t.location) {
                Some((tasks, w)) => {
                    tasks.push(t.id);
                    if ns > w.ns {
                        *w = worst;
                    }
                }
                None => {
                    groups.insert(t.location.clone(), (vec![t.id], worst));
                }
            }
        }
        let mut warnings: Vec<(u64, Warning)> = groups
            .into_iter()
            .map(|(location, (mut tasks, w))| {
                tasks.sort_unstable();
                let count = tasks.len() as u64;
                let worker = w
                    .worker
                    .map_or_else(|| "a worker".to_owned(), |i| format!("worker {i}"));
                let summary = format!(
                    "task {} at {location} {} {} in one poll, stalling {worker}{}",
                    w.task,
                    if w.running {
                        "has been running for"
                    } else {
                        "ran"
                    },
                    human_ns(w.ns),
                    if count > 1 {
                        format!(" ({count} tasks from here polled over {})", human_ns(limit))
                    } else {
                        String::new()
                    },
                );
                tasks.truncate(MAX_TASKS_LISTED);
                (
                    w.ns,
                    Warning {
                        lint: ids::BLOCKING_POLL,
                        count,
                        location,
                        tasks,
                        resource: None,
                        summary,
                    },
                )
            })
            .collect();
        warnings.sort_by_key(|w| std::cmp::Reverse(w.0));
        warnings.into_iter().map(|(_, w)| w).collect()
    }
}
