//! Timelines of dated changes (a fact starts, ends, or happens on a date), shared by `timeline`
//! (one entity), `relations` (what ties two entities) and `diff` (what changed between two
//! dates).
//!
//! A lasting fact gives a start entry at `from` and an end entry at `until` (an open end gives
//! none); a point fact (`on`) gives a point entry. A treaty gives its signature (a point, when it
//! entered into force later), its own start (`in_force`, else `signed`) and end, and each party's
//! own joining, leaving and signing where they differ from the treaty's.
//!
//! An entry's certainty says whether its date falls within the days asked about: certain when
//! every day the date can mean lies within, possible when only some do. It is possible, too,
//! when sources disagree on the date (`disputed`: the other dates are listed, and the entry is
//! kept when any of them can fall within) or when the link it stands for held only possibly
//! then (a speaker's role).

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use super::diff::Changes;
use super::order::sort_in_place;
use crate::model::date::DayNumber;
use crate::model::interval::{earlier_end, happened_within, later_start};
use crate::model::{
    Certainty, Date, Fact, FactBody, FactKind, Interval, Party, Source, Title, When, Window,
};
use crate::store::{Read, Slot, Store};

/// What kind of change an entry is. Ordered as entries of one day are: starts, then point facts,
/// then ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// A fact (or a party's part in it) begins to hold.
    Start,
    /// A fact happens on the date (a statement, an event, a signature).
    Point,
    /// A fact (or a party's part in it) stops holding: the date is its `until`, the first day
    /// it no longer holds.
    End,
}

impl Change {
    /// `start`, `point` or `end`.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Start => "start",
            Change::Point => "point",
            Change::End => "end",
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What changed, in a few words: most are the same few words, held once.
pub type Detail = Cow<'static, str>;

/// One dated change of one fact, borrowing what it can from the fact (a timeline of a hub
/// may hold hundreds of thousands of entries).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry<'f> {
    /// When it changed.
    pub date: Date,
    /// Start, end or point.
    pub change: Change,
    /// The fact's id.
    pub id: &'f str,
    /// The fact's kind (`Treaty`, `Sanction`, ...).
    pub kind: FactKind,
    /// One line saying what the fact is (written when shown).
    pub title: Title<'f>,
    /// The treaty party whose own joining, leaving or signing this is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<&'f str>,
    /// What changed, in a few words (`enters into force`, `UZB leaves`, `both members of EU`).
    pub detail: Detail,
    /// Whether the change falls within the days asked about (see the module doc).
    pub certainty: Certainty,
    /// Start of the period the entry is about (the fact's, a party's, or a pair's overlap).
    pub from: Option<Date>,
    /// End (exclusive) of that period.
    pub until: Option<Date>,
    /// The date of a point fact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<Date>,
    /// Other dates sources give for this change (disputed readings).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_dates: Vec<Date>,
    /// The fact's sources (and a party's own, for a party's change).
    pub sources: Cow<'f, [Source]>,
}

impl Entry<'static> {
    /// An entry of no fact, for one that cannot be read again (see
    /// [`Store::fact_again`]).
    pub(super) fn blank() -> Entry<'static> {
        static BLANK: std::sync::OnceLock<Fact> = std::sync::OnceLock::new();
        let fact = BLANK.get_or_init(crate::store::blank_fact);
        Entry {
            date: Date::year(0),
            change: Change::Point,
            id: "",
            kind: FactKind::Event,
            title: Title(fact),
            party: None,
            detail: Detail::Borrowed(""),
            certainty: Certainty::No,
            from: None,
            until: None,
            on: None,
            other_dates: Vec::new(),
            sources: Cow::Borrowed(&[]),
        }
    }
}

/// A change before it is checked against the window.
struct Draft<'f> {
    fact: &'f Fact,
    date: Date,
    others: Vec<Date>,
    /// The fact's own reading has no such date; one of the other readings gives it.
    reading_only: bool,
    change: Change,
    party: Option<&'f str>,
    detail: Detail,
    /// The period the entry is about (the fact's, a party's, or a pair's overlap).
    period: When,
    extra_sources: &'f [Source],
    cap: Certainty,
}

/// The date of a change: the main reading's, with the other readings' dates; or, where the main
/// reading has none (an open end), the earliest date another reading gives.
fn dated(own: Option<Date>, readings: impl Iterator<Item = Option<Date>>) -> Option<Dated> {
    let mut others: Vec<Date> = readings.flatten().filter(|r| Some(*r) != own).collect();
    others.sort();
    others.dedup();
    match own {
        Some(date) => Some(Dated {
            date,
            others,
            reading_only: false,
        }),
        None if others.is_empty() => None,
        None => {
            let date = others.remove(0);
            Some(Dated {
                date,
                others,
                reading_only: true,
            })
        }
    }
}

struct Dated {
    date: Date,
    others: Vec<Date>,
    reading_only: bool,
}

