//! `dipgraph timeline ID [--from D] [--to D]`: every start, end and point fact of one entity.

use dipgraph::graph::Graph;
use dipgraph::model::{Dataset, Date};
use dipgraph::query::timeline;
use dipgraph::render::views;

use super::{Context, Failure, parse_date};

/// Flags of `timeline`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The entity: an id (any case), a name, an alias, or a word of a name only one entity has.
    pub id: String,
    /// Only changes on or after this date (a change dated by an imprecise date that only
    /// partly falls within is kept, marked possible).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<Date>,
    /// Only changes on or before this date (inclusive: `--to 2021` is through 2021-12-31).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<Date>,
}

/// Checks that `--from` is not after `--to`, and says the period in words for a heading
/// (`, from 2020 to 2021`; empty when both are open).
pub fn period(from: Option<Date>, to: Option<Date>) -> Result<String, Failure> {
    if let (Some(f), Some(t)) = (from, to)
        && t.last() < f.first()
    {
        return Err(Failure::Usage(format!(
            "--from {f} is after --to {t}; nothing can fall between them"
        )));
    }
    Ok(match (from, to) {
        (None, None) => String::new(),
        (Some(f), None) => format!(", from {f}"),
        (None, Some(t)) => format!(", up to {t}"),
        (Some(f), Some(t)) => format!(", from {f} to {t}"),
    })
}

/// `Belarus (BLR)`.
pub fn named(data: &Dataset, entity: usize) -> String {
    let e = &data.entities[entity];
    format!("{} ({})", e.name, e.id)
}

/// `1 change`, `12 changes`.
pub fn changes(n: usize) -> String {
    format!("{n} change{}", if n == 1 { "" } else { "s" })
}

/// Runs `timeline`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let when = period(args.from, args.to)?;
    let loaded = cx.load_valid()?;
    let data = &loaded.dataset;
    let entity = cx.entity(data, &args.id)?;
    let graph = Graph::build(data);
    let entries = timeline::timeline(&graph, entity, args.from, args.to);
    let heading = format!(
        "Timeline of {}{when} ({})",
        named(data, entity),
        changes(entries.len())
    );
    drop(graph);
    cx.emit("timeline", None, &entries, || {
        views::timeline(heading, &entries)
    })
}
