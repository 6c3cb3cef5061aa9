//! `import cow-alliances`: COW Formal Alliances v4.1 by member
//! (`alliance_v4.1_by_member.csv`) to one treaty per alliance, one party per member row.
//!
//! - The kind is the strongest obligation any member takes on: defense, then neutrality, then
//!   non-aggression, then entente (the flags are reliable; the `ss_type` label only decides
//!   when no flag is set).
//! - Each row is a party with its own `from` and `until`, so a member that left and rejoined
//!   is two parties. An empty end (right-censored: still in force when the data set closed on
//!   2012-12-31) is an open end, not a real end.
//! - A missing day or month lowers the date's precision.
//! - The treaty is in force from the alliance's start, or from its earliest member's where
//!   COW has a member join a few days before (alliances 38, 95, 323, 347), until its end.

use std::collections::BTreeMap;
use std::io::BufRead;

use super::emit::{Rec, Value};
use super::rows::{BadLine, Col, Row, Table};
use super::sink::{Extract, Sink};
use super::{Progress, crosswalk, source, state_candidate};
use crate::model::{Dataset, Date, FactBody, Interval, Source, TreatyKind};

/// The columns read.
pub const COLUMNS: &[&str] = &[
    "version4id",
    "ccode",
    "state_name",
    "all_st_day",
    "all_st_month",
    "all_st_year",
    "all_end_day",
    "all_end_month",
    "all_end_year",
    "ss_type",
    "mem_st_day",
    "mem_st_month",
    "mem_st_year",
    "mem_end_day",
    "mem_end_month",
    "mem_end_year",
    "left_censor",
    "right_censor",
    "defense",
    "neutrality",
    "nonaggression",
    "entente",
];

const URL: &str = "https://correlatesofwar.org/data-sets/formal-alliances/";
const PUBLISHER: &str = "Correlates of War Project";

/// The obligations of one member row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Flags {
    defense: bool,
    neutrality: bool,
    nonaggression: bool,
    entente: bool,
}

impl Flags {
    fn strongest(self) -> Option<TreatyKind> {
        if self.defense {
            Some(TreatyKind::Defense)
        } else if self.neutrality {
            Some(TreatyKind::Neutrality)
        } else if self.nonaggression {
            Some(TreatyKind::NonAggression)
        } else if self.entente {
            Some(TreatyKind::Entente)
        } else {
            None
        }
    }

    fn or(self, o: Flags) -> Flags {
        Flags {
            defense: self.defense || o.defense,
            neutrality: self.neutrality || o.neutrality,
            nonaggression: self.nonaggression || o.nonaggression,
            entente: self.entente || o.entente,
        }
    }

    fn describe(self) -> String {
        let names: Vec<&str> = [
            (self.defense, "defense"),
            (self.neutrality, "neutrality"),
            (self.nonaggression, "non-aggression"),
            (self.entente, "entente"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, n)| *n)
        .collect();
        if names.is_empty() {
            "none flagged".into()
        } else {
            names.join(", ")
        }
    }
}

/// The kind a COW `ss_type` label names (`Type I: Defense Pact`, `Type IIb: ...`).
fn kind_of_label(label: &str) -> Option<TreatyKind> {
    let t = label.trim().to_ascii_lowercase();
    let code = t
        .strip_prefix("type ")?
        .split([':', ' '])
        .next()?
        .to_string();
    match code.as_str() {
        "i" => Some(TreatyKind::Defense),
        "ii" | "iia" => Some(TreatyKind::Neutrality),
        "iib" => Some(TreatyKind::NonAggression),
        "iii" => Some(TreatyKind::Entente),
        _ => None,
    }
}

struct Member {
    line: u64,
    ccode: u32,
    name: String,
    from: Date,
    until: Option<Date>,
    left_censored: bool,
    right_censored: bool,
    flags: Flags,
}

struct Alliance {
    start: Date,
    end: Option<Date>,
    label: String,
    version: String,
    members: Vec<Member>,
}

fn flags(row: &Row, c: &Cols) -> Result<Flags, BadLine> {
    Ok(Flags {
        defense: row.flag(&c.flags[0])?,
        neutrality: row.flag(&c.flags[1])?,
        nonaggression: row.flag(&c.flags[2])?,
        entente: row.flag(&c.flags[3])?,
    })
}

