//! Lays out `path`: the chains found, then one table row per fact of each hop.

use super::{Layout, short};
use crate::query::path::{HopFact, PathAnswer};
use crate::render::doc::{Block, Doc, row};

fn arrow(direction: &str) -> &'static str {
    match direction {
        "forward" => "→",
        "backward" => "←",
        _ => "↔",
    }
}

/// The search as asked: `up to 6 hops`, `up to 6 hops; kinds: sanction, alliance`.
fn bounds(a: &PathAnswer) -> String {
    let mut s = format!("up to {} hops", a.max_hops);
    if !a.kinds.is_empty() {
        let kinds: Vec<&str> = a.kinds.iter().map(|k| k.as_str()).collect();
        s.push_str(&format!("; kinds: {}", kinds.join(", ")));
    }
    s
}

fn link(from: &str, to: &str, f: &HopFact) -> String {
    format!("{from} {} {to}", arrow(f.direction))
}

/// Lays out `path`.
pub fn path(a: &PathAnswer, layout: Layout) -> Doc<'_> {
    let mut doc = Doc::default();
    let (from, to) = (&a.from, &a.to);
    let Some(first) = a.results.first() else {
        doc.push(Block::Text(format!(
            "no chain of facts in force on {} links {} ({}) and {} ({}) ({})",
            a.on,
            from.name,
            from.id,
            to.name,
            to.id,
            bounds(a)
        )));
        return doc;
    };
    let hops = first.hop_details.len();
    doc.push(Block::Heading(format!(
        "Shortest chains of facts in force on {} from {} ({}) to {} ({}): {} chain{} of {} hop{} ({})",
        a.on,
        from.name,
        from.id,
        to.name,
        to.id,
        a.results.len(),
        if a.results.len() == 1 { "" } else { "s" },
        hops,
        if hops == 1 { "" } else { "s" },
        bounds(a)
    )));
    doc.push(Block::Fields(
        a.results
            .iter()
            .enumerate()
            .map(|(i, r)| {
                (
                    (i + 1).to_string(),
                    format!("{} ({})", r.names.join(" → "), r.certainty),
                )
            })
            .collect(),
    ));
    let headers = ["path", "hop", "link", "kind", "certainty", "id", "title"]
        .map(String::from)
        .to_vec();
    let mut rows = Vec::new();
    for (pi, r) in a.results.iter().enumerate() {
        for (hi, h) in r.hop_details.iter().enumerate() {
            for f in &h.facts {
                let mut cells = row([
                    (pi + 1).to_string(),
                    (hi + 1).to_string(),
                    link(&h.from, &h.to, f),
                    f.kind.to_string(),
                    f.certainty.to_string(),
                    f.id.clone(),
                ]);
                cells.push(short(layout, f.title.clone(), 60));
                rows.push(cells);
            }
        }
    }
    doc.push(Block::Table {
        headers,
        rows: rows.into(),
    });
    if a.more {
        doc.push(Block::Text(format!(
            "More chains of {hops} hop{} exist; raise --limit to list them.",
            if hops == 1 { "" } else { "s" }
        )));
    }
    doc
}
