//! The rows of the resources table: one per resource name (instances made
//! anew each round add up, as in the report), with what its live
//! instances hold and wait for now; sorted and filtered as the user asks.

use std::sync::Arc;

use crate::feed::{Nanos, ResourceKind, TaskId};
use crate::model::{Model, Resource, ResourceStats};

/// A resource as the table names it: all instances of a kind and a name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceKey {
    pub kind: ResourceKind,
    pub name: Arc<str>,
}

impl ResourceKey {
    #[must_use]
    pub fn of(r: &Resource) -> Self {
        Self {
            kind: r.kind,
            name: r.name.clone(),
        }
    }
}

/// A column of the resources table, in display order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ResourceColumn {
    Name,
    Kind,
    Capacity,
    InUse,
    /// Waiting now, then the most ever.
    Waiters,
    AcquisitionsPerS,
    WaitP50,
    WaitP99,
    HoldP50,
    HoldP99,
    #[default]
    TotalWait,
}

impl ResourceColumn {
    pub const ALL: [ResourceColumn; 11] = [
        ResourceColumn::Name,
        ResourceColumn::Kind,
        ResourceColumn::Capacity,
        ResourceColumn::InUse,
        ResourceColumn::Waiters,
        ResourceColumn::AcquisitionsPerS,
        ResourceColumn::WaitP50,
        ResourceColumn::WaitP99,
        ResourceColumn::HoldP50,
        ResourceColumn::HoldP99,
        ResourceColumn::TotalWait,
    ];

    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            ResourceColumn::Name => "Name",
            ResourceColumn::Kind => "Kind",
            ResourceColumn::Capacity => "Cap",
            ResourceColumn::InUse => "In use",
            ResourceColumn::Waiters => "Waiters",
            ResourceColumn::AcquisitionsPerS => "Acq/s",
            ResourceColumn::WaitP50 => "Wait p50",
            ResourceColumn::WaitP99 => "Wait p99",
            ResourceColumn::HoldP50 => "Hold p50",
            ResourceColumn::HoldP99 => "Hold p99",
            ResourceColumn::TotalWait => "Total wait",
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }

    /// The column to the right, wrapping around.
    #[must_use]
    pub fn next(self) -> Self {
        Self::ALL[(self.index() + 1) % Self::ALL.len()]
    }

    /// The column to the left, wrapping around.
    #[must_use]
    pub fn prev(self) -> Self {
        Self::ALL[(self.index() + Self::ALL.len() - 1) % Self::ALL.len()]
    }

    /// Figures largest first; names in order.
    #[must_use]
    pub fn descending_by_default(self) -> bool {
        !matches!(self, ResourceColumn::Name | ResourceColumn::Kind)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ResourceSort {
    pub column: ResourceColumn,
    pub descending: bool,
}

impl Default for ResourceSort {
    /// Ranked by total wait: where tasks lost the most time.
    fn default() -> Self {
        Self {
            column: ResourceColumn::TotalWait,
            descending: true,
        }
    }
}

/// One line of the table.
#[derive(Clone, Debug)]
pub struct ResourceRow {
    pub key: ResourceKey,
    /// Where the first instance was created.
    pub location: Arc<str>,
    /// Of the latest instance; None: no limit.
    pub capacity: Option<u64>,
    pub in_use: u64,
    pub waiting: u64,
    pub max_waiters: u64,
    pub acquisitions: u64,
    pub acquisitions_per_s: f64,
    pub live_instances: u64,
    pub instances: u64,
    pub stats: ResourceStats,
    /// Microseconds every acquisition waited, plus the waits going on now
    /// (a waiter that never gets through counts too).
    pub total_wait_us: u64,
}

/// Every resource the model has seen, one row per kind and name, in the
/// order of kind and name.
#[must_use]
pub fn resource_rows(model: &Model) -> Vec<ResourceRow> {
    let now = model.now();
    model
        .resource_summaries()
        .into_iter()
        .map(|s| {
            let key = ResourceKey {
                kind: s.kind,
                name: s.name.clone(),
            };
            let live: Vec<&Resource> = live_instances(model, &key).collect();
            let ongoing_wait_us: u64 = live
                .iter()
                .flat_map(|r| r.waiters())
                .map(|w| now.saturating_sub(w.since) / 1000)
                .sum();
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let recorded_wait_us = (s.stats.wait_us.mean() * s.stats.wait_us.len() as f64) as u64;
            ResourceRow {
                location: s.location.clone(),
                capacity: s.capacity,
                in_use: live.iter().map(|r| r.in_use()).sum(),
                waiting: live.iter().map(|r| r.waiters().len() as u64).sum(),
                max_waiters: s.stats.max_waiters,
                acquisitions: s.stats.acquisitions,
                acquisitions_per_s: live.iter().map(|r| r.acquisitions_per_s(now)).sum(),
                live_instances: live.len() as u64,
                instances: s.instances,
                total_wait_us: recorded_wait_us.saturating_add(ongoing_wait_us),
                stats: s.stats,
                key,
            }
        })
        .collect()
}

/// The instances of `key` not dropped yet.
pub fn live_instances<'a>(
    model: &'a Model,
    key: &'a ResourceKey,
) -> impl Iterator<Item = &'a Resource> + 'a {
    model
        .resources()
        .filter(move |r| r.dropped_at.is_none() && r.kind == key.kind && r.name == key.name)
}

