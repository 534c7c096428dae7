//! Every demo, both variants, runs a few rounds on a 2-worker runtime
//! within the budget and ends cleanly.

mod common;

use common::{demo, settings, TestRuntime};
use taskscope_demos::catalog;

fn runs_a_few_rounds(name: &str) {
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
