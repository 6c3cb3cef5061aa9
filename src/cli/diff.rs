//! `dipgraph diff` (being written).

use super::{Context, Failure};

/// Flags of `diff`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `diff`.
pub fn run(_cx: &Context, _args: &Args) -> Result<(), Failure> {
    Err(Failure::Usage("`diff` is not built yet".into()))
}
