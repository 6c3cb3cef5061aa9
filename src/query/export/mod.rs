//! What a diagram or an export shows: the entities and the facts between them on a date, at any
//! date, or changed between two dates, around one entity or everywhere, of the kinds asked for.
//!
//! The answer is plain sorted data, keyed by entity and fact ids: one [`Edge`] per fact and pair
//! of entities it ties (a treaty ties every pair of its parties, a sanction its sender to each
//! target, an event every pair it involves), the [`Line`]s a picture draws (parallel facts of one
//! kind between one pair merged, or each on its own), and the organizations drawn as
//! [`Cluster`]s of their members. It is made compact ([`Plan`]: a few numbers an edge, from facts
//! read a batch at a time, `select` deciding each fact's ties; [`Drawn`]: the lines, hubs and
//! clusters, only for pictures), and read by the writers in `render/` through [`View`] and
//! [`Picture`], an item at a time; [`diagram`] holds it whole, for pictures and tests. The
//! writers lay it out and compute nothing. [`period`] is a diagram over a period, day by day,
//! for the interactive timeline.

mod draw;
mod period;
mod plan;
mod select;
mod view;

use std::borrow::Cow;

use serde::Serialize;

pub use crate::graph::LinkKind;
use crate::model::{Certainty, Date, Entity, EntityKind, FactKind, OrgKind};
use crate::store::{Read, Store};
pub use draw::Drawn;
pub use period::{EdgeRuns, HubRuns, LineStep, Period, Run, period};
pub use plan::Plan;
pub use view::{EdgeId, EdgeView, Head, LineMark, Picture, View};

/// Which dates a diagram is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum Scope {
    /// What held on a date: lasting facts in force (certainly or possibly), and the statements
    /// and events of that date (or of the `--from`/`--to` period, when given).
    On {
        /// The date.
        on: Date,
    },
    /// Every fact at any date (statements and events limited by `--from`/`--to`, when given).
    All,
    /// What changed from one date to another: lasting facts that started, ended or stayed, and
    /// the statements and events that happened in between.
    Diff {
        /// The first date.
        from: Date,
        /// The second date.
        to: Date,
    },
}

/// How a picture draws several facts of one kind between the same two entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Parallel {
    /// One line with a count (`×5`), naming every fact in its tooltip.
    #[default]
    Merge,
    /// One line per fact, labelled with the fact's id.
    Each,
}

/// What to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// Which dates.
    pub scope: Scope,
    /// Only what lies within `depth` hops of this entity (an index into the entities): the
    /// entities it reaches through shown facts, and the facts that reach them (facts between two
    /// entities both `depth` hops away are left out).
    pub focus: Option<usize>,
    /// How many hops from the focus (ignored without one).
    pub depth: usize,
    /// The kinds of link shown; empty means every kind.
    pub kinds: Vec<LinkKind>,
    /// Statements and events from this date (default: the scope's dates).
    pub points_from: Option<Date>,
    /// Statements and events up to this date.
    pub points_to: Option<Date>,
    /// Merge parallel facts into one line, or draw each.
    pub parallel: Parallel,
    /// Draw organizations as clusters of their members where that is unambiguous.
    pub clusters: bool,
    /// Draw a treaty or event that ties at least this many entities as a hub (a node of its
    /// own, linked to each of them) rather than a line per pair; `None`: always per pair.
    pub hubs: Option<usize>,
}

/// The default of [`ExportOptions::hubs`]: treaties and events of four or more entities.
pub const HUB_MIN: usize = 4;

impl ExportOptions {
    /// Everything on one date, merged, with clusters.
    pub fn on(on: Date) -> ExportOptions {
        ExportOptions {
            scope: Scope::On { on },
            focus: None,
            depth: 1,
            kinds: Vec::new(),
            points_from: None,
            points_to: None,
            parallel: Parallel::Merge,
            clusters: true,
            hubs: Some(HUB_MIN),
        }
    }

    fn allows(&self, kind: LinkKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }
}

