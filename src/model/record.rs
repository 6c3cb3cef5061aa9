//! The typed dataset: entities (states, organizations, people) and dated facts between them.
//! References stay ids here; checks and the graph resolve them.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::date::Date;
use super::interval::Interval;
use super::kinds::{EventKind, Measure, OrgKind, SourceKind, Stance, TreatyKind};
use super::origin::Origin;

/// The three kinds of entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum EntityKind {
    /// A sovereign state.
    State,
    /// An organization.
    Organization,
    /// A person.
    Person,
}

impl EntityKind {
    /// The record name.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::State => "State",
            EntityKind::Organization => "Organization",
            EntityKind::Person => "Person",
        }
    }

    /// In prose: "a state", "an organization", "a person".
    pub fn with_article(self) -> &'static str {
        match self {
            EntityKind::State => "a state",
            EntityKind::Organization => "an organization",
            EntityKind::Person => "a person",
        }
    }
}

/// A state, organization or person.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Unique id.
    pub id: String,
    /// Which kind.
    pub kind: EntityKind,
    /// Display name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// When it existed (statehood, founding to dissolution, birth to death), where known.
    pub existence: Interval,
    /// COW state code (states only).
    pub cow: Option<u32>,
    /// Organization kind (organizations only).
    pub org_kind: Option<OrgKind>,
    /// Free text.
    pub note: Option<String>,
    /// Where it was written.
    pub origin: Origin,
}

/// A cited source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Title.
    pub title: String,
    /// Address.
    pub url: String,
    /// Publisher.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Publication date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// What kind of source it is (`Retrospective`), where that matters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<SourceKind>,
}

/// Another reading of a fact's dates, where sources disagree.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The interval this reading gives (an end it leaves out is its fact's or party's).
    pub interval: Interval,
    /// The ends the reading writes itself (an end left out is none): how its file writes it.
    pub own: Interval,
    /// The signature date this reading gives (treaty parties), where it differs.
    pub signed: Option<Date>,
    /// Who says so.
    pub sources: Vec<Source>,
    /// Free text.
    pub note: Option<String>,
    /// Where it was written.
    pub origin: Origin,
}

/// When a fact holds: over an interval, or at a point in time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    /// `[from, until)`.
    Span(Interval),
    /// On one date (of any precision).
    On(Date),
}

impl When {
    /// As an answer's columns show it: `(from, until, on)`, the interval's ends for a fact
    /// that lasts, the date alone for one that happens on a date.
    pub fn columns(self) -> (Option<Date>, Option<Date>, Option<Date>) {
        match self {
            When::Span(i) => (i.from, i.until, None),
            When::On(d) => (None, None, Some(d)),
        }
    }
}

/// One state's participation in a treaty.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    /// The state.
    pub state: String,
    /// When it signed.
    pub signed: Option<Date>,
    /// Its own dates as written (unset ends default to the treaty's).
    pub interval: Interval,
    /// Other readings of its dates.
    pub disputed: Vec<Reading>,
    /// Sources for this party's dates.
    pub sources: Vec<Source>,
    /// Free text.
    pub note: Option<String>,
    /// Where it was written.
    pub origin: Origin,
}

/// What a fact says.
#[derive(Debug, Clone, PartialEq)]
pub enum FactBody {
    /// A person holds a position with a state or organization.
    Role {
        /// The person.
        person: String,
        /// The state or organization.
        of: String,
        /// The position.
        title: String,
    },
    /// A state or organization belongs to an organization.
    Membership {
        /// The member.
        member: String,
        /// The organization.
        of: String,
    },
    /// A treaty among states.
    Treaty {
        /// Title.
        name: String,
        /// Other names.
        aliases: Vec<String>,
        /// Kind.
        kind: TreatyKind,
        /// Signature date.
        signed: Option<Date>,
        /// Entry into force.
        in_force: Option<Date>,
        /// End.
        ended: Option<Date>,
        /// The organization it founds or runs under.
        organization: Option<String>,
        /// The parties.
        parties: Vec<Party>,
    },
    /// Restrictive measures by a sender against targets.
    Sanction {
        /// Sender.
        by: String,
        /// Targets.
        against: Vec<String>,
        /// Measures.
        measures: Vec<Measure>,
        /// Legal instrument.
        legal_act: Option<String>,
        /// Programme.
        program: Option<String>,
    },
    /// Something said.
    Statement {
        /// Speaker.
        by: String,
        /// Whom the speaker spoke for.
        on_behalf_of: Option<String>,
        /// What it is about.
        about: Vec<String>,
        /// The words.
        quote: String,
        /// Tone.
        stance: Stance,
    },
    /// Something that happened.
    Event {
        /// Short title.
        name: String,
        /// Kind.
        kind: EventKind,
        /// Who took part or was affected.
        involves: Vec<String>,
        /// What happened.
        summary: Option<String>,
    },
}

