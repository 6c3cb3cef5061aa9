//! The data's own history, read from git: `changes` between versions in every format, and
//! `--as-recorded` answers against a checkout of the same commit. A small repository is built
//! in a temporary folder (git's identity and dates set through its environment, never the
//! user's configuration); the last test reads this repository's own history.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::{code, stderr, stdout};

/// A command with git's configuration and identity taken from the test, not the user.
fn isolated(program: &str, cwd: &Path) -> Command {
    let mut c = Command::new(program);
    c.current_dir(cwd)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test Curator")
        .env("GIT_AUTHOR_EMAIL", "curator@example.org")
        .env("GIT_COMMITTER_NAME", "Test Curator")
        .env("GIT_COMMITTER_EMAIL", "curator@example.org")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("DIPGRAPH_DATA");
    c
}

/// Runs git in `cwd`; its commits dated `date`.
fn git_at(cwd: &Path, date: &str, args: &[&str]) -> String {
    let o = isolated("git", cwd)
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("these tests need git installed");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn git(cwd: &Path, args: &[&str]) -> String {
    git_at(cwd, "2026-01-01T12:00:00Z", args)
}

/// Runs dipgraph in `cwd` with its own cache folder.
fn dipgraph(cwd: &Path, cache: &Path, args: &[&str]) -> Output {
    isolated(env!("CARGO_BIN_EXE_dipgraph"), cwd)
        .args(args)
        .env("DIPGRAPH_TODAY", "2021-03-15")
        .env("DIPGRAPH_CACHE_DIR", cache)
        .output()
        .expect("dipgraph runs")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(o), stderr(o)))
}

const STATES: &str = r#"[
    State(id: "ARM", name: "Armenia"),
    State(id: "BLR", name: "Belarus"),
    State(id: "KAZ", name: "Kazakhstan"),
    State(id: "RUS", name: "Russia"),
    State(id: "UZB", name: "Uzbekistan"),
    Organization(id: "EU", name: "European Union", kind: Supranational),
    Person(id: "peskov", name: "Dmitry Peskov"),
]
"#;

const TREATIES_1: &str = r#"[
    Treaty(
        id: "cst",
        name: "Collective Security Treaty",
        kind: Defense,
        signed: "1992-05-15",
        in_force: "1994-04-20",
        parties: [
            Party(state: "ARM"),
            Party(state: "BLR"),
            Party(state: "KAZ"),
            Party(state: "RUS"),
            Party(state: "UZB", until: "1999-04-02"),
            Party(state: "UZB", from: "2006-08-16", until: "2012-12-20"),
        ],
        sources: [Source(title: "CST", url: "https://example.org/cst", published: "1994-04-20")],
    ),
]
"#;

/// The treaty with Uzbekistan's exit moved and a reading of Kazakhstan's entry added.
const TREATIES_2: &str = r#"[
    Treaty(
        id: "cst",
        name: "Collective Security Treaty",
        kind: Defense,
        signed: "1992-05-15",
        in_force: "1994-04-20",
        parties: [
            Party(state: "ARM"),
            Party(state: "BLR"),
            Party(
                state: "KAZ",
                disputed: [Reading(from: "1994-05-01", sources: [Source(title: "KAZ", url: "https://example.org/kaz", published: "1994-05-01")])],
            ),
            Party(state: "RUS"),
            Party(state: "UZB", until: "1999-04-02"),
            Party(state: "UZB", from: "2006-08-16", until: "2012-06-28"),
        ],
        sources: [Source(title: "CST", url: "https://example.org/cst", published: "1994-04-20")],
    ),
]
"#;

const SANCTIONS_1: &str = r#"[
    Sanction(id: "eu-blr-1", by: "EU", against: ["BLR"], measures: [TravelBan], from: "2020-10-02", sources: [Source(title: "Reg 1", url: "https://example.org/reg1", published: "2020-10-02")]),
    Sanction(id: "eu-blr-2", by: "EU", against: ["BLR"], measures: [AssetFreeze], from: "2020-11-06", sources: [Source(title: "Reg 2", url: "https://example.org/reg2", published: "2020-11-06")]),
]
"#;

/// `eu-blr-1` renamed, `eu-blr-2`'s source moved, a sanction on Uzbekistan added.
const SANCTIONS_2: &str = r#"[
    Sanction(id: "eu-blr-2020-10", by: "EU", against: ["BLR"], measures: [TravelBan], from: "2020-10-02", sources: [Source(title: "Reg 1", url: "https://example.org/reg1", published: "2020-10-02")]),
    Sanction(id: "eu-blr-2", by: "EU", against: ["BLR"], measures: [AssetFreeze], from: "2020-11-06", sources: [Source(title: "Reg 2", url: "https://example.org/reg2-oj", published: "2020-11-06")]),
    Sanction(id: "eu-uzb-1", by: "EU", against: ["UZB"], measures: [ArmsEmbargo], from: "2012-01-01", sources: [Source(title: "Reg 3", url: "https://example.org/reg3", published: "2012-01-01")]),
]
"#;

/// The sanction on Uzbekistan removed again.
const SANCTIONS_3: &str = r#"[
    Sanction(id: "eu-blr-2020-10", by: "EU", against: ["BLR"], measures: [TravelBan], from: "2020-10-02", sources: [Source(title: "Reg 1", url: "https://example.org/reg1", published: "2020-10-02")]),
    Sanction(id: "eu-blr-2", by: "EU", against: ["BLR"], measures: [AssetFreeze], from: "2020-11-06", sources: [Source(title: "Reg 2", url: "https://example.org/reg2-oj", published: "2020-11-06")]),
]
"#;

