//! Not a check: prints what every demo does per round, for tuning knobs.
//! `cargo test -p taskscope-demos --test tour -- --ignored --nocapture`

mod common;

use std::time::Instant;

use common::{settings, TestRuntime};
use taskscope_demos::catalog;

#[test]
#[ignore = "prints a table; run by hand"]
fn tour() {
    for d in catalog() {
        for fixed in [false, true] {
            let rt = TestRuntime::new();
            let s = settings(&d, fixed, 0);
            for round in 0..4 {
                let alive = rt.alive();
                let started = Instant::now();
                let (report, spawned) = rt.round(&d, &s, round);
                let took = started.elapsed().as_millis();
                rt.settle();
                println!(
                    "{:<11} {:<6} r{round} {took:>5} ms spawned {spawned:>4} left {:>4} {report:?}",
                    d.info().name,
                    if fixed { "fixed" } else { "broken" },
                    rt.alive() - alive,
                );
            }
        }
    }
}
