//! `import gdelt`: GDELT 2.0 event rows to statements and events between two states, each with
//! its CAMEO code, Goldstein score, PLOVER event type and source URL.
//!
//! A row is kept when both actors' country codes name states (ISO alpha-3 codes of the COW
//! state system, or the observer states; regions such as `EUR` and territories such as `HKG`
//! are not states), two different ones, and it passes the filters (actor, dates, CAMEO root,
//! mentions). Verbal rows (QuadClass 1 and 3) are statements by actor 1 about actor 2, except
//! consultations (CAMEO root 04), which are meetings; material rows (QuadClass 2 and 4) are
//! events: protests (14), incidents (18-20) or other.
//!
//! Reads the headed CSV or TSV that GDELT tools write, and GDELT's own headerless,
//! tab-separated export files (61 columns).

use std::io::BufRead;

use super::cameo::{self, Plover};
use super::emit::{Rec, Value};
use super::rows::{BadLine, Rest, Row, Table, compact_date, first_line, number, rejoin};
use super::sink::{Extract, Sink};
use super::{GdeltFilter, Progress, crosswalk, source, state_candidate};
use crate::model::Date;

/// The columns of a GDELT 2.0 event export, in order.
pub const GDELT2_COLUMNS: &[&str] = &[
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// The columns read.
pub const COLUMNS: &[&str] = &[
    "GLOBALEVENTID",
    "SQLDATE",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "IsRootEvent",
    "EventCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "DATEADDED",
    "SOURCEURL",
];

const PUBLISHER: &str = "The GDELT Project";
const HOME: &str = "https://www.gdeltproject.org/";

/// Why a row is left out, as counted in the summary.
pub const NOT_STATES: &str = "an actor is not a state (a region, territory, group or none)";
/// See [`NOT_STATES`].
pub const SAME_STATE: &str = "both actors are the same state";
/// See [`NOT_STATES`].
pub const FILTERED: &str = "left out by the filters";

/// The table `input` holds: a header naming the columns (comma- or tab-separated), or GDELT's
/// own headerless export of 61 tab-separated columns.
fn table(input: &mut dyn BufRead) -> Result<Table<Rest<'_>>, BadLine> {
    let first = first_line(input)?;
    if first.starts_with(b"GLOBALEVENTID") {
        let delimiter = if first.contains(&b'\t') { b'\t' } else { b',' };
        return Table::new(rejoin(first, input), delimiter, COLUMNS, "GDELT 2.0 events");
    }
    let line = first.strip_suffix(b"\n").unwrap_or(&first);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let fields = line.split(|b| *b == b'\t').count();
    if fields == GDELT2_COLUMNS.len() {
        return Ok(Table::headerless(
            rejoin(first, input),
            b'\t',
            GDELT2_COLUMNS,
        ));
    }
    Err(BadLine::new(
        1,
        format!(
            "this is not GDELT 2.0 events: expected a header starting with `GLOBALEVENTID`, or {} tab-separated fields, found {fields}",
            GDELT2_COLUMNS.len()
        ),
    ))
}

struct Cols {
    id: super::rows::Col,
    date: super::rows::Col,
    code1: super::rows::Col,
    name1: super::rows::Col,
    country1: super::rows::Col,
    code2: super::rows::Col,
    name2: super::rows::Col,
    country2: super::rows::Col,
    root_event: super::rows::Col,
    event_code: super::rows::Col,
    root_code: super::rows::Col,
    quad: super::rows::Col,
    goldstein: super::rows::Col,
    mentions: super::rows::Col,
    sources: super::rows::Col,
    articles: super::rows::Col,
    tone: super::rows::Col,
    added: super::rows::Col,
    url: super::rows::Col,
    description: Option<super::rows::Col>,
}

/// The state a CAMEO country code names, if it names one.
fn state_of(code: &str) -> Option<&'static str> {
    crosswalk::state_code(code)
}

fn kept(filter: &GdeltFilter, a1: &str, a2: &str, on: Date, root: &str, mentions: u64) -> bool {
    (filter.actors.is_empty()
        || filter
            .actors
            .iter()
            .any(|a| a.eq_ignore_ascii_case(a1) || a.eq_ignore_ascii_case(a2)))
        && filter.from.is_none_or(|f| on.last() >= f.first())
        && filter.to.is_none_or(|t| on.first() <= t.last())
        && (filter.root_codes.is_empty() || filter.root_codes.iter().any(|r| r == root))
        && filter.min_mentions.is_none_or(|m| mentions >= m)
}

