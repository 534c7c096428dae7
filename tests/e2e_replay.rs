//! End-to-end over a recording and a config file: the real binary in
//! tmux, read off the screen.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use support::tmux::{Tmux, EXIT_MARK};

const START: Duration = Duration::from_secs(20);
const KEY: Duration = Duration::from_secs(5);

/// Records about 4 s of the leak demo, headless.
fn record(dir: &Path) -> String {
    let file = dir.join("leak.tsrec");
    let out = Command::new(env!("CARGO_BIN_EXE_taskscope"))
        .args(["demo", "leak", "--headless", "--duration", "4s", "--record"])
        .arg(&file)
        .args(["--report"])
        .arg(dir.join("report.json"))
        .output()
        .expect("run taskscope");
    assert!(
        out.status.success(),
        "recording failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    file.display().to_string()
}

/// `(position, length)` as the progress bar writes them: `00:01 / 00:04`.
fn progress(screen: &str) -> Option<(String, String)> {
    let line = screen.lines().nth(1)?;
    let mut words = line.split_whitespace();
    while let Some(word) = words.next() {
        let mut ahead = words.clone();
        if ahead.next() == Some("/") {
            let length = ahead.next()?;
            if word.contains(':') && length.contains(':') {
                return Some((word.to_owned(), length.to_owned()));
            }
        }
    }
    None
}

#[test]
fn replay_shows_progress_seeks_changes_speed_pauses_and_quits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = record(dir.path());
    let t = Tmux::start(&format!("replay {file}"), 80, 24);
    let screen = t.wait_for("the progress bar", START, |s| {
        s.contains("playing") && progress(s).is_some()
    });
    let (_, length) = progress(&screen).expect("progress");
    assert_ne!(
        length, "00:00",
        "the recording should last seconds:\n{screen}"
    );
    assert!(screen.contains("1x"), "{screen}");
    assert!(screen.contains("←/→ seek"), "{screen}");

    t.send("End");
    t.wait_for("the position at the end", KEY, |s| {
        progress(s).is_some_and(|(at, len)| at == len) && s.contains("at end")
    });

    t.send("Home");
    t.wait_for("the position back at the start", KEY, |s| {
        progress(s).is_some_and(|(at, _)| at == "00:00" || at == "00:01") && !s.contains("at end")
    });

    t.send(">");
    t.wait_text("2x", KEY);

    t.send("Space");
    let paused = t.wait_text("paused", KEY);
    // Paused: the position stays put.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(progress(&t.screen()), progress(&paused), "{paused}");

    t.send("q");
    let (code, screen) = t.wait_exit(Duration::from_secs(10));
    assert_eq!(code, 0, "{screen}");
}

#[test]
fn a_config_key_override_changes_the_footer_and_the_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("keys.toml");
    std::fs::write(&config, "[keys]\nquit = \"x\"\n").expect("write config");
    let t = Tmux::start(
        &format!("demo gather --config {}", config.display()),
        80,
        24,
    );
    let screen = t.wait_text("x quit", START);
    assert!(!screen.contains("q quit"), "{screen}");
    // q no longer quits.
    t.send("q");
    std::thread::sleep(Duration::from_millis(800));
    let screen = t.screen();
    assert!(!screen.contains(EXIT_MARK), "{screen}");
    assert!(screen.contains("x quit"), "{screen}");
    t.send("x");
    let (code, screen) = t.wait_exit(Duration::from_secs(10));
    assert_eq!(code, 0, "{screen}");
}