/// How an edge changed between the two dates of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Held on the second date, not on the first.
    Started,
    /// Held on the first date, not on the second.
    Ended,
    /// Held on both.
    Stayed,
    /// A statement or event between the two dates.
    Happened,
}

impl Status {
    /// `started`, `ended`, `stayed` or `happened`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Started => "started",
            Status::Ended => "ended",
            Status::Stayed => "stayed",
            Status::Happened => "happened",
        }
    }
}

/// An entity shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// State, organization or person.
    pub kind: EntityKind,
    /// What kind of organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_kind: Option<OrgKind>,
    /// Whether it is the entity the diagram is centred on.
    pub focus: bool,
    /// Hops from the focus, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<usize>,
}

/// One fact tying one pair of entities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// Unique within the diagram: `fact:from:to`, with `:2`, `:3` ... for another period of
    /// the same pair in the same fact (a state that left a treaty and rejoined it).
    pub id: String,
    /// The fact's id.
    pub fact: String,
    /// The kind of link (`alliance`, `treaty`, `sanction`, ...).
    pub kind: LinkKind,
    /// The fact's record kind.
    pub fact_kind: FactKind,
    /// Where it runs from: the sender, member, person, speaker; for mutual links, the lesser id.
    pub from: String,
    /// Where it runs to: the target, organization, state of a role, subject.
    pub to: String,
    /// Whether it has a direction (false for fellow treaty parties and entities of an event).
    pub directed: bool,
    /// Start of the period (for a treaty pair, when both were bound); a statement's or event's
    /// date.
    pub start: Option<Date>,
    /// End of the period (exclusive); a statement's or event's date.
    pub end: Option<Date>,
    /// Whether it is a statement or event on a date rather than a period.
    pub point: bool,
    /// Whether it holds on the date (or changed between the dates) certainly or possibly; none
    /// at any date.
    pub certainty: Option<Certainty>,
    /// How it changed, in a diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// One line saying what the fact is.
    pub title: String,
}

/// A line a picture draws: one fact, or several of one kind between the same pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// From entity id.
    pub from: String,
    /// To entity id.
    pub to: String,
    /// The kind of link.
    pub kind: LinkKind,
    /// Whether it has a direction.
    pub directed: bool,
    /// Certain or possible; none at any date.
    pub certainty: Option<Certainty>,
    /// How it changed, in a diff.
    pub status: Option<Status>,
    /// The facts drawn, by id, sorted.
    pub facts: Vec<String>,
    /// Their titles, in the same order.
    pub titles: Vec<String>,
}

/// A treaty or event of many entities, drawn as a node of its own (its id is the fact's, which
/// no entity shares) linked to each entity it ties by a [`Line`] from the entity to the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hub {
    /// The fact's id.
    pub id: String,
    /// The kind of link (`alliance`, `treaty`, `event`).
    pub kind: LinkKind,
    /// The fact's title.
    pub title: String,
    /// Certain when some tie certainly holds, else possible; none at any date.
    pub certainty: Option<Certainty>,
    /// In a diff: started or ended when every tie did, else stayed (or happened).
    pub status: Option<Status>,
    /// The entities linked to it, by id, sorted.
    pub members: Vec<String>,
}

/// An organization drawn as a box around its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cluster {
    /// The organization's id.
    pub org: String,
    /// Its name.
    pub name: String,
    /// Its members shown, by id, sorted.
    pub members: Vec<String>,
}

/// What a diagram shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagram {
    /// A title saying the date(s) and the filters.
    pub title: String,
    /// Which dates.
    pub scope: Scope,
    /// The entity the diagram is centred on.
    pub focus: Option<String>,
    /// Hops from the focus.
    pub depth: Option<usize>,
    /// The kinds shown (empty: all).
    pub kinds: Vec<LinkKind>,
    /// Statements and events from this date.
    pub points_from: Option<Date>,
    /// Statements and events up to this date.
    pub points_to: Option<Date>,
    /// Whether parallel facts are merged into one line or drawn each.
    pub parallel: Parallel,
    /// The entities, sorted by id.
    pub nodes: Vec<Node>,
    /// One per fact and pair, sorted by from, to, kind, fact, start.
    pub edges: Vec<Edge>,
    /// What a picture draws, sorted by from, to, kind; memberships drawn as clusters left out;
    /// a hub's lines run from each entity to the hub.
    pub lines: Vec<Line>,
    /// Treaties and events drawn as hubs, sorted by id.
    pub hubs: Vec<Hub>,
    /// Organizations drawn as clusters of their members.
    pub clusters: Vec<Cluster>,
}

