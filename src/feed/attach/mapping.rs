//! console-api updates -> feed events. Pure and synchronous, so it is
//! tested with hand-made messages and shared by attach and the in-process
//! console engine.
//!
//! Ids: the target keys tasks by tracing span id; the feed uses tokio's own
//! task id (the `task.id` field), falling back to the span id.
//! Sessions: every new stream starts with a full snapshot of what the target
//! retains. If that snapshot shares a task (same id, same creation time) with
//! what was known, it is the same process and the session goes on;
//! otherwise the target restarted and a new session starts.

use std::collections::HashMap;
use std::sync::Arc;

use console_api::field::{Name, Value};
use console_api::instrument::Update;
use console_api::tasks::{Stats, Task, TaskUpdate};
use console_api::Field;

use crate::feed::{Batch, ConsoleTaskStats, Event, Nanos, SourceInfo, TaskId};
use crate::model::LocationInterner;

/// Turns one stream of updates after another into feed events.
pub struct UpdateMapper {
    source: SourceInfo,
    /// The session's zero, in ns since the Unix epoch on the target's clock.
    base: Option<u64>,
    /// The next update is the first of a new stream.
    stream_start: bool,
    span_to_task: HashMap<u64, TaskId>,
    /// Alive tasks and their creation time (Unix ns), to recognise the
    /// same process after a reconnect.
    alive: HashMap<TaskId, u64>,
    locations: LocationInterner,
}

impl UpdateMapper {
    #[must_use]
    pub fn new(source: SourceInfo) -> Self {
        Self {
            source,
            base: None,
            stream_start: true,
            span_to_task: HashMap::new(),
            alive: HashMap::new(),
            locations: LocationInterner::default(),
        }
    }

    /// A new stream begins (after a connect or reconnect).
    pub fn new_stream(&mut self) {
        self.stream_start = true;
    }

    /// Events for one update, in order.
    pub fn map(&mut self, update: &Update) -> Batch {
        let mut out = Vec::new();
        let now = update.now.as_ref().map_or(0, unix_ns);
        let tasks = update.task_update.as_ref();
        let new_tasks: &[Task] = tasks.map_or(&[], |t| &t.new_tasks);
        let stats = |span: u64| tasks.and_then(|t| t.stats_update.get(&span));
        if std::mem::take(&mut self.stream_start) {
            self.start_stream(now, tasks, &mut out);
        }
        let base = self.base.unwrap_or(now);
        for task in new_tasks {
            let Some(span) = task.id.as_ref().map(|i| i.id) else {
                continue;
            };
            let id = tokio_task_id(task).unwrap_or(span);
            self.span_to_task.insert(span, id);
            if self.alive.contains_key(&id) {
                continue; // re-sent after a reconnect to the same process
            }
            let created = stats(span)
                .and_then(|s| s.created_at.as_ref())
                .map_or(now, unix_ns);
            self.alive.insert(id, created);
            out.push(Event::TaskSpawned {
                id,
                parent: None, // the protocol has no spawn tree
                location: self.location(task),
                name: field_str(&task.fields, "task.name")
                    .filter(|n| !n.is_empty())
                    .map(Arc::from),
                at: created.saturating_sub(base),
            });
            out.push(Event::TaskMeta {
                id,
                kind: Arc::from(kind(task)),
                fields: other_fields(&task.fields),
            });
        }
        if let Some(t) = tasks {
            let mut changed: Vec<(TaskId, u64, &Stats)> = t
                .stats_update
                .iter()
                .filter_map(|(span, s)| Some((*self.span_to_task.get(span)?, *span, s)))
                .collect();
            changed.sort_unstable_by_key(|(id, _, _)| *id);
            for (id, span, s) in changed {
                let stats = convert_stats(s, base);
                if stats.dropped_at.is_some() {
                    self.alive.remove(&id);
                    self.span_to_task.remove(&span);
                }
                out.push(Event::TaskStats {
                    id,
                    stats: Box::new(stats),
                });
            }
        }
        let dropped = tasks.map_or(0, |t| t.dropped_events)
            + update
                .resource_update
                .as_ref()
                .map_or(0, |r| r.dropped_events)
            + update
                .async_op_update
                .as_ref()
                .map_or(0, |a| a.dropped_events);
        if dropped > 0 {
            out.push(Event::Dropped { count: dropped });
        }
        out.push(Event::Tick {
            at: now.saturating_sub(base),
        });
        out
    }

