//! `dipgraph sql` answers as dipgraph does: the bundled world and a synthetic world of 100k
//! facts are exported as Parquet, questions drawn at random (entities, dates of every
//! precision taken from the facts' own dates and around them) are put to dipgraph
//! (`--format json`) and, as SQL over the export, to DuckDB (every question) and to Spark in
//! local mode (the first ones of each world), through `scripts/sql-engine.py`; any difference
//! in rows or certainty fails.
//!
//! Without the Python packages (`duckdb`; `pyspark` and a Java runtime) the checks are skipped
//! with a note; under CI (`CI` set, where `.ci/run` installs them) a skip is a failure.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dipgraph::load::{self, DataSource};
use dipgraph::model::{Dataset, Date, FactBody};
use serde_json::Value;

use crate::support::{code, note, run, stderr, stdout};

/// A linear congruential sequence: the same questions on every run.
struct Draw(u64);

impl Draw {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }

    /// A date of any precision: often one of the facts' own dates (the edges of the
    /// intervals, where answers turn), cut to its month or year or moved a day; else any
    /// from 1950 to 2025.
    fn date(&mut self, data: &Dataset) -> Date {
        let own = data.facts[self.below(data.facts.len())].dates();
        self.date_near(&own)
    }

    /// A date as [`Draw::date`] draws one, from the dates `own` of some facts.
    fn date_near(&mut self, own: &[Date]) -> Date {
        let base = if !own.is_empty() && self.below(10) < 6 {
            own[self.below(own.len())]
        } else {
            let y = 1950 + self.below(76) as u16;
            Date::from_parts(y, 1 + self.below(12) as u8, 1 + self.below(28) as u8)
                .unwrap_or(Date::year(y))
        };
        let (y, m, d) = base.parts();
        let day = base.first_day();
        match self.below(8) {
            0 | 1 => Date::year(y),
            2 | 3 if m > 0 => Date::from_parts(y, m, 0).unwrap_or(base),
            4 => Date::from_naive(day - chrono::Duration::days(1)),
            5 => Date::from_naive(day + chrono::Duration::days(1)),
            _ if d == 0 => Date::from_naive(day),
            _ => base,
        }
    }
}

/// One question: dipgraph's arguments, and `sql`'s.
struct Question {
    args: Vec<String>,
    sql: Vec<String>,
    kind: &'static str,
}

