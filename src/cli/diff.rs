//! `dipgraph diff D1 D2 [--around ID]`: what started, ended or happened after one date and up
//! to another.

use dipgraph::model::Date;
use dipgraph::query::ask::{Ask, Name};
use dipgraph::query::diff::diff_window;

use super::{Context, Failure, ask, parse_date};

/// Flags of `diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The earlier date: changes after it count (a fact that started on D1 was already in
    /// force on D1).
    #[arg(value_name = "D1", value_parser = parse_date)]
    pub d1: Date,
    /// The later date: changes on or before it count (a fact whose `until` is D2 no longer
    /// holds on D2).
    #[arg(value_name = "D2", value_parser = parse_date)]
    pub d2: Date,
    /// Only facts tied to this entity (an id, a name or an alias).
    #[arg(long, value_name = "ID")]
    pub around: Option<String>,
}

/// Runs `diff`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let w = diff_window(args.d1, args.d2);
    if w.first > w.last {
        return Err(Failure::Usage(format!(
            "`diff {} {}` looks at the days after {} up to {}, and there are none: give the earlier date first",
            args.d1, args.d2, args.d1, args.d2
        )));
    }
    let q = Ask::Diff {
        from: args.d1,
        to: args.d2,
        around: args.around.as_ref().map(Name::typed),
    };
    ask::run(cx, q, ask::any)
}
