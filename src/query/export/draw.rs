//! What a picture draws of a [`Plan`], compact: organizations drawn as clusters of their members,
//! treaties and events of many entities drawn as hubs, and the lines (parallel facts of one
//! kind between one pair merged, or each on its own), each a few numbers over the plan's.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use super::plan::{Plan, Rec};
use super::view::{EdgeView, Head, LineMark, Picture, View};
use super::{Cluster, Hub, Line, Node, Parallel, Scope, Status};
use crate::graph::LinkKind;
use crate::model::{Certainty, FactKind};

/// Where a line runs to: an entity, or a hub (a fact, among the plan's texts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Entity(u32),
    Hub(u32),
}

#[derive(Debug, Clone, Copy)]
struct LineRec {
    from: u32,
    to: End,
    kind: LinkKind,
    directed: bool,
    certainty: Option<Certainty>,
    status: Option<Status>,
    /// Its facts: a range of [`Drawn::line_facts`].
    facts: (u32, u32),
}

#[derive(Debug, Clone)]
struct HubRec {
    /// The fact, among the texts.
    text: u32,
    kind: LinkKind,
    certainty: Option<Certainty>,
    status: Option<Status>,
    /// Entity indexes, sorted by id.
    members: Vec<u32>,
}

#[derive(Debug, Clone)]
struct ClusterRec {
    org: u32,
    /// Entity indexes, sorted by id.
    members: Vec<u32>,
}

/// A plan with what a picture draws of it.
pub struct Drawn<'p> {
    plan: &'p Plan,
    lines: Vec<LineRec>,
    /// The facts of every line (texts), one line's after another's.
    line_facts: Vec<u32>,
    /// Sorted by id.
    hubs: Vec<HubRec>,
    clusters: Vec<ClusterRec>,
}