/// The kinds of fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FactKind {
    /// See [`FactBody::Role`].
    Role,
    /// See [`FactBody::Membership`].
    Membership,
    /// See [`FactBody::Treaty`].
    Treaty,
    /// See [`FactBody::Sanction`].
    Sanction,
    /// See [`FactBody::Statement`].
    Statement,
    /// See [`FactBody::Event`].
    Event,
}

impl FactKind {
    /// How many kinds there are.
    pub const COUNT: usize = 6;

    /// Every kind.
    pub const ALL: [FactKind; FactKind::COUNT] = [
        FactKind::Role,
        FactKind::Membership,
        FactKind::Treaty,
        FactKind::Sanction,
        FactKind::Statement,
        FactKind::Event,
    ];

    /// The record name.
    pub fn as_str(self) -> &'static str {
        match self {
            FactKind::Role => "Role",
            FactKind::Membership => "Membership",
            FactKind::Treaty => "Treaty",
            FactKind::Sanction => "Sanction",
            FactKind::Statement => "Statement",
            FactKind::Event => "Event",
        }
    }
}

/// What the data says it covers: facts of these kinds over this period, complete (every such
/// fact is meant to be there) or a sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// The kinds of fact.
    pub kinds: Vec<FactKind>,
    /// The period, `[from, until)`; an open end means no limit.
    pub period: Interval,
    /// Whether every such fact is meant to be in the data (else: a sample).
    pub complete: bool,
    /// What it covers, in words (whose facts, from which sources).
    pub note: Option<String>,
    /// Where it was written.
    pub origin: Origin,
}

/// A dated fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// Unique id (given, or derived for roles and memberships).
    pub id: String,
    /// Whether the id was derived: a role or membership written without one.
    pub id_derived: bool,
    /// When it holds.
    pub when: When,
    /// Other readings of its dates.
    pub disputed: Vec<Reading>,
    /// What it says.
    pub body: FactBody,
    /// Its sources.
    pub sources: Vec<Source>,
    /// Free text.
    pub note: Option<String>,
    /// Where it was written.
    pub origin: Origin,
}

impl Fact {
    /// Its kind.
    pub fn kind(&self) -> FactKind {
        match self.body {
            FactBody::Role { .. } => FactKind::Role,
            FactBody::Membership { .. } => FactKind::Membership,
            FactBody::Treaty { .. } => FactKind::Treaty,
            FactBody::Sanction { .. } => FactKind::Sanction,
            FactBody::Statement { .. } => FactKind::Statement,
            FactBody::Event { .. } => FactKind::Event,
        }
    }

    /// Every date the fact names, in any field: its own dates and every reading's, and for a
    /// treaty its signature, entry into force and end, and each party's dates, signature and
    /// readings. Every change a timeline or a diff can list is dated by one of them.
    pub fn dates(&self) -> Vec<Date> {
        let mut out = Vec::new();
        self.each_date(|d| out.push(d));
        out
    }

