//! Lays out timelines (`timeline`, `relations`) and `diff`: one row per dated change, with its
//! sources cited as `[n]`; a diff also lists what started, ended and happened.

use std::rc::Rc;

use super::{Citations, short, shorten};
use crate::model::{Certainty, FactKind};
use crate::query::timeline::{Change, Diff, Entry};
use crate::render::doc::{Block, Cell, Doc, Fields, Rows, row};

const POSSIBLE_NOTE: &str = "~ possible: the date is imprecise and only partly within the dates \
                             asked, sources disagree on it (other dates in brackets), or the link \
                             only possibly held then";

/// One row of a timeline: date, change, kind, fact, detail, id, sources.
fn entry_row(i: usize, e: &Entry<'_>, cites: &Citations<'_>) -> Vec<Cell> {
    let mark = if e.certainty == Certainty::Possible {
        "~"
    } else {
        ""
    };
    let mut detail = e.detail.to_string();
    if !e.other_dates.is_empty() {
        let others: Vec<String> = e.other_dates.iter().map(ToString::to_string).collect();
        detail.push_str(&format!(" [or {}]", others.join(", ")));
    }
    let mut cells = row([
        e.date.to_string(),
        format!("{mark}{}", e.change),
        e.kind.as_str().to_string(),
    ]);
    cells.push(short(&e.title.to_string(), 48));
    cells.extend(row([detail, e.id.to_string()]));
    cells.push(cites.row_cell(i, &e.sources));
    cells
}

/// The table of `entries`, its rows made as they are written, then the note on possible
/// entries and the sources cited.
fn table_and_footer<'a>(doc: &mut Doc<'a>, entries: &'a [Entry<'_>]) {
    let headers = ["date", "change", "kind", "fact", "detail", "id", "sources"]
        .map(String::from)
        .to_vec();
    let cites = Citations::of(entries.iter().map(|e| e.sources.as_ref()));
    let sources = cites.block();
    let rows = Rows::made(entries.len(), move |i| entry_row(i, &entries[i], &cites));
    doc.push(Block::Table { headers, rows });
    if entries.iter().any(|e| e.certainty == Certainty::Possible) {
        doc.push(Block::Text(String::new()));
        doc.push(Block::Text(POSSIBLE_NOTE.into()));
    }
    if let Some(b) = sources {
        doc.push(Block::Heading("Sources".into()));
        doc.push(b);
    }
}

/// Lays out a timeline (of one entity, or of a pair's relations) under `heading`.
pub fn timeline<'a>(heading: String, entries: &'a [Entry<'_>]) -> Doc<'a> {
    let mut doc = Doc::default();
    doc.push(Block::Heading(heading));
    table_and_footer(&mut doc, entries);
    doc
}

/// Lays out a diff under `heading`: what started, ended and happened (fact ids with titles),
/// then every change in date order.
pub fn diff<'a>(heading: String, d: &'a Diff<'_>) -> Doc<'a> {
    let mut doc = Doc::default();
    doc.push(Block::Heading(heading));
    // Each fact's entries of each kind of change, in date order: the changes' positions
    // sorted by fact and kind once (a diff may list a million changes), and where each
    // listed fact's begin among them, found in one walk (the ids are sorted too).
    let mut by_fact: Vec<usize> = (0..d.changes.len()).collect();
    by_fact.sort_unstable_by_key(|&i| (d.changes[i].id, d.changes[i].change, i));
    let by_fact = Rc::new(by_fact);
    for (name, ids, change) in [
        ("Started", &d.started, Change::Start),
        ("Ended", &d.ended, Change::End),
        ("Happened", &d.happened, Change::Point),
    ] {
        doc.push(Block::Heading(format!("{name} ({})", ids.len())));
        if ids.is_empty() {
            doc.push(Block::Text("  (none)".into()));
            continue;
        }
        let changes = &d.changes;
        let key = |k: usize| (changes[k].id, changes[k].change);
        let mut starts = Vec::with_capacity(ids.len());
        let mut at = 0;
        for &id in ids.iter() {
            while at < by_fact.len() && key(by_fact[at]) < (id, change) {
                at += 1;
            }
            starts.push(at);
        }
        let by_fact = Rc::clone(&by_fact);
        doc.push(Block::Fields(Fields::made(ids.len(), move |i| {
            let id = ids[i];
            let mine: Vec<&Entry> = by_fact[starts[i]..]
                .iter()
                .map(|&k| &changes[k])
                .take_while(|e| e.id == id && e.change == change)
                .collect();
            let title = mine.first().map(|e| e.title.to_string());
            let mut text = shorten(title.as_deref().unwrap_or(""), 60);
            // A treaty's entry may be one party's change or its signature: say which.
            if mine.first().is_some_and(|e| e.kind == FactKind::Treaty) {
                let mut details: Vec<&str> = mine.iter().map(|e| e.detail.as_ref()).collect();
                details.dedup();
                text.push_str(&format!(": {}", details.join("; ")));
            }
            (id.to_string(), text)
        })));
    }
    doc.push(Block::Heading(format!(
        "Changes in date order ({})",
        d.changes.len()
    )));
    table_and_footer(&mut doc, &d.changes);
    doc
}
