//! Layering the config under the command line: a value from the file is
//! used wherever the flag was not given on the command line.

use clap::parser::ValueSource;
use clap::ArgMatches;

use super::Config;
use crate::cli::{Cli, Cmd, SessionArgs};

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
    if let Cmd::Demo(args) = cmd {
        if !given("workers") {
            args.workers = config.workers;
        }
    }
}

/// The session options of commands that run a source.
fn session_of(cmd: &mut Cmd) -> Option<&mut SessionArgs> {
    match cmd {
        Cmd::Demo(args) => Some(&mut args.session),
        _ => None,
    }
}

/// Whether `id` was typed on the command line (not a default). Asking
/// clap about an id a command lacks panics in debug builds: check first.
fn on_command_line(m: &ArgMatches, id: &str) -> bool {
    m.ids().any(|i| i.as_str() == id) && m.value_source(id) == Some(ValueSource::CommandLine)
}