fn is(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

impl<'f> Draft<'f> {
    fn new(
        fact: &'f Fact,
        d: Dated,
        change: Change,
        detail: impl Into<Detail>,
        period: When,
    ) -> Self {
        Draft {
            fact,
            date: d.date,
            others: d.others,
            reading_only: d.reading_only,
            change,
            party: None,
            detail: detail.into(),
            period,
            extra_sources: &[],
            cap: Certainty::Certain,
        }
    }

    fn plain(
        fact: &'f Fact,
        date: Date,
        change: Change,
        detail: impl Into<Detail>,
        period: When,
    ) -> Self {
        let d = Dated {
            date,
            others: Vec::new(),
            reading_only: false,
        };
        Draft::new(fact, d, change, detail, period)
    }

    fn party(mut self, p: &'f Party) -> Self {
        self.party = Some(&p.state);
        self.extra_sources = &p.sources;
        self
    }

    fn finish(self, w: Window) -> Option<Entry<'f>> {
        // Kept when its date, or another reading's, can fall within the window; a disputed
        // date is at best possible.
        let mut certainty = happened_within(self.date, w);
        if !self.others.is_empty() || self.reading_only {
            let other = self.others.iter().any(|&o| happened_within(o, w).holds());
            if certainty.holds() || other {
                certainty = Certainty::Possible;
            }
        }
        if !certainty.holds() {
            return None;
        }
        certainty = certainty.min(self.cap);
        let mut detail = self.detail;
        if self.reading_only {
            detail.to_mut().push_str(" (by one reading)");
        }
        let own = &self.fact.sources;
        let extra = |s: &&Source| !own.iter().any(|x| x.url == s.url);
        let sources = if self.extra_sources.iter().any(|s| extra(&s)) {
            let mut all = own.clone();
            for s in self.extra_sources {
                if !all.iter().any(|x| x.url == s.url) {
                    all.push(s.clone());
                }
            }
            Cow::Owned(all)
        } else {
            Cow::Borrowed(own.as_slice())
        };
        let (from, until, on) = self.period.columns();
        Some(Entry {
            date: self.date,
            change: self.change,
            id: &self.fact.id,
            kind: self.fact.kind(),
            title: Title(self.fact),
            party: self.party,
            detail,
            certainty,
            from,
            until,
            on,
            other_dates: self.others,
            sources,
        })
    }
}

/// Which parties of a treaty get entries of their own.
#[derive(Debug, Clone, Copy)]
pub(super) enum Parties<'a> {
    /// Every party.
    All,
    /// The parties of this state (one state may be listed more than once).
    Of(&'a str),
}

/// What a point fact is, in a few words.
fn point_detail(f: &Fact) -> Detail {
    match &f.body {
        FactBody::Statement {
            by,
            stance,
            on_behalf_of,
            ..
        } => match on_behalf_of {
            Some(o) if !is(o, by) => format!("{stance}; for {o}").into(),
            _ => stance.as_str().into(),
        },
        FactBody::Event { kind, .. } => kind.as_str().into(),
        _ => "".into(),
    }
}

/// What the start or end of a lasting fact is, in a few words.
fn span_detail(f: &Fact, change: Change) -> Detail {
    let start = change == Change::Start;
    match &f.body {
        FactBody::Role { .. } => if start { "role begins" } else { "role ends" }.into(),
        FactBody::Membership { member, of } => {
            format!("{member} {} {of}", if start { "joins" } else { "leaves" }).into()
        }
        FactBody::Treaty { in_force, .. } => match (start, in_force) {
            (true, Some(_)) => "enters into force".into(),
            (true, None) => "signed, in force from signature".into(),
            (false, _) => "ends".into(),
        },
        FactBody::Sanction { .. } => if start { "imposed" } else { "lifted" }.into(),
        FactBody::Statement { .. } => {
            let p = point_detail(f);
            format!("{p}; {}", if start { "begins" } else { "ends" }).into()
        }
        FactBody::Event { kind, .. } => {
            format!("{kind} {}", if start { "begins" } else { "ends" }).into()
        }
    }
}

/// The entries of one fact: its own start and end (or its date), and for a treaty its
/// signature and the chosen parties' own changes. Seen from one state, a treaty's signature and
/// start count only where the state was bound from the start, and its end only where the state
/// was still bound at the end: a state that joined later has its joining instead.
fn fact_drafts<'f>(f: &'f Fact, parties: Parties<'_>) -> Vec<Draft<'f>> {
    let mut out = Vec::new();
    let (at_start, at_end) = treaty_edges_shown(f, parties);
    match f.when {
        When::On(d) => out.push(Draft::plain(
            f,
            d,
            Change::Point,
            point_detail(f),
            When::On(d),
        )),
        When::Span(i) => {
            let period = When::Span(i);
            if let Some(d) = dated(i.from, f.disputed.iter().map(|r| r.interval.from))
                && at_start
            {
                let detail = span_detail(f, Change::Start);
                out.push(Draft::new(f, d, Change::Start, detail, period));
            }
            if let Some(d) = dated(i.until, f.disputed.iter().map(|r| r.interval.until))
                && at_end
            {
                let detail = span_detail(f, Change::End);
                out.push(Draft::new(f, d, Change::End, detail, period));
            }
        }
    }
    if let FactBody::Treaty {
        signed,
        in_force,
        parties: list,
        ..
    } = &f.body
    {
        let treaty = f.interval().unwrap_or_default();
        if let (Some(s), Some(_)) = (signed, in_force)
            && Some(*s) != treaty.from
            && at_start
        {
            let period = When::Span(treaty);
            out.push(Draft::plain(f, *s, Change::Point, "signed", period));
        }
        for p in list {
            if let Parties::Of(id) = parties
                && !is(&p.state, id)
            {
                continue;
            }
            out.extend(party_drafts(f, treaty, *signed, p));
        }
    }
    out
}

/// Whether a treaty's own start (and signature) and end belong in the entries: always, unless
/// seen from a state that is a party but was not bound at that edge.
fn treaty_edges_shown(f: &Fact, parties: Parties<'_>) -> (bool, bool) {
    let (Parties::Of(id), Some(treaty)) = (parties, f.interval()) else {
        return (true, true);
    };
    let mine: Vec<&Party> = f.parties().iter().filter(|p| is(&p.state, id)).collect();
    if mine.is_empty() {
        return (true, true);
    }
    let at = |own: Option<Date>, edge: Option<Date>| own.is_none_or(|d| Some(d) == edge);
    (
        mine.iter().any(|p| at(p.interval.from, treaty.from)),
        mine.iter().any(|p| at(p.interval.until, treaty.until)),
    )
}

