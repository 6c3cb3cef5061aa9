//! `dipgraph timeline ID [--from D] [--to D]`: every start, end and point fact of one entity.

use dipgraph::model::Date;
use dipgraph::query::ask::{Ask, Name};

use super::{Context, Failure, ask, parse_date};

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

/// Refuses a period whose end comes before its start.
pub fn check_period(from: Option<Date>, to: Option<Date>) -> Result<(), Failure> {
    if let (Some(f), Some(t)) = (from, to)
        && t.last() < f.first()
    {
        return Err(Failure::Usage(format!(
            "--from {f} is after --to {t}; nothing can fall between them"
        )));
    }
    Ok(())
}

/// Runs `timeline`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    check_period(args.from, args.to)?;
    let q = Ask::Timeline {
        of: Name::typed(&args.id),
        from: args.from,
        to: args.to,
    };
    ask::run(cx, q, ask::any)
}
