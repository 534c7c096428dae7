//! Carries out each subcommand. `main` maps the errors to exit codes.

mod attach;
mod bench;
mod demo;
mod lints;
mod list;
mod preflight;
mod render;
mod replay;
mod report;
mod serve;

use std::fmt;

use clap::{ArgMatches, CommandFactory as _, FromArgMatches as _, Parser as _};

use crate::cli::{Cli, Cmd, DemoArgs, SessionArgs};
use crate::config::{self, Config};
use crate::feed::{Feed, SourceInfo};
use crate::record::tsrec::RecordWriter;

/// Bad input from the user (a name, a value, a file): exit code 2, one line.
#[derive(Debug)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// The lints to run; bad lint flags are bad input.
pub(crate) fn lint_config(args: &crate::cli::LintArgs) -> anyhow::Result<crate::lints::LintConfig> {
    args.config().map_err(|e| InputError(e).into())
}
/// What `serve` and `--engine console` say in a build without them.
pub const NEEDS_CONSOLE_FEATURE: &str =
    "this needs console-subscriber: rebuild with `cargo build --features console`";

/// Shorthand for failing with an [`InputError`].
pub fn input_error<T>(message: impl Into<String>) -> anyhow::Result<T> {
    Err(InputError(message.into()).into())
}

/// Runs the command line in `matches` with the config files layered under it.
pub fn run_with_config(matches: &ArgMatches) -> anyhow::Result<()> {
    let mut cli = Cli::from_arg_matches(matches)?;
    let uses_config = !matches!(
        cli.command,
        Some(Cmd::GenConfig | Cmd::Completions { .. } | Cmd::BenchChild(_))
    );
    if uses_config {
        let config = Config::load(cli.config.as_deref()).map_err(|e| InputError(e.0))?;
        // `taskscope` alone is `taskscope demo gather`: make it explicit so
        // the config applies to it too.
        let command = cli.command.take();
        cli.command = Some(command.unwrap_or_else(|| Cmd::Demo(DemoArgs::parse_from(["demo"]))));
        config::apply(&config, &mut cli, matches);
    }
    run(cli)
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let ui = cli.ui.clone();
    match cli.command_or_default() {
        Cmd::Demo(args) => demo::run(&args, &ui),
        Cmd::List => list::run(),
        Cmd::GenConfig => {
            print!("{}", config::default_file());
            Ok(())
        }
        Cmd::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "taskscope",
                &mut std::io::stdout(),
            );
            Ok(())
        }
        Cmd::Lints => lints::run(),
        Cmd::Attach(args) => attach::run(&args, &ui),
        Cmd::Serve(args) => serve::run(&args),
        Cmd::Bench(args) => bench::run(&args),
        Cmd::BenchChild(args) => bench::run_child(&args),
        Cmd::Replay(args) => replay::run(&args, &ui),
        Cmd::Report(args) => report::run(&args),
        Cmd::Render(args) => render::run(&args, &ui),
    }
}

/// A current-thread runtime for the UI or a headless run. It has no hooks,
/// so taskscope never observes itself.
pub(crate) fn ui_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// `feed`, recorded to the `--record` file if there is one. Call it inside
/// the runtime that will read the feed.
pub(crate) fn recorded(
    feed: Feed,
    session: &SessionArgs,
    source: SourceInfo,
) -> anyhow::Result<Feed> {
    let Some(path) = &session.record else {
        return Ok(feed);
    };
    match RecordWriter::create(path, source) {
        Ok(writer) => Ok(crate::record::tee(feed, writer)),
        Err(e) => input_error(format!("cannot record to {}: {e}", path.display())),
    }
}