fn owned(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// An entity a fact of the given kind names, by the id the fact writes.
fn named_by(
    data: &Dataset,
    r: &mut Draw,
    pick: impl Fn(&FactBody) -> Vec<String>,
) -> Option<String> {
    for _ in 0..2000 {
        let f = &data.facts[r.below(data.facts.len())];
        let names = pick(&f.body);
        if !names.is_empty() {
            return Some(names[r.below(names.len())].clone());
        }
    }
    None
}

/// The `n`-th question, about `data`.
fn question(data: &Dataset, n: usize, r: &mut Draw) -> Question {
    let any = |r: &mut Draw| data.entities[r.below(data.entities.len())].id.clone();
    let on = r.date(data).to_string();
    match n % 5 {
        0 => {
            let ally = named_by(data, r, |b| match b {
                FactBody::Treaty { kind, parties, .. } if kind.is_alliance() => {
                    parties.iter().map(|p| p.state.clone()).collect()
                }
                _ => Vec::new(),
            })
            .unwrap_or_else(|| "RUS".to_string());
            let q = owned(&["allies", &ally, "--on", &on]);
            Question {
                args: q.clone(),
                sql: q,
                kind: "allies",
            }
        }
        1 => {
            let mut q = owned(&["sanctions", "--on", &on]);
            let target = |r: &mut Draw| {
                named_by(data, r, |b| match b {
                    FactBody::Sanction { against, .. } => against.clone(),
                    _ => Vec::new(),
                })
            };
            let sender = |r: &mut Draw| {
                named_by(data, r, |b| match b {
                    FactBody::Sanction { by, .. } => vec![by.clone()],
                    _ => Vec::new(),
                })
            };
            match r.below(5) {
                0 | 1 => q.extend(owned(&["--against", &target(r).unwrap_or_else(|| any(r))])),
                2 => {
                    let org = named_by(data, r, |b| match b {
                        FactBody::Role { of, .. } | FactBody::Membership { of, .. } => {
                            vec![of.clone()]
                        }
                        _ => Vec::new(),
                    });
                    q.extend(owned(&[
                        "--against",
                        &org.unwrap_or_else(|| any(r)),
                        "--tied",
                    ]));
                }
                3 => q.extend(owned(&["--by", &sender(r).unwrap_or_else(|| any(r))])),
                _ => {}
            }
            Question {
                args: q.clone(),
                sql: q,
                kind: "sanctions",
            }
        }
        2 => {
            let who = if r.below(4) == 0 {
                // A fact: a treaty most often, for its parties.
                let treaty = named_by(data, r, |b| match b {
                    FactBody::Treaty { .. } => vec![String::new()],
                    _ => Vec::new(),
                });
                let k = r.below(data.facts.len());
                match treaty {
                    Some(_) if r.below(3) > 0 => {
                        let treaties: Vec<&str> = data
                            .facts
                            .iter()
                            .filter(|f| !f.parties().is_empty())
                            .map(|f| f.id.as_str())
                            .collect();
                        treaties[r.below(treaties.len())].to_string()
                    }
                    _ => data.facts[k].id.clone(),
                }
            } else if r.below(3) == 0 {
                any(r)
            } else {
                named_by(data, r, |b| match b {
                    FactBody::Role { person, .. } => vec![person.clone()],
                    FactBody::Statement { by, about, .. } => {
                        let mut v = about.clone();
                        v.push(by.clone());
                        v
                    }
                    FactBody::Treaty { parties, .. } => {
                        parties.iter().map(|p| p.state.clone()).collect()
                    }
                    FactBody::Membership { member, .. } => vec![member.clone()],
                    _ => Vec::new(),
                })
                .unwrap_or_else(|| any(r))
            };
            let q = owned(&["show", &who, "--on", &on]);
            Question {
                args: q.clone(),
                sql: q,
                kind: "show",
            }
        }
        3 => {
            // A window of days to a few years (ordered so that it is not empty).
            let a = r.date(data);
            let mut b = r.date(data);
            if b.last() <= a.end_exclusive() + 30 {
                b = Date::from_naive(
                    a.last_day() + chrono::Duration::days(1 + r.below(400) as i64),
                );
            }
            if b.first() - a.last() > 800 {
                b = Date::from_naive(
                    a.last_day() + chrono::Duration::days(1 + r.below(400) as i64),
                );
            }
            let mut q = owned(&["diff", &a.to_string(), &b.to_string()]);
            if r.below(2) == 0 {
                let who = named_by(data, r, |b| match b {
                    FactBody::Treaty { parties, .. } => {
                        parties.iter().map(|p| p.state.clone()).collect()
                    }
                    FactBody::Sanction { against, .. } => against.clone(),
                    _ => Vec::new(),
                });
                q.extend(owned(&["--around", &who.unwrap_or_else(|| any(r))]));
            }
            Question {
                args: q.clone(),
                sql: q,
                kind: "diff",
            }
        }
        _ => {
            let (a, b) = pair(data, r);
            let mut q = owned(&["relations", &a, &b]);
            // Dates near the pair's own facts' (where its entries turn), in a window open at
            // either end, at both, or at neither.
            let own: Vec<Date> = data
                .facts
                .iter()
                .filter(|f| {
                    f.references()
                        .iter()
                        .any(|(_, id)| id.eq_ignore_ascii_case(&a) || id.eq_ignore_ascii_case(&b))
                })
                .flat_map(|f| f.dates())
                .collect();
            let mut from = r.date_near(&own);
            let mut to = r.date_near(&own);
            if to.last() < from.first() {
                std::mem::swap(&mut from, &mut to);
            }
            match r.below(4) {
                0 => {}
                1 => q.extend(owned(&["--from", &from.to_string()])),
                2 => q.extend(owned(&["--to", &to.to_string()])),
                _ => q.extend(owned(&[
                    "--from",
                    &from.to_string(),
                    "--to",
                    &to.to_string(),
                ])),
            }
            Question {
                args: q.clone(),
                sql: q,
                kind: "relations",
            }
        }
    }
}

/// Two different entities, most often tied by one fact: two parties to a treaty (or its
/// organization and a party), two members of an organization (or a member and it), a
/// sanction's sender and a target, a statement's speaker (or, for a person, what it holds a
/// role of) and a subject, two entities of an event, a role's person and what it is of; else
/// any two.
fn pair(data: &Dataset, r: &mut Draw) -> (String, String) {
    let any = |r: &mut Draw| data.entities[r.below(data.entities.len())].id.clone();
    let roles_of = |person: &str| -> Vec<String> {
        data.facts
            .iter()
            .filter_map(|f| match &f.body {
                FactBody::Role { person: p, of, .. } if p.eq_ignore_ascii_case(person) => {
                    Some(of.clone())
                }
                _ => None,
            })
            .collect()
    };
    let members_of = |org: &str| -> Vec<String> {
        data.facts
            .iter()
            .filter_map(|f| match &f.body {
                FactBody::Membership { member, of } if of.eq_ignore_ascii_case(org) => {
                    Some(member.clone())
                }
                _ => None,
            })
            .collect()
    };
    let kind = r.below(7);
    for _ in 0..2000 {
        // The two sides a fact of the kind drawn ties: one list for each.
        let f = &data.facts[r.below(data.facts.len())];
        let (one, other): (Vec<String>, Vec<String>) = match (kind, &f.body) {
            (
                0,
                FactBody::Treaty {
                    parties,
                    organization,
                    ..
                },
            ) => {
                let mut all: Vec<String> = parties.iter().map(|p| p.state.clone()).collect();
                all.extend(organization.iter().cloned());
                (all.clone(), all)
            }
            (1, FactBody::Membership { member, of }) => {
                let mut fellows = members_of(of);
                if r.below(4) == 0 {
                    fellows = vec![of.clone()];
                }
                (vec![member.clone()], fellows)
            }
            (2, FactBody::Sanction { by, against, .. }) => (vec![by.clone()], against.clone()),
            (3, FactBody::Statement { by, about, .. }) => {
                let sides = roles_of(by);
                let speaker = if !sides.is_empty() && r.below(2) == 0 {
                    sides
                } else {
                    vec![by.clone()]
                };
                (speaker, about.clone())
            }
            (4, FactBody::Event { involves, .. }) => (involves.clone(), involves.clone()),
            (5, FactBody::Role { person, of, .. }) => (vec![person.clone()], vec![of.clone()]),
            (6, _) => (vec![any(r)], vec![any(r)]),
            _ => continue,
        };
        if one.is_empty() || other.is_empty() {
            continue;
        }
        let a = one[r.below(one.len())].clone();
        let b = other[r.below(other.len())].clone();
        if !a.eq_ignore_ascii_case(&b) {
            // Either way round.
            return if r.below(2) == 0 { (a, b) } else { (b, a) };
        }
    }
    loop {
        let (a, b) = (any(r), any(r));
        if !a.eq_ignore_ascii_case(&b) {
            return (a, b);
        }
    }
}

/// A JSON value as text for comparing (arrays joined with commas).
fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => Some(a.iter().filter_map(text).collect::<Vec<_>>().join(",")),
        other => Some(other.to_string()),
    }
}

