//! Runs the real binary as a user would, isolated from the user's own
//! config file (`XDG_CONFIG_HOME` points at an empty folder).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// An empty config home shared by this test process.
pub fn empty_config_home() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("taskscope-tests-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the config home");
        dir
    })
}

/// `taskscope` with no arguments yet, colours on unless a test asks.
pub fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_taskscope"));
    cmd.env("XDG_CONFIG_HOME", empty_config_home())
        .env_remove("NO_COLOR");
    cmd
}

pub fn run(args: &[&str]) -> Output {
    command().args(args).output().expect("run taskscope")
}

/// Runs and asserts success, showing stderr if not.
pub fn ok(args: &[&str]) -> Output {
    let out = run(args);
    assert!(
        out.status.success(),
        "taskscope {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}
