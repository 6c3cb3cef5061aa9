//! The interactive timeline: one self-contained HTML page (no network: its style and script are
//! inline) holding the picture of a [`Period`]'s union, laid out once by either renderer, and
//! for every step of the period what is shown on it. The page's script shows each step's
//! boxes and lines and hides the others, sets the counts on the lines, and tells about a box
//! or line under the pointer; `timeline.js` says how.

use serde::Serialize;

use super::style;
use crate::model::{Certainty, Date, Entity, EntityKind, Fact, Precision, When};
use crate::query::export::{LinkKind, Period};

/// The page's style.
const CSS: &str = include_str!("timeline.css");

/// The page's script.
const JS: &str = include_str!("timeline.js");

/// A date as written, with its precision: `2012-12 (month)`.
fn dated(d: Date) -> String {
    let p = match d.precision() {
        Precision::Year => "year",
        Precision::Month => "month",
        Precision::Day => "day",
    };
    format!("{d} ({p})")
}

/// When a fact holds, in words, each date with its precision.
fn when(w: When) -> String {
    match w {
        When::On(d) => format!("on {}", dated(d)),
        When::Span(i) => match (i.from, i.until) {
            (Some(f), Some(u)) => format!("from {} until {}", dated(f), dated(u)),
            (Some(f), None) => format!("from {}", dated(f)),
            (None, Some(u)) => format!("until {}", dated(u)),
            (None, None) => "at every date".to_string(),
        },
    }
}

fn certainty(c: Option<Certainty>) -> &'static str {
    match c {
        Some(Certainty::Certain) => "certain",
        Some(Certainty::Possible) => "possible",
        Some(Certainty::No) | None => "",
    }
}

#[derive(Serialize)]
struct SourceData<'a> {
    title: &'a str,
    url: &'a str,
    publisher: Option<&'a str>,
    published: Option<String>,
}

#[derive(Serialize)]
struct FactData<'a> {
    id: &'a str,
    kind: &'a str,
    title: String,
    dates: String,
    sources: Vec<SourceData<'a>>,
}

#[derive(Serialize)]
struct NodeData<'a> {
    id: &'a str,
    name: &'a str,
    /// `state`, `organization`, `person`, or the kind of link of a hub.
    kind: String,
    hub: bool,
    /// When it existed, or the hub's fact.
    about: String,
    /// `[first, last]` steps shown; for a hub, `[first, last, dashed]`.
    runs: Vec<(usize, usize, bool)>,
}

#[derive(Serialize)]
struct LineData<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'a str,
    possible: bool,
    /// `[first, last, label, edges]`: the steps shown, the label then, and the edges drawn
    /// (indexes into `edges`).
    runs: Vec<(usize, usize, String, Vec<usize>)>,
}

#[derive(Serialize)]
struct EdgeData<'a> {
    id: &'a str,
    /// Index into `facts`.
    fact: usize,
    /// `[first, last, certainty]`.
    runs: Vec<(usize, usize, &'static str)>,
}

#[derive(Serialize)]
struct PageData<'a> {
    title: &'a str,
    from: String,
    to: String,
    /// The day the page opens on when its address names none.
    opens: String,
    engine: &'a str,
    steps: Vec<String>,
    nodes: Vec<NodeData<'a>>,
    lines: Vec<LineData<'a>>,
    edges: Vec<EdgeData<'a>>,
    facts: Vec<FactData<'a>>,
}

/// What a page says of an entity: its kind and when it existed.
fn about_entity(e: Option<&Entity>) -> String {
    let Some(e) = e else {
        return String::new();
    };
    let kind = match (e.kind, e.org_kind) {
        (EntityKind::Organization, Some(k)) => format!("organization ({})", k.as_str()),
        (k, _) => k.as_str().to_lowercase(),
    };
    let existed = match (e.existence.from, e.existence.until) {
        (Some(f), Some(u)) => format!("; existed from {} until {}", dated(f), dated(u)),
        (Some(f), None) => format!("; exists since {}", dated(f)),
        (None, Some(u)) => format!("; existed until {}", dated(u)),
        (None, None) => String::new(),
    };
    format!("{kind}{existed}")
}