impl<'p> Drawn<'p> {
    /// The lines, hubs and clusters of `plan`, as its options ask.
    pub fn of(plan: &'p Plan) -> Drawn<'p> {
        let opts = &plan.opts;
        let clusters = if opts.clusters && matches!(opts.scope, Scope::On { .. }) {
            clusters(plan)
        } else {
            Vec::new()
        };
        let mut d = Drawn {
            plan,
            lines: Vec::new(),
            line_facts: Vec::new(),
            hubs: Vec::new(),
            clusters,
        };
        let hubbed = d.find_hubs(opts.hubs);
        d.pairs(&hubbed);
        d.sort_lines();
        d
    }

    /// Whether an edge is drawn inside a cluster (a membership of a clustered member).
    fn clustered(&self, e: &Rec) -> bool {
        e.kind == LinkKind::Membership
            && self.clusters.iter().any(|c| {
                c.org == e.to && {
                    let ranks = &self.plan.ranks;
                    c.members
                        .binary_search_by_key(&ranks[e.from as usize], |&m| ranks[m as usize])
                        .is_ok()
                }
            })
    }

    /// Adds a line of the facts `texts` (whatever `line.facts` says).
    fn add_line(&mut self, line: LineRec, texts: &[u32]) {
        let start = self.line_facts.len() as u32;
        self.line_facts.extend_from_slice(texts);
        self.lines.push(LineRec {
            facts: (start, texts.len() as u32),
            ..line
        });
    }

    /// Finds the treaties and events tying at least `hub_min` entities, and draws a line from
    /// each of their entities to them; says which facts (by text) are hubs.
    fn find_hubs(&mut self, hub_min: Option<usize>) -> Vec<bool> {
        let plan = self.plan;
        let ranks = &plan.ranks;
        let mut hubbed = vec![false; plan.texts.len()];
        let Some(min) = hub_min else {
            return hubbed;
        };
        // The treaty and event edges by fact (facts are numbered in the order of their ids).
        let mut by_fact: Vec<&Rec> = (plan.edges.iter())
            .filter(|e| matches!(e.fact_kind, FactKind::Treaty | FactKind::Event))
            .collect();
        by_fact.sort_unstable_by_key(|e| e.text);
        for es in by_fact.chunk_by(|a, b| a.text == b.text) {
            let fact = es[0];
            // Each entity the fact ties, by id, with the edges it is an end of.
            let mut ends: Vec<(u32, u32, &Rec)> = (es.iter())
                .flat_map(|&e| {
                    [
                        (ranks[e.from as usize], e.from, e),
                        (ranks[e.to as usize], e.to, e),
                    ]
                })
                .collect();
            ends.sort_unstable_by_key(|&(rank, _, _)| rank);
            let members: Vec<&[(u32, u32, &Rec)]> = ends.chunk_by(|a, b| a.0 == b.0).collect();
            if members.len() < min {
                continue;
            }
            hubbed[fact.text as usize] = true;
            for mine in &members {
                let line = LineRec {
                    from: mine[0].1,
                    to: End::Hub(fact.text),
                    kind: fact.kind,
                    directed: false,
                    certainty: mine.iter().map(|m| m.2.certainty).max().flatten(),
                    status: combined(mine.iter().map(|m| m.2.status)),
                    facts: (0, 0),
                };
                self.add_line(line, &[fact.text]);
            }
            self.hubs.push(HubRec {
                text: fact.text,
                kind: fact.kind,
                certainty: es.iter().map(|e| e.certainty).max().flatten(),
                status: combined(es.iter().map(|e| e.status)),
                members: members.iter().map(|mine| mine[0].1).collect(),
            });
        }
        hubbed
    }

    /// The lines between pairs of entities: per pair, kind, direction, change and certainty
    /// one line of all its facts (or one per edge), but for edges in clusters or hubs.
    fn pairs(&mut self, hubbed: &[bool]) {
        let plan = self.plan;
        let each = plan.opts.parallel == Parallel::Each;
        let ranks = &plan.ranks;
        let drawn: Vec<&Rec> = (plan.edges.iter())
            .filter(|e| !hubbed[e.text as usize] && !self.clustered(e))
            .collect();
        let line = |e: &Rec| LineRec {
            from: e.from,
            to: End::Entity(e.to),
            kind: e.kind,
            directed: e.directed,
            certainty: e.certainty,
            status: e.status,
            facts: (0, 0),
        };
        // Edges come sorted by from, to, kind, fact: a pair's edges of one kind lie together,
        // their facts in order.
        let key = |e: &Rec| (ranks[e.from as usize], ranks[e.to as usize], e.kind);
        for es in drawn.chunk_by(|a, b| key(a) == key(b)) {
            if each {
                es.iter().for_each(|e| self.add_line(line(e), &[e.text]));
                continue;
            }
            let mut groups: BTreeMap<(bool, Option<Status>, Option<Certainty>), Vec<u32>> =
                BTreeMap::new();
            for e in es {
                let texts = groups
                    .entry((e.directed, e.status, e.certainty))
                    .or_default();
                if texts.last() != Some(&e.text) {
                    texts.push(e.text);
                }
            }
            for ((directed, status, certainty), texts) in groups {
                let l = LineRec {
                    directed,
                    status,
                    certainty,
                    ..line(es[0])
                };
                self.add_line(l, &texts);
            }
        }
    }

    /// Sorts the lines by from, to, kind, change, certainty and facts.
    fn sort_lines(&mut self) {
        let plan = self.plan;
        let to_id = |l: &LineRec| match l.to {
            End::Entity(e) => plan.id(e),
            End::Hub(t) => plan.texts.id(t),
        };
        // Facts are numbered in the order of their ids.
        let facts = |l: &LineRec| {
            let (s, n) = l.facts;
            &self.line_facts[s as usize..(s + n) as usize]
        };
        let mut lines = std::mem::take(&mut self.lines);
        lines.sort_unstable_by(|a, b| {
            let ranks = &plan.ranks;
            ranks[a.from as usize]
                .cmp(&ranks[b.from as usize])
                .then_with(|| match (a.to, b.to) {
                    (End::Entity(x), End::Entity(y)) => ranks[x as usize].cmp(&ranks[y as usize]),
                    _ => to_id(a).cmp(to_id(b)),
                })
                .then_with(|| (a.kind, a.status, a.certainty).cmp(&(b.kind, b.status, b.certainty)))
                .then_with(|| facts(a).cmp(facts(b)))
        });
        self.lines = lines;
    }

    fn line(&self, l: &LineRec) -> Line {
        let plan = self.plan;
        let (s, n) = l.facts;
        let texts = &self.line_facts[s as usize..(s + n) as usize];
        Line {
            from: plan.id(l.from).to_string(),
            to: match l.to {
                End::Entity(e) => plan.id(e).to_string(),
                End::Hub(t) => plan.texts.id(t).to_string(),
            },
            kind: l.kind,
            directed: l.directed,
            certainty: l.certainty,
            status: l.status,
            facts: texts
                .iter()
                .map(|&t| plan.texts.id(t).to_string())
                .collect(),
            titles: texts
                .iter()
                .map(|&t| plan.texts.title(t).to_string())
                .collect(),
        }
    }

    fn hub(&self, h: &HubRec) -> Hub {
        let plan = self.plan;
        Hub {
            id: plan.texts.id(h.text).to_string(),
            kind: h.kind,
            title: plan.texts.title(h.text).to_string(),
            certainty: h.certainty,
            status: h.status,
            members: h.members.iter().map(|&m| plan.id(m).to_string()).collect(),
        }
    }

    fn cluster(&self, c: &ClusterRec) -> Cluster {
        let plan = self.plan;
        Cluster {
            org: plan.id(c.org).to_string(),
            name: plan.entities()[c.org as usize].name.clone(),
            members: c.members.iter().map(|&m| plan.id(m).to_string()).collect(),
        }
    }
}

/// Organizations whose members shown belong to no other organization shown, are no
/// organization's members themselves, and are all certainly members: each becomes a cluster.
fn clusters(plan: &Plan) -> Vec<ClusterRec> {
    let ranks = &plan.ranks;
    // Keyed by place in the order of ids: organizations and members in id order.
    let mut member_of: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    let mut members: BTreeMap<u32, (u32, Vec<&Rec>)> = BTreeMap::new();
    for e in plan.edges.iter().filter(|e| e.kind == LinkKind::Membership) {
        let (from, to) = (ranks[e.from as usize], ranks[e.to as usize]);
        member_of.entry(from).or_default().insert(to);
        members.entry(to).or_insert((e.to, Vec::new())).1.push(e);
    }
    let mut used: BTreeSet<u32> = BTreeSet::new();
    let mut out = Vec::new();
    for (&org, (org_entity, ms)) in &members {
        let ids: BTreeMap<u32, u32> = ms
            .iter()
            .map(|e| (ranks[e.from as usize], e.from))
            .collect();
        let ok = ids.len() >= 2
            && ms.iter().all(|e| e.certainty == Some(Certainty::Certain))
            && ids
                .keys()
                .all(|m| member_of.get(m).is_some_and(|o| o.len() == 1))
            && !member_of.contains_key(&org)
            && !used.contains(&org)
            // A member with members of its own would need a cluster of its own.
            && ids
                .keys()
                .all(|m| !used.contains(m) && !members.contains_key(m));
        if !ok {
            continue;
        }
        used.insert(org);
        used.extend(ids.keys().copied());
        out.push(ClusterRec {
            org: *org_entity,
            members: ids.into_values().collect(),
        });
    }
    out
}

/// The change of several ties taken together: stayed when any stayed or they differ; started
/// or ended when all did; happened when all happened; none at any date or on a date.
fn combined(statuses: impl Iterator<Item = Option<Status>>) -> Option<Status> {
    let all: BTreeSet<Option<Status>> = statuses.collect();
    match all.len() {
        0 => None,
        1 => all.into_iter().next().flatten(),
        _ if all.contains(&None) => None,
        _ => Some(Status::Stayed),
    }
}

impl View for Drawn<'_> {
    fn head(&self) -> Head<'_> {
        self.plan.head()
    }

    fn nodes(&self) -> impl Iterator<Item = Cow<'_, Node>> {
        self.plan.nodes()
    }

    fn edges(&self) -> impl Iterator<Item = EdgeView<'_>> {
        self.plan.edges()
    }
}

