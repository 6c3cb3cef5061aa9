//! `show ID [--on D]`: one entity with every fact tied to it, or one fact with everything in it.

use std::borrow::Cow;

use serde::Serialize;

use super::FactRef;
use super::texts::Texts;
use crate::model::{Certainty, Date, Entity, Fact, FactBody, Interval, Source, When, Window};
use crate::store::{Read, Slot, Store};

/// What `show` answers.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Shown<'f> {
    /// An entity.
    Entity(EntityView<'f>),
    /// A fact.
    Fact(Box<FactView<'f>>),
}

/// An entity and its facts.
#[derive(Serialize)]
pub struct EntityView<'f> {
    /// Id.
    pub id: String,
    /// `State`, `Organization` or `Person`.
    pub kind: &'static str,
    /// Name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// COW code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cow: Option<u32>,
    /// Organization kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_kind: Option<String>,
    /// Start of existence.
    pub from: Option<Date>,
    /// End of existence.
    pub until: Option<Date>,
    /// Whether it existed on the date asked about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certainty: Option<Certainty>,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Facts tied to it, by date.
    pub facts: Vec<TiedFact<'f>>,
}

/// A fact tied to the entity shown, as a row: the fact's number, the treaty party entry it is
/// seen through, how the entity is tied to it and whether it holds on the date asked about.
/// Small (a hub is tied to hundreds of thousands of facts); the row's fields are read from the
/// fact in the store as the row is written ([`TiedFact::with_ref`]).
#[derive(Clone)]
pub struct TiedFact<'f> {
    store: &'f dyn Store,
    fact: usize,
    party: Option<usize>,
    tie: Cow<'static, str>,
    certainty: Option<Certainty>,
}

impl TiedFact<'_> {
    /// Calls `f` with the row, made from the fact.
    pub fn with_ref<R>(&self, f: impl FnOnce(&FactRef<'_>) -> R) -> R {
        let fact = self.store.fact_again(self.fact);
        f(&self.row(&fact))
    }

    /// The row of this tie to `fact` (the fact at its place).
    fn row<'a>(&self, fact: &'a Fact) -> FactRef<'a> {
        let mut row = match self.party.and_then(|k| fact.parties().get(k)) {
            Some(p) => FactRef::of_party(fact, p),
            None => FactRef::of(fact),
        };
        row.tie = Some(self.tie.clone());
        row.certainty = self.certainty;
        row
    }
}

impl Serialize for TiedFact<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.with_ref(|r| r.serialize(s))
    }
}

/// A named entity in a fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// How it takes part.
    pub tie: &'static str,
    /// Its own start (treaty parties).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// Its own end (treaty parties).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// Its signature (treaty parties).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed: Option<Date>,
    /// Whether it is bound on the date asked about (treaty parties).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certainty: Option<Certainty>,
    /// Other readings of its dates, as `from..until` texts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disputed: Vec<String>,
}

/// Another reading of a fact's dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadingView {
    /// Start.
    pub from: Option<Date>,
    /// End.
    pub until: Option<Date>,
    /// Note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who says so.
    pub sources: Vec<Source>,
}

/// A fact in full.
pub struct FactView<'f> {
    /// The fact.
    fact: Cow<'f, Fact>,
    /// Whether it holds on the date asked about, when one was.
    certainty: Option<Certainty>,
    /// The kind-specific fields, as label and text, in a fixed order.
    pub details: Vec<(&'static str, String)>,
    /// The entities it ties.
    pub entities: Vec<Member>,
    /// Other readings of its dates.
    pub readings: Vec<ReadingView>,
    /// Free text.
    pub note: Option<String>,
}

impl FactView<'_> {
    /// The fact's own sources.
    pub fn sources(&self) -> &[Source] {
        &self.fact.sources
    }

    /// Id, kind, title, dates and sources, with the certainty on the date asked about.
    pub fn fact(&self) -> FactRef<'_> {
        let f: &Fact = &self.fact;
        let mut r = FactRef::of(f);
        r.certainty = self.certainty;
        if let When::On(_) = f.when {
            r.from = None;
        }
        r
    }
}

/// Serialized as its fact's fields, then the details, entities, readings and note.
impl Serialize for FactView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Out<'a> {
            #[serde(flatten)]
            fact: FactRef<'a>,
            details: &'a [(&'static str, String)],
            entities: &'a [Member],
            readings: &'a [ReadingView],
            #[serde(skip_serializing_if = "Option::is_none")]
            note: &'a Option<String>,
        }
        Out {
            fact: self.fact(),
            details: &self.details,
            entities: &self.entities,
            readings: &self.readings,
            note: &self.note,
        }
        .serialize(s)
    }
}

fn interval_text(i: Interval) -> String {
    let show = |d: Option<Date>| d.map_or_else(String::new, |d| d.to_string());
    format!("{}..{}", show(i.from), show(i.until))
}

