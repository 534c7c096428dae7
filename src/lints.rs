//! Lints: checks over the model that name a problem, where it is, and what
//! to change. One file per lint; each has a kebab-case id, thresholds with
//! defaults (overridable from the command line), a one-line summary and an
//! explanation.

mod blocking_poll;
mod by_location;
mod contention;
mod leaked_task;
mod lost_waker;
mod never_yielded;
mod pool_exhausted;
mod self_wakes;
mod task_growth;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::Arc;

pub use blocking_poll::BlockingPoll;
pub use contention::Contention;
pub use leaked_task::LeakedTask;
pub use lost_waker::LostWaker;
pub use never_yielded::NeverYielded;
pub use pool_exhausted::PoolExhausted;
pub use self_wakes::SelfWakes;
pub use task_growth::TaskGrowth;

use crate::feed::TaskId;
use crate::model::Model;

/// Every lint id. The last three need waker data that only console
/// sources (attach, `--engine console`) carry; elsewhere they find nothing.
pub mod ids {
    pub const LEAKED_TASK: &str = "leaked-task";
    pub const TASK_GROWTH: &str = "task-growth";
    pub const BLOCKING_POLL: &str = "blocking-poll";
    pub const CONTENTION: &str = "contention";
    pub const POOL_EXHAUSTED: &str = "pool-exhausted";
    /// Console only: a task polled for a long time without ever yielding.
    pub const NEVER_YIELDED: &str = "never-yielded";
    /// Console only: an idle task with no waker left.
    pub const LOST_WAKER: &str = "lost-waker";
    /// Console only: a task that wakes itself most of the time.
    pub const SELF_WAKES: &str = "self-wakes";
}

/// The lints this build can check, in the order warnings are listed.
pub static LINTS: &[&dyn Lint] = &[
    &LeakedTask,
    &TaskGrowth,
    &BlockingPoll,
    &Contention,
    &PoolExhausted,
    &NeverYielded,
    &LostWaker,
    &SelfWakes,
];

/// How many task ids one warning lists; `count` has the full number.
pub const MAX_TASKS_LISTED: usize = 50;

/// A tunable number of a lint, with its default.
#[derive(Debug)]
pub struct Threshold {
    /// snake_case, as typed in `--threshold LINT.NAME=VALUE`.
    pub name: &'static str,
    pub default: f64,
    pub help: &'static str,
}

pub trait Lint: Send + Sync {
    /// kebab-case, as in `--warn`/`--allow` and the report.
    fn id(&self) -> &'static str;
    /// One line: what it finds.
    fn summary(&self) -> &'static str;
    /// What it means and what to change.
    fn explanation(&self) -> &'static str;
    fn thresholds(&self) -> &'static [Threshold];
    fn check(&self, model: &Model, thresholds: &Thresholds) -> Vec<Warning>;
}

/// One finding. Maps to the report's `WarningReport`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub lint: &'static str,
    /// How many tasks (or waiters) it concerns.
    pub count: u64,
    /// `file:line:col` of the spawn or of the resource's creation.
    pub location: Arc<str>,
    /// The tasks involved, at most [`MAX_TASKS_LISTED`].
    pub tasks: Vec<TaskId>,
    /// The resource's name, for resource lints.
    pub resource: Option<Arc<str>>,
    pub summary: String,
}

/// Threshold values: defaults unless overridden.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Thresholds {
    overrides: BTreeMap<(&'static str, &'static str), f64>,
}

impl Thresholds {
    /// The value of `threshold` of lint `lint`.
    #[must_use]
    pub fn get(&self, lint: &str, threshold: &Threshold) -> f64 {
        self.overrides
            .iter()
            .find(|((l, n), _)| *l == lint && *n == threshold.name)
            .map_or(threshold.default, |(_, v)| *v)
    }

