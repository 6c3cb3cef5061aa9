//! `dipgraph statements [--by ID] [--about ID] [--from D] [--to D] [--roles]`: statements by
//! speaker, subject and date.

use dipgraph::cache::pick_for;
use dipgraph::graph::Graph;
use dipgraph::model::{Date, FactKind};
use dipgraph::query::statements::{self, StatementFilter};
use dipgraph::render::views;

use super::{Context, Failure, parse_date};

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

/// Runs `statements`. On large data, the statements that can match are read once from the
/// cache and kept encoded (every statement of a world may be asked for), each decoded again as
/// it is matched and shown; the entities and the speaker's roles are decoded as usual.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let apart = cx.with_cache(|cache, entities| {
        let Some(q) = cx.question.as_ref() else {
            return Ok(None);
        };
        let pick = pick_for(cache.source(), Vec::new(), entities, q)?;
        Ok(Some(
            pick.read_apart(cache, |f| f.kind() == FactKind::Statement)?,
        ))
    });
    let loaded;
    let (data, stored) = match &apart {
        Some((names, stored)) => (names, Some(stored)),
        None => {
            loaded = cx.load_valid()?;
            (&loaded.dataset, None)
        }
    };
    let by = args.by.as_deref().map(|t| cx.entity(data, t)).transpose()?;
    let about = args
        .about
        .as_deref()
        .map(|t| cx.entity(data, t))
        .transpose()?;
    if let (Some(f), Some(t)) = (args.from, args.to)
        && t.last() < f.first()
    {
        return Err(Failure::Usage(format!(
            "--to {t} is before --from {f}; no statement could match"
        )));
    }
    let filter = StatementFilter {
        by,
        about,
        from: args.from,
        to: args.to,
        roles: args.roles,
    };
    let graph = Graph::build(data);
    let answer = match stored {
        Some(s) => statements::statements_among(&graph, s, s.len(), &filter),
        None => statements::statements(&graph, &filter),
    };
    drop(graph);
    cx.emit("statements", None, &answer.results, || {
        views::statements(&answer)
    })
}
