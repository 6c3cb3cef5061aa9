//! Lays out `show`: an entity with its facts, or a fact in full.

use super::{Citations, Layout, certainty, dates, fact_rows, shorten, source_line};
use crate::model::Date;
use crate::query::show::{EntityView, FactView, Shown};
use crate::render::doc::{Block, Cell, Doc, row};

/// Lays out `show`.
pub fn show<'a>(shown: &'a Shown<'_>, on: Option<Date>, layout: Layout) -> Doc<'a> {
    match shown {
        Shown::Entity(e) => entity(e, on, layout),
        Shown::Fact(f) => fact(f, on),
    }
}

fn entity<'a>(e: &'a EntityView<'_>, on: Option<Date>, layout: Layout) -> Doc<'a> {
    let mut doc = Doc::default();
    doc.push(Block::Heading(format!("{} ({}, {})", e.name, e.kind, e.id)));
    let mut fields = Vec::new();
    if !e.aliases.is_empty() {
        fields.push(("aliases".to_string(), e.aliases.join("; ")));
    }
    if let Some(k) = &e.organization_kind {
        fields.push(("kind".into(), k.clone()));
    }
    if let Some(c) = e.cow {
        fields.push(("COW code".into(), c.to_string()));
    }
    if e.from.is_some() || e.until.is_some() {
        fields.push(("exists".into(), dates(e.from, e.until, None)));
    }
    if let Some(n) = &e.note {
        fields.push(("note".into(), n.clone()));
    }
    if !fields.is_empty() {
        doc.push(Block::Fields(fields.into()));
    }
    let heading = match on {
        Some(d) => format!("Facts in force or happening on {d} ({})", e.facts.len()),
        None => format!("Facts ({})", e.facts.len()),
    };
    doc.push(Block::Heading(heading));
    fact_rows(&mut doc, &e.facts, on.is_some(), layout);
    doc
}

fn fact<'a>(v: &'a FactView<'_>, on: Option<Date>) -> Doc<'a> {
    let f = &v.fact();
    let mut doc = Doc::default();
    doc.push(Block::Heading(format!(
        "{} ({}, {})",
        shorten(&f.title.to_string(), 100),
        f.kind.as_str(),
        f.id
    )));
    let mut fields: Vec<(String, String)> = vec![("dates".into(), dates(f.from, f.until, f.on))];
    if let (Some(d), Some(c)) = (on, f.certainty) {
        fields.push((format!("on {d}"), c.to_string()));
    }
    fields.extend(v.details.iter().map(|(k, v)| (k.to_string(), v.clone())));
    for r in &v.readings {
        let mut text = format!("{} (disputed reading)", dates(r.from, r.until, None));
        if let Some(n) = &r.note {
            text.push_str(&format!(": {n}"));
        }
        for s in &r.sources {
            text.push_str(&format!("\n{}", source_line(s)));
        }
        fields.push(("other reading".into(), text));
    }
    if let Some(n) = &v.note {
        fields.push(("note".into(), n.clone()));
    }
    doc.push(Block::Fields(fields.into()));
    doc.push(Block::Heading(format!("Entities ({})", v.entities.len())));
    let with_c = on.is_some() && v.entities.iter().any(|m| m.certainty.is_some());
    let mut headers: Vec<String> = ["tie", "id", "name", "dates"].map(String::from).to_vec();
    if with_c {
        headers.push("certainty".into());
    }
    let rows: Vec<Vec<Cell>> = v
        .entities
        .iter()
        .map(|m| {
            let mut d = if m.tie == "party" {
                let mut s = dates(m.from.or(f.from), m.until.or(f.until), None);
                if let Some(sig) = m.signed {
                    s.push_str(&format!(" (signed {sig})"));
                }
                for r in &m.disputed {
                    s.push_str(&format!("; disputed: {r}"));
                }
                s
            } else {
                String::new()
            };
            d = d.trim().to_string();
            let mut cells = row([m.tie.to_string(), m.id.clone(), m.name.clone(), d]);
            if with_c {
                cells.push(certainty(m.certainty).into());
            }
            cells
        })
        .collect();
    doc.push(Block::Table {
        headers,
        rows: rows.into(),
    });
    let mut cites = Citations::default();
    cites.cite(v.sources());
    if let Some(b) = cites.block() {
        doc.push(Block::Heading("Sources".into()));
        doc.push(b);
    }
    doc
}