impl Diagram {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        node_in(&self.nodes, id)
    }

    /// The hub with this id.
    pub fn hub(&self, id: &str) -> Option<&Hub> {
        hub_in(&self.hubs, id)
    }

    /// Whether nothing is shown.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// The item with id `id` among `items`, sorted by that id.
fn by_id<'a, T>(items: &'a [T], id: &str, id_of: impl Fn(&T) -> &str) -> Option<&'a T> {
    items
        .binary_search_by(|x| id_of(x).cmp(id))
        .ok()
        .map(|i| &items[i])
}

/// The node with this id among nodes sorted by id.
fn node_in<'a>(nodes: &'a [Node], id: &str) -> Option<&'a Node> {
    by_id(nodes, id, |n| &n.id)
}

/// The hub with this id among hubs sorted by id.
fn hub_in<'a>(hubs: &'a [Hub], id: &str) -> Option<&'a Hub> {
    by_id(hubs, id, |h| &h.id)
}

/// What a diagram shows for `opts` (see the module doc), held whole.
pub fn diagram(store: &dyn Store, opts: &ExportOptions) -> Read<Diagram> {
    Ok(whole(&Drawn::of(&Plan::build(store, opts)?)))
}

/// A diagram held whole, every item of `d` owned.
pub fn whole(d: &impl Picture) -> Diagram {
    let head = d.head();
    Diagram {
        title: head.title.to_string(),
        scope: head.scope,
        focus: head.focus.map(str::to_string),
        depth: head.depth,
        kinds: head.kinds.to_vec(),
        points_from: head.points_from,
        points_to: head.points_to,
        parallel: head.parallel,
        nodes: d.nodes().map(Cow::into_owned).collect(),
        edges: d
            .edges()
            .map(|e| Edge {
                id: e.id.to_string(),
                fact: e.fact.to_string(),
                kind: e.kind,
                fact_kind: e.fact_kind,
                from: e.from.to_string(),
                to: e.to.to_string(),
                directed: e.directed,
                start: e.start,
                end: e.end,
                point: e.point,
                certainty: e.certainty,
                status: e.status,
                title: e.title.to_string(),
            })
            .collect(),
        lines: d.lines().map(Cow::into_owned).collect(),
        hubs: d.hubs().map(Cow::into_owned).collect(),
        clusters: d.clusters().map(Cow::into_owned).collect(),
    }
}

