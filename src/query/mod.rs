//! The questions: one evaluator each, answering with plain, sorted, serializable data. Nothing
//! here prints or formats.

pub mod allies;
pub mod answer;
pub mod export;
pub mod path;
pub mod resolve;
pub mod sanctions;
pub mod saved;
pub mod show;
pub mod statements;
pub mod stats;
pub mod timeline;

use serde::Serialize;

use crate::model::{Certainty, Date, Fact, Party, Source, When};

/// A fact as it appears in a result: id, kind, a one-line title, dates, and sources.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactRef {
    /// The fact's id.
    pub id: String,
    /// Its kind (`Treaty`, `Sanction`, ...).
    pub kind: &'static str,
    /// One line saying what it is.
    pub title: String,
    /// How the entity asked about is tied to it (`party`, `target`, `speaker`, ...), when the
    /// result is about an entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tie: Option<String>,
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
    pub sources: Vec<Source>,
}

impl FactRef {
    /// A fact with its own dates.
    pub fn of(f: &Fact) -> FactRef {
        let (from, until, on) = match f.when {
            When::Span(i) => (i.from, i.until, None),
            When::On(d) => (None, None, Some(d)),
        };
        FactRef {
            id: f.id.clone(),
            kind: f.kind().as_str(),
            title: f.title(),
            tie: None,
            from,
            until,
            on,
            disputed: !f.disputed.is_empty(),
            certainty: None,
            sources: f.sources.clone(),
        }
    }

    /// A treaty seen from one party: the party's own dates within the treaty's, and the party's
    /// sources after the treaty's.
    pub fn of_party(f: &Fact, p: &Party) -> FactRef {
        let mut r = FactRef::of(f);
        r.from = p.interval.from.or(r.from);
        r.until = p.interval.until.or(r.until);
        r.disputed = !p.disputed.is_empty();
        r.sources.extend(p.sources.iter().cloned());
        r
    }

    /// The sort key: by first date, then id.
    pub fn sort_key(&self) -> (Option<Date>, &str) {
        (self.from.or(self.on), &self.id)
    }
}
