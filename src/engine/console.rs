//! The console engine: a demo under console-subscriber, in-process.
//!
//! `ConsoleLayer::builder().build()` gives the layer and a server; the
//! server's aggregator and an in-memory `InstrumentClient` run on their own
//! thread under `NoSubscriber`, so they do not observe themselves. The demo
//! runs on its own runtime whose threads have the layer as their subscriber
//! (thread-local, so taskscope's own UI runtime stays unobserved). Updates
//! go through the attach source's mapping.

use std::cell::RefCell;
use std::time::Duration;

use anyhow::Context as _;
use console_api::instrument::instrument_client::InstrumentClient;
use console_api::instrument::InstrumentRequest;
use console_subscriber::{ConsoleLayer, ServerParts};
use taskscope_demos::Settings;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;
use tracing::Dispatch;
use tracing_subscriber::filter::FilterFn;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::Layer as _;

use crate::feed::attach::mapping::UpdateMapper;
use crate::feed::attach::MAX_MESSAGE_BYTES;
use crate::feed::live::LiveOptions;
use crate::feed::{Batch, Command, Event, Feed, SourceInfo};

/// A subscriber made of the console layer, seeing only tokio's runtime
/// spans and events (as `console_subscriber::spawn` filters).
#[must_use]
pub fn console_dispatch(layer: ConsoleLayer) -> Dispatch {
    let filter = FilterFn::new(|meta| {
        if meta.is_event() {
            meta.target().starts_with("runtime") || meta.target().starts_with("tokio")
        } else {
            meta.name().starts_with("runtime.") || meta.target().starts_with("tokio")
        }
    });
    Dispatch::new(tracing_subscriber::registry().with(layer.with_filter(filter)))
}

thread_local! {
    static DEMO_SUBSCRIBER: RefCell<Option<tracing::dispatcher::DefaultGuard>> =
        const { RefCell::new(None) };
}

/// A multi-thread runtime whose threads (workers and blocking) report to
/// `dispatch`. Spawn onto it from a thread that has `dispatch` as default.
pub fn observed_runtime(
    workers: usize,
    dispatch: &Dispatch,
) -> anyhow::Result<tokio::runtime::Runtime> {
    let on_start = dispatch.clone();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers.max(1))
        .thread_name("demo-worker")
        .enable_all()
        .on_thread_start(move || {
            let guard = tracing::dispatcher::set_default(&on_start);
            DEMO_SUBSCRIBER.with(|g| *g.borrow_mut() = Some(guard));
        })
        .on_thread_stop(|| DEMO_SUBSCRIBER.with(|g| drop(g.borrow_mut().take())))
        .build()
        .context("cannot build the demo runtime")
}

/// Runs `f` on a new thread with no subscriber and a current-thread runtime.
pub fn unobserved_thread<F>(
    name: &str,
    f: impl FnOnce() -> F + Send + 'static,
) -> anyhow::Result<()>
where
    F: std::future::Future<Output = ()>,
{
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let _quiet =
                tracing::subscriber::set_default(tracing::subscriber::NoSubscriber::default());
            match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt.block_on(f()),
                Err(e) => eprintln!("taskscope: cannot start the console thread: {e}"),
            }
        })
        .context("cannot start the console thread")?;
    Ok(())
}

/// Starts the demo under console-subscriber and returns its feed.
pub fn start(opts: LiveOptions) -> anyhow::Result<Feed> {
    let (layer, server) = ConsoleLayer::builder()
        .publish_interval(opts.interval)
        // taskscope keeps done tasks itself; the target need not for long.
        .retention(Duration::from_secs(10))
        .build();
    let ServerParts {
        instrument_server,
        aggregator,
        ..
    } = server.into_parts();
    let (tx, batches) = mpsc::channel(64);
    let (commands, command_rx) = mpsc::unbounded_channel();
    let (settings_tx, settings_rx) = watch::channel(opts.settings.clone());
    let stop = CancellationToken::new();
    let finished = CancellationToken::new();
    let source = source_info(&opts, &opts.settings);

    let client_stop = stop.clone();
    let client_finished = finished.clone();
    let client_opts = opts.clone();
    unobserved_thread("taskscope-console", move || async move {
        let aggregate = tokio::spawn(aggregator.run());
        let client =
            InstrumentClient::new(instrument_server).max_decoding_message_size(MAX_MESSAGE_BYTES);
        let link = Link {
            client,
            mapper: UpdateMapper::new(source),
            tx,
            settings: settings_tx,
            opts: client_opts,
        };
        link.pump(command_rx, client_finished).await;
        client_stop.cancel();
        aggregate.abort();
    })?;

    let dispatch = console_dispatch(layer);
    std::thread::Builder::new()
        .name("taskscope-console-demo".into())
        .spawn(move || {
            let _observed = tracing::dispatcher::set_default(&dispatch);
            if let Err(e) = run_demo(&opts, &dispatch, settings_rx, &stop) {
                eprintln!("taskscope: {e:#}");
            }
            // Let the aggregator publish the last drops, then end the feed.
            std::thread::sleep(opts.interval * 3 + Duration::from_millis(100));
            finished.cancel();
        })
        .context("cannot start the demo thread")?;
    Ok(Feed { batches, commands })
}

