//! `dipgraph diff D1 D2 [--around ID]`: what started, ended or happened after one date and up
//! to another.

use dipgraph::cache::stored::Stored;
use dipgraph::graph::Graph;
use dipgraph::model::Date;
use dipgraph::query::diff::{Differ, diff, diff_window};
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

/// Runs `diff`. Without `--around`, on large data, the facts that can change within the
/// window are read once from the cache and kept encoded (a diff of a whole world lists a change
/// of nearly every fact): each entry is made again from its fact as it is written.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let w = diff_window(args.d1, args.d2);
    if w.first > w.last {
        return Err(Failure::Usage(format!(
            "`diff {} {}` looks at the days after {} up to {}, and there are none: give the earlier date first",
            args.d1, args.d2, args.d1, args.d2
        )));
    }
    let heading = |about: String| format!("Changes after {} through {}{about}", args.d1, args.d2);
    if args.around.is_none() {
        let stored = cx.with_cache(|cache, _| {
            let mut differ = Differ::new(args.d1, args.d2, None);
            let numbers = cache.source().dated_within(w)?;
            let stored = Stored::read(cache, &numbers, &mut |k, f| {
                differ.add(k, f);
                true
            })?;
            Ok(Some((differ, stored)))
        });
        if let Some((differ, stored)) = stored {
            let d = differ.finish(&stored);
            return cx.emit("diff", None, std::slice::from_ref(&d), || {
                views::diff(heading(String::new()), &d)
            });
        }
    }
    let loaded = cx.load_valid()?;
    let data = &loaded.dataset;
    let around = match &args.around {
        Some(text) => Some(cx.entity(data, text)?),
        None => None,
    };
    let graph = Graph::build(data);
    let d = diff(&graph, args.d1, args.d2, around);
    let about = around
        .map(|e| format!(", around {}", named(data, e)))
        .unwrap_or_default();
    drop(graph);
    cx.emit("diff", None, std::slice::from_ref(&d), || {
        views::diff(heading(about), &d)
    })
}
