//! The questions: one evaluator each, answering with plain, sorted, serializable data. Nothing
//! here prints or formats.

pub mod allies;
pub mod answer;
pub mod ask;
pub mod changes;
pub mod diff;
pub mod export;
pub mod notes;
pub(crate) mod order;
pub mod path;
pub mod resolve;
pub mod sanctions;
pub mod saved;
pub mod show;
pub mod sql;
pub mod statements;
pub mod stats;
pub mod tables;
pub(crate) mod texts;
pub mod timeline;

use std::borrow::Cow;

use serde::Serialize;

use crate::model::{Certainty, Date, Fact, FactKind, Party, Source, Title};

/// A fact as it appears in a result: id, kind, a one-line title, dates, and sources, borrowed
/// from the fact (an entity may have hundreds of thousands).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactRef<'f> {
    /// The fact's id.
    pub id: &'f str,
    /// Its kind (`Treaty`, `Sanction`, ...).
    pub kind: FactKind,
    /// One line saying what it is (written when shown).
    pub title: Title<'f>,
    /// How the entity asked about is tied to it (`party`, `target`, `speaker`, ...), when the
    /// result is about an entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tie: Option<Cow<'static, str>>,
    /// Start, for facts that last.
    pub from: Option<Date>,
    /// End (exclusive), for facts that last.
    pub until: Option<Date>,
    /// The date of a point fact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<Date>,
    /// Whether the dates are disputed (other readings exist).
    pub disputed: bool,
    /// Whether it holds on the date asked about, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certainty: Option<Certainty>,
    /// Its sources.
    pub sources: Cow<'f, [Source]>,
}

impl<'f> FactRef<'f> {
    /// A fact with its own dates.
    pub fn of(f: &'f Fact) -> FactRef<'f> {
        let (from, until, on) = f.when.columns();
        FactRef {
            id: &f.id,
            kind: f.kind(),
            title: Title(f),
            tie: None,
            from,
            until,
            on,
            disputed: !f.disputed.is_empty(),
            certainty: None,
            sources: Cow::Borrowed(&f.sources),
        }
    }

    /// A treaty seen from one party: the party's own dates within the treaty's, and the party's
    /// sources after the treaty's.
    pub fn of_party(f: &'f Fact, p: &Party) -> FactRef<'f> {
        let mut r = FactRef::of(f);
        r.from = p.interval.from.or(r.from);
        r.until = p.interval.until.or(r.until);
        r.disputed = !p.disputed.is_empty();
        if !p.sources.is_empty() {
            r.sources.to_mut().extend(p.sources.iter().cloned());
        }
        r
    }

    /// The sort key: by first date, then id.
    pub fn sort_key(&self) -> (Option<Date>, &str) {
        (self.from.or(self.on), self.id)
    }
}
