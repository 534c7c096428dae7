//! Work accepted and then lost: the broken variants lose some, the fixed
//! ones none.

mod common;

use common::{demo, settings, TestRuntime};

fn lost_per_round(name: &str, fixed: bool) -> Vec<u64> {
    let rt = TestRuntime::new();
    let d = demo(name);
    let reports = rt.run(d.clone(), settings(&d, fixed, 3));
    assert_eq!(reports.len(), 3);
    assert!(reports.iter().all(|r| r.items > 0), "{name}: {reports:?}");
    reports.iter().map(|r| r.lost).collect()
}

#[test]
fn shutdown_broken_cuts_off_every_item_in_hand() {
    // 4 workers, busy when the shutdown comes: each loses its item (a
    // worker the scheduler had not started yet would lose none).
    let lost = lost_per_round("shutdown", false);
    assert!(lost.iter().all(|l| (1..=4).contains(l)), "{lost:?}");
}

#[test]
fn shutdown_fixed_loses_nothing() {
    assert_eq!(lost_per_round("shutdown", true), vec![0; 3]);
}

#[test]
fn select_unsafe_read_loses_messages() {
    let lost = lost_per_round("select", false);
    assert!(lost.iter().sum::<u64>() > 0, "{lost:?}");
}

#[test]
fn select_safe_read_loses_nothing() {
    assert_eq!(lost_per_round("select", true), vec![0; 3]);
}
