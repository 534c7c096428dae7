//! The attach source: a console-api gRPC client to any program that runs
//! console-subscriber. Its updates go through [`mapping::UpdateMapper`];
//! the link's state goes out as `Event::Connection`, and a lost link is
//! retried with [`backoff::Backoff`] (or, when `reconnect` is off, as in
//! headless runs, ends the feed).

pub mod backoff;
pub mod mapping;
pub mod target;

use std::time::Duration;

use console_api::instrument::instrument_client::InstrumentClient;
use console_api::instrument::{InstrumentRequest, Update};
use tokio::sync::mpsc;
use tonic::transport::Endpoint;
use tonic::Streaming;

use self::backoff::Backoff;
use self::mapping::UpdateMapper;
use crate::feed::{Batch, Command, ConnectionState, Event, Feed, SourceInfo};

/// Updates past the first are not capped by the target; tonic's default
/// 4 MiB limit would drop the link on a big one (tokio-console's loop).
pub const MAX_MESSAGE_BYTES: usize = 1 << 30;

#[derive(Clone, Debug)]
pub struct AttachOptions {
    /// A URL checked by [`target::parse_target`].
    pub target: String,
    /// Retry after a failure (the TUI); if off, the feed ends instead.
    pub reconnect: bool,
    pub connect_timeout: Duration,
}

/// Starts the source on the current tokio runtime (call it inside one).
#[must_use]
pub fn start(opts: AttachOptions) -> Feed {
    let (tx, batches) = mpsc::channel(64);
    let (commands, command_rx) = mpsc::unbounded_channel();
    tokio::spawn(run(opts, tx, command_rx));
    Feed { batches, commands }
}

/// How one connection ended.
enum Ended {
    /// Asked to stop, or nobody listens to the feed any more.
    Stop,
    Lost {
        reason: String,
    },
}

async fn run(
    opts: AttachOptions,
    tx: mpsc::Sender<Batch>,
    mut commands: mpsc::UnboundedReceiver<Command>,
) {
    let source = SourceInfo {
        kind: "attach".into(),
        name: opts.target.clone(),
        engine: "console".into(),
        ..SourceInfo::default()
    };
    let mut mapper = UpdateMapper::new(source);
    let mut backoff = Backoff::default();
    let status = |state| {
        vec![Event::Connection {
            target: opts.target.clone(),
            state,
        }]
    };
    loop {
        if tx.send(status(ConnectionState::Connecting)).await.is_err() {
            return;
        }
        let ended = tokio::select! {
            connected = connect(&opts) => match connected {
                Ok(stream) => {
                    mapper.new_stream();
                    let stream_link = StreamLink { tx: &tx, mapper: &mut mapper, backoff: &mut backoff };
                    stream_link.pump(stream, &mut commands, &opts.target).await
                }
                Err(reason) => Ended::Lost { reason },
            },
            stop = wait_for_stop(&mut commands) => stop,
        };
        let Ended::Lost { reason } = ended else {
            return;
        };
        let retry = opts.reconnect.then(|| backoff.next_delay());
        let state = ConnectionState::Disconnected {
            retry_in_ms: retry.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            reason,
        };
        if tx.send(status(state)).await.is_err() {
            return;
        }
        let Some(delay) = retry else {
            return;
        };
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            _ = wait_for_stop(&mut commands) => return,
        }
    }
}

/// Opens the channel and the update stream.
async fn connect(opts: &AttachOptions) -> Result<Streaming<Update>, String> {
    let endpoint = Endpoint::from_shared(opts.target.clone())
        .map_err(|e| describe(&e))?
        .connect_timeout(opts.connect_timeout)
        // A target that hangs or vanishes without closing the socket is
        // noticed by keep-alive pings instead of never.
        .http2_keep_alive_interval(Duration::from_secs(5))
        .keep_alive_timeout(Duration::from_secs(5));
    let channel = tokio::time::timeout(opts.connect_timeout, endpoint.connect())
        .await
        .map_err(|_| "timed out".to_owned())?
        .map_err(|e| describe(&e))?;
    let mut client = InstrumentClient::new(channel).max_decoding_message_size(MAX_MESSAGE_BYTES);
    let response = client
        .watch_updates(InstrumentRequest {})
        .await
        .map_err(|s| status_text(&s))?;
    Ok(response.into_inner())
}

struct StreamLink<'a> {
    tx: &'a mpsc::Sender<Batch>,
    mapper: &'a mut UpdateMapper,
    backoff: &'a mut Backoff,
}

impl StreamLink<'_> {
    /// Forwards updates until the stream ends or the source is stopped.
    async fn pump(
        self,
        mut stream: Streaming<Update>,
        commands: &mut mpsc::UnboundedReceiver<Command>,
        target: &str,
    ) -> Ended {
        let mut first = true;
        loop {
            let message = tokio::select! {
                m = stream.message() => m,
                stop = wait_for_stop(commands) => return stop,
            };
            let update = match message {
                Ok(Some(update)) => update,
                Ok(None) => {
                    return Ended::Lost {
                        reason: "the target closed the stream".into(),
                    }
                }
                Err(status) => {
                    return Ended::Lost {
                        reason: status_text(&status),
                    }
                }
            };
            let mut batch = Vec::new();
            if std::mem::take(&mut first) {
                // Only a link that delivered something resets the backoff.
                self.backoff.connected();
                batch.push(Event::Connection {
                    target: target.to_owned(),
                    state: ConnectionState::Connected,
                });
            }
            batch.extend(self.mapper.map(&update));
            if self.tx.send(batch).await.is_err() {
                return Ended::Stop;
            }
        }
    }
}

/// Resolves when the app asks the source to stop or drops its handle;
/// other commands mean nothing to an attached target.
async fn wait_for_stop(commands: &mut mpsc::UnboundedReceiver<Command>) -> Ended {
    loop {
        match commands.recv().await {
            None | Some(Command::Stop) => return Ended::Stop,
            Some(_) => {}
        }
    }
}

/// An error and its causes on one line ("transport error: connection refused").
fn describe(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let s = c.to_string();
        if !text.contains(&s) {
            text = format!("{text}: {s}");
        }
        cause = c.source();
    }
    text
}

fn status_text(s: &tonic::Status) -> String {
    let mut text = format!("{:?}: {}", s.code(), s.message());
    if let Some(source) = std::error::Error::source(s) {
        text = format!("{text}: {}", describe(source));
    }
    text
}
