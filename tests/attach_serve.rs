//! `taskscope serve` as a child process, watched by `taskscope attach`.

#![cfg(feature = "console")]

mod support;

use std::net::TcpStream;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};
use support::cli::command as taskscope;

use serde_json::Value;
use taskscope::feed::attach::{self, AttachOptions};
use taskscope::feed::{Command as FeedCommand, ConnectionState, Event};

/// A served demo, killed when dropped.
struct Served {
    child: Child,
    url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn serve(args: &[&str]) -> Served {
    serve_on(free_port(), args)
}

fn serve_on(port: u16, args: &[&str]) -> Served {
    let bind = format!("127.0.0.1:{port}");
    let child = taskscope()
        .arg("serve")
        .args(args)
        .args(["--bind", &bind, "--publish-interval", "100ms"])
        .stderr(Stdio::null())
        .spawn()
        .expect("start taskscope serve");
    let mut child = child;
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(&bind).is_err() {
        assert!(Instant::now() < deadline, "serve never listened on {bind}");
        if let Ok(Some(status)) = child.try_wait() {
            panic!("taskscope serve {args:?} exited: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Served {
        child,
        url: format!("http://{bind}"),
    }
}

/// Runs a headless command and returns its output and JSON report.
fn headless(args: &[&str]) -> (Output, Value) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("report.json");
    let out = taskscope()
        .args(args)
        .args(["--headless", "--report"])
        .arg(&path)
        .output()
        .expect("run taskscope");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no report from {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out, serde_json::from_str(&text).expect("report is JSON"))
}

fn attach(url: &str, duration: &str) -> (Output, Value) {
    headless(&[
        "attach",
        url,
        "--duration",
        duration,
        "--threshold",
        "leaked-task.idle_ms=1000",
    ])
}

fn leak_warnings(report: &Value) -> Vec<&Value> {
    report["warnings"]
        .as_array()
        .expect("warnings[]")
        .iter()
        .filter(|w| w["lint"] == "leaked-task")
        .collect()
}

/// Serves `demo_args`, attaches for a few seconds, and checks the leaked
/// tasks found: `expected` is (count, a piece of the spawn location), or
/// `None` for no leak finding at all.
fn check_leaks(demo_args: &[&str], watch: &str, expected: Option<(u64, &str)>) {
    let served = serve(demo_args);
    let (out, report) = attach(&served.url, watch);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(report["source"]["kind"], "attach", "{report}");
    assert_eq!(report["connection"]["ever_connected"], true, "{report}");
    assert!(report["tasks"]["spawned"].as_u64() > Some(0), "{report}");
    let leaks = leak_warnings(&report);
    match expected {
        None => assert!(leaks.is_empty(), "{leaks:#?}"),
        Some((count, location)) => {
            let found: Vec<&&Value> = leaks
                .iter()
                .filter(|w| w["location"].as_str().is_some_and(|l| l.contains(location)))
                .collect();
            assert_eq!(found.len(), 1, "{leaks:#?}");
            assert_eq!(found[0]["count"].as_u64(), Some(count), "{:#}", found[0]);
            assert_eq!(
                found[0]["tasks"].as_array().map(Vec::len),
                Some(usize::try_from(count).expect("small")),
                "{:#}",
                found[0]
            );
        }
    }
}

#[test]
fn attach_finds_the_leaked_tasks_of_the_leak_demo_by_location() {
    // Two rounds of 10 fire-and-forget tasks each; serve keeps running.
    check_leaks(
        &["leak", "--rounds", "2", "--set", "leaks=10"],
        "3s",
        Some((20, "demos/src/leak.rs:")),
    );
}

#[test]
fn attach_finds_no_leak_in_the_fixed_variant() {
    check_leaks(
        &["leak", "--fixed", "--rounds", "2", "--set", "leaks=10"],
        "3s",
        None,
    );
}

#[test]
fn serve_tickers_runs_that_many_tasks_and_none_ends() {
    let served = serve(&["--tickers", "300", "--tick", "200ms", "--workers", "2"]);
    let (out, report) = attach(&served.url, "2s");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The tickers, their driver, and the 2 workers (blocking tasks to tokio).
    assert_eq!(report["tasks"]["alive"], 303, "{report}");
    assert_eq!(report["tasks"]["completed"], 0, "{report}");
}

#[test]
fn serve_tickers_refuses_a_demo_or_a_zero_tick() {
    for args in [
        &["serve", "leak", "--tickers", "10"][..],
        &["serve", "--tickers", "10", "--tick", "0s"],
        &["serve", "--tick", "1s"],
    ] {
        let out = taskscope().args(args).output().expect("run taskscope");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn a_target_killed_mid_session_is_reported_and_the_run_ends_cleanly() {
    let mut served = serve(&["gather"]);
    let url = served.url.clone();
    let attached = std::thread::spawn(move || {
        let start = Instant::now();
        let result = attach(&url, "30s");
        (result, start.elapsed())
    });
    std::thread::sleep(Duration::from_secs(2));
    served.child.kill().expect("kill the target");
    let ((out, report), took) = attached.join().expect("attach thread");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("lost"), "{stderr}");
    assert!(took < Duration::from_secs(15), "took {took:?}");
    assert_eq!(report["connection"]["disconnected"], true, "{report}");
    assert_eq!(report["connection"]["disconnects"], 1, "{report}");
    assert!(report["tasks"]["spawned"].as_u64() > Some(0), "{report}");
}

#[test]
fn the_console_engine_counts_tasks_like_the_probe_engine() {
    let run = |engine: &str| {
        let (out, r) = headless(&[
            "demo",
            "gather",
            "--engine",
            engine,
            "--fixed",
            "--rounds",
            "3",
            "--set",
            "fanout=50",
            "--duration",
            "30s",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(r["source"]["engine"], engine, "{r}");
        (
            r["tasks"]["spawned"].as_u64().unwrap_or(0),
            r["tasks"]["completed"].as_u64().unwrap_or(0),
        )
    };
    let (probe_spawned, probe_completed) = run("probe");
    let (console_spawned, console_completed) = run("console");
    let near = |a: u64, b: u64| a.abs_diff(b) * 10 <= b;
    assert!(
        near(console_spawned, probe_spawned) && near(console_completed, probe_completed),
        "console {console_spawned}/{console_completed} vs probe {probe_spawned}/{probe_completed}"
    );
    assert!(probe_spawned >= 3 * 50, "{probe_spawned}");
}

/// Receives batches until an event matches `stop` or `timeout` passes.
async fn events_until(
    feed: &mut taskscope::feed::Feed,
    timeout: Duration,
    stop: impl Fn(&Event) -> bool,
) -> Vec<Event> {
    let mut seen = Vec::new();
    let _ = tokio::time::timeout(timeout, async {
        while let Some(batch) = feed.batches.recv().await {
            let done = batch.iter().any(&stop);
            seen.extend(batch);
            if done {
                return;
            }
        }
    })
    .await;
    seen
}

fn retries(events: &[Event]) -> Vec<u64> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Connection {
                state: ConnectionState::Disconnected { retry_in_ms, .. },
                ..
            } => *retry_in_ms,
            _ => None,
        })
        .collect()
}

#[test]
fn the_source_backs_off_and_a_restarted_target_is_a_new_session() {
    let port = free_port();
    let opts = AttachOptions {
        target: format!("http://127.0.0.1:{port}"),
        reconnect: true,
        connect_timeout: Duration::from_secs(1),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut feed = attach::start(opts);
        // Nobody listens yet: waits of 100, 200, 400, 800 ms...
        let waiting = events_until(&mut feed, Duration::from_millis(1600), |_| false).await;
        let delays = retries(&waiting);
        assert!(delays.len() >= 3, "{delays:?}");
        assert_eq!(delays[..3], [100, 200, 400], "{delays:?}");

        let is_session = |e: &Event| matches!(e, Event::SessionStarted { .. });
        let first = serve_on(port, &["gather"]);
        let seen = events_until(&mut feed, Duration::from_secs(15), is_session).await;
        assert!(
            seen.iter().any(is_session),
            "no session after the target came up"
        );
        assert!(seen.iter().any(|e| matches!(
            e,
            Event::Connection {
                state: ConnectionState::Connected,
                ..
            }
        )));
        drop(first); // killed
        let lost = events_until(&mut feed, Duration::from_secs(15), |e| {
            matches!(
                e,
                Event::Connection {
                    state: ConnectionState::Disconnected { .. },
                    ..
                }
            )
        })
        .await;
        // The link had delivered data: the wait starts again from 100 ms.
        assert_eq!(retries(&lost), [100], "{lost:?}");

        let _second = serve_on(port, &["gather"]);
        let seen = events_until(&mut feed, Duration::from_secs(15), is_session).await;
        assert!(
            seen.iter().any(is_session),
            "a restarted target must start a new session"
        );
        let _ = feed.commands.send(FeedCommand::Stop);
    });
}
