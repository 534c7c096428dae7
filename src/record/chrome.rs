//! A recording as Chrome trace-event JSON, which Perfetto and
//! chrome://tracing open: one track (thread) per task with a slice per
//! poll, and counters for the global queue depth and the alive tasks.
//! Each session of the recording (a demo switch starts one) is a process.

use std::collections::HashSet;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::{json, Value};

use super::tsrec::Recording;
use crate::feed::{Event, Nanos, SourceInfo, TaskId};

/// What went into a trace.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TraceSummary {
    pub tasks: usize,
    pub polls: u64,
}

/// One trace event; see the Trace Event Format document for the fields.
#[derive(Serialize)]
struct TraceEvent<'a> {
    name: &'a str,
    ph: &'a str,
    pid: u64,
    tid: TaskId,
    #[serde(skip_serializing_if = "Option::is_none")]
    ts: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dur: Option<f64>,
    args: Value,
}

/// Writes the whole recording as one JSON object to `out`.
pub fn write_trace(recording: &Recording, out: impl Write) -> io::Result<TraceSummary> {
    let mut trace = Trace {
        out: io::BufWriter::new(out),
        first: true,
        pid: 0,
        session_start: 0,
        tasks: HashSet::new(),
        summary: TraceSummary::default(),
    };
    trace
        .out
        .write_all(b"{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n")?;
    let starts_with_session = recording
        .frames
        .iter()
        .flat_map(|f| &f.events)
        .next()
        .is_some_and(|e| matches!(e, Event::SessionStarted { .. }));
    if !starts_with_session {
        trace.new_session(&recording.header.source, 0)?;
    }
    for event in recording.frames.iter().flat_map(|f| &f.events) {
        trace.event(event)?;
    }
    trace.out.write_all(b"\n]}\n")?;
    trace.out.flush()?;
    Ok(trace.summary)
}

struct Trace<W: Write> {
    out: W,
    first: bool,
    pid: u64,
    session_start: Nanos,
    /// Tasks with a track in this session.
    tasks: HashSet<TaskId>,
    summary: TraceSummary,
}

impl<W: Write> Trace<W> {
    fn event(&mut self, event: &Event) -> io::Result<()> {
        match event {
            Event::SessionStarted { source, at } => self.new_session(source, *at)?,
            Event::TaskSpawned {
                id, location, name, ..
            } => self.track(*id, name.as_deref(), Some(location))?,
            Event::TaskPolled {
                id,
                start,
                end,
                scheduled_ns,
                worker,
            } => {
                self.track(*id, None, None)?;
                self.summary.polls += 1;
                let args = json!({ "worker": worker, "scheduled_us": *scheduled_ns / 1000 });
                self.emit(
                    "poll",
                    "X",
                    *id,
                    Some(*start),
                    Some(end.saturating_sub(*start)),
                    args,
                )?;
            }
            Event::Runtime(sample) => {
                let at = Some(sample.at);
                let depth = json!({ "depth": sample.global_queue });
                self.emit("global queue", "C", 0, at, None, depth)?;
                let alive = json!({ "tasks": sample.alive_tasks });
                self.emit("alive tasks", "C", 0, at, None, alive)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn new_session(&mut self, source: &SourceInfo, at: Nanos) -> io::Result<()> {
        self.pid += 1;
        self.session_start = at;
        self.tasks.clear();
        let name = format!("{} {}", source.kind, source.name);
        self.emit("process_name", "M", 0, None, None, json!({ "name": name }))
    }

    /// Names the task's track the first time the task is seen.
    fn track(&mut self, id: TaskId, name: Option<&str>, location: Option<&str>) -> io::Result<()> {
        if !self.tasks.insert(id) {
            return Ok(());
        }
        self.summary.tasks += 1;
        let label = match (name, location) {
            (Some(name), _) => format!("task {id} {name}"),
            (None, Some(location)) => format!("task {id} {location}"),
            (None, None) => format!("task {id}"),
        };
        self.emit("thread_name", "M", id, None, None, json!({ "name": label }))?;
        // Tracks in spawn order rather than by name.
        self.emit(
            "thread_sort_index",
            "M",
            id,
            None,
            None,
            json!({ "sort_index": id }),
        )
    }

    fn emit(
        &mut self,
        name: &str,
        ph: &str,
        tid: TaskId,
        at: Option<Nanos>,
        dur: Option<Nanos>,
        args: Value,
    ) -> io::Result<()> {
        let event = TraceEvent {
            name,
            ph,
            pid: self.pid,
            tid,
            ts: at.map(|at| micros(at.saturating_sub(self.session_start))),
            dur: dur.map(micros),
            args,
        };
        if !self.first {
            self.out.write_all(b",\n")?;
        }
        self.first = false;
        serde_json::to_writer(&mut self.out, &event).map_err(io::Error::from)
    }
}

/// Trace times are microseconds; keep the nanoseconds as a fraction.
#[allow(clippy::cast_precision_loss)]
fn micros(ns: Nanos) -> f64 {
    ns as f64 / 1000.0
}