type Rows = Vec<Vec<Option<String>>>;

/// dipgraph's answer as the rows the SQL gives.
fn rows_of_answer(kind: &str, answer: &Value) -> Rows {
    let results = &answer["results"];
    let pick = |items: &Value, keys: &[&str]| -> Rows {
        items
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|item| keys.iter().map(|k| text(&item[*k])).collect())
                    .collect()
            })
            .unwrap_or_default()
    };
    match kind {
        "allies" => pick(results, &["id", "certainty", "via"]),
        "sanctions" => pick(results, &["id", "by", "from", "until", "certainty"]),
        "show" if results[0].get("facts").is_some() => sorted(pick(
            &results[0]["facts"],
            &["id", "kind", "tie", "certainty"],
        )),
        // A fact: its certainty, then each party's.
        "show" => {
            let mut rows = vec![vec![None, text(&results[0]["certainty"])]];
            let parties = results[0]["entities"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for m in parties.iter().filter(|m| m["tie"] == "party") {
                rows.push(vec![text(&m["id"]), text(&m["certainty"])]);
            }
            rows
        }
        "relations" => {
            let mut rows = pick(results, &["date", "change", "id", "party", "certainty"]);
            rows.sort();
            rows.dedup();
            rows
        }
        _ => {
            let mut rows = pick(
                &results[0]["changes"],
                &["id", "change", "party", "date", "certainty"],
            );
            rows.sort();
            rows.dedup();
            rows
        }
    }
}

