//! `taskscope serve`: a demo as a plain process under console-subscriber,
//! so `taskscope attach` and tokio-console can watch it.

use crate::cli::ServeArgs;

#[cfg(not(feature = "console"))]
pub fn run(_args: &ServeArgs) -> anyhow::Result<()> {
    super::input_error(super::NEEDS_CONSOLE_FEATURE)
}

#[cfg(feature = "console")]
pub fn run(args: &ServeArgs) -> anyhow::Result<()> {
    use std::net::SocketAddr;
    use std::time::Duration;

    use anyhow::Context as _;
    use console_subscriber::{ConsoleLayer, ServerParts};
    use tokio_util::sync::CancellationToken;

    use super::demo::demo_settings;
    use super::input_error;
    use crate::engine::console::{console_dispatch, observed_runtime, unobserved_thread};

    // --tickers replaces the demo.
    let demo = match args.tickers {
        None => Some(demo_settings(&args.demo)?),
        Some(_) if args.tick.is_zero() => return input_error("--tick must be more than 0"),
        Some(_) => None,
    };
    let Ok(addr) = args.bind.parse::<SocketAddr>() else {
        return input_error(format!(
            "--bind '{}' is not an address like 127.0.0.1:6669",
            args.bind
        ));
    };
    // Bound here so a busy port is one line, not a panic in a thread.
    let listener =
        std::net::TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
    listener.set_nonblocking(true)?;
    let (layer, server) = ConsoleLayer::builder()
        .retention(args.retention)
        .publish_interval(args.publish_interval)
        .build();
    let ServerParts {
        instrument_server,
        aggregator,
        ..
    } = server.into_parts();
    unobserved_thread("console-server", move || async move {
        let aggregate = tokio::spawn(aggregator.run());
        let incoming = match tokio::net::TcpListener::from_std(listener) {
            Ok(l) => tonic::transport::server::TcpIncoming::from(l),
            Err(e) => {
                eprintln!("taskscope: cannot listen: {e}");
                return;
            }
        };
        let served = tonic::transport::Server::builder()
            .add_service(instrument_server)
            .serve_with_incoming(incoming)
            .await;
        if let Err(e) = served {
            eprintln!("taskscope: the console server stopped: {e}");
        }
        aggregate.abort();
    })?;

    let dispatch = console_dispatch(layer);
    let _observed = tracing::dispatcher::set_default(&dispatch);
    let runtime = observed_runtime(usize::from(args.demo.workers), &dispatch)?;
    let Some((demo, settings)) = demo else {
        let tasks = args.tickers.unwrap_or(0);
        crate::bench::tickers::spawn(&runtime, tasks, args.tick);
        eprintln!(
            "taskscope: serving {tasks} tasks waking every {} on http://{addr} (console-subscriber)",
            humantime::format_duration(args.tick)
        );
        loop {
            std::thread::park();
        }
    };
    let (_settings, settings_rx) = tokio::sync::watch::channel(settings);
    let stop = CancellationToken::new();
    // `demo` stays held: a demo may own what its leftovers wait on.
    let rounds = runtime.spawn(taskscope_demos::run_rounds(
        demo.clone(),
        settings_rx,
        stop.clone(),
        None,
    ));
    eprintln!(
        "taskscope: serving demo {} on http://{addr} (console-subscriber); watch it with `taskscope attach http://{addr}`",
        args.demo.name
    );
    while !rounds.is_finished() {
        std::thread::sleep(Duration::from_millis(50));
    }
    // Whatever the rounds left behind (leaks) stays there to be watched.
    eprintln!("taskscope: the rounds are done; still serving until stopped");
    loop {
        std::thread::park();
    }
}
