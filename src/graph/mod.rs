//! The dated graph, as petgraph sees it: a view over any [`Store`] whose nodes are entities and
//! whose edges are the ties of facts that hold on a window of days. It implements petgraph's
//! visit traits, so petgraph's own searches run on it ([`path`]) without a graph of the whole
//! world ever being built. (Diagrams select their facts themselves, `query::export`.) A node's
//! edges are read from the interval index, so a step costs the facts that can hold on the
//! window, not every fact that ever named the entity.

pub mod path;

use std::cell::Cell;
use std::fmt;
use std::str::FromStr;

use petgraph::visit::{
    Data, EdgeRef, GraphBase, IntoEdgeReferences, IntoEdges, IntoNeighbors, NodeCount,
    NodeIndexable, Visitable,
};
use serde::Serialize;

use crate::model::{Certainty, Fact, FactBody, FactKind, Window};
use crate::store::{Corrupt, Read, Slot, Store};

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

/// An edge's fact and how it ties its ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Link {
    /// The fact's number in the store.
    pub fact: usize,
    /// How.
    pub tie: Tie,
}

/// The kinds of link a view follows (`--kinds`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// Fellow parties to a treaty of an alliance kind (`TreatyKind::is_alliance`).
    Alliance,
    /// Fellow parties to any other treaty.
    Treaty,
    /// Sender and target of a sanction.
    Sanction,
    /// Member and organization.
    Membership,
    /// Speaker and what the statement is about.
    Statement,
    /// A person and the state or organization of the role.
    Role,
    /// Two entities an event involves.
    Event,
}

impl LinkKind {
    /// Every kind, in the order `--kinds` documents them.
    pub const ALL: [LinkKind; 7] = [
        LinkKind::Alliance,
        LinkKind::Treaty,
        LinkKind::Sanction,
        LinkKind::Membership,
        LinkKind::Statement,
        LinkKind::Role,
        LinkKind::Event,
    ];

    /// The interval index's slots whose facts give links of this kind.
    pub fn slots(self) -> &'static [Slot] {
        match self {
            LinkKind::Alliance => &[Slot::AlliedParty],
            LinkKind::Treaty => &[Slot::Party],
            LinkKind::Sanction => &[Slot::SanctionBy, Slot::SanctionAgainst],
            LinkKind::Membership => &[Slot::Member, Slot::MemberOf],
            LinkKind::Statement => &[Slot::StatementBy, Slot::StatementAbout],
            LinkKind::Role => &[Slot::RolePerson, Slot::RoleOf],
            LinkKind::Event => &[Slot::EventInvolves],
        }
    }

    /// The fact kind whose facts give links of this kind.
    pub fn fact_kind(self) -> FactKind {
        match self {
            LinkKind::Alliance | LinkKind::Treaty => FactKind::Treaty,
            LinkKind::Sanction => FactKind::Sanction,
            LinkKind::Membership => FactKind::Membership,
            LinkKind::Statement => FactKind::Statement,
            LinkKind::Role => FactKind::Role,
            LinkKind::Event => FactKind::Event,
        }
    }

    /// The kind of link fact `f` gives.
    pub fn of(f: &Fact) -> LinkKind {
        match &f.body {
            FactBody::Role { .. } => LinkKind::Role,
            FactBody::Membership { .. } => LinkKind::Membership,
            FactBody::Treaty { kind, .. } if kind.is_alliance() => LinkKind::Alliance,
            FactBody::Treaty { .. } => LinkKind::Treaty,
            FactBody::Sanction { .. } => LinkKind::Sanction,
            FactBody::Statement { .. } => LinkKind::Statement,
            FactBody::Event { .. } => LinkKind::Event,
        }
    }

    /// The name as typed in `--kinds`.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Alliance => "alliance",
            LinkKind::Treaty => "treaty",
            LinkKind::Sanction => "sanction",
            LinkKind::Membership => "membership",
            LinkKind::Statement => "statement",
            LinkKind::Role => "role",
            LinkKind::Event => "event",
        }
    }
}

