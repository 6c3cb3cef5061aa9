//! `dipgraph allies` (being written).

use super::{Context, Failure};

/// Flags of `allies`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `allies`.
pub fn run(_cx: &Context, _args: &Args) -> Result<(), Failure> {
    Err(Failure::Usage("`allies` is not built yet".into()))
}
