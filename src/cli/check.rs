//! `dipgraph check` (being written).

use super::{Context, Failure};

/// Flags of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `check`.
pub fn run(_cx: &Context, _args: &Args) -> Result<(), Failure> {
    Err(Failure::Usage("`check` is not built yet".into()))
}