impl fmt::Display for LinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LinkKind {
    type Err = String;

    /// Parses a kind name in any case, singular or plural (`sanctions`, `Alliance`).
    fn from_str(s: &str) -> Result<LinkKind, String> {
        let t = s.trim().to_ascii_lowercase();
        LinkKind::ALL
            .into_iter()
            .find(|k| t == k.as_str() || t.strip_suffix('s') == Some(k.as_str()))
            .ok_or_else(|| {
                let names: Vec<&str> = LinkKind::ALL.iter().map(|k| k.as_str()).collect();
                format!("unknown kind `{s}`; the kinds are {}", names.join(", "))
            })
    }
}

/// Whether the tie `tie` of fact `f` holds on the days of `w`: the fact, and for a treaty both
/// parties.
pub fn tie_status(f: &Fact, tie: Tie, w: Window) -> Certainty {
    match tie {
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

/// Combines the certainty of several ties between the same pair (any holds).
pub fn any_of(c: impl IntoIterator<Item = Certainty>) -> Certainty {
    c.into_iter().max().unwrap_or(Certainty::No)
}

/// An edge at a node of the view: the node (`from`), the entity at the other end (`to`), and
/// what ties them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatedEdge {
    /// The entity whose edges these are.
    pub from: usize,
    /// The entity at the other end.
    pub to: usize,
    /// The fact, how it ties them, and how surely.
    pub step: Step,
}

/// What an edge carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The fact and its tie.
    pub link: Link,
    /// Whether it holds on the window, and how surely.
    pub certainty: Certainty,
    /// Whether the fact runs from `from` to `to` (sender to target, member to organization,
    /// person to the state of the role, speaker to subject, the earlier of two treaty parties
    /// or event entities to the later).
    pub leaves: bool,
}

impl EdgeRef for DatedEdge {
    type NodeId = usize;
    type EdgeId = Link;
    type Weight = Step;
    fn source(&self) -> usize {
        self.from
    }
    fn target(&self) -> usize {
        self.to
    }
    fn weight(&self) -> &Step {
        &self.step
    }
    fn id(&self) -> Link {
        self.step.link
    }
}

/// The graph of a store on a window of days: entities as nodes, the ties of facts that hold
/// (certainly or possibly) as edges, either way, of the kinds asked for. A read that fails
/// gives no edges and is kept: [`DatedView::check`] says so after a search.
pub struct DatedView<'s> {
    store: &'s dyn Store,
    w: Window,
    kinds: Vec<LinkKind>,
    slots: Vec<Slot>,
    failed: Cell<bool>,
}

impl<'s> DatedView<'s> {
    /// The view of `store` on `w`, following links of `kinds` (every kind when empty).
    pub fn new(store: &'s dyn Store, w: Window, kinds: &[LinkKind]) -> DatedView<'s> {
        let kinds = if kinds.is_empty() {
            LinkKind::ALL.to_vec()
        } else {
            kinds.to_vec()
        };
        let slots = kinds.iter().flat_map(|k| k.slots()).copied().collect();
        DatedView {
            store,
            w,
            kinds,
            slots,
            failed: Cell::new(false),
        }
    }

    /// The store.
    pub fn store(&self) -> &'s dyn Store {
        self.store
    }

    /// The window.
    pub fn window(&self) -> Window {
        self.w
    }

    /// An error if a read failed during a search.
    pub fn check(&self) -> Read<()> {
        if self.failed.get() {
            Err(Corrupt)
        } else {
            Ok(())
        }
    }

