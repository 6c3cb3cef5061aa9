//! Lays out `sanctions`: one row per sanction in force, with sender, targets, dates, measures,
//! certainty and cited sources.

use super::{Citations, date_cell, short};
use crate::model::Date;
use crate::query::sanctions::SanctionRow;
use crate::render::doc::{Block, Doc, row};

/// The usual heading: `Sanctions in force on D against BLR (9)`; `about` says what was asked.
pub fn sanctions_heading(about: &str, on: Date, rows: &[SanctionRow]) -> String {
    format!("Sanctions in force on {on}{about} ({})", rows.len())
}

/// Lays out sanctions under `heading`.
pub fn sanctions(heading: String, rows: &[SanctionRow]) -> Doc<'_> {
    let mut doc = Doc::default();
    doc.push(Block::Heading(heading));
    let mut cites = Citations::default();
    let table = rows
        .iter()
        .map(|r| {
            let mut against = r.against.join(", ");
            if !r.tied.is_empty() {
                against.push_str(&format!(" [{}]", r.tied.join("; ")));
            }
            let measures: Vec<&str> = r.measures.iter().map(|m| m.as_str()).collect();
            let mut cells = row([r.id.clone(), r.by.clone()]);
            cells.push(short(&against, 60));
            cells.push(date_cell(r.from, r.until, None));
            cells.extend(row([
                r.certainty.to_string(),
                measures.join(", "),
                r.legal_act.clone().unwrap_or_default(),
            ]));
            cells.push(cites.cite(&r.sources));
            cells
        })
        .collect();
    doc.push(Block::Table {
        headers: [
            "id",
            "by",
            "against",
            "dates",
            "certainty",
            "measures",
            "legal act",
            "sources",
        ]
        .map(String::from)
        .to_vec(),
        rows: table,
    });
    if let Some(b) = cites.block() {
        doc.push(Block::Heading("Sources".into()));
        doc.push(b);
    }
    doc
}
