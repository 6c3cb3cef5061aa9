//! `dipgraph stats`: counts by kind and the range of dates covered.

use dipgraph::query::stats;
use dipgraph::render::views;

use super::{Context, Failure};

/// Flags of `stats`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `stats`.
pub fn run(cx: &Context, _args: &Args) -> Result<(), Failure> {
    // Large data: counted as the cache was built, without reading any fact.
    cx.with_store(|store| {
        let s = stats::stats(store);
        cx.emit("stats", None, std::slice::from_ref(&s), || views::stats(&s))
    })
}
