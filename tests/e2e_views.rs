//! End-to-end through the tabs: the real binary in tmux, driven by keys
//! as a user would, read off the screen.

mod support;

use std::time::Duration;

use support::tmux::Tmux;

const START: Duration = Duration::from_secs(20);
const STEP: Duration = Duration::from_secs(5);

#[test]
fn runtime_tab_detail_filter_picker_fixed_and_quit() {
    let t = Tmux::start("demo gather", 80, 24);
    t.wait_for("the tasks table with tasks", START, |s| {
        s.contains("Tasks") && s.contains("gather.rs")
    });

    // Runtime tab: one row per worker and the runtime-wide figures.
    t.send("u");
    let screen = t.wait_for("the runtime tab", STEP, |s| {
        s.contains("Runtime ·") && s.contains("global queue")
    });
    assert!(screen.contains("w0") && screen.contains("w1"), "{screen}");
    assert!(screen.contains("alive tasks"), "{screen}");

    // Back to the tasks, pause so the rows hold still, open a detail.
    t.send("t");
    t.wait_text("sort busy", STEP);
    t.send("Space");
    t.wait_text("PAUSED", STEP);
    t.send("j");
    t.send("Enter");
    let detail = t.wait_for("a task's detail", STEP, |s| {
        s.contains("Esc back") && s.contains("Poll time")
    });
    assert!(detail.contains("Location"), "{detail}");
    assert!(detail.contains("Parent"), "{detail}");
    t.send("Escape");
    t.wait_for("the table again", STEP, |s| {
        s.contains("sort busy") && !s.contains("Esc back")
    });
    t.send("Space");
    t.wait_for("the display to resume", STEP, |s| !s.contains("PAUSED"));

    // Filter: only the round tasks (runner.rs) stay.
    t.send("/");
    t.send("runner");
    t.send("Enter");
    let filtered = t.wait_text("filter runner", STEP);
    assert!(filtered.contains("runner.rs"), "{filtered}");
    assert!(!filtered.contains("gather.rs:"), "{filtered}");
    t.send("Escape");
    t.wait_for("the filter to clear", STEP, |s| {
        !s.contains("filter runner")
    });

    // Picker: two down from gather is semaphore; Enter runs it.
    t.send("d");
    t.wait_text("Demos", STEP);
    t.send("j");
    t.send("j");
    t.send("Enter");
    t.wait_text("demo semaphore (broken)", START);
    t.send("f");
    t.wait_text("demo semaphore (fixed)", STEP);

    t.send("q");
    let (code, screen) = t.wait_exit(Duration::from_secs(10));
    assert_eq!(code, 0, "{screen}");
}

#[test]
fn the_tree_key_nests_tasks_under_their_round() {
    let t = Tmux::start("demo gather --fixed", 120, 36);
    t.wait_text("gather.rs", START);
    t.send("T");
    let tree = t.wait_for("the spawn tree", STEP, |s| {
        s.contains("· tree ·") && (s.contains("├─") || s.contains("└─"))
    });
    assert!(tree.contains("runner.rs"), "{tree}");
    t.send("q");
    let (code, _) = t.wait_exit(Duration::from_secs(10));
    assert_eq!(code, 0);
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_sigcont_redraws() {
    // A seed no other test uses, so pkill finds only this process; the
    // pattern is anchored so it does not match the tmux server or the shell.
    let t = Tmux::start("demo gather --seed 5151", 80, 24);
    t.wait_text("Tasks", START);
    t.send("C-z");
    t.wait_for("the alternate screen to go", STEP, |s| !s.contains("Tasks"));
    let pattern = format!(
        "^{} demo gather --seed 5151$",
        env!("CARGO_BIN_EXE_taskscope")
    );
    let pid = std::process::Command::new("pgrep")
        .args(["-f", &pattern])
        .output()
        .expect("pgrep");
    let pid = String::from_utf8_lossy(&pid.stdout).trim().to_owned();
    wait_stopped(&pid);
    // What `fg` does: continue the stopped process.
    let status = std::process::Command::new("pkill")
        .args(["-CONT", "-f", &pattern])
        .status()
        .expect("pkill");
    assert!(status.success(), "no process matched {pattern}");
    t.wait_for("the redrawn screen", STEP, |s| {
        s.contains("Tasks") && s.contains("demo gather")
    });
    t.send("q");
    let (code, screen) = t.wait_exit(Duration::from_secs(10));
    assert_eq!(code, 0, "{screen}");
}

/// Waits until process `pid` is stopped (state T in /proc/PID/stat).
fn wait_stopped(pid: &str) {
    let start = std::time::Instant::now();
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // The field after the parenthesised name is the state.
        let state = stat.rsplit(')').next().unwrap_or("").trim_start();
        if state.starts_with('T') {
            return;
        }
        assert!(start.elapsed() < STEP, "pid {pid} not stopped: {stat}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
