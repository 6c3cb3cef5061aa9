//! `dipgraph stats`: counts by kind and the range of dates covered.

use dipgraph::query::stats;
use dipgraph::render::views;

use super::{Context, Failure};

/// Flags of `stats`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `stats`.
pub fn run(cx: &Context, _args: &Args) -> Result<(), Failure> {
    // Large data: counted as the cache was built, without loading it.
    let s = match cx.summary() {
        Some((summary, entities, files)) => stats::stats_of(files, &entities, &summary.tally),
        None => stats::stats(&cx.load_valid()?.dataset),
    };
    cx.emit("stats", None, std::slice::from_ref(&s), || views::stats(&s))
}