/// The rows `filter` keeps, sorted by `sort` (ties by kind and name).
#[must_use]
pub fn sorted_rows(
    model: &Model,
    sort: ResourceSort,
    matches: impl Fn(&[&str]) -> bool,
) -> Vec<ResourceRow> {
    let mut rows: Vec<ResourceRow> = resource_rows(model)
        .into_iter()
        .filter(|r| matches(&[&r.key.name, r.key.kind.label(), &r.location]))
        .collect();
    rows.sort_by(|a, b| {
        let order = compare(sort.column, a, b);
        let order = if sort.descending {
            order.reverse()
        } else {
            order
        };
        order.then_with(|| a.key.cmp(&b.key))
    });
    rows
}

fn compare(column: ResourceColumn, a: &ResourceRow, b: &ResourceRow) -> std::cmp::Ordering {
    match column {
        ResourceColumn::Name => a.key.name.cmp(&b.key.name),
        ResourceColumn::Kind => a.key.kind.label().cmp(b.key.kind.label()),
        // No limit sorts above any limit.
        ResourceColumn::Capacity => a
            .capacity
            .unwrap_or(u64::MAX)
            .cmp(&b.capacity.unwrap_or(u64::MAX)),
        ResourceColumn::InUse => a.in_use.cmp(&b.in_use),
        ResourceColumn::Waiters => (a.waiting, a.max_waiters).cmp(&(b.waiting, b.max_waiters)),
        ResourceColumn::AcquisitionsPerS => a.acquisitions_per_s.total_cmp(&b.acquisitions_per_s),
        ResourceColumn::WaitP50 => a.stats.wait_p50_us().cmp(&b.stats.wait_p50_us()),
        ResourceColumn::WaitP99 => a.stats.wait_p99_us().cmp(&b.stats.wait_p99_us()),
        ResourceColumn::HoldP50 => a.stats.hold_p50_us().cmp(&b.stats.hold_p50_us()),
        ResourceColumn::HoldP99 => a.stats.hold_p99_us().cmp(&b.stats.hold_p99_us()),
        ResourceColumn::TotalWait => a.total_wait_us.cmp(&b.total_wait_us),
    }
}

/// Who holds or waits for a resource now, for its detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Party {
    pub task: Option<TaskId>,
    /// None: waits.
    pub amount: Option<u32>,
    pub since: Nanos,
}

/// Holders (oldest first), then waiters (oldest first), across the live
/// instances of `key`: the lines of the resource detail a cursor walks.
#[must_use]
pub fn parties(model: &Model, key: &ResourceKey) -> (Vec<Party>, Vec<Party>) {
    let mut holders = Vec::new();
    let mut waiters = Vec::new();
    for r in live_instances(model, key) {
        holders.extend(r.holders().iter().map(|h| Party {
            task: h.task,
            amount: Some(h.amount),
            since: h.since,
        }));
        waiters.extend(r.waiters().iter().map(|w| Party {
            task: w.task,
            amount: None,
            since: w.since,
        }));
    }
    holders.sort_by_key(|p| (p.since, p.task));
    waiters.sort_by_key(|p| (p.since, p.task));
    (holders, waiters)
}

/// The tasks the detail's cursor walks, in order (None: outside any task).
#[must_use]
pub fn party_links(model: &Model, key: &ResourceKey) -> Vec<Option<TaskId>> {
    let (holders, waiters) = parties(model, key);
    holders.iter().chain(&waiters).map(|p| p.task).collect()
}

/// What the resources tab looks at: sort, selection, filter, the detail.
#[derive(Clone, Debug, Default)]
pub struct ResourcesView {
    pub sort: ResourceSort,
    pub selected: Option<ResourceKey>,
    /// Where the selection was, for when its row goes away.
    pub selected_hint: usize,
    pub filter: super::TaskFilter,
    /// The resource whose detail is open.
    pub detail: Option<ResourceKey>,
    /// The highlighted holder or waiter in the detail.
    pub link: usize,
}

impl ResourcesView {
    /// The rows as shown: filtered and sorted.
    #[must_use]
    pub fn rows(&self, model: &Model) -> Vec<ResourceRow> {
        sorted_rows(model, self.sort, |fields| self.filter.matches_text(fields))
    }

    /// The selected row's index in `rows`: the selected resource if it is
    /// there, else the row where it was, else none.
    #[must_use]
    pub fn selected_row(&self, rows: &[ResourceRow]) -> Option<usize> {
        let selected = self.selected.as_ref()?;
        let last = rows.len().checked_sub(1)?;
        Some(
            rows.iter()
                .position(|r| &r.key == selected)
                .unwrap_or_else(|| self.selected_hint.min(last)),
        )
    }
}
