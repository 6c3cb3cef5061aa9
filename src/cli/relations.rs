//! `dipgraph relations A B [--from D] [--to D]`: the timeline of every fact tying two entities.

use dipgraph::graph::Graph;
use dipgraph::model::Date;
use dipgraph::query::timeline;
use dipgraph::render::views;

use super::timeline::{changes, named, period};
use super::{Context, Failure, parse_date};

/// Flags of `relations`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// One entity: an id (any case), a name, an alias, or a word of a name only one entity has.
    pub a: String,
    /// The other entity.
    pub b: String,
    /// Only changes on or after this date (a change dated by an imprecise date that only
    /// partly falls within is kept, marked possible).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<Date>,
    /// Only changes on or before this date (inclusive: `--to 2021` is through 2021-12-31).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<Date>,
}

/// Runs `relations`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let when = period(args.from, args.to)?;
    let loaded = cx.load_valid()?;
    let data = &loaded.dataset;
    let a = cx.entity(data, &args.a)?;
    let b = cx.entity(data, &args.b)?;
    if a == b {
        return Err(Failure::Usage(format!(
            "`{}` and `{}` both name {}; `relations` needs two different entities (see `timeline` for one)",
            args.a,
            args.b,
            named(data, a)
        )));
    }
    let graph = Graph::build(data);
    let entries = timeline::relations(&graph, a, b, args.from, args.to);
    let heading = format!(
        "Relations of {} and {}{when} ({})",
        named(data, a),
        named(data, b),
        changes(entries.len())
    );
    drop(graph);
    cx.emit("relations", None, &entries, || {
        views::timeline(heading, &entries)
    })
}