fn run_demo(
    opts: &LiveOptions,
    dispatch: &Dispatch,
    settings: watch::Receiver<Settings>,
    stop: &CancellationToken,
) -> anyhow::Result<()> {
    let runtime = observed_runtime(opts.workers, dispatch)?;
    // Spawned, not `block_on`: a block_on would show as one more task.
    let rounds = runtime.spawn(taskscope_demos::run_rounds(
        opts.demo.clone(),
        settings,
        stop.clone(),
        None,
    ));
    while !rounds.is_finished() && !stop.is_cancelled() {
        std::thread::sleep(Duration::from_millis(20));
    }
    stop.cancel();
    runtime.shutdown_timeout(Duration::from_millis(200));
    Ok(())
}

struct Link<T> {
    client: InstrumentClient<T>,
    mapper: UpdateMapper,
    tx: mpsc::Sender<Batch>,
    settings: watch::Sender<Settings>,
    opts: LiveOptions,
}

impl<T> Link<T>
where
    T: tonic::client::GrpcService<tonic::body::Body>,
    T::Error: Into<tonic::codegen::StdError>,
    T::ResponseBody: tonic::codegen::Body<Data = tonic::codegen::Bytes> + Send + 'static,
    <T::ResponseBody as tonic::codegen::Body>::Error: Into<tonic::codegen::StdError> + Send,
{
    async fn pump(
        mut self,
        mut commands: mpsc::UnboundedReceiver<Command>,
        finished: CancellationToken,
    ) {
        let mut stream = match self.client.watch_updates(InstrumentRequest {}).await {
            Ok(r) => r.into_inner(),
            Err(e) => {
                eprintln!(
                    "taskscope: the in-process console server refused: {}",
                    e.message()
                );
                return;
            }
        };
        loop {
            let update = tokio::select! {
                m = stream.message() => match m {
                    Ok(Some(update)) => update,
                    _ => return,
                },
                command = commands.recv() => {
                    let Some(command) = command else { return };
                    match self.command(command) {
                        Some(event) => {
                            if self.tx.send(vec![event]).await.is_err() {
                                return;
                            }
                            continue;
                        }
                        None => return,
                    }
                },
                () = finished.cancelled() => return,
            };
            if self.tx.send(self.mapper.map(&update)).await.is_err() {
                return;
            }
        }
    }

    /// Carries out a command; `None` means stop.
    fn command(&mut self, command: Command) -> Option<Event> {
        let demo = self.opts.demo.clone();
        match command {
            Command::Stop => return None,
            Command::ToggleFixed => self.settings.send_modify(|s| s.fixed = !s.fixed),
            Command::NudgeMainKnob { steps } => {
                if let Some(knob) = demo.info().knobs.first() {
                    self.settings.send_modify(|s| s.nudge(knob.name, steps));
                }
            }
            // Switching demos needs a new runtime and layer: probe engine
            // only. Pause, step, seek and speed are for replays.
            Command::SwitchDemo { .. }
            | Command::Pause
            | Command::Step
            | Command::Seek { .. }
            | Command::SetSpeed { .. } => {}
        }
        Some(Event::SourceUpdated {
            source: source_info(&self.opts, &self.settings.borrow()),
        })
    }
}

fn source_info(opts: &LiveOptions, settings: &Settings) -> SourceInfo {
    SourceInfo {
        kind: "demo".into(),
        name: opts.demo.info().name.into(),
        engine: "console".into(),
        fixed: settings.fixed,
        knobs: settings
            .values()
            .map(|(k, v)| (k.name.to_owned(), v))
            .collect(),
    }
}
