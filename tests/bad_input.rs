//! Bad input anywhere: one line on stderr, exit code 2, never a panic.

mod support;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use support::tmux::Tmux;

/// Runs taskscope in `dir` with no user config (XDG_CONFIG_HOME points at `dir`).
fn taskscope_in(dir: &Path, args: &[&str]) -> Output {
    support::cli::command()
        .args(args)
        .current_dir(dir)
        .env("XDG_CONFIG_HOME", dir)
        .output()
        .expect("run taskscope")
}

/// Asserts exit code 2 and a single stderr line containing every `needle`.
fn rejects(dir: &Path, args: &[&str], needles: &[&str]) {
    let out = taskscope_in(dir, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert_eq!(err.trim().lines().count(), 1, "{args:?}: one line: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: '{n}' missing from: {err}");
    }
}

#[test]
fn bad_names_values_and_knobs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    rejects(d, &["demo", "nope", "--headless"], &["unknown demo 'nope'"]);
    rejects(d, &["demo", "--headless", "--duration", "soon"], &["soon"]);
    rejects(
        d,
        &["demo", "--headless", "--retain", "1x"],
        &["--retain", "1x"],
    );
    rejects(
        d,
        &["demo", "--set", "fanout=lots", "--headless"],
        &["fanout"],
    );
    rejects(d, &["demo", "--set", "fanout", "--headless"], &["fanout"]);
    rejects(d, &["demo", "--workers", "0", "--headless"], &["--workers"]);
    rejects(d, &["completions", "tcsh"], &["tcsh"]);
    rejects(
        d,
        &["demo", "--prometheus", "not-an-address", "--headless"],
        &["--prometheus"],
    );
}

#[test]
fn unreadable_and_invalid_config_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let run = ["demo", "--headless", "--duration", "1s", "--config"];
    let with = |file: &'static str| [&run[..], &[file]].concat();
    rejects(
        d,
        &with("missing.toml"),
        &["cannot read config file missing.toml"],
    );
    // A directory cannot be read as a file (a permission test would not
    // fail when the tests run as root).
    rejects(d, &with("."), &["cannot read config file ."]);
    std::fs::write(
        d.join("unknown.toml"),
        "retain = \"1s\"\nretention = \"2s\"\n",
    )
    .expect("write");
    rejects(d, &with("unknown.toml"), &["unknown.toml:2:", "retention"]);
    std::fs::write(d.join("bad.toml"), "[theme]\nascii = \"yes\"\n").expect("write");
    rejects(d, &with("bad.toml"), &["bad.toml:2:", "theme.ascii"]);
    std::fs::write(d.join("keys.toml"), "[keys]\nexplode = \"x\"\n").expect("write");
    rejects(
        d,
        &with("keys.toml"),
        &["keys.toml", "unknown action 'explode'"],
    );
    std::fs::write(d.join("broken.toml"), "retain = \"1s").expect("write");
    rejects(d, &with("broken.toml"), &["broken.toml:1:"]);
}

#[test]
fn the_implicit_config_files_are_read_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("taskscope.toml"), "colour = true\n").expect("write");
    rejects(d, &["list"], &["taskscope.toml:1:", "colour"]);
    std::fs::remove_file(d.join("taskscope.toml")).expect("rm");
    std::fs::create_dir_all(d.join("taskscope")).expect("mkdir");
    std::fs::write(d.join("taskscope/config.toml"), "workers = 999\n").expect("write");
    rejects(d, &["list"], &["config.toml:1:", "workers"]);
}

#[test]
fn a_report_path_that_cannot_be_written_fails_before_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let start = std::time::Instant::now();
    rejects(
        d,
        &[
            "demo",
            "--headless",
            "--duration",
            "20s",
            "--report",
            "no/such/dir/r.json",
        ],
        &["no/such/dir"],
    );
    rejects(
        d,
        &["demo", "--headless", "--duration", "20s", "--report", "."],
        &["directory"],
    );
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "it ran the demo first"
    );
}

#[test]
fn the_tui_without_a_terminal_says_to_use_headless() {
    let dir = tempfile::tempdir().expect("tempdir");
    rejects(dir.path(), &["demo"], &["not a terminal", "--headless"]);
    rejects(dir.path(), &[], &["not a terminal", "--headless"]);
}

#[test]
fn a_prometheus_address_in_use_is_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    rejects(
        dir.path(),
        &[
            "demo",
            "--headless",
            "--duration",
            "1s",
            "--prometheus",
            &addr,
        ],
        &["--prometheus", &addr],
    );
}

#[test]
fn a_terminal_too_small_is_one_line_and_exit_code_2() {
    let t = Tmux::start("demo gather", 30, 6);
    let (code, screen) = t.wait_exit(Duration::from_secs(20));
    assert_eq!(code, 2, "{screen}");
    // The line wraps at 30 columns.
    let text: String = screen.lines().map(str::trim_end).collect();
    assert!(text.contains("the terminal is 30x6"), "{screen}");
    assert!(!screen.contains("panicked"), "{screen}");
}
