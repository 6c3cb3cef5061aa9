//! Shortest chains of facts between two entities on a date: petgraph's breadth-first search
//! over a [`DatedView`], crossing links either way, bounded to `max_hops` levels and stopped as
//! soon as the target is reached. The chains are then read off the shortest-path DAG (never all
//! simple paths), with parallel facts between one pair merged into one hop so that no chain is
//! listed twice.

use std::collections::{BTreeMap, HashMap, HashSet};

use petgraph::visit::Bfs;
use serde::Serialize;

use super::{DatedView, LinkKind, Tie};
use crate::model::{Certainty, Window};
use crate::store::{Read, Store};

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
    /// The fact's number in the store.
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
    /// Entity the hop leaves.
    pub from: usize,
    /// Entity the hop reaches.
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
    /// Entities, first to last.
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

/// Every fact linking `from` and `to` on the view's window, merged per fact, sorted by fact id.
fn hop(view: &DatedView<'_>, from: usize, to: usize) -> Read<ChainHop> {
    let mut by_fact: BTreeMap<usize, HopLink> = BTreeMap::new();
    for e in view.edges_at(from)? {
        if e.to != to {
            continue;
        }
        let link = e.step.link;
        let way = match link.tie {
            Tie::Treaty(..) | Tie::Event => Way::Mutual,
            _ if e.step.leaves => Way::Forward,
            _ => Way::Backward,
        };
        let c = e.step.certainty;
        match by_fact.get_mut(&link.fact) {
            Some(h) => {
                h.certainty = h.certainty.max(c);
                if h.way != way {
                    h.way = Way::Mutual;
                }
            }
            None => {
                let kind = LinkKind::of(&*view.store().fact(link.fact)?);
                by_fact.insert(
                    link.fact,
                    HopLink {
                        fact: link.fact,
                        kind,
                        way,
                        certainty: c,
                    },
                );
            }
        }
    }
    let store = view.store();
    let mut keyed = Vec::with_capacity(by_fact.len());
    for l in by_fact.into_values() {
        keyed.push((store.fact(l.fact)?.id.clone(), l));
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(ChainHop {
        from,
        to,
        links: keyed.into_iter().map(|(_, l)| l).collect(),
    })
}

/// Up to `opts.limit` shortest chains from entity `from` to entity `to` on `w`, of at most
/// `opts.max_hops` hops, crossing edges either way. Chains are distinct node sequences, listed
/// in order of their entity ids; each hop lists every fact that links its pair. Empty when no
/// chain exists within the bound.
pub fn shortest_paths(
    store: &dyn Store,
    w: Window,
    from: usize,
    to: usize,
    opts: &PathOptions,
) -> Read<Vec<Chain>> {
    let n = store.entity_count();
    if from >= n || to >= n || opts.limit == 0 {
        return Ok(Vec::new());
    }
    if from == to {
        return Ok(vec![Chain {
            nodes: vec![from],
            hops: Vec::new(),
        }]);
    }
    let view = DatedView::new(store, w, &opts.kinds);
    // petgraph's breadth-first search, level by level: the nodes a step discovers are those it
    // adds to the back of the queue, one level further than the node it took.
    let mut level = vec![usize::MAX; n];
    level[from] = 0;
    let mut bfs = Bfs::new(&view, from);
    while level[to] == usize::MAX {
        match bfs.stack.front() {
            Some(&next) if level[next] < opts.max_hops => {}
            _ => break,
        }
        let queued = bfs.stack.len() - 1;
        let Some(node) = bfs.next(&view) else { break };
        for &found in bfs.stack.iter().skip(queued) {
            level[found] = level[node] + 1;
        }
    }
    view.check()?;
    if level[to] == usize::MAX {
        return Ok(Vec::new());
    }
    // The shortest-path DAG, walked back from the target: a node's predecessors are its
    // neighbours one level nearer the start (every level below the target's was complete when
    // the target was found).
    let mut succ: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut on_path: HashSet<usize> = HashSet::from([to]);
    let mut stack = vec![to];
    while let Some(v) = stack.pop() {
        if v == from {
            continue;
        }
        let mut preds: Vec<usize> = view
            .edges_at(v)?
            .iter()
            .map(|e| e.to)
            .filter(|&u| level[u].checked_add(1) == Some(level[v]))
            .collect();
        preds.sort_unstable();
        preds.dedup();
        for p in preds {
            succ.entry(p).or_default().push(v);
            if on_path.insert(p) {
                stack.push(p);
            }
        }
    }
    let id = |i: usize| store.entity_at(i).id.as_str();
    for s in succ.values_mut() {
        s.sort_by(|a, b| id(*a).cmp(id(*b)).then(a.cmp(b)));
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
                .map(|p| hop(&view, p[0], p[1]))
                .collect::<Read<Vec<ChainHop>>>()?;
            Ok(Chain { nodes, hops })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dataset, Date, Window};
    use crate::store::MemoryStore;

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
        let store = MemoryStore::new(d.clone(), true);
        shortest_paths(&store, day(on), idx(d, a), idx(d, b), opts).expect("reads")
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
