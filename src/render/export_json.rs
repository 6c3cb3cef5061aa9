//! A diagram as one JSON document of nodes and links, the shape d3's force layout reads
//! (`nodes` with `id`, `links` with `source` and `target`) and Cytoscape.js maps in one step.

use serde::Serialize;

use crate::graph::path::LinkKind;
use crate::model::{Certainty, Date, FactKind};
use crate::query::export::{Diagram, Node, Scope, Status};

#[derive(Serialize)]
struct Document<'a> {
    query: &'static str,
    title: &'a str,
    scope: Scope,
    focus: Option<&'a str>,
    depth: Option<usize>,
    kinds: &'a [LinkKind],
    points_from: Option<Date>,
    points_to: Option<Date>,
    nodes: &'a [Node],
    links: Vec<Link<'a>>,
}

#[derive(Serialize)]
struct Link<'a> {
    id: &'a str,
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

/// Pretty JSON of the diagram, ending in a newline: `{"query": "export", "title", "scope",
/// "focus", "depth", "kinds", "points_from", "points_to", "nodes": [...], "links": [...]}`.
pub fn to_json(dg: &Diagram) -> Result<String, serde_json::Error> {
    let links = dg
        .edges
        .iter()
        .map(|e| Link {
            id: &e.id,
            source: &e.from,
            target: &e.to,
            fact: &e.fact,
            kind: e.kind,
            fact_kind: e.fact_kind,
            directed: e.directed,
            start: e.start,
            end: e.end,
            point: e.point,
            certainty: e.certainty,
            status: e.status,
            title: &e.title,
        })
        .collect();
    let doc = Document {
        query: "export",
        title: &dg.title,
        scope: dg.scope,
        focus: dg.focus.as_deref(),
        depth: dg.depth,
        kinds: &dg.kinds,
        points_from: dg.points_from,
        points_to: dg.points_to,
        nodes: &dg.nodes,
        links,
    };
    let mut s = serde_json::to_string_pretty(&doc)?;
    s.push('\n');
    Ok(s)
}
