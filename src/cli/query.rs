//! `dipgraph query` (being written).

use super::{Context, Failure};

/// Flags of `query`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `query`.
pub fn run(_cx: &Context, _args: &Args) -> Result<(), Failure> {
    Err(Failure::Usage("`query` is not built yet".into()))
}
