//! `dipgraph allies ID --on D`: fellow parties to an alliance-kind treaty in force on D.

use dipgraph::graph::Graph;
use dipgraph::model::Date;
use dipgraph::query::allies;
use dipgraph::render::views;

use super::{Context, Failure, parse_date};

/// Flags of `allies`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The state (id, name or alias).
    pub id: String,
    /// The date (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub on: Option<Date>,
}

/// Runs `allies`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let loaded = cx.load_valid()?;
    let data = &loaded.dataset;
    let of = cx.entity(data, &args.id)?;
    let on = cx.on(args.on);
    let graph = Graph::build(data);
    let rows = allies::allies(&graph, of, on);
    cx.emit("allies", Some(on), &rows, || {
        views::allies(
            views::allies_heading(&data.entities[of].id, on, &rows),
            &rows,
        )
    })
}