/// A party's own bound period within its treaty's.
fn bound(treaty: Interval, p: &Party) -> Interval {
    Interval::new(
        p.interval.from.or(treaty.from),
        p.interval.until.or(treaty.until),
    )
}

/// A party's own joining, leaving and signing, where they differ from the treaty's.
fn party_drafts<'f>(
    f: &'f Fact,
    treaty: Interval,
    treaty_signed: Option<Date>,
    p: &'f Party,
) -> Vec<Draft<'f>> {
    let mut out = Vec::new();
    let period = When::Span(bound(treaty, p));
    let readings = || p.disputed.iter().map(|r| r.interval);
    let differs = |d: &Dated, treaty_date: Option<Date>| {
        Some(d.date) != treaty_date || !d.others.is_empty() || d.reading_only
    };
    if let Some(d) = dated(p.interval.from, readings().map(|r| r.from))
        && differs(&d, treaty.from)
    {
        let detail = format!("{} joins", p.state);
        out.push(Draft::new(f, d, Change::Start, detail, period).party(p));
    }
    if let Some(d) = dated(p.interval.until, readings().map(|r| r.until))
        && differs(&d, treaty.until)
    {
        let detail = format!("{} leaves", p.state);
        out.push(Draft::new(f, d, Change::End, detail, period).party(p));
    }
    if let Some(s) = p.signed
        && Some(s) != treaty_signed
    {
        let detail = format!("{} signs", p.state);
        out.push(Draft::plain(f, s, Change::Point, detail, period).party(p));
    }
    out
}

/// Sorts entries (by first day, then start/point/end, id, party) and drops repeats.
fn finish_all<'f>(drafts: impl IntoIterator<Item = Draft<'f>>, w: Window) -> Vec<Entry<'f>> {
    let mut out: Vec<Entry> = drafts.into_iter().filter_map(|d| d.finish(w)).collect();
    // Grown by doubling, the list may hold room for nearly as many entries again.
    out.shrink_to_fit();
    sort_in_place(&mut out, |a, b| sort_key(a).cmp(&sort_key(b)));
    out.dedup_by(|a, b| sort_key(a) == sort_key(b));
    out
}

/// The entries of fact `f` whose dates can fall within `w` (see [`fact_drafts`]), sorted and
/// without repeats as [`finish_all`] leaves them: the same fact gives the same list each time,
/// so that an entry can be found again by its place in it.
pub(super) fn fact_entries<'f>(f: &'f Fact, parties: Parties<'_>, w: Window) -> Vec<Entry<'f>> {
    let mut out: Vec<Entry> = fact_drafts(f, parties)
        .into_iter()
        .filter_map(|d| d.finish(w))
        .collect();
    out.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    out.dedup_by(|a, b| sort_key(a) == sort_key(b));
    out
}

type SortKey<'e> = (DayNumber, Change, &'e str, Option<&'e str>, Date, &'e str);

fn sort_key<'e>(e: &'e Entry<'_>) -> SortKey<'e> {
    (
        e.date.first(),
        e.change,
        e.id,
        e.party,
        e.date,
        e.detail.as_ref(),
    )
}

/// Every start, end and point entry of the facts tied to entity `entity` whose date can fall
/// within `from` through `to` (both inclusive, both optional). For a treaty: its signature,
/// start and end, and the entity's own party changes.
pub fn timeline(
    store: &dyn Store,
    entity: usize,
    from: Option<Date>,
    to: Option<Date>,
) -> Read<Changes<'_>> {
    let id = store.entity_at(entity).id.as_str();
    Changes::gather(
        store,
        store.named(entity)?,
        Window::between(from, to),
        Some(id),
    )
}

/// The facts the relations of two entities are read from, held for the entries to borrow:
/// the facts naming both, the memberships of each, and the statements about one made by a
/// person who held a role of the other.
pub struct PairFacts<'s> {
    a: usize,
    b: usize,
    facts: Vec<Cow<'s, Fact>>,
}

