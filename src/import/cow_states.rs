//! `import cow-states`: the COW State System Membership List (`states2016.csv`) to states
//! with their COW codes and ids from the [`crosswalk`], and to their
//! memberships of the state system, one per row, so that interrupted statehood (France
//! 1816-1942 and 1944 on) is two memberships.
//!
//! COW's end day is the last day of membership (the German Democratic Republic ends on
//! 1990-10-02, Germany re-enters on 1990-10-03), so `until` is the day after; an end on the
//! last day of the data set (2016-12-31) is censoring, not an end, and gives no `until`.
//! System membership is not existence (Costa Rica enters in 1920), so states get no `from`.

use std::collections::BTreeMap;
use std::io::BufRead;

use super::emit::{Rec, Value};
use super::merge::Candidate;
use super::rows::{BadLine, Row, Table};
use super::sink::{self, Extract, Sink};
use super::{Progress, crosswalk, source};
use crate::model::{Date, EntityKind, Interval, Precision};

/// The columns read.
pub const COLUMNS: &[&str] = &[
    "stateabb", "ccode", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth", "endday",
];

const URL: &str = "https://correlatesofwar.org/data-sets/state-system-membership/";
const PUBLISHER: &str = "Correlates of War Project";

/// The organization whose memberships are statehood in the COW sense.
pub const SYSTEM_ID: &str = "cow-state-system";
const SYSTEM_NAME: &str = "Correlates of War state system";

/// The day after `d` at day precision; `d` itself otherwise (an end during that month or
/// year).
pub fn day_after(d: Date) -> Date {
    if d.precision() != Precision::Day {
        return d;
    }
    d.last_day().succ_opt().map_or(d, Date::from_naive)
}