const STATEMENTS_1: &str = r#"[
    Statement(id: "brothers", by: "peskov", about: ["BLR", "RUS"], on: "2021-03-15", quote: "Rather, we are not friends, but brothers.", stance: Friendly, sources: [Source(title: "RT", url: "https://example.org/rt", published: "2021-03-15")]),
]
"#;

/// An event with no source: a warning, so that `validate` has a problem to place.
const EVENTS_3: &str = r#"[
    Event(id: "summit", name: "Summit", kind: Summit, on: "2021-05-28", involves: ["BLR", "RUS"]),
]
"#;

const QUERY: &str = r#"Query(
    title: "Uzbekistan's allies in September 2012",
    ask: Allies(of: "UZB", on: "2012-09-01"),
    expect: Includes(["BLR"]),
)
"#;

/// The temporary repository: its folder, the commits in order (C0 without data, then three
/// of it), and a cache folder.
struct Repo {
    dir: tempfile::TempDir,
    commits: Vec<String>,
    cache: PathBuf,
}

impl Repo {
    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, name: &str, text: &str) {
        let p = self.path().join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    fn run(&self, args: &[&str]) -> Output {
        dipgraph(self.path(), &self.cache, args)
    }
}

/// C0: a README only (2026-01-01); C1: the data added (2026-01-10); C2: amended, a sanction
/// renamed, a party's date moved, a reading and a sanction added (2026-02-10); C3: a
/// statement and a sanction removed, an event added, a name changed (2026-03-10). The work
/// tree then adds a state, uncommitted.
fn repo() -> Repo {
    let dir = tempfile::tempdir().expect("tmp");
    let cache = dir.path().join(".cache");
    let mut r = Repo {
        dir,
        commits: Vec::new(),
        cache,
    };
    let p = r.path().to_path_buf();
    git(&p, &["init", "-q", "-b", "main"]);
    std::fs::write(p.join(".gitignore"), ".cache/\n").expect("write");
    r.write("README.md", "A dataset.\n");
    let commit = |r: &mut Repo, date: &str, message: &str| {
        git_at(&p, date, &["add", "-A"]);
        git_at(&p, date, &["commit", "-q", "-m", message]);
        r.commits.push(git(&p, &["rev-parse", "HEAD"]));
    };
    commit(&mut r, "2026-01-01T12:00:00Z", "README");
    r.write("graph/states.ron", STATES);
    r.write("graph/treaties.ron", TREATIES_1);
    r.write("graph/sanctions.ron", SANCTIONS_1);
    r.write("graph/statements.ron", STATEMENTS_1);
    r.write("queries/uzb-2012.ron", QUERY);
    commit(&mut r, "2026-01-10T12:00:00Z", "The data");
    r.write("graph/treaties.ron", TREATIES_2);
    r.write("graph/sanctions.ron", SANCTIONS_2);
    commit(&mut r, "2026-02-10T12:00:00Z", "Amended");
    r.write("graph/sanctions.ron", SANCTIONS_3);
    r.write("graph/statements.ron", "[]\n");
    r.write("graph/events.ron", EVENTS_3);
    r.write(
        "graph/states.ron",
        &STATES.replace(r#"name: "Russia""#, r#"name: "Russian Federation""#),
    );
    commit(&mut r, "2026-03-10T12:00:00Z", "Removed");
    r.write(
        "graph/states.ron",
        &STATES
            .replace(r#"name: "Russia""#, r#"name: "Russian Federation""#)
            .replace("]\n", "    State(id: \"TJK\", name: \"Tajikistan\"),\n]\n"),
    );
    r
}

/// One record of a `changes` answer, as its JSON gives it: kind, id, change, old id, and
/// each field changed with its old and new value.
type Listed = (
    String,
    String,
    String,
    Option<String>,
    Vec<[Option<String>; 3]>,
);

fn listed(answer: &Value) -> Vec<Listed> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    answer["results"][0]["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| {
            let fields = r["fields"]
                .as_array()
                .map(|fs| {
                    fs.iter()
                        .map(|f| [text(&f["field"]), text(&f["old"]), text(&f["new"])])
                        .collect()
                })
                .unwrap_or_default();
            (
                text(&r["kind"]).unwrap_or_default(),
                text(&r["id"]).unwrap_or_default(),
                text(&r["change"]).unwrap_or_default(),
                text(&r["was"]),
                fields,
            )
        })
        .collect()
}

fn s(t: &str) -> Option<String> {
    Some(t.to_string())
}

