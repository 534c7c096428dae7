//! End-to-end diagnostics: the real binary in tmux shows what the lints
//! find, and the resources the demos contend on.

mod support;

use std::time::Duration;

use support::tmux::Tmux;

const START: Duration = Duration::from_secs(20);
const STEP: Duration = Duration::from_secs(5);

/// The warning count on the state line (the screen's second line).
fn warning_count(screen: &str) -> Option<u64> {
    let line = screen.lines().nth(1)?;
    let after = line.split('⚠').nth(1)?;
    after
        .split_whitespace()
        .next()?
        .replace(',', "")
        .parse()
        .ok()
}

#[test]
fn the_leak_demo_warns_and_the_warnings_tab_names_the_leak() {
    let t = Tmux::start("demo leak", 80, 24);
    let screen = t.wait_for("a warning count above 0", START, |s| {
        warning_count(s).is_some_and(|n| n > 0)
    });
    assert!(screen.contains("demo leak"), "{screen}");
    t.send("w");
    let warnings = t.wait_for("leaked-task at leak.rs in the warnings tab", STEP, |s| {
        s.contains("Warnings ")
            && s.lines()
                .any(|l| l.contains("leaked-task") && l.contains("leak.rs"))
    });
    assert!(warnings.contains("What to change"), "{warnings}");
    t.send("q");
    let (code, screen) = t.wait_exit(Duration::from_secs(10));
    assert_eq!(code, 0, "{screen}");
}

#[test]
fn the_mutex_demo_shows_the_ledger_with_waiters() {
    let t = Tmux::start("demo mutex", 80, 24);
    t.wait_text("demo mutex", START);
    t.send("r");
    let screen = t.wait_for("the ledger with waiters in the resources tab", START, |s| {
        s.contains("Resources ")
            && s.lines()
                .any(|l| l.contains("ledger") && waiters_at_most(l).is_some_and(|n| n > 0))
    });
    assert!(screen.contains("mutex"), "{screen}");
    // Its detail: who holds it and who waits.
    t.send("Enter");
    t.wait_for("the ledger's detail", STEP, |s| {
        s.contains("Mutex ledger") && s.contains("Held by") && s.contains("Wait time")
    });
    t.send("q");
    let (code, screen) = t.wait_exit(Duration::from_secs(10));
    assert_eq!(code, 0, "{screen}");
}

/// The most waiters of a resources row: the `now/max` cell.
fn waiters_at_most(row: &str) -> Option<u64> {
    row.split_whitespace()
        .find_map(|cell| cell.split_once('/'))
        .and_then(|(_, max)| max.trim_end_matches('│').parse().ok())
}
