//! Lints end to end: the real binary, headless, on a workload that leaks.

mod support;

use support::cli::run as taskscope;

use serde_json::Value;

/// `gather` giving up on each round after 50 ms while its single fetch
/// takes seconds: broken leaves the fetch running past its round.
fn leaky_gather(extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("report.json");
    let path_str = path.to_str().expect("utf-8 path");
    let mut args = vec![
        "demo",
        "gather",
        "--set",
        "fanout=1",
        "--set",
        "latency_ms=3000",
        "--set",
        "deadline_ms=50",
        "--duration",
        "1500ms",
        "--headless",
        "--report",
        path_str,
    ];
    args.extend(extra);
    let out = taskscope(&args);
    assert!(
        out.status.success(),
        "taskscope {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect("report")).expect("JSON")
}

fn warnings_of<'a>(report: &'a Value, lint: &str) -> Vec<&'a Value> {
    report
        .pointer("/warnings")
        .and_then(Value::as_array)
        .map(|ws| {
            ws.iter()
                .filter(|w| w.get("lint").and_then(Value::as_str) == Some(lint))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn broken_gather_past_its_deadline_leaks_and_the_report_says_where() {
    let r = leaky_gather(&[]);
    let leaks = warnings_of(&r, "leaked-task");
    assert_eq!(leaks.len(), 1, "{r}");
    let w = leaks[0];
    let count = w.get("count").and_then(Value::as_u64).unwrap_or(0);
    // About one round per 50 ms, each leaving its fetch behind; the last
    // 250 ms are within the grace period.
    assert!(count >= 8, "{w}");
    let location = w.get("location").and_then(Value::as_str).unwrap_or("");
    assert!(location.contains("gather.rs"), "{w}");
    let tasks = w.get("tasks").and_then(Value::as_array).map_or(0, Vec::len);
    assert_eq!(tasks as u64, count.min(50), "{w}");
    assert!(w
        .get("summary")
        .and_then(Value::as_str)
        .is_some_and(|s| s.contains("outlived")));
    // Leaked tasks are still alive when the report is taken (before the
    // runtime shuts down and drops them).
    let alive = r
        .pointer("/tasks/alive")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    assert!(alive >= count, "{r}");
}

#[test]
fn fixed_gather_aborts_what_it_gives_up_on() {
    let r = leaky_gather(&["--fixed"]);
    assert!(warnings_of(&r, "leaked-task").is_empty(), "{r}");
}

#[test]
fn thresholds_and_allow_change_the_outcome() {
    let r = leaky_gather(&["--threshold", "leaked-task.grace_ms=60000"]);
    assert!(warnings_of(&r, "leaked-task").is_empty(), "{r}");
    let r = leaky_gather(&["--allow", "all", "--warn", "blocking-poll"]);
    assert!(warnings_of(&r, "leaked-task").is_empty(), "{r}");
}

#[test]
fn bad_lint_options_are_input_errors() {
    for args in [
        &["demo", "gather", "--headless", "--allow", "no-such-lint"][..],
        &[
            "demo",
            "gather",
            "--headless",
            "--threshold",
            "leaked-task.nope=1",
        ],
        &[
            "demo",
            "gather",
            "--headless",
            "--threshold",
            "leaked-task.grace_ms",
        ],
    ] {
        let out = taskscope(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
}
