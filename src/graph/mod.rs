//! The only module that names petgraph: the dataset built once into a graph of entities joined
//! by fact edges, with dated views over it (no rebuild per date), an index of each entity's
//! facts, and the interval index that answers "what held on D" ([`index`]).

pub mod index;
pub mod links;
pub mod path;

use std::collections::HashMap;
use std::sync::OnceLock;

use petgraph::graph::{DiGraph, EdgeIndex, EdgeReference, NodeIndex};
use petgraph::visit::{EdgeFiltered, FilterEdge};

use crate::model::{Certainty, Dataset, FactBody, Window};
pub use index::{Index, Slot};

/// How an edge's fact ties its two ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tie {
    /// Person to the state or organization of the role.
    Role,
    /// Member to organization.
    Membership,
    /// Between two parties of a treaty; the numbers index the treaty's parties.
    Treaty(u32, u32),
    /// Sender to target.
    Sanction,
    /// Speaker to what the statement is about.
    Statement,
    /// Between two entities an event involves.
    Event,
}

/// An edge: a fact and how it ties its ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    /// Index into [`Dataset::facts`].
    pub fact: usize,
    /// How.
    pub tie: Tie,
}

/// The petgraph graph of a dataset, built on first use: the dated questions answer from the
/// interval index and never need it, paths and diagrams do.
pub struct Edges<'d> {
    data: &'d Dataset,
    cell: OnceLock<DiGraph<usize, Link>>,
}

impl std::ops::Deref for Edges<'_> {
    type Target = DiGraph<usize, Link>;
    fn deref(&self) -> &Self::Target {
        self.cell.get_or_init(|| build_edges(self.data))
    }
}

/// Resolves referenced ids to entity indexes: exact ids without allocating, other spellings
/// through the dataset's case-blind index.
pub struct Entities<'d> {
    data: &'d Dataset,
    exact: HashMap<&'d str, usize, foldhash::fast::RandomState>,
}

impl<'d> Entities<'d> {
    /// The resolver of `data`'s entity ids.
    pub fn new(data: &'d Dataset) -> Entities<'d> {
        let mut exact = HashMap::with_capacity_and_hasher(data.entities.len(), Default::default());
        for (i, e) in data.entities.iter().enumerate() {
            // The first entity of an id wins, as in the dataset's own index.
            if let Some(crate::model::Target::Entity(j)) = data.lookup(&e.id)
                && i == j
            {
                exact.insert(e.id.as_str(), i);
            }
        }
        Entities { data, exact }
    }

    /// The entity `id` names, if any.
    pub fn get(&self, id: &str) -> Option<usize> {
        if let Some(&i) = self.exact.get(id) {
            return Some(i);
        }
        match self.data.lookup(id) {
            Some(crate::model::Target::Entity(i)) => Some(i),
            _ => None,
        }
    }
}

fn build_edges(data: &Dataset) -> DiGraph<usize, Link> {
    let ents = Entities::new(data);
    let mut graph = DiGraph::with_capacity(data.entities.len(), data.facts.len());
    for i in 0..data.entities.len() {
        graph.add_node(i);
    }
    let node = |id: &str| ents.get(id).map(NodeIndex::new);
    for (fi, f) in data.facts.iter().enumerate() {
        let mut add = |a: &str, b: &str, tie: Tie| {
            if let (Some(x), Some(y)) = (node(a), node(b))
                && x != y
            {
                graph.add_edge(x, y, Link { fact: fi, tie });
            }
        };
        match &f.body {
            FactBody::Role { person, of, .. } => add(person, of, Tie::Role),
            FactBody::Membership { member, of } => add(member, of, Tie::Membership),
            FactBody::Treaty { parties, .. } => {
                for (i, a) in parties.iter().enumerate() {
                    for (j, b) in parties.iter().enumerate().skip(i + 1) {
                        add(&a.state, &b.state, Tie::Treaty(i as u32, j as u32));
                    }
                }
            }
            FactBody::Sanction { by, against, .. } => {
                for t in against {
                    add(by, t, Tie::Sanction);
                }
            }
            FactBody::Statement { by, about, .. } => {
                for t in about {
                    add(by, t, Tie::Statement);
                }
            }
            FactBody::Event { involves, .. } => {
                for (i, a) in involves.iter().enumerate() {
                    for b in &involves[i + 1..] {
                        add(a, b, Tie::Event);
                    }
                }
            }
        }
    }
    graph
}

/// The interval index of a dataset, alone (as the cache stores it).
pub fn index_of(data: &Dataset) -> Index {
    let ents = Entities::new(data);
    Index::build(data, |id| ents.get(id))
}

/// The dataset as a graph: one node per entity (weight: index into [`Dataset::entities`]).
pub struct Graph<'d> {
    data: &'d Dataset,
    graph: Edges<'d>,
    /// For each entity, the facts that name it, in load order, without repeats (made when
    /// first asked for, as the index is: a question over every fact needs neither).
    facts_of: OnceLock<Vec<Vec<usize>>>,
    index: OnceLock<Index>,
    /// Referenced ids to entity indexes.
    entities: Entities<'d>,
}

