//! `statements [--by ID] [--about ID] [--from D] [--to D] [--roles]`: statements filtered by
//! speaker, subject and date. A statement counts for whom it was said on behalf of and, when
//! asked, for the state or organization its speaker held a role with on the day.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use super::path::Named;
use super::texts::Texts;
use crate::model::date::DayNumber;
use crate::model::interval::happened_within;
use crate::model::{
    Certainty, Date, Fact, FactBody, FactKind, Interval, Source, Stance, When, Window,
};
use crate::store::{Read, Slot, Store};

/// What to look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatementFilter {
    /// Said by this entity (index): as speaker, on its behalf, or (with `roles`) by someone
    /// holding a role with it on the day.
    pub by: Option<usize>,
    /// About this entity (index).
    pub about: Option<usize>,
    /// Said on or after this date.
    pub from: Option<Date>,
    /// Said on or before this date (inclusive: `--to 2021-03` takes all of March).
    pub to: Option<Date>,
    /// Count statements by people holding a role with `by` on the day.
    pub roles: bool,
}

/// How a statement matched `--by`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matched {
    /// Said by it.
    Speaker,
    /// Said on its behalf.
    OnBehalfOf,
    /// Said by someone holding a role with it (the role's title).
    Role(std::sync::Arc<str>),
}

impl fmt::Display for Matched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Matched::Speaker => f.write_str("speaker"),
            Matched::OnBehalfOf => f.write_str("on behalf of"),
            Matched::Role(title) => write!(f, "role: {title}"),
        }
    }
}

impl Serialize for Matched {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One statement found: its number in the store, how it matched and how surely. Small (a hub
/// may have said hundreds of thousands); its fields are read from the statement in the store
/// as it is shown ([`StatementRow::with_said`]).
#[derive(Clone)]
pub struct StatementRow<'f> {
    /// The store the statement is in.
    store: &'f dyn Store,
    /// Its number there.
    fact: usize,
    /// How it matched `--by`: `speaker`, `on behalf of`, `role: <title>`; empty without `--by`.
    pub matched: Vec<Matched>,
    /// Whether it surely matches: within the dates asked about, and (when it matched only
    /// through a role) said while the role surely held.
    pub certainty: Certainty,
}
/// A statement found, as shown: its fields, borrowed from the statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Said<'r, 'f> {
    /// The statement's id.
    pub id: &'f str,
    /// Always `Statement`.
    pub kind: &'static str,
    /// Start of a campaign of statements.
    pub from: Option<Date>,
    /// End (exclusive) of a campaign of statements.
    pub until: Option<Date>,
    /// The day (or month, year) it was said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<Date>,
    /// Who spoke.
    pub by: &'f str,
    /// Whom the speaker spoke for.
    pub on_behalf_of: Option<&'f str>,
    /// What it is about.
    pub about: &'f [String],
    /// The words.
    pub quote: &'f str,
    /// Its tone.
    pub stance: Stance,
    /// How it matched `--by`.
    pub matched: &'r [Matched],
    /// Whether it surely matches.
    pub certainty: Certainty,
    /// Its sources.
    pub sources: &'f [Source],
}

impl StatementRow<'_> {
    /// Calls `f` with its fields, as shown, read from the statement.
    pub fn with_said<R>(&self, f: impl FnOnce(&Said<'_, '_>) -> R) -> R {
        let fact = self.store.fact_again(self.fact);
        f(&said(&fact, &self.matched, self.certainty))
    }
}

/// The fields of statement `f`, as shown.
fn said<'r, 'f>(f: &'f Fact, matched: &'r [Matched], certainty: Certainty) -> Said<'r, 'f> {
    let (from, until, on) = f.when.columns();
    let (by, on_behalf_of, about, quote, stance) = match &f.body {
        FactBody::Statement {
            by,
            on_behalf_of,
            about,
            quote,
            stance,
        } => (
            by.as_str(),
            on_behalf_of.as_deref(),
            about.as_slice(),
            quote.as_str(),
            *stance,
        ),
        // Only statements are found.
        _ => ("", None, &[][..], "", Stance::Neutral),
    };
    Said {
        id: &f.id,
        kind: "Statement",
        from,
        until,
        on,
        by,
        on_behalf_of,
        about,
        quote,
        stance,
        matched,
        certainty,
        sources: &f.sources,
    }
}

impl Serialize for StatementRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.with_said(|said| said.serialize(s))
    }
}

