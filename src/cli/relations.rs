//! `dipgraph relations A B [--from D] [--to D]`: the timeline of every fact tying two entities.

use dipgraph::model::Date;
use dipgraph::query::ask::{Ask, Name};
use dipgraph::render::views;

use super::timeline::check_period;
use super::{Context, Failure, ask, parse_date};

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
    check_period(args.from, args.to)?;
    let q = Ask::Relations {
        a: Name::typed(&args.a),
        b: Name::typed(&args.b),
        from: args.from,
        to: args.to,
    };
    ask::run(cx, q, |resolved, store| match resolved.ask() {
        Ask::Relations { a, b, .. } if a == b => Err(same_entity(
            &args.a,
            &args.b,
            &a.entity()
                .map(|e| views::named(store.entity_at(e)))
                .unwrap_or_default(),
        )),
        _ => Ok(()),
    })
}

/// The refusal of `relations A B` where both name one entity, `named`.
pub fn same_entity(a: &str, b: &str, named: &str) -> Failure {
    Failure::Usage(format!(
        "`{a}` and `{b}` both name {named}; `relations` needs two different entities (see `timeline` for one)"
    ))
}
