//! `dipgraph import`: every importer on the committed excerpts (`tests/fixtures/import/`) and,
//! where `../shared/data/` is at hand, on the full files; re-runs change no byte; malformed or
//! invalid input writes nothing; and after importing COW states and alliances into an empty
//! folder, `allies` agrees with COW's membership dates for every member row.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use dipgraph::import::{self, Options, Source};
use dipgraph::load::{self, DataSource};
use dipgraph::model::{Certainty, Date, Precision};
use dipgraph::query::allies::allies;
use dipgraph::store::MemoryStore;

use crate::support::{assert_contains, code, run, stderr, stdout};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

fn fixture(name: &str) -> String {
    fixtures().join(name).to_string_lossy().into_owned()
}

/// The shared data folder beside the repository, when it is there.
fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    p.is_dir().then_some(p)
}

/// A temporary folder holding an empty `graph/` (or a copy of the fixtures' small world).
fn temp_world(with_world: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let graph = dir.path().join("graph");
    std::fs::create_dir_all(&graph).expect("mkdir");
    if with_world {
        std::fs::copy(
            fixtures().join("world/states.ron"),
            graph.join("states.ron"),
        )
        .expect("copy");
    }
    dir
}

const EXCERPTS: &[(&str, &str)] = &[
    ("cow-states", "states2016-excerpt.csv"),
    ("cow-alliances", "alliance_v4.1_by_member-excerpt.csv"),
    ("opensanctions", "entities-excerpt.ftm.json"),
    ("gdelt", "events2samps-excerpt.csv"),
];

