//! `dipgraph allies ID --on D`: fellow parties to an alliance-kind treaty in force on D.

use dipgraph::model::{Date, EntityKind};
use dipgraph::query::ask::{Ask, Name};

use super::{Context, Failure, ask, parse_date};

/// Flags of `allies`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The state (id, name or alias).
    pub id: String,
    /// The date: YYYY, YYYY-MM or YYYY-MM-DD (default: today). A year or a month means any day
    /// of it: what held on only some of its days is "possible", on all of them "certain".
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub on: Option<Date>,
}

/// Runs `allies`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let q = Ask::Allies {
        of: Name::typed(&args.id),
        on: args.on,
    };
    ask::run(cx, q, |resolved, store| {
        let Ask::Allies { of, .. } = resolved.ask() else {
            return Ok(());
        };
        match of.entity().map(|e| store.entity_at(e)) {
            Some(e) if e.kind != EntityKind::State => Err(Failure::Usage(format!(
                "`{}` names {} ({}, {}): `allies` takes a state; ask `dipgraph show {}` for its ties{}",
                args.id,
                e.kind.with_article(),
                e.name,
                e.id,
                e.id,
                match e.kind {
                    EntityKind::Organization => ", or `allies` of one of its members",
                    _ => ", or `allies` of the state it serves",
                }
            ))),
            _ => Ok(()),
        }
    })
}
