//! The catalog and its knobs: well formed, and clear when misused.

use taskscope_demos::{catalog, find, KnobError, Settings};

#[test]
fn every_demo_is_described_and_its_knobs_are_sane() {
    let mut names = Vec::new();
    for d in catalog() {
        let info = d.info();
        assert!(
            info.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{} is not kebab-case",
            info.name
        );
        assert!(!info.summary.is_empty() && !info.summary.contains('\n'));
        assert!(
            info.explain.len() > 200,
            "{}: explain says too little",
            info.name
        );
        assert!(!info.knobs.is_empty(), "{} has no main knob", info.name);
        let mut knob_names = Vec::new();
        for k in info.knobs {
            assert!(
                k.min <= k.default && k.default <= k.max,
                "{}.{}",
                info.name,
                k.name
            );
            assert!(!k.help.is_empty(), "{}.{}", info.name, k.name);
            assert!(
                !knob_names.contains(&k.name),
                "{}.{} twice",
                info.name,
                k.name
            );
            knob_names.push(k.name);
        }
        assert!(!names.contains(&info.name), "{} twice", info.name);
        names.push(info.name);
    }
    for expected in [
        "gather",
        "task-group",
        "semaphore",
        "queue",
        "timeouts",
        "pool",
        "mutex",
        "blocking",
        "leak",
        "shutdown",
        "select",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
}

#[test]
fn unknown_knob_names_the_knobs_there_are() {
    let d = find("semaphore").expect("semaphore");
    let mut s = Settings::new(d.info().knobs);
    let err = s.set_str("permit=3").expect_err("no such knob");
    assert!(matches!(err, KnobError::Unknown { .. }));
    assert_eq!(
        err.to_string(),
        "unknown knob 'permit' (knobs: permits, requests, latency_ms, overload_at, error_pct, deadline_ms)"
    );
}

#[test]
fn out_of_range_knob_gives_the_range() {
    let d = find("leak").expect("leak");
    let mut s = Settings::new(d.info().knobs);
    let err = s.set_str("leaks=-1").expect_err("below range");
    assert_eq!(
        err.to_string(),
        "knob 'leaks' = -1 is out of range 0..=10000"
    );
    let err = s.set("leaks", 10_001).expect_err("above range");
    assert_eq!(
        err.to_string(),
        "knob 'leaks' = 10001 is out of range 0..=10000"
    );
    // A failed set leaves the value alone.
    assert_eq!(s.get("leaks"), 10);
    let err = s.set_str("leaks=ten").expect_err("not a number");
    assert_eq!(
        err.to_string(),
        "expected knob=value (an integer), got 'leaks=ten'"
    );
}

#[test]
fn unknown_demo_names_the_demos_there_are() {
    let err = find("semaphores").err().expect("no such demo");
    let message = err.to_string();
    assert!(
        message.starts_with("unknown demo 'semaphores' (demos: gather, "),
        "{message}"
    );
    assert!(message.contains("semaphore"), "{message}");
}
