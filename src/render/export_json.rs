//! A diagram as one JSON document of nodes and links, the shape d3's force layout reads
//! (`nodes` with `id`, `links` with `source` and `target`) and Cytoscape.js maps in one step.
//! Written link by link.

use std::cell::Cell;
use std::io::Write;

use serde::{Serialize, Serializer};

use crate::graph::LinkKind;
use crate::load::git::Commit;
use crate::model::{Certainty, Date, FactKind};
use crate::query::export::{Diagram, EdgeId, EdgeView, Scope, Status, View};

#[derive(Serialize)]
#[serde(bound = "")]
struct Document<'a, N, L>
where
    N: Iterator,
    N::Item: Serialize,
    L: Iterator,
    L::Item: Serialize,
{
    query: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded: Option<&'a Commit>,
    title: &'a str,
    scope: Scope,
    focus: Option<&'a str>,
    depth: Option<usize>,
    kinds: &'a [LinkKind],
    points_from: Option<Date>,
    points_to: Option<Date>,
    nodes: Items<N>,
    links: Items<L>,
}

/// A list serialized item by item as its iterator gives them (once).
struct Items<I>(Cell<Option<I>>);

impl<I> Serialize for Items<I>
where
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.take().into_iter().flatten())
    }
}

#[derive(Serialize)]
struct Link<'a> {
    id: EdgeId<'a>,
    source: &'a str,
    target: &'a str,
    fact: &'a str,
    kind: LinkKind,
    fact_kind: FactKind,
    directed: bool,
    start: Option<Date>,
    end: Option<Date>,
    point: bool,
    certainty: Option<Certainty>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
    title: &'a str,
}

impl<'a> From<EdgeView<'a>> for Link<'a> {
    fn from(e: EdgeView<'a>) -> Link<'a> {
        Link {
            id: e.id,
            source: e.from,
            target: e.to,
            fact: e.fact,
            kind: e.kind,
            fact_kind: e.fact_kind,
            directed: e.directed,
            start: e.start,
            end: e.end,
            point: e.point,
            certainty: e.certainty,
            status: e.status,
            title: e.title,
        }
    }
}

/// Writes pretty JSON of the diagram, ending in a newline, to `out`: `{"query": "export",
/// "recorded" (the commit the data was read from, when it was), "title", "scope", "focus",
/// "depth", "kinds", "points_from", "points_to", "nodes": [...], "links": [...]}`.
pub fn write_json<W: Write>(
    mut out: W,
    d: &impl View,
    recorded: Option<&Commit>,
) -> Result<(), serde_json::Error> {
    let head = d.head();
    let doc = Document {
        query: "export",
        recorded,
        title: head.title,
        scope: head.scope,
        focus: head.focus,
        depth: head.depth,
        kinds: head.kinds,
        points_from: head.points_from,
        points_to: head.points_to,
        nodes: Items(Cell::new(Some(d.nodes()))),
        links: Items(Cell::new(Some(d.edges().map(Link::from)))),
    };
    serde_json::to_writer_pretty(&mut out, &doc)?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}

/// Pretty JSON of the diagram (see [`write_json`]).
pub fn to_json(dg: &Diagram) -> Result<String, serde_json::Error> {
    let mut bytes = Vec::new();
    write_json(&mut bytes, dg, None)?;
    // serde_json writes UTF-8.
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}
