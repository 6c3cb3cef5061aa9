//! The edges and nodes of a diagram, compact: each edge a few numbers (the fact's texts, its two
//! entities, its dates and marks), the facts' ids and titles kept once each, in one string.
//! Built from facts read from the store one at a time, so that a diagram of a whole world
//! holds neither the facts nor five strings an edge; the writers read it through [`View`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::select::{Rules, Shown};
use super::view::{EdgeId, EdgeView, Head, View};
use super::{ExportOptions, Node, Status, title};
use crate::graph::LinkKind;
use crate::model::{Certainty, Date, Entity, Fact, FactKind, When, Window};
use crate::query::texts::Texts;
use crate::store::{Read, Store};

/// One edge: a fact tying two entities, for one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rec {
    /// The fact, among the [`Texts`] (as kept while gathering, then numbered by id).
    pub text: u32,
    /// Entity indexes.
    pub from: u32,
    pub to: u32,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub kind: LinkKind,
    pub fact_kind: FactKind,
    pub directed: bool,
    pub point: bool,
    pub certainty: Option<Certainty>,
    pub status: Option<Status>,
}

/// An entity shown, and its distance from the focus.
#[derive(Debug, Clone, Copy)]
pub(super) struct NodeRec {
    pub entity: u32,
    pub depth: Option<u32>,
}

/// What a diagram shows, compact (see the module doc).
pub struct Plan {
    /// Every entity.
    pub(super) entities: Vec<Entity>,
    /// Each entity's place in the order of ids.
    pub(super) ranks: Vec<u32>,
    pub(super) opts: ExportOptions,
    title: String,
    pub(super) texts: Texts,
    /// Sorted by from, to, kind, fact, start, end; without repeats.
    pub(super) edges: Vec<Rec>,
    /// Sorted by id.
    pub(super) nodes: Vec<NodeRec>,
}

/// The edges of fact `f` (its ties `shown`), whose texts are `text`, added to `edges`.
fn push_edges(edges: &mut Vec<Rec>, shown: &[Shown], text: u32, f: &Fact) {
    let point = matches!(f.when, When::On(_));
    let fact_kind = f.kind();
    edges.extend(shown.iter().map(|s| Rec {
        text,
        from: s.tie.from as u32,
        to: s.tie.to as u32,
        start: s.tie.start,
        end: s.tie.end,
        kind: s.tie.kind,
        fact_kind,
        directed: s.tie.directed,
        point,
        certainty: s.certainty,
        status: s.status,
    }));
}

impl Plan {
    /// Adds `note` to the diagram's title (where the data was read from).
    pub fn add_to_title(&mut self, note: &str) {
        self.title.push_str(note);
    }

    /// What a diagram shows for `opts`, of the store's data.
    pub fn build(store: &dyn Store, opts: &ExportOptions) -> Read<Plan> {
        let entity = |id: &str| store.entity_of(id);
        let rules = Rules {
            opts,
            entities: store.entities(),
            entity: &entity,
        };
        let mut texts = Texts::default();
        let mut edges = Vec::new();
        let depth = match opts.focus {
            Some(focus) => around(store, &rules, focus, &mut texts, &mut edges)?,
            None => {
                // Every fact of the kinds shown; the rules decide which it shows.
                let mut kinds: Vec<FactKind> = LinkKind::ALL
                    .iter()
                    .filter(|k| opts.allows(**k))
                    .map(|k| k.fact_kind())
                    .collect();
                kinds.dedup();
                let mut numbers = Vec::new();
                for k in kinds {
                    numbers.extend(store.of_kind(k, Window::EVER)?);
                }
                numbers.sort_unstable();
                for n in numbers {
                    let f = store.fact(n)?;
                    let shown = rules.shown(&f);
                    if !shown.is_empty() {
                        let text = texts.push(&f.id, &f.title());
                        push_edges(&mut edges, &shown, text, &f);
                    }
                }
                BTreeMap::new()
            }
        };
        let entities = store.entities().to_vec();
        let ranks = id_ranks(&entities);
        let edges = in_order(edges, &mut texts, &ranks);
        let nodes = nodes(&edges, &depth, &ranks, opts.focus.is_some());
        Ok(Plan {
            title: title(&entities, opts),
            entities,
            ranks,
            opts: opts.clone(),
            texts,
            edges,
            nodes,
        })
    }

