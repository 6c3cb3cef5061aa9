//! `path A B --on D`: the shortest chains of facts in force on D that link A to B, each hop
//! naming every fact that links its pair, with certainties.

use serde::Serialize;

use crate::graph::Graph;
use crate::graph::path::{Chain, LinkKind, PathOptions};
use crate::model::{Certainty, Date, Window};

/// An entity named in an answer: its id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

impl Named {
    /// Entity `index` of the graph's dataset.
    pub fn of(graph: &Graph<'_>, index: usize) -> Named {
        let e = &graph.data().entities[index];
        Named {
            id: e.id.clone(),
            name: e.name.clone(),
        }
    }
}

/// One fact of a hop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HopFact {
    /// The fact's id.
    pub id: String,
    /// Its kind of link: `alliance`, `treaty`, `sanction`, `membership`, `statement`, `role`,
    /// `event` (as in `--kinds`).
    pub kind: LinkKind,
    /// One line saying what it is.
    pub title: String,
    /// `forward` (from the hop's `from` to its `to`: sender to target, member to organization,
    /// person to the state of the role, speaker to subject), `backward`, or `mutual` (treaties,
    /// events).
    pub direction: &'static str,
    /// Whether it holds on the date asked about.
    pub certainty: Certainty,
}

/// One step of a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// Entity id the hop leaves.
    pub from: String,
    /// Entity id the hop reaches.
    pub to: String,
    /// The best certainty among its facts.
    pub certainty: Certainty,
    /// Every fact linking the pair on the date, by id.
    pub facts: Vec<HopFact>,
}

/// One shortest chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathResult {
    /// Entity ids, first to last.
    pub nodes: Vec<String>,
    /// Their names.
    pub names: Vec<String>,
    /// One fact id per hop: the first by id of the hop's facts.
    pub hops: Vec<String>,
    /// Each hop with all its facts.
    pub hop_details: Vec<Hop>,
    /// The weakest hop's certainty.
    pub certainty: Certainty,
}

/// What `path` answers: the question as resolved, and the chains found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathAnswer {
    /// Where the chains start.
    pub from: Named,
    /// Where they end.
    pub to: Named,
    /// The date asked about.
    pub on: Date,
    /// The kinds followed (empty: every kind).
    pub kinds: Vec<LinkKind>,
    /// The longest chain looked for.
    pub max_hops: usize,
    /// The chains, shortest only, in order of their entity ids.
    pub results: Vec<PathResult>,
    /// Whether more shortest chains exist than `--limit` lets through.
    pub more: bool,
}

/// The shortest chains of facts holding on `on` from entity `from` to entity `to` (indexes).
pub fn path(graph: &Graph<'_>, from: usize, to: usize, on: Date, opts: &PathOptions) -> PathAnswer {
    // One chain past the limit tells whether the list was cut.
    let mut wider = opts.clone();
    wider.limit = opts.limit.saturating_add(1);
    let mut chains = graph.on(Window::of(on)).shortest_paths(from, to, &wider);
    let more = chains.len() > opts.limit;
    chains.truncate(opts.limit);
    PathAnswer {
        from: Named::of(graph, from),
        to: Named::of(graph, to),
        on,
        kinds: opts.kinds.clone(),
        max_hops: opts.max_hops,
        results: chains.iter().map(|c| result(graph, c)).collect(),
        more,
    }
}

fn result(graph: &Graph<'_>, c: &Chain) -> PathResult {
    let data = graph.data();
    let id = |i: usize| data.entities[i].id.clone();
    let hop_details: Vec<Hop> = c
        .hops
        .iter()
        .map(|h| Hop {
            from: id(h.from),
            to: id(h.to),
            certainty: h.certainty(),
            facts: h
                .links
                .iter()
                .map(|l| {
                    let f = &data.facts[l.fact];
                    HopFact {
                        id: f.id.clone(),
                        kind: l.kind,
                        title: f.title(),
                        direction: l.way.as_str(),
                        certainty: l.certainty,
                    }
                })
                .collect(),
        })
        .collect();
    PathResult {
        nodes: c.nodes.iter().map(|&i| id(i)).collect(),
        names: c
            .nodes
            .iter()
            .map(|&i| data.entities[i].name.clone())
            .collect(),
        hops: hop_details
            .iter()
            .map(|h| h.facts.first().map_or_else(String::new, |f| f.id.clone()))
            .collect(),
        hop_details,
        certainty: c.certainty(),
    }
}
