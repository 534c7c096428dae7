//! One measurement, in its own process: `taskscope bench-child ...`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use taskscope_probe::Probe;

use super::configs::Config;
use super::console::{self, ConsoleWatcher};
use super::proc_stats;
use super::workloads::{expected_tasks, Spawner, Workload};
use crate::engine::probe::ProbeCollector;
use crate::model::{Model, ModelConfig};

/// What is measured: a synthetic workload, or a demo for a fixed time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Workload(Workload),
    /// A demo's broken variant, run for `secs`.
    Demo {
        name: String,
        secs: u64,
    },
}

impl Target {
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Target::Workload(w) => w.name().to_owned(),
            Target::Demo { name, .. } => format!("demo:{name}"),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    pub wall_ns: u64,
    pub cpu_ns: u64,
    pub peak_rss_bytes: u64,
    /// Tasks the workload spawned (known for synthetic workloads).
    pub spawned: Option<u64>,
    /// Tasks the observer saw (probe: spawn events in the model).
    pub seen: Option<u64>,
    /// Events the observer dropped.
    pub dropped: Option<u64>,
    /// The model's bytes per retained task (probe), see `Model::task_bytes`.
    pub model_bytes_per_task: Option<u64>,
}

/// Runs `target` under `config` in this process and measures it.
pub fn measure(
    target: &Target,
    config: Config,
    scale: f64,
    workers: usize,
) -> anyhow::Result<Measurement> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.worker_threads(workers).enable_all();
    let probe = matches!(config, Config::Probe | Config::ProbeSched).then(Probe::new);
    if let Some(p) = &probe {
        p.instrument(&mut builder);
    }
    if config == Config::ProbeSched {
        builder.track_task_schedule_latency();
    }
    let console = console::install(config)?;
    let runtime = builder.build()?;
    let collector = probe.map(CollectorThread::start);
    let spawner = match config {
        Config::TokioMetrics => Spawner::Monitored(tokio_metrics::TaskMonitor::new()),
        _ => Spawner::Plain,
    };
    let start = Instant::now();
    match target {
        Target::Workload(w) => runtime.block_on(w.run(scale, spawner)),
        Target::Demo { name, secs } => runtime.block_on(run_demo(name, *secs))?,
    }
    let wall = start.elapsed();
    let model = collector.map(CollectorThread::finish);
    let cpu_ns = proc_stats::cpu_ns().unwrap_or(0);
    let peak_rss_bytes = proc_stats::peak_rss_bytes().unwrap_or(0);
    // The console client's model: what a client was sent (tasks, drops).
    let watched = console.and_then(ConsoleWatcher::finish);
    let observer = model.as_ref().or(watched.as_ref());
    drop(runtime);
    Ok(Measurement {
        wall_ns: u64::try_from(wall.as_nanos()).unwrap_or(u64::MAX),
        cpu_ns,
        peak_rss_bytes,
        spawned: match target {
            Target::Workload(w) => Some(expected_tasks(*w, scale)),
            Target::Demo { .. } => None,
        },
        seen: observer.map(|m| m.totals().spawned),
        dropped: observer.map(|m| m.totals().dropped_events),
        model_bytes_per_task: model.as_ref().and_then(|m| {
            let retained = m.tasks().count() as u64;
            (retained > 0).then(|| m.task_bytes() as u64 / retained)
        }),
    })
}

async fn run_demo(name: &str, secs: u64) -> anyhow::Result<()> {
    let demo = taskscope_demos::find(name)?;
    let settings = taskscope_demos::Settings::new(demo.info().knobs);
    let (_tx, rx) = tokio::sync::watch::channel(settings);
    let stop = tokio_util::sync::CancellationToken::new();
    let runner = tokio::spawn(taskscope_demos::run_rounds(demo, rx, stop.clone(), None));
    tokio::time::sleep(Duration::from_secs(secs)).await;
    stop.cancel();
    let _ = runner.await;
    Ok(())
}

/// The probe's collector as the dashboard runs it: drain every 100 ms into
/// a model that retains every task (so memory per task shows).
struct CollectorThread {
    stop: Arc<AtomicBool>,
    handle: std::thread::JoinHandle<Model>,
}

impl CollectorThread {
    fn start(probe: Probe) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut collector = ProbeCollector::new(probe);
            let mut model = Model::new(ModelConfig {
                retain_ns: 3_600_000_000_000,
            });
            let mut batch = Vec::new();
            loop {
                let last = flag.load(Ordering::Acquire);
                if !last {
                    std::thread::sleep(Duration::from_millis(100));
                }
                collector.collect(&mut batch);
                model.apply_all(&batch);
                batch.clear();
                if last {
                    // Held-back events get one more pass.
                    collector.collect(&mut batch);
                    model.apply_all(&batch);
                    return model;
                }
            }
        });
        Self { stop, handle }
    }

    fn finish(self) -> Model {
        self.stop.store(true, Ordering::Release);
        self.handle
            .join()
            .unwrap_or_else(|_| Model::new(ModelConfig::default()))
    }
}