    fn start_stream(&mut self, now: u64, tasks: Option<&TaskUpdate>, out: &mut Batch) {
        let snapshot: HashMap<TaskId, u64> = tasks
            .map_or(&[][..], |t| &t.new_tasks)
            .iter()
            .filter_map(|t| {
                let span = t.id.as_ref()?.id;
                let stats = tasks?.stats_update.get(&span)?;
                let created = stats.created_at.as_ref().map(unix_ns)?;
                Some((tokio_task_id(t).unwrap_or(span), created))
            })
            .collect();
        if self.base.is_some() && same_process(&self.alive, &snapshot) {
            // Tasks we knew that the target no longer retains ended meanwhile.
            let base = self.base.unwrap_or(now);
            let mut gone: Vec<TaskId> = self
                .alive
                .keys()
                .filter(|id| !snapshot.contains_key(id))
                .copied()
                .collect();
            gone.sort_unstable();
            for id in gone {
                self.alive.remove(&id);
                out.push(Event::TaskTerminated {
                    id,
                    at: now.saturating_sub(base),
                });
            }
            return;
        }
        // A new target (or the first connection): a new session, whose zero
        // is the earliest time the snapshot mentions.
        let base = snapshot.values().copied().min().unwrap_or(now).min(now);
        self.base = Some(base);
        self.span_to_task.clear();
        self.alive.clear();
        out.push(Event::SessionStarted {
            source: self.source.clone(),
            at: now.saturating_sub(base),
        });
    }

    fn location(&mut self, task: &Task) -> Arc<str> {
        let Some(loc) = task.location.as_ref() else {
            return self.locations.intern("<unknown>");
        };
        let file = loc.file.as_deref().unwrap_or("<unknown>");
        let text = match (loc.line, loc.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.to_owned(),
        };
        self.locations.intern(&text)
    }
}

/// The snapshot shares at least one task, created at the same instant, with
/// what was alive before: the same process.
#[must_use]
pub fn same_process(known: &HashMap<TaskId, u64>, snapshot: &HashMap<TaskId, u64>) -> bool {
    snapshot
        .iter()
        .any(|(id, created)| known.get(id) == Some(created))
}

fn tokio_task_id(task: &Task) -> Option<TaskId> {
    task.fields
        .iter()
        .find(|f| field_name(f) == Some("task.id"))
        .and_then(|f| match f.value.as_ref()? {
            Value::U64Val(v) => Some(*v),
            Value::I64Val(v) => u64::try_from(*v).ok(),
            Value::StrVal(s) | Value::DebugVal(s) => s.parse().ok(),
            Value::BoolVal(_) => None,
        })
}

fn kind(task: &Task) -> String {
    field_str(&task.fields, "kind").unwrap_or_else(
        || match console_api::tasks::task::Kind::try_from(task.kind) {
            Ok(console_api::tasks::task::Kind::Blocking) => "blocking".into(),
            _ => "task".into(),
        },
    )
}

fn field_name(f: &Field) -> Option<&str> {
    match f.name.as_ref()? {
        Name::StrName(s) => Some(s),
        // Indexes into metadata: console-subscriber never sends them.
        Name::NameIdx(_) => None,
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::StrVal(s) | Value::DebugVal(s) => s.clone(),
        Value::U64Val(n) => n.to_string(),
        Value::I64Val(n) => n.to_string(),
        Value::BoolVal(b) => b.to_string(),
    }
}

fn field_str(fields: &[Field], name: &str) -> Option<String> {
    fields
        .iter()
        .find(|f| field_name(f) == Some(name))
        .and_then(|f| f.value.as_ref())
        .map(value_text)
}

/// Fields other than the ones mapped to their own place.
fn other_fields(fields: &[Field]) -> Vec<(Arc<str>, String)> {
    fields
        .iter()
        .filter_map(|f| {
            let name = field_name(f)?;
            if matches!(name, "task.id" | "task.name" | "kind") {
                return None;
            }
            Some((Arc::from(name), value_text(f.value.as_ref()?)))
        })
        .collect()
}

fn unix_ns(ts: &prost_types::Timestamp) -> u64 {
    let secs = u64::try_from(ts.seconds).unwrap_or(0);
    let nanos = u64::try_from(ts.nanos).unwrap_or(0);
    secs.saturating_mul(1_000_000_000).saturating_add(nanos)
}

fn duration_ns(d: Option<&prost_types::Duration>) -> u64 {
    d.map_or(0, |d| {
        let secs = u64::try_from(d.seconds).unwrap_or(0);
        secs.saturating_mul(1_000_000_000)
            .saturating_add(u64::try_from(d.nanos).unwrap_or(0))
    })
}

fn convert_stats(s: &Stats, base: u64) -> ConsoleTaskStats {
    let at = |ts: Option<&prost_types::Timestamp>| -> Option<Nanos> {
        ts.map(|t| unix_ns(t).saturating_sub(base))
    };
    let poll = s.poll_stats.as_ref();
    ConsoleTaskStats {
        polls: poll.map_or(0, |p| p.polls),
        busy_ns: duration_ns(poll.and_then(|p| p.busy_time.as_ref())),
        scheduled_ns: duration_ns(s.scheduled_time.as_ref()),
        created_at: at(s.created_at.as_ref()).unwrap_or(0),
        first_poll: at(poll.and_then(|p| p.first_poll.as_ref())),
        last_poll_started: at(poll.and_then(|p| p.last_poll_started.as_ref())),
        last_poll_ended: at(poll.and_then(|p| p.last_poll_ended.as_ref())),
        dropped_at: at(s.dropped_at.as_ref()),
        last_wake: at(s.last_wake.as_ref()),
        wakes: s.wakes,
        waker_clones: s.waker_clones,
        waker_drops: s.waker_drops,
        self_wakes: s.self_wakes,
    }
}

#[cfg(test)]
mod tests;
