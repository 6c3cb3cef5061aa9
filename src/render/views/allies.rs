//! Lays out `allies`: one row per ally, with its certainty and the treaties that make it one.

use crate::model::Date;
use crate::query::allies::Ally;
use crate::render::doc::{Block, Doc, row};

/// The usual heading: `Allies of BLR on 2021-03-15 (5)`.
pub fn allies_heading(of: &str, on: Date, rows: &[Ally]) -> String {
    format!("Allies of {of} on {on} ({})", rows.len())
}

/// Lays out allies under `heading`.
pub fn allies(heading: String, rows: &[Ally]) -> Doc<'_> {
    let mut doc = Doc::default();
    doc.push(Block::Heading(heading));
    doc.push(Block::Table {
        headers: ["id", "name", "certainty", "via"]
            .map(String::from)
            .to_vec(),
        rows: rows
            .iter()
            .map(|a| {
                let via = a
                    .treaties
                    .iter()
                    .map(|v| {
                        if v.certainty == a.certainty {
                            v.id.clone()
                        } else {
                            format!("{} ({})", v.id, v.certainty)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                row([a.id.clone(), a.name.clone(), a.certainty.to_string(), via])
            })
            .collect(),
    });
    doc
}
