//! Lays out `statements`: one row per statement with its quote in full in the last column, its
//! sources cited as `[n]`, and the list of sources after.

use super::{Citations, dates};
use crate::query::statements::StatementsAnswer;
use crate::render::doc::{Block, Doc, row};

/// `Statements by Russia (RUS, with roles) about Belarus (BLR), 2020-09 – 2021-03-15: 5`.
fn heading(a: &StatementsAnswer) -> String {
    let mut h = String::from("Statements");
    if let Some(b) = &a.by {
        let roles = if a.roles { ", with roles" } else { "" };
        h.push_str(&format!(" by {} ({}{roles})", b.name, b.id));
    }
    if let Some(t) = &a.about {
        h.push_str(&format!(" about {} ({})", t.name, t.id));
    }
    match (a.from, a.to) {
        (None, None) => {}
        (Some(f), None) => h.push_str(&format!(" from {f}")),
        (None, Some(t)) => h.push_str(&format!(" up to {t}")),
        (Some(f), Some(t)) => h.push_str(&format!(" from {f} to {t}")),
    }
    format!("{h}: {}", a.results.len())
}

/// Lays out `statements`.
pub fn statements(a: &StatementsAnswer) -> Doc<'_> {
    let mut doc = Doc::default();
    doc.push(Block::Heading(heading(a)));
    let with_matched = a.by.is_some();
    let mut headers: Vec<String> = ["date", "certainty", "id", "by", "for", "about", "stance"]
        .map(String::from)
        .to_vec();
    if with_matched {
        headers.push("matched".into());
    }
    headers.extend(["sources", "quote"].map(String::from));
    let mut cites = Citations::default();
    let rows = a
        .results
        .iter()
        .map(|s| {
            let mut cells = row([
                dates(s.from, s.until, s.on),
                s.certainty.to_string(),
                s.id.clone(),
                s.by.clone(),
                s.on_behalf_of.clone().unwrap_or_default(),
                s.about.join(", "),
                s.stance.to_string(),
            ]);
            if with_matched {
                cells.push(s.matched.join("; ").into());
            }
            let quote = s.quote.split_whitespace().collect::<Vec<_>>().join(" ");
            cells.push(cites.cite(&s.sources));
            cells.push(format!("\u{201c}{quote}\u{201d}").into());
            cells
        })
        .collect();
    doc.push(Block::Table { headers, rows });
    if let Some(b) = cites.block() {
        doc.push(Block::Heading("Sources".into()));
        doc.push(b);
    }
    doc
}