/// What `statements` answers: the question as resolved, and the statements found.
#[derive(Serialize)]
pub struct StatementsAnswer<'f> {
    /// The speaker asked about.
    pub by: Option<Named>,
    /// The subject asked about.
    pub about: Option<Named>,
    /// Start of the dates asked about.
    pub from: Option<Date>,
    /// End of the dates asked about (inclusive).
    pub to: Option<Date>,
    /// Whether roles were counted.
    pub roles: bool,
    /// The statements, by date then id.
    pub results: Vec<StatementRow<'f>>,
}

/// The days a statement was said over: its `on` date, or its campaign `[from, until)`.
fn said_over(when: When) -> Window {
    match when {
        When::On(d) => Window::of(d),
        When::Span(i) => Window {
            first: i.from.map_or(DayNumber::MIN, Date::first),
            last: i
                .until
                .map_or(DayNumber::MAX, |u| u.first().saturating_sub(1)),
        },
    }
}

/// Whether a campaign over `i` runs within `w`: certain when some day it surely runs lies in
/// `w`, possible when some day it may run does.
fn span_within(i: Interval, w: Window) -> Certainty {
    let surely_from = i.from.map_or(DayNumber::MIN, Date::last);
    let surely_until = i.until.map_or(DayNumber::MAX, Date::first);
    if surely_from.max(w.first) < surely_until && surely_from.max(w.first) <= w.last {
        Certainty::Certain
    } else if i.status(w).holds() {
        Certainty::Possible
    } else {
        Certainty::No
    }
}

fn is(id: &str, entity: &str) -> bool {
    id.eq_ignore_ascii_case(entity)
}

/// A role held with the speaker asked about: its title and its fact.
type SpeakerRole<'s> = (std::sync::Arc<str>, Cow<'s, Fact>);

