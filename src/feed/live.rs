//! The live source: a demo running on a probe-instrumented tokio runtime.
//!
//! A dedicated thread owns the demo's runtime. Every interval it drains the
//! probe, samples the runtime's metrics and sends one batch; between
//! batches it carries out the app's commands (variant, knobs, demo switch).
//! Sending blocks when the app falls behind, so nothing is dropped: the
//! probe's buffers hold the events meanwhile.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use taskscope_demos::{Demo, Settings};
use taskscope_probe::Probe;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::engine::metrics_recorder::Metrics;
mod backlog;

use crate::engine::probe::ProbeCollector;
use crate::engine::runtime_sampler;
use crate::feed::{Batch, Command, Event, Feed, SourceInfo};

/// How to run a demo live.
#[derive(Clone)]
pub struct LiveOptions {
    pub demo: Arc<dyn Demo>,
    pub settings: Settings,
    pub workers: usize,
    /// How often a batch is delivered.
    pub interval: Duration,
    /// Measure how long each poll waited in a run queue (tokio's schedule
    /// latency): the Sched column beyond the first poll. Reads the clock on
    /// every wake, so it is off by default.
    pub schedule_latency: bool,
}

/// How long the source keeps reporting after the demo ran its
/// `settings.rounds` rounds, so that what the last rounds left behind is
/// seen for what it is: tasks that were about to end have ended, and the
/// ones that never will are older than the leaked-task grace period (250
/// ms by default). Without it, a run with `--rounds N` stopped at once and
/// reported only the leaks of the rounds that ended 250 ms before the last.
pub const SETTLE: Duration = Duration::from_millis(600);

/// Starts the demo on its own thread and returns the feed it produces.
/// The feed closes [`SETTLE`] after the demo has run `settings.rounds`
/// rounds (if set), or on `Command::Stop`, or when the receiver is dropped.
pub fn start(opts: LiveOptions) -> anyhow::Result<Feed> {
    // A short queue: when the app falls behind, the backlog waits in the
    // pump, where it can be thinned (see `backlog`), not here.
    let (batch_tx, batches) = mpsc::channel(4);
    let (commands, command_rx) = mpsc::unbounded_channel();
    let first = DemoRun::start(&opts)?;
    std::thread::Builder::new()
        .name("taskscope-live".into())
        .spawn(move || pump(opts, first, &batch_tx, command_rx))
        .context("cannot start the live source thread")?;
    Ok(Feed { batches, commands })
}

/// One demo on one instrumented runtime.
struct DemoRun {
    runtime: tokio::runtime::Runtime,
    collector: ProbeCollector,
    settings: watch::Sender<Settings>,
    stop: CancellationToken,
    finished: tokio::task::JoinHandle<()>,
    source: SourceInfo,
    metrics: Option<Metrics>,
}

impl DemoRun {
    fn start(opts: &LiveOptions) -> anyhow::Result<Self> {
        let probe = Probe::new();
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder
            .worker_threads(opts.workers.max(1))
            .thread_name("demo-worker")
            .enable_all();
        if opts.schedule_latency {
            builder.track_task_schedule_latency();
        }
        let runtime = probe
            .instrument(&mut builder)
            .build()
            .context("cannot build the demo runtime")?;
        // One recorder per process; a new demo starts with no series.
        let metrics = Metrics::install();
        if let Some(m) = &metrics {
            m.clear();
        }
        let (settings, settings_rx) = watch::channel(opts.settings.clone());
        let stop = CancellationToken::new();
        let finished = runtime.spawn(taskscope_demos::run_rounds(
            opts.demo.clone(),
            settings_rx,
            stop.clone(),
            None,
        ));
        let source = source_info(opts.demo.as_ref(), &opts.settings);
        let mut collector = ProbeCollector::new(probe);
        collector.set_worker_threads(&runtime_sampler::worker_threads(runtime.handle()));
        Ok(Self {
            runtime,
            collector,
            settings,
            stop,
            finished,
            source,
            metrics,
        })
    }

    fn now(&self) -> u64 {
        self.collector.probe().clock().now_ns()
    }

    /// Everything since the last batch.
    fn batch(&mut self) -> Batch {
        let mut batch = Vec::new();
        // Workers register with the probe lazily: refresh the mapping.
        self.collector
            .set_worker_threads(&runtime_sampler::worker_threads(self.runtime.handle()));
        self.collector.collect(&mut batch);
        let at = self.now();
        batch.push(self.collector.polls_in_progress(at));
        batch.push(Event::Runtime(runtime_sampler::sample(
            self.runtime.handle(),
            at,
        )));
        if let Some(m) = &self.metrics {
            batch.push(Event::Metrics {
                at,
                series: m.read(),
            });
        }
        batch.push(Event::Tick { at });
        batch
    }