impl<'s> PairFacts<'s> {
    /// Reads the facts of entities `a` and `b` from `store`.
    pub fn read(store: &'s dyn Store, a: usize, b: usize) -> Read<PairFacts<'s>> {
        let named_a = store.named(a)?;
        let named_b = store.named(b)?;
        let mut numbers = intersect(&named_a, &named_b);
        for e in [a, b] {
            numbers.extend(store.tied(e, &[Slot::Member], Window::EVER)?);
        }
        // Statements about one by the people who held a role of the other.
        for (x, y) in [(a, b), (b, a)] {
            let about_y = store.tied(y, &[Slot::StatementAbout], Window::EVER)?;
            let mut people = Vec::new();
            for fi in store.tied(x, &[Slot::RoleOf], Window::EVER)? {
                if let FactBody::Role { person, .. } = &store.fact(fi)?.body
                    && let Some(p) = store.entity_of(person)
                {
                    people.push(p);
                }
            }
            people.sort_unstable();
            people.dedup();
            for p in people {
                let by_p = store.tied(p, &[Slot::StatementBy], Window::EVER)?;
                numbers.extend(intersect(&by_p, &about_y));
            }
        }
        numbers.sort_unstable();
        numbers.dedup();
        let facts = numbers
            .into_iter()
            .map(|n| store.fact(n))
            .collect::<Read<Vec<_>>>()?;
        Ok(PairFacts { a, b, facts })
    }
}

/// The numbers in both sorted lists.
fn intersect(x: &[usize], y: &[usize]) -> Vec<usize> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(x[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// The timeline of what ties entities `a` and `b`, with entries whose date can fall within
/// `from` through `to`:
///
/// - treaties both are parties to: when they became fellow parties (the later of their joins,
///   or the treaty's start) and when they stopped (the earlier of their leaves, or the treaty's
///   end), for each pair of their party entries (a state that left and rejoined has two);
/// - a treaty of one (an organization's) that the other is party to: its start and end and the
///   party's own changes;
/// - memberships and roles of one in the other;
/// - memberships of both in the same organization: when both were members, and when that
///   stopped (the entry names the membership that made the change);
/// - sanctions by one against the other;
/// - statements by one about the other: by it, on its behalf, or by a person who held a role of
///   it at the time (possible when the role only possibly held then);
/// - events involving both.
pub fn relations<'f>(
    store: &dyn Store,
    facts: &'f PairFacts<'_>,
    from: Option<Date>,
    to: Option<Date>,
) -> Read<Vec<Entry<'f>>> {
    let (ida, idb) = (
        store.entity_at(facts.a).id.as_str(),
        store.entity_at(facts.b).id.as_str(),
    );
    let pair = |x: &str, y: &str| (is(x, ida) && is(y, idb)) || (is(x, idb) && is(y, ida));
    let mut drafts = Vec::new();
    for f in &facts.facts {
        let f: &'f Fact = f;
        match &f.body {
            FactBody::Role { person, of, .. } if pair(person, of) => {
                drafts.extend(fact_drafts(f, Parties::All));
            }
            FactBody::Membership { member, of } if pair(member, of) => {
                drafts.extend(fact_drafts(f, Parties::All));
            }
            FactBody::Treaty {
                organization,
                parties,
                ..
            } => {
                let party_of = |id: &str| parties.iter().any(|p| is(&p.state, id));
                let org = organization.as_deref();
                if party_of(ida) && party_of(idb) {
                    drafts.extend(fellow_parties(f, ida, idb));
                } else if org.is_some_and(|o| is(o, ida)) && party_of(idb) {
                    drafts.extend(fact_drafts(f, Parties::Of(idb)));
                } else if org.is_some_and(|o| is(o, idb)) && party_of(ida) {
                    drafts.extend(fact_drafts(f, Parties::Of(ida)));
                }
            }
            FactBody::Sanction { by, against, .. } => {
                let targets = |id: &str| against.iter().any(|t| is(t, id));
                if (is(by, ida) && targets(idb)) || (is(by, idb) && targets(ida)) {
                    drafts.extend(fact_drafts(f, Parties::All));
                }
            }
            FactBody::Statement { about, stance, .. } => {
                let about_of = |id: &str| about.iter().any(|t| is(t, id));
                let said = [(ida, idb), (idb, ida)].into_iter().find_map(|(x, y)| {
                    if !about_of(y) {
                        return None;
                    }
                    speaker_for(store, f, x)
                        .transpose()
                        .map(|s| s.map(|s| (s, x, y)))
                });
                let said = said.transpose()?;
                if let Some((speaker, side, other)) = said {
                    let words = format!("{stance}; {} about {other}", speaker.describe(side));
                    for mut d in fact_drafts(f, Parties::All) {
                        d.detail = match d.change {
                            Change::Point => words.clone().into(),
                            Change::Start => format!("{words}; begins").into(),
                            Change::End => format!("{words}; ends").into(),
                        };
                        d.cap = speaker.certainty;
                        drafts.push(d);
                    }
                }
            }
            FactBody::Event { involves, .. } => {
                let involved = |id: &str| involves.iter().any(|t| is(t, id));
                if involved(ida) && involved(idb) {
                    drafts.extend(fact_drafts(f, Parties::All));
                }
            }
            _ => {}
        }
    }
    drafts.extend(shared_memberships(facts, ida, idb));
    Ok(finish_all(drafts, Window::between(from, to)))
}

/// Who spoke for a side: the side itself, someone on its behalf, or a person holding a role of
/// it when the statement was made.
struct Speaker<'f> {
    by: &'f str,
    for_side: bool,
    role: Option<String>,
    certainty: Certainty,
}

impl Speaker<'_> {
    fn describe(&self, side: &str) -> String {
        if is(self.by, side) {
            return side.to_string();
        }
        match (self.for_side, self.role.as_deref()) {
            (true, Some(t)) => format!("{} ({t}) for {side}", self.by),
            (true, None) => format!("{} for {side}", self.by),
            (false, Some(t)) if self.certainty == Certainty::Certain => {
                format!("{} ({t} of {side})", self.by)
            }
            (false, Some(t)) => format!("{} (possibly {t} of {side} then)", self.by),
            (false, None) => self.by.to_string(),
        }
    }
}

/// Whether statement `f` was made by `side`: by it, on its behalf, or by a person with a role
/// of it on the statement's date (its start, for a campaign of statements).
fn speaker_for<'f>(store: &dyn Store, f: &'f Fact, side: &str) -> Read<Option<Speaker<'f>>> {
    let FactBody::Statement {
        by, on_behalf_of, ..
    } = &f.body
    else {
        return Ok(None);
    };
    let when = match f.when {
        When::On(d) => Window::of(d),
        When::Span(i) => Window::between(i.from, i.from),
    };
    // The speaker's roles of the side at the time, best held first. Only the roles the
    // speaker holds that can hold then are looked at (the interval index's list of the
    // speaker as a role's person), not every fact naming the speaker: a speaker may have made
    // thousands of statements, and a state speaking for itself holds no role at all.
    let mut role: Option<(String, Certainty)> = None;
    if let Some(p) = store.entity_of(by) {
        for fi in store.tied(p, &[Slot::RolePerson], when)? {
            let r = store.fact(fi)?;
            if let FactBody::Role { person, of, title } = &r.body
                && is(person, by)
                && is(of, side)
            {
                let c = r.status(when);
                if c.holds() && role.as_ref().is_none_or(|(_, best)| c > *best) {
                    role = Some((title.clone(), c));
                }
            }
        }
    }
    let for_side = on_behalf_of.as_deref().is_some_and(|o| is(o, side));
    if is(by, side) || for_side {
        return Ok(Some(Speaker {
            by,
            for_side,
            role: role.map(|(t, _)| t),
            certainty: Certainty::Certain,
        }));
    }
    Ok(role.map(|(t, c)| Speaker {
        by,
        for_side: false,
        role: Some(t),
        certainty: c,
    }))
}

