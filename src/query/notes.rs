//! What an answer says of its own limits: a date outside what the data says it covers (its
//! `Coverage` records), facts the data only samples, and an entity asked about on a date when
//! it did not exist.

use super::ask::{Ask, Name, Resolved};
use crate::model::{Certainty, Coverage, Date, FactKind, Window};
use crate::store::Store;

/// The kinds a question reads: one kind, or facts of any kind.
enum Kinds {
    One(FactKind),
    Any,
}

/// What the question asks about: its kinds, its dates and the entity whose existence matters.
fn asked(ask: &Ask, today: Date) -> (Kinds, Vec<Date>, Option<&Name>) {
    match ask {
        Ask::Allies { of, on } => (
            Kinds::One(FactKind::Treaty),
            vec![on.unwrap_or(today)],
            Some(of),
        ),
        Ask::Sanctions { against, on, .. } => (
            Kinds::One(FactKind::Sanction),
            vec![on.unwrap_or(today)],
            against.as_ref(),
        ),
        Ask::Show { id, on } => (Kinds::Any, on.iter().copied().collect(), Some(id)),
        Ask::Statements { from, to, .. } => (
            Kinds::One(FactKind::Statement),
            from.iter().chain(to).copied().collect(),
            None,
        ),
        Ask::Timeline { from, to, .. } | Ask::Relations { from, to, .. } => {
            (Kinds::Any, from.iter().chain(to).copied().collect(), None)
        }
        Ask::Path { on, .. } => (Kinds::Any, vec![on.unwrap_or(today)], None),
        Ask::Diff { from, to, .. } => (Kinds::Any, vec![*from, *to], None),
    }
}

/// Whether `c` surely covers date `d`.
fn covers(c: &Coverage, d: Date) -> bool {
    c.period.status(Window::of(d)) == Certainty::Certain
}

/// `from 2006 until 2022`, `from 1991`, `until 2022`, or `at any date`.
fn period(c: &Coverage) -> String {
    match (c.period.from, c.period.until) {
        (Some(f), Some(u)) => format!("from {f} until {u}"),
        (Some(f), None) => format!("from {f}"),
        (None, Some(u)) => format!("until {u}"),
        (None, None) => "at any date".to_string(),
    }
}

/// The plural of a kind, in prose: `sanctions`, `treaties`.
fn kind_words(k: FactKind) -> &'static str {
    match k {
        FactKind::Role => "roles",
        FactKind::Membership => "memberships",
        FactKind::Treaty => "treaties",
        FactKind::Sanction => "sanctions",
        FactKind::Statement => "statements",
        FactKind::Event => "events",
    }
}

/// The notes of the answer to `ask` (resolved) from `store`; `today` stands in for dates left
/// out. Empty when there is nothing to say, and always for data that declares no coverage
/// (but for an entity asked about when it did not exist).
pub fn notes(store: &dyn Store, ask: &Resolved, today: Date) -> Vec<String> {
    let (kinds, dates, entity) = asked(ask.ask(), today);
    let mut out = Vec::new();
    let coverage = store.coverage();
    if !coverage.is_empty() {
        match kinds {
            Kinds::One(k) => {
                let of_kind: Vec<&Coverage> =
                    coverage.iter().filter(|c| c.kinds.contains(&k)).collect();
                let words = kind_words(k);
                if of_kind.is_empty() {
                    out.push(format!(
                        "the data does not say it covers {words}: an empty answer may be missing data"
                    ));
                }
                for &d in &dates {
                    match of_kind.iter().find(|c| covers(c, d)) {
                        Some(c) if !c.complete => out.push(format!(
                            "the data holds only a sample of {words} {}: one not listed may still exist",
                            period(c)
                        )),
                        Some(_) => {}
                        None if !of_kind.is_empty() => {
                            let periods: Vec<String> = of_kind
                                .iter()
                                .map(|c| match c.complete {
                                    true => period(c),
                                    false => format!("{}, a sample", period(c)),
                                })
                                .collect();
                            out.push(format!(
                                "{d} lies outside what the data covers of {words} ({}): the answer may miss what held then",
                                periods.join("; ")
                            ));
                        }
                        None => {}
                    }
                }
            }
            Kinds::Any => {
                for &d in &dates {
                    if !coverage.iter().any(|c| covers(c, d)) {
                        out.push(format!(
                            "{d} lies outside every period the data covers: the answer may miss what held then"
                        ));
                    }
                }
            }
        }
    }
    // An entity asked about on a date when it surely did not exist.
    if let (Some(e), [d]) = (entity.and_then(Name::entity), dates.as_slice())
        && let Some(e) = (e < store.entity_count()).then(|| store.entity_at(e))
        && e.existence.status(Window::of(*d)) == Certainty::No
    {
        let span = match (e.existence.from, e.existence.until) {
            (Some(f), Some(u)) => format!("from {f} until {u}"),
            (Some(f), None) => format!("from {f}"),
            (None, Some(u)) => format!("until {u}"),
            (None, None) => String::new(),
        };
        out.push(format!(
            "{} ({}) exists in the data {span}, not on {d}",
            e.name, e.id
        ));
    }
    // Two dates of one period can give the same note.
    let mut seen = std::collections::HashSet::new();
    out.retain(|n| seen.insert(n.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Target;
    use crate::store::MemoryStore;

    fn store(coverage: &str) -> MemoryStore {
        let text = format!(
            r#"[
            State(id: "BLR", name: "Belarus", from: "1991-12-26"),
            {coverage}
        ]"#
        );
        let loaded = crate::load::from_text("t.ron", &text);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        MemoryStore::new(loaded.dataset, true)
    }

    fn d(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    fn sanctions(on: &str) -> Resolved {
        let blr = Name::Resolved(Target::Entity(0));
        Resolved::new(Ask::Sanctions {
            against: Some(blr),
            tied: false,
            by: None,
            members: false,
            on: Some(d(on)),
        })
        .expect("resolved")
    }

    #[test]
    fn a_date_outside_the_coverage_of_its_kind_is_noted() {
        let s = store(
            r#"Coverage(kinds: [Sanction], from: "2006", until: "2022"),
               Coverage(kinds: [Sanction], from: "2022", until: "2023", complete: false),
               Coverage(kinds: [Statement], from: "2006", until: "2022", complete: false)"#,
        );
        assert!(notes(&s, &sanctions("2021-03-15"), d("2026-01-01")).is_empty());
        let n = notes(&s, &sanctions("2024-01-01"), d("2026-01-01"));
        assert_eq!(n.len(), 1);
        assert!(n[0].contains("2024-01-01 lies outside") && n[0].contains("from 2006 until 2022"));
        assert!(n[0].contains("from 2022 until 2023, a sample"), "{n:?}");
        let statements = Resolved::new(Ask::Statements {
            by: None,
            about: None,
            from: Some(d("2010")),
            to: None,
            roles: false,
        })
        .expect("resolved");
        let n = notes(&s, &statements, d("2026-01-01"));
        assert!(n[0].contains("only a sample of statements"), "{n:?}");
    }

    #[test]
    fn data_without_coverage_says_nothing_but_of_existence() {
        let s = store("");
        assert!(notes(&s, &sanctions("2024-01-01"), d("2026-01-01")).is_empty());
        let n = notes(&s, &sanctions("1985-01-01"), d("2026-01-01"));
        assert_eq!(
            n,
            ["Belarus (BLR) exists in the data from 1991-12-26, not on 1985-01-01"]
        );
    }
}
