//! Same seed and knobs, same shape: every round spawns the same number of
//! tasks, run after run.

mod common;

use common::{demo, settings, TestRuntime};

/// Tasks spawned by each of 3 rounds, on a fresh runtime and demo.
fn spawned_per_round(name: &str, fixed: bool, seed: u64) -> Vec<u64> {
    let rt = TestRuntime::new();
    let d = demo(name);
    let mut s = settings(&d, fixed, 0);
    s.seed = seed;
    (0..3).map(|round| rt.round(&d, &s, round).1).collect()
}

fn same_shape(name: &str) {
    for fixed in [false, true] {
        let first = spawned_per_round(name, fixed, 42);
        assert!(first.iter().all(|n| *n > 0), "{name}: {first:?}");
        assert_eq!(
            first,
            spawned_per_round(name, fixed, 42),
            "{name} fixed={fixed}"
        );
    }
}

macro_rules! same_seed_same_shape {
    ($($test:ident => $name:literal),* $(,)?) => {
        $(#[test] fn $test() { same_shape($name); })*
    };
}

same_seed_same_shape! {
    gather_same_shape => "gather",
    task_group_same_shape => "task-group",
    semaphore_same_shape => "semaphore",
    queue_same_shape => "queue",
    timeouts_same_shape => "timeouts",
    pool_same_shape => "pool",
    mutex_same_shape => "mutex",
    blocking_same_shape => "blocking",
    leak_same_shape => "leak",
    shutdown_same_shape => "shutdown",
    select_same_shape => "select",
}
