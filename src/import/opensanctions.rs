//! `import opensanctions`: FollowTheMoney entities as OpenSanctions exports them (JSON lines)
//! to people, organizations, sanctions and roles.
//!
//! - `Person` is a person; `Company`, `Organization`, `LegalEntity` and `PublicBody` are
//!   organizations. Every name and alias is kept (the caption is the name, the others aliases);
//!   several birth dates keep the earliest as `born` and list all in the note.
//! - `Sanction` is a sanction against its `entity`, by the jurisdiction whose authority listed
//!   it (its `country`: a state, or the EU), with the authority itself in the note. It starts on
//!   its earliest `startDate`, else its earliest `listingDate` (a sanction with neither is left
//!   out: dipgraph needs a start), and ends on its latest `endDate`. Measures are read from
//!   `provisions`.
//! - `Directorship` of a person is a role.
//! - Other schemas (ownership, family ties, addresses, passports) have no record in dipgraph and
//!   are counted as left out.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;

use serde::Deserialize;

use super::emit::{Rec, Value};
use super::merge::{Candidate, unique, unique_by};
use super::rows::{BadLine, broken_off, iso_date, slug};
use super::sink::{self, Extract, Sink};
use super::{Progress, crosswalk, source, state_candidate};
use crate::model::{Date, EntityKind, Interval, Measure, id_key};

const PUBLISHER: &str = "OpenSanctions";

/// One line of the export.
#[derive(Debug, Deserialize)]
struct Line {
    id: String,
    #[serde(default)]
    caption: Option<String>,
    schema: String,
    #[serde(default)]
    properties: BTreeMap<String, Vec<serde_json::Value>>,
    #[serde(default)]
    datasets: Vec<String>,
    #[serde(default)]
    last_change: Option<String>,
}

struct Item {
    line: u64,
    entity: Line,
}

impl Item {
    /// The values of property `p`, as text, in order, without repeats.
    fn all(&self, p: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for v in self.entity.properties.get(p).into_iter().flatten() {
            let s = match v {
                serde_json::Value::String(s) => s.trim().to_string(),
                other => other.to_string(),
            };
            if !s.is_empty() && !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    fn first(&self, p: &str) -> Option<String> {
        self.all(p).into_iter().next()
    }

    fn dates(&self, p: &str) -> Vec<Date> {
        let mut d: Vec<Date> = self.all(p).iter().filter_map(|s| iso_date(s)).collect();
        d.sort();
        d.dedup();
        d
    }

    fn provenance(&self, file: &str) -> String {
        format!(
            "OpenSanctions {} ({file}, line {})",
            self.entity.id, self.line
        )
    }
}

fn kind_of(schema: &str) -> Option<(EntityKind, Option<&'static str>)> {
    match schema {
        "Person" => Some((EntityKind::Person, None)),
        "Company" => Some((EntityKind::Organization, Some("Company"))),
        "PublicBody" => Some((EntityKind::Organization, Some("Government"))),
        "Organization" | "LegalEntity" => Some((EntityKind::Organization, Some("Other"))),
        _ => None,
    }
}

/// The measures that sanction provisions name (English wording only; anything else is
/// `Other`).
pub fn measures(provisions: &[String]) -> Vec<Measure> {
    let mut out: Vec<Measure> = Vec::new();
    for p in provisions {
        let p = p.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| p.contains(w));
        let mut found = Vec::new();
        if has(&["freeze", "frozen", "block", "targeted financial sanction"]) {
            found.push(Measure::AssetFreeze);
        }
        if has(&["travel", "entry ban", "visa", "admission"]) {
            found.push(Measure::TravelBan);
        }
        if p == "arms" || has(&["arms embargo", "arms and", "weapon", "military equipment"]) {
            found.push(Measure::ArmsEmbargo);
        }
        if has(&[
            "export",
            "import",
            "trade",
            "entity list",
            "items subject to the ear",
        ]) {
            found.push(Measure::TradeRestriction);
        }
        if has(&[
            "securities",
            "investment",
            "loan",
            "capital",
            "financing",
            "trust services",
        ]) {
            found.push(Measure::FinancialRestriction);
        }
        if has(&["aircraft", "aviation", "airspace", "flight"]) {
            found.push(Measure::AviationBan);
        }
        if has(&["sectoral"]) {
            found.push(Measure::SectoralSanctions);
        }
        if found.is_empty() {
            found.push(Measure::Other);
        }
        out.extend(found);
    }
    if out.is_empty() {
        out.push(Measure::Other);
    }
    out.sort();
    out.dedup();
    if out.len() > 1 {
        out.retain(|m| *m != Measure::Other);
    }
    out
}

/// `s` ending in a full stop.
fn sentence(s: String) -> String {
    if s.ends_with(['.', '!', '?']) {
        s
    } else {
        format!("{s}.")
    }
}

/// Whether every letter of `s` is in a Latin script (ASCII, or up to Latin Extended-B).
fn latin(s: &str) -> bool {
    s.chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| u32::from(c) <= 0x024F)
}

