//! The config file through the real binary: gen-config, layering, completions.

mod support;

use std::path::Path;
use std::process::Output;

use serde_json::Value;

fn taskscope_in(dir: &Path, args: &[&str]) -> Output {
    support::cli::command()
        .args(args)
        .current_dir(dir)
        .env("XDG_CONFIG_HOME", dir)
        .output()
        .expect("run taskscope")
}

fn workers_in_report(dir: &Path, extra: &[&str]) -> u64 {
    let mut args = vec![
        "demo",
        "--headless",
        "--duration",
        "600ms",
        "--report",
        "r.json",
    ];
    args.extend(extra);
    let out = taskscope_in(dir, &args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r.json")).expect("report"))
            .expect("json");
    report
        .pointer("/runtime/workers")
        .and_then(Value::as_u64)
        .expect("workers")
}

#[test]
fn gen_config_output_is_a_valid_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = taskscope_in(dir.path(), &["gen-config"]);
    assert!(out.status.success());
    std::fs::write(dir.path().join("gen.toml"), &out.stdout).expect("write");
    assert_eq!(workers_in_report(dir.path(), &["--config", "gen.toml"]), 2);
}

#[test]
fn defaults_then_files_then_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    assert_eq!(workers_in_report(d, &[]), 2, "built-in default");
    std::fs::write(d.join("taskscope.toml"), "workers = 3\n").expect("write");
    assert_eq!(workers_in_report(d, &[]), 3, "./taskscope.toml");
    std::fs::write(d.join("more.toml"), "workers = 4\n").expect("write");
    assert_eq!(
        workers_in_report(d, &["--config", "more.toml"]),
        4,
        "--config wins"
    );
    assert_eq!(
        workers_in_report(d, &["--config", "more.toml", "--workers", "2"]),
        2,
        "a flag wins, even at its default value"
    );
}

#[test]
fn completions_for_each_shell() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (shell, marker) in [
        ("bash", "complete"),
        ("zsh", "#compdef"),
        ("fish", "complete -c taskscope"),
    ] {
        let out = taskscope_in(dir.path(), &["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(marker), "{shell}: {text}");
        assert!(text.contains("gen-config"), "{shell}");
    }
}