/// The rows every format gives of one `changes` answer agree with its JSON: CSV row for row,
/// a table and Markdown naming each record and field.
fn formats_agree(r: &Repo, range: &[&str]) -> Vec<Listed> {
    let with = |format: &str| {
        let mut args = vec!["--format", format, "changes"];
        args.extend(range);
        let o = r.run(&args);
        assert_eq!(code(&o), 0, "changes {range:?} {format}: {}", stderr(&o));
        o
    };
    let records = listed(&json(&with("json")));
    let expected_rows: Vec<Vec<String>> = records
        .iter()
        .flat_map(|(kind, id, change, was, fields)| {
            let rows: Vec<[String; 3]> = match change.as_str() {
                "changed" => fields
                    .iter()
                    .map(|f| f.clone().map(Option::unwrap_or_default))
                    .collect(),
                "renamed" => vec![["id".into(), was.clone().unwrap_or_default(), id.clone()]],
                _ => vec![[String::new(), String::new(), String::new()]],
            };
            rows.into_iter()
                .map(move |[f, o, n]| vec![kind.clone(), change.clone(), id.clone(), f, o, n])
        })
        .collect();
    let csv_out = with("csv");
    let mut reader = csv::Reader::from_reader(csv_out.stdout.as_slice());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, ["kind", "change", "id", "field", "old", "new"]);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), expected_rows.len(), "{range:?}");
    for (row, want) in rows.iter().zip(&expected_rows) {
        // Added and removed records carry the record itself in `new` or `old`.
        assert_eq!(row[..4], want[..4], "{range:?}");
        if want[1] == "changed" || want[1] == "renamed" {
            assert_eq!(row[4..], want[4..], "{range:?}");
        }
    }
    let table = stdout(&with("table"));
    let markdown = stdout(&with("markdown"));
    let [added, removed, renamed, changed] = ["added", "removed", "renamed", "changed"]
        .map(|c| records.iter().filter(|r| r.2 == c).count());
    let counts = format!("{added} added, {removed} removed, {renamed} renamed, {changed} changed");
    assert!(table.contains(&counts), "{counts} in\n{table}");
    assert!(markdown.contains(&counts), "{counts} in\n{markdown}");
    for (kind, id, change, _, fields) in &records {
        assert!(
            table.lines().any(|l| {
                let w: Vec<&str> = l.split_whitespace().take(2).collect();
                w == [change.as_str(), id.as_str()]
            }),
            "{change} {id} in\n{table}"
        );
        assert!(
            markdown.contains(&format!("| {change} | {id} |")),
            "{id} in\n{markdown}"
        );
        let heading = format!("{kind} (");
        assert!(table.contains(&heading), "{heading} in\n{table}");
        assert!(markdown.contains(&format!("### {heading}")), "{markdown}");
        for [field, _, _] in fields {
            let field = field.clone().unwrap_or_default();
            assert!(table.contains(&field), "{field} in\n{table}");
        }
    }
    // A table row per field, as in CSV.
    let md_rows = markdown
        .lines()
        .filter(|l| {
            l.starts_with("| ") && !l.starts_with("| change |") && !l.starts_with("| --- |")
        })
        .count();
    assert_eq!(md_rows, rows.len(), "{markdown}");
    records
}

