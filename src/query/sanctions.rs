//! `sanctions [--against X [--tied]] [--by Y [--members]] --on D`: the sanctions in force on D,
//! with who imposed them, on whom, and how sure the dates make that.

use serde::Serialize;

use crate::model::{Certainty, Date, Fact, FactBody, FactKind, Measure, Source, When, Window};
use crate::store::{Read, Slot, Store};

/// What to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SanctionsQuery {
    /// Only sanctions naming this entity (index into the entities).
    pub against: Option<usize>,
    /// Also those on people and organizations tied to `against` on the date (by a role in it
    /// or a membership of it).
    pub tied: bool,
    /// Only sanctions by this sender.
    pub by: Option<usize>,
    /// With `by`: also sanctions by organizations the sender was a member of on the date.
    pub members: bool,
    /// The date.
    pub on: Date,
}

/// A sanction in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SanctionRow {
    /// The sanction's id.
    pub id: String,
    /// Always `Sanction`.
    pub kind: &'static str,
    /// The sender.
    pub by: String,
    /// The targets.
    pub against: Vec<String>,
    /// The measures.
    pub measures: Vec<Measure>,
    /// Start.
    pub from: Option<Date>,
    /// End.
    pub until: Option<Date>,
    /// The legal instrument.
    pub legal_act: Option<String>,
    /// The programme.
    pub program: Option<String>,
    /// Whether it was in force on the date (and the tie held, where one is needed).
    pub certainty: Certainty,
    /// How it concerns the entity asked about when it does not name it: `role: President of
    /// BLR (alexander-lukashenko)`; how the sender matched when through a membership.
    pub tied: Vec<String>,
    /// Its sources.
    pub sources: Vec<Source>,
}

