//! A real multi-thread runtime with 2 workers that counts spawned tasks,
//! and ways to run a demo on it.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use taskscope_demos::{find, run_rounds, Demo, RoundReport, Settings};
use tokio::runtime::Runtime;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

/// Longest a test lets a demo run.
pub const BUDGET: Duration = Duration::from_secs(2);

pub struct TestRuntime {
    pub rt: Runtime,
    spawned: Arc<AtomicU64>,
}

impl TestRuntime {
    pub fn new() -> Self {
        Self::build(|_| {})
    }

    /// A runtime whose worker threads report metrics to a recorder of their
    /// own, so tests running side by side do not mix their figures.
    pub fn metered() -> (Self, Snapshotter) {
        let recorder: &'static DebuggingRecorder = Box::leak(Box::new(DebuggingRecorder::new()));
        let snapshotter = recorder.snapshotter();
        let rt = Self::build(|builder| {
            builder.on_thread_start(move || {
                // Kept for the thread's whole life: the recorder is static.
                std::mem::forget(metrics::set_default_local_recorder(recorder));
            });
        });
        (rt, snapshotter)
    }

    fn build(configure: impl FnOnce(&mut tokio::runtime::Builder)) -> Self {
        let spawned = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&spawned);
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder
            .worker_threads(2)
            .enable_all()
            .on_task_spawn(move |_| {
                counter.fetch_add(1, Ordering::Relaxed);
            });
        configure(&mut builder);
        let rt = builder.build().expect("runtime");
        Self { rt, spawned }
    }

    pub fn spawned(&self) -> u64 {
        self.spawned.load(Ordering::Relaxed)
    }

    pub fn alive(&self) -> usize {
        self.rt.handle().metrics().num_alive_tasks()
    }

    /// Runs one round as the runner does (spawned as a task) and returns its
    /// report and the tasks it spawned (the round's own task not counted).
    pub fn round(
        &self,
        demo: &Arc<dyn Demo>,
        settings: &Settings,
        round: u64,
    ) -> (RoundReport, u64) {
        let before = self.spawned();
        let report = self
            .rt
            .block_on(async {
                tokio::time::timeout(BUDGET, tokio::spawn(demo.round(settings, round))).await
            })
            .expect("round ends within the budget")
            .expect("round does not panic");
        (report, self.spawned() - before - 1)
    }

    /// Lets the tasks a round aborted or finished leave the runtime.
    pub fn settle(&self) {
        self.rt
            .block_on(async { tokio::time::sleep(Duration::from_millis(100)).await });
    }

    /// Runs `settings.rounds` rounds through `run_rounds`, within the budget.
    pub fn run(&self, demo: Arc<dyn Demo>, settings: Settings) -> Vec<RoundReport> {
        let (_settings_tx, settings_rx) = watch::channel(settings);
        let (tx, mut rx) = mpsc::unbounded_channel();
        let stop = CancellationToken::new();
        self.rt
            .block_on(async {
                tokio::time::timeout(BUDGET, run_rounds(demo, settings_rx, stop, Some(tx))).await
            })
            .expect("rounds end within the budget");
        let mut reports = Vec::new();
        while let Ok((_, report)) = rx.try_recv() {
            reports.push(report);
        }
        reports
    }
}

impl TestRuntime {
    /// Runs rounds until a CancellationToken stops them after `after`;
    /// returns how many rounds completed.
    pub fn run_until_stopped(
        &self,
        demo: Arc<dyn Demo>,
        settings: Settings,
        after: Duration,
    ) -> usize {
        let (_settings_tx, settings_rx) = watch::channel(settings);
        let (tx, mut rx) = mpsc::unbounded_channel();
        let stop = CancellationToken::new();
        let stopper = stop.clone();
        self.rt
            .block_on(async {
                tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    stopper.cancel();
                });
                tokio::time::timeout(BUDGET, run_rounds(demo, settings_rx, stop, Some(tx))).await
            })
            .expect("rounds stop within the budget");
        let mut rounds = 0;
        while rx.try_recv().is_ok() {
            rounds += 1;
        }
        rounds
    }
}

/// The demo's default settings, with the variant and a round count.
pub fn settings(demo: &Arc<dyn Demo>, fixed: bool, rounds: u64) -> Settings {
    let mut s = Settings::new(demo.info().knobs);
    s.fixed = fixed;
    s.rounds = rounds;
    s
}

pub fn demo(name: &str) -> Arc<dyn Demo> {
    find(name).expect("demo in the catalog")
}

/// The figures recorded since the last snapshot: counters and gauges by
/// name (gauges as their value), histograms as their largest sample.
pub fn figures(snapshotter: &Snapshotter) -> std::collections::HashMap<String, f64> {
    snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value)| {
            let value = match value {
                DebugValue::Counter(n) => n as f64,
                DebugValue::Gauge(g) => g.into_inner(),
                DebugValue::Histogram(samples) => samples
                    .iter()
                    .map(|s| s.into_inner())
                    .fold(f64::NAN, f64::max),
            };
            (key.key().name().to_owned(), value)
        })
        .collect()
}