    /// Calls `f` with every date [`Fact::dates`] lists, without gathering them.
    pub fn each_date(&self, mut f: impl FnMut(Date)) {
        let span = |i: &Interval, f: &mut dyn FnMut(Date)| {
            i.from.into_iter().chain(i.until).for_each(&mut *f);
        };
        let readings = |rs: &[Reading], f: &mut dyn FnMut(Date)| {
            for r in rs {
                span(&r.interval, f);
                r.signed.into_iter().for_each(&mut *f);
            }
        };
        match &self.when {
            When::On(d) => f(*d),
            When::Span(i) => span(i, &mut f),
        }
        readings(&self.disputed, &mut f);
        if let FactBody::Treaty {
            signed,
            in_force,
            ended,
            parties,
            ..
        } = &self.body
        {
            signed
                .iter()
                .chain(in_force)
                .chain(ended)
                .copied()
                .for_each(&mut f);
            for p in parties {
                span(&p.interval, &mut f);
                p.signed.into_iter().for_each(&mut f);
                readings(&p.disputed, &mut f);
            }
        }
    }

    /// Every entity id the fact names, with the field that names it, in written order.
    pub fn references(&self) -> Vec<(&'static str, &str)> {
        let mut out: Vec<(&'static str, &str)> = Vec::new();
        match &self.body {
            FactBody::Role { person, of, .. } => {
                out.push(("person", person));
                out.push(("of", of));
            }
            FactBody::Membership { member, of } => {
                out.push(("member", member));
                out.push(("of", of));
            }
            FactBody::Treaty {
                organization,
                parties,
                ..
            } => {
                if let Some(o) = organization {
                    out.push(("organization", o));
                }
                out.extend(parties.iter().map(|p| ("state", p.state.as_str())));
            }
            FactBody::Sanction { by, against, .. } => {
                out.push(("by", by));
                out.extend(against.iter().map(|a| ("against", a.as_str())));
            }
            FactBody::Statement {
                by,
                on_behalf_of,
                about,
                ..
            } => {
                out.push(("by", by));
                if let Some(o) = on_behalf_of {
                    out.push(("on_behalf_of", o));
                }
                out.extend(about.iter().map(|a| ("about", a.as_str())));
            }
            FactBody::Event { involves, .. } => {
                out.extend(involves.iter().map(|a| ("involves", a.as_str())));
            }
        }
        out
    }

    /// The fact without where it was written (its parties' and readings' places too): what it
    /// says, as a cache keeps it, and as two versions of the data are compared.
    pub fn without_origins(mut self) -> Fact {
        self.origin = Origin::default();
        let clear =
            |rs: &mut Vec<Reading>| rs.iter_mut().for_each(|r| r.origin = Origin::default());
        clear(&mut self.disputed);
        if let FactBody::Treaty { parties, .. } = &mut self.body {
            for p in parties {
                p.origin = Origin::default();
                clear(&mut p.disputed);
            }
        }
        self
    }

    /// A one-line description for tables, e.g. `Membership of POL in EU`.
    pub fn title(&self) -> String {
        Title(self).to_string()
    }

    /// The earliest date the fact names (for sorting and date ranges).
    pub fn start_date(&self) -> Option<Date> {
        match self.when {
            When::Span(i) => i.from,
            When::On(d) => Some(d),
        }
    }
}

/// A fact's one-line title ([`Fact::title`]), written only when it is shown or serialized: a
/// long answer need not hold a copy of each.
#[derive(Clone, Copy)]
pub struct Title<'f>(pub &'f Fact);

/// Titles are equal when they read the same (wherever their facts were read from).
impl PartialEq for Title<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl fmt::Debug for Title<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Title").field(&self.to_string()).finish()
    }
}

impl fmt::Display for Title<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.body {
            FactBody::Role { person, of, title } => write!(f, "{person}: {title} ({of})"),
            FactBody::Membership { member, of } => write!(f, "{member} member of {of}"),
            FactBody::Treaty { name, .. } => f.write_str(name),
            FactBody::Sanction { by, against, .. } => {
                write!(f, "sanctions by {by} against {}", against.join(", "))
            }
            FactBody::Statement { by, quote, .. } => write!(f, "{by}: \u{201c}{quote}\u{201d}"),
            FactBody::Event { name, .. } => f.write_str(name),
        }
    }
}

impl Serialize for Title<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