/// When states `a` and `b` were fellow parties of treaty `f`, for each pair of their party
/// entries: the start (the later join, or the treaty's start) and the end (the earlier leave, or
/// the treaty's end), and the treaty's signature when both were bound from the start.
fn fellow_parties<'f>(f: &'f Fact, a: &str, b: &str) -> Vec<Draft<'f>> {
    let mut out = Vec::new();
    let Some(treaty) = f.interval() else {
        return out;
    };
    let FactBody::Treaty {
        signed, in_force, ..
    } = &f.body
    else {
        return out;
    };
    let parties = f.parties();
    let of = |id: &str| -> Vec<&'f Party> { parties.iter().filter(|p| is(&p.state, id)).collect() };
    for &p in &of(a) {
        for &q in &of(b) {
            let (ip, iq) = (bound(treaty, p), bound(treaty, q));
            let both = Interval::new(
                later_start(ip.from, iq.from),
                earlier_end(ip.until, iq.until),
            );
            if !both.is_satisfiable() {
                continue;
            }
            let period = When::Span(both);
            // Who made the change: a party whose own date it is, else the treaty.
            let cause = |own: fn(&Party) -> Option<Date>, at: Option<Date>, treaty_at| {
                let mine = |x: &&Party| own(x).is_some() && own(x) == at && at != treaty_at;
                match (Some(p).filter(mine), Some(q).filter(mine)) {
                    (Some(x), None) | (None, Some(x)) => Ok(Some(x)),
                    (Some(_), Some(_)) => Err(()),
                    (None, None) => Ok(None),
                }
            };
            if let Some(start) = both.from {
                let d = match cause(|x| x.interval.from, both.from, treaty.from) {
                    Ok(Some(x)) => {
                        let dated =
                            dated(x.interval.from, x.disputed.iter().map(|r| r.interval.from));
                        let detail = format!("both parties ({} joins)", x.state);
                        dated.map(|dd| Draft::new(f, dd, Change::Start, detail, period).party(x))
                    }
                    Ok(None) => Some(Draft::plain(
                        f,
                        start,
                        Change::Start,
                        format!(
                            "both parties (treaty {})",
                            if in_force.is_some() {
                                "enters into force"
                            } else {
                                "signed"
                            }
                        ),
                        period,
                    )),
                    Err(()) => Some(Draft::plain(
                        f,
                        start,
                        Change::Start,
                        "both parties (both join)",
                        period,
                    )),
                };
                out.extend(d);
            }
            if let Some(end) = both.until {
                let d = match cause(|x| x.interval.until, both.until, treaty.until) {
                    Ok(Some(x)) => {
                        let dated = dated(
                            x.interval.until,
                            x.disputed.iter().map(|r| r.interval.until),
                        );
                        let detail = format!("no longer both parties ({} leaves)", x.state);
                        dated.map(|dd| Draft::new(f, dd, Change::End, detail, period).party(x))
                    }
                    Ok(None) => Some(Draft::plain(
                        f,
                        end,
                        Change::End,
                        "no longer both parties (treaty ends)",
                        period,
                    )),
                    Err(()) => Some(Draft::plain(
                        f,
                        end,
                        Change::End,
                        "no longer both parties (both leave)",
                        period,
                    )),
                };
                out.extend(d);
            }
            // The signature: when the later of the two signed (a party bound from the
            // treaty's start signed with it, unless it has its own date).
            let from_start = |x: &Party| x.interval.from.is_none_or(|d| Some(d) == treaty.from);
            let sig = |x: &Party| x.signed.or_else(|| signed.filter(|_| from_start(x)));
            if in_force.is_some()
                && let (Some(sp), Some(sq)) = (sig(p), sig(q))
                && Some(sp.max(sq)) != treaty.from
            {
                let at = sp.max(sq);
                let own = |x: &&Party| x.signed == Some(at) && x.signed != *signed;
                let (detail, party) = match (Some(p).filter(own), Some(q).filter(own)) {
                    (Some(x), None) | (None, Some(x)) => {
                        (format!("both signed ({} signs)", x.state), Some(x))
                    }
                    (Some(_), Some(_)) => ("both signed (both sign)".to_string(), None),
                    (None, None) => ("signed".to_string(), None),
                };
                let mut draft = Draft::plain(f, at, Change::Point, detail, period);
                if let Some(x) = party {
                    draft = draft.party(x);
                }
                out.push(draft);
            }
        }
    }
    out
}

