//! A real multi-thread runtime with 2 workers that counts spawned tasks,
//! and ways to run a demo on it.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

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
        let spawned = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&spawned);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .on_task_spawn(move |_| {
                counter.fetch_add(1, Ordering::Relaxed);
            })
            .build()
            .expect("runtime");
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