/// `Relations on 2021-03-15 around Belarus (BLR), 1 hop; kinds: sanction`.
fn title(entities: &[Entity], opts: &ExportOptions) -> String {
    let mut t = match opts.scope {
        Scope::On { on } => format!("Relations on {on}"),
        Scope::All => "Relations at any date".to_string(),
        Scope::Diff { from, to } => format!("What changed from {from} to {to}"),
    };
    if let Some(f) = opts.focus {
        let e = &entities[f];
        let hops = if opts.depth == 1 { "hop" } else { "hops" };
        t.push_str(&format!(
            " around {} ({}), {} {hops}",
            e.name, e.id, opts.depth
        ));
    }
    if !opts.kinds.is_empty() {
        let names: Vec<&str> = opts.kinds.iter().map(|k| k.as_str()).collect();
        t.push_str(&format!("; kinds: {}", names.join(", ")));
    }
    match (opts.points_from, opts.points_to) {
        (None, None) => {}
        (f, u) => {
            t.push_str("; statements and events");
            if let Some(f) = f {
                t.push_str(&format!(" from {f}"));
            }
            if let Some(u) = u {
                t.push_str(&format!(" to {u}"));
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::plan::id_ranks;
    use super::*;
    use crate::model::{Dataset, Target};
    use crate::store::MemoryStore;

    fn diagram(g: &MemoryStore, o: &ExportOptions) -> Diagram {
        super::diagram(g, o).expect("reads")
    }

    const WORLD: &str = r#"[
        State(id: "RUS", name: "Russia"), State(id: "BLR", name: "Belarus"),
        State(id: "UZB", name: "Uzbekistan"), State(id: "POL", name: "Poland"),
        State(id: "LTU", name: "Lithuania"), State(id: "KAZ", name: "Kazakhstan"),
        Organization(id: "EU", name: "European Union", kind: Supranational),
        Organization(id: "NATO", name: "NATO", kind: Alliance),
        Person(id: "peskov", name: "Dmitry Peskov"),
        Treaty(id: "cst", name: "CST", kind: Defense, in_force: "1994-04-20",
            parties: [Party(state: "RUS"), Party(state: "BLR"),
                      Party(state: "UZB", until: "1999-04-02"),
                      Party(state: "UZB", from: "2006-08-16", until: "2012-12")],
            sources: []),
        Treaty(id: "union", name: "Union", kind: Union, in_force: "2000-01-26",
            parties: [Party(state: "RUS"), Party(state: "BLR")], sources: []),
        Treaty(id: "trade", name: "Trade", kind: Economic, in_force: "2015",
            parties: [Party(state: "RUS"), Party(state: "BLR")], sources: []),
        Membership(member: "POL", of: "EU", from: "2004-05-01", sources: []),
        Membership(member: "LTU", of: "EU", from: "2004-05-01", sources: []),
        Membership(member: "POL", of: "NATO", from: "1999-03-12", sources: []),
        Sanction(id: "eu-1", by: "EU", against: ["BLR", "peskov"], measures: [AssetFreeze],
            from: "2020-10-02", sources: []),
        Statement(id: "s1", by: "peskov", about: ["BLR", "RUS"], on: "2021-03-15",
            quote: "brothers", stance: Friendly, sources: []),
        Event(id: "ev", name: "Meeting", kind: Meeting, on: "2021-02-22",
            involves: ["RUS", "BLR", "KAZ"], sources: []),
    ]"#;

    fn data() -> Dataset {
        crate::load::from_text("t.ron", WORLD).dataset
    }

    fn d(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    fn idx(data: &Dataset, id: &str) -> usize {
        match data.lookup(id) {
            Some(Target::Entity(i)) => i,
            _ => panic!("no {id}"),
        }
    }

    fn edge_ids(dg: &Diagram) -> Vec<&str> {
        dg.edges.iter().map(|e| e.id.as_str()).collect()
    }

    #[test]
    fn on_a_date_shows_what_held_and_the_statements_of_that_day() {
        let data = data();
        let g = MemoryStore::new(data.clone(), true);
        let dg = diagram(&g, &ExportOptions::on(d("2021-03-15")));
        assert_eq!(
            edge_ids(&dg),
            [
                "cst:BLR:RUS",
                "union:BLR:RUS",
                "trade:BLR:RUS",
                "eu-1:EU:BLR",
                "eu-1:EU:peskov",
                "membership:LTU:EU:2004-05-01:LTU:EU",
                "membership:POL:EU:2004-05-01:POL:EU",
                "membership:POL:NATO:1999-03-12:POL:NATO",
                "s1:peskov:BLR",
                "s1:peskov:RUS",
            ]
        );
        // Sanctions run from sender to target; alliances have no direction.
        let s = &dg.edges[3];
        assert!(s.directed && s.from == "EU" && s.to == "BLR");
        assert!(!dg.edges[0].directed);
        // POL is a member of two organizations: no cluster for the EU.
        assert!(dg.clusters.is_empty());
        assert_eq!(dg.title, "Relations on 2021-03-15");
        // Parallel alliances and treaties merge per kind.
        let blr_rus: Vec<_> = dg
            .lines
            .iter()
            .filter(|l| l.from == "BLR" && l.to == "RUS")
            .map(|l| (l.kind, l.facts.len()))
            .collect();
        assert_eq!(blr_rus, [(LinkKind::Alliance, 2), (LinkKind::Treaty, 1)]);
    }

    #[test]
    fn a_year_precise_start_is_possible() {
        let data = data();
        let g = MemoryStore::new(data.clone(), true);
        let mut o = ExportOptions::on(d("2015-06-01"));
        o.kinds = vec![LinkKind::Treaty];
        let dg = diagram(&g, &o);
        assert_eq!(edge_ids(&dg), ["trade:BLR:RUS"]);
        assert_eq!(dg.edges[0].certainty, Some(Certainty::Possible));
        assert_eq!(dg.title, "Relations on 2015-06-01; kinds: treaty");
    }

    #[test]
    fn a_party_that_rejoined_has_one_edge_per_period_at_any_date() {
        let data = data();
        let g = MemoryStore::new(data.clone(), true);
        let mut o = ExportOptions::on(d("2000-01-01"));
        o.scope = Scope::All;
        o.kinds = vec![LinkKind::Alliance];
        let dg = diagram(&g, &o);
        assert_eq!(
            edge_ids(&dg),
            [
                "cst:BLR:RUS",
                "union:BLR:RUS",
                "cst:BLR:UZB",
                "cst:BLR:UZB:2",
                "cst:RUS:UZB",
                "cst:RUS:UZB:2",
            ]
        );
        let uzb: Vec<_> = dg
            .edges
            .iter()
            .filter(|e| e.to == "UZB" && e.from == "RUS")
            .map(|e| (e.start.map(|d| d.to_string()), e.end.map(|d| d.to_string())))
            .collect();
        assert_eq!(
            uzb,
            [
                (Some("1994-04-20".into()), Some("1999-04-02".into())),
                (Some("2006-08-16".into()), Some("2012-12".into())),
            ]
        );
        // On one date, only the period in force.
        o.scope = Scope::On {
            on: d("2010-01-01"),
        };
        let dg = diagram(&g, &o);
        assert_eq!(
            edge_ids(&dg),
            ["cst:BLR:RUS", "union:BLR:RUS", "cst:BLR:UZB", "cst:RUS:UZB"]
        );
        assert_eq!(dg.edges[2].start, Some(d("2006-08-16")));
    }

    #[test]
    fn focus_and_depth_follow_shown_links_only() {
        let data = data();
        let g = MemoryStore::new(data.clone(), true);
        let mut o = ExportOptions::on(d("2021-03-15"));
        o.focus = Some(idx(&data, "EU"));
        o.depth = 1;
        let dg = diagram(&g, &o);
        let ids: Vec<&str> = dg.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["BLR", "EU", "LTU", "POL", "peskov"]);
        assert!(dg.node("EU").is_some_and(|n| n.focus && n.depth == Some(0)));
        assert_eq!(dg.node("BLR").and_then(|n| n.depth), Some(1));
        // The statement by peskov about BLR ties two entities one hop away: left out.
        assert!(!edge_ids(&dg).contains(&"s1:peskov:BLR"));
        assert!(dg.edges.iter().all(|e| e.from == "EU" || e.to == "EU"));
        // Both members belong only to the EU here: a cluster.
        assert_eq!(dg.clusters.len(), 1);
        assert_eq!(dg.clusters[0].members, ["LTU", "POL"]);
        assert!(dg.lines.iter().all(|l| l.kind != LinkKind::Membership));
        assert_eq!(
            dg.title,
            "Relations on 2021-03-15 around European Union (EU), 1 hop"
        );
        // Only sanctions: peskov is a target, the members are not reached.
        o.kinds = vec![LinkKind::Sanction];
        o.depth = 2;
        let dg = diagram(&g, &o);
        let ids: Vec<&str> = dg.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["BLR", "EU", "peskov"]);
    }

    #[test]
    fn a_focus_with_nothing_around_it_is_shown_alone() {
        let data = data();
        let g = MemoryStore::new(data.clone(), true);
        let mut o = ExportOptions::on(d("1950-01-01"));
        o.focus = Some(idx(&data, "BLR"));
        let dg = diagram(&g, &o);
        assert_eq!(dg.nodes.len(), 1);
        assert!(dg.edges.is_empty() && dg.lines.is_empty());
        let dg = diagram(&g, &ExportOptions::on(d("1950-01-01")));
        assert!(dg.is_empty());
    }

    #[test]
    fn diff_marks_started_ended_stayed_and_happened() {
        let data = data();
        let g = MemoryStore::new(data.clone(), true);
        let mut o = ExportOptions::on(d("2000-01-01"));
        o.scope = Scope::Diff {
            from: d("2010-01-01"),
            to: d("2021-03-15"),
        };
        let dg = diagram(&g, &o);
        let st: Vec<(&str, &str)> = dg
            .edges
            .iter()
            .map(|e| (e.id.as_str(), e.status.map_or("", Status::as_str)))
            .collect();
        assert_eq!(
            st,
            [
                ("ev:BLR:KAZ", "happened"),
                ("cst:BLR:RUS", "stayed"),
                ("union:BLR:RUS", "stayed"),
                ("trade:BLR:RUS", "started"),
                ("ev:BLR:RUS", "happened"),
                ("cst:BLR:UZB", "ended"),
                ("eu-1:EU:BLR", "started"),
                ("eu-1:EU:peskov", "started"),
                ("ev:KAZ:RUS", "happened"),
                ("membership:LTU:EU:2004-05-01:LTU:EU", "stayed"),
                ("membership:POL:EU:2004-05-01:POL:EU", "stayed"),
                ("membership:POL:NATO:1999-03-12:POL:NATO", "stayed"),
                ("cst:RUS:UZB", "ended"),
                ("s1:peskov:BLR", "happened"),
                ("s1:peskov:RUS", "happened"),
            ]
        );
        assert!(dg.clusters.is_empty());
    }

    #[test]
    fn points_window_chooses_statements_and_events() {
        let data = data();
        let g = MemoryStore::new(data.clone(), true);
        let mut o = ExportOptions::on(d("2021-03-15"));
        o.kinds = vec![LinkKind::Statement, LinkKind::Event];
        o.points_from = Some(d("2021-02"));
        o.points_to = Some(d("2021-02"));
        let dg = diagram(&g, &o);
        assert_eq!(edge_ids(&dg), ["ev:BLR:KAZ", "ev:BLR:RUS", "ev:KAZ:RUS"]);
        assert_eq!(
            dg.title,
            "Relations on 2021-03-15; kinds: statement, event; statements and events from 2021-02 to 2021-02"
        );
    }

    #[test]
    fn a_treaty_of_many_parties_is_a_hub() {
        let text = r#"[
            State(id: "AAA", name: "A"), State(id: "BBB", name: "B"),
            State(id: "CCC", name: "C"), State(id: "DDD", name: "D"),
            Treaty(id: "pact", name: "Pact", kind: Defense, in_force: "2000-01-01",
                parties: [Party(state: "AAA"), Party(state: "BBB"), Party(state: "CCC"),
                          Party(state: "DDD", from: "2010")], sources: []),
        ]"#;
        let data = crate::load::from_text("t.ron", text).dataset;
        let g = MemoryStore::new(data.clone(), true);
        let mut o = ExportOptions::on(d("2010-06-01"));
        let dg = diagram(&g, &o);
        // Six pairs, drawn as four lines to one hub.
        assert_eq!(dg.edges.len(), 6);
        assert_eq!(dg.hubs.len(), 1);
        assert_eq!(dg.hubs[0].members, ["AAA", "BBB", "CCC", "DDD"]);
        let spokes: Vec<(&str, &str, Option<Certainty>)> = dg
            .lines
            .iter()
            .map(|l| (l.from.as_str(), l.to.as_str(), l.certainty))
            .collect();
        assert_eq!(
            spokes,
            [
                ("AAA", "pact", Some(Certainty::Certain)),
                ("BBB", "pact", Some(Certainty::Certain)),
                ("CCC", "pact", Some(Certainty::Certain)),
                ("DDD", "pact", Some(Certainty::Possible)),
            ]
        );
        // Three parties make no hub; neither does asking for pairs.
        o.scope = Scope::On {
            on: d("2005-01-01"),
        };
        assert!(diagram(&g, &o).hubs.is_empty());
        o.scope = Scope::On {
            on: d("2011-01-01"),
        };
        o.hubs = None;
        let dg = diagram(&g, &o);
        assert!(dg.hubs.is_empty());
        assert_eq!(dg.lines.len(), 6);
        // In a diff, the party that joined has a started spoke.
        o.hubs = Some(HUB_MIN);
        o.scope = Scope::Diff {
            from: d("2005-01-01"),
            to: d("2011-01-01"),
        };
        let dg = diagram(&g, &o);
        let st: Vec<Option<Status>> = dg.lines.iter().map(|l| l.status).collect();
        assert_eq!(
            st,
            [
                Some(Status::Stayed),
                Some(Status::Stayed),
                Some(Status::Stayed),
                Some(Status::Started)
            ]
        );
        assert_eq!(dg.hubs[0].status, Some(Status::Stayed));
    }

    #[test]
    fn each_draws_one_line_per_fact() {
        let data = data();
        let g = MemoryStore::new(data.clone(), true);
        let mut o = ExportOptions::on(d("2021-03-15"));
        o.parallel = Parallel::Each;
        o.clusters = false;
        let dg = diagram(&g, &o);
        assert_eq!(dg.lines.len(), dg.edges.len());
    }

    #[test]
    fn ranks_order_entities_as_their_ids() {
        let data = data();
        let rank = id_ranks(&data.entities);
        let mut by_rank: Vec<usize> = (0..data.entities.len()).collect();
        by_rank.sort_by_key(|&i| rank[i]);
        let mut by_id = by_rank.clone();
        by_id.sort_by(|&a, &b| data.entities[a].id.cmp(&data.entities[b].id));
        assert_eq!(by_rank, by_id);
        let mut twice = data.entities.clone();
        twice.extend(data.entities.iter().cloned());
        let rank = id_ranks(&twice);
        let n = data.entities.len();
        assert!(
            (0..n).all(|i| rank[i] == rank[i + n]),
            "equal ids share a rank"
        );
    }

    #[test]
    fn edges_are_sorted_by_ids_not_load_order() {
        // Entities and facts written out of id order, ids of mixed case.
        let text = r#"[
            State(id: "ZZZ", name: "Z"), Person(id: "b-person", name: "B"),
            State(id: "AAA", name: "A"), Organization(id: "Mmm", name: "M", kind: Alliance),
            Sanction(id: "s2", by: "ZZZ", against: ["AAA", "b-person"], measures: [TravelBan],
                from: "2000", sources: []),
            Sanction(id: "s1", by: "ZZZ", against: ["b-person", "AAA"], measures: [TravelBan],
                from: "2001", sources: []),
            Treaty(id: "t", name: "T", kind: Defense, in_force: "1990",
                parties: [Party(state: "ZZZ"), Party(state: "AAA")], sources: []),
            Membership(member: "ZZZ", of: "Mmm", from: "1995", sources: []),
            Membership(member: "aaa", of: "Mmm", from: "1995", sources: []),
        ]"#;
        let data = crate::load::from_text("t.ron", text).dataset;
        let g = MemoryStore::new(data.clone(), true);
        let mut o = ExportOptions::on(d("2000-01-01"));
        o.scope = Scope::All;
        let dg = diagram(&g, &o);
        let mut sorted = dg.edges.clone();
        sorted.sort_by(|a, b| {
            (&a.from, &a.to, a.kind, &a.fact, a.start, a.end)
                .cmp(&(&b.from, &b.to, b.kind, &b.fact, b.start, b.end))
        });
        assert_eq!(dg.edges, sorted);
        assert_eq!(
            edge_ids(&dg),
            [
                "membership:aaa:Mmm:1995:AAA:Mmm",
                "t:AAA:ZZZ",
                "s1:ZZZ:AAA",
                "s2:ZZZ:AAA",
                "membership:ZZZ:Mmm:1995:ZZZ:Mmm",
                "s1:ZZZ:b-person",
                "s2:ZZZ:b-person",
            ]
        );
    }

    #[test]
    fn an_organization_whose_member_has_members_is_no_cluster() {
        // ORG-A's members are X and Y; ORG-B's are ORG-A and Z; ORG-C's are P and Q.
        let text = r#"[
            State(id: "X", name: "X"), State(id: "Y", name: "Y"), State(id: "Z", name: "Z"),
            State(id: "P", name: "P"), State(id: "Q", name: "Q"),
            Organization(id: "ORG-A", name: "A", kind: Alliance),
            Organization(id: "ORG-B", name: "B", kind: Alliance),
            Organization(id: "ORG-C", name: "C", kind: Alliance),
            Membership(member: "X", of: "ORG-A", from: "1990", sources: []),
            Membership(member: "Y", of: "ORG-A", from: "1990", sources: []),
            Membership(member: "ORG-A", of: "ORG-B", from: "1990", sources: []),
            Membership(member: "Z", of: "ORG-B", from: "1990", sources: []),
            Membership(member: "P", of: "ORG-C", from: "1990", sources: []),
            Membership(member: "Q", of: "ORG-C", from: "1990", sources: []),
        ]"#;
        let data = crate::load::from_text("t.ron", text).dataset;
        let g = MemoryStore::new(data.clone(), true);
        let dg = diagram(&g, &ExportOptions::on(d("2000-01-01")));
        let orgs: Vec<(&str, &str)> = dg
            .clusters
            .iter()
            .map(|c| (c.org.as_str(), c.name.as_str()))
            .collect();
        assert_eq!(orgs, [("ORG-C", "C")]);
        assert_eq!(dg.clusters[0].members, ["P", "Q"]);
        // Only the clustered memberships are left out of the lines.
        let drawn: Vec<(&str, &str)> = dg
            .lines
            .iter()
            .map(|l| (l.from.as_str(), l.to.as_str()))
            .collect();
        assert_eq!(
            drawn,
            [
                ("ORG-A", "ORG-B"),
                ("X", "ORG-A"),
                ("Y", "ORG-A"),
                ("Z", "ORG-B")
            ]
        );
    }

    #[test]
    fn every_hub_is_found_and_its_pairs_are_not_drawn() {
        let text = r#"[
            State(id: "AAA", name: "A"), State(id: "BBB", name: "B"),
            State(id: "CCC", name: "C"), State(id: "DDD", name: "D"),
            Treaty(id: "z-pact", name: "Z", kind: Defense, in_force: "2000-01-01",
                parties: [Party(state: "AAA"), Party(state: "BBB"), Party(state: "CCC"),
                          Party(state: "DDD")], sources: []),
            Treaty(id: "a-pact", name: "A", kind: Defense, in_force: "2000-01-01",
                parties: [Party(state: "DDD"), Party(state: "CCC"), Party(state: "BBB"),
                          Party(state: "AAA")], sources: []),
            Treaty(id: "m-pair", name: "M", kind: Defense, in_force: "2000-01-01",
                parties: [Party(state: "AAA"), Party(state: "BBB")], sources: []),
        ]"#;
        let data = crate::load::from_text("t.ron", text).dataset;
        let g = MemoryStore::new(data.clone(), true);
        let dg = diagram(&g, &ExportOptions::on(d("2010-01-01")));
        let hubs: Vec<&str> = dg.hubs.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(hubs, ["a-pact", "z-pact"]);
        assert!(hubs.iter().all(|h| dg.hub(h).is_some_and(|x| x.id == *h)));
        assert!(dg.hub("m-pair").is_none() && dg.hub("AAA").is_none());
        // Eight spokes and the one pair that is no hub.
        assert_eq!(dg.lines.len(), 9);
        let pairs: Vec<&Line> = dg
            .lines
            .iter()
            .filter(|l| dg.hub(&l.to).is_none())
            .collect();
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].facts, ["m-pair"]);
    }
}