    /// The edges at `entity` that hold on the window: one per tie between `entity` and
    /// another entity (a state listed twice in a treaty has an edge per listing), in the
    /// order of the index's lists.
    pub fn edges_at(&self, entity: usize) -> Read<Vec<DatedEdge>> {
        let mut out = Vec::new();
        let store = self.store;
        let is_me = |id: &str| store.entity_of(id) == Some(entity);
        for &slot in &self.slots {
            for fact in store.tied(entity, &[slot], self.w)? {
                let f = store.fact(fact)?;
                if !self.kinds.contains(&LinkKind::of(&f)) {
                    continue;
                }
                let mut push = |other: &str, tie: Tie, leaves: bool| {
                    if let Some(to) = store.entity_of(other)
                        && to != entity
                    {
                        let certainty = tie_status(&f, tie, self.w);
                        if certainty.holds() {
                            let link = Link { fact, tie };
                            out.push(DatedEdge {
                                from: entity,
                                to,
                                step: Step {
                                    link,
                                    certainty,
                                    leaves,
                                },
                            });
                        }
                    }
                };
                // One sender to many receivers: from the sender, an edge to each receiver;
                // from a receiver, an edge from the sender for each time it is listed.
                let mut one_to_many = |one: &str, many: &mut dyn Iterator<Item = &str>, tie| {
                    if slot_is_sender(slot) {
                        many.for_each(|m| push(m, tie, true));
                    } else {
                        many.filter(|m| is_me(m))
                            .for_each(|_| push(one, tie, false));
                    }
                };
                match &f.body {
                    FactBody::Role { person, of, .. } => {
                        one_to_many(person, &mut std::iter::once(of.as_str()), Tie::Role);
                    }
                    FactBody::Membership { member, of } => {
                        one_to_many(member, &mut std::iter::once(of.as_str()), Tie::Membership);
                    }
                    FactBody::Sanction { by, against, .. } => {
                        one_to_many(by, &mut against.iter().map(String::as_str), Tie::Sanction);
                    }
                    FactBody::Statement { by, about, .. } => {
                        one_to_many(by, &mut about.iter().map(String::as_str), Tie::Statement);
                    }
                    FactBody::Treaty { parties, .. } => {
                        let ids: Vec<&str> = parties.iter().map(|p| p.state.as_str()).collect();
                        each_pair(&ids, &is_me, |i, j| {
                            let (a, b) = (i.min(j) as u32, i.max(j) as u32);
                            push(ids[j], Tie::Treaty(a, b), i < j);
                        });
                    }
                    FactBody::Event { involves, .. } => {
                        let ids: Vec<&str> = involves.iter().map(String::as_str).collect();
                        each_pair(&ids, &is_me, |i, j| push(ids[j], Tie::Event, i < j));
                    }
                }
            }
        }
        Ok(out)
    }

    /// Every edge that holds on the window, once each, from the end the fact runs from: the
    /// ties of every fact of the view's kinds that can hold then.
    pub fn all_edges(&self) -> Read<Vec<DatedEdge>> {
        let mut kinds: Vec<FactKind> = self.kinds.iter().map(|k| k.fact_kind()).collect();
        kinds.dedup();
        let mut out = Vec::new();
        for kind in kinds {
            for fact in self.store.of_kind(kind, self.w)? {
                let f = self.store.fact(fact)?;
                if self.kinds.contains(&LinkKind::of(&f)) {
                    self.fact_edges(fact, &f, &mut out);
                }
            }
        }
        Ok(out)
    }

