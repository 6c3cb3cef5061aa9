//! Lays out any [`Answer`] under a heading (a saved query's title), with the view of the
//! command that asks that question.

use crate::model::Date;
use crate::query::answer::Answer;
use crate::render::doc::{Block, Doc};

/// The answer's usual layout, its first heading replaced by `heading`.
pub fn answer<'a>(heading: &str, a: &'a Answer<'_>, on: Option<Date>) -> Doc<'a> {
    let mut doc = match a {
        Answer::Show(s) => super::show(s, on),
        Answer::Allies(rows) => super::allies(String::new(), rows),
        Answer::Sanctions(rows) => super::sanctions(String::new(), rows),
        Answer::Relations(rows) | Answer::Timeline(rows) => super::timeline(String::new(), rows),
        Answer::Statements(a) => super::statements(a),
        Answer::Path(a) => super::path(a),
        Answer::Diff(d) => super::diff(String::new(), d),
    };
    match doc.blocks.first_mut() {
        Some(Block::Heading(h)) if h.is_empty() => *h = heading.to_string(),
        _ => doc.blocks.insert(0, Block::Heading(heading.to_string())),
    }
    doc
}
