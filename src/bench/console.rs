//! console-subscriber as a benchmark configuration: installed as the global
//! subscriber, its aggregator on a thread of its own, and for
//! `console-watched` a client that counts what it is sent.

use super::configs::Config;
use crate::model::Model;

/// The client of a `console-watched` run: the model it built.
pub struct ConsoleWatcher {
    #[cfg(feature = "console")]
    inner: watched::Watcher,
}

impl ConsoleWatcher {
    /// Lets the last updates arrive, stops the client and returns its model.
    #[must_use]
    pub fn finish(self) -> Option<Model> {
        #[cfg(feature = "console")]
        return self.inner.finish();
        #[cfg(not(feature = "console"))]
        None
    }
}

#[cfg(not(feature = "console"))]
pub fn install(config: Config) -> anyhow::Result<Option<ConsoleWatcher>> {
    if config.is_console() {
        anyhow::bail!("this build has no console engine: rebuild with --features console")
    }
    Ok(None)
}

#[cfg(feature = "console")]
pub fn install(config: Config) -> anyhow::Result<Option<ConsoleWatcher>> {
    use std::time::Duration;

    use console_subscriber::ServerParts;
    use tracing_subscriber::layer::SubscriberExt as _;

    use crate::engine::console::unobserved_thread;

    let builder = console_subscriber::ConsoleLayer::builder();
    let builder = match config {
        Config::Console | Config::ConsoleWatched => builder,
        Config::ConsoleShort => builder.retention(Duration::from_secs(1)),
        _ => return Ok(None),
    };
    let (layer, server) = builder.build();
    let ServerParts {
        instrument_server,
        aggregator,
        ..
    } = server.into_parts();
    let watcher = if config == Config::ConsoleWatched {
        Some(ConsoleWatcher {
            inner: watched::Watcher::start(aggregator, instrument_server)?,
        })
    } else {
        // The aggregator runs unobserved, with no client.
        unobserved_thread("bench-console", move || aggregator.run())?;
        None
    };
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))?;
    Ok(watcher)
}

#[cfg(feature = "console")]
mod watched {
    use std::sync::mpsc;
    use std::time::Duration;

    use anyhow::Context as _;
    use console_api::instrument::instrument_client::InstrumentClient;
    use console_api::instrument::instrument_server::InstrumentServer;
    use console_api::instrument::InstrumentRequest;
    use console_subscriber::{Aggregator, Server};
    use tokio_util::sync::CancellationToken;

    use crate::engine::console::unobserved_thread;
    use crate::feed::attach::mapping::UpdateMapper;
    use crate::feed::attach::MAX_MESSAGE_BYTES;
    use crate::feed::SourceInfo;
    use crate::model::{Model, ModelConfig};

    /// How long the client goes on listening after the workload: two of
    /// console-subscriber's default publish intervals. Its aggregator
    /// takes about 128 events per wake-up (tokio's coop budget), so after a
    /// burst the rest trickles in for much longer; `seen` counts what
    /// arrived by then.
    const SETTLE: Duration = Duration::from_millis(2100);

    pub struct Watcher {
        stop: CancellationToken,
        model: mpsc::Receiver<Model>,
    }

    impl Watcher {
        /// Starts the aggregator and a subscribed client; returns once the
        /// first update arrived, so the workload runs watched from its start.
        pub fn start(
            aggregator: Aggregator,
            server: InstrumentServer<Server>,
        ) -> anyhow::Result<Self> {
            let stop = CancellationToken::new();
            let (subscribed_tx, subscribed) = mpsc::channel();
            let (model_tx, model) = mpsc::channel();
            let until = stop.clone();
            unobserved_thread("bench-console", move || async move {
                let aggregate = tokio::spawn(aggregator.run());
                let mut client =
                    InstrumentClient::new(server).max_decoding_message_size(MAX_MESSAGE_BYTES);
                let mut model = Model::new(ModelConfig {
                    retain_ns: 3_600_000_000_000,
                });
                let mut mapper = UpdateMapper::new(SourceInfo::default());
                if let Ok(stream) = client.watch_updates(InstrumentRequest {}).await {
                    let mut stream = stream.into_inner();
                    let mut subscribed = Some(subscribed_tx);
                    loop {
                        tokio::select! {
                            m = stream.message() => match m {
                                Ok(Some(update)) => model.apply_all(&mapper.map(&update)),
                                Ok(None) => break,
                                Err(e) => {
                                    eprintln!("taskscope: the console stream broke: {e}");
                                    break;
                                }
                            },
                            () = until.cancelled() => break,
                        }
                        if let Some(tx) = subscribed.take() {
                            let _ = tx.send(());
                        }
                    }
                }
                aggregate.abort();
                let _ = model_tx.send(model);
            })?;
            subscribed
                .recv_timeout(Duration::from_secs(10))
                .context("the console client got no first update")?;
            Ok(Self { stop, model })
        }

        pub fn finish(self) -> Option<Model> {
            std::thread::sleep(SETTLE);
            self.stop.cancel();
            self.model.recv_timeout(Duration::from_secs(10)).ok()
        }
    }
}
