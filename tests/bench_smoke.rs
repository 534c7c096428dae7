//! A tiny run of `taskscope bench`: the harness works end to end and the
//! probe sees every task. The real figures are in BENCHMARKS.md.

mod support;

use support::cli::command;

use serde_json::Value;

#[test]
fn bench_measures_every_workload_and_the_probe_sees_every_task() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("bench.json");
    let out = command()
        .args([
            "bench",
            "--runs",
            "1",
            "--scale",
            "0.02",
            "--configs",
            "bare,probe",
        ])
        .arg("--json")
        .arg(&json)
        .output()
        .expect("run bench");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("| spawn | probe |"), "{table}");
    let rows: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json written")).expect("json");
    assert_eq!(rows.len(), 4 * 2, "4 workloads x 2 configs");
    for row in rows.iter().filter(|r| r["config"] == "probe") {
        assert_eq!(row["seen"], row["spawned"], "{row}");
        assert_eq!(row["dropped"], 0, "{row}");
        assert!(row["wall_ratio"].as_f64().is_some_and(|r| r > 0.0), "{row}");
    }
}

#[test]
fn bench_rejects_unknown_names() {
    for args in [
        &["bench", "--workloads", "nope"][..],
        &["bench", "--configs", "nope"],
    ] {
        let out = command().args(args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

/// A client watching console-subscriber counts what it was sent: some of
/// the semaphore workload's tasks, never more than were spawned (plus the
/// few the harness itself spawns).
#[cfg(feature = "console")]
#[test]
fn console_watched_counts_the_tasks_a_client_receives() {
    let out = command()
        .args([
            "bench-child",
            "--workload",
            "semaphore",
            "--scale",
            "0.1",
            "--bench-config",
            "console-watched",
        ])
        .output()
        .expect("run bench-child");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: Value = serde_json::from_slice(&out.stdout).expect("json");
    let spawned = m["spawned"].as_u64().expect("spawned");
    let seen = m["seen"].as_u64().expect("seen");
    assert!(seen > 0 && seen <= spawned + 5, "{m}");
    assert!(m["dropped"].as_u64().is_some(), "{m}");
}
