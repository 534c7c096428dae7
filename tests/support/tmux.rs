//! Drives the real binary in a tmux session, as a user would.

use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

pub struct Tmux {
    session: String,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

/// Printed by the shell after taskscope exits, with its exit code.
pub const EXIT_MARK: &str = "TASKSCOPE_EXITED";

impl Tmux {
    /// Starts `taskscope ARGS` in a new detached session of the given size.
    /// After it exits, the shell prints `TASKSCOPE_EXITED <code>` and waits.
    pub fn start(args: &str, width: u16, height: u16) -> Self {
        let session = format!(
            "ts-e2e-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let bin = env!("CARGO_BIN_EXE_taskscope");
        let script = format!("{bin} {args}; echo {EXIT_MARK} $?; sleep 60");
        // One tmux server per session (-L): parallel tests racing to start
        // the default server can kill each other's sessions.
        let status = Command::new("tmux")
            .args([
                "-L",
                &session,
                "new-session",
                "-d",
                "-s",
                &session,
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
            ])
            .arg(script)
            .env("XDG_CONFIG_HOME", super::cli::empty_config_home())
            .env_remove("NO_COLOR")
            .status()
            .expect("tmux is installed (CI installs it)");
        assert!(status.success(), "tmux new-session failed");
        Self { session }
    }

    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args([
                "-L",
                &self.session,
                "capture-pane",
                "-p",
                "-t",
                &self.session,
            ])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Keys in tmux's send-keys syntax (`q`, `Escape`, `C-c`, `Left`).
    pub fn send(&self, keys: &str) {
        let status = Command::new("tmux")
            .args(["-L", &self.session, "send-keys", "-t", &self.session, keys])
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    /// Waits until the screen satisfies `pred`; panics with the screen if not.
    pub fn wait_for(&self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < timeout,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn wait_text(&self, text: &str, timeout: Duration) -> String {
        self.wait_for(&format!("'{text}'"), timeout, |s| s.contains(text))
    }

    /// Waits for taskscope to exit and returns its exit code and the screen.
    pub fn wait_exit(&self, timeout: Duration) -> (i32, String) {
        let screen = self.wait_text(EXIT_MARK, timeout);
        let code = screen
            .lines()
            .find_map(|l| l.trim().strip_prefix(EXIT_MARK))
            .and_then(|c| c.trim().parse().ok())
            .unwrap_or(-1);
        (code, screen)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.session, "kill-server"])
            .status();
    }
}
