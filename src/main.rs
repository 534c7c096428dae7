use std::process::ExitCode;

use clap::CommandFactory as _;
use taskscope::cli::Cli;
use taskscope::commands::{self, InputError};

fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) if e.use_stderr() => {
            // Usage errors in one line, like every other bad input.
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or_default();
            eprintln!("taskscope: {}", first.trim_start_matches("error: "));
            return ExitCode::from(2);
        }
        Err(e) => e.exit(), // --help, --version
    };
    match commands::run_with_config(&matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("taskscope: {e:#}");
            // Bad input (a name, a value, a file) is 2, like clap's usage errors.
            if e.downcast_ref::<InputError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
