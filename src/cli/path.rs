//! `dipgraph path A B --on D [--kinds ...] [--max-hops N] [--limit K]`: the shortest chains of
//! facts in force on D linking A to B.

use dipgraph::graph::LinkKind;
use dipgraph::graph::path::PathOptions;
use dipgraph::model::Date;
use dipgraph::query::ask::{Ask, Name};

use super::{Context, Failure, ask, parse_date};

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
    /// The date: YYYY, YYYY-MM or YYYY-MM-DD (default: today). A year or a month means any day
    /// of it: what held on only some of its days is "possible", on all of them "certain".
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
    let mut kinds = args.kinds.clone();
    kinds.dedup();
    let q = Ask::Path {
        a: Name::typed(&args.from),
        b: Name::typed(&args.to),
        on: args.on,
        options: PathOptions {
            kinds,
            max_hops: usize::from(args.max_hops),
            limit: usize::from(args.limit),
        },
    };
    ask::run(cx, q, |resolved, store| match resolved.ask() {
        Ask::Path { a, b, .. } if a == b => Err(Failure::Usage(format!(
            "`{}` and `{}` are the same entity ({}); give two different ones",
            args.from,
            args.to,
            a.entity()
                .map(|e| store.entity_at(e).id.as_str())
                .unwrap_or_default()
        ))),
        _ => Ok(()),
    })
}
