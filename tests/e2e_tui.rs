//! End-to-end: the real binary in tmux, read off the screen.

mod support;

use std::time::Duration;

use support::tmux::Tmux;

const START: Duration = Duration::from_secs(20);

#[test]
fn opens_on_gather_shows_help_and_quits_back_to_the_shell() {
    let t = Tmux::start("", 80, 24);
    let screen = t.wait_for("the tasks table with tasks", START, |s| {
        s.contains("Tasks") && s.contains("gather.rs") && s.contains("demo gather (broken)")
    });
    assert!(screen.contains("2 workers"), "{screen}");
    t.send("?");
    let help = t.wait_text("invert the sort order", Duration::from_secs(5));
    assert!(help.contains("Esc"), "{help}");
    t.send("Escape");
    // An Escape followed at once by q reads as Alt-q: wait for the help to close.
    t.wait_for("the help to close", Duration::from_secs(5), |s| {
        !s.contains("invert the sort order")
    });
    t.send("q");
    let (code, screen) = t.wait_exit(Duration::from_secs(10));
    assert_eq!(code, 0, "{screen}");
    assert!(
        !screen.contains("Tasks"),
        "the alternate screen should be gone:\n{screen}"
    );
}

#[test]
fn f_flips_the_demo_to_its_fixed_variant() {
    let t = Tmux::start("demo gather", 120, 36);
    t.wait_text("demo gather (broken)", START);
    t.send("f");
    t.wait_text("demo gather (fixed)", Duration::from_secs(5));
    t.send("C-c");
    let (code, _) = t.wait_exit(Duration::from_secs(10));
    assert_eq!(code, 0);
}

#[test]
fn sigterm_restores_the_terminal() {
    // A seed no other test uses, so pkill finds only this process; the
    // pattern is anchored so it does not match the tmux server or the shell.
    let t = Tmux::start("demo gather --seed 4242", 80, 24);
    t.wait_text("Tasks", START);
    let pattern = format!(
        "^{} demo gather --seed 4242$",
        env!("CARGO_BIN_EXE_taskscope")
    );
    let status = std::process::Command::new("pkill")
        .args(["-TERM", "-f", &pattern])
        .status()
        .expect("pkill");
    assert!(status.success(), "no process matched {pattern}");
    let (code, screen) = t.wait_exit(Duration::from_secs(10));
    assert_eq!(code, 143, "{screen}");
    assert!(!screen.contains("Tasks"), "{screen}");
}
