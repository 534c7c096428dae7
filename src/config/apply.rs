//! Layering the config under the command line: a value from the file is
//! used wherever the flag was not given on the command line.

use clap::parser::ValueSource;
use clap::ArgMatches;

use super::{Config, LintsConfig};
use crate::cli::{Cli, Cmd, LintArgs, SessionArgs};

/// Fills `cli` from `config` where `matches` says the user gave no flag.
pub fn apply(config: &Config, cli: &mut Cli, matches: &ArgMatches) {
    let sub = matches.subcommand().map(|(_, m)| m);
    let given = |id: &str| {
        [Some(matches), sub]
            .into_iter()
            .flatten()
            .any(|m| on_command_line(m, id))
    };
    if !given("ascii") {
        cli.ui.ascii = config.theme.ascii;
    }
    if !given("no_color") {
        cli.ui.no_color = !config.theme.color;
    }
    cli.ui.keys = config.key_overrides();
    let Some(cmd) = cli.command.as_mut() else {
        return;
    };
    if let Some(session) = session_of(cmd) {
        if !given("retain") {
            session.retain = config.retain;
        }
        if !given("interval") {
            session.interval = config.interval;
        }
    }
    match cmd {
        Cmd::Demo(args) => {
            if !given("workers") {
                args.demo.workers = config.workers;
            }
            layer_lints(&config.lints, &mut args.session.lints);
        }
        Cmd::Attach(args) => layer_lints(&config.lints, &mut args.session.lints),
        Cmd::Serve(args) if !given("workers") => args.demo.workers = config.workers,
        Cmd::Replay(args) => {
            if !given("retain") {
                args.retain = config.retain;
            }
            layer_lints(&config.lints, &mut args.lints);
        }
        Cmd::Report(args) => layer_lints(&config.lints, &mut args.lints),
        _ => {}
    }
}

/// The file's lint settings first, the command line's after them (later
/// thresholds win). `--warn` wins over `--allow`, so a lint the command
/// line allows is dropped from the file's `warn`.
fn layer_lints(file: &LintsConfig, args: &mut LintArgs) {
    let allowed_all = args.allow.iter().any(|id| id == "all");
    let warn: Vec<String> = file
        .warn
        .iter()
        .filter(|id| {
            let overruled = *id == "all" && !args.allow.is_empty();
            !allowed_all && !overruled && !args.allow.contains(id)
        })
        .cloned()
        .chain(args.warn.drain(..))
        .collect();
    args.warn = warn;
    args.allow = file
        .allow
        .iter()
        .cloned()
        .chain(args.allow.drain(..))
        .collect();
    args.thresholds = file
        .threshold_args()
        .into_iter()
        .chain(args.thresholds.drain(..))
        .collect();
}

/// The session options of commands that run a source.
fn session_of(cmd: &mut Cmd) -> Option<&mut SessionArgs> {
    match cmd {
        Cmd::Demo(args) => Some(&mut args.session),
        Cmd::Attach(args) => Some(&mut args.session),
        _ => None,
    }
}

/// Whether `id` was typed on the command line (not a default). Asking
/// clap about an id a command lacks panics in debug builds: check first.
fn on_command_line(m: &ArgMatches, id: &str) -> bool {
    m.ids().any(|i| i.as_str() == id) && m.value_source(id) == Some(ValueSource::CommandLine)
}
