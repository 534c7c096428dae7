use std::path::Path;
use std::time::Duration;

use clap::{CommandFactory as _, FromArgMatches as _, Parser as _};

use super::*;
use crate::cli::{Cli, Cmd};

fn parse(text: &str) -> Result<Config, String> {
    Config::parse(text, Path::new("t.toml")).map_err(|e| e.0)
}

#[test]
fn the_generated_file_parses_back_to_the_defaults() {
    assert_eq!(parse(&default_file()), Ok(Config::default()));
}

#[test]
fn the_defaults_are_the_command_lines() {
    let Some(Cmd::Demo(demo)) = Cli::parse_from(["taskscope", "demo"]).command else {
        panic!("demo")
    };
    let d = Config::default();
    assert_eq!(demo.session.retain, d.retain);
    assert_eq!(demo.session.interval, d.interval);
    assert_eq!(demo.demo.workers, d.workers);
}

#[test]
fn a_file_sets_only_what_it_names() {
    let c = parse("retain = \"1m\"\n[theme]\nascii = true\n").expect("valid");
    assert_eq!(c.retain, Duration::from_secs(60));
    assert!(c.theme.ascii);
    assert!(c.theme.color);
    assert_eq!(c.interval, Config::default().interval);
}

#[test]
fn unknown_keys_are_named_with_the_file_and_line() {
    let e = parse("retain = \"1s\"\nretention = \"2s\"\n").expect_err("unknown key");
    assert!(e.starts_with("t.toml:2:"), "{e}");
    assert!(e.contains("retention"), "{e}");
    let e = parse("[theme]\ncolour = false\n").expect_err("unknown key");
    assert!(e.contains("colour") && e.contains("t.toml:2"), "{e}");
    let e = parse("[lints]\nthreshold = {}\n").expect_err("unknown key");
    assert!(e.contains("threshold"), "{e}");
}

#[test]
fn bad_values_are_named() {
    for (text, needle) in [
        ("retain = \"soon\"", "soon"),
        ("retain = 5", "string"),
        ("interval = \"0s\"", "more than 0"),
        ("workers = 0", "1 to 256"),
        ("workers = 1000", "1 to 256"),
        ("[theme]\nascii = \"yes\"", "bool"),
        (
            "[lints.thresholds]\n\"blocking-poll.poll_ms\" = -1.0",
            ">= 0",
        ),
        (
            "[lints.thresholds]\n\"blocking-poll.nope\" = 1.0",
            "[lints] lint 'blocking-poll' has no threshold 'nope'",
        ),
        ("[lints]\nallow = [\"leaky\"]", "unknown lint 'leaky'"),
        ("[keys]\nquit = \"ctrl-\"", "quit"),
        ("[keys]\nexplode = \"x\"", "unknown action 'explode'"),
        ("retain = ", "t.toml:1"),
    ] {
        let e = parse(text).expect_err(text);
        assert!(e.contains(needle), "{text}: {e}");
        assert!(e.starts_with("t.toml"), "{text}: {e}");
        assert!(!e.contains('\n'), "one line: {e}");
    }
}

#[test]
fn lint_settings_layer_under_the_command_line() {
    let c = parse(
        "[lints]\nallow = [\"leaked-task\"]\nwarn = [\"contention\"]\n\
         [lints.thresholds]\n\"blocking-poll.poll_ms\" = 25\n",
    )
    .expect("valid");
    let cli = layered(
        &[
            "taskscope",
            "demo",
            "--allow",
            "contention",
            "--threshold",
            "blocking-poll.poll_ms=50",
        ],
        &c,
    );
    let Some(Cmd::Demo(demo)) = &cli.command else {
        panic!("demo")
    };
    let lints = &demo.session.lints;
    assert_eq!(lints.allow, ["leaked-task", "contention"]);
    assert!(lints.warn.is_empty(), "the command line's --allow wins");
    assert_eq!(
        lints.thresholds,
        ["blocking-poll.poll_ms=25", "blocking-poll.poll_ms=50"],
        "the command line's threshold comes last, so it wins"
    );
    lints.config().expect("a valid lint config");
}

#[test]
fn later_files_win_key_by_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = dir.path().join("a.toml");
    std::fs::write(&first, "retain = \"1s\"\n[theme]\nascii = true\n").expect("write");
    let mut merged = toml::Table::new();
    merge(
        &mut merged,
        toml::from_str(&std::fs::read_to_string(&first).expect("read")).expect("toml"),
    );
    merge(
        &mut merged,
        toml::from_str("[theme]\ncolor = false\n").expect("toml"),
    );
    let c: Config = merged.try_into().expect("valid");
    assert_eq!(c.retain, Duration::from_secs(1));
    assert!(c.theme.ascii && !c.theme.color);
}

#[test]
fn a_missing_explicit_file_is_an_error_naming_it() {
    let e = Config::load(Some(Path::new("/no/such/taskscope.toml"))).expect_err("missing");
    assert!(e.0.contains("/no/such/taskscope.toml"), "{}", e.0);
}

fn layered(args: &[&str], config: &Config) -> Cli {
    let matches = Cli::command().get_matches_from(args);
    let mut cli = Cli::from_arg_matches(&matches).expect("parses");
    if cli.command.is_none() {
        cli.command = Some(Cmd::Demo(crate::cli::DemoArgs::parse_from(["demo"])));
    }
    apply(config, &mut cli, &matches);
    cli
}

#[test]
fn flags_on_the_command_line_beat_the_file_which_beats_the_defaults() {
    let config = Config {
        retain: Duration::from_secs(60),
        interval: Duration::from_millis(250),
        workers: 4,
        theme: ThemeConfig {
            ascii: true,
            color: false,
        },
        ..Config::default()
    };
    let cli = layered(
        &["taskscope", "demo", "--retain", "2s", "--workers", "2"],
        &config,
    );
    let Some(Cmd::Demo(demo)) = &cli.command else {
        panic!("demo")
    };
    assert_eq!(demo.session.retain, Duration::from_secs(2), "flag wins");
    assert_eq!(demo.demo.workers, 2, "flag wins even at the default value");
    assert_eq!(
        demo.session.interval,
        Duration::from_millis(250),
        "file wins"
    );
    assert!(cli.ui.ascii && cli.ui.no_color, "file wins");

    // `taskscope` alone is a demo, and the file applies to it.
    let cli = layered(&["taskscope"], &config);
    let Some(Cmd::Demo(demo)) = &cli.command else {
        panic!("demo")
    };
    assert_eq!(demo.session.retain, Duration::from_secs(60));
    assert_eq!(demo.demo.workers, 4);

    // No file: the defaults.
    let cli = layered(&["taskscope", "demo"], &Config::default());
    let Some(Cmd::Demo(demo)) = &cli.command else {
        panic!("demo")
    };
    assert_eq!(demo.session.retain, Duration::from_secs(6));
    assert!(!cli.ui.ascii && !cli.ui.no_color);
}

#[test]
fn the_command_line_is_consistent() {
    // Catches a subcommand argument clashing with the global `--config`.
    Cli::command().debug_assert();
}
