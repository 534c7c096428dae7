//! Record, replay and export, through the real binary.

mod support;

use support::cli::{command, ok, path_str as s, run as taskscope};

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("file written");
    serde_json::from_str(&text).expect("valid JSON")
}

/// A finished recording of three rounds of gather, and its live report.
fn recorded_gather(dir: &Path) -> (PathBuf, Value) {
    let rec = dir.join("gather.tsrec");
    let live = dir.join("live.json");
    ok(&[
        "demo",
        "gather",
        "--fixed",
        "--set",
        "fanout=50",
        "--rounds",
        "3",
        "--duration",
        "20s",
        "--headless",
        "--record",
        s(&rec),
        "--report",
        s(&live),
    ]);
    (rec, json(&live))
}

#[test]
fn a_headless_replay_reports_what_the_live_run_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (rec, live) = recorded_gather(dir.path());
    let replayed = dir.path().join("replay.json");
    ok(&["replay", s(&rec), "--headless", "--report", s(&replayed)]);
    let replayed = json(&replayed);
    assert!(live.pointer("/tasks/spawned").and_then(Value::as_u64) > Some(100));
    for field in [
        "/tasks",
        "/warnings",
        "/source",
        "/duration_ms",
        "/runtime/workers",
    ] {
        assert_eq!(live.pointer(field), replayed.pointer(field), "{field}");
    }
    // `report --json` reads the same file to the same report.
    let exported = dir.path().join("report.json");
    ok(&["report", s(&rec), "--json", s(&exported)]);
    assert_eq!(json(&exported).pointer("/tasks"), live.pointer("/tasks"));
}

#[test]
fn a_recording_of_a_killed_process_replays_up_to_its_last_frame() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("killed.tsrec");
    let mut child = command()
        .args([
            "demo",
            "gather",
            "--headless",
            "--duration",
            "30s",
            "--record",
        ])
        .arg(&rec)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start taskscope");
    std::thread::sleep(Duration::from_millis(1500));
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    let report = dir.path().join("report.json");
    let out = ok(&["replay", s(&rec), "--headless", "--report", s(&report)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cut short"), "{err}");
    let spawned = json(&report)
        .pointer("/tasks/spawned")
        .and_then(Value::as_u64);
    assert!(spawned > Some(0), "{spawned:?}");
}

#[test]
fn the_chrome_trace_has_one_named_track_per_task() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (rec, live) = recorded_gather(dir.path());
    let trace = dir.path().join("trace.json");
    ok(&["report", s(&rec), "--chrome", s(&trace)]);
    let trace = json(&trace);
    let events = trace["traceEvents"].as_array().expect("traceEvents");
    let of = |ph: &str, name: &str| -> Vec<&Value> {
        events
            .iter()
            .filter(|e| e["ph"] == ph && e["name"] == name)
            .collect()
    };
    let tracks: Vec<u64> = of("M", "thread_name")
        .iter()
        .map(|e| e["tid"].as_u64().expect("tid"))
        .collect();
    let unique: HashSet<u64> = tracks.iter().copied().collect();
    assert_eq!(unique.len(), tracks.len(), "a task named twice");
    let spawned = live.pointer("/tasks/spawned").and_then(Value::as_u64);
    assert_eq!(Some(tracks.len() as u64), spawned);
    // Every poll sits on a named track and has a length.
    let polls = of("X", "poll");
    assert!(!polls.is_empty());
    for poll in polls {
        assert!(
            unique.contains(&poll["tid"].as_u64().expect("tid")),
            "{poll}"
        );
        assert!(poll["dur"].as_f64().is_some_and(|d| d >= 0.0), "{poll}");
    }
    assert!(!of("C", "global queue").is_empty());
    assert!(!of("C", "alive tasks").is_empty());
}

#[test]
fn unreadable_recordings_are_one_line_and_exit_code_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (rec, _) = recorded_gather(dir.path());
    let good = std::fs::read(&rec).expect("read");
    let mut newer = good.clone();
    newer[8..10].copy_from_slice(&99u16.to_le_bytes());
    let mut wrong_magic = good.clone();
    wrong_magic[..5].copy_from_slice(b"PK\x03\x04\x00");
    let random: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let cases: [(&str, &[u8], &str); 5] = [
        ("header.tsrec", &good[..12], "ends inside its header"),
        ("magic.tsrec", &wrong_magic, "not a taskscope recording"),
        ("v99.tsrec", &newer, "version 99"),
        ("random.tsrec", &random, "not a taskscope recording"),
        ("empty.tsrec", &[], "empty"),
    ];
    let mut files: Vec<(PathBuf, &str)> = cases
        .iter()
        .map(|(name, bytes, problem)| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).expect("write");
            (path, *problem)
        })
        .collect();
    files.push((dir.path().join("missing.tsrec"), "No such file"));
    for (path, problem) in &files {
        for args in [
            &["replay", s(path), "--headless"][..],
            &["report", s(path), "--json", "-"],
        ] {
            let out = taskscope(args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
            assert!(
                err.contains(s(path)) && err.contains(problem),
                "{args:?}: {err}"
            );
        }
    }
}

#[test]
fn a_bad_record_path_is_bad_input_and_a_headless_replay_does_not_wait() {
    // --record to a directory that does not exist is bad input, not a crash.
    let out = taskscope(&[
        "demo",
        "gather",
        "--headless",
        "--duration",
        "1s",
        "--record",
        "/no/such/dir/x.tsrec",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("/no/such/dir/x.tsrec"), "{err}");
    // And a headless replay never waits for the recorded pace.
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("slow.tsrec");
    ok(&[
        "demo",
        "gather",
        "--headless",
        "--duration",
        "3s",
        "--record",
        s(&rec),
    ]);
    let start = Instant::now();
    ok(&["replay", s(&rec), "--headless"]);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}