#[test]
fn each_excerpt_imports_validates_and_reimports_byte_for_byte() {
    let w = temp_world(true);
    for (source, file) in EXCERPTS {
        let o = run(w.path(), &["import", source, &fixture(file)]);
        assert_eq!(code(&o), 0, "{source}: {}", stderr(&o));
        // Quiet when piped: no progress bar, nothing on stderr.
        assert_eq!(stderr(&o), "", "{source}");
        let written = w.path().join(format!("graph/imported/{source}.ron"));
        let first = std::fs::read(&written).expect("written");
        assert_contains(&stdout(&o), &format!("wrote graph/imported/{source}.ron"));
        let again = run(w.path(), &["import", source, &fixture(file)]);
        assert_eq!(code(&again), 0, "{}", stderr(&again));
        assert_contains(&stdout(&again), "unchanged");
        assert_eq!(
            std::fs::read(&written).expect("still there"),
            first,
            "{source}"
        );
    }
    let o = run(w.path(), &["validate"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "warnings after importing");
    // Re-importing the states after the alliances still changes nothing: an import never
    // matches against its own file.
    let states = w.path().join("graph/imported/cow-states.ron");
    let before = std::fs::read(&states).expect("states");
    let o = run(
        w.path(),
        &["import", "cow-states", &fixture("states2016-excerpt.csv")],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(std::fs::read(&states).expect("states"), before);
}

/// The files written from the excerpts into the fixtures' small world are pinned, byte for
/// byte, in `tests/fixtures/import/expected/` (trycmd's `.out` folders would normalize `\` to
/// `/`). Bless with `TRYCMD=overwrite`, like the fixture cases.
#[test]
fn excerpt_outputs_match_the_pinned_files() {
    let bless = std::env::var("TRYCMD").is_ok_and(|v| v == "overwrite");
    let plover = fixture("CAMEO2PLOVER-2021-excerpt.txt");
    let mut stale = Vec::new();
    for (source, file) in EXCERPTS {
        let w = temp_world(true);
        let input = fixture(file);
        let mut args = vec!["import", source, input.as_str()];
        if *source == "gdelt" {
            args.extend(["--plover", plover.as_str()]);
        }
        let o = run(w.path(), &args);
        assert_eq!(code(&o), 0, "{source}: {}", stderr(&o));
        let written =
            std::fs::read(w.path().join(format!("graph/imported/{source}.ron"))).expect("written");
        let pinned = fixtures().join(format!("expected/{source}.ron"));
        if bless {
            std::fs::write(&pinned, &written).expect("bless");
        } else if std::fs::read(&pinned).ok().as_deref() != Some(written.as_slice()) {
            stale.push(format!(
                "{} differs from what `import {source}` writes now:\n{}",
                pinned.display(),
                String::from_utf8_lossy(&written)
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "{}\n(bless with TRYCMD=overwrite)",
        stale.join("\n")
    );
}

#[test]
fn imports_match_existing_entities_instead_of_duplicating_them() {
    let w = temp_world(true);
    let o = run(
        w.path(),
        &["import", "cow-states", &fixture("states2016-excerpt.csv")],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // BLR and RUS by COW code, GBR (no COW code in the world) by its ISO id.
    assert_contains(
        &stdout(&o),
        "3 matched with existing ones (2 by COW code, 1 by id)",
    );
    let text =
        std::fs::read_to_string(w.path().join("graph/imported/cow-states.ron")).expect("read");
    assert!(!text.contains("id: \"BLR\""), "BLR written again");
    assert!(text.contains("member: \"BLR\""), "{text}");
    // The alliances then find every state they name.
    let o = run(
        w.path(),
        &[
            "import",
            "cow-alliances",
            &fixture("alliance_v4.1_by_member-excerpt.csv"),
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stdout(&o), "entities: 0 new");
    // OpenSanctions: the EU by name, the United Kingdom by id.
    let o = run(
        w.path(),
        &[
            "import",
            "opensanctions",
            &fixture("entities-excerpt.ftm.json"),
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text =
        std::fs::read_to_string(w.path().join("graph/imported/opensanctions.ron")).expect("read");
    assert!(text.contains("by: \"EU\""), "{text}");
    assert!(!text.contains("Organization(id: \"EU\""), "{text}");
    assert!(text.contains("by: \"GBR\""), "{text}");
}

#[test]
fn a_malformed_file_names_its_line_and_writes_nothing() {
    let w = temp_world(true);
    let cases = [
        (
            "cow-alliances",
            "malformed/alliances-bad-month.csv",
            ":3: ",
            "month 13",
        ),
        (
            "opensanctions",
            "malformed/entities-cut.ftm.json",
            ":2: ",
            "FollowTheMoney entity",
        ),
        (
            "gdelt",
            "states2016-excerpt.csv",
            ":1: ",
            "not GDELT 2.0 events",
        ),
        (
            "cow-states",
            "alliance_v4.1_by_member-excerpt.csv",
            ":1: ",
            "lacks the columns `stateabb`",
        ),
    ];
    for (source, file, line, what) in cases {
        let o = run(w.path(), &["import", source, &fixture(file)]);
        assert_eq!(code(&o), 2, "{source} {file}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(err.contains(&format!("{}{line}", fixture(file))), "{err}");
        assert!(err.contains(what), "{err}");
        assert!(err.contains("nothing was written"), "{err}");
        assert!(
            !w.path().join("graph/imported").exists(),
            "{source}: something was written"
        );
    }
    // A failed import leaves an earlier good one as it was.
    let good = run(
        w.path(),
        &[
            "import",
            "cow-alliances",
            &fixture("alliance_v4.1_by_member-excerpt.csv"),
        ],
    );
    assert_eq!(code(&good), 0, "{}", stderr(&good));
    let path = w.path().join("graph/imported/cow-alliances.ron");
    let before = std::fs::read(&path).expect("written");
    let bad = run(
        w.path(),
        &[
            "import",
            "cow-alliances",
            &fixture("malformed/alliances-bad-month.csv"),
        ],
    );
    assert_eq!(code(&bad), 2);
    assert_eq!(std::fs::read(&path).expect("kept"), before);
    let leftovers: Vec<_> = std::fs::read_dir(w.path().join("graph/imported"))
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn a_result_that_would_not_validate_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let graph = dir.path().join("graph");
    std::fs::create_dir_all(&graph).expect("mkdir");
    std::fs::copy(
        fixtures().join("conflict/companies.ron"),
        graph.join("companies.ron"),
    )
    .expect("copy");
    let o = run(
        dir.path(),
        &[
            "import",
            "cow-alliances",
            &fixture("alliance_v4.1_by_member-excerpt.csv"),
        ],
    );
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("error[E0301]"), "{err}");
    assert!(err.contains("graph/imported/cow-alliances.ron"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!graph.join("imported").exists());
}

#[test]
fn a_source_date_before_a_curated_state_becomes_a_disputed_reading() {
    let w = temp_world(false);
    std::fs::write(
        w.path().join("graph/states.ron"),
        "[\n    State(id: \"CZE\", name: \"Czechia\", cow: 316, from: \"1993-01-01\"),\n]\n",
    )
    .expect("write");
    let o = run(
        w.path(),
        &[
            "import",
            "cow-alliances",
            &fixture("alliance_v4.1_by_member-excerpt.csv"),
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(
        &stdout(&o),
        "warning: `cow-alliance-367` (`CZE`): starts on 1992-11-23 by the source, before `CZE` begins in the data (1993-01-01)",
    );
    let text =
        std::fs::read_to_string(w.path().join("graph/imported/cow-alliances.ron")).expect("read");
    assert!(
        text.contains("state: \"CZE\",\n                from: \"1993-01-01\",\n                disputed: [\n                    Reading(\n                        from: \"1992-11-23\","),
        "{text}"
    );
    // In force "possibly" between the two dates, certainly after.
    let o = run(w.path(), &["allies", "CZE", "--on", "1992-12-01"]);
    assert_contains(&stdout(&o), "SVK  Slovakia  possible");
    let o = run(w.path(), &["allies", "CZE", "--on", "1993-01-01"]);
    assert_contains(&stdout(&o), "SVK  Slovakia  certain");
}

#[test]
fn usage_errors() {
    let w = temp_world(false);
    let o = run(
        w.path(),
        &[
            "import",
            "cow-states",
            &fixture("states2016-excerpt.csv"),
            "--actor",
            "RUS",
        ],
    );
    assert_eq!(code(&o), 2);
    assert_contains(&stderr(&o), "--actor applies to `import gdelt` only");
    let o = run(
        w.path(),
        &[
            "import",
            "gdelt",
            &fixture("events2samps-excerpt.csv"),
            "--actor",
            "Russia",
        ],
    );
    assert_eq!(code(&o), 2);
    assert_contains(&stderr(&o), "not an ISO 3166-1 alpha-3 code");
    let o = run(w.path(), &["import", "gdelt", "no-such-file.csv"]);
    assert_eq!(code(&o), 2);
    assert_contains(&stderr(&o), "no-such-file.csv: cannot be read");
    let nowhere = tempfile::tempdir().expect("temp dir");
    let o = run(
        nowhere.path(),
        &["import", "gdelt", &fixture("events2samps-excerpt.csv")],
    );
    assert_eq!(code(&o), 2);
    assert_contains(&stderr(&o), "import writes into a data folder");
}

#[test]
fn gdelt_filters_and_dry_run() {
    let w = temp_world(false);
    let o = run(
        w.path(),
        &[
            "import",
            "gdelt",
            &fixture("events2samps-excerpt.csv"),
            "--actor",
            "BLR",
            "--dry-run",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(
        &stdout(&o),
        "would write graph/imported/gdelt.ron: 2 states, 2 statements",
    );
    assert!(!w.path().join("graph/imported").exists());
    let o = run(
        w.path(),
        &[
            "import",
            "gdelt",
            &fixture("events2samps-excerpt.csv"),
            "--from",
            "2017-06-01",
            "--to",
            "2017-06-30",
            "--root-code",
            "3",
            "--plover",
            &fixture("CAMEO2PLOVER-2021-excerpt.txt"),
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(w.path().join("graph/imported/gdelt.ron")).expect("read");
    assert!(text.contains("gdelt-661116615"), "{text}");
    assert!(text.contains("PLOVER AGREE, context diplomatic"), "{text}");
    assert_eq!(text.matches("Statement(").count(), 1, "{text}");
}

/// One COW alliance member row, as the test reads it (independently of the importer).
struct MemberRow {
    alliance: u32,
    ccode: u32,
    from: Date,
    until: Option<Date>,
}

fn cow_rows(path: &Path) -> Vec<MemberRow> {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let h = r.headers().expect("header").clone();
    let col = |n: &str| h.iter().position(|x| x == n).expect(n);
    let (id, cc, rc) = (col("version4id"), col("ccode"), col("right_censor"));
    let date = |rec: &csv::StringRecord, p: &str| -> Option<Date> {
        let part = |s: &str| {
            rec[col(&format!("{p}_{s}"))]
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
        };
        let y = part("year")?;
        let text = match (part("month"), part("day")) {
            (None, _) => format!("{y:04}"),
            (Some(m), None) => format!("{y:04}-{m:02}"),
            (Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        };
        Date::parse(&text).ok()
    };
    r.records()
        .map(|rec| {
            let rec = rec.expect("row");
            MemberRow {
                alliance: rec[id].parse().expect("id"),
                ccode: rec[cc].parse().expect("ccode"),
                from: date(&rec, "mem_st").expect("start"),
                until: if &rec[rc] == "1" {
                    None
                } else {
                    date(&rec, "mem_end")
                },
            }
        })
        .collect()
}

fn shift(d: Date, days: i64) -> Date {
    Date::from_naive(d.first_day() + chrono::Duration::days(days))
}

/// Whether COW says the member is in on day `d`: certainly, possibly (imprecise dates) or not.
fn cow_says(m: &MemberRow, d: Date) -> Certainty {
    let day = d.first();
    let certain = m.from.last() <= day && m.until.is_none_or(|u| day < u.first());
    let possible = m.from.first() <= day && m.until.is_none_or(|u| day <= u.last());
    if certain {
        Certainty::Certain
    } else if possible
        && (m.from.precision() != Precision::Day
            || m.until.is_some_and(|u| u.precision() != Precision::Day))
    {
        Certainty::Possible
    } else {
        Certainty::No
    }
}

/// Imports COW states and alliances into an empty folder, then checks `allies` against the
/// member rows: on each member's start, the day before, mid-membership, its end and the day
/// after, the partners `allies` lists are exactly those COW has in the same alliance then.
fn check_cow_agreement(states: &Path, alliances: &Path) -> usize {
    let w = temp_world(false);
    let data = w.path().join("graph");
    for (source, input) in [
        (Source::CowStates, states),
        (Source::CowAlliances, alliances),
    ] {
        let opts = Options {
            source,
            input: input.to_path_buf(),
            data: data.clone(),
            into: None,
            gdelt: Default::default(),
            known_states: false,
        };
        let plan = import::plan(&opts, &mut |_| {}).expect("imports");
        import::write(&plan).expect("writes");
    }
    let loaded = load::load(&DataSource::Path(data));
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let graph = MemoryStore::new(loaded.dataset.clone(), true);
    let index: BTreeMap<u32, usize> = loaded
        .dataset
        .entities
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.cow.map(|c| (c, i)))
        .collect();
    let rows = cow_rows(alliances);
    let mut checked = 0;
    let mut failures = Vec::new();
    for m in &rows {
        let mut dates = vec![shift(m.from, -1), m.from];
        match m.until {
            Some(u) => {
                let span = (u.first() - m.from.first()) / 2;
                dates.extend([shift(m.from, i64::from(span)), u, shift(u, 1)]);
            }
            None => dates.push(shift(m.from, 400)),
        }
        let me = index[&m.ccode];
        for d in dates {
            // Expected: partners in an alliance that binds this state on d.
            let mut expected: BTreeMap<String, Certainty> = BTreeMap::new();
            let alliances_of_me: BTreeSet<u32> = rows
                .iter()
                .filter(|r| r.ccode == m.ccode)
                .map(|r| r.alliance)
                .collect();
            for a in alliances_of_me {
                let mine = rows
                    .iter()
                    .filter(|r| r.alliance == a && r.ccode == m.ccode)
                    .map(|r| cow_says(r, d))
                    .max()
                    .unwrap_or(Certainty::No);
                if mine == Certainty::No {
                    continue;
                }
                for p in rows
                    .iter()
                    .filter(|r| r.alliance == a && r.ccode != m.ccode)
                {
                    let c = cow_says(p, d).min(mine);
                    if c != Certainty::No {
                        let id = loaded.dataset.entities[index[&p.ccode]].id.clone();
                        let slot = expected.entry(id).or_insert(Certainty::No);
                        *slot = (*slot).max(c);
                    }
                }
            }
            let actual: BTreeMap<String, Certainty> = allies(&graph, me, d)
                .expect("reads")
                .into_iter()
                .map(|a| (a.id, a.certainty))
                .collect();
            if actual != expected {
                failures.push(format!(
                    "ccode {} alliance {} on {d}: allies {actual:?}, COW {expected:?}",
                    m.ccode, m.alliance
                ));
            }
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    checked
}

#[test]
fn allies_agree_with_cow_membership_dates_on_the_excerpt() {
    let checked = check_cow_agreement(
        &fixtures().join("states2016-excerpt.csv"),
        &fixtures().join("alliance_v4.1_by_member-excerpt.csv"),
    );
    assert!(checked > 80, "{checked}");
}

#[test]
fn allies_agree_with_cow_membership_dates_on_the_full_files() {
    let Some(shared) = shared() else {
        eprintln!("note: ../shared/data absent; full-file COW agreement test not run");
        return;
    };
    let checked = check_cow_agreement(
        &shared.join("cow-states/states2016.csv"),
        &shared.join("cow-alliances/alliance_v4.1_by_member.csv"),
    );
    assert!(checked > 5000, "{checked}");
}

#[test]
fn full_files_import_and_reimport_byte_for_byte() {
    let Some(shared) = shared() else {
        eprintln!("note: ../shared/data absent; full-file import test not run");
        return;
    };
    let w = temp_world(false);
    let files = [
        ("cow-states", "cow-states/states2016.csv"),
        ("cow-alliances", "cow-alliances/alliance_v4.1_by_member.csv"),
        ("opensanctions", "opensanctions-ftm/zala_entities.ftm.json"),
        ("gdelt", "gdelt/events2samps.csv"),
    ];
    for (source, file) in files {
        let input = shared.join(file).to_string_lossy().into_owned();
        let mut args = vec!["import", source, input.as_str()];
        let plover = shared
            .join("plover/CAMEO2PLOVER-2021.txt")
            .to_string_lossy()
            .into_owned();
        if source == "gdelt" {
            args.extend(["--plover", plover.as_str()]);
        }
        let o = run(w.path(), &args);
        assert_eq!(code(&o), 0, "{source}: {}", stderr(&o));
        let written = w.path().join(format!("graph/imported/{source}.ron"));
        let first = std::fs::read(&written).expect("written");
        let o = run(w.path(), &args);
        assert_eq!(code(&o), 0, "{source}: {}", stderr(&o));
        assert_eq!(std::fs::read(&written).expect("written"), first, "{source}");
    }
    let o = run(w.path(), &["--data", "graph", "stats"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // COW 370 is Belarus, 365 Russia; they are allies through the Collective Security Treaty.
    let o = run(w.path(), &["allies", "BLR", "--on", "2000-01-01"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stdout(&o), "RUS");
}

#[test]
fn a_curated_treaty_citing_a_cow_alliance_is_not_imported_again_and_differences_are_reported() {
    let w = temp_world(false);
    std::fs::write(
        w.path().join("graph/world.ron"),
        r#"[
    State(id: "RUS", name: "Russia", cow: 365),
    State(id: "BLR", name: "Belarus", cow: 370, from: "1991-08-25"),
    State(id: "ARM", name: "Armenia", cow: 371, from: "1991-09-21"),
    State(id: "KAZ", name: "Kazakhstan", cow: 705, from: "1991-12-16"),
    Treaty(
        id: "cst-1992", name: "Collective Security Treaty", kind: Defense, signed: "1992-05-15",
        in_force: "1994-04-20",
        parties: [
            Party(state: "RUS"), Party(state: "ARM"), Party(state: "KAZ"),
            Party(state: "BLR", signed: "1993-12-31"),
        ],
        sources: [
            Source(
                title: "Correlates of War Formal Alliances v4.1, alliances 349 and 350",
                url: "https://correlatesofwar.org/data-sets/formal-alliances/",
            ),
        ],
    ),
]
"#,
    )
    .expect("write");
    let o = run(
        w.path(),
        &[
            "import",
            "cow-alliances",
            &fixture("alliance_v4.1_by_member-excerpt.csv"),
            "--known-states",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    // 349 and 350 are the curated treaty; every other alliance of the excerpt has fewer than
    // two members among the data's four states.
    assert_contains(
        &out,
        "left out: 2 (alliance the same as a curated treaty (cited by its COW number): cst-1992)",
    );
    assert_contains(
        &out,
        "left out: 5 (alliance with fewer than two members among the data's states)",
    );
    assert_contains(&out, "entities: 0 new");
    // Belarus's 1993-12-31 is its signature: no warning. Russia from 1995-02-10 (349) and from
    // 1992-05-15 (350) are neither the curated date nor a reading.
    assert!(!out.contains("COW has BLR from 1993-12-31"), "{out}");
    assert_contains(
        &out,
        "warning: `cst-1992` is `cow-alliance-349`: COW has RUS from 1995-02-10, which `cst-1992` neither gives nor keeps as a reading",
    );
    assert_contains(
        &out,
        "warning: `cst-1992` is `cow-alliance-350`: COW has BLR from 1992-05-15",
    );
    let text =
        std::fs::read_to_string(w.path().join("graph/imported/cow-alliances.ron")).expect("read");
    assert!(!text.contains("cow-alliance-349") && !text.contains("cow-alliance-350"));
    assert!(!text.contains("State("), "{text}");

    // Without the curated treaty's citation, both alliances are imported; --known-states keeps
    // only the members of the data (all four here) and writes no new state.
    let world = std::fs::read_to_string(w.path().join("graph/world.ron")).expect("read");
    std::fs::write(
        w.path().join("graph/world.ron"),
        world.replace("alliances 349 and 350", "alliances"),
    )
    .expect("write");
    let o = run(
        w.path(),
        &[
            "import",
            "cow-alliances",
            &fixture("alliance_v4.1_by_member-excerpt.csv"),
            "--known-states",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text =
        std::fs::read_to_string(w.path().join("graph/imported/cow-alliances.ron")).expect("read");
    assert!(text.contains("cow-alliance-349") && text.contains("cow-alliance-350"));
    assert!(!text.contains("State("), "{text}");

    // --known-states belongs to cow-alliances.
    let o = run(
        w.path(),
        &[
            "import",
            "cow-states",
            &fixture("states2016-excerpt.csv"),
            "--known-states",
        ],
    );
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    assert_contains(
        &stderr(&o),
        "--known-states applies to `import cow-alliances` only",
    );
}