    /// Parses and applies `LINT.NAME=VALUE`.
    pub fn set_str(&mut self, spec: &str) -> Result<(), String> {
        let bad = || format!("expected LINT.NAME=VALUE (a number), got '{spec}'");
        let (key, value) = spec.split_once('=').ok_or_else(bad)?;
        let (lint, name) = key.trim().split_once('.').ok_or_else(bad)?;
        let value: f64 = value.trim().parse().map_err(|_| bad())?;
        if !value.is_finite() || value < 0.0 {
            return Err(format!("threshold '{key}' must be a number >= 0"));
        }
        let l = find(lint)?;
        let t = l
            .thresholds()
            .iter()
            .find(|t| t.name == name)
            .ok_or_else(|| {
                let known: Vec<_> = l.thresholds().iter().map(|t| t.name).collect();
                format!(
                    "lint '{lint}' has no threshold '{name}' (thresholds: {})",
                    known.join(", ")
                )
            })?;
        self.overrides.insert((l.id(), t.name), value);
        Ok(())
    }
}

/// Which lints run, with which thresholds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LintConfig {
    pub thresholds: Thresholds,
    disabled: BTreeSet<&'static str>,
}

impl LintConfig {
    /// From `--warn ID`, `--allow ID` (either may be "all"; `--warn` wins
    /// over `--allow` for the same lint) and `--threshold LINT.NAME=VALUE`.
    pub fn from_args(
        warn: &[String],
        allow: &[String],
        thresholds: &[String],
    ) -> Result<Self, String> {
        let mut config = Self::default();
        let expand = |ids: &[String]| -> Result<Vec<&'static str>, String> {
            let mut out = Vec::new();
            for id in ids {
                if id == "all" {
                    out.extend(all_ids());
                } else {
                    out.push(known_id(id)?);
                }
            }
            Ok(out)
        };
        config.disabled.extend(expand(allow)?);
        for id in expand(warn)? {
            config.disabled.remove(id);
        }
        for spec in thresholds {
            config.thresholds.set_str(spec)?;
        }
        Ok(config)
    }

    #[must_use]
    pub fn is_enabled(&self, id: &str) -> bool {
        !self.disabled.contains(id)
    }

    /// Runs every enabled lint over `model`.
    #[must_use]
    pub fn check(&self, model: &Model) -> Vec<Warning> {
        LINTS
            .iter()
            .filter(|l| self.is_enabled(l.id()))
            .flat_map(|l| l.check(model, &self.thresholds))
            .collect()
    }
}

fn all_ids() -> impl Iterator<Item = &'static str> {
    LINTS.iter().map(|l| l.id())
}

fn known_id(id: &str) -> Result<&'static str, String> {
    all_ids().find(|k| *k == id).ok_or_else(|| {
        format!(
            "unknown lint '{id}' (lints: {})",
            all_ids().collect::<Vec<_>>().join(", ")
        )
    })
}

fn find(id: &str) -> Result<&'static dyn Lint, String> {
    LINTS.iter().copied().find(|l| l.id() == id).ok_or_else(|| {
        format!(
            "unknown lint '{id}' (lints: {})",
            all_ids().collect::<Vec<_>>().join(", ")
        )
    })
}

/// `12 ms`, `2.1 s`: durations in summaries.
#[must_use]
pub fn human_ns(ns: u64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let (v, unit) = match ns {
        n if n >= 1_000_000_000 => (n as f64 / 1e9, "s"),
        n if n >= 1_000_000 => (n as f64 / 1e6, "ms"),
        n => (n as f64 / 1e3, "µs"),
    };
    if v >= 10.0 {
        format!("{v:.0} {unit}")
    } else {
        format!("{v:.1} {unit}")
    }
}

/// `tasks 3, 4, 5 (+12)`.
pub(crate) fn task_list(ids: &[TaskId], shown: usize) -> String {
    let mut s = String::new();
    for (i, id) in ids.iter().take(shown).enumerate() {
        let _ = write!(s, "{}{id}", if i == 0 { "" } else { ", " });
    }
    if ids.len() > shown {
        let _ = write!(s, " (+{})", ids.len() - shown);
    }
    s
}

/// Milliseconds from a threshold, in nanoseconds.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub(crate) fn ms_to_ns(ms: f64) -> u64 {
    (ms * 1e6) as u64
}

#[cfg(test)]
mod tests;
