//! Lays out `sanctions`: one row per sanction in force, with sender, targets, dates, measures,
//! certainty and cited sources.

use super::{Citations, dates, shorten};
use crate::model::Date;
use crate::query::sanctions::SanctionRow;
use crate::render::doc::{Block, Doc};

/// The usual heading: `Sanctions in force on D against BLR (9)`; `about` says what was asked.
pub fn sanctions_heading(about: &str, on: Date, rows: &[SanctionRow]) -> String {
    format!("Sanctions in force on {on}{about} ({})", rows.len())
}

/// Lays out sanctions under `heading`.
pub fn sanctions(heading: String, rows: &[SanctionRow]) -> Doc {
    let mut doc = Doc::default();
    doc.push(Block::Heading(heading));
    let mut cites = Citations::default();
    let table = rows
        .iter()
        .map(|r| {
            let mut against = shorten(&r.against.join(", "), 60);
            if !r.tied.is_empty() {
                against.push_str(&format!(" [{}]", r.tied.join("; ")));
            }
            vec![
                r.id.clone(),
                r.by.clone(),
                against,
                dates(r.from, r.until, None),
                r.certainty.to_string(),
                r.measures
                    .iter()
                    .map(|m| m.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                r.legal_act.clone().unwrap_or_default(),
                cites.cite(&r.sources),
            ]
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
