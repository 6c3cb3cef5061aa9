//! The facts as rows of the five tables of the Parquet export (`entities`, `facts`, `ties`,
//! `readings`, `sources`), as plain data: each date as the text written and its [`Edges`], so
//! that an engine answers "in force on D" with comparisons. See `docs/scale-out.md`.

use crate::model::interval::Edges;
use crate::model::{
    Date, Entity, Fact, FactBody, FactKind, Interval, Party, Reading, Source, When,
};

/// The bounds of a point fact's date (`on`): it happened on some day from `start_lo` through
/// `start_hi`; the ends are empty.
fn point_edges(on: Date) -> Edges {
    Edges {
        start_lo: Some(on.first()),
        start_hi: Some(on.last()),
        end_lo: None,
        end_hi: None,
    }
}

/// The dates of a row: as written, and as bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dates {
    /// `from` as written.
    pub from: Option<Date>,
    /// `until` as written.
    pub until: Option<Date>,
    /// `on` as written (a point fact).
    pub on: Option<Date>,
    /// Whether this is a point in time (`on`) rather than a span.
    pub point: bool,
    /// The days, as bounds.
    pub edges: Edges,
}

impl Dates {
    fn of_when(when: When) -> Dates {
        match when {
            When::Span(i) => Dates::span(i, i.edges()),
            When::On(d) => Dates {
                from: None,
                until: None,
                on: Some(d),
                point: true,
                edges: point_edges(d),
            },
        }
    }

    fn span(written: Interval, edges: Edges) -> Dates {
        Dates {
            from: written.from,
            until: written.until,
            on: None,
            point: false,
            edges,
        }
    }
}

/// A row of `entities`.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityRow<'a> {
    /// The entity.
    pub entity: &'a Entity,
    /// Its existence.
    pub dates: Dates,
}

impl<'a> EntityRow<'a> {
    /// The row of `entity`.
    pub fn of(entity: &'a Entity) -> EntityRow<'a> {
        EntityRow {
            entity,
            dates: Dates::span(entity.existence, entity.existence.edges()),
        }
    }
}

/// A row of `facts`.
#[derive(Debug, Clone, PartialEq)]
pub struct FactRow {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: FactKind,
    /// One line saying what it is.
    pub title: String,
    /// Its own dates (a treaty: from entry into force, else signature, to its end).
    pub dates: Dates,
    /// The partition: the year of its start or date (0 when open).
    pub start_year: i32,
    /// Whether other readings of its dates exist.
    pub disputed: bool,
    /// Signature (treaties).
    pub signed: Option<Date>,
    /// Entry into force (treaties; empty where only the signature is known).
    pub in_force: Option<Date>,
    /// Treaty kind (`Defense`, `Union`, ...).
    pub treaty_kind: Option<&'static str>,
    /// Whether that kind makes allies.
    pub alliance: Option<bool>,
    /// Sanction measures.
    pub measures: Vec<&'static str>,
    /// Sanction's legal act.
    pub legal_act: Option<String>,
    /// Sanction's programme.
    pub program: Option<String>,
    /// Statement's stance.
    pub stance: Option<&'static str>,
    /// Statement's quote.
    pub quote: Option<String>,
    /// Event kind.
    pub event_kind: Option<&'static str>,
    /// Free text.
    pub note: Option<String>,
}

/// A row of `ties`: one entity tied to one fact in one role.
#[derive(Debug, Clone, PartialEq)]
pub struct TieRow {
    /// The fact's id.
    pub fact: String,
    /// The fact's kind (the partition).
    pub kind: FactKind,
    /// The entity's id.
    pub entity: String,
    /// How it is tied, in the words `show` uses: `party`, `target`, `speaker`, ...
    pub role: &'static str,
    /// A treaty party's place among the treaty's parties; -1 for every other tie.
    pub party: i32,
    /// The treaty's kind (ties of treaties).
    pub treaty_kind: Option<&'static str>,
    /// The dates on which the tie holds: a treaty party's own as written, bounded by the
    /// treaty's; the fact's for every other tie.
    pub dates: Dates,
    /// A party's signature.
    pub signed: Option<Date>,
    /// A party's state as the treaty writes it (`entity` is the same id as the data declares
    /// it, perhaps in another case): dipgraph's answers name a party's own change so.
    pub state: Option<String>,
}

/// A row of `readings`: another reading of a fact's dates, or of a party's.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingRow {
    /// The fact's id.
    pub fact: String,
    /// The fact's kind.
    pub kind: FactKind,
    /// The party whose dates it reads (its place), or -1 for the fact's own.
    pub party: i32,
    /// That party's entity id.
    pub entity: Option<String>,
    /// The reading's place among its owner's readings.
    pub reading: i32,
    /// Its dates (a party's bounded by the treaty's, as in `ties`).
    pub dates: Dates,
    /// Its signature date.
    pub signed: Option<Date>,
    /// Free text.
    pub note: Option<String>,
}

