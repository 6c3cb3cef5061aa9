//! An answer to any question, so saved queries and the commands share one shape: the rows, the
//! ids an expectation is checked against, and the date asked about.

use serde::Serialize;

use super::allies::Ally;
use super::diff::{Changes, Diff};
use super::path::PathAnswer;
use super::sanctions::SanctionRow;
use super::show::Shown;
use super::statements::StatementsAnswer;
use super::timeline::Entry;

/// The answer to one question (its rows may read their facts from the store as they are
/// written).
pub enum Answer<'d> {
    /// `show`.
    Show(Box<Shown<'d>>),
    /// `allies`.
    Allies(Vec<Ally>),
    /// `sanctions`.
    Sanctions(Vec<SanctionRow>),
    /// `relations`.
    Relations(Vec<Entry<'d>>),
    /// `timeline`.
    Timeline(Changes<'d>),
    /// `statements`.
    Statements(StatementsAnswer<'d>),
    /// `path`.
    Path(PathAnswer),
    /// `diff`.
    Diff(Box<Diff<'d>>),
}

impl Answer<'_> {
    /// The command that asks this question.
    pub fn command(&self) -> &'static str {
        match self {
            Answer::Show(_) => "show",
            Answer::Allies(_) => "allies",
            Answer::Sanctions(_) => "sanctions",
            Answer::Relations(_) => "relations",
            Answer::Timeline(_) => "timeline",
            Answer::Statements(_) => "statements",
            Answer::Path(_) => "path",
            Answer::Diff(_) => "diff",
        }
    }

    /// The ids an expectation is checked against, in answer order, without repeats: the
    /// facts of a shown entity (or the entities of a shown fact), the allies, the sanctions,
    /// the facts of a timeline, the statements, the entities along the first path, the facts
    /// that changed in a diff.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = match self {
            Answer::Show(s) => match s.as_ref() {
                Shown::Entity(e) => e
                    .facts
                    .iter()
                    .map(|f| f.with_ref(|r| r.id.to_string()))
                    .collect(),
                Shown::Fact(f) => f.entities.iter().map(|m| m.id.clone()).collect(),
            },
            Answer::Allies(rows) => rows.iter().map(|r| r.id.clone()).collect(),
            Answer::Sanctions(rows) => rows.iter().map(|r| r.id.clone()).collect(),
            Answer::Relations(rows) => rows.iter().map(|r| r.id.to_string()).collect(),
            Answer::Timeline(changes) => changes.change_ids().map(str::to_string).collect(),
            Answer::Statements(a) => a
                .results
                .iter()
                .map(|r| r.with_said(|s| s.id.to_string()))
                .collect(),
            Answer::Path(a) => a
                .results
                .first()
                .map(|p| p.nodes.clone())
                .unwrap_or_default(),
            Answer::Diff(d) => d.change_ids().map(str::to_string).collect(),
        };
        let mut seen = std::collections::HashSet::new();
        keys.retain(|k| seen.insert(k.clone()));
        keys
    }
}

impl Serialize for Answer<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Show(v) => std::slice::from_ref(v.as_ref()).serialize(s),
            Answer::Allies(v) => v.serialize(s),
            Answer::Sanctions(v) => v.serialize(s),
            Answer::Relations(v) => v.serialize(s),
            Answer::Timeline(v) => v.serialize(s),
            Answer::Statements(a) => a.results.serialize(s),
            Answer::Path(a) => a.results.serialize(s),
            Answer::Diff(d) => std::slice::from_ref(d.as_ref()).serialize(s),
        }
    }
}
