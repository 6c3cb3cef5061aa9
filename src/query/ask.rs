//! A question, as the command line and saved queries both put it: the command, its names and
//! its dates. Names are typed text until resolved against a store; [`answer`] answers a
//! question whose names are resolved.

use super::answer::Answer;
use super::sanctions::SanctionsQuery;
use super::statements::StatementFilter;
use super::timeline::PairFacts;
use super::{allies, diff, path, sanctions, show, statements, timeline};
use crate::graph::path::PathOptions;
use crate::model::{Date, Target};
use crate::store::{Read, Store};

/// A name in a question: as typed, or the record it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    /// As typed: an id in any case, a name, an alias or a word of a name.
    Typed(String),
    /// Resolved.
    Resolved(Target),
}

impl Name {
    /// A typed name.
    pub fn typed(text: impl Into<String>) -> Name {
        Name::Typed(text.into())
    }

    /// The entity it names, once resolved to one.
    pub fn entity(&self) -> Option<usize> {
        match self {
            Name::Resolved(Target::Entity(i)) => Some(*i),
            _ => None,
        }
    }

    /// The text as typed, if unresolved.
    pub fn text(&self) -> Option<&str> {
        match self {
            Name::Typed(t) => Some(t),
            Name::Resolved(_) => None,
        }
    }
}

/// What a name in a question may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wants {
    /// A state, organization or person.
    Entity,
    /// An entity or a fact (`show`).
    Record,
}

/// A question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// `show ID [--on D]`.
    Show {
        /// The entity or fact.
        id: Name,
        /// The date.
        on: Option<Date>,
    },
    /// `allies OF --on D`.
    Allies {
        /// The state.
        of: Name,
        /// The date (default today).
        on: Option<Date>,
    },
    /// `sanctions [--against X [--tied]] [--by Y [--members]] --on D`.
    Sanctions {
        /// The target.
        against: Option<Name>,
        /// Also sanctions on those tied to the target.
        tied: bool,
        /// The sender.
        by: Option<Name>,
        /// Also sanctions by organizations the sender belongs to.
        members: bool,
        /// The date (default today).
        on: Option<Date>,
    },
    /// `relations A B [--from D] [--to D]`.
    Relations {
        /// One entity.
        a: Name,
        /// The other.
        b: Name,
        /// From.
        from: Option<Date>,
        /// To.
        to: Option<Date>,
    },
    /// `timeline OF [--from D] [--to D]`.
    Timeline {
        /// The entity.
        of: Name,
        /// From.
        from: Option<Date>,
        /// To.
        to: Option<Date>,
    },
    /// `statements [--by X] [--about Y] [--from D] [--to D] [--roles]`.
    Statements {
        /// The speaker.
        by: Option<Name>,
        /// The subject.
        about: Option<Name>,
        /// From.
        from: Option<Date>,
        /// To.
        to: Option<Date>,
        /// With the people holding a role with the speaker.
        roles: bool,
    },
    /// `path A B --on D [--kinds ...] [--max-hops N]`.
    Path {
        /// Start.
        a: Name,
        /// End.
        b: Name,
        /// The date (default today).
        on: Option<Date>,
        /// Kinds to follow, how far, how many chains.
        options: PathOptions,
    },
    /// `diff D1 D2 [--around ID]`.
    Diff {
        /// After this date.
        from: Date,
        /// Through this date.
        to: Date,
        /// Only facts tied to this entity.
        around: Option<Name>,
    },
}

impl Ask {
    /// The command that asks it.
    pub fn command(&self) -> &'static str {
        match self {
            Ask::Show { .. } => "show",
            Ask::Allies { .. } => "allies",
            Ask::Sanctions { .. } => "sanctions",
            Ask::Relations { .. } => "relations",
            Ask::Timeline { .. } => "timeline",
            Ask::Statements { .. } => "statements",
            Ask::Path { .. } => "path",
            Ask::Diff { .. } => "diff",
        }
    }

    /// Every name, with its field and what it may name, in the order they are written.
    pub fn names_mut(&mut self) -> Vec<(&'static str, &mut Name, Wants)> {
        let e = Wants::Entity;
        let mut out: Vec<(&'static str, &mut Name, Wants)> = Vec::new();
        match self {
            Ask::Show { id, .. } => out.push(("id", id, Wants::Record)),
            Ask::Allies { of, .. } | Ask::Timeline { of, .. } => out.push(("of", of, e)),
            Ask::Sanctions { against, by, .. } => {
                out.extend(against.as_mut().map(|n| ("against", n, e)));
                out.extend(by.as_mut().map(|n| ("by", n, e)));
            }
            Ask::Relations { a, b, .. } | Ask::Path { a, b, .. } => {
                out.push(("a", a, e));
                out.push(("b", b, e));
            }
            Ask::Statements { by, about, .. } => {
                out.extend(by.as_mut().map(|n| ("by", n, e)));
                out.extend(about.as_mut().map(|n| ("about", n, e)));
            }
            Ask::Diff { around, .. } => out.extend(around.as_mut().map(|n| ("around", n, e))),
        }
        out
    }

    /// The date it is about, if it names one day (the `on` of dated questions).
    pub fn on(&self) -> Option<Date> {
        match self {
            Ask::Show { on, .. }
            | Ask::Allies { on, .. }
            | Ask::Sanctions { on, .. }
            | Ask::Path { on, .. } => *on,
            Ask::Relations { .. }
            | Ask::Timeline { .. }
            | Ask::Statements { .. }
            | Ask::Diff { .. } => None,
        }
    }

    /// Whether it stands on "today" because it leaves its date out.
    pub fn uses_today(&self) -> bool {
        match self {
            Ask::Allies { on, .. } | Ask::Sanctions { on, .. } | Ask::Path { on, .. } => {
                on.is_none()
            }
            _ => false,
        }
    }
}