/// A row of `sources`.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow<'a> {
    /// The fact's id.
    pub fact: &'a str,
    /// The party it backs (its place), or -1.
    pub party: i32,
    /// The reading it backs (its place), or -1.
    pub reading: i32,
    /// Its place in its list.
    pub position: i32,
    /// The source.
    pub source: &'a Source,
}

/// Every row one fact gives.
#[derive(Debug, Clone, PartialEq)]
pub struct FactRows<'a> {
    /// Its row of `facts`.
    pub fact: FactRow,
    /// Its ties.
    pub ties: Vec<TieRow>,
    /// Its other readings and its parties'.
    pub readings: Vec<ReadingRow>,
    /// Its sources, its parties' and its readings'.
    pub sources: Vec<SourceRow<'a>>,
}

/// The rows of `fact`; `canonical` gives an entity's id as the data declares it, from an id as
/// a fact writes it (ids match whatever their case).
pub fn rows<'a>(fact: &'a Fact, canonical: &dyn Fn(&str) -> Option<String>) -> FactRows<'a> {
    let id = |raw: &str| canonical(raw).unwrap_or_else(|| raw.to_string());
    let dates = Dates::of_when(fact.when);
    let kind = fact.kind();
    let mut row = FactRow {
        id: fact.id.clone(),
        kind,
        title: fact.title(),
        dates,
        start_year: fact.start_date().map_or(0, |d| i32::from(d.year_number())),
        disputed: !fact.disputed.is_empty(),
        signed: None,
        in_force: None,
        treaty_kind: None,
        alliance: None,
        measures: Vec::new(),
        legal_act: None,
        program: None,
        stance: None,
        quote: None,
        event_kind: None,
        note: fact.note.clone(),
    };
    let mut ties: Vec<TieRow> = Vec::new();
    let mut readings = Vec::new();
    let mut sources = Vec::new();
    let tie = |entity: String, role: &'static str| TieRow {
        fact: fact.id.clone(),
        kind,
        entity,
        role,
        party: -1,
        treaty_kind: None,
        dates,
        signed: None,
        state: None,
    };
    // A plain tie: one row per entity and role, however often the fact names it.
    let plain = |entity: &str, role: &'static str, ties: &mut Vec<TieRow>| {
        let entity = id(entity);
        if !ties.iter().any(|t| t.role == role && t.entity == entity) {
            ties.push(tie(entity, role));
        }
    };
    match &fact.body {
        FactBody::Role { person, of, .. } => {
            plain(person, "holds role", &mut ties);
            plain(of, "role in", &mut ties);
        }
        FactBody::Membership { member, of } => {
            plain(member, "member", &mut ties);
            plain(of, "has member", &mut ties);
        }
        FactBody::Treaty {
            kind: tk,
            signed,
            in_force,
            organization,
            parties,
            ..
        } => {
            row.signed = *signed;
            row.in_force = *in_force;
            row.treaty_kind = Some(tk.as_str());
            row.alliance = Some(tk.is_alliance());
            if let Some(o) = organization {
                plain(o, "organization", &mut ties);
            }
            let treaty = fact.interval().unwrap_or_default();
            for (k, p) in parties.iter().enumerate() {
                ties.push(party_tie(fact, treaty, k, p, &id(&p.state)));
                for (r, reading) in p.disputed.iter().enumerate() {
                    let mut rr = reading_row(fact, k as i32, r, reading);
                    rr.entity = Some(id(&p.state));
                    rr.dates.edges = reading.interval.edges().within(treaty.edges());
                    readings.push(rr);
                    sources.extend(source_rows(&fact.id, k as i32, r as i32, &reading.sources));
                }
                sources.extend(source_rows(&fact.id, k as i32, -1, &p.sources));
            }
            for t in &mut ties {
                t.treaty_kind = Some(tk.as_str());
            }
        }
        FactBody::Sanction {
            by,
            against,
            measures,
            legal_act,
            program,
        } => {
            row.measures = measures.iter().map(|m| m.as_str()).collect();
            row.legal_act = legal_act.clone();
            row.program = program.clone();
            plain(by, "sender", &mut ties);
            for a in against {
                plain(a, "target", &mut ties);
            }
        }
        FactBody::Statement {
            by,
            on_behalf_of,
            about,
            quote,
            stance,
        } => {
            row.stance = Some(stance.as_str());
            row.quote = Some(quote.clone());
            plain(by, "speaker", &mut ties);
            if let Some(o) = on_behalf_of {
                plain(o, "spoken for", &mut ties);
            }
            for a in about {
                plain(a, "subject", &mut ties);
            }
        }
        FactBody::Event {
            kind: ek, involves, ..
        } => {
            row.event_kind = Some(ek.as_str());
            for a in involves {
                plain(a, "involved", &mut ties);
            }
        }
    }
    for (r, reading) in fact.disputed.iter().enumerate() {
        readings.push(reading_row(fact, -1, r, reading));
        sources.extend(source_rows(&fact.id, -1, r as i32, &reading.sources));
    }
    let mut all_sources = source_rows(&fact.id, -1, -1, &fact.sources);
    all_sources.extend(sources);
    FactRows {
        fact: row,
        ties,
        readings,
        sources: all_sources,
    }
}

