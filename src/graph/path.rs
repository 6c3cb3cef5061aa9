//! Shortest chains of facts between two entities on a date: a breadth-first search over a
//! dated view, crossing links either way (read from the interval index, so a step costs the
//! facts that can hold on the date, not every fact ever naming the entity), with parallel facts between one pair merged into one
//! hop so that no chain is listed twice.
//!
//! The search is bounded: it explores at most `max_hops` levels and stops at the level where
//! the target is first reached, then walks the shortest-path DAG (never all simple paths) to
//! list at most `limit` chains.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::links::Near;
use super::{DatedView, Link, Slot, Tie};
use crate::model::{Certainty, FactBody};

/// The kinds of link a chain may follow (`--kinds`).
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

/// Which way a fact runs across a hop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Way {
    /// From the hop's first entity to its second: sender to target, member to organization,
    /// person to the state of the role, speaker to subject.
    Forward,
    /// From the hop's second entity to its first.
    Backward,
    /// No direction: fellow treaty parties, entities of one event.
    Mutual,
}

impl Way {
    /// `forward`, `backward` or `mutual`.
    pub fn as_str(self) -> &'static str {
        match self {
            Way::Forward => "forward",
            Way::Backward => "backward",
            Way::Mutual => "mutual",
        }
    }
}

/// What a path search may follow, how far, and how many chains to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathOptions {
    /// The kinds of link to follow; empty means every kind.
    pub kinds: Vec<LinkKind>,
    /// The longest chain looked for, in hops.
    pub max_hops: usize,
    /// How many chains to list at most.
    pub limit: usize,
}

impl Default for PathOptions {
    fn default() -> PathOptions {
        PathOptions {
            kinds: Vec::new(),
            max_hops: 6,
            limit: 3,
        }
    }
}

/// One fact linking the two entities of a hop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HopLink {
    /// Index into [`crate::model::Dataset::facts`].
    pub fact: usize,
    /// Its kind of link.
    pub kind: LinkKind,
    /// Which way it runs.
    pub way: Way,
    /// Whether it holds on the window.
    pub certainty: Certainty,
}

/// One step of a chain: two entities and every fact that links them on the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHop {
    /// Entity index the hop leaves.
    pub from: usize,
    /// Entity index the hop reaches.
    pub to: usize,
    /// The facts, by id.
    pub links: Vec<HopLink>,
}

impl ChainHop {
    /// The best certainty among the hop's facts.
    pub fn certainty(&self) -> Certainty {
        super::any_of(self.links.iter().map(|l| l.certainty))
    }
}

/// A shortest chain from one entity to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// Entity indexes, first to last.
    pub nodes: Vec<usize>,
    /// One hop per consecutive pair of nodes.
    pub hops: Vec<ChainHop>,
}

impl Chain {
    /// The weakest hop's certainty (certain for a chain of no hops).
    pub fn certainty(&self) -> Certainty {
        self.hops
            .iter()
            .map(ChainHop::certainty)
            .min()
            .unwrap_or(Certainty::Certain)
    }
}

impl DatedView<'_, '_> {
    /// The kind of link an edge is.
    fn link_kind(&self, link: Link) -> LinkKind {
        match link.tie {
            Tie::Role => LinkKind::Role,
            Tie::Membership => LinkKind::Membership,
            Tie::Treaty(..) => match &self.graph.data.facts[link.fact].body {
                FactBody::Treaty { kind, .. } if kind.is_alliance() => LinkKind::Alliance,
                _ => LinkKind::Treaty,
            },
            Tie::Sanction => LinkKind::Sanction,
            Tie::Statement => LinkKind::Statement,
            Tie::Event => LinkKind::Event,
        }
    }

    /// The links at `entity` of the allowed kinds whose fact can hold on the window (read
    /// from the interval index; not yet checked: see [`DatedView::status`]). Yields the other
    /// end, the link, and whether the edge leaves `entity`.
    fn candidates(&self, entity: usize, opts: &PathOptions) -> Vec<Near> {
        let kinds: &[LinkKind] = if opts.kinds.is_empty() {
            &LinkKind::ALL
        } else {
            &opts.kinds
        };
        let slots: Vec<Slot> = kinds.iter().flat_map(|k| k.slots()).copied().collect();
        let mut out = Vec::new();
        self.graph.links_near(entity, &slots, self.w, &mut out);
        out
    }

