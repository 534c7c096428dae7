use std::process::ExitCode;

use clap::Parser as _;
use taskscope::cli::Cli;
use taskscope::commands::{self, InputError};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
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
