//! The `dipgraph` command: parses flags, runs one command, sets the exit code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
