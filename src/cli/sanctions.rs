//! `dipgraph sanctions [--against ID [--tied]] [--by ID [--members]] --on D`.

use dipgraph::model::Date;
use dipgraph::query::ask::{Ask, Name};

use super::{Context, Failure, ask, parse_date};

/// Flags of `sanctions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only sanctions naming this target (id, name or alias).
    #[arg(long, value_name = "ID")]
    pub against: Option<String>,
    /// With --against: also sanctions on people and organizations tied to it on the date (by a
    /// role in it or a membership of it), each marked with the tie.
    #[arg(long, requires = "against")]
    pub tied: bool,
    /// Only sanctions imposed by this sender (a state or organization).
    #[arg(long, value_name = "ID")]
    pub by: Option<String>,
    /// With --by: also sanctions by organizations the sender was a member of on the date.
    #[arg(long, requires = "by")]
    pub members: bool,
    /// The date: YYYY, YYYY-MM or YYYY-MM-DD (default: today). A year or a month means any day
    /// of it: what held on only some of its days is "possible", on all of them "certain".
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub on: Option<Date>,
}

/// Runs `sanctions`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let q = Ask::Sanctions {
        against: args.against.as_ref().map(Name::typed),
        tied: args.tied,
        by: args.by.as_ref().map(Name::typed),
        members: args.members,
        on: args.on,
    };
    ask::run(cx, q, ask::any)
}
