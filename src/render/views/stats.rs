//! Lays out `stats`: counts by kind and the dates covered.

use super::dates;
use crate::query::stats::Stats;
use crate::render::doc::{Block, Doc, row};

/// Lays out `stats`.
pub fn stats(s: &Stats) -> Doc<'_> {
    let mut doc = Doc::default();
    doc.push(Block::Table {
        headers: vec!["kind".into(), "count".into()],
        rows: s
            .counts
            .iter()
            .map(|c| row([c.kind.to_string(), c.count.to_string()]))
            .collect(),
    });
    doc.push(Block::Fields(
        vec![
            ("files".into(), s.files.to_string()),
            ("dates".into(), dates(s.first_date, s.last_date, None)),
        ]
        .into(),
    ));
    doc
}
