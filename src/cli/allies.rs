//! `dipgraph allies ID --on D`: fellow parties to an alliance-kind treaty in force on D.

use dipgraph::model::Date;
use dipgraph::query::ask::{Ask, Name};

use super::{Context, Failure, ask, parse_date};

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
    let q = Ask::Allies {
        of: Name::typed(&args.id),
        on: args.on,
    };
    ask::run(cx, q, ask::any)
}