/// What a disputed reading of a party's dates says, where it differs: `until 1999-04-20`,
/// `signed 1992-05-15`.
fn reading_text(r: &crate::model::Reading, p: &crate::model::Party) -> String {
    let mut parts = Vec::new();
    if r.interval.from != p.interval.from
        && let Some(d) = r.interval.from
    {
        parts.push(format!("from {d}"));
    }
    if r.interval.until != p.interval.until
        && let Some(d) = r.interval.until
    {
        parts.push(format!("until {d}"));
    }
    if let Some(d) = r.signed {
        parts.push(format!("signed {d}"));
    }
    if parts.is_empty() {
        interval_text(r.interval)
    } else {
        parts.join(", ")
    }
}

/// How entity `id` is tied to fact `f`: one entry per tie (a state listed twice in a treaty
/// appears twice), with the party's place among the treaty's parties when it is one.
fn ties(f: &Fact, id: &str) -> Vec<(&'static str, Option<usize>)> {
    let is = |x: &str| x.eq_ignore_ascii_case(id);
    let mut out = Vec::new();
    match &f.body {
        FactBody::Role { person, of, .. } => {
            if is(person) {
                out.push(("holds role", None));
            }
            if is(of) {
                out.push(("role in", None));
            }
        }
        FactBody::Membership { member, of } => {
            if is(member) {
                out.push(("member", None));
            }
            if is(of) {
                out.push(("has member", None));
            }
        }
        FactBody::Treaty {
            organization,
            parties,
            ..
        } => {
            if organization.as_deref().is_some_and(is) {
                out.push(("organization", None));
            }
            for (k, _) in parties.iter().enumerate().filter(|(_, p)| is(&p.state)) {
                out.push(("party", Some(k)));
            }
        }
        FactBody::Sanction { by, against, .. } => {
            if is(by) {
                out.push(("sender", None));
            }
            if against.iter().any(|a| is(a)) {
                out.push(("target", None));
            }
        }
        FactBody::Statement {
            by,
            on_behalf_of,
            about,
            ..
        } => {
            if is(by) {
                out.push(("speaker", None));
            }
            if on_behalf_of.as_deref().is_some_and(is) {
                out.push(("spoken for", None));
            }
            if about.iter().any(|a| is(a)) {
                out.push(("subject", None));
            }
        }
        FactBody::Event { involves, .. } => {
            if involves.iter().any(|a| is(a)) {
                out.push(("involved", None));
            }
        }
    }
    out
}

/// Shows entity number `entity`: every fact tied to it, or with `on` only those that held
/// that day, each with its certainty.
pub fn show_entity(store: &dyn Store, entity: usize, on: Option<Date>) -> Read<Shown<'_>> {
    let w = on.map(Window::of);
    // On a date, only the facts that can hold then (from the interval index): a fact it
    // leaves out has no tie that holds, so no row.
    let candidates = match w {
        Some(w) => store.tied(entity, &Slot::ALL, w)?,
        None => store.named(entity)?,
    };
    Ok(Shown::Entity(entity_view(store, entity, candidates, w)?))
}

/// Shows fact number `fact` in full; with `on`, with whether it and each party held that day.
pub fn show_fact(store: &dyn Store, fact: usize, on: Option<Date>) -> Read<Shown<'_>> {
    let f = store.fact(fact)?;
    Ok(Shown::Fact(Box::new(fact_view(
        store,
        f,
        on.map(Window::of),
    ))))
}

/// Entity number `entity` with its ties to the facts numbered `candidates`, by date then id.
fn entity_view<'a>(
    store: &'a dyn Store,
    entity: usize,
    candidates: Vec<usize>,
    w: Option<Window>,
) -> Read<EntityView<'a>> {
    let e: &Entity = store.entity_at(entity);
    // Each row, with the date it sorts by; the facts' ids kept apart to sort by.
    let mut rows: Vec<(Option<Date>, TiedFact<'a>)> = Vec::new();
    let mut ids = Texts::default();
    for k in candidates {
        let f = store.fact(k)?;
        // One row per treaty party entry (each has its own dates); other ties of one fact
        // share a row.
        let mut plain: Vec<&str> = Vec::new();
        let mut add = |party: Option<usize>, tie: Cow<'static, str>, certainty| {
            let row = TiedFact {
                store,
                fact: k,
                party,
                tie,
                certainty,
            };
            let date = {
                let r = row.row(&f);
                r.from.or(r.on)
            };
            rows.push((date, row));
            ids.push(&f.id, "");
        };
        for (tie, party) in ties(&f, &e.id) {
            match (party.and_then(|p| f.parties().get(p)), f.interval()) {
                (Some(p), Some(treaty)) => {
                    let status = w.map(|w| p.status(treaty, w));
                    if status != Some(Certainty::No) {
                        add(party, tie.into(), status);
                    }
                }
                _ => plain.push(tie),
            }
        }
        if plain.is_empty() {
            continue;
        }
        let status = w.map(|w| f.status(w));
        if status == Some(Certainty::No) {
            continue;
        }
        let tie = match plain[..] {
            [one] => one.into(),
            _ => plain.join(", ").into(),
        };
        add(None, tie, status);
    }
    // By date, then id, then tie; rows equal in all three (a state listed twice in a treaty
    // with the same dates) in the order found.
    let number = ids.number_by_id();
    let mut keyed: Vec<(Option<Date>, u32, usize, TiedFact<'a>)> = rows
        .into_iter()
        .zip(number)
        .enumerate()
        .map(|(seq, ((date, row), n))| (date, n, seq, row))
        .collect();
    keyed.sort_unstable_by(|a, b| (a.0, a.1, &a.3.tie, a.2).cmp(&(b.0, b.1, &b.3.tie, b.2)));
    Ok(EntityView {
        id: e.id.clone(),
        kind: e.kind.as_str(),
        name: e.name.clone(),
        aliases: e.aliases.clone(),
        cow: e.cow,
        organization_kind: e.org_kind.map(|k| k.as_str().to_string()),
        from: e.existence.from,
        until: e.existence.until,
        certainty: w.map(|w| e.existence.status(w)),
        note: e.note.clone(),
        facts: keyed.into_iter().map(|(_, _, _, row)| row).collect(),
    })
}