/// A question whose every name is resolved: what [`answer`] answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved(Ask);

impl Resolved {
    /// `ask`, when every name in it is resolved (an entity where only an entity will do);
    /// else `ask` back.
    pub fn new(mut ask: Ask) -> Result<Resolved, Ask> {
        let ok = ask.names_mut().iter().all(|(_, n, wants)| match n {
            Name::Resolved(Target::Entity(_)) => true,
            Name::Resolved(Target::Fact(_)) => *wants == Wants::Record,
            Name::Typed(_) => false,
        });
        if ok { Ok(Resolved(ask)) } else { Err(ask) }
    }

    /// The question.
    pub fn ask(&self) -> &Ask {
        &self.0
    }
}

/// The entity a name names (every name of a [`Resolved`] question names one where it must).
fn entity(n: &Name) -> usize {
    n.entity().unwrap_or_default()
}

fn entity_opt(n: &Option<Name>) -> Option<usize> {
    n.as_ref().map(entity)
}

/// The facts an answer borrows from, read before it is made: a pair's relations.
#[derive(Default)]
pub struct AnswerFacts<'s> {
    pair: Option<PairFacts<'s>>,
}

impl<'s> AnswerFacts<'s> {
    /// Reads the facts the answer to `ask` borrows from.
    pub fn read(store: &'s dyn Store, ask: &Resolved) -> Read<AnswerFacts<'s>> {
        Ok(match ask.ask() {
            Ask::Relations { a, b, .. } => AnswerFacts {
                pair: Some(PairFacts::read(store, entity(a), entity(b))?),
            },
            _ => AnswerFacts::default(),
        })
    }
}

/// Answers `ask` from `store`; `today` stands in for dates left out. A relations question
/// reads from `facts` ([`AnswerFacts::read`]).
pub fn answer<'s>(
    store: &'s dyn Store,
    facts: &'s AnswerFacts<'s>,
    ask: &Resolved,
    today: Date,
) -> Read<Answer<'s>> {
    Ok(match ask.ask() {
        Ask::Show { id, on } => Answer::Show(Box::new(match id {
            Name::Resolved(Target::Fact(f)) => show::show_fact(store, *f, *on)?,
            _ => show::show_entity(store, entity(id), *on)?,
        })),
        Ask::Allies { of, on } => {
            Answer::Allies(allies::allies(store, entity(of), on.unwrap_or(today))?)
        }
        Ask::Sanctions {
            against,
            tied,
            by,
            members,
            on,
        } => Answer::Sanctions(sanctions::sanctions(
            store,
            &SanctionsQuery {
                against: entity_opt(against),
                tied: *tied,
                by: entity_opt(by),
                members: *members,
                on: on.unwrap_or(today),
            },
        )?),
        Ask::Relations { from, to, .. } => match &facts.pair {
            Some(pair) => Answer::Relations(timeline::relations(store, pair, *from, *to)?),
            None => Answer::Relations(Vec::new()),
        },
        Ask::Timeline { of, from, to } => {
            Answer::Timeline(timeline::timeline(store, entity(of), *from, *to)?)
        }
        Ask::Statements {
            by,
            about,
            from,
            to,
            roles,
        } => Answer::Statements(statements::statements(
            store,
            &StatementFilter {
                by: entity_opt(by),
                about: entity_opt(about),
                from: *from,
                to: *to,
                roles: *roles,
            },
        )?),
        Ask::Path { a, b, on, options } => Answer::Path(path::path(
            store,
            entity(a),
            entity(b),
            on.unwrap_or(today),
            options,
        )?),
        Ask::Diff { from, to, around } => {
            Answer::Diff(Box::new(diff::diff(store, *from, *to, entity_opt(around))?))
        }
    })
}