fn joined(label: &str, values: &[String]) -> Option<String> {
    (!values.is_empty()).then(|| format!("{label}: {}", values.join("; ")))
}

/// Reads `bytes` (JSON lines), named `file` in provenance; the first line that cannot be read
/// is the error.
pub fn read(
    bytes: &[u8],
    file: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<Extract, BadLine> {
    let mut out = Extract::default();
    progress(Progress::Stage("reading"));
    let mut reader = Reader::default();
    reader.entities(&mut &bytes[..], file, &mut out)?;
    reader.facts(&mut &bytes[..], file, &mut out)?;
    out.or_first_bad()
}

/// The reading of an export in two passes over its lines: people and organizations first
/// ([`Reader::entities`]), then the sanctions and roles that name them ([`Reader::facts`]),
/// which may come before them in the file. Between the two it holds what the facts need of
/// each entity (its handle and kind, by FollowTheMoney id), and the lines that could not be
/// read.
#[derive(Debug, Default)]
pub struct Reader {
    by_ftm: HashMap<String, (usize, EntityKind)>,
    /// Every id seen, by its 128-bit hash, with its line: an id given twice is an error.
    seen: HashMap<u128, u64>,
    bad_lines: HashSet<u64>,
    taken_slugs: HashSet<String>,
    fact_ids: HashSet<String>,
}

/// Each line of `input` with its number (1-based), blank lines skipped; a line that breaks
/// off ends the lines with its error.
fn lines(input: &mut dyn BufRead, mut each: impl FnMut(u64, Result<&[u8], BadLine>)) {
    let mut buf = Vec::new();
    let mut n = 0u64;
    loop {
        buf.clear();
        n += 1;
        match input.read_until(b'\n', &mut buf) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) => return each(n, Err(BadLine::new(n, broken_off(&e)))),
        }
        let raw = if n == 1 {
            buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf)
        } else {
            &buf
        };
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        each(n, Ok(raw));
    }
}

/// One line as an entity.
fn parse(line: u64, raw: &[u8]) -> Result<Item, BadLine> {
    let text = std::str::from_utf8(raw).map_err(|e| {
        BadLine::new(
            line,
            format!("not UTF-8 text (at byte {})", e.valid_up_to() + 1),
        )
    })?;
    let entity: Line = serde_json::from_str(text).map_err(|e| {
        BadLine::new(
            line,
            format!(
                "expected one FollowTheMoney entity as a JSON object with `id`, `schema` and `properties` (a map of lists): {e}"
            ),
        )
    })?;
    if entity.id.trim().is_empty() {
        return Err(BadLine::new(line, "the entity's `id` is empty"));
    }
    Ok(Item { line, entity })
}

