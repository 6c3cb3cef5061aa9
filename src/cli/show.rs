//! `dipgraph show ID [--on D]`: one entity or fact, with everything tied to it.

use dipgraph::model::Date;
use dipgraph::query::ask::{Ask, Name};

use super::{Context, Failure, ask, parse_date};

/// Flags of `show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// An id (any case), a name, an alias, or a word of a name only one entity has.
    pub id: String,
    /// Only what held or happened on this date, each with its certainty: YYYY, YYYY-MM or
    /// YYYY-MM-DD (a year or a month means any day of it: "possible" when only some of them).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub on: Option<Date>,
}

/// Runs `show`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let q = Ask::Show {
        id: Name::typed(&args.id),
        on: args.on,
    };
    ask::run(cx, q, ask::any)
}
