//! The headless contract: run the real binary, read its JSON report.

mod support;

use support::cli::run as taskscope;

use serde_json::Value;

fn report(args: &[&str]) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("report.json");
    let path_str = path.to_str().expect("utf-8 path");
    let mut all = args.to_vec();
    all.extend(["--headless", "--report", path_str]);
    let out = taskscope(&all);
    assert!(
        out.status.success(),
        "taskscope {all:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect("report written"))
        .expect("report is JSON")
}

fn u(v: &Value, pointer: &str) -> u64 {
    v.pointer(pointer)
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("{pointer} missing in {v}"))
}

#[test]
fn gather_accounts_for_every_task_it_spawned() {
    let r = report(&[
        "demo",
        "gather",
        "--fixed",
        "--set",
        "fanout=50",
        "--rounds",
        "3",
        "--duration",
        "20s",
    ]);
    let (spawned, completed, alive) = (
        u(&r, "/tasks/spawned"),
        u(&r, "/tasks/completed"),
        u(&r, "/tasks/alive"),
    );
    // 3 rounds x 50 fetches, plus the 3 round tasks and the round runner.
    assert_eq!(spawned, 3 * 50 + 3 + 1, "{r}");
    assert_eq!(spawned, completed + alive, "{r}");
    assert!(completed >= 150, "{r}");
    assert_eq!(u(&r, "/runtime/workers"), 2);
    assert_eq!(u(&r, "/dropped_events"), 0);
    assert_eq!(
        r.pointer("/source/name").and_then(Value::as_str),
        Some("gather")
    );
    assert!(r.pointer("/warnings").is_some_and(Value::is_array));
    assert!(r.pointer("/resources").is_some_and(Value::is_array));
}

#[test]
fn a_headless_run_stops_at_its_duration() {
    let start = std::time::Instant::now();
    let r = report(&["demo", "gather", "--duration", "1s"]);
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
    let ms = u(&r, "/duration_ms");
    assert!((900..3000).contains(&ms), "duration_ms {ms}");
    assert!(u(&r, "/tasks/spawned") > 0);
}

#[test]
fn list_names_every_demo() {
    let out = taskscope(&["list"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for demo in taskscope_demos::catalog() {
        assert!(
            text.contains(demo.info().name),
            "{} missing from:\n{text}",
            demo.info().name
        );
    }
}

#[test]
fn bad_input_is_one_line_and_exit_code_2() {
    for args in [
        &["demo", "no-such-demo", "--headless"][..],
        &["demo", "gather", "--set", "fanout=-1", "--headless"],
        &["demo", "gather", "--set", "nope=1", "--headless"],
        &["demo", "gather", "--duration", "soon", "--headless"],
    ] {
        let out = taskscope(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    let out = taskscope(&["demo", "no-such-demo", "--headless"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("unknown demo 'no-such-demo'") && err.contains("gather"),
        "{err}"
    );
}
