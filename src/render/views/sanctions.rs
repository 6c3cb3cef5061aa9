//! Lays out `sanctions`: one row per sanction in force, with sender, targets, dates, measures,
//! certainty and cited sources.

use super::{Citations, Layout, date_cell, joined, short};
use crate::model::Date;
use crate::query::sanctions::SanctionRow;
use crate::render::doc::{Block, Cell, Doc, Rows};

/// The usual heading: `Sanctions in force on D against BLR (9)`; `about` says what was asked.
pub fn sanctions_heading(about: &str, on: Date, rows: &[SanctionRow]) -> String {
    format!("Sanctions in force on {on}{about} ({})", rows.len())
}

/// One row: id, sender, targets (and how they are tied), dates, certainty, measures, legal
/// act, sources.
fn sanction_row(layout: Layout, r: &SanctionRow, cites: &Citations<'_>) -> Vec<Cell> {
    let mut against = r.against.join(", ");
    if !r.tied.is_empty() {
        against.push_str(&format!(" [{}]", r.tied.join("; ")));
    }
    vec![
        Cell::from(r.id.clone()),
        Cell::from(r.by.clone()),
        short(layout, against, 60),
        date_cell(layout, r.from, r.until, None),
        Cell::from(r.certainty.as_str()),
        Cell::from(joined(r.measures.iter().map(|m| m.as_str()), ", ")),
        Cell::from(r.legal_act.clone().unwrap_or_default()),
        cites.cell(&r.sources),
    ]
}

/// Lays out sanctions under `heading`: for a table, their sources numbered and listed under
/// it; for CSV, each row's sources' addresses.
pub fn sanctions(heading: String, rows: &[SanctionRow], layout: Layout) -> Doc<'_> {
    let mut doc = Doc::default();
    doc.push(Block::Heading(heading));
    let mut cites = match layout {
        Layout::Csv => Citations::default(),
        Layout::Table => Citations::of(rows.iter().map(|r| r.sources.as_slice())),
    };
    let sources = match layout {
        Layout::Csv => None,
        Layout::Table => cites.block(),
    };
    let table = Rows::made(rows.len(), move |i| sanction_row(layout, &rows[i], &cites));
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
    if let Some(b) = sources {
        doc.push(Block::Heading("Sources".into()));
        doc.push(b);
    }
    doc
}