    fn update(&mut self, demo: &dyn Demo, f: impl FnOnce(&mut Settings)) -> Event {
        self.settings.send_modify(f);
        self.source = source_info(demo, &self.settings.borrow());
        Event::SourceUpdated {
            source: self.source.clone(),
        }
    }

    /// Stops the demo; tasks that ignore the stop (leaks, hung calls) are
    /// dropped with the runtime after a short grace period.
    fn shutdown(self) {
        self.stop.cancel();
        self.runtime.shutdown_timeout(Duration::from_millis(200));
    }
}

/// What a demo with these settings is, for the header, reports and recordings.
pub fn source_info(demo: &dyn Demo, settings: &Settings) -> SourceInfo {
    SourceInfo {
        kind: "demo".into(),
        name: demo.info().name.into(),
        engine: "probe".into(),
        fixed: settings.fixed,
        knobs: settings
            .values()
            .map(|(k, v)| (k.name.to_owned(), v))
            .collect(),
    }
}

fn pump(
    mut opts: LiveOptions,
    mut run: DemoRun,
    tx: &mpsc::Sender<Batch>,
    mut commands: mpsc::UnboundedReceiver<Command>,
) {
    let mut pending = vec![Event::SessionStarted {
        source: run.source.clone(),
        at: 0,
    }];
    // When the demo ran all its rounds.
    let mut finished_at = None;
    loop {
        std::thread::sleep(opts.interval);
        let mut stop = false;
        while let Ok(command) = commands.try_recv() {
            let demo = opts.demo.clone();
            match command {
                Command::ToggleFixed => {
                    pending.push(run.update(demo.as_ref(), |s| s.fixed = !s.fixed))
                }
                Command::NudgeMainKnob { steps } => {
                    if let Some(knob) = demo.info().knobs.first() {
                        pending.push(run.update(demo.as_ref(), |s| s.nudge(knob.name, steps)));
                    }
                }
                // An unknown name is ignored: the picker offers only known demos.
                Command::SwitchDemo { name } => {
                    if let Some(next) = switch(&mut opts, &run, &name) {
                        std::mem::replace(&mut run, next).shutdown();
                        finished_at = None;
                        pending = vec![Event::SessionStarted {
                            source: run.source.clone(),
                            at: 0,
                        }];
                    }
                }
                Command::Stop => stop = true,
                // A live demo cannot be paused or moved in time.
                Command::Pause
                | Command::Step
                | Command::Seek { .. }
                | Command::SetSpeed { .. } => {}
            }
        }
        if run.finished.is_finished() {
            finished_at.get_or_insert_with(std::time::Instant::now);
        }
        let settled = finished_at.is_some_and(|at| at.elapsed() >= SETTLE);
        pending.extend(run.batch());
        if stop || settled {
            // The last batch waits for room: it must not be lost.
            let _ = tx.blocking_send(std::mem::take(&mut pending));
            break;
        }
        match tx.try_send(std::mem::take(&mut pending)) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(back)) => {
                pending = back;
                backlog::shed_polls(&mut pending, backlog::MAX_PENDING_POLLS);
            }
            Err(mpsc::error::TrySendError::Closed(_)) => break,
        }
    }
    run.shutdown();
}

/// Starts demo `name` with its default knobs, keeping the variant and seed.
fn switch(opts: &mut LiveOptions, current: &DemoRun, name: &str) -> Option<DemoRun> {
    let demo = taskscope_demos::find(name).ok()?;
    let mut settings = Settings::new(demo.info().knobs);
    settings.fixed = current.settings.borrow().fixed;
    settings.seed = opts.settings.seed;
    let next = LiveOptions {
        demo,
        settings,
        ..opts.clone()
    };
    let run = DemoRun::start(&next).ok()?;
    *opts = next;
    Some(run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::MetricValue;

    #[test]
    fn batches_carry_the_demos_metrics() {
        let demo = taskscope_demos::find("gather").expect("gather");
        let mut settings = Settings::new(demo.info().knobs);
        settings.fixed = true;
        settings.rounds = 2;
        for knob in ["fanout=5", "latency_ms=1", "error_pct=0"] {
            settings.set_str(knob).expect("knob");
        }
        let mut feed = start(LiveOptions {
            demo,
            settings,
            workers: 1,
            interval: Duration::from_millis(20),
            schedule_latency: true,
        })
        .expect("live");
        let mut last = None;
        while let Some(batch) = feed.batches.blocking_recv() {
            for e in batch {
                if let Event::Metrics { series, .. } = e {
                    last = Some(series);
                }
            }
        }
        let series = last.expect("metrics in every batch");
        let get = |k: &str| {
            series
                .iter()
                .find(|s| &*s.key == k)
                .map(|s| s.value.clone())
        };
        assert_eq!(get("items_done"), Some(MetricValue::Counter(10)));
        assert_eq!(get("rounds"), Some(MetricValue::Counter(2)));
        assert_eq!(get("in_flight"), Some(MetricValue::Gauge(0.0)));
    }
}
