//! `--prometheus`: a headless demo serves its runtime's figures over HTTP.

mod support;

use support::cli::command;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn free_port() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr")
}

/// `GET /metrics` with a plain socket; None until the server answers.
fn scrape(addr: SocketAddr) -> Option<String> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        s,
        "GET /metrics HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    text.starts_with("HTTP/1.1 200").then_some(text)
}

fn value(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
}

#[test]
fn a_headless_demo_serves_its_figures() {
    let addr = free_port();
    let mut child = command()
        .args([
            "demo",
            "gather",
            "--fixed",
            "--headless",
            "--duration",
            "6s",
        ])
        .args(["--prometheus", &addr.to_string()])
        .stderr(Stdio::null())
        .spawn()
        .expect("start taskscope");
    // Wait until figures from a few batches are in.
    let start = Instant::now();
    let text = loop {
        if let Some(t) = scrape(addr) {
            if value(&t, "taskscope_polls_total").is_some_and(|p| p > 0.0) {
                break t;
            }
        }
        assert!(start.elapsed() < Duration::from_secs(5), "no figures");
        std::thread::sleep(Duration::from_millis(200));
    };
    let _ = child.kill();
    let _ = child.wait();
    let get = |name| value(&text, name).unwrap_or_else(|| panic!("{name} missing:\n{text}"));
    assert!(get("taskscope_tasks_alive") >= 1.0, "{text}");
    assert!(get("taskscope_tasks_spawned_total") >= get("taskscope_tasks_completed_total"));
    assert_eq!(get("taskscope_workers"), 2.0);
    assert!((0.0..=1.0).contains(&get("taskscope_busy_ratio")), "{text}");
    assert!(get("taskscope_global_queue_depth") >= 0.0);
    assert_eq!(get("taskscope_dropped_events_total"), 0.0);
    assert!(
        text.contains("taskscope_worker_busy_ratio{worker=\"1\"}"),
        "{text}"
    );
    assert!(text.contains("# HELP taskscope_tasks_alive"), "{text}");
}