fn fact_view<'d>(store: &dyn Store, fact: Cow<'d, Fact>, w: Option<Window>) -> FactView<'d> {
    let f: &Fact = &fact;
    let name_of = |id: &str| {
        store
            .entity(id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    };
    let member = |id: &str, tie| Member {
        id: id.to_string(),
        name: name_of(id),
        tie,
        from: None,
        until: None,
        signed: None,
        certainty: None,
        disputed: Vec::new(),
    };
    let mut details: Vec<(&'static str, String)> = Vec::new();
    let mut entities = Vec::new();
    match &f.body {
        FactBody::Role { person, of, title } => {
            details.push(("title", title.clone()));
            entities.push(member(person, "holds role"));
            entities.push(member(of, "role in"));
        }
        FactBody::Membership { member: m, of } => {
            entities.push(member(m, "member"));
            entities.push(member(of, "organization"));
        }
        FactBody::Treaty {
            name,
            aliases,
            kind,
            signed,
            in_force,
            ended,
            organization,
            parties,
        } => {
            details.push(("name", name.clone()));
            if !aliases.is_empty() {
                details.push(("aliases", aliases.join("; ")));
            }
            let alliance = if kind.is_alliance() {
                " (an alliance)"
            } else {
                ""
            };
            details.push(("kind", format!("{kind}{alliance}")));
            for (label, d) in [("signed", signed), ("in force", in_force), ("ended", ended)] {
                if let Some(d) = d {
                    details.push((label, d.to_string()));
                }
            }
            if let Some(o) = organization {
                entities.push(member(o, "organization"));
            }
            let treaty = f.interval().unwrap_or_default();
            for p in parties {
                let mut m = member(&p.state, "party");
                m.from = p.interval.from;
                m.until = p.interval.until;
                m.signed = p.signed;
                m.certainty = w.map(|w| p.status(treaty, w));
                m.disputed = p.disputed.iter().map(|r| reading_text(r, p)).collect();
                entities.push(m);
            }
        }
        FactBody::Sanction {
            by,
            against,
            measures,
            legal_act,
            program,
        } => {
            details.push((
                "measures",
                measures
                    .iter()
                    .map(|m| m.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
            if let Some(l) = legal_act {
                details.push(("legal act", l.clone()));
            }
            if let Some(p) = program {
                details.push(("program", p.clone()));
            }
            entities.push(member(by, "sender"));
            entities.extend(against.iter().map(|a| member(a, "target")));
        }
        FactBody::Statement {
            by,
            on_behalf_of,
            about,
            quote,
            stance,
        } => {
            details.push(("quote", quote.clone()));
            details.push(("stance", stance.to_string()));
            entities.push(member(by, "speaker"));
            if let Some(b) = on_behalf_of {
                entities.push(member(b, "spoken for"));
            }
            entities.extend(about.iter().map(|a| member(a, "subject")));
        }
        FactBody::Event {
            name,
            kind,
            involves,
            summary,
        } => {
            details.push(("name", name.clone()));
            details.push(("kind", kind.to_string()));
            if let Some(s) = summary {
                details.push(("summary", s.clone()));
            }
            entities.extend(involves.iter().map(|a| member(a, "involved")));
        }
    }
    let certainty = w.map(|w| f.status(w));
    let readings = f
        .disputed
        .iter()
        .map(|r| ReadingView {
            from: r.interval.from,
            until: r.interval.until,
            note: r.note.clone(),
            sources: r.sources.clone(),
        })
        .collect();
    let note = f.note.clone();
    FactView {
        fact,
        certainty,
        details,
        entities,
        readings,
        note,
    }
}