impl Picture for Drawn<'_> {
    fn node(&self, id: &str) -> Option<Cow<'_, Node>> {
        self.plan
            .node_rec(id)
            .map(|n| Cow::Owned(self.plan.node_of(n)))
    }

    fn lines(&self) -> impl Iterator<Item = Cow<'_, Line>> {
        self.lines.iter().map(|l| Cow::Owned(self.line(l)))
    }

    fn line_marks(&self) -> impl Iterator<Item = LineMark> {
        self.lines.iter().map(|l| LineMark {
            kind: l.kind,
            status: l.status,
            certainty: l.certainty,
            facts: l.facts.1 as usize,
        })
    }

    fn hubs(&self) -> impl Iterator<Item = Cow<'_, Hub>> {
        self.hubs.iter().map(|h| Cow::Owned(self.hub(h)))
    }

    fn clusters(&self) -> impl Iterator<Item = Cow<'_, Cluster>> {
        self.clusters.iter().map(|c| Cow::Owned(self.cluster(c)))
    }

    fn is_hub(&self, id: &str) -> bool {
        let plan = self.plan;
        self.hubs
            .binary_search_by(|h| plan.texts.id(h.text).cmp(id))
            .is_ok()
    }

    fn is_empty(&self) -> bool {
        self.plan.nodes.is_empty()
    }
}
