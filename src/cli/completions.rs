//! `dipgraph completions bash|zsh|fish|powershell|elvish` and `dipgraph man`: shell completions
//! and the manual page, made from the command line's own definition (clap_complete,
//! clap_mangen) and written to stdout.

use std::io::Write;

use super::{Context, Failure};

/// Flags of `completions`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dipgraph completions bash > ~/.local/share/bash-completion/completions/dipgraph
  dipgraph completions zsh > ~/.zfunc/_dipgraph
  dipgraph completions fish > ~/.config/fish/completions/dipgraph.fish")]
pub struct Args {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Runs `completions`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut super::command(), "dipgraph", &mut out);
    cx.out(&String::from_utf8_lossy(&out))
}

/// Flags of `man`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dipgraph man > ~/.local/share/man/man1/dipgraph.1 && man dipgraph
  dipgraph man | man -l -")]
pub struct ManArgs {}

/// Runs `man`: the manual page, in roff (its commands listed with what each does).
pub fn man(_cx: &Context, _args: &ManArgs) -> Result<(), Failure> {
    let mut out = Vec::new();
    clap_mangen::Man::new(super::command())
        .render(&mut out)
        .map_err(Failure::Io)?;
    std::io::stdout()
        .lock()
        .write_all(&out)
        .map_err(Failure::Io)
}