    /// The ids of the facts it shows, in the order of ids.
    pub fn fact_ids(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.texts.len() as u32).map(|t| self.texts.id(t))
    }

    /// Every entity, in load order.
    pub(super) fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// The node of entity `e`, as the writers take it.
    pub(super) fn node_of(&self, n: NodeRec) -> Node {
        let e = &self.entities()[n.entity as usize];
        Node {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: e.kind,
            org_kind: e.org_kind,
            focus: self.opts.focus == Some(n.entity as usize),
            depth: n.depth.map(|d| d as usize),
        }
    }

    /// The shown entity with id `id`.
    pub(super) fn node_rec(&self, id: &str) -> Option<NodeRec> {
        let ents = self.entities();
        self.nodes
            .binary_search_by(|n| ents[n.entity as usize].id.as_str().cmp(id))
            .ok()
            .map(|i| self.nodes[i])
    }

    /// The id of entity `e`.
    pub(super) fn id(&self, e: u32) -> &str {
        &self.entities()[e as usize].id
    }
}

/// The edges gathered, their facts numbered in the order of ids (`texts` too), sorted by from,
/// to, kind, fact, start, end (entities by their place in the order of ids, `ranks`, so that
/// no string is compared), without repeats.
fn in_order(mut edges: Vec<Rec>, texts: &mut Texts, ranks: &[u32]) -> Vec<Rec> {
    let number = texts.number_by_id();
    for e in &mut edges {
        e.text = number[e.text as usize];
    }
    drop(number);
    let pair = |r: &Rec| (ranks[r.from as usize], ranks[r.to as usize]);
    edges.sort_unstable_by_key(|r| (pair(r), r.kind, r.text, r.start, r.end));
    // A fact that names a pair twice over the same period gives one edge.
    edges.dedup_by_key(|r| (pair(r), r.text, r.start, r.end));
    edges.shrink_to_fit();
    edges
}

/// The entities shown: those at a distance from the focus (`depth`) and the ends of `edges`,
/// sorted by id.
fn nodes(
    edges: &[Rec],
    depth: &BTreeMap<usize, usize>,
    ranks: &[u32],
    focused: bool,
) -> Vec<NodeRec> {
    let mut shown = vec![false; ranks.len()];
    for &e in depth.keys() {
        shown[e] = true;
    }
    for e in edges {
        shown[e.from as usize] = true;
        shown[e.to as usize] = true;
    }
    let mut nodes: Vec<NodeRec> = (0..ranks.len())
        .filter(|&i| shown[i])
        .map(|i| NodeRec {
            entity: i as u32,
            depth: depth.get(&i).filter(|_| focused).map(|&d| d as u32),
        })
        .collect();
    nodes.sort_by_key(|n| ranks[n.entity as usize]);
    nodes
}

