//! Tasks alive after a round: the fixed variants leave none, the broken
//! ones exactly what their knobs say, counted both by the round report and
//! by the runtime's live-task count.

mod common;

use common::{demo, settings, TestRuntime};

/// Runs `rounds` rounds one by one and returns, per round, the report's
/// `left_behind` and how many more tasks are alive after the round ended
/// and settled.
fn left_per_round(name: &str, fixed: bool, knobs: &[&str], rounds: u64) -> Vec<(u64, usize)> {
    let rt = TestRuntime::new();
    let d = demo(name);
    let mut s = settings(&d, fixed, 0);
    for knob in knobs {
        s.set_str(knob).expect("valid knob");
    }
    (0..rounds)
        .map(|round| {
            let alive = rt.alive();
            let (report, _) = rt.round(&d, &s, round);
            rt.settle();
            (report.left_behind, rt.alive() - alive)
        })
        .collect()
}

#[test]
fn leak_broken_leaves_exactly_its_knob() {
    assert_eq!(
        left_per_round("leak", false, &["work_ms=5"], 3),
        vec![(10, 10); 3]
    );
    assert_eq!(
        left_per_round("leak", false, &["leaks=7", "work_ms=5"], 2),
        vec![(7, 7); 2]
    );
}

#[test]
fn leak_broken_stops_at_its_cap() {
    assert_eq!(
        left_per_round("leak", false, &["work_ms=5", "cap=15"], 3),
        vec![(10, 10), (5, 5), (0, 0)]
    );
}

#[test]
fn leak_fixed_leaves_none() {
    assert_eq!(
        left_per_round("leak", true, &["work_ms=5"], 3),
        vec![(0, 0); 3]
    );
}

#[test]
fn timeouts_broken_leaves_exactly_the_hung_calls() {
    // 10% of 20 calls hang: 2 per round.
    assert_eq!(left_per_round("timeouts", false, &[], 3), vec![(2, 2); 3]);
    assert_eq!(
        left_per_round(
            "timeouts",
            false,
            &["calls=30", "hang_pct=50", "deadline_ms=200"],
            2
        ),
        vec![(15, 15); 2]
    );
}

#[test]
fn timeouts_broken_stops_at_its_cap() {
    assert_eq!(
        left_per_round("timeouts", false, &["cap=3", "deadline_ms=200"], 3),
        vec![(2, 2), (1, 1), (0, 0)]
    );
}

#[test]
fn timeouts_fixed_leaves_none() {
    assert_eq!(left_per_round("timeouts", true, &[], 3), vec![(0, 0); 3]);
    // The batch deadline, not the call timeouts, ends this one.
    assert_eq!(
        left_per_round(
            "timeouts",
            true,
            &["call_timeout_ms=5000", "deadline_ms=100"],
            2
        ),
        vec![(0, 0); 2]
    );
}

#[test]
fn shutdown_leaves_none_either_way() {
    // Broken aborts its workers, fixed lets them finish: no task outlives
    // the round in either.
    assert_eq!(left_per_round("shutdown", false, &[], 2), vec![(0, 0); 2]);
    assert_eq!(left_per_round("shutdown", true, &[], 2), vec![(0, 0); 2]);
}
