//! `path A B --on D`: the shortest chains of facts in force on D that link A to B, each hop
//! naming every fact that links its pair, with certainties.

use serde::Serialize;

use crate::graph::LinkKind;
use crate::graph::path::{Chain, PathOptions, shortest_paths};
use crate::model::{Certainty, Date, Window};
use crate::store::{Read, Store};

/// An entity named in an answer: its id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

impl Named {
    /// Entity number `index` of the store.
    pub fn of(store: &dyn Store, index: usize) -> Named {
        let e = store.entity_at(index);
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
pub fn path(
    store: &dyn Store,
    from: usize,
    to: usize,
    on: Date,
    opts: &PathOptions,
) -> Read<PathAnswer> {
    // One chain past the limit tells whether the list was cut.
    let mut wider = opts.clone();
    wider.limit = opts.limit.saturating_add(1);
    let mut chains = shortest_paths(store, Window::of(on), from, to, &wider)?;
    let more = chains.len() > opts.limit;
    chains.truncate(opts.limit);
    Ok(PathAnswer {
        from: Named::of(store, from),
        to: Named::of(store, to),
        on,
        kinds: opts.kinds.clone(),
        max_hops: opts.max_hops,
        results: chains
            .iter()
            .map(|c| result(store, c))
            .collect::<Read<_>>()?,
        more,
    })
}

fn result(store: &dyn Store, c: &Chain) -> Read<PathResult> {
    let id = |i: usize| store.entity_at(i).id.clone();
    let mut hop_details: Vec<Hop> = Vec::with_capacity(c.hops.len());
    for h in &c.hops {
        let mut facts = Vec::with_capacity(h.links.len());
        for l in &h.links {
            let f = store.fact(l.fact)?;
            facts.push(HopFact {
                id: f.id.clone(),
                kind: l.kind,
                title: f.title(),
                direction: l.way.as_str(),
                certainty: l.certainty,
            });
        }
        hop_details.push(Hop {
            from: id(h.from),
            to: id(h.to),
            certainty: h.certainty(),
            facts,
        });
    }
    Ok(PathResult {
        nodes: c.nodes.iter().map(|&i| id(i)).collect(),
        names: c
            .nodes
            .iter()
            .map(|&i| store.entity_at(i).name.clone())
            .collect(),
        hops: hop_details
            .iter()
            .map(|h| h.facts.first().map_or_else(String::new, |f| f.id.clone()))
            .collect(),
        hop_details,
        certainty: c.certainty(),
    })
}