/// The columns of the table.
struct Cols {
    id: Col,
    ccode: Col,
    name: Col,
    label: Col,
    all_st: (Col, Col, Col),
    all_end: (Col, Col, Col),
    mem_st: (Col, Col, Col),
    mem_end: (Col, Col, Col),
    left: Col,
    right: Col,
    flags: [Col; 4],
    version: Option<Col>,
}

/// Reads `bytes` (the CSV), named `file` in provenance; the first row that cannot be read is
/// the error.
pub fn read(
    bytes: &[u8],
    file: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<Extract, BadLine> {
    let mut out = Extract::default();
    progress(Progress::Stage("reading"));
    read_into(&mut &bytes[..], file, &mut out)?;
    out.or_first_bad()
}

/// Reads `input` (the CSV) row by row into `sink`, named `file` in provenance. An alliance's
/// rows are held until the input ends (the data set has some 1,200). Fails only when the
/// input is not COW's alliances at all.
pub fn read_into(input: &mut dyn BufRead, file: &str, sink: &mut dyn Sink) -> Result<(), BadLine> {
    let mut t = Table::new(
        input,
        b',',
        COLUMNS,
        "COW Formal Alliances by member (alliance_v4.1_by_member.csv)",
    )?;
    let ymd = |t: &Table<_>, p: &str| {
        (
            t.col(&format!("{p}_year")),
            t.col(&format!("{p}_month")),
            t.col(&format!("{p}_day")),
        )
    };
    let c = Cols {
        id: t.col("version4id"),
        ccode: t.col("ccode"),
        name: t.col("state_name"),
        label: t.col("ss_type"),
        all_st: ymd(&t, "all_st"),
        all_end: ymd(&t, "all_end"),
        mem_st: ymd(&t, "mem_st"),
        mem_end: ymd(&t, "mem_end"),
        left: t.col("left_censor"),
        right: t.col("right_censor"),
        flags: [
            t.col("defense"),
            t.col("neutrality"),
            t.col("nonaggression"),
            t.col("entente"),
        ],
        version: t.has("version").then(|| t.col("version")),
    };
    let mut alliances: BTreeMap<u32, Alliance> = BTreeMap::new();
    while let Some(row) = t.next_row() {
        sink.row();
        if let Err(bad) = row.and_then(|row| member(&row, &c, &mut alliances)) {
            sink.bad(bad);
        }
    }
    let versions: Vec<&str> = {
        let mut v: Vec<&str> = alliances
            .values()
            .map(|a| a.version.as_str())
            .filter(|v| !v.is_empty())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let dataset = if versions.is_empty() {
        "Correlates of War Formal Alliances".to_string()
    } else {
        format!(
            "Correlates of War Formal Alliances v{}",
            versions.join(", ")
        )
    };
    sink.header(vec![
        format!("Imported by `dipgraph import cow-alliances` from {file} ({dataset})."),
        "Gibler, Douglas M. 2009. International Military Alliances, 1648-2008. CQ Press.".into(),
        "Re-running the import rewrites this file: put corrections in another file.".into(),
    ]);
    for (id, a) in &alliances {
        let all_flags = a
            .members
            .iter()
            .fold(Flags::default(), |f, m| f.or(m.flags));
        let kind = match all_flags.strongest().or_else(|| kind_of_label(&a.label)) {
            Some(k) => k,
            None => {
                let line = a.members.first().map_or(0, |m| m.line);
                sink.bad(BadLine::new(
                    line,
                    format!(
                        "alliance {id} sets none of the obligation columns and its type `{}` is not a COW type (Type I, IIa, IIb or III)",
                        a.label
                    ),
                ));
                continue;
            }
        };
        let earliest = a.members.iter().map(|m| m.from).min().unwrap_or(a.start);
        let in_force = if earliest.first() < a.start.first() {
            earliest
        } else {
            a.start
        };
        let mut parties = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        for m in &a.members {
            if !names.contains(&m.name.as_str()) {
                names.push(&m.name);
            }
            let state_id = crosswalk::state_id(m.ccode, &abbreviation(&m.name));
            let state_name = crosswalk::state_name(&state_id)
                .filter(|_| crosswalk::cow(m.ccode).is_some())
                .unwrap_or(&m.name);
            let mut note = format!(
                "COW state {} ({}), named on line {} of {file} ({dataset}).",
                m.ccode, m.name, m.line
            );
            if crosswalk::cow(m.ccode).is_none() {
                note.push_str(" Not in the COW state list v2016.");
            }
            if crosswalk::country(&state_id).is_none() {
                note.push_str(&super::cow_states::historical_note(&state_id));
            }
            let state = state_candidate(sink, &state_id, state_name, Some(m.ccode), || Some(note));
            let mut notes = Vec::new();
            if m.left_censored {
                notes.push(
                    "Left-censored: a member before 1816, where the data set begins.".to_string(),
                );
            }
            if m.right_censored && a.end.is_some() {
                notes.push(
                    "Right-censored: still a member when the data set closed (2012-12-31)."
                        .to_string(),
                );
            }
            if m.flags != all_flags {
                notes.push(format!(
                    "This member's obligations: {}.",
                    m.flags.describe()
                ));
            }
            let title = format!(
                "{dataset} ({file}), line {}: alliance {id}, ccode {} ({})",
                m.line, m.ccode, m.name
            );
            parties.push(Value::Rec(
                Rec::new("Party")
                    .with("state", Value::Ref(state))
                    .with("from", m.from)
                    .opt("until", m.until)
                    .list("sources", vec![source(title, URL, PUBLISHER, None)])
                    .opt("note", (!notes.is_empty()).then(|| notes.join(" "))),
            ));
        }
        let lines: Vec<u64> = a.members.iter().map(|m| m.line).collect();
        let (lo, hi) = (
            lines.iter().min().copied().unwrap_or(0),
            lines.iter().max().copied().unwrap_or(0),
        );
        let line_text = if lo == hi {
            format!("line {lo}")
        } else if hi - lo + 1 == lines.len() as u64 {
            format!("lines {lo}-{hi}")
        } else {
            format!(
                "lines {}",
                lines
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let mut note = format!(
            "COW type: {}. Obligations: {}. Alliance dates per COW: {} to {}.",
            if a.label.is_empty() {
                "(none)"
            } else {
                &a.label
            },
            all_flags.describe(),
            a.start,
            a.end.map_or(
                "the end of the data set (right-censored)".to_string(),
                |e| e.to_string()
            ),
        );
        if in_force != a.start {
            note.push_str(&format!(
                " A member joins on {in_force}, before the alliance's own start: the treaty is dated from then."
            ));
        }
        let shown = if names.len() <= 4 {
            names.join(", ")
        } else {
            format!("{} and {} more", names[..3].join(", "), names.len() - 3)
        };
        sink.fact(
            None,
            Rec::new("Treaty")
                .with("id", format!("cow-alliance-{id}"))
                .with(
                    "name",
                    format!(
                        "COW alliance {id} ({}, {}): {shown}",
                        kind.as_str(),
                        a.start.year_number()
                    ),
                )
                .with("kind", Value::Ident(kind.as_str()))
                .with("in_force", in_force)
                .opt("ended", a.end)
                .with("parties", Value::List(parties))
                .list(
                    "sources",
                    vec![source(
                        format!("{dataset} ({file}), alliance {id}, {line_text}"),
                        URL,
                        PUBLISHER,
                        None,
                    )],
                )
                .with("note", note),
        );
    }
    Ok(())
}

/// One row: a member of an alliance, held with the alliance's others.
fn member(row: &Row, c: &Cols, alliances: &mut BTreeMap<u32, Alliance>) -> Result<(), BadLine> {
    let id =
        u32::try_from(row.req_int(&c.id)?).map_err(|_| row.bad(&c.id, "an alliance number"))?;
    let code = u32::try_from(row.req_int(&c.ccode)?)
        .map_err(|_| row.bad(&c.ccode, "a COW state code (a positive number)"))?;
    let (all_st, all_end, mem_st, mem_end) = (&c.all_st, &c.all_end, &c.mem_st, &c.mem_end);
    let start = row
        .ymd(&all_st.0, &all_st.1, &all_st.2)?
        .ok_or_else(|| row.bad(&all_st.0, "the year the alliance began"))?;
    let end = row.ymd(&all_end.0, &all_end.1, &all_end.2)?;
    let from = row
        .ymd(&mem_st.0, &mem_st.1, &mem_st.2)?
        .ok_or_else(|| row.bad(&mem_st.0, "the year the member joined"))?;
    let right_censored = row.flag(&c.right)?;
    let until = if right_censored {
        None
    } else {
        row.ymd(&mem_end.0, &mem_end.1, &mem_end.2)?
    };
    if let Some(u) = until
        && !Interval::new(Some(from), Some(u)).is_satisfiable()
    {
        return Err(BadLine::new(
            row.line,
            format!("the member leaves ({u}) before it joins ({from})"),
        ));
    }
    let member = Member {
        line: row.line,
        ccode: code,
        name: row.get(&c.name).to_string(),
        from,
        until,
        left_censored: row.flag(&c.left)?,
        right_censored,
        flags: flags(row, c)?,
    };
    let version = c.version.as_ref().map(|col| row.get(col).to_string());
    let a = alliances.entry(id).or_insert_with(|| Alliance {
        start,
        end,
        label: row.get(&c.label).to_string(),
        version: version.clone().unwrap_or_default(),
        members: Vec::new(),
    });
    let me = Interval::new(Some(member.from), member.until);
    if let Some(prev) = a
        .members
        .iter()
        .find(|m| m.ccode == code && Interval::new(Some(m.from), m.until).overlaps(me))
    {
        return Err(BadLine::new(
            row.line,
            format!(
                "state {code} is a member of alliance {id} twice for overlapping dates (also on line {})",
                prev.line
            ),
        ));
    }
    a.members.push(member);
    Ok(())
}

/// The curated treaties that are COW alliances: those citing an alliance by its number, in a
/// source (of the treaty, of one of its parties or of a reading) with COW's address whose title
/// names `alliance N` (or `alliances N and M`). Alliance number to treaty id. An import leaves
/// these alliances out rather than write a second copy of the same alliance.
pub fn curated(data: &Dataset) -> BTreeMap<u32, String> {
    let mut out = BTreeMap::new();
    for f in &data.facts {
        let FactBody::Treaty { parties, .. } = &f.body else {
            continue;
        };
        let mut sources: Vec<&Source> = f.sources.iter().collect();
        for p in parties {
            sources.extend(&p.sources);
            for r in &p.disputed {
                sources.extend(&r.sources);
            }
        }
        for s in sources {
            if !s.url.contains("correlatesofwar.org") {
                continue;
            }
            for n in alliance_numbers(&s.title) {
                out.entry(n).or_insert_with(|| f.id.clone());
            }
        }
    }
    out
}

/// The alliance numbers a title names: `alliance 349`, `alliances 349 and 350`, `alliances
/// 349, 350`.
fn alliance_numbers(title: &str) -> Vec<u32> {
    let lower = title.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("alliance") {
        let mut tail = &rest[at + "alliance".len()..];
        tail = tail.strip_prefix('s').unwrap_or(tail);
        loop {
            let t = tail.trim_start_matches([' ', ',']);
            let t = t.strip_prefix("and ").unwrap_or(t);
            let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
            if digits.is_empty() {
                break;
            }
            if let Ok(n) = digits.parse() {
                out.push(n);
            }
            tail = &t[digits.len()..];
        }
        rest = tail;
    }
    out
}

/// The curated treaty an imported alliance (`cow-alliance-N`) is, if any.
pub fn same_as<'a>(rec: &Rec, curated: &'a BTreeMap<u32, String>) -> Option<&'a str> {
    let n: u32 = rec
        .get_str("id")?
        .strip_prefix("cow-alliance-")?
        .parse()
        .ok()?;
    curated.get(&n).map(String::as_str)
}

/// Keeps the parties of `rec` whose state is one of the data's (`known[i]` for the import's
/// entity `i`); `false` when fewer than two are left, and the alliance is left out. The
/// treaty's note names the members left out.
pub fn keep_known(rec: &mut Rec, known: &[bool], ids: &[String]) -> bool {
    let Some((_, Value::List(parties))) = rec.fields.iter_mut().find(|(n, _)| *n == "parties")
    else {
        return false;
    };
    let state_of = |p: &Value| match p {
        Value::Rec(r) => match r.get("state") {
            Some(Value::Ref(i)) => Some(*i),
            _ => None,
        },
        _ => None,
    };
    let mut left_out: Vec<String> = Vec::new();
    parties.retain(|p| match state_of(p) {
        Some(i) if known.get(i).copied().unwrap_or(false) => true,
        Some(i) => {
            let id = ids.get(i).cloned().unwrap_or_default();
            if !left_out.contains(&id) {
                left_out.push(id);
            }
            false
        }
        None => true,
    });
    let mut states: Vec<usize> = parties.iter().filter_map(state_of).collect();
    states.sort_unstable();
    states.dedup();
    if states.len() < 2 {
        return false;
    }
    if !left_out.is_empty() {
        for (name, v) in &mut rec.fields {
            if *name == "note"
                && let Value::Str(note) = v
            {
                note.push_str(&format!(
                    " Members that are not states of this data are left out: {}.",
                    left_out.join(", ")
                ));
            }
        }
    }
    true
}

/// Compares an imported alliance with the curated treaty it is (`treaty`): each COW member
/// date that the curated party neither gives nor keeps as a disputed reading (or signature) is
/// a warning, for the curator to add as a reading with COW's source, or to explain in a note
/// where the format has no place for it (a date before the treaty's entry into force).
pub fn compare(
    rec: &Rec,
    treaty: &str,
    data: &Dataset,
    ids: &[String],
    warnings: &mut Vec<String>,
) {
    let id = rec.get_str("id").unwrap_or_default();
    let Some(fact) = data.facts.iter().find(|f| f.id == treaty) else {
        return;
    };
    let FactBody::Treaty { parties, .. } = &fact.body else {
        return;
    };
    let whole = fact.interval().unwrap_or_default();
    let Some(Value::List(cow)) = rec.get("parties") else {
        return;
    };
    for p in cow {
        let Value::Rec(p) = p else { continue };
        let Some(Value::Ref(i)) = p.get("state") else {
            continue;
        };
        let state = ids.get(*i).map_or("", String::as_str);
        let date = |f: &str| p.get_str(f).and_then(|d| Date::parse(d).ok());
        let (from, until) = (date("from"), date("until"));
        let mine: Vec<&crate::model::Party> = parties
            .iter()
            .filter(|c| c.state.eq_ignore_ascii_case(state))
            .collect();
        let shown = |d: Option<Date>| d.map_or("an open end".to_string(), |d| d.to_string());
        if mine.is_empty() {
            warnings.push(format!(
                "`{treaty}` is `{id}`: COW lists {state} from {}, to {}; `{treaty}` has no party {state}",
                shown(from),
                shown(until)
            ));
            continue;
        }
        let kept = |d: Option<Date>, pick: &dyn Fn(&crate::model::Party) -> Vec<Option<Date>>| {
            mine.iter().any(|c| pick(c).contains(&d))
        };
        let froms = |c: &crate::model::Party| {
            let mut v = vec![c.interval.from.or(whole.from), c.signed];
            v.extend(c.disputed.iter().flat_map(|r| [r.interval.from, r.signed]));
            v
        };
        let untils = |c: &crate::model::Party| {
            let mut v = vec![c.interval.until.or(whole.until)];
            v.extend(c.disputed.iter().map(|r| r.interval.until));
            v
        };
        if !kept(from, &froms) {
            warnings.push(format!(
                "`{treaty}` is `{id}`: COW has {state} from {}, which `{treaty}` neither gives nor keeps as a reading",
                shown(from)
            ));
        }
        // COW's open end is right-censoring (in force when the data set closed, 2012-12-31):
        // it disagrees only with a curated end before then.
        let censored_ok = until.is_none()
            && mine.iter().any(|c| {
                c.interval
                    .until
                    .or(whole.until)
                    .is_none_or(|u| u.first() > Date::year(2012).last())
            });
        if !censored_ok && !kept(until, &untils) {
            warnings.push(format!(
                "`{treaty}` is `{id}`: COW has {state} to {}, which `{treaty}` neither gives nor keeps as a reading",
                shown(until)
            ));
        }
    }
}

/// An abbreviation for a state the crosswalk does not know: the first three letters of its
/// name.
fn abbreviation(name: &str) -> String {
    deunicode::deunicode(name)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(3)
        .collect::<String>()
        .to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testing::{quiet, render};

    const HEAD: &str = "version4id,ccode,state_name,all_st_day,all_st_month,all_st_year,all_end_day,all_end_month,all_end_year,ss_type,mem_st_day,mem_st_month,mem_st_year,mem_end_day,mem_end_month,mem_end_year,left_censor,right_censor,defense,neutrality,nonaggression,entente,version\n";

    fn run(rows: &str) -> Result<Extract, BadLine> {
        read(
            format!("{HEAD}{rows}").as_bytes(),
            "alliances.csv",
            &mut quiet(),
        )
    }

    #[test]
    fn alliance_numbers_are_read_from_titles() {
        assert_eq!(alliance_numbers("COW v4.1, alliance 393"), [393]);
        assert_eq!(
            alliance_numbers("Correlates of War Formal Alliances v4.1, alliances 349 and 350"),
            [349, 350]
        );
        assert_eq!(
            alliance_numbers("alliances 1, 2 and 3; alliance 9"),
            [1, 2, 3, 9]
        );
        assert!(alliance_numbers("Correlates of War Formal Alliances v4.1").is_empty());
    }

    #[test]
    fn censoring_kinds_and_rejoining() {
        let x = run("\
1,200,\"United Kingdom\",9,5,1386,,,,\"Type I: Defense Pact\",1,1,1816,,,,1,1,1,0,1,0,4.1
1,235,\"Portugal\",9,5,1386,,,,\"Type I: Defense Pact\",1,1,1816,,,,1,1,1,0,1,0,4.1
3,255,\"Germany\",8,6,1815,24,8,1866,\"Type I: Defense Pact\",1,1,1816,14,6,1866,1,0,1,0,0,0,4.1
3,255,\"Germany\",8,6,1815,24,8,1866,\"Type I: Defense Pact\",1,1,1850,24,8,1866,1,0,1,0,0,0,4.1
3,245,\"Bavaria\",8,6,1815,24,8,1866,\"Type I: Defense Pact\",1,1,1816,24,8,1866,1,0,1,0,0,0,4.1
9,2,\"United States of America\",1,1,1900,,,,\"Type IIb: Non-Aggression Pact\",1,1,1900,,,,0,1,0,0,0,0,4.1
9,20,\"Canada\",1,1,1900,,,,\"Type IIb: Non-Aggression Pact\",1,1,1900,,,,0,1,0,1,1,1,4.1
")
        .err();
        // Germany rejoins alliance 3 in 1850 while its first membership runs to 1866.
        let e = x.expect("overlap");
        assert_eq!(e.line, 5);
        assert!(e.message.contains("also on line 4"), "{}", e.message);

        let x = run("\
1,200,\"United Kingdom\",9,5,1386,,,,\"Type I: Defense Pact\",1,1,1816,,,,1,1,1,0,1,0,4.1
1,235,\"Portugal\",9,5,1386,,,,\"Type I: Defense Pact\",1,1,1816,,,,1,1,1,0,1,0,4.1
3,255,\"Germany\",8,6,1815,24,8,1866,\"Type I: Defense Pact\",1,1,1816,14,6,1850,1,0,1,0,0,0,4.1
3,255,\"Germany\",8,6,1815,24,8,1866,\"Type I: Defense Pact\",1,1,1851,24,8,1866,1,0,1,0,0,0,4.1
3,245,\"Bavaria\",8,6,1815,24,8,1866,\"Type I: Defense Pact\",1,1,1816,24,8,1866,1,0,1,0,0,0,4.1
9,2,\"United States of America\",1,1,1900,,,,\"Type IIb: Non-Aggression Pact\",1,1,1900,,,,0,1,0,0,0,0,4.1
9,20,\"Canada\",1,1,1900,,,,\"Type IIb: Non-Aggression Pact\",,,1900,,,,0,1,0,1,1,1,4.1
")
        .expect("reads");
        assert_eq!(x.rows, 7);
        let text = render(&x).expect("valid");
        // Alliance 1: open ends, no `ended`, no party `until`.
        let one = &text
            [text.find("cow-alliance-1\"").expect("1")..text.find("cow-alliance-3\"").expect("3")];
        assert!(!one.contains("until") && !one.contains("ended"), "{one}");
        assert!(one.contains("kind: Defense"), "{one}");
        assert!(one.contains("in_force: \"1386-05-09\""), "{one}");
        assert!(one.contains("Left-censored"), "{one}");
        assert!(
            one.contains("to the end of the data set (right-censored)"),
            "{one}"
        );
        assert!(
            one.contains("line 2: alliance 1, ccode 200 (United Kingdom)"),
            "{one}"
        );
        assert!(
            one.contains("COW alliance 1 (Defense, 1386): United Kingdom, Portugal"),
            "{one}"
        );
        // Alliance 3: Germany twice, each with its own dates.
        let three = &text[text.find("cow-alliance-3\"").expect("3")..];
        assert_eq!(three.matches("state: \"DEU\"").count(), 2, "{three}");
        assert!(three.contains("until: \"1850-06-14\""), "{three}");
        assert!(three.contains("from: \"1851-01-01\""), "{three}");
        assert!(three.contains("ended: \"1866-08-24\""), "{three}");
        // Alliance 9: kind from the strongest flag of any member (neutrality), whatever the
        // label; Canada's missing day and month lower its date to the year.
        let nine = &text[text.find("cow-alliance-9\"").expect("9")..];
        assert!(nine.contains("kind: Neutrality"), "{nine}");
        assert!(nine.contains("from: \"1900\""), "{nine}");
        assert!(
            nine.contains("This member's obligations: none flagged."),
            "{nine}"
        );
    }

    #[test]
    fn label_decides_only_without_flags() {
        let x = run("5,2,\"United States of America\",1,1,1900,,,,\"Type III: Entente\",1,1,1900,,,,0,1,0,0,0,0,4.1\n\
                     5,20,\"Canada\",1,1,1900,,,,\"Type III: Entente\",1,1,1900,,,,0,1,0,0,0,0,4.1\n")
        .expect("reads");
        let text = render(&x).expect("valid");
        assert!(text.contains("kind: Entente"), "{text}");
        let e = run("5,2,\"USA\",1,1,1900,,,,\"Alliance\",1,1,1900,,,,0,1,0,0,0,0,4.1\n")
            .expect_err("no kind");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn members_joining_before_the_alliance_date_the_treaty() {
        let x = run("38,220,\"France\",24,1,1859,,,,\"Type I: Defense Pact\",19,1,1859,1,1,1860,0,0,1,0,0,0,4.1\n\
                     38,325,\"Italy\",24,1,1859,,,,\"Type I: Defense Pact\",24,1,1859,1,1,1860,0,0,1,0,0,0,4.1\n")
        .expect("reads");
        let text = render(&x).expect("valid");
        assert!(text.contains("in_force: \"1859-01-19\""), "{text}");
        assert!(
            text.contains("Alliance dates per COW: 1859-01-24"),
            "{text}"
        );
    }

    #[test]
    fn bad_rows() {
        let e = run("1,200,\"UK\",9,5,1386,,,,\"Type I\",1,1,1816,,,,1,1,yes,0,1,0,4.1\n")
            .expect_err("bad");
        assert_eq!(
            (e.line, e.message.as_str()),
            (2, "column `defense`: expected 0 or 1, found `yes`")
        );
        let e = run("1,200,\"UK\",9,5,1386,,,,\"Type I\",1,1,1816,1,1,1800,1,0,1,0,1,0,4.1\n")
            .expect_err("bad");
        assert!(
            e.message
                .contains("leaves (1800-01-01) before it joins (1816-01-01)"),
            "{}",
            e.message
        );
        let e = run("1,200,\"UK\",9,5,1386\n").expect_err("bad");
        assert!(e.message.contains("expected 23 fields"), "{}", e.message);
    }
}