/// Gathers what lies within `depth` hops of `focus`: the entities it reaches through shown
/// facts (by distance), then the edges (and texts) of the facts that reach them, but for those
/// between two entities at the outer depth. Returns the entities' distances.
///
/// The search keeps only the two ends of each tie shown; the facts are read again at the end
/// for their edges.
fn around(
    store: &dyn Store,
    rules: &Rules<'_>,
    focus: usize,
    texts: &mut Texts,
    edges: &mut Vec<Rec>,
) -> Read<BTreeMap<usize, usize>> {
    const UNREAD: (u32, u32) = (u32::MAX, 0);
    let max = rules.opts.depth;
    // The ends of the ties shown of each fact read, and where those lie, by fact number.
    let mut ends: Vec<(u32, u32)> = Vec::new();
    let mut lie: Vec<(u32, u32)> = Vec::new();
    let mut read: Vec<usize> = Vec::new();
    let mut depth: BTreeMap<usize, usize> = BTreeMap::new();
    depth.insert(focus, 0);
    let mut frontier = vec![focus];
    for level in 1..=max {
        // The facts naming the level's entities, read in one go.
        let naming = frontier
            .iter()
            .map(|&u| store.named(u))
            .collect::<Read<Vec<_>>>()?;
        let unread = |fi: &usize| lie.get(*fi).is_none_or(|&l| l == UNREAD);
        let mut wanted: Vec<usize> = naming.iter().flatten().copied().filter(unread).collect();
        wanted.sort_unstable();
        wanted.dedup();
        if let Some(&last) = wanted.last()
            && lie.len() <= last
        {
            lie.resize(last + 1, UNREAD);
        }
        for &fi in &wanted {
            let f = store.fact(fi)?;
            let start = ends.len() as u32;
            let shown = rules.shown(&f);
            ends.extend(shown.iter().map(|s| (s.tie.from as u32, s.tie.to as u32)));
            lie[fi] = (start, ends.len() as u32);
        }
        read.extend(wanted);
        let mut next = Vec::new();
        for (&u, facts) in frontier.iter().zip(&naming) {
            for &fi in facts {
                let (a, b) = lie[fi];
                for &(from, to) in ends.get(a as usize..b as usize).unwrap_or_default() {
                    let (from, to) = (from as usize, to as usize);
                    let other = if from == u {
                        to
                    } else if to == u {
                        from
                    } else {
                        continue;
                    };
                    if let std::collections::btree_map::Entry::Vacant(v) = depth.entry(other) {
                        v.insert(level);
                        next.push(other);
                    }
                }
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    drop((ends, lie));
    // The facts read are those naming an entity nearer than the outer depth (each was
    // expanded above): their ties between two shown entities are shown, but for those between
    // two entities at the outer depth (which would turn the picture of a neighbourhood into a
    // picture of the neighbours' own ties).
    read.sort_unstable();
    let near = |e: usize| depth.get(&e).copied();
    for fi in read {
        let f = store.fact(fi)?;
        let mut shown = rules.shown(&f);
        shown.retain(|s| match (near(s.tie.from), near(s.tie.to)) {
            (Some(a), Some(b)) => a.min(b) < max,
            _ => false,
        });
        if !shown.is_empty() {
            let text = texts.push(&f.id, &f.title());
            push_edges(edges, &shown, text, &f);
        }
    }
    Ok(depth)
}

/// Each entity's place in the order of entity ids, equal ids sharing one: comparing places
/// compares ids.
pub(super) fn id_ranks(ents: &[Entity]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..ents.len()).collect();
    order.sort_by(|&a, &b| ents[a].id.cmp(&ents[b].id));
    let mut rank = vec![0; ents.len()];
    for (k, &i) in order.iter().enumerate() {
        rank[i] = match k.checked_sub(1).map(|p| order[p]) {
            Some(prev) if ents[prev].id == ents[i].id => rank[prev],
            _ => k as u32,
        };
    }
    rank
}

impl View for Plan {
    fn head(&self) -> Head<'_> {
        Head {
            title: &self.title,
            scope: self.opts.scope,
            focus: self.opts.focus.map(|f| self.id(f as u32)),
            depth: self.opts.focus.map(|_| self.opts.depth),
            kinds: &self.opts.kinds,
            points_from: self.opts.points_from,
            points_to: self.opts.points_to,
            parallel: self.opts.parallel,
        }
    }

    fn nodes(&self) -> impl Iterator<Item = Cow<'_, Node>> {
        self.nodes.iter().map(|&n| Cow::Owned(self.node_of(n)))
    }

    fn edges(&self) -> impl Iterator<Item = EdgeView<'_>> {
        let mut last: Option<(u32, u32, u32)> = None;
        let mut period = 0;
        self.edges.iter().map(move |r| {
            // Another period of the same pair in the same fact: its edges lie together.
            let pair = (r.text, r.from, r.to);
            period = if last == Some(pair) { period + 1 } else { 1 };
            last = Some(pair);
            let (fact, from, to) = (self.texts.id(r.text), self.id(r.from), self.id(r.to));
            let ents = self.entities();
            EdgeView {
                id: EdgeId::Parts {
                    fact,
                    from,
                    to,
                    period,
                },
                fact,
                kind: r.kind,
                fact_kind: r.fact_kind,
                from,
                to,
                from_name: &ents[r.from as usize].name,
                to_name: &ents[r.to as usize].name,
                directed: r.directed,
                start: r.start,
                end: r.end,
                point: r.point,
                certainty: r.certainty,
                status: r.status,
                title: self.texts.title(r.text),
            }
        })
    }
}