impl<'d> Graph<'d> {
    /// Builds the graph of a dataset that has passed validation (references that name no
    /// entity are skipped).
    pub fn build(data: &'d Dataset) -> Graph<'d> {
        Graph {
            data,
            graph: Edges {
                data,
                cell: OnceLock::new(),
            },
            facts_of: OnceLock::new(),
            index: OnceLock::new(),
            entities: Entities::new(data),
        }
    }

    /// The interval index, if it has been made (see [`Graph::index`]).
    pub fn index_made(&self) -> Option<&Index> {
        self.index.get()
    }

    /// The interval index: per entity and slot, the facts that can hold on a date.
    pub fn index(&self) -> &Index {
        self.index
            .get_or_init(|| Index::build(self.data, |id| self.entities.get(id)))
    }

    /// The dataset.
    pub fn data(&self) -> &'d Dataset {
        self.data
    }

    /// The facts that name entity `entity` (an index into [`Dataset::entities`]).
    pub fn facts_of(&self, entity: usize) -> &[usize] {
        let all = self.facts_of.get_or_init(|| {
            let mut facts_of: Vec<Vec<usize>> = vec![Vec::new(); self.data.entities.len()];
            for (fi, f) in self.data.facts.iter().enumerate() {
                for (_, id) in f.references() {
                    if let Some(n) = self.entities.get(id) {
                        // Facts come in load order, so a repeat can only be the last one
                        // pushed.
                        let list = &mut facts_of[n];
                        if list.last() != Some(&fi) {
                            list.push(fi);
                        }
                    }
                }
            }
            facts_of
        });
        all.get(entity).map_or(&[], Vec::as_slice)
    }

    /// Number of entity nodes and fact edges.
    pub fn size(&self) -> (usize, usize) {
        (self.data.entities.len(), self.graph.edge_count())
    }

    /// Whether edge `link` holds on the days of `w`: the fact, and for a treaty both parties.
    pub fn link_status(&self, link: Link, w: Window) -> Certainty {
        let f = &self.data.facts[link.fact];
        match link.tie {
            Tie::Treaty(i, j) => {
                let Some(treaty) = f.interval() else {
                    return Certainty::No;
                };
                let parties = f.parties();
                let a = parties.get(i as usize).map(|p| p.status(treaty, w));
                let b = parties.get(j as usize).map(|p| p.status(treaty, w));
                match (a, b) {
                    (Some(a), Some(b)) => a.min(b),
                    _ => Certainty::No,
                }
            }
            _ => f.status(w),
        }
    }

    /// A view of the graph with only the edges that hold (certainly or possibly) on `w`.
    pub fn on(&self, w: Window) -> DatedView<'_, 'd> {
        DatedView { graph: self, w }
    }

