//! Lays out timelines (`timeline`, `relations`) and `diff`: one row per dated change, with its
//! sources cited as `[n]`; a diff also lists what started, ended and happened.

use super::{Citations, Layout, short, shorten};
use crate::model::{Certainty, FactKind};
use crate::query::diff::{Changes, Diff};
use crate::query::timeline::{Change, Entry};
use crate::render::doc::{Block, Cell, Doc, Fields, Rows, row};
use crate::render::table::{label_width, measure};

const POSSIBLE_NOTE: &str = "~ possible: the date is imprecise and only partly within the dates \
                             asked, sources disagree on it (other dates in brackets), or the link \
                             only possibly held then";

/// One row of a timeline: date, change, kind, fact, detail, id, sources.
fn entry_row(layout: Layout, i: usize, e: &Entry<'_>, cites: &Citations<'_>) -> Vec<Cell> {
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
    cells.push(short(layout, e.title.to_string(), 48));
    cells.extend(row([detail, e.id.to_string()]));
    cells.push(cites.row_cell(i, &e.sources));
    cells
}

/// The table of `count` entries, each row made by `row` as it is written, then the note on
/// possible entries (when `possible`) and the sources cited.
fn table_and_footer<'a>(
    doc: &mut Doc<'a>,
    count: usize,
    mut cites: Citations<'a>,
    possible: bool,
    widths: Option<Vec<usize>>,
    row: impl Fn(usize, &Citations<'a>) -> Vec<Cell> + Sync + 'a,
) {
    let headers = ["date", "change", "kind", "fact", "detail", "id", "sources"]
        .map(String::from)
        .to_vec();
    let sources = cites.block();
    let make = move |i| row(i, &cites);
    let rows = match widths {
        Some(w) => Rows::made_measured(count, w, make),
        None => Rows::made(count, make),
    };
    doc.push(Block::Table { headers, rows });
    if possible {
        doc.push(Block::Text(String::new()));
        doc.push(Block::Text(POSSIBLE_NOTE.into()));
    }
    if let Some(b) = sources {
        doc.push(Block::Heading("Sources".into()));
        doc.push(b);
    }
}

/// Lays out a timeline (of one entity, or of a pair's relations) under `heading`.
pub fn timeline<'a>(heading: String, entries: &'a [Entry<'_>], layout: Layout) -> Doc<'a> {
    let mut doc = Doc::default();
    doc.push(Block::Heading(heading));
    let cites = Citations::of(entries.iter().map(|e| e.sources.as_ref()));
    let possible = entries.iter().any(|e| e.certainty == Certainty::Possible);
    table_and_footer(
        &mut doc,
        entries.len(),
        cites,
        possible,
        None,
        move |i, c| entry_row(layout, i, &entries[i], c),
    );
    doc
}

/// Lays out a diff under `heading`: what started, ended and happened (fact ids with titles),
/// then every change in date order. Each entry is made again from its fact when its line is
/// written (see [`Diff`]).
pub fn diff<'a>(heading: String, d: &'a Diff<'_>, layout: Layout) -> Doc<'a> {
    let mut doc = Doc::default();
    doc.push(Block::Heading(heading));
    for (name, change) in [
        ("Started", Change::Start),
        ("Ended", Change::End),
        ("Happened", Change::Point),
    ] {
        let count = d.ids(change).len();
        doc.push(Block::Heading(format!("{name} ({count})")));
        if count == 0 {
            doc.push(Block::Text("  (none)".into()));
            continue;
        }
        // The labels are the ids, measured without making the lines.
        let width = d.ids(change).map(label_width).max().unwrap_or(0);
        doc.push(Block::Fields(Fields::made_measured(
            count,
            vec![width],
            move |i| {
                d.with_listed(change, i, |id, mine| {
                    let title = mine.first().map(|e| e.title.to_string());
                    let mut text = shorten(title.as_deref().unwrap_or(""), 60);
                    // A treaty's entry may be one party's change or its signature: say which.
                    if mine.first().is_some_and(|e| e.kind == FactKind::Treaty) {
                        let mut details: Vec<&str> =
                            mine.iter().map(|e| e.detail.as_ref()).collect();
                        details.dedup();
                        text.push_str(&format!(": {}", details.join("; ")));
                    }
                    (id.to_string(), text)
                })
            },
        )));
    }
    doc.push(Block::Heading(format!(
        "Changes in date order ({})",
        d.len()
    )));
    change_table(&mut doc, &d.changes, layout);
    doc
}

/// Lays out a timeline of one entity under `heading`: its changes, each entry made again from
/// its fact when its line is written (see [`Changes`]).
pub fn changes<'a>(heading: String, c: &'a Changes<'_>, layout: Layout) -> Doc<'a> {
    let mut doc = Doc::default();
    doc.push(Block::Heading(heading));
    change_table(&mut doc, c, layout);
    doc
}

/// The table of `c`'s changes and its footer. For a table, one walk over the changes numbers
/// their sources, measures their rows and sees whether any is possible: each row is then made
/// once more, as it is written. For CSV, only the rows, each made once.
fn change_table<'a>(doc: &mut Doc<'a>, c: &'a Changes<'_>, layout: Layout) {
    if layout == Layout::Csv {
        let rows =
            move |j, cites: &Citations<'_>| c.with_change(j, |e| entry_row(layout, j, e, cites));
        table_and_footer(doc, c.len(), Citations::default(), false, None, rows);
        return;
    }
    let mut possible = false;
    let mut cites = Citations::default();
    let mut widths = Vec::new();
    for j in 0..c.len() {
        c.with_change(j, |e| {
            possible |= e.certainty == Certainty::Possible;
            cites.add_row(&e.sources);
            measure(&mut widths, &entry_row(layout, j, e, &cites));
        });
    }
    let rows = move |j, cites: &Citations<'_>| c.with_change(j, |e| entry_row(layout, j, e, cites));
    table_and_footer(doc, c.len(), cites, possible, Some(widths), rows);
}
