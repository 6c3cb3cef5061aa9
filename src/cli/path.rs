//! `dipgraph path A B --on D [--kinds ...] [--max-hops N] [--limit K]`: the shortest chains of
//! facts in force on D linking A to B.

use dipgraph::graph::Graph;
use dipgraph::graph::path::{LinkKind, PathOptions};
use dipgraph::model::Date;
use dipgraph::query::path;
use dipgraph::render::views;

use super::{Context, Failure, parse_date};

fn parse_kind(s: &str) -> Result<LinkKind, String> {
    s.parse()
}

/// Flags of `path`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the chain starts (id, name or alias).
    pub from: String,
    /// Where it ends (id, name or alias).
    pub to: String,
    /// The date (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub on: Option<Date>,
    /// Follow only these kinds of fact: alliance, treaty, sanction, membership, statement,
    /// role, event (comma-separated; default: all).
    #[arg(long, value_name = "KINDS", value_delimiter = ',', value_parser = parse_kind)]
    pub kinds: Vec<LinkKind>,
    /// The longest chain to look for, in hops.
    #[arg(long, value_name = "N", default_value_t = 6,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub max_hops: u16,
    /// How many shortest chains to list at most.
    #[arg(long, value_name = "K", default_value_t = 3,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub limit: u16,
}

/// Runs `path`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let loaded = cx.load_valid()?;
    let data = &loaded.dataset;
    let from = cx.entity(data, &args.from)?;
    let to = cx.entity(data, &args.to)?;
    if from == to {
        return Err(Failure::Usage(format!(
            "`{}` and `{}` are the same entity ({}); give two different ones",
            args.from, args.to, data.entities[from].id
        )));
    }
    let on = cx.on(args.on);
    let mut kinds = args.kinds.clone();
    kinds.dedup();
    let opts = PathOptions {
        kinds,
        max_hops: usize::from(args.max_hops),
        limit: usize::from(args.limit),
    };
    let graph = Graph::build(data);
    let answer = path::path(&graph, from, to, on, &opts);
    cx.emit("path", Some(on), &answer.results, || views::path(&answer))
}