impl Reader {
    /// The first pass: every line is read and counted, and each person and organization
    /// named to `sink`; lines that cannot be read are handed to it as bad.
    pub fn entities(
        &mut self,
        input: &mut dyn BufRead,
        file: &str,
        sink: &mut dyn Sink,
    ) -> Result<(), BadLine> {
        lines(input, |line, raw| {
            sink.row();
            let item = raw.and_then(|raw| parse(line, raw)).and_then(|item| {
                let h = xxhash_rust::xxh3::xxh3_128(item.entity.id.as_bytes());
                match self.seen.insert(h, line) {
                    Some(prev) => Err(BadLine::new(
                        line,
                        format!(
                            "the entity `{}` is given twice (also on line {prev})",
                            item.entity.id
                        ),
                    )),
                    None => Ok(item),
                }
            });
            let item = match item {
                Ok(item) => item,
                Err(bad) => {
                    self.bad_lines.insert(line);
                    return sink.bad(bad);
                }
            };
            if let Some((kind, org_kind)) = kind_of(&item.entity.schema) {
                let index = entity(&item, kind, org_kind, file, sink, &mut self.taken_slugs);
                self.by_ftm.insert(item.entity.id.clone(), (index, kind));
            }
        });
        sink.header(vec![
            format!("Imported by `dipgraph import opensanctions` from {file} (OpenSanctions, FollowTheMoney entities)."),
            "Data from OpenSanctions, https://www.opensanctions.org/ (CC BY-NC 4.0: non-commercial use, with attribution).".into(),
            "Re-running the import rewrites this file: put corrections in another file.".into(),
        ]);
        Ok(())
    }

    /// The second pass: sanctions and directorships become facts; other schemas without a
    /// dipgraph record are counted as left out.
    pub fn facts(
        &mut self,
        input: &mut dyn BufRead,
        file: &str,
        sink: &mut dyn Sink,
    ) -> Result<(), BadLine> {
        lines(input, |line, raw| {
            if self.bad_lines.contains(&line) {
                return;
            }
            let Ok(item) = raw.and_then(|raw| parse(line, raw)) else {
                return;
            };
            let schema = item.entity.schema.as_str();
            let key = format!("ftm:{}", item.entity.id);
            match schema {
                "Sanction" | "Directorship" if sink.imported_before(&key) => {}
                "Sanction" => sanction(&item, file, &self.by_ftm, sink, &mut self.fact_ids),
                "Directorship" => directorship(&item, file, &self.by_ftm, sink, &mut self.fact_ids),
                s if kind_of(s).is_some() => {}
                s => sink.skip(&format!("{s}: no dipgraph record for it")),
            }
        });
        Ok(())
    }
}

