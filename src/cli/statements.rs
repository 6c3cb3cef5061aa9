//! `dipgraph statements [--by ID] [--about ID] [--from D] [--to D] [--roles]`: statements by
//! speaker, subject and date.

use dipgraph::model::Date;
use dipgraph::query::ask::{Ask, Name};

use super::{Context, Failure, ask, parse_date};

/// Flags of `statements`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Said by this person, state or organization, or on its behalf (id, name or alias).
    #[arg(long, value_name = "ID")]
    pub by: Option<String>,
    /// About this entity (id, name or alias).
    #[arg(long, value_name = "ID")]
    pub about: Option<String>,
    /// Said on or after this date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<Date>,
    /// Said on or before this date (a month or year takes all of it).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<Date>,
    /// Also count statements by people who held a role with --by on the day they spoke
    /// (a press secretary for the state).
    #[arg(long, requires = "by")]
    pub roles: bool,
}

/// Runs `statements`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    if let (Some(f), Some(t)) = (args.from, args.to)
        && t.last() < f.first()
    {
        return Err(Failure::Usage(format!(
            "--to {t} is before --from {f}; no statement could match"
        )));
    }
    let q = Ask::Statements {
        by: args.by.as_ref().map(Name::typed),
        about: args.about.as_ref().map(Name::typed),
        from: args.from,
        to: args.to,
        roles: args.roles,
    };
    ask::run(cx, q, ask::any)
}
