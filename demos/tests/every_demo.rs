//! Every demo, both variants, runs a few rounds on a 2-worker runtime
//! within the budget and ends cleanly.

mod common;

use common::{demo, settings, TestRuntime};
use std::time::Duration;

use taskscope_demos::catalog;

fn runs_a_few_rounds(name: &str) {
    stops_when_told(name);
    for fixed in [false, true] {
        let rt = TestRuntime::new();
        let d = demo(name);
        let reports = rt.run(d.clone(), settings(&d, fixed, 3));
        assert_eq!(reports.len(), 3, "{name} fixed={fixed}: {reports:?}");
        assert!(
            reports.iter().any(|r| r.items > 0 || r.errors > 0),
            "{name} fixed={fixed} did nothing: {reports:?}"
        );
    }
}

/// Runs with no round limit and stops through the token mid-round.
fn stops_when_told(name: &str) {
    for fixed in [false, true] {
        let rt = TestRuntime::new();
        let d = demo(name);
        let started = std::time::Instant::now();
        let rounds = rt.run_until_stopped(
            d.clone(),
            settings(&d, fixed, 0),
            Duration::from_millis(700),
        );
        let took = started.elapsed();
        assert!(rounds >= 1, "{name} fixed={fixed}: no round in 700 ms");
        // Stopping aborts the round in progress instead of waiting for it.
        assert!(
            took < Duration::from_millis(900),
            "{name} fixed={fixed}: stop took {took:?}"
        );
    }
}

macro_rules! every_demo {
    ($($test:ident => $name:literal),* $(,)?) => {
        $(#[test] fn $test() { runs_a_few_rounds($name); })*

        #[test]
        fn these_tests_cover_the_whole_catalog() {
            let tested = [$($name),*];
            for d in catalog() {
                assert!(tested.contains(&d.info().name), "no test runs {}", d.info().name);
            }
        }
    };
}

every_demo! {
    gather_runs => "gather",
    task_group_runs => "task-group",
    semaphore_runs => "semaphore",
    queue_runs => "queue",
    timeouts_runs => "timeouts",
    pool_runs => "pool",
    mutex_runs => "mutex",
    blocking_runs => "blocking",
    leak_runs => "leak",
    shutdown_runs => "shutdown",
    select_runs => "select",
}
