//! `dipgraph sanctions [--against ID [--tied]] [--by ID [--members]] --on D`.

use dipgraph::graph::Graph;
use dipgraph::model::Date;
use dipgraph::query::sanctions::{self, SanctionsQuery};
use dipgraph::render::views;

use super::{Context, Failure, parse_date};

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
    /// The date (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub on: Option<Date>,
}

/// Runs `sanctions`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let loaded = cx.load_valid()?;
    let data = &loaded.dataset;
    let against = args
        .against
        .as_deref()
        .map(|a| cx.entity(data, a))
        .transpose()?;
    let by = args.by.as_deref().map(|b| cx.entity(data, b)).transpose()?;
    let on = cx.on(args.on);
    let graph = Graph::build(data);
    let q = SanctionsQuery {
        against,
        tied: args.tied,
        by,
        members: args.members,
        on,
    };
    let rows = sanctions::sanctions(&graph, &q);
    let mut about = String::new();
    if let Some(b) = by {
        about.push_str(&format!(" by {}", data.entities[b].id));
        if args.members {
            about.push_str(" (and organizations it belongs to)");
        }
    }
    if let Some(a) = against {
        about.push_str(&format!(" against {}", data.entities[a].id));
        if args.tied {
            about.push_str(" (and those tied to it)");
        }
    }
    cx.emit("sanctions", Some(on), &rows, || {
        views::sanctions(views::sanctions_heading(&about, on, &rows), &rows)
    })
}