/// The tie of party `k` of a treaty in force over `treaty`: its own dates as written, its
/// bounds within the treaty's.
fn party_tie(fact: &Fact, treaty: Interval, k: usize, p: &Party, entity: &str) -> TieRow {
    TieRow {
        fact: fact.id.clone(),
        kind: FactKind::Treaty,
        entity: entity.to_string(),
        role: "party",
        party: k as i32,
        treaty_kind: None,
        dates: Dates::span(p.interval, p.interval.edges().within(treaty.edges())),
        signed: p.signed,
        state: Some(p.state.clone()),
    }
}

fn reading_row(fact: &Fact, party: i32, r: usize, reading: &Reading) -> ReadingRow {
    ReadingRow {
        fact: fact.id.clone(),
        kind: fact.kind(),
        party,
        entity: None,
        reading: r as i32,
        dates: Dates::span(reading.interval, reading.interval.edges()),
        signed: reading.signed,
        note: reading.note.clone(),
    }
}

fn source_rows<'a>(
    fact: &'a str,
    party: i32,
    reading: i32,
    list: &'a [Source],
) -> Vec<SourceRow<'a>> {
    list.iter()
        .enumerate()
        .map(|(k, source)| SourceRow {
            fact,
            party,
            reading,
            position: k as i32,
            source,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Certainty, Window};

    fn fact(text: &str) -> Fact {
        let data = crate::load::from_text("t.ron", text).dataset;
        data.facts.into_iter().next().expect("one fact")
    }

    #[test]
    fn a_party_tie_is_bounded_by_its_treaty_and_answers_as_the_party_does() {
        let f = fact(
            r#"[State(id: "BLR", name: "B"), State(id: "RUS", name: "R"),
                Treaty(id: "t", name: "T", kind: Defense, signed: "1999-12", in_force: "2000",
                       ended: "2010-05",
                       parties: [Party(state: "rus"), Party(state: "BLR", from: "1999", until: "2005",
                                 disputed: [Reading(until: "2007", sources: [])])], sources: [])]"#,
        );
        let canon = |s: &str| Some(s.to_ascii_uppercase());
        let r = rows(&f, &canon);
        assert_eq!(r.fact.start_year, 2000);
        assert_eq!(r.fact.alliance, Some(true));
        let blr = r.ties.iter().find(|t| t.entity == "BLR").expect("BLR tie");
        assert_eq!((blr.role, blr.party), ("party", 1));
        assert_eq!(r.ties[0].entity, "RUS", "ids as the data declares them");
        assert_eq!(
            r.ties[0].state.as_deref(),
            Some("rus"),
            "and as the treaty writes them"
        );
        let treaty = f.interval().expect("a span");
        let p = &f.parties()[1];
        for day in [
            "1999-06-01",
            "2000",
            "2000-06",
            "2004-12-31",
            "2005",
            "2006",
            "2008",
        ] {
            let w = Window::of(Date::parse(day).expect("date"));
            let own = blr.dates.edges.status(w);
            let read = r.readings[0].dates.edges.status(w);
            let expect = p.status(treaty, w);
            let combined = if own == Certainty::Certain && read == Certainty::Certain {
                Certainty::Certain
            } else {
                own.max(read).min(Certainty::Possible)
            };
            assert_eq!(combined, expect, "{day}");
        }
        assert_eq!(r.readings[0].party, 1);
        assert_eq!(r.readings[0].entity.as_deref(), Some("BLR"));
    }

    #[test]
    fn a_target_named_twice_is_one_tie_and_a_point_fact_has_its_day_as_bounds() {
        let f = fact(
            r#"[State(id: "BLR", name: "B"),
                Event(id: "e", name: "E", kind: Meeting, on: "2020-10", involves: ["BLR", "blr"], sources: [])]"#,
        );
        let canon = |s: &str| Some(s.to_ascii_uppercase());
        let r = rows(&f, &canon);
        assert_eq!(r.ties.len(), 1);
        assert!(r.fact.dates.point);
        let d = Date::parse("2020-10").expect("date");
        assert_eq!(r.fact.dates.edges.start_lo, Some(d.first()));
        assert_eq!(r.fact.dates.edges.start_hi, Some(d.last()));
    }
}
