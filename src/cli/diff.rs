//! `dipgraph diff D1 D2 [--around ID]`: what started, ended or happened after one date and up
//! to another.

use dipgraph::graph::Graph;
use dipgraph::model::Date;
use dipgraph::query::timeline;
use dipgraph::render::views;

use super::timeline::named;
use super::{Context, Failure, parse_date};

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
    let w = timeline::diff_window(args.d1, args.d2);
    if w.first > w.last {
        return Err(Failure::Usage(format!(
            "`diff {} {}` looks at the days after {} up to {}, and there are none: give the earlier date first",
            args.d1, args.d2, args.d1, args.d2
        )));
    }
    let loaded = cx.load_valid()?;
    let data = &loaded.dataset;
    let around = match &args.around {
        Some(text) => Some(cx.entity(data, text)?),
        None => None,
    };
    let graph = Graph::build(data);
    let d = timeline::diff(&graph, args.d1, args.d2, around);
    let about = around
        .map(|e| format!(", around {}", named(data, e)))
        .unwrap_or_default();
    let heading = format!("Changes after {} through {}{about}", args.d1, args.d2);
    drop(graph);
    cx.emit("diff", None, std::slice::from_ref(&d), || {
        views::diff(heading, &d)
    })
}
