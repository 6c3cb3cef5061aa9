//! Lays out `changes`: the records changed, grouped by kind, each changed field on its own row
//! with its old and new value (whole: a terminal narrows them, as other free text); then the
//! answers the change alters. For CSV, one table of every record's changes, with its kind.

use super::Layout;
use crate::query::changes::effects::Effect;
use crate::query::changes::{Change, Changes, RecordChange};
use crate::render::doc::{Block, Cell, Doc, row};

/// The rows of one record's change: `(field, old, new)`.
fn rows_of(r: &RecordChange) -> Vec<(String, Cell, Cell)> {
    let value = |v: &Option<String>| Cell::from(v.as_deref().unwrap_or(""));
    match r.change {
        Change::Changed => r
            .fields
            .iter()
            .map(|f| (f.field.clone(), value(&f.old), value(&f.new)))
            .collect(),
        Change::Renamed => vec![(
            "id".into(),
            r.was.clone().unwrap_or_default().into(),
            r.id.clone().into(),
        )],
        Change::Added => vec![(String::new(), Cell::default(), value(&r.record))],
        Change::Removed => vec![(String::new(), value(&r.record), Cell::default())],
    }
}

/// `1 added, 2 removed, 0 renamed, 3 changed`.
pub fn change_counts(c: &Changes) -> String {
    let [added, removed, renamed, changed] = c.counts();
    format!("{added} added, {removed} removed, {renamed} renamed, {changed} changed")
}

/// Lays out the changes under `heading`, with the answers they alter on the dates asked about
/// (`effects`, when asked).
pub fn record_changes<'a>(
    heading: &str,
    c: &'a Changes,
    effects: Option<(&[crate::model::Date], &'a [Effect])>,
    layout: Layout,
) -> Doc<'a> {
    let mut doc = Doc::default();
    if layout == Layout::Csv {
        let mut rows = Vec::new();
        for r in &c.records {
            for (field, old, new) in rows_of(r) {
                let mut cells = row([r.kind.as_str(), r.change.as_str(), &r.id, &field]);
                cells.extend([old, new]);
                rows.push(cells);
            }
        }
        doc.push(Block::Table {
            headers: ["kind", "change", "id", "field", "old", "new"]
                .map(String::from)
                .to_vec(),
            rows: rows.into(),
        });
        return doc;
    }
    doc.push(Block::Heading(heading.to_string()));
    if c.records.is_empty() {
        doc.push(Block::Text("No record changed.".into()));
    }
    let mut rest = c.records.as_slice();
    while let Some(first) = rest.first() {
        let n = rest.iter().take_while(|r| r.kind == first.kind).count();
        let (group, next) = rest.split_at(n);
        rest = next;
        doc.push(Block::Heading(format!("{} ({n})", first.kind.as_str())));
        let mut rows = Vec::new();
        for r in group {
            for (k, (field, old, new)) in rows_of(r).into_iter().enumerate() {
                // A record's change and id on its first row only.
                let (change, id) = if k == 0 {
                    (r.change.as_str(), r.id.as_str())
                } else {
                    ("", "")
                };
                let mut cells = row([change, id, &field]);
                cells.extend([old, new]);
                rows.push(cells);
            }
        }
        doc.push(Block::Table {
            headers: ["change", "id", "field", "old", "new"]
                .map(String::from)
                .to_vec(),
            rows: rows.into(),
        });
    }
    if let Some((dates, effects)) = effects {
        let on: Vec<String> = dates.iter().map(ToString::to_string).collect();
        doc.push(Block::Heading(format!(
            "Answers the change alters on {} ({})",
            on.join(", "),
            effects.len()
        )));
        if effects.is_empty() {
            doc.push(Block::Text(
                "No answer of `allies` or `sanctions` about the entities changed is different."
                    .into(),
            ));
        } else {
            let certainty = |c: Option<crate::model::Certainty>| {
                c.map_or("-", crate::model::Certainty::as_str).to_string()
            };
            doc.push(Block::Table {
                headers: ["question", "id", "before", "after", "what"]
                    .map(String::from)
                    .to_vec(),
                rows: effects
                    .iter()
                    .map(|e| {
                        row([
                            e.question.command(&e.of, e.on),
                            e.id.clone(),
                            certainty(e.before),
                            certainty(e.after),
                            e.sentence(),
                        ])
                    })
                    .collect(),
            });
        }
    }
    doc
}
