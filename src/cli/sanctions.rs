//! `dipgraph sanctions` (being written).

use super::{Context, Failure};

/// Flags of `sanctions`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `sanctions`.
pub fn run(_cx: &Context, _args: &Args) -> Result<(), Failure> {
    Err(Failure::Usage("`sanctions` is not built yet".into()))
}