/// The page's data: what the script reads.
fn data<'a>(p: &'a Period, entities: &'a [Entity], engine: &'a str, opens: Date) -> PageData<'a> {
    let fact_index = |id: &str| p.facts.binary_search_by(|f| f.id.as_str().cmp(id)).ok();
    let edge_index = |id: &str| p.edges.binary_search_by(|e| e.id.as_str().cmp(id)).ok();
    let entity = |id: &str| entities.iter().find(|e| e.id == id);
    let mut nodes: Vec<NodeData<'a>> = p
        .union
        .nodes
        .iter()
        .zip(&p.nodes)
        .map(|(n, runs)| NodeData {
            id: &n.id,
            name: &n.name,
            kind: n.kind.as_str().to_lowercase(),
            hub: false,
            about: about_entity(entity(&n.id)),
            runs: runs.iter().map(|r| (r.first, r.last, false)).collect(),
        })
        .collect();
    nodes.extend(p.union.hubs.iter().zip(&p.hubs).map(|(h, runs)| {
        NodeData {
            id: &h.id,
            name: &h.title,
            kind: h.kind.as_str().to_string(),
            hub: true,
            about: format!("a {} of {} parties", h.kind.as_str(), h.members.len()),
            runs: runs
                .iter()
                .map(|r| (r.first, r.last, r.value == Some(Certainty::Possible)))
                .collect(),
        }
    }));
    let each = p.union.parallel == crate::query::export::Parallel::Each;
    let lines = p
        .union
        .lines
        .iter()
        .zip(&p.lines)
        .map(|(l, runs)| {
            let hub = p.union.hub(&l.to).is_some();
            LineData {
                from: &l.from,
                to: &l.to,
                kind: l.kind.as_str(),
                possible: l.certainty == Some(Certainty::Possible),
                runs: runs
                    .iter()
                    .map(|r| {
                        let at_step = crate::query::export::Line {
                            facts: r.value.facts.clone(),
                            titles: r.value.facts.clone(),
                            ..l.clone()
                        };
                        let label = style::stroke(&at_step, each && !hub).label;
                        let edges = r.value.edges.iter().filter_map(|e| edge_index(e)).collect();
                        (r.first, r.last, label, edges)
                    })
                    .collect(),
            }
        })
        .collect();
    let edges = p
        .edges
        .iter()
        .map(|e| EdgeData {
            id: &e.id,
            fact: fact_index(&e.fact).unwrap_or(0),
            runs: e
                .runs
                .iter()
                .map(|r| (r.first, r.last, certainty(r.value)))
                .collect(),
        })
        .collect();
    let facts = p.facts.iter().map(fact_data).collect();
    PageData {
        title: &p.union.title,
        from: p.from.to_string(),
        to: p.to.to_string(),
        opens: opens.to_string(),
        engine,
        steps: p.steps.iter().map(Date::to_string).collect(),
        nodes,
        lines,
        edges,
        facts,
    }
}

/// What a page says of a fact: its kind, title, dates with their precision, and every source
/// it cites (a treaty's parties' too), once each.
fn fact_data(f: &Fact) -> FactData<'_> {
    let mut sources: Vec<SourceData<'_>> = Vec::new();
    let mut cited = f.sources.iter().collect::<Vec<_>>();
    if let crate::model::FactBody::Treaty { parties, .. } = &f.body {
        cited.extend(parties.iter().flat_map(|p| &p.sources));
    }
    for s in cited {
        if sources.iter().any(|x| x.url == s.url) {
            continue;
        }
        sources.push(SourceData {
            title: &s.title,
            url: &s.url,
            publisher: s.publisher.as_deref(),
            published: s.published.map(|d| d.to_string()),
        });
    }
    FactData {
        id: &f.id,
        kind: LinkKind::of(f).as_str(),
        title: f.title(),
        dates: when(f.when),
        sources,
    }
}

/// JSON for a `<script>` element: `<` written `\u003c`, so that no text in it can close the
/// element or open a comment.
fn script_json(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "{}".to_string())
        .replace('<', "\\u003c")
}

/// HTML text: escaped.
fn esc(text: &str) -> String {
    quick_xml::escape::escape(super::graphml::xml_chars(text)).into_owned()
}

/// The timeline page of period `p`, its picture `svg` laid out by `engine` (the names the
/// page shows), opening on day `opens` when its address names none.
pub fn page(p: &Period, svg: &str, entities: &[Entity], engine: &str, opens: Date) -> String {
    // The SVG element alone: no XML declaration, doctype or comments before it.
    let svg = svg.find("<svg").map_or(svg, |i| &svg[i..]);
    let d = data(p, entities, engine, opens);
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
{CSS}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<div id="controls">
<button id="prev" type="button" title="Previous change (←)">◀</button>
<button id="play" type="button" title="Play or pause (space)">▶ Play</button>
<button id="next" type="button" title="Next change (→)">▶</button>
<input id="slider" type="range" min="0" max="{max}" value="0" aria-label="Date">
<output id="date"></output>
<button id="zoom" type="button" title="Fit the picture to the window, or show it full size">Full size</button>
<input id="search" type="search" list="names" placeholder="Find an entity" aria-label="Find an entity">
<datalist id="names"></datalist>
</div>
<p id="status"></p>
</header>
<main>
<div id="picture" class="fit">
{svg}</div>
<aside id="info"><p class="hint">Point at a box or a line to see its dates and sources; click to keep it here.</p></aside>
</main>
<script type="application/json" id="timeline-data">{json}</script>
<script>
{JS}</script>
</body>
</html>
"#,
        title = esc(&p.union.title),
        max = p.steps.len().saturating_sub(1),
        json = script_json(&d),
    )
}