    /// The edges of fact number `fact` that hold on the window, from the end it runs from.
    fn fact_edges(&self, fact: usize, f: &Fact, out: &mut Vec<DatedEdge>) {
        let mut add = |a: &str, b: &str, tie: Tie| {
            if let (Some(from), Some(to)) = (self.store.entity_of(a), self.store.entity_of(b))
                && from != to
            {
                let certainty = tie_status(f, tie, self.w);
                if certainty.holds() {
                    let link = Link { fact, tie };
                    out.push(DatedEdge {
                        from,
                        to,
                        step: Step {
                            link,
                            certainty,
                            leaves: true,
                        },
                    });
                }
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
                against.iter().for_each(|t| add(by, t, Tie::Sanction));
            }
            FactBody::Statement { by, about, .. } => {
                about.iter().for_each(|t| add(by, t, Tie::Statement));
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

    /// [`DatedView::edges_at`], with a failed read kept for [`DatedView::check`].
    fn edges_or_none(&self, entity: usize) -> Vec<DatedEdge> {
        self.edges_at(entity).unwrap_or_else(|_| {
            self.failed.set(true);
            Vec::new()
        })
    }
}

/// Whether `slot` is the sending end of a one-to-many tie (the person of a role, a member, a
/// sanction's sender, a statement's speaker).
fn slot_is_sender(slot: Slot) -> bool {
    matches!(
        slot,
        Slot::RolePerson | Slot::Member | Slot::SanctionBy | Slot::StatementBy
    )
}

/// Calls `f(i, j)` for every position `i` of `ids` that `is_me` accepts and every other
/// position `j`: the edges of a fact that ties every two of its entities.
fn each_pair(ids: &[&str], is_me: &impl Fn(&str) -> bool, mut f: impl FnMut(usize, usize)) {
    for (i, id) in ids.iter().enumerate() {
        if is_me(id) {
            (0..ids.len()).filter(|&j| j != i).for_each(|j| f(i, j));
        }
    }
}

impl GraphBase for DatedView<'_> {
    type EdgeId = Link;
    type NodeId = usize;
}

impl Data for DatedView<'_> {
    type NodeWeight = ();
    type EdgeWeight = Step;
}

impl NodeIndexable for DatedView<'_> {
    fn node_bound(&self) -> usize {
        self.store.entity_count()
    }
    fn to_index(&self, a: usize) -> usize {
        a
    }
    fn from_index(&self, i: usize) -> usize {
        i
    }
}

impl NodeCount for DatedView<'_> {
    fn node_count(&self) -> usize {
        self.store.entity_count()
    }
}

impl Visitable for DatedView<'_> {
    type Map = fixedbitset::FixedBitSet;
    fn visit_map(&self) -> Self::Map {
        fixedbitset::FixedBitSet::with_capacity(self.node_bound())
    }
    fn reset_map(&self, map: &mut Self::Map) {
        map.clear();
        map.grow(self.node_bound());
    }
}

impl IntoNeighbors for &DatedView<'_> {
    type Neighbors = std::vec::IntoIter<usize>;
    fn neighbors(self, a: usize) -> Self::Neighbors {
        let mut to: Vec<usize> = self.edges_or_none(a).iter().map(|e| e.to).collect();
        to.dedup();
        to.into_iter()
    }
}

impl IntoEdgeReferences for &DatedView<'_> {
    type EdgeRef = DatedEdge;
    type EdgeReferences = std::vec::IntoIter<DatedEdge>;
    fn edge_references(self) -> Self::EdgeReferences {
        self.all_edges()
            .unwrap_or_else(|_| {
                self.failed.set(true);
                Vec::new()
            })
            .into_iter()
    }
}

