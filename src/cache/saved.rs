//! The question of saved queries (`query`, `check`): each one's question as its command would
//! ask it, and every name they type, so that the part picked for them all resolves and answers
//! them as the whole data would.

use super::Question;
use crate::graph::path::{LinkKind, PathOptions};
use crate::model::Date;
use crate::query::saved::{RawAsk, Written};

/// What saved queries `written` (read without the data) need of the cache: the union of their
/// questions' picks, and the facts any name they type names. "Today" is the date of those
/// that leave theirs out. A query whose dates or kinds do not parse asks nothing: the command
/// stops at that problem, and its names are still resolved.
pub fn question(written: &[Written], today: Date) -> Question {
    let mut asked: Vec<Question> = written
        .iter()
        .filter_map(|w| of_ask(&w.ask, today))
        .collect();
    let names = written.iter().flat_map(|w| w.names.iter().cloned());
    asked.push(Question::Named(names.collect()));
    Question::Many(asked)
}

/// A date as written, parsed; `Err` when it is not a date.
fn date(text: &Option<String>) -> Result<Option<Date>, ()> {
    text.as_deref().map(Date::parse).transpose().map_err(|_| ())
}

/// The question of one saved query, as its command asks it; `None` when a date or a kind does
/// not parse.
fn of_ask(ask: &RawAsk, today: Date) -> Option<Question> {
    Some(match ask {
        RawAsk::Show { id, on } => Question::Show {
            target: id.clone(),
            on: date(on).ok()?,
        },
        RawAsk::Allies { of, on } => Question::Allies {
            of: of.clone(),
            on: date(on).ok()?.unwrap_or(today),
        },
        RawAsk::Sanctions {
            against,
            tied,
            by,
            members,
            on,
        } => Question::Sanctions {
            against: against.clone(),
            tied: *tied,
            by: by.clone(),
            members: *members,
            on: date(on).ok()?.unwrap_or(today),
        },
        RawAsk::Relations { a, b, from, to } => {
            // The dates only narrow what the pick of the two entities gives; still checked,
            // as the command stops at a bad one.
            date(from).ok()?;
            date(to).ok()?;
            Question::Relations {
                a: a.clone(),
                b: b.clone(),
            }
        }
        RawAsk::Timeline { of, from, to } => Question::Timeline {
            of: of.clone(),
            from: date(from).ok()?,
            to: date(to).ok()?,
        },
        RawAsk::Statements {
            by,
            about,
            from,
            to,
            roles,
        } => Question::Statements {
            by: by.clone(),
            about: about.clone(),
            from: date(from).ok()?,
            to: date(to).ok()?,
            roles: *roles,
        },
        RawAsk::Path {
            a,
            b,
            on,
            kinds,
            max_hops,
        } => Question::Path {
            from: a.clone(),
            to: b.clone(),
            on: date(on).ok()?.unwrap_or(today),
            kinds: kinds
                .iter()
                .map(|k| k.parse::<LinkKind>().ok())
                .collect::<Option<_>>()?,
            max_hops: max_hops.unwrap_or(PathOptions::default().max_hops),
        },
        RawAsk::Diff { from, to, around } => Question::Diff {
            after: Date::parse(from).ok()?,
            through: Date::parse(to).ok()?,
            around: around.clone(),
        },
    })
}