    /// The underlying petgraph graph.
    pub fn petgraph(&self) -> &DiGraph<usize, Link> {
        &self.graph
    }
}

/// The graph as of a window of days.
pub struct DatedView<'g, 'd> {
    graph: &'g Graph<'d>,
    w: Window,
}

impl<'g, 'd> DatedView<'g, 'd> {
    /// The petgraph view: an [`EdgeFiltered`] over the one built graph.
    pub fn filtered(&self) -> EdgeFiltered<&'g DiGraph<usize, Link>, InForce<'g, 'd>> {
        EdgeFiltered(
            self.graph.petgraph(),
            InForce {
                graph: self.graph,
                w: self.w,
            },
        )
    }

    /// The edges at entity `entity` (either direction) that hold, with their certainty.
    pub fn links_at(&self, entity: usize) -> Vec<(EdgeIndex, Link, Certainty)> {
        use petgraph::Direction::{Incoming, Outgoing};
        let n = NodeIndex::new(entity);
        let mut out = Vec::new();
        for dir in [Outgoing, Incoming] {
            for e in self.graph.graph.edges_directed(n, dir) {
                use petgraph::visit::EdgeRef;
                let c = self.graph.link_status(*e.weight(), self.w);
                if c.holds() {
                    out.push((e.id(), *e.weight(), c));
                }
            }
        }
        out.sort_by_key(|(e, _, _)| *e);
        out
    }

    /// Whether fact `fact` holds on the window, taking the whole fact (all parties of a treaty
    /// together count as "in force" when the treaty is).
    pub fn fact_status(&self, fact: usize) -> Certainty {
        let f = &self.graph.data.facts[fact];
        f.status(self.w)
    }
}

/// The edge filter of a dated view: keeps edges whose fact holds on the window.
pub struct InForce<'g, 'd> {
    graph: &'g Graph<'d>,
    w: Window,
}

impl FilterEdge<EdgeReference<'_, Link>> for InForce<'_, '_> {
    fn include_edge(&self, edge: EdgeReference<'_, Link>) -> bool {
        self.graph.link_status(*edge.weight(), self.w).holds()
    }
}

/// Combines the certainty of several ties between the same pair (any holds).
pub fn any_of(c: impl IntoIterator<Item = Certainty>) -> Certainty {
    c.into_iter().max().unwrap_or(Certainty::No)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Window};
    use petgraph::visit::IntoEdgeReferences;

    fn data() -> Dataset {
        let text = r#"[
            State(id: "RUS", name: "Russia"), State(id: "BLR", name: "Belarus"),
            State(id: "UZB", name: "Uzbekistan"),
            Treaty(id: "cst", name: "CST", kind: Defense, in_force: "1994-04-20",
                parties: [Party(state: "RUS"), Party(state: "BLR"),
                          Party(state: "UZB", until: "1999-04-02"),
                          Party(state: "UZB", from: "2006-08-16", until: "2012-12-20")],
                sources: []),
        ]"#;
        crate::load::from_text("t.ron", text).dataset
    }

    #[test]
    fn dated_views_filter_edges_without_rebuilding() {
        let d = data();
        let g = Graph::build(&d);
        assert_eq!(g.size(), (3, 5));
        let on = |s: &str| Window::of(Date::parse(s).expect("date"));
        let count = |s: &str| g.on(on(s)).filtered().edge_references().count();
        assert_eq!(count("1995-01-01"), 3);
        assert_eq!(count("2003-01-01"), 1);
        assert_eq!(count("2010-01-01"), 3);
        assert_eq!(count("1990-01-01"), 0);
        let uzb = 2;
        assert_eq!(g.on(on("2003-01-01")).links_at(uzb).len(), 0);
        assert_eq!(g.on(on("2010-01-01")).links_at(uzb).len(), 2);
        assert_eq!(g.facts_of(uzb), &[0]);
    }
}