fn entity(
    item: &Item,
    kind: EntityKind,
    org_kind: Option<&'static str>,
    file: &str,
    sink: &mut dyn Sink,
    taken: &mut HashSet<String>,
) -> usize {
    let key = format!("ftm:{}", item.entity.id);
    if let Some(known) = sink.known(&key) {
        return known;
    }
    let e = &item.entity;
    let mut names: Vec<String> = Vec::new();
    let caption = e
        .caption
        .clone()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| item.first("name"))
        .unwrap_or_else(|| e.id.clone());
    let others: Vec<String> = item
        .all("name")
        .into_iter()
        .chain(item.all("alias"))
        .chain(item.all("previousName"))
        .collect();
    // The name as usually written in English: the caption, unless it is in another script
    // and a Latin one is at hand.
    let caption = if latin(&caption) {
        caption
    } else {
        others.iter().find(|n| latin(n)).cloned().unwrap_or(caption)
    };
    for n in std::iter::once(caption.clone()).chain(others) {
        if !names.iter().any(|x| x.eq_ignore_ascii_case(&n)) {
            names.push(n);
        }
    }
    let mut base = slug(&caption);
    if base.is_empty() {
        base = slug(&e.id);
    }
    let id = unique(&base, taken);
    let mut notes = vec![format!("{}.", item.provenance(file))];
    notes.extend(joined("Datasets", &e.datasets).map(|s| format!("{s}.")));
    if let Some(c) = &e.last_change {
        notes.push(format!("Last changed: {c}."));
    }
    for (label, prop) in [
        ("Country", "country"),
        ("Nationality", "nationality"),
        ("Citizenship", "citizenship"),
        ("Jurisdiction", "jurisdiction"),
        ("Position", "position"),
        ("Birth place", "birthPlace"),
        ("Registration number", "registrationNumber"),
        ("INN", "innCode"),
        ("OGRN", "ogrnCode"),
        ("Tax number", "taxNumber"),
        ("Legal form", "legalForm"),
        ("Website", "website"),
    ] {
        if let Some(s) = joined(label, &item.all(prop)) {
            notes.push(sentence(s));
        }
    }
    let record_names = names.clone();
    let (start, end, start_field, end_field) = if kind == EntityKind::Person {
        (
            item.dates("birthDate"),
            item.dates("deathDate"),
            "born",
            "died",
        )
    } else {
        (
            item.dates("incorporationDate"),
            item.dates("dissolutionDate"),
            "founded",
            "dissolved",
        )
    };
    if start.len() > 1 {
        let all: Vec<String> = start.iter().map(Date::to_string).collect();
        notes.push(format!(
            "Dates given for `{start_field}`: {} (the earliest is kept).",
            all.join(", ")
        ));
    }
    // An end before the start would not validate: keep it in the note only.
    let end = end
        .last()
        .copied()
        .filter(|d| start.first().is_none_or(|s| d > s));
    sink::entity(sink, &key, move |me| {
        let mut rec = Rec::new(kind.as_str())
            .with("id", Value::Ref(me))
            .with("name", record_names[0].as_str())
            .list(
                "aliases",
                record_names[1..]
                    .iter()
                    .map(|n| Value::from(n.as_str()))
                    .collect(),
            );
        if let Some(k) = org_kind {
            rec = rec.with("kind", Value::Ident(k));
        }
        rec = rec
            .opt(start_field, start.first().copied())
            .opt(end_field, end)
            .with("note", notes.join(" "));
        Candidate {
            kind,
            id,
            id_is_code: false,
            cow: None,
            names,
            record: rec,
        }
    })
}

/// The jurisdiction behind a sanction: a state for a country code, the EU for `eu`, else the
/// listing authority as an organization.
fn sender(item: &Item, file: &str, sink: &mut dyn Sink) -> Option<usize> {
    let named = |what: &str| {
        format!(
            "Named as {what} by {} on line {} of {file} (OpenSanctions).",
            item.entity.id, item.line
        )
    };
    for code in item.all("country") {
        let id = match code.to_ascii_lowercase().as_str() {
            "eu" => {
                return Some(sink::entity(sink, "org:eu", |me| Candidate {
                    kind: EntityKind::Organization,
                    id: "EU".into(),
                    id_is_code: false,
                    cow: None,
                    names: vec!["European Union".into()],
                    record: Rec::new("Organization")
                        .with("id", Value::Ref(me))
                        .with("name", "European Union")
                        .with("kind", Value::Ident("Supranational"))
                        .with("note", named("the sanctioning jurisdiction (`eu`)")),
                }));
            }
            "xk" => Some("XKX".to_string()),
            "suhh" => Some("RUS".to_string()),
            "ddde" => Some("DDR".to_string()),
            "csxx" => Some("CSK".to_string()),
            "yucs" => Some("SRB".to_string()),
            a2 => crosswalk::country_by_alpha2(a2).map(|c| c.alpha3.to_string()),
        };
        if let Some(id) = id.filter(|id| crosswalk::is_state(id)) {
            let name = crosswalk::state_name(&id).unwrap_or(&id).to_string();
            let note = named(&format!("the sanctioning jurisdiction (`{code}`)"));
            return Some(state_candidate(
                sink,
                &id,
                &name,
                crosswalk::cow_of(&id),
                || Some(note),
            ));
        }
    }
    let authority = item.first("authority")?;
    let base = slug(&authority);
    if base.is_empty() {
        return None;
    }
    Some(sink::entity(sink, &format!("org:{base}"), |me| Candidate {
        kind: EntityKind::Organization,
        id: base.clone(),
        id_is_code: false,
        cow: None,
        names: vec![authority.clone()],
        record: Rec::new("Organization")
            .with("id", Value::Ref(me))
            .with("name", authority.as_str())
            .with("kind", Value::Ident("Agency"))
            .with("note", named("the listing authority")),
    }))
}

