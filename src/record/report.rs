//! The headless JSON report: the contract tests and scripts rely on.
//! Fields may be added; the ones in DESIGN.md are never renamed.

use serde::{Deserialize, Serialize};

use crate::feed::{ConnectionState, SourceInfo};
use crate::lints::{LintConfig, Warning};
use crate::model::{Model, ResourceSummary, TaskState};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub source: SourceInfo,
    pub duration_ms: u64,
    pub tasks: TaskCounts,
    pub warnings: Vec<WarningReport>,
    pub resources: Vec<ResourceReport>,
    pub runtime: RuntimeReport,
    /// Events the source said it dropped.
    pub dropped_events: u64,
    /// Attach sources: how the link to the target went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<ConnectionReport>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionReport {
    pub target: String,
    /// The state at the end of the run.
    pub state: ConnectionState,
    pub ever_connected: bool,
    /// The target went away during the run (and was not back at its end).
    pub disconnected: bool,
    pub disconnects: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskCounts {
    pub spawned: u64,
    /// Tasks not terminated at the end, counted one by one in the model.
    pub alive: u64,
    pub completed: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningReport {
    pub lint: String,
    pub count: u64,
    pub location: String,
    pub tasks: Vec<u64>,
    pub summary: String,
    /// The resource's name, for resource lints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
}

impl From<&Warning> for WarningReport {
    fn from(w: &Warning) -> Self {
        Self {
            lint: w.lint.to_owned(),
            count: w.count,
            location: w.location.to_string(),
            tasks: w.tasks.clone(),
            summary: w.summary.clone(),
            resource: w.resource.as_deref().map(str::to_owned),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceReport {
    pub name: String,
    pub kind: String,
    pub capacity: Option<u64>,
    pub max_waiters: u64,
    pub wait_p99_us: u64,
    pub hold_p99_us: u64,
    pub acquisitions: u64,
    pub wait_p50_us: u64,
    pub hold_p50_us: u64,
    pub cancelled_waits: u64,
    /// `file:line:col` where the first instance was created.
    pub location: String,
    /// Instances sharing this name (one per round, say).
    pub instances: u64,
}

impl From<&ResourceSummary> for ResourceReport {
    fn from(s: &ResourceSummary) -> Self {
        Self {
            name: s.name.to_string(),
            kind: s.kind.label().to_owned(),
            capacity: s.capacity,
            max_waiters: s.stats.max_waiters,
            wait_p99_us: s.stats.wait_p99_us(),
            hold_p99_us: s.stats.hold_p99_us(),
            acquisitions: s.stats.acquisitions,
            wait_p50_us: s.stats.wait_p50_us(),
            hold_p50_us: s.stats.hold_p50_us(),
            cancelled_waits: s.stats.cancelled_waits,
            location: s.location.to_string(),
            instances: s.instances,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuntimeReport {
    pub workers: usize,
    pub busy_ratio: f64,
    pub max_poll_us: u64,
}

impl Report {
    /// The report of what `model` holds now.
    #[must_use]
    pub fn from_model(
        model: &Model,
        warnings: Vec<WarningReport>,
        resources: Vec<ResourceReport>,
    ) -> Self {
        let totals = model.totals();
        let alive = model
            .tasks()
            .filter(|t| t.state() != TaskState::Done)
            .count() as u64;
        Self {
            source: model.source().clone(),
            duration_ms: model.elapsed_ns() / 1_000_000,
            tasks: TaskCounts {
                spawned: totals.spawned,
                alive,
                completed: totals.completed,
            },
            warnings,
            resources,
            runtime: RuntimeReport {
                workers: model.runtime().worker_count(),
                busy_ratio: model.runtime().busy_ratio_overall(),
                max_poll_us: totals.longest_poll_ns / 1000,
            },
            dropped_events: totals.dropped_events,
            connection: model.connection().map(|c| ConnectionReport {
                target: c.target.clone(),
                state: c.state.clone(),
                ever_connected: c.ever_connected,
                disconnected: matches!(c.state, ConnectionState::Disconnected { .. }),
                disconnects: c.disconnects,
            }),
        }
    }

    /// The report with the warnings of the lints `lints` enables and every
    /// resource the model has seen.
    #[must_use]
    pub fn diagnose(model: &Model, lints: &LintConfig) -> Self {
        let warnings = lints.check(model).iter().map(WarningReport::from).collect();
        let resources = model
            .resource_summaries()
            .iter()
            .map(ResourceReport::from)
            .collect();
        Self::from_model(model, warnings, resources)
    }

    /// One line for the terminal after a headless run.
    #[must_use]
    pub fn summary_line(&self) -> String {
        format!(
            "{} {}: {} ms, {} spawned, {} completed, {} alive, {} warnings, {} dropped",
            self.source.kind,
            self.source.name,
            self.duration_ms,
            self.tasks.spawned,
            self.tasks.completed,
            self.tasks.alive,
            self.warnings.len(),
            self.dropped_events
        )
    }
}
