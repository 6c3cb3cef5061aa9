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
    check_window("diff", args.d1, args.d2)?;
    let q = Ask::Diff {
        from: args.d1,
        to: args.d2,
        around: args.around.as_ref().map(Name::typed),
    };
    ask::run(cx, q, ask::any)
}

/// Refuses `D1 D2` (asked as `what`: `diff`, `--diff`) when no day lies after D1 up to D2.
pub fn check_window(what: &str, d1: Date, d2: Date) -> Result<(), Failure> {
    let w = diff_window(d1, d2);
    if w.first > w.last {
        return Err(Failure::Usage(format!(
            "`{what} {d1} {d2}` looks at the days after {d1} up to {d2}, and there are none: give the earlier date first"
        )));
    }
    Ok(())
}