fn count(row: &Row, col: &super::rows::Col) -> Result<u64, BadLine> {
    match row.int(col)? {
        None => Ok(0),
        Some(n) => u64::try_from(n).map_err(|_| row.bad(col, "a count (0 or more)")),
    }
}

/// Reads `bytes`, named `file` in provenance, keeping the rows `filter` lets through; the
/// first row that cannot be read is the error.
pub fn read(
    bytes: &[u8],
    file: &str,
    filter: &GdeltFilter,
    plover: Option<&Plover>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Extract, BadLine> {
    let mut out = Extract::default();
    progress(Progress::Stage("reading"));
    read_into(&mut &bytes[..], file, filter, plover, &mut out)?;
    out.or_first_bad()
}

/// Reads `input` row by row, named `file` in provenance, into `sink`: the rows `filter` lets
/// through become facts, the others are counted as left out, and rows that cannot be read are
/// handed to the sink as bad. Fails only when the input is not GDELT events at all.
pub fn read_into(
    input: &mut dyn BufRead,
    file: &str,
    filter: &GdeltFilter,
    plover: Option<&Plover>,
    sink: &mut dyn Sink,
) -> Result<(), BadLine> {
    let mut t = table(input)?;
    let c = Cols {
        id: t.col("GLOBALEVENTID"),
        date: t.col("SQLDATE"),
        code1: t.col("Actor1Code"),
        name1: t.col("Actor1Name"),
        country1: t.col("Actor1CountryCode"),
        code2: t.col("Actor2Code"),
        name2: t.col("Actor2Name"),
        country2: t.col("Actor2CountryCode"),
        root_event: t.col("IsRootEvent"),
        event_code: t.col("EventCode"),
        root_code: t.col("EventRootCode"),
        quad: t.col("QuadClass"),
        goldstein: t.col("GoldsteinScale"),
        mentions: t.col("NumMentions"),
        sources: t.col("NumSources"),
        articles: t.col("NumArticles"),
        tone: t.col("AvgTone"),
        added: t.col("DATEADDED"),
        url: t.col("SOURCEURL"),
        description: t
            .has("CAMEOCodeDescription")
            .then(|| t.col("CAMEOCodeDescription")),
    };
    while let Some(row) = t.next_row() {
        sink.row();
        if let Err(bad) = row.and_then(|row| event(&row, &c, file, filter, plover, sink)) {
            sink.bad(bad);
        }
    }
    sink.header(vec![
        format!("Imported by `dipgraph import gdelt` from {file} (GDELT 2.0 events)."),
        "The GDELT Project, https://www.gdeltproject.org/ (free to use with citation). PLOVER types after the PLOVER manual draft 0.8 (CC BY-SA 4.0).".into(),
        "Re-running the import rewrites this file: put corrections in another file.".into(),
    ]);
    Ok(())
}

/// One row: checked whole, then kept as a fact or counted as left out.
fn event(
    row: &Row,
    c: &Cols,
    file: &str,
    filter: &GdeltFilter,
    plover: Option<&Plover>,
    sink: &mut dyn Sink,
) -> Result<(), BadLine> {
    // Check the whole row before deciding, so that a malformed row is an error whatever
    // the filters say.
    let id = row
        .text(&c.id, "an event id")?
        .parse::<u64>()
        .map_err(|_| row.bad(&c.id, "an event id (a whole number)"))?;
    let on = compact_date(row.get(&c.date))
        .ok_or_else(|| row.bad(&c.date, "a date written YYYYMMDD"))?;
    let code = row.text(&c.event_code, "a CAMEO event code")?.to_string();
    if !code.bytes().all(|b| b.is_ascii_digit()) || !(2..=4).contains(&code.len()) {
        return Err(row.bad(&c.event_code, "a CAMEO event code (2 to 4 digits)"));
    }
    let root = match row.opt(&c.root_code) {
        Some(r) if r.len() == 1 => format!("0{r}"),
        Some(r) => r.to_string(),
        None => code[..2].to_string(),
    };
    let quad = row.req_int(&c.quad)?;
    if !(1..=4).contains(&quad) {
        return Err(row.bad(&c.quad, "a QuadClass of 1 to 4"));
    }
    let goldstein = row
        .num(&c.goldstein)?
        .ok_or_else(|| row.bad(&c.goldstein, "a Goldstein score"))?;
    let mentions = count(row, &c.mentions)?;
    let sources = count(row, &c.sources)?;
    let articles = count(row, &c.articles)?;
    let tone = row.num(&c.tone)?;
    let added = match row.opt(&c.added) {
        Some(a) => Some(
            compact_date(a).ok_or_else(|| row.bad(&c.added, "a date written YYYYMMDDhhmmss"))?,
        ),
        None => None,
    };
    let (Some(a1), Some(a2)) = (
        state_of(row.get(&c.country1)),
        state_of(row.get(&c.country2)),
    ) else {
        sink.skip(NOT_STATES);
        return Ok(());
    };
    if a1 == a2 {
        sink.skip(SAME_STATE);
        return Ok(());
    }
    if !kept(filter, a1, a2, on, &root, mentions) {
        sink.skip(FILTERED);
        return Ok(());
    }
    let fact_id = format!("gdelt-{id}");
    if sink.imported_before(&fact_id) {
        return Ok(());
    }
    let description = c
        .description
        .as_ref()
        .and_then(|col| row.opt(col))
        .map(str::to_string)
        .or_else(|| cameo::description(&code).map(str::to_string))
        .unwrap_or_else(|| format!("CAMEO {code}"));
    let n1 = crosswalk::state_name(a1).unwrap_or(a1).to_string();
    let n2 = crosswalk::state_name(a2).unwrap_or(a2).to_string();
    let named = |code: &str| {
        Some(format!(
            "Named as an actor (country code {code}) on line {} of {file} (GDELT 2.0 events).",
            row.line
        ))
    };
    let s1 = state_candidate(sink, a1, &n1, crosswalk::cow_of(a1), || {
        named(row.get(&c.country1))
    });
    let s2 = state_candidate(sink, a2, &n2, crosswalk::cow_of(a2), || {
        named(row.get(&c.country2))
    });
    let plover_text = match plover.and_then(|p| p.get(&code)) {
        Some(e) => {
            let mut s = format!("PLOVER {}", e.event);
            if !e.mode.is_empty() {
                s.push_str(&format!(", mode {}", e.mode));
            }
            if !e.context.is_empty() {
                s.push_str(&format!(", context {}", e.context));
            }
            s
        }
        None => match cameo::plover_type(&code) {
            Some(t) => format!("PLOVER {t}"),
            None => "no PLOVER type".to_string(),
        },
    };
    let actor =
        |code: &super::rows::Col, name: &super::rows::Col| match (row.opt(code), row.opt(name)) {
            (Some(c), Some(n)) => format!("{c} ({n})"),
            (Some(c), None) => c.to_string(),
            (None, Some(n)) => n.to_string(),
            (None, None) => "-".to_string(),
        };
    let note = format!(
        "GDELT event {id}: CAMEO {code} ({description}), QuadClass {quad}, Goldstein {}, {plover_text}; {}root event; {mentions} mention{}, {sources} source{}, {articles} article{}{}; actors {} and {}.",
        number(goldstein),
        if row.get(&c.root_event) == "1" {
            ""
        } else {
            "not a "
        },
        if mentions == 1 { "" } else { "s" },
        if sources == 1 { "" } else { "s" },
        if articles == 1 { "" } else { "s" },
        tone.map_or(String::new(), |t| format!(
            ", average tone {}",
            number((t * 100.0).round() / 100.0)
        )),
        actor(&c.code1, &c.name1),
        actor(&c.code2, &c.name2),
    );
    let url = row.opt(&c.url).unwrap_or(HOME);
    let src = source(
        format!(
            "GDELT 2.0 event {id} ({file}, line {}), coded from this article",
            row.line
        ),
        url,
        PUBLISHER,
        added,
    );
    let event_kind = match root.as_str() {
        "04" => Some("Meeting"),
        "14" => Some("Protest"),
        "18" | "19" | "20" => Some("Incident"),
        _ if quad == 1 || quad == 3 => None,
        _ => Some("Other"),
    };
    let rec = match event_kind {
        None => Rec::new("Statement")
            .with("id", fact_id)
            .with("by", Value::Ref(s1))
            .with("about", Value::List(vec![Value::Ref(s2)]))
            .with("on", on)
            .with("quote", format!("[CAMEO {code}: {description}]"))
            .with(
                "stance",
                Value::Ident(if goldstein > 0.0 {
                    "Friendly"
                } else if goldstein < 0.0 {
                    "Hostile"
                } else {
                    "Neutral"
                }),
            ),
        Some(kind) => Rec::new("Event")
            .with("id", fact_id)
            .with("name", format!("{n1} and {n2}: {description}"))
            .with("kind", Value::Ident(kind))
            .with("on", on)
            .with(
                "involves",
                Value::List(vec![Value::Ref(s1), Value::Ref(s2)]),
            ),
    };
    sink.fact(None, rec.list("sources", vec![src]).with("note", note));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testing::{quiet, render};

    const HEAD: &str = "GLOBALEVENTID,SQLDATE,Actor1Code,Actor1Name,Actor1CountryCode,Actor2Code,Actor2Name,Actor2CountryCode,IsRootEvent,EventCode,EventRootCode,QuadClass,GoldsteinScale,NumMentions,NumSources,NumArticles,AvgTone,DATEADDED,SOURCEURL\n";

    fn run(rows: &str, filter: &GdeltFilter) -> Result<Extract, BadLine> {
        read(
            format!("{HEAD}{rows}").as_bytes(),
            "events.csv",
            filter,
            None,
            &mut quiet(),
        )
    }

    const ROWS: &str = "\
1,20210315,RUSGOV,RUSSIA,RUS,BLRGOV,BELARUS,BLR,1,046,04,1,7.0,10,2,10,1.5,20210316120000,https://example.org/a
2,20210316,RUS,RUSSIA,RUS,UKR,UKRAINE,UKR,1,112,11,3,-2.0,3,1,3,-4.25,20210316120000,https://example.org/b
3,20210317,USA,UNITED STATES,USA,EUR,EUROPE,EUR,1,010,01,1,0.0,3,1,3,0,20210317120000,https://example.org/c
4,20210318,BLR,BELARUS,BLR,RUS,RUSSIA,RUS,0,190,19,4,-10.0,1,1,1,-8,20210318120000,https://example.org/d
5,20210318,BLR,BELARUS,BLR,BLR,BELARUS,BLR,1,010,01,1,0.0,1,1,1,0,20210318120000,https://example.org/e
6,20210319,USA,UNITED STATES,USA,ROM,ROMANIA,ROM,1,051,05,1,3.4,1,1,1,0,20210319120000,
";

    #[test]
    fn rows_between_states_become_statements_and_events() {
        let x = run(ROWS, &GdeltFilter::default()).expect("reads");
        assert_eq!(x.rows, 6);
        assert_eq!(x.skipped.get(NOT_STATES), Some(&1));
        assert_eq!(x.skipped.get(SAME_STATE), Some(&1));
        let text = render(&x).expect("valid");
        // A consultation is a meeting.
        assert!(text.contains("id: \"gdelt-1\",\n        name: \"Russia and Belarus: Engage in negotiation\",\n        kind: Meeting,"), "{text}");
        // A verbal conflict is a hostile statement by actor 1 about actor 2.
        assert!(text.contains("id: \"gdelt-2\",\n        by: \"RUS\",\n        about: [\"UKR\"],\n        on: \"2021-03-16\",\n        quote: \"[CAMEO 112: Accuse, not specified below]\",\n        stance: Hostile,"), "{text}");
        assert!(
            text.contains("Goldstein -2.0, PLOVER ACCUSE; root event; 3 mentions"),
            "{text}"
        );
        assert!(text.contains("average tone -4.25"), "{text}");
        assert!(text.contains("kind: Incident"), "{text}");
        assert!(text.contains("not a root event"), "{text}");
        // An old code for Romania is read as its successor; a missing URL cites GDELT.
        assert!(text.contains("about: [\"ROU\"]"), "{text}");
        assert!(
            text.contains("url: \"https://www.gdeltproject.org/\""),
            "{text}"
        );
        assert!(text.contains("published: \"2021-03-16\""), "{text}");
        assert!(text.contains("id: \"RUS\",\n        name: \"Russia\",\n        cow: 365,\n        note: \"Named as an actor (country code RUS) on line 2 of events.csv"), "{text}");
        assert!(
            text.contains("events.csv, line 2), coded from this article"),
            "{text}"
        );
    }

    #[test]
    fn filters() {
        let only = |f: GdeltFilter| -> Vec<String> {
            run(ROWS, &f)
                .expect("reads")
                .facts
                .iter()
                .filter_map(|r| r.get_str("id").map(str::to_string))
                .collect()
        };
        let d = |s| Date::parse(s).ok();
        assert_eq!(
            only(GdeltFilter {
                actors: vec!["UKR".into()],
                ..Default::default()
            }),
            ["gdelt-2"]
        );
        assert_eq!(
            only(GdeltFilter {
                from: d("2021-03-16"),
                to: d("2021-03-18"),
                ..Default::default()
            }),
            ["gdelt-2", "gdelt-4"]
        );
        assert_eq!(
            only(GdeltFilter {
                to: d("2021-03"),
                root_codes: vec!["19".into()],
                ..Default::default()
            }),
            ["gdelt-4"]
        );
        assert_eq!(
            only(GdeltFilter {
                min_mentions: Some(5),
                ..Default::default()
            }),
            ["gdelt-1"]
        );
    }

    #[test]
    fn malformed_rows_are_errors_whatever_the_filters() {
        let f = GdeltFilter {
            actors: vec!["CHN".into()],
            ..Default::default()
        };
        let e = run("1,2021-03-15,RUS,RUSSIA,RUS,BLR,BELARUS,BLR,1,046,04,1,7.0,10,2,10,1.5,20210316120000,u\n", &f)
            .expect_err("bad");
        assert_eq!(
            (e.line, e.message.as_str()),
            (
                2,
                "column `SQLDATE`: expected a date written YYYYMMDD, found `2021-03-15`"
            )
        );
        let e = run("1,20210315,RUS,RUSSIA,RUS,BLR,BELARUS,BLR,1,046,04,5,7.0,10,2,10,1.5,20210316120000,u\n", &f)
            .expect_err("bad");
        assert!(e.message.contains("QuadClass"), "{}", e.message);
        let e = read(
            b"a\tb\n",
            "x.tsv",
            &GdeltFilter::default(),
            None,
            &mut quiet(),
        )
        .expect_err("bad");
        assert_eq!(e.line, 1);
        assert!(e.message.contains("not GDELT 2.0 events"), "{}", e.message);
    }

    #[test]
    fn headerless_exports_and_the_plover_table() {
        let mut fields = vec![""; GDELT2_COLUMNS.len()];
        let set = |fields: &mut Vec<&'static str>, name: &str, v: &'static str| {
            let i = GDELT2_COLUMNS
                .iter()
                .position(|c| *c == name)
                .expect("column");
            fields[i] = v;
        };
        for (k, v) in [
            ("GLOBALEVENTID", "7"),
            ("SQLDATE", "20200810"),
            ("Actor1CountryCode", "USA"),
            ("Actor2CountryCode", "BLR"),
            ("EventCode", "163"),
            ("EventRootCode", "16"),
            ("QuadClass", "4"),
            ("GoldsteinScale", "-8.0"),
            ("SOURCEURL", "https://example.org/s"),
        ] {
            set(&mut fields, k, v);
        }
        let line = format!("{}\n", fields.join("\t"));
        let plover =
            Plover::parse("163: COERCE, restrict,   diplomatic # Impose embargo\n").expect("table");
        let x = read(
            line.as_bytes(),
            "export.CSV",
            &GdeltFilter::default(),
            Some(&plover),
            &mut quiet(),
        )
        .expect("reads");
        let text = render(&x).expect("valid");
        assert!(
            text.contains(
                "name: \"United States and Belarus: Impose embargo, boycott, or sanctions\""
            ),
            "{text}"
        );
        assert!(
            text.contains("PLOVER COERCE, mode restrict, context diplomatic"),
            "{text}"
        );
        assert!(text.contains("kind: Other"), "{text}");
    }
}
