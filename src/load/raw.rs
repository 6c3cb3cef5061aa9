//! The file format as serde structs: exactly what a curator writes, with dates still text and
//! references still ids. Unknown fields are refused.

use serde::Deserialize;

use crate::model::{EventKind, FactKind, Measure, OrgKind, SourceKind, Stance, TreatyKind};

/// One record of a data file.
#[derive(Debug, Clone, Deserialize)]
#[allow(missing_docs)]
pub enum RawRecord {
    State(RawState),
    Organization(RawOrganization),
    Person(RawPerson),
    Role(RawRole),
    Membership(RawMembership),
    Treaty(RawTreaty),
    Sanction(RawSanction),
    Statement(RawStatement),
    Event(RawEvent),
    Coverage(RawCoverage),
}

/// The record kinds, as written.
pub const RECORD_KINDS: &[&str] = &[
    "State",
    "Organization",
    "Person",
    "Role",
    "Membership",
    "Treaty",
    "Sanction",
    "Statement",
    "Event",
    "Coverage",
];

/// `Coverage(...)`: what the data says it covers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawCoverage {
    pub kinds: Vec<FactKind>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default = "complete_by_default")]
    pub complete: bool,
    #[serde(default)]
    pub note: Option<String>,
}

fn complete_by_default() -> bool {
    true
}

/// `State(...)`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawState {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub cow: Option<u32>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `Organization(...)`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawOrganization {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub kind: OrgKind,
    #[serde(default)]
    pub founded: Option<String>,
    #[serde(default)]
    pub dissolved: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `Person(...)`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawPerson {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub born: Option<String>,
    #[serde(default)]
    pub died: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `Source(...)`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Source")]
#[allow(missing_docs)]
pub struct RawSource {
    pub title: String,
    pub url: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub kind: Option<SourceKind>,
}

/// `Reading(...)`: another reading of disputed dates.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Reading")]
#[allow(missing_docs)]
pub struct RawReading {
    #[serde(default)]
    pub signed: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `Role(...)`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawRole {
    #[serde(default)]
    pub id: Option<String>,
    pub person: String,
    pub of: String,
    pub title: String,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub disputed: Vec<RawReading>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `Membership(...)`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawMembership {
    #[serde(default)]
    pub id: Option<String>,
    pub member: String,
    pub of: String,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub disputed: Vec<RawReading>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `Party(...)` inside a treaty.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Party")]
#[allow(missing_docs)]
pub struct RawParty {
    pub state: String,
    #[serde(default)]
    pub signed: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub disputed: Vec<RawReading>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `Treaty(...)`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawTreaty {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub kind: TreatyKind,
    #[serde(default)]
    pub signed: Option<String>,
    #[serde(default)]
    pub in_force: Option<String>,
    #[serde(default)]
    pub ended: Option<String>,
    #[serde(default)]
    pub organization: Option<String>,
    pub parties: Vec<RawParty>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `Sanction(...)`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawSanction {
    pub id: String,
    pub by: String,
    pub against: Vec<String>,
    pub measures: Vec<Measure>,
    pub from: String,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub legal_act: Option<String>,
    #[serde(default)]
    pub program: Option<String>,
    #[serde(default)]
    pub disputed: Vec<RawReading>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `Statement(...)`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawStatement {
    pub id: String,
    pub by: String,
    #[serde(default)]
    pub on_behalf_of: Option<String>,
    pub about: Vec<String>,
    #[serde(default)]
    pub on: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    pub quote: String,
    pub stance: Stance,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `Event(...)`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawEvent {
    pub id: String,
    pub name: String,
    pub kind: EventKind,
    #[serde(default)]
    pub on: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    pub involves: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The RON options every data file is read with: `Some(...)` may be left out around optional
/// values, and nesting is bounded.
pub fn options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(
            ron::extensions::Extensions::IMPLICIT_SOME
                | ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES,
        )
        .with_recursion_limit(super::outline::MAX_DEPTH)
}