/// The id of a fact: the slug of its FollowTheMoney id, made unique among the import's facts
/// and the ids the data and the import have.
fn fact_id(ftm_id: &str, sink: &dyn Sink, taken: &mut HashSet<String>) -> String {
    let mut base = slug(ftm_id);
    if base.is_empty() {
        base = "opensanctions".into();
    }
    let id = unique_by(&base, |id| taken.contains(&id_key(id)) || sink.taken(id));
    taken.insert(id_key(&id));
    id
}

fn sanction(
    item: &Item,
    file: &str,
    by_ftm: &HashMap<String, (usize, EntityKind)>,
    sink: &mut dyn Sink,
    ids: &mut HashSet<String>,
) {
    let targets: Vec<usize> = item
        .all("entity")
        .iter()
        .filter_map(|t| by_ftm.get(t.as_str()).map(|(i, _)| *i))
        .collect();
    if targets.is_empty() {
        sink.skip("Sanction: its target is not a person or organization in the file");
        return;
    }
    let starts = item.dates("startDate");
    let listings = item.dates("listingDate");
    let Some(from) = starts.first().or(listings.first()).copied() else {
        sink.skip("Sanction: no start or listing date");
        return;
    };
    let Some(by) = sender(item, file, sink) else {
        sink.skip("Sanction: no country or authority");
        return;
    };
    let ends = item.dates("endDate");
    let until = ends.last().copied().filter(|u| u.first() > from.last());
    let provisions = item.all("provisions");
    let programs = item.all("program");
    let program_ids = item.all("programId");
    let program = if programs.is_empty() {
        program_ids.join("; ")
    } else {
        programs.join("; ")
    };
    let authorities = item.all("authority");
    let mut notes = vec![format!("{}.", item.provenance(file))];
    for (label, values) in [
        ("Authority", authorities.clone()),
        ("Authority's id", item.all("authorityId")),
        ("Programme id", program_ids.clone()),
        ("Provisions", provisions.clone()),
        ("Start dates", starts.iter().map(Date::to_string).collect()),
        (
            "Listing dates",
            listings.iter().map(Date::to_string).collect(),
        ),
        ("End dates", ends.iter().map(Date::to_string).collect()),
        ("Status", item.all("status")),
        ("Duration", item.all("duration")),
        ("Reason", item.all("reason")),
        ("Summary", item.all("summary")),
    ] {
        if let Some(s) = joined(label, &values) {
            notes.push(sentence(s));
        }
    }
    let target_ftm = item.first("entity").unwrap_or_default();
    let mut sources = vec![source(
        item.provenance(file),
        &format!("https://www.opensanctions.org/entities/{target_ftm}/"),
        PUBLISHER,
        None,
    )];
    let publisher = authorities.first().map_or(PUBLISHER, String::as_str);
    let listing = if program.is_empty() {
        "sanctions list".to_string()
    } else {
        program.clone()
    };
    for url in item.all("sourceUrl") {
        sources.push(source(
            format!("{publisher}: {listing}"),
            &url,
            publisher,
            None,
        ));
    }
    let id = fact_id(&item.entity.id, sink, ids);
    sink.fact(
        Some(format!("ftm:{}", item.entity.id)),
        Rec::new("Sanction")
            .with("id", id)
            .with("by", Value::Ref(by))
            .with(
                "against",
                Value::List(targets.into_iter().map(Value::Ref).collect()),
            )
            .with(
                "measures",
                Value::List(
                    measures(&provisions)
                        .into_iter()
                        .map(|m| Value::Ident(m.as_str()))
                        .collect(),
                ),
            )
            .with("from", from)
            .opt("until", until)
            .opt("program", (!program.is_empty()).then_some(program))
            .list("sources", sources)
            .with("note", notes.join(" ")),
    );
}