fn sorted(mut rows: Rows) -> Rows {
    rows.sort();
    rows
}

/// The engine's rows, in the same shape.
fn rows_of_sql(kind: &str, rows: &Value) -> Rows {
    let all: Rows = rows
        .as_array()
        .map(|a| {
            a.iter()
                .map(|row| {
                    row.as_array()
                        .map(|r| r.iter().map(text).collect())
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    match kind {
        // id, name, certainty, via
        "allies" => all
            .into_iter()
            .map(|r| vec![r[0].clone(), r[2].clone(), r[3].clone()])
            .collect(),
        "sanctions" => all,
        // A fact: id, entity, tie, party, certainty.
        "show" if all.first().is_some_and(|r| r.len() == 5) => all
            .into_iter()
            .map(|r| vec![r[1].clone(), r[4].clone()])
            .collect(),
        "show" => sorted(all),
        _ => {
            let mut rows = all;
            rows.sort();
            rows.dedup();
            rows
        }
    }
}

/// Whether Python can import `module` (and, for Spark, Java runs).
fn have(module: &str) -> bool {
    let py = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let java = module != "pyspark"
        || Command::new("java")
            .arg("-version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    py && java
}

/// Whether the engine can run; without it the checks are skipped with a note, and under CI
/// that fails.
fn engine(module: &str, what: &str) -> bool {
    if have(module) {
        return true;
    }
    assert!(
        std::env::var("CI").is_err(),
        "{what} is not installed, and CI must compare `dipgraph sql` in it (.ci/run installs it)"
    );
    note(&format!(
        "{what} is not installed (`pip install {module}`); skipping the comparison of `dipgraph sql` with it"
    ));
    false
}

/// Runs the SQL texts in `engine` through `scripts/sql-engine.py`.
fn run_sql(engine: &str, texts: &[String]) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/sql-engine.py");
    let mut child = Command::new("python3")
        .arg(script)
        .arg(engine)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let input = serde_json::to_vec(texts).expect("json");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&input)
        .expect("write the SQL");
    let out = child.wait_with_output().expect("the engine ends");
    assert!(
        out.status.success(),
        "{engine} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .expect("rows as JSON")
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// A world exported: where to run dipgraph, its `--data` arguments, and its export.
struct World {
    cwd: PathBuf,
    data: Vec<String>,
    out: PathBuf,
    dataset: Dataset,
}

fn dipgraph(world: &World, args: &[String]) -> std::process::Output {
    let mut all: Vec<&str> = world.data.iter().map(String::as_str).collect();
    all.extend(args.iter().map(String::as_str));
    run(&world.cwd, &all)
}

/// For each kind of question: how many were asked, how many had rows, and how many had a
/// `possible` row.
type Tally = std::collections::BTreeMap<&'static str, [usize; 3]>;

/// Asks `count` questions of `world`, in DuckDB and, for the first `in_spark`, in Spark, and
/// adds them to `tally`.
fn compare(world: &World, count: usize, seed: u64, in_spark: usize, tally: &mut Tally) {
    let mut r = Draw(seed);
    let questions: Vec<Question> = (0..count)
        .map(|n| question(&world.dataset, n, &mut r))
        .collect();
    let mut answers = Vec::new();
    for q in &questions {
        let mut args = vec!["--format".to_string(), "json".to_string()];
        args.extend(q.args.iter().cloned());
        let o = dipgraph(world, &args);
        assert_eq!(code(&o), 0, "{:?}: {}", q.args, stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON answer");
        answers.push(rows_of_answer(q.kind, &v));
    }
    let sql_of = |q: &Question, dialect: &str| {
        let mut args = vec!["sql".to_string()];
        args.extend(q.sql.iter().cloned());
        args.extend(owned(&[
            "--parquet",
            &world.out.to_string_lossy(),
            "--dialect",
            dialect,
        ]));
        let o = dipgraph(world, &args);
        assert_eq!(code(&o), 0, "sql {:?}: {}", q.sql, stderr(&o));
        stdout(&o)
    };
    let mut engines = vec![("duckdb", questions.len())];
    if in_spark > 0 && engine("pyspark", "Spark (pyspark with a Java runtime)") {
        engines.push(("spark", in_spark.min(questions.len())));
    }
    for (name, n) in engines {
        let texts: Vec<String> = questions[..n].iter().map(|q| sql_of(q, name)).collect();
        let rows = run_sql(name, &texts);
        assert_eq!(rows.len(), n, "{name} answered every text");
        let mut wrong = Vec::new();
        for (k, q) in questions[..n].iter().enumerate() {
            let got = if rows[k].get("error").is_some() {
                vec![vec![text(&rows[k]["error"])]]
            } else {
                rows_of_sql(q.kind, &rows[k])
            };
            if got != answers[k] {
                wrong.push(format!(
                    "{name}: `dipgraph {}`\n  dipgraph: {:?}\n  {name}: {:?}\n  sql:\n{}",
                    q.args.join(" "),
                    answers[k],
                    got,
                    texts[k]
                ));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} of {n} answers differ; the first:\n{}",
            wrong.len(),
            wrong.into_iter().take(3).collect::<Vec<_>>().join("\n")
        );
    }
    for (q, rows) in questions.iter().zip(&answers) {
        let t = tally.entry(q.kind).or_default();
        t[0] += 1;
        t[1] += usize::from(!rows.is_empty());
        let possible = Some("possible".to_string());
        t[2] += usize::from(rows.iter().any(|r| r.contains(&possible)));
    }
}

fn export(world: &World) {
    let mut args = owned(&["export", "parquet", "--all", "-o"]);
    args.push(world.out.to_string_lossy().into_owned());
    let o = dipgraph(world, &args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn sql_answers_as_dipgraph_does_in_duckdb_and_spark() {
    if !cfg!(feature = "parquet") {
        assert!(
            std::env::var("CI").is_err(),
            "CI tests the Parquet export: run the tests with --all-features"
        );
        note(
            "built without the `parquet` feature; skipping the comparison of `dipgraph sql` with DuckDB and Spark (run `cargo test --all-features`)",
        );
        return;
    }
    if !engine("duckdb", "DuckDB's Python package") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    // The bundled world: run from a folder without `graph/`.
    let bundled = World {
        cwd: dir.path().to_path_buf(),
        data: Vec::new(),
        out: dir.path().join("bundled.parquet"),
        dataset: load::load(&DataSource::Bundled).dataset,
    };
    export(&bundled);
    let mut tally = Tally::new();
    compare(&bundled, 150, 19, 35, &mut tally);
    // A synthetic world of 100k facts.
    let o = run(
        dir.path(),
        &[
            "synth", "--facts", "100000", "--seed", "19", "--out", "world",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let synthetic = World {
        cwd: dir.path().to_path_buf(),
        data: owned(&["--data", "world"]),
        out: dir.path().join("world.parquet"),
        dataset: load::load(&DataSource::Path(dir.path().join("world"))).dataset,
    };
    export(&synthetic);
    compare(&synthetic, 125, 23, 25, &mut tally);
    eprintln!("asked, with rows, with a possible row: {tally:?}");
    let asked: usize = tally.values().map(|t| t[0]).sum();
    let found: usize = tally.values().map(|t| t[1]).sum();
    assert!(asked >= 200);
    assert!(
        found * 3 >= asked,
        "most questions find something: {found} of {asked}"
    );
    // Relations are drawn between entities tied by some fact: most find something, and some
    // of their entries are only possible.
    let [asked, found, possible] = tally["relations"];
    assert!(
        found * 3 >= asked * 2,
        "relations with rows: {found} of {asked}"
    );
    assert!(possible > 0, "no relations entry was possible");
}

#[test]
fn export_parquet_needs_a_new_folder_or_an_earlier_export() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = run(dir.path(), &["export", "parquet", "--all"]);
    assert_eq!(code(&o), 2);
    crate::support::assert_contains(&stderr(&o), "-o DIR");
    std::fs::create_dir(dir.path().join("notes")).expect("mkdir");
    std::fs::write(dir.path().join("notes/keep.txt"), "mine").expect("write");
    let o = run(dir.path(), &["export", "parquet", "--all", "-o", "notes"]);
    assert_eq!(code(&o), 2);
    crate::support::assert_contains(&stderr(&o), "is not an earlier Parquet export");
    assert!(dir.path().join("notes/keep.txt").exists(), "left as it was");
    if cfg!(feature = "parquet") {
        for _ in 0..2 {
            let o = run(
                dir.path(),
                &[
                    "export",
                    "parquet",
                    "--on",
                    "2021-03-15",
                    "--kinds",
                    "sanction",
                    "-o",
                    "out",
                ],
            );
            assert_eq!(code(&o), 0, "{}", stderr(&o));
        }
        assert!(dir.path().join("out/ties/kind=Sanction").is_dir());
        assert!(
            !dir.path().join("out/ties/kind=Treaty").exists(),
            "only sanctions chosen"
        );
        let leftovers = std::fs::read_dir(dir.path()).expect("list").count();
        assert_eq!(leftovers, 2, "no temporary folder left beside the export");
    } else {
        let o = run(dir.path(), &["export", "parquet", "--all", "-o", "out"]);
        assert_eq!(code(&o), 2);
        crate::support::assert_contains(&stderr(&o), "--features parquet");
    }
}

#[test]
fn sql_refuses_a_folder_without_an_export_and_trino_with_a_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let refused = |args: &[&str], message: &str| {
        crate::support::assert_refused(dir.path(), args, message);
    };
    refused(
        &[
            "sql",
            "allies",
            "BLR",
            "--on",
            "2021",
            "--parquet",
            "nothing",
        ],
        "holds no Parquet export",
    );
    refused(
        &["sql", "diff", "2021", "2020", "--dialect", "trino"],
        "give the earlier date first",
    );
    let o = run(
        dir.path(),
        &[
            "sql",
            "allies",
            "belarus",
            "--on",
            "2021-03-15",
            "--dialect",
            "spark",
        ],
    );
    assert_eq!(code(&o), 0);
    crate::support::assert_contains(
        &stdout(&o),
        "SET spark.sql.parquet.datetimeRebaseModeInRead=CORRECTED;",
    );
    crate::support::assert_contains(&stdout(&o), "WHERE entity = 'BLR'");
    // `relations` as dipgraph's: two different entities, and a period that is not empty.
    refused(
        &["sql", "relations", "belarus", "BLR"],
        "needs two different entities",
    );
    refused(
        &[
            "sql",
            "relations",
            "RUS",
            "BLR",
            "--from",
            "2022",
            "--to",
            "2019",
        ],
        "--from 2022 is after --to 2019",
    );
    let o = run(
        dir.path(),
        &["sql", "relations", "russia", "BLR", "--to", "2021"],
    );
    assert_eq!(code(&o), 0);
    crate::support::assert_contains(&stdout(&o), "WHERE entity IN ('RUS', 'BLR')");
}

/// Every `dipgraph export parquet` and `dipgraph sql` command shown in docs/scale-out.md runs
/// as shown, on the bundled world, in that order (the exports write the `out` the SQL reads).
#[test]
fn the_commands_of_scale_out_md_run_as_shown() {
    if !cfg!(feature = "parquet") {
        assert!(
            std::env::var("CI").is_err(),
            "CI tests the Parquet export: run the tests with --all-features"
        );
        note(
            "built without the `parquet` feature; skipping the commands of docs/scale-out.md (run `cargo test --all-features`)",
        );
        return;
    }
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/scale-out.md"))
            .expect("docs/scale-out.md");
    let commands: Vec<Vec<&str>> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("    dipgraph "))
        .map(|l| {
            let l = l.split(" #").next().unwrap_or_default();
            let l = l.split(" |").next().unwrap_or_default();
            l.split_whitespace().collect()
        })
        .collect();
    let sql = commands
        .iter()
        .filter(|c| c.first() == Some(&"sql"))
        .count();
    assert!(
        sql >= 5 && commands.len() > sql,
        "the doc shows its exports and questions"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    for args in &commands {
        let o = run(dir.path(), args);
        assert_eq!(code(&o), 0, "dipgraph {}: {}", args.join(" "), stderr(&o));
        if args[0] == "sql" {
            crate::support::assert_contains(&stdout(&o), "SELECT");
        }
    }
}
