//! Lays out `statements`: one row per statement with its quote in full in the last column, its
//! sources cited as `[n]`, and the list of sources after.

use super::{Citations, Layout, dates};
use crate::query::statements::{Said, StatementRow, StatementsAnswer};
use crate::render::doc::{Block, Cell, Doc, Rows, row};
use crate::render::table::measure;

/// `Statements by Russia (RUS, with roles) about Belarus (BLR), 2020-09 – 2021-03-15: 5`.
fn heading(a: &StatementsAnswer<'_>) -> String {
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

/// One row: date, certainty, id, by, for, about, stance, (matched,) sources, quote.
fn statement_row(
    i: usize,
    r: &StatementRow<'_>,
    with_matched: bool,
    cites: &Citations<'_>,
) -> Vec<Cell> {
    r.with_said(|s| said_row(i, s, with_matched, cites))
}

fn said_row(i: usize, s: &Said<'_, '_>, with_matched: bool, cites: &Citations<'_>) -> Vec<Cell> {
    let mut cells = row([
        dates(s.from, s.until, s.on),
        s.certainty.to_string(),
        s.id.to_string(),
        s.by.to_string(),
        s.on_behalf_of.unwrap_or_default().to_string(),
        s.about.join(", "),
        s.stance.to_string(),
    ]);
    if with_matched {
        let matched: Vec<String> = s.matched.iter().map(ToString::to_string).collect();
        cells.push(matched.join("; ").into());
    }
    let quote = s.quote.split_whitespace().collect::<Vec<_>>().join(" ");
    cells.push(cites.row_cell(i, s.sources));
    cells.push(format!("\u{201c}{quote}\u{201d}").into());
    cells
}

/// Lays out `statements`, its rows made as they are written.
pub fn statements<'a>(a: &'a StatementsAnswer<'_>, layout: Layout) -> Doc<'a> {
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
    let results = &a.results;
    if layout == Layout::Csv {
        let cites = Citations::default();
        let rows = Rows::made(results.len(), move |i| {
            statement_row(i, &results[i], with_matched, &cites)
        });
        doc.push(Block::Table { headers, rows });
        return doc;
    }
    // One walk over the statements numbers their sources and measures their rows: each row is
    // then made once more, as it is written (each statement read from the store again).
    let mut cites = Citations::default();
    let mut widths = Vec::new();
    for (i, r) in a.results.iter().enumerate() {
        r.with_said(|s| {
            cites.add_row(s.sources);
            measure(&mut widths, &said_row(i, s, with_matched, &cites));
        });
    }
    let sources = cites.block();
    let rows = Rows::made_measured(results.len(), widths, move |i| {
        statement_row(i, &results[i], with_matched, &cites)
    });
    doc.push(Block::Table { headers, rows });
    if let Some(b) = sources {
        doc.push(Block::Heading("Sources".into()));
        doc.push(b);
    }
    doc
}
