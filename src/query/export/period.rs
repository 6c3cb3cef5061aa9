//! A diagram over a period, for the interactive timeline: the days of the period on which what
//! the diagram shows changes, what it shows from each of them to the next (exactly what the
//! diagram on that day shows), and the union of it all, to be laid out once.
//!
//! The days are found from the dates of the facts that can be shown at all (the diagram at any
//! date, with the period's statements and events): what a diagram shows can only change on
//! the first day of one of those dates, or on the day after its last day (a year-precise date
//! is possible from its first day and settled the day after its last). The diagram of each
//! such day is made as `export --on` makes it, and a day that shows what the day before it
//! showed is dropped.

use std::collections::{BTreeMap, BTreeSet};

use super::{Diagram, ExportOptions, Hub, Line, Node, Scope, diagram};
use crate::graph::LinkKind;
use crate::model::{Certainty, Date, Fact};
use crate::store::{Read, Store};

/// Steps `first..=last` of a period, and what holds over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run<T> {
    /// The first step.
    pub first: usize,
    /// The last step.
    pub last: usize,
    /// What holds.
    pub value: T,
}

/// Adds `value` at `step` to `runs`, lengthening the last run when it ends the step before
/// with the same value.
fn extend<T: PartialEq>(runs: &mut Vec<Run<T>>, step: usize, value: T) {
    if let Some(r) = runs.last_mut()
        && r.last + 1 == step
        && r.value == value
    {
        r.last = step;
        return;
    }
    runs.push(Run {
        first: step,
        last: step,
        value,
    });
}

/// What a line draws on a step: its facts, and the edges (pairs of entities, as `export`
/// lists them) it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineStep {
    /// The facts drawn, by id, sorted.
    pub facts: Vec<String>,
    /// The edges drawn, by id, sorted.
    pub edges: Vec<String>,
}

/// An edge as `export` lists it, and how it holds on each step it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeRuns {
    /// The edge's id.
    pub id: String,
    /// Its fact's id.
    pub fact: String,
    /// When it is shown, and how certainly it holds then.
    pub runs: Vec<Run<Option<Certainty>>>,
}

/// A diagram over a period.
#[derive(Debug, Clone)]
pub struct Period {
    /// The first day.
    pub from: Date,
    /// The last day.
    pub to: Date,
    /// The days on which what is shown changes, the first being `from`.
    pub steps: Vec<Date>,
    /// Everything shown on some step: every entity, hub and line (one per pair, kind and
    /// certainty, with every fact it draws on any step), and no clusters.
    pub union: Diagram,
    /// When each entity of the union is shown, in its order.
    pub nodes: Vec<Vec<Run<()>>>,
    /// When each hub of the union is shown, and how certainly it holds then.
    pub hubs: Vec<HubRuns>,
    /// When each line of the union is shown, and what it draws then.
    pub lines: Vec<Vec<Run<LineStep>>>,
    /// Every edge shown on some step, sorted by id.
    pub edges: Vec<EdgeRuns>,
    /// Every fact drawn, sorted by id.
    pub facts: Vec<Fact>,
}

/// When a hub is shown, and how certainly it holds then.
pub type HubRuns = Vec<Run<Option<Certainty>>>;

/// Where a line of the union is: its ends, kind and certainty (a line possible on one day and
/// certain on another is two lines, one dashed).
type LineKey = (String, String, LinkKind, Option<Certainty>);

