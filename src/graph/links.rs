//! The links at one entity on a window of days, read from the interval index: the petgraph
//! edges at that entity whose fact can hold then, found without building the edges and without
//! walking the ones that cannot hold (a state named by a million statements has a few on a day).

use super::{Graph, Link, Slot, Tie};
use crate::model::{FactBody, Window};

/// One link at an entity: the entity at its other end, the link, and whether the petgraph edge
/// leaves the entity (`false`: it arrives).
pub type Near = (usize, Link, bool);

impl Graph<'_> {
    /// Pushes onto `out` the links at `entity` through the given slots whose fact can hold on
    /// some day of `w`: one item per petgraph edge between `entity` and another entity
    /// (parallel edges of one fact, such as a state listed twice in a treaty, included), in the
    /// fact order of each slot's list. It is a superset of the edges that hold: callers check
    /// [`Graph::link_status`]. Slots that tie no edge (`TreatyOrganization`,
    /// `StatementOnBehalfOf`) give nothing.
    pub fn links_near(&self, entity: usize, slots: &[Slot], w: Window, out: &mut Vec<Near>) {
        let is_me = |id: &str| self.entities.get(id) == Some(entity);
        for &slot in slots {
            for fact in self.index().facts(entity, slot, w) {
                let body = &self.data.facts[fact].body;
                let mut push = |other: &str, tie: Tie, leaves: bool| {
                    if let Some(o) = self.entities.get(other)
                        && o != entity
                    {
                        out.push((o, Link { fact, tie }, leaves));
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
                match body {
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
    }
}

/// Whether `slot` is the sending end of a one-to-many tie (the person of a role, a member, a
/// sanction's sender, a statement's speaker): the end petgraph's edges leave.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Window};
    use petgraph::Direction::{Incoming, Outgoing};
    use petgraph::graph::NodeIndex;
    use petgraph::visit::EdgeRef;

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

    /// The petgraph edges at `entity` whose link holds on `w`, as sorted items.
    fn from_petgraph(g: &Graph<'_>, entity: usize, w: Window) -> Vec<(usize, usize, Tie, bool)> {
        let n = NodeIndex::new(entity);
        let pg = g.petgraph();
        let mut v: Vec<_> = pg
            .edges_directed(n, Outgoing)
            .map(|e| (e.target().index(), *e.weight(), true))
            .chain(
                pg.edges_directed(n, Incoming)
                    .map(|e| (e.source().index(), *e.weight(), false)),
            )
            .filter(|(_, l, _)| g.link_status(*l, w).holds())
            .map(|(o, l, out)| (o, l.fact, l.tie, out))
            .collect();
        v.sort();
        v
    }

    fn from_index(g: &Graph<'_>, entity: usize, w: Window) -> Vec<(usize, usize, Tie, bool)> {
        let mut near = Vec::new();
        g.links_near(entity, &Slot::ALL, w, &mut near);
        let mut v: Vec<_> = near
            .into_iter()
            .filter(|(_, l, _)| g.link_status(*l, w).holds())
            .map(|(o, l, out)| (o, l.fact, l.tie, out))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn the_index_gives_the_petgraph_edges_that_hold() {
        let loaded = crate::load::from_text("t.ron", WORLD);
        let errors = loaded.diagnostics.iter();
        assert!(
            errors
                .clone()
                .all(|d| d.severity() != crate::diag::Severity::Error),
            "{:?}",
            errors.map(|d| &d.message).collect::<Vec<_>>()
        );
        let g = Graph::build(&loaded.dataset);
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
            for e in 0..loaded.dataset.entities.len() {
                let expected = from_petgraph(&g, e, w);
                assert_eq!(from_index(&g, e, w), expected, "entity {e} on {day}");
                seen += expected.len();
            }
        }
        assert!(seen > 40, "the world ties entities on those days: {seen}");
    }

    #[test]
    fn a_state_listed_twice_has_an_edge_per_listing() {
        let loaded = crate::load::from_text("t.ron", WORLD);
        let g = Graph::build(&loaded.dataset);
        let uzb = 2;
        let w = Window::EVER;
        let mut near = Vec::new();
        g.links_near(uzb, &[Slot::AlliedParty, Slot::Party], w, &mut near);
        let ties: Vec<Tie> = near.iter().map(|(_, l, _)| l.tie).collect();
        assert_eq!(
            ties,
            [
                Tie::Treaty(0, 2),
                Tie::Treaty(1, 2),
                Tie::Treaty(0, 3),
                Tie::Treaty(1, 3)
            ]
        );
        // Parties 0 and 1 come before UZB's entries, so petgraph's edges run from them.
        assert!(near.iter().all(|(_, _, leaves)| !leaves));
    }
}