/// Entities tied to `x` on the window: people holding a role in it, members of it. Each with a
/// description and the certainty of the tie.
fn tied_to(store: &dyn Store, x: usize, w: Window) -> Read<Vec<(String, String, Certainty)>> {
    let me = &store.entity_at(x).id;
    let mut out = Vec::new();
    for fi in store.tied(x, &[Slot::RoleOf, Slot::MemberOf], w)? {
        let f = store.fact(fi)?;
        let c = f.status(w);
        if !c.holds() {
            continue;
        }
        match &f.body {
            FactBody::Role { person, of, title } if of.eq_ignore_ascii_case(me) => {
                out.push((person.clone(), format!("{person}: {title} of {me}"), c));
            }
            FactBody::Membership { member, of } if of.eq_ignore_ascii_case(me) => {
                out.push((member.clone(), format!("{member}: member of {me}"), c));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Organizations `x` was a member of on the window, with the certainty.
fn member_of(store: &dyn Store, x: usize, w: Window) -> Read<Vec<(String, Certainty)>> {
    let me = &store.entity_at(x).id;
    let mut out = Vec::new();
    for fi in store.tied(x, &[Slot::Member], w)? {
        let f = store.fact(fi)?;
        if let FactBody::Membership { member, of } = &f.body
            && member.eq_ignore_ascii_case(me)
        {
            let c = f.status(w);
            if c.holds() {
                out.push((of.clone(), c));
            }
        }
    }
    Ok(out)
}

/// The row of sanction `f`: its fields moved into the row (a fact read from a cache file is
/// the row's own already; one borrowed from memory is copied once).
fn row(f: Fact, certainty: Certainty, tied: Vec<String>) -> Option<SanctionRow> {
    let (from, until) = match f.when {
        When::Span(i) => (i.from, i.until),
        When::On(d) => (Some(d), None),
    };
    let FactBody::Sanction {
        by,
        against,
        measures,
        legal_act,
        program,
    } = f.body
    else {
        return None;
    };
    Some(SanctionRow {
        id: f.id,
        kind: "Sanction",
        by,
        against,
        measures,
        from,
        until,
        legal_act,
        program,
        certainty,
        tied,
        sources: f.sources,
    })
}

/// The sanctions in force on the date that match the query, sorted by start date, then id.
pub fn sanctions(store: &dyn Store, q: &SanctionsQuery) -> Read<Vec<SanctionRow>> {
    let w = Window::of(q.on);
    let senders: Vec<(String, Certainty, Option<String>)> = match q.by {
        None => Vec::new(),
        Some(b) => {
            let id = store.entity_at(b).id.clone();
            let mut v = vec![(id.clone(), Certainty::Certain, None)];
            if q.members {
                v.extend(member_of(store, b, w)?.into_iter().map(|(org, c)| {
                    (
                        org.clone(),
                        c,
                        Some(format!("by {org}, of which {id} is a member")),
                    )
                }));
            }
            v
        }
    };
    let targets: Vec<(String, Certainty, Option<String>)> = match q.against {
        None => Vec::new(),
        Some(a) => {
            let mut v = vec![(store.entity_at(a).id.clone(), Certainty::Certain, None)];
            if q.tied {
                v.extend(
                    tied_to(store, a, w)?
                        .into_iter()
                        .map(|(id, how, c)| (id, c, Some(how))),
                );
            }
            v
        }
    };
    // The candidates, from the index: sanctions naming a target asked about, else imposed by
    // a sender asked about, else all those that can hold on the date. The tests below decide.
    let candidates = |ids: &[(String, Certainty, Option<String>)], slot: Slot| -> Read<_> {
        let mut v: Vec<usize> = Vec::new();
        for e in ids.iter().filter_map(|(id, _, _)| store.entity_of(id)) {
            v.extend(store.tied(e, &[slot], w)?);
        }
        v.sort_unstable();
        v.dedup();
        Ok(v)
    };
    let candidates = if q.against.is_some() {
        candidates(&targets, Slot::SanctionAgainst)?
    } else if q.by.is_some() {
        candidates(&senders, Slot::SanctionBy)?
    } else {
        store.of_kind(FactKind::Sanction, w)?
    };
    let mut out = Vec::with_capacity(candidates.len());
    for fi in candidates {
        let f = store.fact(fi)?;
        let FactBody::Sanction { by, against, .. } = &f.body else {
            continue;
        };
        let mut c = f.status(w);
        if !c.holds() {
            continue;
        }
        let mut tied = Vec::new();
        if q.by.is_some() {
            let Some((_, sc, how)) = senders.iter().find(|(s, _, _)| s.eq_ignore_ascii_case(by))
            else {
                continue;
            };
            c = c.min(*sc);
            tied.extend(how.clone());
        }
        if q.against.is_some() {
            let hits: Vec<&(String, Certainty, Option<String>)> = targets
                .iter()
                .filter(|(t, _, _)| against.iter().any(|a| a.eq_ignore_ascii_case(t)))
                .collect();
            let Some(best) = hits.iter().map(|(_, tc, _)| *tc).max() else {
                continue;
            };
            // Named directly: no tie to explain. Otherwise list every tie that leads here.
            if hits.iter().all(|(_, _, how)| how.is_some()) {
                tied.extend(hits.iter().filter_map(|(_, _, how)| how.clone()));
            }
            c = c.min(best);
        }
        if let Some(r) = row(f.into_owned(), c, tied) {
            out.push(r);
        }
    }
    // Ids are unique: one order, whatever the sort.
    super::order::sort_by_key_then(
        &mut out,
        |r| r.from.map(Date::first),
        |a, b| a.id.cmp(&b.id),
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    fn world() -> MemoryStore {
        let text = r#"[
            State(id: "BLR", name: "Belarus"), State(id: "POL", name: "Poland"),
            State(id: "GBR", name: "United Kingdom"),
            Organization(id: "EU", name: "European Union", kind: Supranational),
            Person(id: "lukashenko", name: "Alexander Lukashenko"),
            Role(person: "lukashenko", of: "BLR", title: "President", from: "1994-07-20", sources: []),
            Membership(member: "POL", of: "EU", from: "2004-05-01", sources: []),
            Sanction(id: "eu-1", by: "EU", against: ["BLR", "lukashenko"], measures: [AssetFreeze],
                     from: "2020-10", sources: []),
            Sanction(id: "gb-1", by: "GBR", against: ["lukashenko"], measures: [TravelBan],
                     from: "2020-09-29", until: "2021-01-01", sources: []),
        ]"#;
        MemoryStore::new(crate::load::from_text("t.ron", text).dataset, true)
    }

    fn sanctions(g: &MemoryStore, q: &SanctionsQuery) -> Vec<SanctionRow> {
        super::sanctions(g, q).expect("reads")
    }

    fn q(on: &str) -> SanctionsQuery {
        SanctionsQuery {
            against: None,
            tied: false,
            by: None,
            members: false,
            on: Date::parse(on).expect("date"),
        }
    }

    fn ids(rows: &[SanctionRow]) -> Vec<(&str, Certainty)> {
        rows.iter().map(|r| (r.id.as_str(), r.certainty)).collect()
    }

    #[test]
    fn in_force_with_certainty() {
        let g = world();
        assert_eq!(
            ids(&sanctions(&g, &q("2020-10-15"))),
            [("gb-1", Certainty::Certain), ("eu-1", Certainty::Possible)]
        );
        assert_eq!(
            ids(&sanctions(&g, &q("2021-01-01"))),
            [("eu-1", Certainty::Certain)]
        );
        assert!(sanctions(&g, &q("2020-09-28")).is_empty());
    }

    #[test]
    fn against_and_tied() {
        let g = world();
        let mut query = q("2020-11-01");
        query.against = Some(0);
        assert_eq!(ids(&sanctions(&g, &query)), [("eu-1", Certainty::Certain)]);
        query.tied = true;
        let rows = sanctions(&g, &query);
        assert_eq!(
            ids(&rows),
            [("gb-1", Certainty::Certain), ("eu-1", Certainty::Certain)]
        );
        assert_eq!(rows[0].tied, ["lukashenko: President of BLR"]);
        assert!(rows[1].tied.is_empty(), "named directly");
    }

    #[test]
    fn by_an_organization_and_its_members() {
        let g = world();
        let mut query = q("2020-11-01");
        query.by = Some(3);
        assert_eq!(ids(&sanctions(&g, &query)), [("eu-1", Certainty::Certain)]);
        query.by = Some(1);
        assert!(
            sanctions(&g, &query).is_empty(),
            "a member state is not the EU"
        );
        query.members = true;
        let rows = sanctions(&g, &query);
        assert_eq!(ids(&rows), [("eu-1", Certainty::Certain)]);
        assert_eq!(rows[0].tied, ["by EU, of which POL is a member"]);
    }
}
