//! `dipgraph timeline` (being written).

use super::{Context, Failure};

/// Flags of `timeline`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `timeline`.
pub fn run(_cx: &Context, _args: &Args) -> Result<(), Failure> {
    Err(Failure::Usage("`timeline` is not built yet".into()))
}