impl IntoEdges for &DatedView<'_> {
    type Edges = std::vec::IntoIter<DatedEdge>;
    fn edges(self, a: usize) -> Self::Edges {
        self.edges_or_none(a).into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;
    use crate::store::MemoryStore;

    /// Every kind of tie, a state listed twice in a treaty (left and rejoined), a statement
    /// on behalf of a state, a treaty run by an organization, and facts of one day.
    const WORLD: &str = r#"[
        State(id: "RUS", name: "Russia"), State(id: "BLR", name: "Belarus"),
        State(id: "UZB", name: "Uzbekistan"), State(id: "USA", name: "United States"),
        Organization(id: "CSTO", name: "CSTO", kind: Alliance),
        Person(id: "putin", name: "Vladimir Putin"),
        Role(person: "putin", of: "RUS", title: "President", from: "2012", sources: []),
        Membership(member: "BLR", of: "CSTO", from: "2002-10-07", sources: []),
        Treaty(id: "cst", name: "CST", kind: Defense, in_force: "1994-04-20",
            organization: "CSTO",
            parties: [Party(state: "RUS"), Party(state: "BLR"),
                      Party(state: "UZB", until: "1999-04-02"),
                      Party(state: "UZB", from: "2006-08-16", until: "2012-12-20")],
            sources: []),
        Sanction(id: "us-ru", by: "USA", against: ["RUS", "BLR"], measures: [Other],
            from: "2014", sources: []),
        Statement(id: "s1", by: "putin", on_behalf_of: "RUS", about: ["USA", "BLR"],
            on: "2020-01-01", quote: "q", stance: Neutral, sources: []),
        Event(id: "e1", name: "Meeting", kind: Meeting, on: "2010-05",
            involves: ["RUS", "BLR", "UZB"], sources: []),
    ]"#;

    fn store() -> MemoryStore {
        let loaded = crate::load::from_text("t.ron", WORLD);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        MemoryStore::new(loaded.dataset, true)
    }

    /// Sorted `(from, to, fact, tie, leaves)` items.
    fn items(edges: impl IntoIterator<Item = DatedEdge>) -> Vec<(usize, usize, usize, Tie, bool)> {
        let mut v: Vec<_> = edges
            .into_iter()
            .map(|e| {
                (
                    e.from,
                    e.to,
                    e.step.link.fact,
                    e.step.link.tie,
                    e.step.leaves,
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_nodes_edges_are_the_edges_of_the_whole_that_touch_it() {
        let s = store();
        let days = [
            "1990",
            "1995-01-01",
            "2003",
            "2010-05",
            "2010-05-15",
            "2013",
            "2014",
            "2020-01-01",
        ];
        let mut seen = 0;
        for day in days {
            let w = Window::of(Date::parse(day).expect("date"));
            let view = DatedView::new(&s, w, &[]);
            let all = view.all_edges().expect("reads");
            for e in 0..s.entity_count() {
                // Seen from either end: the end the fact runs from leaves.
                let expected = items(all.iter().filter_map(|x| {
                    if x.from == e {
                        Some(*x)
                    } else if x.to == e {
                        let mut back = *x;
                        back.from = x.to;
                        back.to = x.from;
                        back.step.leaves = false;
                        Some(back)
                    } else {
                        None
                    }
                }));
                let got = items(view.edges_at(e).expect("reads"));
                assert_eq!(got, expected, "entity {e} on {day}");
                seen += expected.len();
            }
        }
        assert!(seen > 40, "the world ties entities on those days: {seen}");
    }

    #[test]
    fn a_state_listed_twice_has_an_edge_per_listing() {
        let s = store();
        let view = DatedView::new(&s, Window::EVER, &[LinkKind::Alliance, LinkKind::Treaty]);
        let uzb = 2;
        let ties: Vec<Tie> = view
            .edges_at(uzb)
            .expect("reads")
            .iter()
            .map(|e| e.step.link.tie)
            .collect();
        assert_eq!(
            ties,
            [
                Tie::Treaty(0, 2),
                Tie::Treaty(1, 2),
                Tie::Treaty(0, 3),
                Tie::Treaty(1, 3)
            ]
        );
    }

    #[test]
    fn petgraphs_own_search_runs_on_the_view() {
        let s = store();
        let on = |d: &str| Window::of(Date::parse(d).expect("date"));
        let reached = |w| {
            let view = DatedView::new(&s, w, &[]);
            let mut bfs = petgraph::visit::Bfs::new(&view, 3);
            let mut seen = Vec::new();
            while let Some(n) = bfs.next(&view) {
                seen.push(s.entity_at(n).id.clone());
            }
            seen.sort();
            seen
        };
        // Before the sanction, the United States is tied to no one.
        assert_eq!(reached(on("2013-06-01")), ["USA"]);
        assert_eq!(
            reached(on("2020-01-01")),
            ["BLR", "CSTO", "RUS", "USA", "putin"]
        );
    }
}