/// The statements that match `filter`, by date then id.
pub fn statements<'s>(
    store: &'s dyn Store,
    filter: &StatementFilter,
) -> Read<StatementsAnswer<'s>> {
    let by = filter.by.map(|i| store.entity_at(i));
    let about = filter.about.map(|i| store.entity_at(i));
    let window = Window::between(filter.from, filter.to);
    // Roles held with the speaker asked about, by person (ids compared case-blind): (title,
    // role fact), in load order. A state may have thousands of officials over the years.
    let mut roles: HashMap<String, Vec<SpeakerRole<'s>>> = HashMap::new();
    if let (Some(b), Some(bi)) = (by, filter.by)
        && filter.roles
    {
        for fi in store.tied(bi, &[Slot::RoleOf], Window::EVER)? {
            let f = store.fact(fi)?;
            if let FactBody::Role { person, of, title } = &f.body
                && is(of, &b.id)
            {
                let held = roles.entry(person.to_ascii_lowercase()).or_default();
                held.push((title.as_str().into(), f));
            }
        }
    }
    // The statements that can match: those naming the subject; else the speaker's, those
    // said on its behalf and its officials'; else every statement said within the dates.
    let candidates = match (filter.about, filter.by) {
        (Some(a), _) => store.named(a)?,
        (None, Some(b)) => {
            let mut v = store.tied(
                b,
                &[Slot::StatementBy, Slot::StatementOnBehalfOf],
                Window::EVER,
            )?;
            for person in roles.keys() {
                if let Some(p) = store.entity_of(person) {
                    v.extend(store.tied(p, &[Slot::StatementBy], Window::EVER)?);
                }
            }
            v.sort_unstable();
            v.dedup();
            v
        }
        (None, None) => store.of_kind(FactKind::Statement, window)?,
    };
    // Each row found, with the date it sorts by, and its id kept apart to sort by.
    let mut found: Vec<(Option<Date>, StatementRow<'s>)> = Vec::new();
    let mut ids = Texts::default();
    for k in candidates {
        let f = store.fact(k)?;
        let FactBody::Statement {
            by: speaker,
            on_behalf_of,
            about: subjects,
            ..
        } = &f.body
        else {
            continue;
        };
        if let Some(a) = about
            && !subjects.iter().any(|s| is(s, &a.id))
        {
            continue;
        }
        let in_dates = match f.when {
            When::On(d) => happened_within(d, window),
            When::Span(i) => span_within(i, window),
        };
        if !in_dates.holds() {
            continue;
        }
        let mut matched = Vec::new();
        let mut how_sure = Certainty::Certain;
        if let Some(b) = by {
            how_sure = Certainty::No;
            if is(speaker, &b.id) {
                matched.push(Matched::Speaker);
                how_sure = Certainty::Certain;
            }
            if on_behalf_of.as_deref().is_some_and(|o| is(o, &b.id)) {
                matched.push(Matched::OnBehalfOf);
                how_sure = Certainty::Certain;
            }
            let said = said_over(f.when);
            let held_by_speaker = roles.get(&speaker.to_ascii_lowercase());
            for (title, role) in held_by_speaker.into_iter().flatten() {
                let held = role.status(said);
                if !held.holds() {
                    continue;
                }
                how_sure = how_sure.max(held);
                // Two roles of one title (a second term) match the same way: named once.
                let how = Matched::Role(title.clone());
                if !matched.contains(&how) {
                    matched.push(how);
                }
            }
            if !how_sure.holds() {
                continue;
            }
        }
        let row = StatementRow {
            store,
            fact: k,
            matched,
            certainty: in_dates.min(how_sure),
        };
        // When it was said: its day, or its campaign's start.
        found.push((f.start_date(), row));
        ids.push(&f.id, "");
    }
    let number = ids.number_by_id();
    let mut found: Vec<(Option<Date>, u32, StatementRow<'s>)> = found
        .into_iter()
        .zip(number)
        .map(|((date, row), n)| (date, n, row))
        .collect();
    // Ids are unique, so the order is total: an unstable sort takes no room of its own.
    found.sort_unstable_by_key(|&(date, n, _)| (date, n));
    let results = found.into_iter().map(|(_, _, row)| row).collect();
    Ok(StatementsAnswer {
        by: filter.by.map(|i| Named::of(store, i)),
        about: filter.about.map(|i| Named::of(store, i)),
        from: filter.from,
        to: filter.to,
        roles: filter.roles,
        results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dataset, Target};

    const WORLD: &str = r#"[
        State(id: "RUS", name: "Russia"), State(id: "BLR", name: "Belarus"),
        Person(id: "dmitry-peskov", name: "Dmitry Peskov"),
        Person(id: "new-spokesman", name: "New Spokesman"),
        Role(person: "dmitry-peskov", of: "RUS", title: "Press Secretary of the President",
             from: "2012-05-22", sources: []),
        Role(person: "new-spokesman", of: "RUS", title: "Spokesman", from: "2021-03-20",
             sources: []),
        Role(person: "new-spokesman", of: "BLR", title: "Adviser", from: "2020-09-10",
             sources: []),
        Statement(id: "peskov-brothers", by: "dmitry-peskov", about: ["BLR", "RUS"],
            on: "2021-03-15", quote: "Rather, we are not friends, but brothers.",
            stance: Friendly, sources: []),
        Statement(id: "peskov-nonsense", by: "dmitry-peskov", on_behalf_of: "RUS",
            about: ["BLR"], on: "2020-09", quote: "absolute nonsense", stance: Neutral,
            sources: []),
        Statement(id: "early-word", by: "new-spokesman", about: ["BLR"], on: "2021-03-15",
            quote: "Too early.", stance: Neutral, sources: []),
        Statement(id: "adviser-word", by: "new-spokesman", about: ["RUS"], on: "2020-09",
            quote: "Maybe.", stance: Mixed, sources: []),
        Statement(id: "rus-campaign", by: "RUS", about: ["BLR"], from: "2020-08",
            until: "2020-12-01", quote: "Support.", stance: Friendly, sources: []),
    ]"#;

    fn data() -> Dataset {
        crate::load::from_text("t.ron", WORLD).dataset
    }

    fn idx(d: &Dataset, id: &str) -> usize {
        match d.lookup(id) {
            Some(Target::Entity(i)) => i,
            other => panic!("{id}: {other:?}"),
        }
    }

    fn date(s: &str) -> Date {
        Date::parse(s).expect(s)
    }

    fn found(d: &Dataset, f: StatementFilter) -> Vec<(String, Vec<String>, Certainty)> {
        let store = crate::store::MemoryStore::new(d.clone(), true);
        statements(&store, &f)
            .expect("reads")
            .results
            .into_iter()
            .map(|r| {
                let matched = r.matched.iter().map(ToString::to_string).collect();
                (r.with_said(|s| s.id.to_string()), matched, r.certainty)
            })
            .collect()
    }

    fn row(id: &str, matched: &[&str], c: Certainty) -> (String, Vec<String>, Certainty) {
        (
            id.to_string(),
            matched.iter().map(|s| s.to_string()).collect(),
            c,
        )
    }

    use Certainty::{Certain, Possible};

    #[test]
    fn all_statements_by_date_then_id() {
        let d = data();
        let ids: Vec<String> = found(&d, StatementFilter::default())
            .into_iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(
            ids,
            [
                "rus-campaign",
                "adviser-word",
                "peskov-nonsense",
                "early-word",
                "peskov-brothers"
            ]
        );
    }

    #[test]
    fn by_a_state_counts_what_was_said_on_its_behalf() {
        let d = data();
        let f = StatementFilter {
            by: Some(idx(&d, "RUS")),
            ..StatementFilter::default()
        };
        assert_eq!(
            found(&d, f),
            [
                row("rus-campaign", &["speaker"], Certain),
                row("peskov-nonsense", &["on behalf of"], Certain),
            ]
        );
    }

    #[test]
    fn with_roles_by_a_state_counts_its_officials_while_in_office() {
        let d = data();
        let f = StatementFilter {
            by: Some(idx(&d, "RUS")),
            roles: true,
            ..StatementFilter::default()
        };
        // The new spokesman's role had not started on 2021-03-15: `early-word` is not Russia's.
        assert_eq!(
            found(&d, f),
            [
                row("rus-campaign", &["speaker"], Certain),
                row(
                    "peskov-nonsense",
                    &["on behalf of", "role: Press Secretary of the President"],
                    Certain
                ),
                row(
                    "peskov-brothers",
                    &["role: Press Secretary of the President"],
                    Certain
                ),
            ]
        );
    }

    #[test]
    fn a_role_that_starts_within_a_month_precise_statement_is_possible() {
        let d = data();
        let f = StatementFilter {
            by: Some(idx(&d, "BLR")),
            roles: true,
            ..StatementFilter::default()
        };
        assert_eq!(
            found(&d, f),
            [
                row("adviser-word", &["role: Adviser"], Possible),
                row("early-word", &["role: Adviser"], Certain),
            ]
        );
    }

    #[test]
    fn two_terms_of_one_title_match_once_as_surely_as_the_surer() {
        let text = r#"[
            State(id: "RUS", name: "Russia"), State(id: "BLR", name: "Belarus"),
            Person(id: "p", name: "P"),
            Role(id: "first-term", person: "p", of: "RUS", title: "Spokesman",
                 from: "2019", until: "2020-03", sources: []),
            Role(id: "second-term", person: "p", of: "RUS", title: "Spokesman",
                 from: "2020-03-01", sources: []),
            Statement(id: "w", by: "p", about: ["BLR"], on: "2020-03-10", quote: "q",
                stance: Neutral, sources: []),
        ]"#;
        let d = crate::load::from_text("t.ron", text).dataset;
        let f = StatementFilter {
            by: Some(idx(&d, "RUS")),
            roles: true,
            ..StatementFilter::default()
        };
        assert_eq!(found(&d, f), [row("w", &["role: Spokesman"], Certain)]);
    }

    #[test]
    fn a_person_and_a_subject() {
        let d = data();
        let f = StatementFilter {
            by: Some(idx(&d, "dmitry-peskov")),
            about: Some(idx(&d, "RUS")),
            ..StatementFilter::default()
        };
        assert_eq!(
            found(&d, f),
            [row("peskov-brothers", &["speaker"], Certain)]
        );
    }

    #[test]
    fn month_precise_statements_partly_in_the_window_are_possible() {
        let d = data();
        let f = StatementFilter {
            from: Some(date("2020-09-10")),
            to: Some(date("2021-03-15")),
            ..StatementFilter::default()
        };
        assert_eq!(
            found(&d, f),
            [
                row("rus-campaign", &[], Certain),
                row("adviser-word", &[], Possible),
                row("peskov-nonsense", &[], Possible),
                row("early-word", &[], Certain),
                row("peskov-brothers", &[], Certain),
            ]
        );
        let f = StatementFilter {
            from: Some(date("2020-09")),
            to: Some(date("2020-09")),
            ..StatementFilter::default()
        };
        let ids: Vec<String> = found(&d, f).into_iter().map(|r| r.0).collect();
        assert_eq!(ids, ["rus-campaign", "adviser-word", "peskov-nonsense"]);
        // A campaign that only possibly reaches the window (it began some day in August).
        let f = StatementFilter {
            to: Some(date("2020-08-01")),
            ..StatementFilter::default()
        };
        assert_eq!(found(&d, f), [row("rus-campaign", &[], Possible)]);
        let f = StatementFilter {
            from: Some(date("2020-12-01")),
            to: Some(date("2021-03-14")),
            ..StatementFilter::default()
        };
        assert!(found(&d, f).is_empty());
    }
}
