//! `dipgraph relations` (being written).

use super::{Context, Failure};

/// Flags of `relations`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `relations`.
pub fn run(_cx: &Context, _args: &Args) -> Result<(), Failure> {
    Err(Failure::Usage("`relations` is not built yet".into()))
}
