//! The `cnn-tui` binary: parse the command line and hand over to the library.

use clap::Parser;
use cnn_tui::cli::{self, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output went away (`| head`): it has what it wanted.
        Err(e) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cnn-tui: {e:#}");
            if e.downcast_ref::<cnn_tui::headless::Diverged>().is_some() {
                return ExitCode::from(cnn_tui::headless::DIVERGED_EXIT);
            }
            let usage = e.downcast_ref::<cli::UsageError>().is_some();
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}
