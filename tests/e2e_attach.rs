//! End-to-end: `taskscope attach` in tmux against a `taskscope serve`
//! child that is killed under it.
#![cfg(feature = "console")]

mod support;

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::tmux::Tmux;

/// A served demo, killed when dropped.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn serve_leak(bind: &str) -> Served {
    let child = Command::new(env!("CARGO_BIN_EXE_taskscope"))
        .args([
            "serve",
            "leak",
            "--bind",
            bind,
            "--publish-interval",
            "100ms",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start taskscope serve");
    let mut served = Served(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(bind).is_err() {
        assert!(Instant::now() < deadline, "serve never listened on {bind}");
        if let Ok(Some(status)) = served.0.try_wait() {
            panic!("taskscope serve exited: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    served
}

#[test]
fn the_header_follows_the_link_and_q_quits_while_reconnecting() {
    let bind = format!("127.0.0.1:{}", free_port());
    let mut served = serve_leak(&bind);
    let t = Tmux::start(&format!("attach http://{bind}"), 100, 30);
    t.wait_for("connected, with tasks", Duration::from_secs(30), |s| {
        let header = s.lines().next().unwrap_or_default();
        header.contains("connected") && !header.contains("reconnecting") && s.contains("leak.rs")
    });

    served.0.kill().expect("kill serve");
    let _ = served.0.wait();
    t.wait_for(
        "the header to say it reconnects",
        Duration::from_secs(15),
        |s| {
            s.lines()
                .next()
                .unwrap_or_default()
                .contains("reconnecting")
        },
    );

    let pressed = Instant::now();
    t.send("q");
    let (code, screen) = t.wait_exit(Duration::from_secs(10));
    let took = pressed.elapsed();
    assert_eq!(code, 0, "{screen}");
    assert!(took < Duration::from_secs(2), "q took {took:?} to quit");
}
