//! `dipgraph statements` (being written).

use super::{Context, Failure};

/// Flags of `statements`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `statements`.
pub fn run(_cx: &Context, _args: &Args) -> Result<(), Failure> {
    Err(Failure::Usage("`statements` is not built yet".into()))
}