/// When `a` and `b` were both members of the same organization (not one of them): the later
/// of their joins and the earlier of their leaves, each named by the membership that made it.
fn shared_memberships<'f>(facts: &'f PairFacts<'_>, ida: &str, idb: &str) -> Vec<Draft<'f>> {
    let memberships = |id: &str| {
        let id = id.to_string();
        facts.facts.iter().filter_map(move |f| {
            let f: &'f Fact = f;
            match &f.body {
                FactBody::Membership { member, of } if is(member, &id) => {
                    Some((f, of.as_str(), f.interval().unwrap_or_default()))
                }
                _ => None,
            }
        })
    };
    let mut out = Vec::new();
    // `b`'s memberships are gathered once: walking every fact naming `b` again for each of
    // `a`'s memberships cost their product (seconds for two heavy states).
    let of_b: Vec<_> = memberships(idb).collect();
    // A membership of one in the other is a tie of its own, not a shared one.
    for (fa, org, ia) in memberships(ida).filter(|(_, o, _)| !is(o, idb)) {
        for &(fb, _, ib) in of_b.iter().filter(|(_, o, _)| is(o, org)) {
            let both = Interval::new(
                later_start(ia.from, ib.from),
                earlier_end(ia.until, ib.until),
            );
            if !both.is_satisfiable() {
                continue;
            }
            let period = When::Span(both);
            if let Some(start) = both.from {
                // The later join made them both members; on a tie, both joined that day.
                let (cause, joined) = if ia.from == ib.from {
                    (fa, "both join".to_string())
                } else if ia.from == both.from {
                    (fa, format!("{ida} joins"))
                } else {
                    (fb, format!("{idb} joins"))
                };
                let readings = cause.disputed.iter().map(|r| r.interval.from);
                if let Some(d) = dated(Some(start), readings) {
                    let detail = format!("both members of {org} ({joined})");
                    out.push(Draft::new(cause, d, Change::Start, detail, period));
                }
            }
            if let Some(end) = both.until {
                let (cause, left) = if ia.until == ib.until {
                    (fa, "both leave".to_string())
                } else if ia.until == both.until {
                    (fa, format!("{ida} leaves"))
                } else {
                    (fb, format!("{idb} leaves"))
                };
                let readings = cause.disputed.iter().map(|r| r.interval.until);
                if let Some(d) = dated(Some(end), readings) {
                    let detail = format!("no longer both members of {org} ({left})");
                    out.push(Draft::new(cause, d, Change::End, detail, period));
                }
            }
        }
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::{Dataset, Target};
    use crate::store::MemoryStore;

    fn timeline<'d>(
        g: &'d MemoryStore,
        e: usize,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Vec<Entry<'d>> {
        super::timeline(g, e, from, to)
            .expect("reads")
            .entries_in(g.data())
    }

    fn relations(
        g: &MemoryStore,
        a: usize,
        b: usize,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Vec<Entry<'static>> {
        let read = PairFacts::read(g, a, b).expect("reads");
        // Held past this call with the entries that borrow them: leaked, in a test only.
        let facts: &'static PairFacts<'static> = Box::leak(Box::new(PairFacts {
            a,
            b,
            facts: read
                .facts
                .into_iter()
                .map(|f| Cow::Owned(f.into_owned()))
                .collect(),
        }));
        super::relations(g, facts, from, to).expect("reads")
    }

    const SRC: &str = r#"sources: [Source(title: "t", url: "https://example.org/t")]"#;

    /// A small world: a treaty with a state that leaves and rejoins (with a disputed end), a
    /// month-precise and a year-precise date, an open-ended sanction, two parallel facts
    /// between BLR and RUS, a statement by a person for RUS, and an event dated before one of
    /// the states it involves existed.
    pub(crate) fn world() -> Dataset {
        let text = format!(
            r#"[
            State(id: "RUS", name: "Russia"),
            State(id: "BLR", name: "Belarus", from: "1991-12-26"),
            State(id: "UZB", name: "Uzbekistan"),
            State(id: "POL", name: "Poland"),
            State(id: "LTU", name: "Lithuania"),
            State(id: "KAZ", name: "Kazakhstan"),
            Organization(id: "EU", name: "European Union", kind: Supranational),
            Organization(id: "CSTO", name: "CSTO", kind: Alliance),
            Person(id: "peskov", name: "Dmitry Peskov"),
            Person(id: "putin", name: "Vladimir Putin"),
            Role(person: "peskov", of: "RUS", title: "Press Secretary", from: "2012-05-22", {SRC}),
            Role(person: "putin", of: "RUS", title: "President", from: "2012", {SRC}),
            Treaty(id: "cst", name: "CST", kind: Defense, signed: "1992-05-15",
                in_force: "1994-04-20", organization: "CSTO",
                parties: [
                    Party(state: "RUS"), Party(state: "BLR", signed: "1993-12-31"),
                    Party(state: "UZB", until: "1999-04-02",
                          disputed: [Reading(until: "1999-04-20", {SRC})]),
                    Party(state: "UZB", from: "2006-08-16", until: "2012-12",
                          sources: [Source(title: "u", url: "https://example.org/u")]),
                    Party(state: "KAZ", from: "1995-03"),
                ],
                {SRC}),
            Treaty(id: "union", name: "Union State", kind: Union, signed: "1999-12-08",
                in_force: "2000-01-26", parties: [Party(state: "RUS"), Party(state: "BLR")],
                {SRC}),
            Membership(member: "POL", of: "EU", from: "2004-05-01", {SRC}),
            Membership(member: "LTU", of: "EU", from: "2004-05", {SRC}),
            Membership(member: "BLR", of: "CSTO", from: "2002-10-07", {SRC}),
            Sanction(id: "eu-blr", by: "EU", against: ["BLR"], measures: [TravelBan],
                from: "2020-10-02", {SRC}),
            Sanction(id: "eu-blr-old", by: "EU", against: ["BLR"], measures: [AssetFreeze],
                from: "2006", until: "2016-02-25", {SRC}),
            Statement(id: "brothers", by: "peskov", about: ["BLR"], on: "2021-03-15",
                quote: "brothers", stance: Friendly, {SRC}),
            Statement(id: "putin-2011", by: "putin", about: ["BLR"], on: "2011-06",
                quote: "neighbours", stance: Neutral, {SRC}),
            Statement(id: "kinship", by: "peskov", on_behalf_of: "RUS", about: ["BLR"],
                on: "2020-11", quote: "kinship", stance: Friendly, {SRC}),
            Statement(id: "putin-2010", by: "putin", on_behalf_of: "RUS", about: ["BLR"],
                on: "2010", quote: "partners", stance: Neutral, {SRC}),
            Event(id: "minsk-1990", name: "A meeting", kind: Meeting, on: "1990",
                involves: ["BLR", "RUS"], {SRC}),
            Event(id: "election", name: "Election", kind: Election, on: "2020-08-09",
                involves: ["BLR"], {SRC}),
        ]"#
        );
        let loaded = crate::load::from_text("t.ron", &text);
        assert!(
            loaded.diagnostics.is_empty(),
            "{:?}",
            loaded
                .diagnostics
                .iter()
                .map(|d| &d.message)
                .collect::<Vec<_>>()
        );
        loaded.dataset
    }

    pub(crate) fn d(s: &str) -> Date {
        Date::parse(s).expect(s)
    }

    pub(crate) fn idx(data: &Dataset, id: &str) -> usize {
        match data.lookup(id) {
            Some(Target::Entity(i)) => i,
            other => panic!("{id}: {other:?}"),
        }
    }

    /// `date change id detail certainty` lines.
    pub(crate) fn lines(entries: &[Entry]) -> Vec<String> {
        entries
            .iter()
            .map(|e| {
                format!(
                    "{} {} {} {} {}",
                    e.date, e.change, e.id, e.detail, e.certainty
                )
            })
            .collect()
    }

    #[test]
    fn timeline_of_a_state_that_left_and_rejoined() {
        let data = world();
        let g = MemoryStore::new(data.clone(), true);
        let t = timeline(&g, idx(&data, "UZB"), None, None);
        assert_eq!(
            lines(&t),
            [
                "1992-05-15 point cst signed certain",
                "1994-04-20 start cst enters into force certain",
                "1999-04-02 end cst UZB leaves possible",
                "2006-08-16 start cst UZB joins certain",
                "2012-12 end cst UZB leaves certain",
            ]
        );
        assert_eq!(t[2].other_dates, [d("1999-04-20")]);
        assert_eq!(t[2].party, Some("UZB"));
        assert_eq!(t[1].party, None);
        // The rejoin carries the party's own sources after the treaty's.
        assert_eq!(t[3].sources.len(), 2);
        assert_eq!(
            (t[3].from, t[3].until),
            (Some(d("2006-08-16")), Some(d("2012-12")))
        );
    }

    #[test]
    fn a_state_that_joined_late_has_its_joining_not_the_treaty_start() {
        let data = world();
        let g = MemoryStore::new(data.clone(), true);
        let t = timeline(&g, idx(&data, "KAZ"), None, None);
        assert_eq!(lines(&t), ["1995-03 start cst KAZ joins certain"]);
        // Fellow parties from the later joining; no shared signature.
        let r = relations(&g, idx(&data, "KAZ"), idx(&data, "RUS"), None, None);
        assert_eq!(
            lines(&r),
            ["1995-03 start cst both parties (KAZ joins) certain"]
        );
    }

    #[test]
    fn imprecise_dates_are_possible_only_where_they_straddle_the_window() {
        let data = world();
        let g = MemoryStore::new(data.clone(), true);
        let uzb = idx(&data, "UZB");
        // "2012-12" lies wholly within 2012, partly within 2012-12-15..
        let t = timeline(&g, uzb, Some(d("2012")), Some(d("2012")));
        assert_eq!(lines(&t), ["2012-12 end cst UZB leaves certain"]);
        let t = timeline(&g, uzb, Some(d("2012-12-15")), None);
        assert_eq!(lines(&t), ["2012-12 end cst UZB leaves possible"]);
        let t = timeline(&g, uzb, Some(d("2013")), None);
        assert!(t.is_empty());
        // Only the other reading of a disputed date falls within: possible.
        let t = timeline(&g, uzb, Some(d("1999-04-10")), Some(d("1999-04-30")));
        assert_eq!(lines(&t), ["1999-04-02 end cst UZB leaves possible"]);
        // A month-precise start against a day-precise window edge.
        let data = world();
        let g = MemoryStore::new(data.clone(), true);
        let ltu = idx(&data, "LTU");
        let t = timeline(&g, ltu, None, Some(d("2004-05-01")));
        assert_eq!(
            lines(&t),
            ["2004-05 start membership:LTU:EU:2004-05 LTU joins EU possible"]
        );
        let t = timeline(&g, ltu, None, Some(d("2004-05")));
        assert_eq!(t[0].certainty, Certainty::Certain);
    }

    #[test]
    fn open_ends_give_no_entry_and_year_precise_starts_sort_first_in_their_year() {
        let data = world();
        let g = MemoryStore::new(data.clone(), true);
        let t = timeline(&g, idx(&data, "EU"), Some(d("2004")), None);
        assert_eq!(
            lines(&t),
            [
                "2004-05 start membership:LTU:EU:2004-05 LTU joins EU certain",
                "2004-05-01 start membership:POL:EU:2004-05-01 POL joins EU certain",
                "2006 start eu-blr-old imposed certain",
                "2016-02-25 end eu-blr-old lifted certain",
                "2020-10-02 start eu-blr imposed certain",
            ]
        );
        // Open start of a role: no start entry.
        let t = timeline(&g, idx(&data, "putin"), None, None);
        assert_eq!(
            lines(&t),
            [
                "2010 point putin-2010 Neutral; for RUS certain",
                "2011-06 point putin-2011 Neutral certain",
                "2012 start role:putin:RUS:2012 role begins certain",
            ]
        );
    }

    #[test]
    fn relations_of_a_pair_with_parallel_facts() {
        let data = world();
        let g = MemoryStore::new(data.clone(), true);
        let r = relations(&g, idx(&data, "BLR"), idx(&data, "RUS"), None, None);
        assert_eq!(
            lines(&r),
            [
                "1990 point minsk-1990 Meeting certain",
                "1993-12-31 point cst both signed (BLR signs) certain",
                "1994-04-20 start cst both parties (treaty enters into force) certain",
                "1999-12-08 point union signed certain",
                "2000-01-26 start union both parties (treaty enters into force) certain",
                "2010 point putin-2010 Neutral; putin for RUS about BLR certain",
                "2020-11 point kinship Friendly; peskov (Press Secretary) for RUS about BLR certain",
                "2021-03-15 point brothers Friendly; peskov (Press Secretary of RUS) about BLR certain",
            ]
        );
        // The role had not begun in 2011: only a possible link through the year-precise role.
        assert!(r.iter().all(|e| e.id != "putin-2011"));
    }

    #[test]
    fn relations_through_a_role_held_only_possibly() {
        let data = world();
        let g = MemoryStore::new(data.clone(), true);
        let text = lines(&relations(
            &g,
            idx(&data, "RUS"),
            idx(&data, "BLR"),
            None,
            None,
        ));
        assert!(!text.iter().any(|l| l.contains("putin-2011")), "{text:?}");
        // A statement on a date the year-precise role may have begun links possibly.
        let mut data = world();
        if let Some(f) = data.facts.iter_mut().find(|f| f.id == "putin-2011") {
            f.when = When::On(d("2012-06"));
        }
        let g = MemoryStore::new(data.clone(), true);
        let r = relations(&g, idx(&data, "RUS"), idx(&data, "BLR"), None, None);
        let e = r.iter().find(|e| e.id == "putin-2011").expect("linked");
        assert_eq!(e.certainty, Certainty::Possible);
        assert_eq!(
            e.detail,
            "Neutral; putin (possibly President of RUS then) about BLR"
        );
    }

    #[test]
    fn fellow_parties_follow_leaving_and_rejoining() {
        let data = world();
        let g = MemoryStore::new(data.clone(), true);
        let r = relations(&g, idx(&data, "UZB"), idx(&data, "BLR"), None, None);
        assert_eq!(
            lines(&r),
            [
                "1993-12-31 point cst both signed (BLR signs) certain",
                "1994-04-20 start cst both parties (treaty enters into force) certain",
                "1999-04-02 end cst no longer both parties (UZB leaves) possible",
                "2006-08-16 start cst both parties (UZB joins) certain",
                "2012-12 end cst no longer both parties (UZB leaves) certain",
            ]
        );
        assert_eq!(r[0].party, Some("BLR"));
        assert_eq!(r[2].party, Some("UZB"));
        assert_eq!(r[2].other_dates, [d("1999-04-20")]);
    }

    #[test]
    fn shared_membership_and_sanctions() {
        let data = world();
        let g = MemoryStore::new(data.clone(), true);
        let r = relations(&g, idx(&data, "POL"), idx(&data, "LTU"), None, None);
        assert_eq!(
            lines(&r),
            [
                "2004-05-01 start membership:POL:EU:2004-05-01 both members of EU (POL joins) certain"
            ]
        );
        let r = relations(
            &g,
            idx(&data, "BLR"),
            idx(&data, "EU"),
            Some(d("2010")),
            None,
        );
        assert_eq!(
            lines(&r),
            [
                "2016-02-25 end eu-blr-old lifted certain",
                "2020-10-02 start eu-blr imposed certain",
            ]
        );
        // An organization's treaty and a membership in it, side by side.
        let r = relations(&g, idx(&data, "CSTO"), idx(&data, "BLR"), None, None);
        assert_eq!(
            lines(&r),
            [
                "1992-05-15 point cst signed certain",
                "1993-12-31 point cst BLR signs certain",
                "1994-04-20 start cst enters into force certain",
                "2002-10-07 start membership:BLR:CSTO:2002-10-07 BLR joins CSTO certain",
            ]
        );
    }

    #[test]
    fn an_event_before_a_state_existed_is_still_listed() {
        let data = world();
        let g = MemoryStore::new(data.clone(), true);
        let t = timeline(&g, idx(&data, "BLR"), None, Some(d("1991-12-25")));
        assert_eq!(lines(&t), ["1990 point minsk-1990 Meeting certain"]);
        let t = timeline(
            &g,
            idx(&data, "BLR"),
            Some(d("1990-06-01")),
            Some(d("1991")),
        );
        assert_eq!(lines(&t), ["1990 point minsk-1990 Meeting possible"]);
    }

    #[test]
    fn entries_sort_by_day_then_start_point_end() {
        let data = world();
        let fact = &data.facts[0];
        let e = |date: &str, change, id: &'static str| Entry {
            date: d(date),
            change,
            id,
            kind: FactKind::Event,
            title: Title(fact),
            party: None,
            detail: "".into(),
            certainty: Certainty::Certain,
            from: None,
            until: None,
            on: None,
            other_dates: Vec::new(),
            sources: Cow::Borrowed(&[]),
        };
        let mut v = [
            e("2020-01-01", Change::End, "a"),
            e("2020", Change::Point, "b"),
            e("2020-01-01", Change::Start, "c"),
            e("2019-12-31", Change::End, "d"),
        ];
        v.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        let ids: Vec<&str> = v.iter().map(|e| e.id).collect();
        assert_eq!(ids, ["d", "c", "b", "a"]);
    }

    #[test]
    fn json_names_changes_in_lower_case() {
        let data = world();
        let g = MemoryStore::new(data.clone(), true);
        let t = timeline(&g, idx(&data, "UZB"), Some(d("1999")), Some(d("1999")));
        let v = serde_json::to_value(&t).expect("json");
        assert_eq!(v[0]["change"], "end");
        assert_eq!(v[0]["certainty"], "possible");
        assert_eq!(v[0]["other_dates"][0], "1999-04-20");
        assert_eq!(v[0]["id"], "cst");
        assert_eq!(v[0]["kind"], "Treaty");
    }
}
