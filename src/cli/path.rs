//! `dipgraph path` (being written).

use super::{Context, Failure};

/// Flags of `path`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `path`.
pub fn run(_cx: &Context, _args: &Args) -> Result<(), Failure> {
    Err(Failure::Usage("`path` is not built yet".into()))
}