/// The diagram of `opts` (its scope aside) over the days of `from` to `to`.
pub fn period(store: &dyn Store, opts: &ExportOptions, from: Date, to: Date) -> Read<Period> {
    let (first, last) = (from.first_day(), to.last_day());
    let day = |d: chrono::NaiveDate| Date::from_naive(d);
    // Every fact that can be shown, with the period's statements and events.
    let mut any = opts.clone();
    any.scope = Scope::All;
    any.points_from = Some(day(first));
    any.points_to = Some(day(last));
    any.clusters = false;
    let all = diagram(store, &any)?;
    let mut days: BTreeSet<chrono::NaiveDate> = BTreeSet::new();
    days.insert(first);
    let ids: BTreeSet<&str> = all.edges.iter().map(|e| e.fact.as_str()).collect();
    for id in ids {
        if let Some(n) = store.fact_of(id)? {
            store.fact(n)?.each_date(|d| {
                days.insert(d.first_day());
                if let Some(next) = d.last_day().succ_opt() {
                    days.insert(next);
                }
            });
        }
    }
    let mut steps: Vec<Date> = Vec::new();
    let mut nodes: BTreeMap<String, (Node, Vec<Run<()>>)> = BTreeMap::new();
    let mut hubs: BTreeMap<String, (Hub, HubRuns)> = BTreeMap::new();
    let mut lines: BTreeMap<LineKey, (Line, Vec<Run<LineStep>>)> = BTreeMap::new();
    let mut edges: BTreeMap<String, EdgeRuns> = BTreeMap::new();
    let mut title = String::new();
    let mut before: Option<Diagram> = None;
    for d in days.into_iter().filter(|d| *d >= first && *d <= last) {
        let on = day(d);
        let mut o = opts.clone();
        o.scope = Scope::On { on };
        o.points_from = None;
        o.points_to = None;
        o.clusters = false;
        let dg = diagram(store, &o)?;
        let same = before.as_ref().is_some_and(|b| {
            b.nodes == dg.nodes && b.edges == dg.edges && b.lines == dg.lines && b.hubs == dg.hubs
        });
        if same {
            continue;
        }
        let step = steps.len();
        steps.push(on);
        if title.is_empty() {
            let rest = dg
                .title
                .strip_prefix(&format!("Relations on {on}"))
                .unwrap_or_default();
            title = format!("Relations from {} to {}{rest}", day(first), day(last));
        }
        for n in &dg.nodes {
            let e = nodes.entry(n.id.clone()).or_insert_with(|| {
                (
                    Node {
                        depth: None,
                        ..n.clone()
                    },
                    Vec::new(),
                )
            });
            extend(&mut e.1, step, ());
        }
        for h in &dg.hubs {
            let e = hubs
                .entry(h.id.clone())
                .or_insert_with(|| (h.clone(), Vec::new()));
            for m in &h.members {
                if !e.0.members.contains(m) {
                    e.0.members.push(m.clone());
                }
            }
            extend(&mut e.1, step, h.certainty);
        }
        for l in &dg.lines {
            let hub = dg.hub(&l.to).is_some();
            let mut drawn: Vec<String> = dg
                .edges
                .iter()
                .filter(|e| {
                    if hub {
                        e.fact == l.to && (e.from == l.from || e.to == l.from)
                    } else {
                        e.from == l.from
                            && e.to == l.to
                            && e.kind == l.kind
                            && e.certainty == l.certainty
                            && l.facts.contains(&e.fact)
                    }
                })
                .map(|e| e.id.clone())
                .collect();
            drawn.sort();
            let key = (l.from.clone(), l.to.clone(), l.kind, l.certainty);
            let e = lines.entry(key).or_insert_with(|| {
                (
                    Line {
                        facts: Vec::new(),
                        titles: Vec::new(),
                        ..l.clone()
                    },
                    Vec::new(),
                )
            });
            for (f, t) in l.facts.iter().zip(&l.titles) {
                if !e.0.facts.contains(f) {
                    e.0.facts.push(f.clone());
                    e.0.titles.push(t.clone());
                }
            }
            let mut facts = l.facts.clone();
            facts.sort();
            extend(
                &mut e.1,
                step,
                LineStep {
                    facts,
                    edges: drawn,
                },
            );
        }
        for e in &dg.edges {
            let r = edges.entry(e.id.clone()).or_insert_with(|| EdgeRuns {
                id: e.id.clone(),
                fact: e.fact.clone(),
                runs: Vec::new(),
            });
            extend(&mut r.runs, step, e.certainty);
        }
        before = Some(dg);
    }
    let mut facts: Vec<Fact> = Vec::new();
    let ids: BTreeSet<&str> = edges.values().map(|e| e.fact.as_str()).collect();
    for id in ids {
        if let Some(n) = store.fact_of(id)? {
            facts.push(store.fact(n)?.into_owned());
        }
    }
    // Lines in the order a diagram's are: by from, to, kind.
    let mut line_list: Vec<(Line, Vec<Run<LineStep>>)> = lines.into_values().collect();
    for (l, _) in &mut line_list {
        // A merged line's facts in the order of their ids.
        let mut pairs: Vec<(String, String)> = l.facts.drain(..).zip(l.titles.drain(..)).collect();
        pairs.sort();
        (l.facts, l.titles) = pairs.into_iter().unzip();
    }
    let (node_list, node_runs): (Vec<Node>, Vec<Vec<Run<()>>>) = nodes.into_values().unzip();
    let (mut hub_list, hub_runs): (Vec<Hub>, Vec<HubRuns>) = hubs.into_values().unzip();
    for h in &mut hub_list {
        h.members.sort();
    }
    let (line_list, line_runs): (Vec<Line>, Vec<Vec<Run<LineStep>>>) =
        line_list.into_iter().unzip();
    let union = Diagram {
        title,
        scope: Scope::All,
        focus: all.focus.clone(),
        depth: all.depth,
        kinds: all.kinds.clone(),
        points_from: None,
        points_to: None,
        parallel: all.parallel,
        nodes: node_list,
        edges: Vec::new(),
        lines: line_list,
        hubs: hub_list,
        clusters: Vec::new(),
    };
    Ok(Period {
        from: day(first),
        to: day(last),
        steps,
        union,
        nodes: node_runs,
        hubs: hub_runs,
        lines: line_runs,
        edges: edges.into_values().collect(),
        facts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Target;
    use crate::store::MemoryStore;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    #[test]
    fn each_day_of_the_period_shows_what_the_diagram_of_that_day_shows() {
        let loaded = crate::load::load(&crate::load::DataSource::Bundled);
        let g = MemoryStore::new(loaded.dataset.clone(), true);
        let blr = match loaded.dataset.lookup("BLR") {
            Some(Target::Entity(i)) => i,
            _ => panic!("no BLR"),
        };
        let mut o = ExportOptions::on(d("2021-03-15"));
        o.focus = Some(blr);
        o.kinds = vec![LinkKind::Sanction, LinkKind::Alliance];
        let p = period(&g, &o, d("2019"), d("2021")).expect("reads");
        assert_eq!(p.steps[0], d("2019-01-01"));
        assert!(p.steps.windows(2).all(|w| w[0] < w[1]));
        assert!(p.steps.len() > 3, "{:?}", p.steps);
        // On any day, the edges shown are those of the diagram of that day.
        for day in [
            "2019-06-30",
            "2020-08-01",
            "2020-10-02",
            "2021-03-15",
            "2021-12-31",
        ] {
            let on = d(day);
            let step = p.steps.iter().rposition(|s| *s <= on).expect("a step");
            let mut shown: Vec<&str> = p
                .edges
                .iter()
                .filter(|e| e.runs.iter().any(|r| r.first <= step && step <= r.last))
                .map(|e| e.id.as_str())
                .collect();
            shown.sort();
            let mut oo = o.clone();
            oo.scope = Scope::On { on };
            oo.clusters = false;
            let dg = diagram(&g, &oo).expect("reads");
            let mut want: Vec<&str> = dg.edges.iter().map(|e| e.id.as_str()).collect();
            want.sort();
            assert_eq!(shown, want, "{day}");
            // And the lines drawn draw exactly those edges.
            let mut drawn: Vec<&str> = p
                .lines
                .iter()
                .flat_map(|runs| runs.iter())
                .filter(|r| r.first <= step && step <= r.last)
                .flat_map(|r| r.value.edges.iter().map(String::as_str))
                .collect();
            drawn.sort();
            drawn.dedup();
            assert_eq!(drawn, want, "{day}: lines");
        }
        assert!(
            p.union
                .title
                .starts_with("Relations from 2019-01-01 to 2021-12-31 around Belarus")
        );
    }
}
