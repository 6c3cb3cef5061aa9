//! `dipgraph show ID [--on D]`: one entity or fact, with everything tied to it.

use dipgraph::cache::pick_for;
use dipgraph::graph::Graph;
use dipgraph::model::{Date, Target};
use dipgraph::query::{resolve::Resolver, show};
use dipgraph::render::views;

use super::{Context, Failure, parse_date};

/// Flags of `show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// An id (any case), a name, an alias, or a word of a name only one entity has.
    pub id: String,
    /// Only what held or happened on this date, each with its certainty.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub on: Option<Date>,
}

/// Runs `show`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    // On large data, the facts picked are read once from the cache and kept encoded (a hub is
    // tied to hundreds of thousands), each decoded again as its row is made; a fact whose id
    // is the name typed is decoded into the dataset, where the name may find it.
    let typed = args.id.trim();
    let apart = cx.with_cache(|cache, entities| {
        let Some(q) = cx.question.as_ref() else {
            return Ok(None);
        };
        let pick = pick_for(cache.source(), Vec::new(), entities, q)?;
        Ok(Some(pick.read_apart(cache, |f| {
            !f.id.eq_ignore_ascii_case(typed)
        })?))
    });
    let loaded;
    let (data, stored) = match &apart {
        Some((names, stored)) => (names, Some(stored)),
        None => {
            loaded = cx.load_valid()?;
            (&loaded.dataset, None)
        }
    };
    let target = Resolver::new(data)
        .resolve(&args.id)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let graph = Graph::build(data);
    let shown = match (target, stored) {
        (Target::Entity(e), Some(s)) => show::entity_among(&graph, e, args.on, s, s.len()),
        (target, _) => show::show(&graph, target, args.on),
    };
    drop(graph);
    cx.emit("show", args.on, std::slice::from_ref(&shown), || {
        views::show(&shown, args.on)
    })
}
