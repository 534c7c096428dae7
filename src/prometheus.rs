//! `--prometheus ADDR`: the watched runtime's figures for Prometheus.
//!
//! The exporter's recorder is never installed as the process's global
//! `metrics` recorder (the live source owns that one, for the demos' own
//! figures). It is fed through `metrics::with_local_recorder` from a tap
//! on the feed, so it works the same under the TUI and headless, and its
//! HTTP listener serves `GET /metrics` on the UI's runtime.

use std::net::SocketAddr;

use metrics::{counter, describe_counter, describe_gauge, gauge, with_local_recorder};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusRecorder};
use tokio::sync::mpsc;

use crate::commands::InputError;
use crate::feed::{Batch, Event, Feed};
use crate::model::RuntimeState;

/// Batches the tap may hold before the consumer takes them (as the source's own channel).
const TAP_CAPACITY: usize = 64;

/// A recorder with an HTTP listener serving it.
pub struct Exporter {
    recorder: PrometheusRecorder,
}

impl Exporter {
    /// Binds `addr` now (so a taken port fails at start-up) and serves it
    /// on the current tokio runtime.
    pub fn start(addr: SocketAddr) -> Result<Self, InputError> {
        let (recorder, serve) = PrometheusBuilder::new()
            .with_http_listener(addr)
            .build()
            .map_err(|e| InputError(format!("--prometheus {addr}: {e}")))?;
        // It ends only on an accept error; printing would garble the TUI.
        tokio::spawn(async move {
            let _ = serve.await;
        });
        with_local_recorder(&recorder, describe);
        Ok(Self { recorder })
    }

    /// A feed that passes every batch of `feed` on, unchanged, after
    /// updating the figures from it.
    #[must_use]
    pub fn tap(self, feed: Feed) -> Feed {
        let Feed {
            mut batches,
            commands,
        } = feed;
        let (tx, rx) = mpsc::channel(TAP_CAPACITY);
        tokio::spawn(async move {
            let mut figures = Figures::default();
            while let Some(batch) = batches.recv().await {
                figures.apply(&batch);
                with_local_recorder(&self.recorder, || figures.publish());
                if tx.send(batch).await.is_err() {
                    break;
                }
            }
        });
        Feed {
            batches: rx,
            commands,
        }
    }
}

/// What is exported, counted from the events (not from the model, whose
/// retained tasks a second copy would double).
#[derive(Default)]
struct Figures {
    spawned: u64,
    completed: u64,
    dropped: u64,
    runtime: RuntimeState,
}

impl Figures {
    fn apply(&mut self, batch: &Batch) {
        for event in batch {
            match event {
                Event::SessionStarted { .. } => *self = Figures::default(),
                Event::TaskSpawned { .. } => self.spawned += 1,
                Event::TaskTerminated { .. } => self.completed += 1,
                Event::Dropped { count } => self.dropped += count,
                Event::Runtime(sample) => self.runtime.record(sample),
                _ => {}
            }
        }
    }

    #[allow(clippy::cast_precision_loss)] // gauges are f64
    fn publish(&self) {
        counter!("taskscope_tasks_spawned_total").absolute(self.spawned);
        counter!("taskscope_tasks_completed_total").absolute(self.completed);
        counter!("taskscope_dropped_events_total").absolute(self.dropped);
        gauge!("taskscope_tasks_alive").set(self.spawned.saturating_sub(self.completed) as f64);
        let workers = self.runtime.workers();
        gauge!("taskscope_workers").set(workers.len() as f64);
        let mut busy = 0.0;
        for (i, w) in workers.iter().enumerate() {
            gauge!("taskscope_worker_busy_ratio", "worker" => i.to_string()).set(w.busy_ratio);
            busy += w.busy_ratio;
        }
        if !workers.is_empty() {
            gauge!("taskscope_busy_ratio").set(busy / workers.len() as f64);
        }
        if let Some(sample) = self.runtime.latest() {
            gauge!("taskscope_global_queue_depth").set(sample.global_queue as f64);
            let polls: u64 = sample.workers.iter().map(|w| w.polls).sum();
            counter!("taskscope_polls_total").absolute(polls);
        }
    }
}

fn describe() {
    describe_counter!(
        "taskscope_tasks_spawned_total",
        "Tasks spawned in this session."
    );
    describe_counter!("taskscope_tasks_completed_total", "Tasks that terminated.");
    describe_counter!(
        "taskscope_dropped_events_total",
        "Events the source had to drop."
    );
    describe_gauge!("taskscope_tasks_alive", "Tasks spawned and not terminated.");
    describe_gauge!("taskscope_workers", "Worker threads of the runtime.");
    describe_gauge!(
        "taskscope_worker_busy_ratio",
        "Share of the last interval each worker spent polling (0 to 1)."
    );
    describe_gauge!(
        "taskscope_busy_ratio",
        "Share of the last interval all workers together spent polling (0 to 1)."
    );
    describe_gauge!(
        "taskscope_global_queue_depth",
        "Tasks waiting in the runtime's global queue."
    );
    describe_counter!("taskscope_polls_total", "Polls by all workers.");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::{RuntimeSample, WorkerSample};

    fn sample(at: u64, busy_ns: u64, polls: u64) -> Event {
        Event::Runtime(RuntimeSample {
            at,
            workers: vec![WorkerSample {
                busy_ns,
                polls,
                ..WorkerSample::default()
            }],
            global_queue: 3,
            ..RuntimeSample::default()
        })
    }

    #[test]
    fn figures_render_as_prometheus_text() {
        let recorder = PrometheusBuilder::new().build_recorder();
        let mut figures = Figures::default();
        let spawn = |id| Event::TaskSpawned {
            id,
            parent: None,
            location: "a.rs:1:1".into(),
            name: None,
            at: 0,
        };
        figures.apply(&vec![
            spawn(1),
            spawn(2),
            Event::TaskTerminated { id: 1, at: 5 },
            sample(0, 0, 0),
            sample(1_000_000_000, 500_000_000, 40),
            Event::Dropped { count: 7 },
        ]);
        with_local_recorder(&recorder, || figures.publish());
        let text = recorder.handle().render();
        for line in [
            "taskscope_tasks_alive 1",
            "taskscope_tasks_spawned_total 2",
            "taskscope_dropped_events_total 7",
            "taskscope_busy_ratio 0.5",
            "taskscope_worker_busy_ratio{worker=\"0\"} 0.5",
            "taskscope_global_queue_depth 3",
            "taskscope_polls_total 40",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing:\n{text}");
        }
    }
}
