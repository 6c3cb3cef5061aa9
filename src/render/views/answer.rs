//! Lays out any [`Answer`]: under the heading its command gives it, or under another (a saved
//! query's title), with the view of the command that asks that question.

use super::Layout;
use crate::model::{Date, Entity};
use crate::query::answer::Answer;
use crate::query::ask::Ask;
use crate::render::doc::{Block, Doc};
use crate::store::Store;

/// `Belarus (BLR)`.
pub fn named(e: &Entity) -> String {
    format!("{} ({})", e.name, e.id)
}

/// `, from 2020 to 2021` for a period; empty when there is none.
pub fn period(from: Option<Date>, to: Option<Date>) -> String {
    match (from, to) {
        (None, None) => String::new(),
        (Some(f), None) => format!(", from {f}"),
        (None, Some(t)) => format!(", up to {t}"),
        (Some(f), Some(t)) => format!(", from {f} to {t}"),
    }
}

fn changes(n: usize) -> String {
    format!("{n} change{}", if n == 1 { "" } else { "s" })
}

/// The heading the command that asks `ask` gives its answer, where the view does not make its
/// own (a shown record, statements and paths head themselves). `on` is the date asked about.
pub fn heading(ask: &Ask, store: &dyn Store, a: &Answer<'_>, on: Option<Date>) -> Option<String> {
    let entity = |n: &crate::query::ask::Name| {
        n.entity()
            .filter(|&i| i < store.entity_count())
            .map(|i| store.entity_at(i))
    };
    let day = on.map(|d| d.to_string()).unwrap_or_default();
    Some(match (ask, a) {
        (Ask::Allies { of, .. }, Answer::Allies(rows)) => {
            let id = entity(of).map_or("", |e| e.id.as_str());
            format!("Allies of {id} on {day} ({})", rows.len())
        }
        (
            Ask::Sanctions {
                against,
                tied,
                by,
                members,
                ..
            },
            Answer::Sanctions(rows),
        ) => {
            let mut about = String::new();
            if let Some(b) = by.as_ref().and_then(entity) {
                about.push_str(&format!(" by {}", b.id));
                if *members {
                    about.push_str(" (and organizations it belongs to)");
                }
            }
            if let Some(a) = against.as_ref().and_then(entity) {
                about.push_str(&format!(" against {}", a.id));
                if *tied {
                    about.push_str(" (and those tied to it)");
                }
            }
            super::sanctions_heading(&about, on.unwrap_or(Date::year(0)), rows)
        }
        (Ask::Timeline { of, from, to }, Answer::Timeline(c)) => format!(
            "Timeline of {}{} ({})",
            entity(of).map(named).unwrap_or_default(),
            period(*from, *to),
            changes(c.len())
        ),
        (
            Ask::Relations {
                a: x,
                b: y,
                from,
                to,
            },
            Answer::Relations(rows),
        ) => format!(
            "Relations of {} and {}{} ({})",
            entity(x).map(named).unwrap_or_default(),
            entity(y).map(named).unwrap_or_default(),
            period(*from, *to),
            changes(rows.len())
        ),
        (Ask::Diff { from, to, around }, Answer::Diff(_)) => {
            let about = around
                .as_ref()
                .and_then(entity)
                .map(|e| format!(", around {}", named(e)))
                .unwrap_or_default();
            format!("Changes after {from} through {to}{about}")
        }
        _ => return None,
    })
}

/// The answer's usual layout; with `heading`, its first heading replaced by it (or put before
/// a view that heads itself).
pub fn answer<'a>(
    heading: Option<&str>,
    a: &'a Answer<'_>,
    on: Option<Date>,
    layout: Layout,
) -> Doc<'a> {
    let mut doc = match a {
        Answer::Show(s) => super::show(s, on, layout),
        Answer::Allies(rows) => super::allies(String::new(), rows),
        Answer::Sanctions(rows) => super::sanctions(String::new(), rows, layout),
        Answer::Relations(rows) => super::timeline(String::new(), rows, layout),
        Answer::Timeline(c) => super::changes(String::new(), c, layout),
        Answer::Statements(a) => super::statements(a, layout),
        Answer::Path(a) => super::path(a, layout),
        Answer::Diff(d) => super::diff(String::new(), d, layout),
    };
    if let Some(heading) = heading {
        match doc.blocks.first_mut() {
            Some(Block::Heading(h)) if h.is_empty() => *h = heading.to_string(),
            _ => doc.blocks.insert(0, Block::Heading(heading.to_string())),
        }
    }
    doc
}