#[test]
fn changes_between_each_pair_of_commits_in_every_format() {
    let r = repo();
    let c = |n: usize| r.commits[n].clone();
    let one_two = format!("{}..{}", c(1), c(2));
    let records = formats_agree(&r, &[&one_two]);
    assert_eq!(
        records,
        [
            (
                "Treaty".into(),
                "cst".into(),
                "changed".into(),
                None,
                vec![
                    [
                        s("parties[KAZ].disputed"),
                        None,
                        s(
                            r#"[Reading(from: "1994-05-01", sources: [Source(title: "KAZ", url: "https://example.org/kaz", published: "1994-05-01")])]"#
                        )
                    ],
                    [
                        s("parties[UZB #2].until"),
                        s(r#""2012-12-20""#),
                        s(r#""2012-06-28""#)
                    ],
                ]
            ),
            (
                "Sanction".into(),
                "eu-blr-2".into(),
                "changed".into(),
                None,
                vec![[
                    s("sources[1].url"),
                    s(r#""https://example.org/reg2""#),
                    s(r#""https://example.org/reg2-oj""#)
                ]]
            ),
            (
                "Sanction".into(),
                "eu-blr-2020-10".into(),
                "renamed".into(),
                s("eu-blr-1"),
                vec![]
            ),
            (
                "Sanction".into(),
                "eu-uzb-1".into(),
                "added".into(),
                None,
                vec![]
            ),
        ]
    );

    let two_three = format!("{}..{}", c(2), c(3));
    let records = formats_agree(&r, &[&two_three]);
    let ids: Vec<(&str, &str, &str)> = records
        .iter()
        .map(|(k, id, ch, _, _)| (k.as_str(), id.as_str(), ch.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("State", "RUS", "changed"),
            ("Sanction", "eu-uzb-1", "removed"),
            ("Statement", "brothers", "removed"),
            ("Event", "summit", "added"),
        ]
    );
    assert_eq!(
        records[0].4,
        [[s("name"), s(r#""Russia""#), s(r#""Russian Federation""#)]]
    );

    // From the first data to the last: the rename and the removal of the sanction added in
    // between leave no trace of it.
    let one_three = format!("{}..{}", c(1), c(3));
    let records = formats_agree(&r, &[&one_three]);
    assert!(records.iter().all(|r| r.1 != "eu-uzb-1"), "{records:?}");
    assert!(
        records
            .iter()
            .any(|r| r.1 == "eu-blr-2020-10" && r.2 == "renamed")
    );
    // Backwards, every change turns round.
    let back = formats_agree(&r, &[&format!("{}..{}", c(3), c(1))]);
    assert_eq!(back.len(), records.len());
    for (kind, id, change, was, _) in &back {
        let turned = match change.as_str() {
            "added" => "removed",
            "removed" => "added",
            other => other,
        };
        let same_id = |o: &Listed| match change.as_str() {
            "renamed" => Some(&o.1) == was.as_ref() && o.3.as_ref() == Some(id),
            _ => &o.1 == id,
        };
        assert!(
            records
                .iter()
                .any(|o| &o.0 == kind && o.2 == turned && same_id(o)),
            "{kind} {id} {change}"
        );
    }

    // The default: HEAD against the work tree, which adds a state; and a revision against the
    // work tree.
    let records = formats_agree(&r, &[]);
    let ids: Vec<(&str, &str)> = records
        .iter()
        .map(|r| (r.1.as_str(), r.2.as_str()))
        .collect();
    assert_eq!(ids, [("TJK", "added")]);
    let records = formats_agree(&r, &[&c(2)]);
    assert!(records.iter().any(|r| r.1 == "TJK" && r.2 == "added"));
    assert!(records.iter().any(|r| r.1 == "summit" && r.2 == "added"));
    // Nothing against itself.
    assert_eq!(formats_agree(&r, &[&format!("{}..{}", c(3), c(3))]), []);
    // Revisions by name: HEAD~2..HEAD~1 is C1..C2.
    let by_name = listed(&json(&r.run(&[
        "--format",
        "json",
        "changes",
        "HEAD~2..HEAD~1",
    ])));
    let by_id = listed(&json(&r.run(&["--format", "json", "changes", &one_two])));
    assert_eq!(by_name, by_id);
}

#[test]
fn changes_around_an_entity_of_some_kinds_and_the_answers_they_alter() {
    let r = repo();
    let range = format!("{}..{}", r.commits[1], r.commits[2]);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--format", "json", "changes", &range];
        all.extend(args);
        let o = r.run(&all);
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
        listed(&json(&o)).into_iter().map(|r| r.1).collect()
    };
    assert_eq!(ids(&["--around", "Uzbekistan"]), ["cst", "eu-uzb-1"]);
    assert_eq!(ids(&["--kinds", "treaty"]), ["cst"]);
    assert_eq!(
        ids(&["--kinds", "Sanction,treaty", "--around", "BLR"]).len(),
        3
    );
    let o = r.run(&["changes", &range, "--kinds", "alliance"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("not a kind of record"),
        "{}",
        stderr(&o)
    );
    let o = r.run(&["changes", &range, "--around", "Tajikistan"]);
    assert_eq!(code(&o), 2);

    // Uzbekistan's exit moved from 2012-12-20 to 2012-06-28: on 2012-09-01 it is no longer an
    // ally of the other parties, nor they of it; on 2012-03-01 nothing changes. The sanction
    // added is in force against it from 2012-01-01.
    let o = r.run(&[
        "--format",
        "json",
        "changes",
        &range,
        "--effects",
        "2012-03-01",
        "2012-09-01",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let effects: Vec<(String, String, String, String, Value, Value)> =
        json(&o)["results"][0]["effects"]
            .as_array()
            .expect("effects")
            .iter()
            .map(|e| {
                let t = |k: &str| e[k].as_str().unwrap_or_default().to_string();
                (
                    t("on"),
                    t("question"),
                    t("of"),
                    t("id"),
                    e["before"].clone(),
                    e["after"].clone(),
                )
            })
            .collect();
    let no_longer = |of: &str, id: &str| {
        (
            "2012-09-01".to_string(),
            "allies".to_string(),
            of.to_string(),
            id.to_string(),
            Value::from("certain"),
            Value::Null,
        )
    };
    let sanctioned = |on: &str| {
        (
            on.to_string(),
            "sanctions".to_string(),
            "UZB".to_string(),
            "eu-uzb-1".to_string(),
            Value::Null,
            Value::from("certain"),
        )
    };
    assert_eq!(
        effects,
        [
            sanctioned("2012-03-01"),
            no_longer("ARM", "UZB"),
            no_longer("BLR", "UZB"),
            no_longer("KAZ", "UZB"),
            no_longer("RUS", "UZB"),
            no_longer("UZB", "ARM"),
            no_longer("UZB", "BLR"),
            no_longer("UZB", "KAZ"),
            no_longer("UZB", "RUS"),
            sanctioned("2012-09-01"),
        ]
    );
    // Said in words in a table.
    let o = r.run(&[
        "changes",
        &range,
        "--effects",
        "2012-09-01",
        "--around",
        "BLR",
    ]);
    let text = stdout(&o);
    assert!(text.contains("UZB is no longer BLR's ally"), "{text}");
    assert!(!text.contains("UZB is no longer ARM's ally"), "{text}");
}

/// A commit as answers name it: its id, and its date.
struct Named {
    id: String,
    date: String,
}

impl Named {
    fn of(r: &Repo, n: usize) -> Named {
        Named {
            id: r.commits[n].clone(),
            date: git(r.path(), &["show", "-s", "--format=%cI", &r.commits[n]]),
        }
    }

    fn short(&self) -> &str {
        &self.id[..12]
    }
}

/// The text of an answer read from commit `c`, as a checkout of it would print it: without
/// the commit before each file's path, the line naming the commit, the commit in a title, or
/// the revision after the data folder's name.
fn as_in_a_checkout(text: &str, c: &Named) -> String {
    let commit = format!("commit {} ({})", c.short(), c.date);
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    let mut first = true;
    while let Some(line) = lines.next() {
        if line == format!("as recorded in {commit}") {
            // Before an answer without a heading, with the blank line after it.
            if first && lines.peek() == Some(&"") {
                lines.next();
            }
            continue;
        }
        first = false;
        let line = line
            .replace(&format!(" (as recorded in {commit})"), "")
            .replace(&format!("graph at `{}` ({commit})", c.id), "graph")
            .replace(&format!("{}:", c.short()), "");
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[test]
fn answers_as_recorded_are_the_answers_of_a_checkout_of_that_commit() {
    let r = repo();
    let questions: &[&[&str]] = &[
        &["allies", "UZB", "--on", "2012-09-01"],
        &["allies", "BLR", "--on", "2008"],
        &["sanctions", "--against", "BLR", "--on", "2021-01-01"],
        &["show", "cst"],
        &["show", "BLR"],
        &["stats"],
        &["relations", "BLR", "UZB"],
        &["timeline", "UZB"],
        &["statements"],
        &["path", "ARM", "UZB", "--on", "2010-01-01"],
        &["diff", "2000", "2021"],
        &["check"],
        &["validate"],
    ];
    let mut compared = 0;
    let checkouts = tempfile::tempdir().expect("tmp");
    for n in 1..r.commits.len() {
        let checkout = checkouts.path().join(format!("c{n}"));
        git(
            r.path(),
            &[
                "worktree",
                "add",
                "-q",
                "--detach",
                checkout.to_str().expect("utf-8"),
                &r.commits[n],
            ],
        );
        let short = Named::of(&r, n);
        for q in questions {
            for format in ["table", "json", "csv"] {
                let mut args = vec!["--format", format];
                args.extend(*q);
                let there = dipgraph(&checkout, &r.cache, &args);
                let mut recorded = vec!["--as-recorded", &r.commits[n]];
                recorded.extend(&args);
                let here = r.run(&recorded);
                // And from a cache of the revision, built file by file.
                let cached = isolated(env!("CARGO_BIN_EXE_dipgraph"), r.path())
                    .args(&recorded)
                    .env("DIPGRAPH_TODAY", "2021-03-15")
                    .env("DIPGRAPH_CACHE_DIR", &r.cache)
                    .env("DIPGRAPH_CACHE_MIN_BYTES", "0")
                    .output()
                    .expect("runs");
                let what = format!("{q:?} {format} at C{n}");
                assert_eq!(code(&here), code(&there), "{what}: {}", stderr(&here));
                assert_eq!(code(&cached), code(&there), "{what}: {}", stderr(&cached));
                assert_eq!(
                    as_in_a_checkout(&stderr(&here), &short),
                    stderr(&there),
                    "{what}"
                );
                for got in [&here, &cached] {
                    if format == "json" && code(&there) != 2 {
                        let mut answer = json(got);
                        assert_eq!(
                            answer["recorded"]["commit"].as_str(),
                            Some(r.commits[n].as_str()),
                            "{what}"
                        );
                        assert!(
                            answer["recorded"]["date"]
                                .as_str()
                                .is_some_and(|d| d.starts_with("2026-0")),
                            "{what}"
                        );
                        answer
                            .as_object_mut()
                            .expect("an object")
                            .remove("recorded");
                        let text = serde_json::to_string_pretty(&answer).expect("JSON");
                        let want = serde_json::to_string_pretty(&json(&there)).expect("JSON");
                        assert_eq!(as_in_a_checkout(&text, &short), want + "\n", "{what}");
                    } else {
                        // A table's columns are as wide as their cells, file paths with the
                        // commit before them too: compared cell by cell.
                        let cells = |t: &str| -> Vec<Vec<String>> {
                            t.lines()
                                .map(|l| l.split_whitespace().map(str::to_string).collect())
                                .collect()
                        };
                        assert_eq!(
                            cells(&as_in_a_checkout(&stdout(got), &short)),
                            cells(&stdout(&there)),
                            "{what}"
                        );
                    }
                }
                if format == "table" && code(&there) == 0 && q[0] != "validate" && q[0] != "check" {
                    assert!(
                        stdout(&here)
                            .contains(&format!("as recorded in commit {} (", short.short())),
                        "{what}: {}",
                        stdout(&here)
                    );
                }
                compared += 1;
            }
        }
        for kind in ["json", "dot", "csv"] {
            let args = ["export", kind, "--all"];
            let there = dipgraph(&checkout, &r.cache, &args);
            let mut recorded = vec!["--as-recorded", &r.commits[n]];
            recorded.extend(args);
            let here = r.run(&recorded);
            assert_eq!(code(&here), 0, "{}", stderr(&here));
            if kind == "json" {
                let mut answer = json(&here);
                assert_eq!(
                    answer["recorded"]["commit"].as_str(),
                    Some(r.commits[n].as_str())
                );
                answer.as_object_mut().expect("object").remove("recorded");
                let text = serde_json::to_string_pretty(&answer).expect("JSON");
                let answer: Value =
                    serde_json::from_str(&as_in_a_checkout(&text, &short)).expect("JSON");
                assert_eq!(answer, json(&there), "export json");
            } else {
                let text = as_in_a_checkout(&stdout(&here), &short);
                assert_eq!(text, stdout(&there), "export {kind}");
            }
            compared += 1;
        }
        // A picture on a day the commits disagree about: the same drawing as the checkout's,
        // its title naming the commit.
        let pictures = tempfile::tempdir().expect("tmp");
        let drawn = |to: &str| -> Vec<String> {
            let path = pictures.path().join(to);
            let path = path.to_str().expect("utf-8").to_string();
            vec![
                "render".into(),
                "--engine".into(),
                "builtin".into(),
                "--on".into(),
                "2012-09-01".into(),
                "-o".into(),
                path,
            ]
        };
        let args = drawn("there.svg");
        let there = dipgraph(
            &checkout,
            &r.cache,
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        let mut recorded = vec!["--as-recorded".to_string(), r.commits[n].clone()];
        recorded.extend(drawn("here.svg"));
        let here = r.run(&recorded.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(code(&here), 0, "{}", stderr(&here));
        assert_eq!(code(&there), 0, "{}", stderr(&there));
        assert_eq!(
            stdout(&here).replace("here.svg", "there.svg"),
            stdout(&there),
            "render's summary"
        );
        let svg = |name: &str| std::fs::read_to_string(pictures.path().join(name)).expect("SVG");
        let (here, there) = (svg("here.svg"), svg("there.svg"));
        assert!(
            here.contains(&format!("as recorded in commit {}", short.short())),
            "the title names the commit"
        );
        // The same boxes and lines (the longer title only widens the page around them).
        let drawing = |svg: &str| -> String {
            let start = svg.find("<g id=\"graph0\"").expect("a graph");
            svg[start..].to_string()
        };
        assert_eq!(drawing(&here), drawing(&there), "render");
        // The interactive timeline's page says it in its title too.
        let page = pictures.path().join("here.html");
        let page_arg = page.to_str().expect("utf-8");
        let o = r.run(&[
            "--as-recorded",
            &r.commits[n],
            "render",
            "--engine",
            "builtin",
            "--from",
            "2012",
            "--to",
            "2013",
            "-o",
            page_arg,
        ]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let page = std::fs::read_to_string(&page).expect("the page");
        let title = format!(
            "<title>Relations from 2012-01-01 to 2013-12-31 (as recorded in commit {} (",
            short.short()
        );
        assert!(page.contains(&title), "{title} in the page");
        compared += 1;
    }
    assert_eq!(compared, 3 * (questions.len() * 3 + 4));
    // The saved query fails once Uzbekistan left earlier: C1 passes, C2 fails, as recorded.
    assert_eq!(code(&r.run(&["--as-recorded", &r.commits[1], "check"])), 0);
    assert_eq!(code(&r.run(&["--as-recorded", &r.commits[2], "check"])), 1);
    // The caches of revisions are keyed by their data's tree.
    let trees: BTreeSet<String> = (1..r.commits.len())
        .map(|n| git(r.path(), &["rev-parse", &format!("{}:graph", r.commits[n])]))
        .collect();
    let cached: BTreeSet<String> = std::fs::read_dir(&r.cache)
        .expect("cache folder")
        .filter_map(|e| {
            let name = e.ok()?.file_name().to_string_lossy().into_owned();
            Some(
                name.strip_prefix("tree-")?
                    .strip_suffix(".dgcache")?
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(cached, trees);
    // A revision's cache is checked against its files' blobs.
    let o = isolated(env!("CARGO_BIN_EXE_dipgraph"), r.path())
        .args(["--as-recorded", &r.commits[1], "cache", "verify"])
        .env("DIPGRAPH_CACHE_DIR", &r.cache)
        .env("DIPGRAPH_CACHE_MIN_BYTES", "0")
        .output()
        .expect("runs");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("matches its data"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(&format!(
            "tree-{}",
            git(r.path(), &["rev-parse", &format!("{}:graph", r.commits[1])])
        )),
        "{}",
        stdout(&o)
    );
}

/// Every file under `dir` (but the cache) with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut all = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.ends_with(".cache") {
                continue;
            }
            if path.is_dir() {
                folders.push(path);
            } else {
                let meta = std::fs::metadata(&path).expect("metadata");
                let bytes = std::fs::read(&path).expect("read");
                all.insert(path, (bytes, meta.modified().expect("mtime")));
            }
        }
    }
    all
}

#[test]
fn reading_revisions_touches_neither_the_work_tree_nor_the_index() {
    let r = repo();
    let before = snapshot(r.path());
    assert!(
        before.contains_key(&r.path().join(".git").join("index")),
        "the repository has an index"
    );
    for args in [
        vec!["--as-recorded", "HEAD~1", "allies", "BLR", "--on", "2008"],
        vec!["--as-recorded", "@{2026-02-10}", "export", "json", "--all"],
        vec!["--as-recorded", "HEAD~2", "check"],
        vec!["changes"],
        vec!["changes", "HEAD~2..HEAD", "--effects", "2012-09-01"],
    ] {
        let o = r.run(&args);
        assert_ne!(code(&o), 2, "{args:?}: {}", stderr(&o));
    }
    let after = snapshot(r.path());
    let changed: Vec<&PathBuf> = after
        .iter()
        .filter(|(p, v)| before.get(*p) != Some(*v))
        .map(|(p, _)| p)
        .chain(before.keys().filter(|p| !after.contains_key(*p)))
        .collect();
    assert!(changed.is_empty(), "written: {changed:?}");
}

#[test]
fn a_revision_by_date_and_by_branch() {
    let r = repo();
    let commit_of = |rev: &str| -> Option<String> {
        let o = r.run(&["--format", "json", "--as-recorded", rev, "stats"]);
        (code(&o) == 0).then(|| {
            json(&o)["recorded"]["commit"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
    };
    assert_eq!(commit_of("@{2026-02-15}"), Some(r.commits[2].clone()));
    assert_eq!(commit_of("main@{2026-02-10}"), Some(r.commits[2].clone()));
    assert_eq!(
        commit_of("@{2026-02}"),
        Some(r.commits[2].clone()),
        "the end of February"
    );
    assert_eq!(commit_of("@{2026-02-09}"), Some(r.commits[1].clone()));
    assert_eq!(commit_of("@{2027-01-01}"), Some(r.commits[3].clone()));
    assert_eq!(commit_of("main~1"), Some(r.commits[2].clone()));
    git(r.path(), &["tag", "v1", &r.commits[1]]);
    assert_eq!(commit_of("v1"), Some(r.commits[1].clone()));

    // A branch that left C2: `...` compares it with where it left, not with main's later
    // commits.
    git(r.path(), &["stash", "-q", "-u"]);
    git(r.path(), &["checkout", "-q", "-b", "pr", &r.commits[2]]);
    r.write(
        "graph/states.ron",
        &STATES.replace("]\n", "    State(id: \"GEO\", name: \"Georgia\"),\n]\n"),
    );
    git(r.path(), &["commit", "-q", "-am", "Georgia"]);
    let ids = |range: &str| -> Vec<String> {
        let o = r.run(&["--format", "json", "changes", range]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        listed(&json(&o)).into_iter().map(|r| r.1).collect()
    };
    assert_eq!(ids("main...pr"), ["GEO"]);
    assert!(
        ids("main..pr").len() > 1,
        "against main's own later changes too"
    );
    let o = r.run(&["changes", "main...pr"]);
    assert!(
        stdout(&o).contains("Changes from `merge-base main pr` (commit"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn history_errors_are_clear_and_exit_2_or_1() {
    let r = repo();
    let refused = |args: &[&str], exit: i32, says: &str| {
        let o = r.run(args);
        assert_eq!(code(&o), exit, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    };
    refused(
        &["--as-recorded", "nope", "stats"],
        2,
        "unknown revision `nope`",
    );
    refused(&["changes", "nope..HEAD"], 2, "unknown revision `nope`");
    refused(&["changes", "HEAD..nope"], 2, "unknown revision `nope`");
    refused(&["--as-recorded=-x", "stats"], 2, "unknown revision `-x`");
    // A command that cannot read a revision refuses it, rather than work on the work tree.
    let before = std::fs::read_to_string(r.path().join("graph/states.ron")).expect("states");
    refused(
        &["--as-recorded", "HEAD", "fmt"],
        2,
        "`fmt` does not take --as-recorded",
    );
    let after = std::fs::read_to_string(r.path().join("graph/states.ron")).expect("states");
    assert_eq!(before, after, "fmt wrote nothing");
    refused(
        &["--as-recorded", "HEAD~1", "changes"],
        2,
        "`changes` names the revisions it compares itself: `changes REV1..REV2`",
    );
    refused(
        &["--as-recorded", &r.commits[0], "stats"],
        2,
        "the data folder `graph` does not exist at",
    );
    refused(
        &["--as-recorded", "@{2026-01-05}", "allies", "BLR"],
        2,
        "the data folder `graph` does not exist at `@{2026-01-05}`",
    );
    refused(
        &["--as-recorded", "@{2025-12-01}", "stats"],
        2,
        "no commit of `HEAD` was made by the end of 2025-12-01",
    );
    refused(
        &["--data", "elsewhere", "--as-recorded", "HEAD", "stats"],
        2,
        "the data folder `elsewhere` does not exist at `HEAD`",
    );
    refused(
        &["changes", &format!("{}..HEAD", r.commits[0])],
        2,
        "does not exist at",
    );

    // A revision whose data has errors: shown as for any data, each file named at its commit.
    let broken = r.path().join("graph/sanctions.ron");
    std::fs::write(
        &broken,
        SANCTIONS_1.replace(r#"against: ["BLR"]"#, r#"against: ["BRL"]"#),
    )
    .expect("write");
    git(r.path(), &["commit", "-q", "-am", "A typo"]);
    let head = git(r.path(), &["rev-parse", "HEAD"]);
    for args in [
        &["--as-recorded", "HEAD", "allies", "BLR"][..],
        &["changes", "HEAD~1..HEAD"][..],
    ] {
        let o = r.run(args);
        assert_eq!(code(&o), 1, "{args:?}");
        let text = stderr(&o);
        assert!(
            text.contains(&format!("{}:graph/sanctions.ron:", &head[..12])),
            "{text}"
        );
        assert!(text.contains("unknown"), "{text}");
        assert!(text.contains("the data at `HEAD"), "{text}");
    }
    let o = r.run(&["--as-recorded", "HEAD", "validate"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("graph at `HEAD` (commit"),
        "{}",
        stderr(&o)
    );

    // Not a git repository.
    let plain = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(plain.path().join("graph")).expect("mkdir");
    std::fs::write(plain.path().join("graph/states.ron"), STATES).expect("write");
    for args in [&["--as-recorded", "HEAD", "stats"][..], &["changes"][..]] {
        let o = dipgraph(plain.path(), &r.cache, args);
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(
            stderr(&o).contains("is not in a git repository"),
            "{}",
            stderr(&o)
        );
    }
    // No git at all.
    let o = isolated(env!("CARGO_BIN_EXE_dipgraph"), r.path())
        .args(["changes"])
        .env("PATH", plain.path())
        .env("DIPGRAPH_CACHE_DIR", &r.cache)
        .output()
        .expect("runs");
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("cannot run git"), "{}", stderr(&o));
}

/// This repository, when it is a git clone with history; else why not (a failure under CI).
fn own_history() -> Result<PathBuf, &'static str> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let ok = isolated("git", &root)
        .args(["rev-parse", "--verify", "--quiet", "HEAD~1"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Ok(root);
    }
    let note = "NOTE: this copy of dipgraph is not a git clone with history (a tarball, or a shallow clone); the test of `changes` on its own history is skipped";
    assert!(
        std::env::var_os("CI").is_none(),
        "{note}; CI must clone with full history"
    );
    Err(note)
}

/// The data of `commit` of the repository at `root`, checked out into `to` by `git archive`.
fn check_out(root: &Path, commit: &str, to: &Path) {
    let archive = isolated("git", root)
        .args(["archive", "--format=tar", commit, "graph"])
        .output()
        .expect("git archive");
    assert!(archive.status.success());
    std::fs::create_dir_all(to).expect("mkdir");
    let mut tar = isolated("tar", to)
        .args(["-x", "-f", "-"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("tar runs");
    std::io::Write::write_all(&mut tar.stdin.take().expect("stdin"), &archive.stdout)
        .expect("tar reads");
    assert!(tar.wait().expect("tar").success());
}

/// What `export json --all` shows of each entity and fact: a node's fields, and a fact's
/// links (without their own ids, which number parallel periods).
fn exported(dir: &Path, cache: &Path) -> (BTreeMap<String, Value>, BTreeMap<String, Vec<String>>) {
    let o = dipgraph(dir, cache, &["export", "json", "--all"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let doc = json(&o);
    let nodes = doc["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| (n["id"].as_str().unwrap_or("").to_string(), n.clone()))
        .collect();
    let mut links: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for l in doc["links"].as_array().expect("links") {
        let mut l = l.clone();
        let fact = l["fact"].as_str().unwrap_or("").to_string();
        l.as_object_mut().expect("object").remove("id");
        links.entry(fact).or_default().push(l.to_string());
    }
    for v in links.values_mut() {
        v.sort();
    }
    (nodes, links)
}

#[test]
fn changes_in_this_repository_s_own_history_match_checkouts_of_each_commit() {
    let root = match own_history() {
        Ok(root) => root,
        Err(note) => {
            eprintln!("{note}");
            return;
        }
    };
    let cache = tempfile::tempdir().expect("tmp");
    let commits = git(&root, &["log", "--format=%H", "-n", "30", "--", "graph"]);
    let mut tried = 0;
    for new in commits.lines() {
        let old = match isolated("git", &root)
            .args(["rev-parse", "--verify", "--quiet", &format!("{new}^")])
            .output()
        {
            Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
            _ => continue,
        };
        let o = dipgraph(
            &root,
            cache.path(),
            &["--format", "json", "changes", &format!("{old}..{new}")],
        );
        assert_eq!(code(&o), 0, "{old}..{new}: {}", stderr(&o));
        let records = listed(&json(&o));
        tried += 1;
        if records.is_empty() && tried < 10 {
            // Only comments or layout changed: look further back for a change of facts.
            continue;
        }
        let dir = tempfile::tempdir().expect("tmp");
        let (a, b) = (dir.path().join("old"), dir.path().join("new"));
        check_out(&root, &old, &a);
        check_out(&root, new, &b);
        let (old_nodes, old_links) = exported(&a, cache.path());
        let (new_nodes, new_links) = exported(&b, cache.path());
        let listed_as = |id: &str| -> Vec<&str> {
            records
                .iter()
                .filter(|r| r.1 == id || r.3.as_deref() == Some(id))
                .map(|r| r.2.as_str())
                .collect()
        };
        // Every entity and fact whose export differs is listed, as what happened to it.
        for (id, node) in &new_nodes {
            match old_nodes.get(id) {
                None => assert!(
                    listed_as(id)
                        .iter()
                        .any(|c| *c == "added" || *c == "renamed"),
                    "{id}"
                ),
                Some(o) if o != node => assert_eq!(listed_as(id), ["changed"], "{id}"),
                Some(_) => {}
            }
        }
        for id in old_nodes.keys().filter(|id| !new_nodes.contains_key(*id)) {
            assert!(!listed_as(id).is_empty(), "{id} removed");
        }
        for (id, links) in &new_links {
            match old_links.get(id) {
                None => assert!(!listed_as(id).is_empty(), "{id} added"),
                Some(o) if o != links => assert_eq!(listed_as(id), ["changed"], "{id}"),
                Some(_) => {}
            }
        }
        for id in old_links.keys().filter(|id| !new_links.contains_key(*id)) {
            assert!(!listed_as(id).is_empty(), "{id} removed");
        }
        // And every fact listed as added or removed is in one export only (when it draws).
        for (_, id, change, _, _) in &records {
            match change.as_str() {
                "added" => assert!(
                    !old_links.contains_key(id) && !old_nodes.contains_key(id),
                    "{id}"
                ),
                "removed" => assert!(
                    !new_links.contains_key(id) && !new_nodes.contains_key(id),
                    "{id}"
                ),
                _ => {}
            }
        }
        eprintln!(
            "changes {}..{}: {} records, checked against both checkouts",
            &old[..12],
            &new[..12],
            records.len()
        );
        assert!(!records.is_empty(), "no commit of graph/ changed a record");
        return;
    }
    panic!("no commit of graph/ with a parent found");
}