    /// Whether `link` holds on the window, and how surely.
    fn status(&self, link: Link) -> Certainty {
        self.graph.link_status(link, self.w)
    }

    fn sort_by_id(&self, v: &mut [usize]) {
        let ents = &self.graph.data.entities;
        v.sort_by(|a, b| ents[*a].id.cmp(&ents[*b].id).then(a.cmp(b)));
    }

    /// Every fact linking `from` and `to` on the window, merged per fact, sorted by fact id.
    fn hop(&self, from: usize, to: usize, opts: &PathOptions) -> ChainHop {
        let mut by_fact: BTreeMap<usize, HopLink> = BTreeMap::new();
        for (other, link, out) in self.candidates(from, opts) {
            let c = self.status(link);
            if other != to || !c.holds() {
                continue;
            }
            let kind = self.link_kind(link);
            let way = match link.tie {
                Tie::Treaty(..) | Tie::Event => Way::Mutual,
                _ if out => Way::Forward,
                _ => Way::Backward,
            };
            by_fact
                .entry(link.fact)
                .and_modify(|h| {
                    h.certainty = h.certainty.max(c);
                    if h.way != way {
                        h.way = Way::Mutual;
                    }
                })
                .or_insert(HopLink {
                    fact: link.fact,
                    kind,
                    way,
                    certainty: c,
                });
        }
        let facts = &self.graph.data.facts;
        let mut links: Vec<HopLink> = by_fact.into_values().collect();
        links.sort_by(|a, b| facts[a.fact].id.cmp(&facts[b.fact].id));
        ChainHop { from, to, links }
    }

