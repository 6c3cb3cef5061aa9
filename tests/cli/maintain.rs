//! Maintaining the dataset: `fmt` (canonical layout, comments kept, meaning unchanged) and `add`
//! (one record from flags, checked first, written atomically into the right file). Every test
//! that writes works on a copy in a temporary folder.

use std::collections::BTreeMap;
use std::path::Path;

use dipgraph::load::{self, format::format_source, raw};

use crate::support::{assert_contains, code, run, stderr, stdout, world};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir`, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.expect("walk");
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).expect("inside");
            out.insert(
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            );
        }
    }
    out
}

fn read(dir: &tempfile::TempDir, name: &str) -> String {
    std::fs::read_to_string(dir.path().join("graph").join(name)).expect("read")
}

/// The records of a data file as deserialized, for comparing meaning.
fn records(text: &str) -> String {
    let recs: Vec<raw::RawRecord> = raw::options().from_str(text).expect("deserializes");
    format!("{recs:#?}")
}

// ---------------------------------------------------------------------------------------------
// fmt

#[test]
fn fixtures_format_to_their_expected_text() {
    let dir = root().join("tests/fixtures/fmt");
    for (input, expected) in [
        ("messy.ron", "messy.formatted.ron"),
        ("query.ron", "query.formatted.ron"),
    ] {
        let text = std::fs::read_to_string(dir.join(input)).expect("fixture");
        let want = std::fs::read_to_string(dir.join(expected)).expect("fixture");
        let got = format_source(&text).expect("formats");
        assert_eq!(got, want, "{input}");
        assert_eq!(format_source(&got).expect("formats"), got, "idempotent");
    }
    let text = std::fs::read_to_string(dir.join("messy.ron")).expect("fixture");
    let got = format_source(&text).expect("formats");
    assert_eq!(records(&text), records(&got));
    for comment in [
        "// states first",
        "// trailing comment on a short record",
        "/* A block comment\n       over two lines, kept verbatim. */",
        "// founder",
        "// Belarus signed the same day.",
        "// the end of the parties",
        "// Nothing after this yet.",
        "] // end of the list",
        "// The very end.\n",
    ] {
        assert!(got.contains(comment), "{comment} lost:\n{got}");
    }
}

#[test]
fn bundled_files_are_formatted_and_formatting_keeps_their_meaning() {
    let mut unformatted = Vec::new();
    for dir in ["graph", "queries"] {
        for e in walkdir::WalkDir::new(root().join(dir)).sort_by_file_name() {
            let e = e.expect("walk");
            if e.path().extension().is_none_or(|x| x != "ron") {
                continue;
            }
            let text = std::fs::read_to_string(e.path()).expect("read");
            let out = format_source(&text).expect("formats");
            assert_eq!(format_source(&out).expect("formats"), out, "idempotent");
            if out != text {
                unformatted.push(e.path().display().to_string());
            }
            if dir == "graph" {
                assert_eq!(records(&text), records(&out), "{}", e.path().display());
                let before = load::from_text("f.ron", &text);
                let after = load::from_text("f.ron", &out);
                assert!(after.diagnostics.is_empty(), "{:?}", after.diagnostics);
                let ids = |l: &load::Loaded| -> Vec<String> {
                    l.dataset.ids().map(String::from).collect()
                };
                assert_eq!(ids(&before), ids(&after));
            }
        }
    }
    assert!(
        unformatted.is_empty(),
        "run `dipgraph fmt graph queries`: {unformatted:?}"
    );
}

#[test]
fn fmt_rewrites_files_in_place_and_check_then_passes() {
    let messy = std::fs::read(root().join("tests/fixtures/fmt/messy.ron")).expect("fixture");
    let want = std::fs::read(root().join("tests/fixtures/fmt/messy.formatted.ron")).expect("ok");
    let dir = world(&[("world.ron", &messy), ("done.ron", &want)]);
    let o = run(dir.path(), &["fmt", "--check"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(stdout(&o), "graph/world.ron\n");
    assert_contains(&stderr(&o), "1 file is not formatted");
    assert_eq!(
        read(&dir, "world.ron").as_bytes(),
        messy,
        "--check writes nothing"
    );

    let o = run(dir.path(), &["fmt"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "formatted graph/world.ron\n");
    assert_eq!(read(&dir, "world.ron").as_bytes(), want);
    let o = run(dir.path(), &["fmt", "--check", "graph"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        snapshot(&dir.path().join("graph")).len(),
        2,
        "no temporary file left"
    );
}

#[test]
fn fmt_refuses_a_broken_file_and_formats_the_others() {
    let broken = b"[\n    State(id: \"A\", name: \"A\"\n    State(id: \"B\", name: \"B\"),\n]\n";
    let dir = world(&[
        ("a.ron", broken),
        ("b.ron", b"[State(id: \"C\", name: \"C\")]"),
    ]);
    let o = run(dir.path(), &["fmt"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(err.contains("error[E0003]"), "{err}");
    assert!(err.contains("graph/a.ron:3:5"), "{err}");
    assert!(err.contains("1 file could not be formatted"), "{err}");
    assert_eq!(read(&dir, "a.ron").as_bytes(), broken);
    assert_eq!(
        read(&dir, "b.ron"),
        "[\n    State(id: \"C\", name: \"C\"),\n]\n"
    );
}

#[test]
fn fmt_drops_the_byte_order_mark_and_carriage_returns() {
    let mut text = vec![0xEF, 0xBB, 0xBF];
    text.extend_from_slice(b"// c\r\n[\r\n    State(id: \"A\", name: \"A\"), // t\r\n]\r\n");
    let dir = world(&[("a.ron", &text)]);
    let o = run(dir.path(), &["fmt", "graph/a.ron"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        read(&dir, "a.ron"),
        "// c\n[\n    State(id: \"A\", name: \"A\"), // t\n]\n"
    );
}

#[test]
fn fmt_names_a_missing_path() {
    let dir = world(&[("a.ron", b"[]\n")]);
    let o = run(dir.path(), &["fmt", "nowhere"]);
    assert_eq!(code(&o), 2);
    assert_contains(&stderr(&o), "`nowhere` does not exist");
}

// ---------------------------------------------------------------------------------------------
// add

const STATES: &str = "// States, by ISO code.
[
    State(id: \"BLR\", name: \"Belarus\"),
    State(id: \"RUS\", name: \"Russia\"),
    State(id: \"USA\", name: \"United States\"),
    State(id: \"UZB\", name: \"Uzbekistan\"),
]
";

const ORGS: &str = "[
    Organization(id: \"EU\", name: \"European Union\", kind: Supranational),
]
";

const PEOPLE: &str = "[
    Person(id: \"dmitry-peskov\", name: \"Dmitry Peskov\"),
    Role(
        person: \"dmitry-peskov\",
        of: \"RUS\",
        title: \"Press Secretary\",
        from: \"2012-05-22\",
        sources: [Source(title: \"Kremlin\", url: \"https://example.org/kremlin\")],
    ),
]
";

/// A curator's own layout, not canonical: `add` must not reformat it.
const TREATIES: &str = "[
    // The CST.
    Treaty(id: \"cst-1992\", name: \"Collective Security Treaty\", kind: Defense,
           signed: \"1992-05-15\", in_force: \"1994-04-20\",
           parties: [
               Party(state: \"RUS\"), // founder
               Party(state: \"BLR\"),
           ],
           sources: [Source(title: \"CST\", url: \"https://example.org/cst\")]),
] // end
";

const EU: &str = "[
    Sanction(
        id: \"eu-blr-2006\",
        by: \"EU\",
        against: [\"BLR\"],
        measures: [AssetFreeze],
        from: \"2006-05-18\",
        sources: [Source(title: \"EU\", url: \"https://example.org/eu\")],
    ),
]
";

const US: &str = "[
    Sanction(
        id: \"us-blr-2006\",
        by: \"USA\",
        against: [\"BLR\"],
        measures: [AssetFreeze],
        from: \"2006-06-16\",
        sources: [Source(title: \"US\", url: \"https://example.org/us\")],
    ),
    Sanction(
        id: \"us-blr-2007\",
        by: \"USA\",
        against: [\"BLR\"],
        measures: [TravelBan],
        from: \"2007\",
        sources: [Source(title: \"US\", url: \"https://example.org/us\")],
    ),
]
";

fn base() -> tempfile::TempDir {
    world(&[
        ("states.ron", STATES.as_bytes()),
        ("organizations.ron", ORGS.as_bytes()),
        ("people.ron", PEOPLE.as_bytes()),
        ("treaties.ron", TREATIES.as_bytes()),
        ("sanctions/eu.ron", EU.as_bytes()),
        ("sanctions/us.ron", US.as_bytes()),
    ])
}

const SOURCE: [&str; 4] = [
    "--source-title",
    "A source",
    "--source-url",
    "https://example.org/s",
];

/// Runs `add`, expects success, and checks that the data still validates clean.
fn add_ok(dir: &tempfile::TempDir, args: &[&str]) -> String {
    let mut all = vec!["add"];
    all.extend_from_slice(args);
    let o = run(dir.path(), &all);
    assert_eq!(code(&o), 0, "{args:?}\n{}", stderr(&o));
    let v = run(dir.path(), &["validate"]);
    assert_eq!(code(&v), 0, "{}", stderr(&v));
    assert_eq!(stderr(&v), "", "no warnings");
    stdout(&o)
}

#[test]
fn add_each_kind_into_the_file_that_holds_it() {
    let dir = base();
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec![
                "state",
                "--id",
                "KAZ",
                "--name",
                "Kazakhstan",
                "--cow",
                "705",
            ],
            "added State `KAZ` to graph/states.ron:7\n",
            "    State(id: \"KAZ\", name: \"Kazakhstan\", cow: 705),\n]\n",
        ),
        (
            vec![
                "organization",
                "--id",
                "CSTO",
                "--name",
                "Collective Security Treaty Organization",
                "--kind",
                "alliance",
                "--founded",
                "2002-10-07",
            ],
            "added Organization `CSTO` to graph/organizations.ron:3\n",
            "Organization(\n        id: \"CSTO\",\n        name: \"Collective Security Treaty Organization\",\n        kind: Alliance,\n        founded: \"2002-10-07\",\n    ),\n]\n",
        ),
        (
            vec![
                "person",
                "--id",
                "vladimir-putin",
                "--name",
                "Vladimir Putin",
                "--alias",
                "Putin",
                "--alias",
                "V. V. Putin",
            ],
            "added Person `vladimir-putin` to graph/people.ron:10\n",
            "aliases: [\"Putin\", \"V. V. Putin\"]),\n]\n",
        ),
        (
            [
                &[
                    "role",
                    "--person",
                    "vladimir-putin",
                    "--of",
                    "RUS",
                    "--title",
                    "President",
                    "--from",
                    "2012-05-07",
                ][..],
                &SOURCE,
            ]
            .concat(),
            "added Role `role:vladimir-putin:RUS:2012-05-07` to graph/people.ron:11\n",
            "title: \"President\",\n",
        ),
        (
            [
                &[
                    "membership",
                    "--member",
                    "UZB",
                    "--of",
                    "EU",
                    "--from",
                    "2030",
                ][..],
                &SOURCE,
            ]
            .concat(),
            "added Membership `membership:UZB:EU:2030` to graph/memberships.ron:2\n",
            "[\n    Membership(\n        member: \"UZB\",\n",
        ),
        (
            [
                &[
                    "party",
                    "--treaty",
                    "CST-1992",
                    "--state",
                    "UZB",
                    "--from",
                    "2006-08-16",
                    "--until",
                    "2012-12-20",
                ][..],
                &SOURCE,
            ]
            .concat(),
            "added Party `UZB` of Treaty `cst-1992` to graph/treaties.ron:8\n",
            "               Party(state: \"BLR\"),\n               Party(\n                   state: \"UZB\",\n",
        ),
        (
            [
                &[
                    "treaty",
                    "--id",
                    "union-state-1999",
                    "--name",
                    "Union State",
                    "--kind",
                    "Union",
                    "--signed",
                    "1999-12-08",
                    "--parties",
                    "RUS,BLR",
                ][..],
                &SOURCE,
            ]
            .concat(),
            "added Treaty `union-state-1999` to graph/treaties.ron:16\n",
            "        parties: [Party(state: \"RUS\"), Party(state: \"BLR\")],\n",
        ),
        (
            [
                &[
                    "sanction",
                    "--id",
                    "us-blr-2021",
                    "--by",
                    "usa",
                    "--against",
                    "BLR",
                    "--against",
                    "dmitry-peskov",
                    "--measures",
                    "AssetFreeze,TravelBan",
                    "--from",
                    "2021-08-09",
                ][..],
                &SOURCE,
            ]
            .concat(),
            "added Sanction `us-blr-2021` to graph/sanctions/us.ron:18\n",
            "        against: [\"BLR\", \"dmitry-peskov\"],\n        measures: [AssetFreeze, TravelBan],\n",
        ),
        (
            [
                &[
                    "statement",
                    "--id",
                    "peskov-2021",
                    "--by",
                    "dmitry-peskov",
                    "--about",
                    "BLR",
                    "--on",
                    "2021-03-15",
                    "--quote",
                    "Rather, we are not \"friends\", but brothers.\\",
                    "--stance",
                    "friendly",
                ][..],
                &SOURCE,
            ]
            .concat(),
            "added Statement `peskov-2021` to graph/statements.ron:2\n",
            "quote: \"Rather, we are not \\\"friends\\\", but brothers.\\\\\",\n",
        ),
        (
            [
                &[
                    "event",
                    "--id",
                    "election-2020",
                    "--name",
                    "Presidential election",
                    "--kind",
                    "Election",
                    "--on",
                    "2020-08-09",
                    "--involves",
                    "BLR",
                    "--summary",
                    "Two\nlines",
                ][..],
                &SOURCE,
            ]
            .concat(),
            "added Event `election-2020` to graph/events.ron:2\n",
            "summary: \"Two\\nlines\",\n",
        ),
    ];
    for (args, message, fragment) in cases {
        let out = add_ok(&dir, &args);
        assert_eq!(out, message, "{args:?}");
        let file = message.split(" to graph/").nth(1).expect("path");
        let file = file.split(':').next().expect("file");
        let text = read(&dir, file);
        assert!(
            text.contains(fragment),
            "{args:?}: {fragment:?} not in\n{text}"
        );
    }
    // The treaties file kept its own layout and comments: only the new lines came in.
    let treaties = read(&dir, "treaties.ron");
    assert!(treaties.starts_with("[\n    // The CST.\n    Treaty(id: \"cst-1992\", name: \"Collective Security Treaty\", kind: Defense,\n"), "{treaties}");
    assert!(
        treaties.contains("Party(state: \"RUS\"), // founder\n"),
        "{treaties}"
    );
    assert!(treaties.ends_with("] // end\n"), "{treaties}");
    // Canonical files stay canonical.
    for f in ["states.ron", "people.ron", "sanctions/us.ron", "events.ron"] {
        let text = read(&dir, f);
        assert_eq!(format_source(&text).expect("formats"), text, "{f}");
    }
    assert!(read(&dir, "states.ron").starts_with("// States, by ISO code.\n"));
    // The quote reads back exactly.
    let o = run(dir.path(), &["show", "peskov-2021"]);
    assert_contains(
        &stdout(&o),
        "Rather, we are not \"friends\", but brothers.\\",
    );
}

#[test]
fn sanctions_go_with_their_sender_else_with_most_sanctions() {
    let dir = base();
    let sanction = |id: &'static str, by: &'static str| -> Vec<&'static str> {
        [
            &[
                "sanction",
                "--id",
                id,
                "--by",
                by,
                "--against",
                "BLR",
                "--measures",
                "Other",
                "--from",
                "2022",
            ][..],
            &SOURCE,
        ]
        .concat()
    };
    // No sanctions by Russia yet: the file with most sanctions.
    let out = add_ok(&dir, &sanction("rus-usa-2022", "RUS"));
    assert!(out.contains("graph/sanctions/us.ron"), "{out}");
    // The EU's go with the EU's, though another file holds more sanctions.
    let out = add_ok(&dir, &sanction("eu-blr-2022", "EU"));
    assert!(out.contains("graph/sanctions/eu.ron"), "{out}");
    // --file wins, and may name a new file.
    let mut args = sanction("rus-usa-2023", "RUS");
    args.extend(["--file", "graph/sanctions/rus.ron"]);
    let out = add_ok(&dir, &args);
    assert_eq!(
        out,
        "added Sanction `rus-usa-2023` to graph/sanctions/rus.ron:2\n"
    );
    assert!(read(&dir, "sanctions/rus.ron").starts_with("[\n    Sanction(\n"));
}

#[test]
fn refused_adds_leave_every_file_byte_identical() {
    let dir = base();
    let before = snapshot(dir.path());
    let refused: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "sanction",
                "--id",
                "x-1",
                "--by",
                "EUU",
                "--against",
                "BRL",
                "--measures",
                "AssetFreeze",
                "--from",
                "2020",
            ],
            "error[E0303]: `EUU` names no record",
        ),
        (
            vec!["state", "--id", "blr", "--name", "Belarus again"],
            "error[E0301]",
        ),
        (
            vec![
                "membership",
                "--member",
                "UZB",
                "--of",
                "EU",
                "--from",
                "2020-1-5",
            ],
            "error[E0201]: `2020-1-5` is not a date",
        ),
        (
            vec![
                "sanction",
                "--id",
                "x-2",
                "--by",
                "EU",
                "--against",
                "BLR",
                "--measures",
                "Embargo",
                "--from",
                "2020",
            ],
            "error[E0105]",
        ),
        (
            vec!["party", "--treaty", "cst-1992", "--state", "RUS"],
            "error[E0403]",
        ),
        (
            vec![
                "statement",
                "--id",
                "s-1",
                "--by",
                "RUS",
                "--about",
                "BLR",
                "--quote",
                "q",
                "--stance",
                "Neutral",
            ],
            "error[E0203]",
        ),
    ];
    for (args, expected) in refused {
        let mut all = vec!["add"];
        all.extend_from_slice(&args);
        let o = run(dir.path(), &all);
        assert_eq!(code(&o), 1, "{args:?}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(err.contains("nothing was written"), "{err}");
        assert_eq!(stdout(&o), "");
        assert!(snapshot(dir.path()) == before, "{args:?} changed the files");
    }
    let o = run(
        dir.path(),
        &["add", "party", "--treaty", "cst-1993", "--state", "UZB"],
    );
    assert_eq!(code(&o), 1);
    assert_contains(&stderr(&o), "did you mean `cst-1992`?");
    // Flags that would break the file's syntax are refused before anything else.
    let o = run(
        dir.path(),
        &[
            "add",
            "treaty",
            "--id",
            "t",
            "--name",
            "T",
            "--kind",
            "Union), State(id: \"X\"",
        ],
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(snapshot(dir.path()) == before);
}

#[test]
fn a_dry_run_shows_the_record_and_writes_nothing() {
    let dir = base();
    let before = snapshot(dir.path());
    let o = run(
        dir.path(),
        &[
            "add",
            "--dry-run",
            "state",
            "--id",
            "KAZ",
            "--name",
            "Kazakhstan",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "would add State `KAZ` to graph/states.ron:7 (dry run: nothing written)\n    State(id: \"KAZ\", name: \"Kazakhstan\"),\n"
    );
    assert!(snapshot(dir.path()) == before);
}

#[test]
fn a_fact_without_sources_is_added_with_a_warning() {
    let dir = base();
    let o = run(
        dir.path(),
        &[
            "add",
            "membership",
            "--member",
            "UZB",
            "--of",
            "EU",
            "--from",
            "2030",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stderr(&o), "warning[W0101]");
}

#[test]
fn sources_group_by_repetition() {
    let dir = base();
    add_ok(&dir, &["state", "--id", "KAZ", "--name", "Kazakhstan"]);
    add_ok(
        &dir,
        &[
            "role",
            "--person",
            "dmitry-peskov",
            "--of",
            "RUS",
            "--title",
            "Deputy",
            "--from",
            "2008",
            "--until",
            "2012-05-22",
            "--source-title",
            "First",
            "--source-url",
            "https://example.org/1",
            "--source-publisher",
            "One",
            "--source-url",
            "https://example.org/2",
            "--source-title",
            "Second",
            "--source-published",
            "2012",
        ],
    );
    let people = read(&dir, "people.ron");
    assert!(
        people.contains(
            "Source(title: \"First\", url: \"https://example.org/1\", publisher: \"One\"),\n"
        ),
        "{people}"
    );
    assert!(
        people.contains(
            "Source(title: \"Second\", url: \"https://example.org/2\", published: \"2012\"),\n"
        ),
        "{people}"
    );
    let o = run(
        dir.path(),
        &[
            "add",
            "membership",
            "--member",
            "UZB",
            "--of",
            "EU",
            "--source-title",
            "No url",
        ],
    );
    assert_eq!(code(&o), 2);
    assert_contains(&stderr(&o), "source 1 has no --source-url");
}

#[test]
fn a_write_that_cannot_happen_leaves_the_old_files_whole() {
    let dir = base();
    let before = snapshot(dir.path());
    // The parent of the file to write is a file: nothing can be created there.
    let o = run(
        dir.path(),
        &[
            "add",
            "state",
            "--id",
            "KAZ",
            "--name",
            "Kazakhstan",
            "--file",
            "graph/states.ron/x.ron",
        ],
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_contains(&stderr(&o), "is not a folder");
    // Outside the data folder the record would be lost.
    let o = run(
        dir.path(),
        &[
            "add",
            "state",
            "--id",
            "KAZ",
            "--name",
            "Kazakhstan",
            "--file",
            "elsewhere.ron",
        ],
    );
    assert_eq!(code(&o), 2);
    assert_contains(&stderr(&o), "outside the data folder");
    assert!(
        snapshot(dir.path()) == before,
        "no file changed, no temporary file left"
    );
}

#[test]
fn add_needs_a_data_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = run(
        dir.path(),
        &["add", "state", "--id", "KAZ", "--name", "Kazakhstan"],
    );
    assert_eq!(code(&o), 2);
    assert_contains(&stderr(&o), "add writes into a data folder");
}
