//! The semaphore demo, measured through its metrics.

mod common;

use common::{demo, figures, settings, TestRuntime};

fn run(knobs: &[&str], fixed: bool, rounds: u64) -> std::collections::HashMap<String, f64> {
    let (rt, snapshotter) = TestRuntime::metered();
    let d = demo("semaphore");
    let mut s = settings(&d, fixed, rounds);
    for knob in knobs {
        s.set_str(knob).expect("valid knob");
    }
    let reports = rt.run(d, s);
    assert_eq!(reports.len() as u64, rounds);
    figures(&snapshotter)
}

#[test]
fn semaphore_never_has_more_holders_than_permits() {
    for fixed in [false, true] {
        let seen = run(&["permits=5", "requests=60"], fixed, 3);
        let most = seen["in_flight_at_call"];
        assert!(
            (1.0..=5.0).contains(&most),
            "fixed={fixed}: {most} holders at once"
        );
        assert!(seen["in_flight_max"] <= 5.0, "{seen:?}");
    }
}

#[test]
fn without_permits_the_whole_burst_is_in_flight() {
    // Proves the measure above can see more than the permits.
    let seen = run(&["permits=0", "requests=60"], true, 1);
    assert!(seen["in_flight_at_call"] > 30.0, "{seen:?}");
}

#[test]
fn broken_loses_a_permit_per_error_and_fixed_none() {
    // 3% of 40 requests: exactly one error, so one permit, per round.
    let broken = run(&[], false, 3);
    assert_eq!(broken["permits_available"], 5.0, "{broken:?}");
    assert_eq!(broken["permits_leaked"], 3.0, "{broken:?}");
    let fixed = run(&[], true, 3);
    assert_eq!(fixed["permits_available"], 8.0, "{fixed:?}");
    assert!(!fixed.contains_key("permits_leaked"), "{fixed:?}");
}

#[test]
fn broken_starves_once_every_permit_is_gone() {
    // 2 permits, 2 errors a round: the second round ends with none left and
    // the third serves nobody.
    let (rt, _) = TestRuntime::metered();
    let d = demo("semaphore");
    let mut s = settings(&d, false, 0);
    for knob in [
        "permits=2",
        "requests=20",
        "error_pct=10",
        "deadline_ms=200",
    ] {
        s.set_str(knob).expect("valid knob");
    }
    let third = (0..3).map(|round| rt.round(&d, &s, round).0).last();
    let third = third.expect("three rounds");
    assert_eq!((third.items, third.errors), (0, 20), "{third:?}");
}
