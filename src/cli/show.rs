//! `dipgraph show ID [--on D]`: one entity or fact, with everything tied to it.

use dipgraph::graph::Graph;
use dipgraph::model::Date;
use dipgraph::query::{resolve::Resolver, show};
use dipgraph::render::views;

use super::{Context, Failure, parse_date};

/// Flags of `show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// An id (any case), a name, an alias, or a word of a name only one entity has.
    pub id: String,
    /// Only what held or happened on this date, each with its certainty.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub on: Option<Date>,
}

/// Runs `show`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let loaded = cx.load_valid()?;
    let data = &loaded.dataset;
    let target = Resolver::new(data)
        .resolve(&args.id)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let graph = Graph::build(data);
    let shown = show::show(&graph, target, args.on);
    drop(graph);
    cx.emit("show", args.on, std::slice::from_ref(&shown), || {
        views::show(&shown, args.on)
    })
}