struct Period {
    line: u64,
    abbreviation: String,
    from: Date,
    until: Option<Date>,
    last_day: Option<Date>,
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

/// The columns of the table.
struct Cols {
    abb: super::rows::Col,
    ccode: super::rows::Col,
    name: super::rows::Col,
    start: (super::rows::Col, super::rows::Col, super::rows::Col),
    end: (super::rows::Col, super::rows::Col, super::rows::Col),
    version: Option<super::rows::Col>,
}

/// Reads `input` (the CSV) row by row into `sink`, named `file` in provenance. A state's
/// rows are held until the input ends (the list has a few hundred). Fails only when the input
/// is not the COW list at all.
pub fn read_into(input: &mut dyn BufRead, file: &str, sink: &mut dyn Sink) -> Result<(), BadLine> {
    let mut t = Table::new(
        input,
        b',',
        COLUMNS,
        "the COW State System Membership List (states2016.csv)",
    )?;
    let c = Cols {
        abb: t.col("stateabb"),
        ccode: t.col("ccode"),
        name: t.col("statenme"),
        start: (t.col("styear"), t.col("stmonth"), t.col("stday")),
        end: (t.col("endyear"), t.col("endmonth"), t.col("endday")),
        version: t.has("version").then(|| t.col("version")),
    };
    let mut states: BTreeMap<u32, (String, Vec<Period>)> = BTreeMap::new();
    let mut versions: Vec<String> = Vec::new();
    while let Some(row) = t.next_row() {
        sink.row();
        if let Err(bad) = row.and_then(|row| period(&row, &c, &mut states, &mut versions)) {
            sink.bad(bad);
        }
    }
    let version = versions.join(", ");
    let dataset = if version.is_empty() {
        "Correlates of War State System Membership List".to_string()
    } else {
        format!("Correlates of War State System Membership List v{version}")
    };
    sink.header(vec![
        format!("Imported by `dipgraph import cow-states` from {file} ({dataset})."),
        "Correlates of War Project. 2017. \"State System Membership List, v2016.\" https://correlatesofwar.org/".into(),
        "Re-running the import rewrites this file: put corrections in another file.".into(),
    ]);
    let system = sink::entity(sink, "system", |me| Candidate {
        kind: EntityKind::Organization,
        id: SYSTEM_ID.into(),
        id_is_code: false,
        cow: None,
        names: vec![SYSTEM_NAME.into()],
        record: Rec::new("Organization")
            .with("id", Value::Ref(me))
            .with("name", SYSTEM_NAME)
            .with("kind", Value::Ident("Other"))
            .with(
                "note",
                "The interstate system as the Correlates of War Project defines it: membership is \
                 statehood recognised by the major powers (to 1919) or League of Nations or UN \
                 membership, with a population of at least 500,000. Membership is not existence: \
                 many states existed before they entered.",
            ),
    });
    for (code, (cow_name, periods)) in &states {
        let first_abb = periods.first().map_or("", |p| p.abbreviation.as_str());
        let id = crosswalk::state_id(*code, first_abb);
        let name = crosswalk::state_name(&id)
            .filter(|_| crosswalk::cow(*code).is_some())
            .unwrap_or(cow_name);
        let lines: Vec<String> = periods.iter().map(|p| p.line.to_string()).collect();
        let spans: Vec<String> = periods
            .iter()
            .map(|p| match p.last_day {
                Some(l) => format!("{} to {l}", p.from),
                None => format!("{} on", p.from),
            })
            .collect();
        let mut note = format!(
            "COW state {code} ({first_abb}), a member of the state system {} ({file}, line{} {}).",
            spans.join(" and "),
            if lines.len() == 1 { "" } else { "s" },
            lines.join(", "),
        );
        if crosswalk::country(&id).is_none() {
            note.push_str(&historical_note(&id));
        }
        let mut names = vec![name.to_string()];
        if !cow_name.eq_ignore_ascii_case(name) {
            names.push(cow_name.clone());
        }
        let state = sink::entity(sink, &format!("state:{id}"), |me| Candidate {
            kind: EntityKind::State,
            id: id.clone(),
            id_is_code: true,
            cow: Some(*code),
            names: names.clone(),
            record: Rec::new("State")
                .with("id", Value::Ref(me))
                .with("name", name)
                .list(
                    "aliases",
                    names[1..].iter().map(|n| Value::from(n.as_str())).collect(),
                )
                .with("cow", *code)
                .with("note", note),
        });
        for p in periods {
            let title = format!(
                "{dataset} ({file}), line {}: {} {code} {cow_name}",
                p.line, p.abbreviation
            );
            sink.fact(
                None,
                Rec::new("Membership")
                    .with("member", Value::Ref(state))
                    .with("of", Value::Ref(system))
                    .with("from", p.from)
                    .opt("until", p.until)
                    .list("sources", vec![source(title, URL, PUBLISHER, None)]),
            );
        }
    }
    Ok(())
}

/// One row: a period of a state's membership, held with its state's others.
fn period(
    row: &Row,
    c: &Cols,
    states: &mut BTreeMap<u32, (String, Vec<Period>)>,
    versions: &mut Vec<String>,
) -> Result<(), BadLine> {
    let code = u32::try_from(row.req_int(&c.ccode)?)
        .map_err(|_| row.bad(&c.ccode, "a COW state code (a positive number)"))?;
    let a = row.text(&c.abb, "a COW state abbreviation")?.to_string();
    let n = row.text(&c.name, "a state name")?.to_string();
    let version = match &c.version {
        Some(col) => row.get(col).to_string(),
        None => String::new(),
    };
    if !version.is_empty() && !versions.contains(&version) {
        versions.push(version.clone());
    }
    let (sy, sm, sd) = &c.start;
    let (ey, em, ed) = &c.end;
    let from = row
        .ymd(sy, sm, sd)?
        .ok_or_else(|| row.bad(sy, "the year the state entered the system"))?;
    let end = row.ymd(ey, em, ed)?;
    let censor_year: u16 = version.parse().unwrap_or(2016);
    let censored = end.is_some_and(|e| {
        e.precision() == Precision::Day
            && e.year_number() == censor_year
            && e.last_day() == Date::year(censor_year).last_day()
    });
    let until = end.filter(|_| !censored).map(day_after);
    if let Some(u) = until
        && !Interval::new(Some(from), Some(u)).is_satisfiable()
    {
        return Err(BadLine::new(
            row.line,
            format!(
                "the state leaves the system ({}) before it enters ({from})",
                end.map_or(String::new(), |e| e.to_string())
            ),
        ));
    }
    let entry = states
        .entry(code)
        .or_insert_with(|| (n.clone(), Vec::new()));
    entry.1.push(Period {
        line: row.line,
        abbreviation: a,
        from,
        until,
        last_day: end.filter(|_| !censored),
    });
    Ok(())
}

/// Why a historical state has the id it has.
pub fn historical_note(id: &str) -> String {
    if crosswalk::FORMER.contains(&id) {
        format!(" No current ISO 3166-1 code: `{id}` is its withdrawn ISO 3166-3 code.")
    } else if id == "XKX" {
        " No ISO 3166-1 code: `XKX` is the code in common use.".to_string()
    } else if id.starts_with('X') {
        format!(
            " Historical state with no ISO 3166 code, whose COW abbreviation is taken by an ISO code: `{id}` is from ISO's user-assigned range."
        )
    } else {
        format!(" Historical state with no ISO 3166 code: `{id}` is its COW abbreviation.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testing::{quiet, render};

    const HEAD: &str =
        "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n";

    fn run(rows: &str) -> Result<Extract, BadLine> {
        read(
            format!("{HEAD}{rows}").as_bytes(),
            "states.csv",
            &mut quiet(),
        )
    }

    #[test]
    fn interrupted_statehood_and_censoring() {
        let x = run("FRN,220,France,1816,1,1,1942,11,11,2016\n\
                     FRN,220,France,1944,10,23,2016,12,31,2016\n\
                     GDR,265,German Democratic Republic,1954,3,25,1990,10,2,2016\n\
                     BAV,245,Bavaria,1816,1,1,1871,1,18,2016\n")
        .expect("reads");
        assert_eq!(x.rows, 4);
        let text = render(&x).expect("valid");
        assert!(
            text.contains(
                "State(\n        id: \"FRA\",\n        name: \"France\",\n        cow: 220,"
            ),
            "{text}"
        );
        assert!(text.contains("id: \"DDR\""), "{text}");
        assert!(text.contains("ISO 3166-3"), "{text}");
        assert!(text.contains("id: \"BAV\""), "{text}");
        assert!(text.contains("COW abbreviation"), "{text}");
        // Two memberships for France; the second is open (2016-12-31 is censoring).
        assert!(text.contains("member: \"FRA\",\n        of: \"cow-state-system\",\n        from: \"1816-01-01\",\n        until: \"1942-11-12\","), "{text}");
        assert!(text.contains("member: \"FRA\",\n        of: \"cow-state-system\",\n        from: \"1944-10-23\",\n        sources"), "{text}");
        // The GDR's last day is 1990-10-02: it is gone from 1990-10-03.
        assert!(text.contains("until: \"1990-10-03\""), "{text}");
        assert!(text.contains("line 3: FRN 220 France"), "{text}");
    }

    #[test]
    fn missing_day_or_month_lowers_precision() {
        let x = run("XYZ,999,Nowhere,1900,5,,1910,,,2016\n").expect("reads");
        let text = render(&x).expect("valid");
        assert!(text.contains("from: \"1900-05\""), "{text}");
        assert!(text.contains("until: \"1910\""), "{text}");
        assert!(text.contains("id: \"XYZ\""), "{text}");
    }

    #[test]
    fn bad_rows_name_their_line() {
        let e = run("USA,2,United States,1816,1,1,2016,12,31,2016\nCAN,abc,Canada,1920,1,10,2016,12,31,2016\n")
            .expect_err("bad");
        assert_eq!(e.line, 3);
        assert_eq!(
            e.message,
            "column `ccode`: expected a whole number, found `abc`"
        );
        let e = run("CAN,20,Canada,1920,13,10,2016,12,31,2016\n").expect_err("bad");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("month 13"), "{}", e.message);
        let e = run("CAN,20,Canada,1920,1,10,1910,12,31,2016\n").expect_err("bad");
        assert!(e.message.contains("before it enters"), "{}", e.message);
        let e = read(b"version4id,ccode\n1,2\n", "x.csv", &mut quiet()).expect_err("bad");
        assert_eq!(e.line, 1);
        assert!(
            e.message.starts_with("this is not the COW State System"),
            "{}",
            e.message
        );
    }
}