fn directorship(
    item: &Item,
    file: &str,
    by_ftm: &HashMap<String, (usize, EntityKind)>,
    sink: &mut dyn Sink,
    ids: &mut HashSet<String>,
) {
    let get = |p: &str| item.first(p).and_then(|d| by_ftm.get(d.as_str()).copied());
    // Only a person holds a role.
    let (Some((person, EntityKind::Person)), Some((org, EntityKind::Organization))) =
        (get("director"), get("organization"))
    else {
        sink.skip("Directorship: its director is not a person in the file, or its organization not an organization");
        return;
    };
    let from = item.dates("startDate").first().copied();
    // An end not after the start would not validate: the dates stay in the note.
    let until = item
        .dates("endDate")
        .last()
        .copied()
        .filter(|u| from.is_none_or(|f| Interval::new(Some(f), Some(*u)).is_satisfiable()));
    let id = fact_id(&item.entity.id, sink, ids);
    sink.fact(
        Some(format!("ftm:{}", item.entity.id)),
        Rec::new("Role")
            .with("id", id)
            .with("person", Value::Ref(person))
            .with("of", Value::Ref(org))
            .with(
                "title",
                item.first("role").unwrap_or_else(|| "Director".to_string()),
            )
            .opt("from", from)
            .opt("until", until)
            .list(
                "sources",
                vec![source(
                    item.provenance(file),
                    &format!(
                        "https://www.opensanctions.org/entities/{}/",
                        item.first("director").unwrap_or_default()
                    ),
                    PUBLISHER,
                    None,
                )],
            )
            .opt("note", {
                let mut notes: Vec<String> = Vec::new();
                let dates = |p: &str| {
                    item.dates(p)
                        .iter()
                        .map(Date::to_string)
                        .collect::<Vec<_>>()
                };
                for (label, values) in [
                    ("Summary", item.all("summary")),
                    ("Start dates", dates("startDate")),
                    ("End dates", dates("endDate")),
                ] {
                    notes.extend(joined(label, &values).map(sentence));
                }
                (!notes.is_empty()).then(|| notes.join(" "))
            }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testing::{quiet, render};

    fn run(text: &str) -> Result<Extract, BadLine> {
        read(text.as_bytes(), "entities.ftm.json", &mut quiet())
    }

    const LINES: &str = r#"{"id":"NK-a","caption":"Ivan Petrov","schema":"Person","properties":{"name":["Ivan Petrov","Иван Петров","IVAN PETROV"],"alias":["Vanya"],"birthDate":["1970-05-01","1969"],"nationality":["ru"]},"datasets":["eu_fsf"],"last_change":"2024-01-02T03:04:05"}
{"id":"NK-b","caption":"LLC Drone","schema":"Company","properties":{"name":["LLC Drone"],"incorporationDate":["2001-02-03"],"innCode":["123"]}}

{"id":"s-1","schema":"Sanction","properties":{"entity":["NK-a"],"authority":["Office of Foreign Assets Control"],"country":["us"],"program":["RUSSIA-EO14024"],"programId":["US-RUSHAR"],"provisions":["Block"],"startDate":["2022-03-01"],"listingDate":["2022-03-02","2023-01-01"],"sourceUrl":["https://ofac.example/1"]}}
{"id":"s-2","schema":"Sanction","properties":{"entity":["NK-b"],"authority":["Council of the European Union"],"country":["eu"],"provisions":["Asset freeze","Travel ban"],"listingDate":["2023-06-23"],"endDate":["2024-06-23"]}}
{"id":"s-3","schema":"Sanction","properties":{"entity":["NK-b"],"authority":["Monaco"],"country":["mc"]}}
{"id":"s-4","schema":"Sanction","properties":{"entity":["NK-zzz"],"startDate":["2022"]}}
{"id":"d-1","schema":"Directorship","properties":{"director":["NK-a"],"organization":["NK-b"],"role":["General Director"],"startDate":["2015"]}}
{"id":"o-1","schema":"Ownership","properties":{"owner":["NK-a"],"asset":["NK-b"]}}
"#;

    #[test]
    fn people_organizations_sanctions_roles() {
        let x = run(LINES).expect("reads");
        assert_eq!(x.rows, 8);
        let text = render(&x).expect("valid");
        // Multi-valued names: the caption is the name, the rest are aliases (no repeats by case).
        assert!(text.contains("id: \"ivan-petrov\",\n        name: \"Ivan Petrov\",\n        aliases: [\"Иван Петров\", \"Vanya\"],\n        born: \"1969\","), "{text}");
        assert!(
            text.contains("Dates given for `born`: 1969, 1970-05-01 (the earliest is kept)."),
            "{text}"
        );
        assert!(
            text.contains("kind: Company,\n        founded: \"2001-02-03\""),
            "{text}"
        );
        // By the jurisdiction; from the start date; the authority in the note.
        assert!(text.contains("id: \"s-1\",\n        by: \"USA\",\n        against: [\"ivan-petrov\"],\n        measures: [AssetFreeze],\n        from: \"2022-03-01\",\n        program: \"RUSSIA-EO14024\","), "{text}");
        assert!(
            text.contains("Authority: Office of Foreign Assets Control."),
            "{text}"
        );
        assert!(
            text.contains("Listing dates: 2022-03-02; 2023-01-01."),
            "{text}"
        );
        assert!(text.contains("url: \"https://ofac.example/1\""), "{text}");
        // The EU; from the listing date when there is no start; an end date.
        assert!(text.contains("by: \"EU\",\n        against: [\"llc-drone\"],\n        measures: [AssetFreeze, TravelBan],\n        from: \"2023-06-23\",\n        until: \"2024-06-23\","), "{text}");
        assert!(text.contains("Role(\n        id: \"d-1\",\n        person: \"ivan-petrov\",\n        of: \"llc-drone\",\n        title: \"General Director\",\n        from: \"2015\","), "{text}");
        assert_eq!(
            x.skipped.get("Sanction: no start or listing date"),
            Some(&1)
        );
        assert_eq!(
            x.skipped
                .get("Sanction: its target is not a person or organization in the file"),
            Some(&1)
        );
        assert_eq!(
            x.skipped.get("Ownership: no dipgraph record for it"),
            Some(&1)
        );
    }

    #[test]
    fn bad_lines() {
        let e = run("{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{}}\n{\"id\": 3}\n")
            .expect_err("bad");
        assert_eq!(e.line, 2);
        assert!(
            e.message.starts_with("expected one FollowTheMoney entity"),
            "{}",
            e.message
        );
        let e = run("{\"id\":\"a\",\"schema\":\"Person\"}\nnot json\n").expect_err("bad");
        assert_eq!(e.line, 2);
        let e = run("{\"id\":\"a\",\"schema\":\"Person\"}\n{\"id\":\"a\",\"schema\":\"Person\"}\n")
            .expect_err("bad");
        assert!(
            e.message.contains("given twice (also on line 1)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn measures_from_provisions() {
        let m = |p: &[&str]| measures(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(m(&[]), [Measure::Other]);
        assert_eq!(m(&["Targeted financial sanction"]), [Measure::AssetFreeze]);
        assert_eq!(
            m(&[
                "Ship Ban",
                "Aircraft Ban",
                "Asset Freeze",
                "Dealing with Securities"
            ]),
            [
                Measure::AssetFreeze,
                Measure::FinancialRestriction,
                Measure::AviationBan
            ]
        );
        assert_eq!(
            m(&["Trust Services Sanctions", "Travel Ban"]),
            [Measure::TravelBan, Measure::FinancialRestriction]
        );
        assert_eq!(m(&["блокування активів"]), [Measure::Other]);
    }
}