    /// Up to `opts.limit` shortest chains from entity `from` to entity `to` (entity indexes),
    /// of at most `opts.max_hops` hops, crossing edges either way. Chains are distinct node
    /// sequences, listed in order of their entity ids; each hop lists every fact that links its
    /// pair. Empty when no chain exists within the bound.
    pub fn shortest_paths(&self, from: usize, to: usize, opts: &PathOptions) -> Vec<Chain> {
        let n = self.graph.data.entities.len();
        if from >= n || to >= n || opts.limit == 0 {
            return Vec::new();
        }
        if from == to {
            return vec![Chain {
                nodes: vec![from],
                hops: Vec::new(),
            }];
        }
        // Breadth-first, level by level, recording every predecessor one level up. An edge
        // to an entity reached at an earlier level, or to one already recorded as reached from
        // this one (parallel facts), is passed over before its dates are checked.
        let mut dist: Vec<usize> = vec![usize::MAX; n];
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        dist[from] = 0;
        let mut frontier = vec![from];
        let mut level = 0;
        while !frontier.is_empty() && level < opts.max_hops && dist[to] == usize::MAX {
            let mut next = Vec::new();
            for &u in &frontier {
                for (v, link, _) in self.candidates(u, opts) {
                    let known = dist[v] <= level || preds[v].last() == Some(&u);
                    if known || !self.status(link).holds() {
                        continue;
                    }
                    if dist[v] == usize::MAX {
                        dist[v] = level + 1;
                        next.push(v);
                    }
                    preds[v].push(u);
                }
            }
            frontier = next;
            level += 1;
        }
        if dist[to] == usize::MAX {
            return Vec::new();
        }
        // The nodes on some shortest chain: those `to` reaches through predecessors.
        let mut on_path: HashSet<usize> = HashSet::from([to]);
        let mut stack = vec![to];
        while let Some(v) = stack.pop() {
            for &p in &preds[v] {
                if on_path.insert(p) {
                    stack.push(p);
                }
            }
        }
        let mut succ: HashMap<usize, Vec<usize>> = HashMap::new();
        for &v in &on_path {
            for &p in &preds[v] {
                succ.entry(p).or_default().push(v);
            }
        }
        for s in succ.values_mut() {
            self.sort_by_id(s);
        }
        // Depth-first over that DAG in id order: every branch ends at `to`, so this lists the
        // first `limit` chains without exploring the rest.
        let mut chains: Vec<Vec<usize>> = Vec::new();
        let mut path = vec![from];
        let mut next_child = vec![0usize];
        while let (Some(&u), Some(i)) = (path.last(), next_child.last_mut()) {
            if u == to {
                chains.push(path.clone());
                if chains.len() >= opts.limit {
                    break;
                }
                path.pop();
                next_child.pop();
                continue;
            }
            match succ.get(&u).and_then(|s| s.get(*i)) {
                Some(&v) => {
                    *i += 1;
                    path.push(v);
                    next_child.push(0);
                }
                None => {
                    path.pop();
                    next_child.pop();
                }
            }
        }
        chains
            .into_iter()
            .map(|nodes| {
                let hops = nodes
                    .windows(2)
                    .map(|p| self.hop(p[0], p[1], opts))
                    .collect();
                Chain { nodes, hops }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Graph;
    use crate::model::{Dataset, Date, Window};

    fn load(text: &str) -> Dataset {
        let loaded = crate::load::from_text("t.ron", text);
        assert!(
            loaded
                .diagnostics
                .iter()
                .all(|d| d.severity() != crate::diag::Severity::Error),
            "{:?}",
            loaded.diagnostics
        );
        loaded.dataset
    }

    const WORLD: &str = r#"[
        State(id: "GBR", name: "United Kingdom"), State(id: "BLR", name: "Belarus"),
        State(id: "RUS", name: "Russia"), State(id: "KAZ", name: "Kazakhstan"),
        State(id: "ARM", name: "Armenia"), State(id: "USA", name: "United States"),
        Organization(id: "EU", name: "European Union", kind: Supranational),
        Sanction(id: "gb-blr-a", by: "GBR", against: ["BLR"], measures: [AssetFreeze],
            from: "2020-09-29", sources: []),
        Sanction(id: "gb-blr-b", by: "GBR", against: ["BLR"], measures: [TravelBan],
            from: "2021-06", sources: []),
        Treaty(id: "union", name: "Union State", kind: Union, in_force: "2000-01-26",
            parties: [Party(state: "RUS"), Party(state: "BLR")], sources: []),
        Treaty(id: "eaeu", name: "EAEU", kind: Economic, in_force: "2015-01-01",
            parties: [Party(state: "RUS"), Party(state: "KAZ"), Party(state: "BLR")],
            sources: []),
        Treaty(id: "cst", name: "CST", kind: Defense, in_force: "1994-04-20",
            parties: [Party(state: "RUS"), Party(state: "ARM"), Party(state: "KAZ")],
            sources: []),
        Sanction(id: "us-rus", by: "USA", against: ["RUS"], measures: [Other],
            from: "2014", sources: []),
        Sanction(id: "us-arm", by: "USA", against: ["ARM"], measures: [Other],
            from: "2021-01-01", until: "2021-02-01", sources: []),
    ]"#;

    fn day(s: &str) -> Window {
        Window::of(Date::parse(s).expect("date"))
    }

    fn ids(d: &Dataset, c: &Chain) -> Vec<String> {
        c.nodes.iter().map(|&i| d.entities[i].id.clone()).collect()
    }

    fn idx(d: &Dataset, id: &str) -> usize {
        match d.lookup(id) {
            Some(crate::model::Target::Entity(i)) => i,
            other => panic!("{id}: {other:?}"),
        }
    }

    fn paths(d: &Dataset, a: &str, b: &str, on: &str, opts: &PathOptions) -> Vec<Chain> {
        Graph::build(d)
            .on(day(on))
            .shortest_paths(idx(d, a), idx(d, b), opts)
    }

    fn opts(kinds: &[LinkKind], max_hops: usize, limit: usize) -> PathOptions {
        PathOptions {
            kinds: kinds.to_vec(),
            max_hops,
            limit,
        }
    }

    fn hop_facts(d: &Dataset, hop: &ChainHop) -> Vec<(String, LinkKind, Way, Certainty)> {
        hop.links
            .iter()
            .map(|l| (d.facts[l.fact].id.clone(), l.kind, l.way, l.certainty))
            .collect()
    }

    use Certainty::{Certain, Possible};

    #[test]
    fn parallel_facts_make_one_hop_listing_both() {
        let d = load(WORLD);
        let found = paths(&d, "GBR", "BLR", "2021-07-01", &PathOptions::default());
        assert_eq!(found.len(), 1, "no duplicate chains on parallel facts");
        assert_eq!(
            hop_facts(&d, &found[0].hops[0]),
            [
                ("gb-blr-a".into(), LinkKind::Sanction, Way::Forward, Certain),
                ("gb-blr-b".into(), LinkKind::Sanction, Way::Forward, Certain),
            ]
        );
        assert_eq!(found[0].certainty(), Certain);
        // Seen from the target, the same sanctions run backward.
        let back = paths(&d, "BLR", "GBR", "2021-07-01", &PathOptions::default());
        assert_eq!(back.len(), 1);
        assert!(back[0].hops[0].links.iter().all(|l| l.way == Way::Backward));
        // BLR–RUS is linked by two treaties: one hop listing both, each with its kind.
        let found = paths(&d, "GBR", "RUS", "2021-03-15", &PathOptions::default());
        assert_eq!(found.len(), 1);
        assert_eq!(ids(&d, &found[0]), ["GBR", "BLR", "RUS"]);
        assert_eq!(
            hop_facts(&d, &found[0].hops[1]),
            [
                ("eaeu".into(), LinkKind::Treaty, Way::Mutual, Certain),
                ("union".into(), LinkKind::Alliance, Way::Mutual, Certain),
            ]
        );
    }

    #[test]
    fn several_shortest_chains_in_id_order_up_to_the_limit() {
        let d = load(WORLD);
        let found = paths(&d, "GBR", "ARM", "2021-03-15", &PathOptions::default());
        let seqs: Vec<Vec<String>> = found.iter().map(|c| ids(&d, c)).collect();
        assert_eq!(
            seqs,
            [["GBR", "BLR", "KAZ", "ARM"], ["GBR", "BLR", "RUS", "ARM"]]
        );
        let one = paths(&d, "GBR", "ARM", "2021-03-15", &opts(&[], 6, 1));
        assert_eq!(one.len(), 1);
        assert_eq!(ids(&d, &one[0]), ["GBR", "BLR", "KAZ", "ARM"]);
    }

    #[test]
    fn a_chain_that_exists_on_one_date_and_not_another() {
        let d = load(WORLD);
        let o = PathOptions::default();
        assert_eq!(paths(&d, "GBR", "RUS", "2020-09-28", &o), Vec::new());
        assert_eq!(paths(&d, "GBR", "RUS", "2020-09-29", &o).len(), 1);
        // USA–ARM only in January 2021: a shorter chain that month.
        let jan = paths(&d, "USA", "KAZ", "2021-01-15", &o);
        let seqs: Vec<Vec<String>> = jan.iter().map(|c| ids(&d, c)).collect();
        assert_eq!(seqs, [["USA", "ARM", "KAZ"], ["USA", "RUS", "KAZ"]]);
        let mar = paths(&d, "USA", "KAZ", "2021-03-15", &o);
        let seqs: Vec<Vec<String>> = mar.iter().map(|c| ids(&d, c)).collect();
        assert_eq!(seqs, [["USA", "RUS", "KAZ"]]);
    }

    #[test]
    fn kinds_limit_the_links_followed() {
        let d = load(WORLD);
        let (s, a, t) = (LinkKind::Sanction, LinkKind::Alliance, LinkKind::Treaty);
        let found = paths(&d, "GBR", "RUS", "2021-03-15", &opts(&[s, a], 6, 3));
        assert_eq!(found.len(), 1);
        let hop: Vec<String> = hop_facts(&d, &found[0].hops[1])
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(hop, ["union"]);
        let found = paths(&d, "GBR", "RUS", "2021-03-15", &opts(&[s, t], 6, 3));
        assert_eq!(found[0].hops[1].links.len(), 1);
        assert_eq!(d.facts[found[0].hops[1].links[0].fact].id, "eaeu");
        assert!(paths(&d, "GBR", "RUS", "2021-03-15", &opts(&[s], 6, 3)).is_empty());
        // Without the economic treaty, Kazakhstan is reached through the alliances only.
        let found = paths(&d, "GBR", "KAZ", "2021-03-15", &opts(&[s, a], 6, 3));
        let seqs: Vec<Vec<String>> = found.iter().map(|c| ids(&d, c)).collect();
        assert_eq!(seqs, [["GBR", "BLR", "RUS", "KAZ"]]);
    }

    #[test]
    fn max_hops_bounds_the_search() {
        let d = load(WORLD);
        assert!(paths(&d, "GBR", "ARM", "2021-03-15", &opts(&[], 2, 3)).is_empty());
        assert_eq!(
            paths(&d, "GBR", "ARM", "2021-03-15", &opts(&[], 3, 3)).len(),
            2
        );
        assert!(paths(&d, "GBR", "BLR", "2021-03-15", &opts(&[], 0, 3)).is_empty());
    }

    #[test]
    fn imprecise_dates_give_possible_links_and_chains() {
        let d = load(WORLD);
        // `from: "2021-06"`: on 2021-06-15 the second sanction possibly holds; the hop is still
        // certain through the first.
        let found = paths(&d, "GBR", "BLR", "2021-06-15", &PathOptions::default());
        let certs: Vec<Certainty> = found[0].hops[0].links.iter().map(|l| l.certainty).collect();
        assert_eq!(certs, [Certain, Possible]);
        assert_eq!(found[0].certainty(), Certain);
        // `from: "2014"`: the USA–RUS hop, and so the chain, is only possible mid-2014.
        let found = paths(&d, "USA", "BLR", "2014-06-01", &PathOptions::default());
        assert_eq!(ids(&d, &found[0]), ["USA", "RUS", "BLR"]);
        assert_eq!(found[0].hops[0].certainty(), Possible);
        assert_eq!(found[0].hops[1].certainty(), Certain);
        assert_eq!(found[0].certainty(), Possible);
        let later = paths(&d, "USA", "BLR", "2015-06-01", &PathOptions::default());
        assert_eq!(later[0].certainty(), Certain);
    }

    #[test]
    fn exponentially_many_shortest_chains_are_cut_at_the_limit() {
        // A ladder of 24 layers of two states, each joined to both of the next layer by two
        // parallel treaties: 2^24 shortest chains, each hop two parallel facts.
        let mut text =
            String::from("[State(id: \"S\", name: \"Start\"), State(id: \"T\", name: \"End\"),");
        let node = |layer: usize, k: usize| format!("L{layer:02}{}", ["A", "B"][k]);
        for layer in 0..24 {
            for k in 0..2 {
                text.push_str(&format!(
                    "State(id: \"{0}\", name: \"{0}\"),",
                    node(layer, k)
                ));
            }
        }
        let mut n = 0;
        let mut treaty = |a: &str, b: &str, text: &mut String| {
            for _ in 0..2 {
                n += 1;
                text.push_str(&format!(
                    "Treaty(id: \"t{n}\", name: \"t\", kind: Defense, in_force: \"2000\", \
                     parties: [Party(state: \"{a}\"), Party(state: \"{b}\")], sources: []),"
                ));
            }
        };
        for k in 0..2 {
            treaty("S", &node(0, k), &mut text);
            treaty(&node(23, k), "T", &mut text);
        }
        for layer in 0..23 {
            for a in 0..2 {
                for b in 0..2 {
                    treaty(&node(layer, a), &node(layer + 1, b), &mut text);
                }
            }
        }
        text.push(']');
        let d = load(&text);
        let found = paths(&d, "S", "T", "2021-01-01", &opts(&[], 30, 3));
        let seqs: Vec<Vec<String>> = found.iter().map(|c| ids(&d, c)).collect();
        assert_eq!(seqs.len(), 3);
        assert!(seqs.iter().all(|s| s.len() == 26));
        assert_eq!(seqs[0][1..4], ["L00A", "L01A", "L02A"]);
        assert_eq!(seqs[2][22..25], ["L21A", "L22B", "L23A"]);
        assert!(
            found
                .iter()
                .all(|c| c.hops.iter().all(|h| h.links.len() == 2))
        );
        assert_eq!(found[0].certainty(), Certain);
        assert!(paths(&d, "S", "T", "2021-01-01", &opts(&[], 24, 3)).is_empty());
    }

    #[test]
    fn kind_names_parse_in_any_case_and_number() {
        assert_eq!("Sanctions".parse::<LinkKind>(), Ok(LinkKind::Sanction));
        assert_eq!("alliance".parse::<LinkKind>(), Ok(LinkKind::Alliance));
        let err = "friendship".parse::<LinkKind>().unwrap_err();
        assert!(err.contains("alliance, treaty, sanction"), "{err}");
    }

    #[test]
    fn same_entity_and_bad_limits() {
        let d = load(WORLD);
        let found = paths(&d, "GBR", "GBR", "2021-03-15", &PathOptions::default());
        assert_eq!(found.len(), 1);
        assert!(found[0].hops.is_empty());
        assert!(paths(&d, "GBR", "BLR", "2021-03-15", &opts(&[], 6, 0)).is_empty());
    }
}
