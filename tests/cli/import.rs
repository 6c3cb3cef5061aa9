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

use crate::support::{assert_contains, code, copy_tree, run, stderr, stdout};

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
fn the_bundled_world_s_cow_alliances_are_what_a_fresh_import_writes() {
    let Some(shared) = shared() else {
        eprintln!("note: ../shared/data absent; the bundled COW alliances test not run");
        return;
    };
    // As docs/maintaining.md says to make it: the full file, --known-states, beside the
    // curated treaties that are COW alliances.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bundled = root.join("graph/imported/cow-alliances.ron");
    let w = tempfile::tempdir().expect("temp dir");
    copy_tree(&root.join("graph"), &w.path().join("graph"));
    let written = w.path().join("graph/imported/cow-alliances.ron");
    std::fs::remove_file(&written).expect("remove");
    let input = shared.join("cow-alliances/alliance_v4.1_by_member.csv");
    let o = run(
        w.path(),
        &[
            "import",
            "cow-alliances",
            &input.to_string_lossy(),
            "--known-states",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    for treaty in [
        "cst-1992",
        "north-atlantic-treaty",
        "union-1997",
        "air-defence-2009",
    ] {
        assert_contains(
            &out,
            &format!("(alliance the same as a curated treaty (cited by its COW number): {treaty})"),
        );
    }
    assert_contains(&out, "entities: 0 new");
    assert!(
        std::fs::read(&written).expect("written") == std::fs::read(&bundled).expect("bundled"),
        "{} is not what the import writes",
        bundled.display()
    );
}

// ---------------------------------------------------------------------------------------------
// Imports at scale: streams, folders, compressed and piped input, increments, bad rows.

/// `n` rows of the GDELT excerpt, over and over, each with a new event id counting up from
/// `first_id` (as `scripts/gdelt-1m.py` makes them), with the excerpt's header.
fn gdelt_rows(n: usize, first_id: u64) -> Vec<u8> {
    let mut r = csv::Reader::from_path(fixtures().join("events2samps-excerpt.csv")).expect("csv");
    let header = r.headers().expect("header").clone();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(&header).expect("write");
    for i in 0..n {
        let mut row: Vec<String> = rows[i % rows.len()].iter().map(str::to_string).collect();
        row[0] = (first_id + i as u64).to_string();
        w.write_record(&row).expect("write");
    }
    w.into_inner().expect("csv")
}

/// Every file of a folder (recursively, hidden ones too), with its bytes and modification
/// time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.expect("entry");
        if e.file_type().is_file() {
            let meta = e.metadata().expect("meta");
            let bytes = std::fs::read(e.path()).expect("read");
            out.insert(
                e.path().to_path_buf(),
                (bytes, meta.modified().expect("time")),
            );
        }
    }
    out
}

fn records_in(text: &str) -> usize {
    text.lines()
        .filter(|l| l.starts_with("    ") && !l.starts_with("     ") && l != &"    ],")
        .filter(|l| l.trim_start().starts_with(char::is_uppercase))
        .count()
}

#[test]
fn a_large_import_writes_a_folder_and_a_newer_file_only_adds() {
    let w = temp_world(true);
    // 22,500 rows, of which 13 in 15 are kept (6 statements and 7 events): past the 10,000
    // records of one file, and more events than one file holds.
    let big = w.path().join("events-big.csv");
    std::fs::write(&big, gdelt_rows(22_500, 3_000_000_000)).expect("write");
    let o = run(w.path(), &["import", "gdelt", "events-big.csv"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "quiet when piped");
    assert_contains(&stdout(&o), "wrote graph/imported/gdelt: ");
    let folder = w.path().join("graph/imported/gdelt");
    assert!(!w.path().join("graph/imported/gdelt.ron").exists());
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "0001.ron",
            "0002.ron",
            "0003.ron",
            "0004.ron",
            "manifest.json"
        ]
    );
    // One kind a file, at most 10,000 records each.
    let mut total = 0;
    for n in &names[..4] {
        let text = std::fs::read_to_string(folder.join(n)).expect("read");
        let records = records_in(&text);
        assert!((1..=10_000).contains(&records), "{n}: {records}");
        total += records;
    }
    let o = run(w.path(), &["stats"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(w.path(), &["validate"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stdout(&o), "0 errors, 0 warnings");
    // The excerpt's 15 rows: 13 kept, one not between states, one between the same state.
    assert_eq!(total, 7 + 22_500 / 15 * 13, "7 new states and the facts");

    // The same file again: nothing is read or written.
    let before = snapshot(&folder);
    let o = run(w.path(), &["import", "gdelt", "events-big.csv"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stdout(&o), "unchanged graph/imported/gdelt");
    assert_contains(&stdout(&o), "this input was imported before");
    assert_eq!(snapshot(&folder), before, "same bytes, same times");

    // A newer file: 300 rows past the last id. Only the last file of each fact kind takes
    // them; the states and the full files are left alone.
    let next = w.path().join("events-next.csv");
    std::fs::write(&next, gdelt_rows(300, 3_000_022_500)).expect("write");
    let o = run(w.path(), &["import", "gdelt", "events-next.csv"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert_contains(&out, "kept: 19507 records of earlier imports");
    let after = snapshot(&folder);
    let changed: Vec<String> = after
        .iter()
        .filter(|(p, v)| before.get(*p) != Some(v))
        .map(|(p, _)| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert_eq!(changed, ["0002.ron", "0004.ron", "manifest.json"], "{out}");
    let added: usize = ["0002.ron", "0004.ron"]
        .iter()
        .map(|n| {
            records_in(&String::from_utf8_lossy(&after[&folder.join(n)].0))
                - records_in(&String::from_utf8_lossy(&before[&folder.join(n)].0))
        })
        .sum();
    assert_eq!(added, 300 / 15 * 13);
    let o = run(w.path(), &["validate"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    // The newer file again, with a filter, so that it is read (not known by its checksum):
    // every row's fact is found, and no data file is written.
    let o = run(
        w.path(),
        &["import", "gdelt", "events-next.csv", "--min-mentions", "1"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stdout(&o), "unchanged graph/imported/gdelt");
    assert_contains(&stdout(&o), "(260 rows of this input among them)");
    let again = snapshot(&folder);
    for (p, v) in &after {
        if !p.ends_with("manifest.json") {
            assert_eq!(again.get(p), Some(v), "{}", p.display());
        }
    }
    // Questions read the folder like any other files.
    let o = run(w.path(), &["show", "gdelt-3000022500"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn a_small_file_grows_into_a_folder_in_one_step() {
    let w = temp_world(true);
    let o = run(
        w.path(),
        &["import", "gdelt", &fixture("events2samps-excerpt.csv")],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let single = w.path().join("graph/imported/gdelt.ron");
    assert!(single.exists());
    std::fs::write(w.path().join("more.csv"), gdelt_rows(12_000, 3_000_000_000)).expect("write");
    let o = run(w.path(), &["import", "gdelt", "more.csv"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!single.exists(), "the single file became the folder");
    assert_contains(&stdout(&o), "kept: 20 records of earlier imports");
    let text = std::fs::read_to_string(w.path().join("graph/imported/gdelt/0002.ron"))
        .expect("statements");
    assert!(
        text.contains("id: \"gdelt-661116615\""),
        "the old records are in it"
    );
    let o = run(w.path(), &["validate"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

/// The file the GDELT excerpt gives, pinned, as imported from a file named `name`.
fn pinned_gdelt_as(name: &str) -> String {
    std::fs::read_to_string(fixtures().join("expected/gdelt.ron"))
        .expect("pinned")
        .replace("events2samps-excerpt.csv", name)
}

#[test]
fn compressed_input_is_told_by_its_bytes_and_imports_as_the_plain_file() {
    use std::io::Write;
    let plain = std::fs::read(fixtures().join("events2samps-excerpt.csv")).expect("excerpt");
    let gz = {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&plain).expect("gzip");
        e.finish().expect("gzip")
    };
    let zst =
        ruzstd::encoding::compress_to_vec(&plain[..], ruzstd::encoding::CompressionLevel::Fastest);
    let zip = {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        z.start_file(
            "20170701.export.CSV",
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated),
        )
        .expect("zip");
        z.write_all(&plain).expect("zip");
        z.finish().expect("zip").into_inner()
    };
    let plover = fixture("CAMEO2PLOVER-2021-excerpt.txt");
    for (packing, bytes) in [("gzip", gz), ("zstd", zst), ("zip", zip)] {
        let w = temp_world(true);
        // The same name as the plain excerpt: only the bytes tell what it is.
        let dir = w.path().join(packing);
        std::fs::create_dir_all(&dir).expect("mkdir");
        let input = dir.join("events2samps-excerpt.csv");
        std::fs::write(&input, &bytes).expect("write");
        let o = run(
            w.path(),
            &[
                "import",
                "gdelt",
                &input.to_string_lossy(),
                "--plover",
                &plover,
            ],
        );
        assert_eq!(code(&o), 0, "{packing}: {}", stderr(&o));
        let written =
            std::fs::read_to_string(w.path().join("graph/imported/gdelt.ron")).expect("written");
        assert_eq!(
            written,
            pinned_gdelt_as("events2samps-excerpt.csv"),
            "{packing}"
        );
        // Cut short, the archive is a row that cannot be read: nothing is written.
        let cut = dir.join("cut.csv");
        std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).expect("write");
        let w2 = temp_world(true);
        let o = run(w2.path(), &["import", "gdelt", &cut.to_string_lossy()]);
        assert_eq!(code(&o), 2, "{packing}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(
            err.contains("breaks off") || err.contains("cannot be read"),
            "{packing}: {err}"
        );
        assert_contains(&err, "nothing was written");
        assert!(!w2.path().join("graph/imported").exists(), "{packing}");
    }
}

#[test]
fn standard_input_imports_as_a_file_named_standard_input() {
    use std::io::Write;
    let w = temp_world(true);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dipgraph"))
        .args([
            "import",
            "gdelt",
            "-",
            "--plover",
            &fixture("CAMEO2PLOVER-2021-excerpt.txt"),
        ])
        .current_dir(w.path())
        .env("DIPGRAPH_CACHE_DIR", crate::support::cache_dir())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let gz = {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&std::fs::read(fixtures().join("events2samps-excerpt.csv")).expect("read"))
            .expect("gzip");
        e.finish().expect("gzip")
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&gz)
        .expect("piped");
    let o = child.wait_with_output().expect("done");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stdout(&o), "gdelt: 15 rows read from -");
    let written =
        std::fs::read_to_string(w.path().join("graph/imported/gdelt.ron")).expect("written");
    assert_eq!(written, pinned_gdelt_as("standard input"));
}

/// The GDELT excerpt with three bad rows: a row of the wrong width (line 4), a bad date
/// (line 7) and a field that is not UTF-8 (line 10).
fn gdelt_with_bad_rows() -> Vec<u8> {
    let plain = std::fs::read(fixtures().join("events2samps-excerpt.csv")).expect("excerpt");
    let mut lines: Vec<Vec<u8>> = plain.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    lines[3].extend_from_slice(b",one too many");
    let at = lines[6].iter().position(|b| *b == b',').expect("comma") + 1;
    lines[6].splice(at..at + 8, b"20171332".iter().copied());
    let at = lines[9].iter().rposition(|b| *b == b'/').expect("a url");
    lines[9].insert(at + 1, 0xff);
    lines.join(&b'\n')
}

#[test]
fn bad_rows_are_counted_shown_by_line_and_stop_the_import_unless_left_out() {
    let w = temp_world(true);
    std::fs::write(w.path().join("bad.csv"), gdelt_with_bad_rows()).expect("write");
    let o = run(w.path(), &["import", "gdelt", "bad.csv"]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    let err = stderr(&o);
    assert_contains(
        &err,
        "error: bad.csv:4: expected 62 fields, as in the header, found 63",
    );
    assert_contains(
        &err,
        "bad.csv:7: column `SQLDATE`: expected a date written YYYYMMDD, found `20171332`",
    );
    assert_contains(&err, "bad.csv:10: field 62 is not UTF-8 text");
    assert_contains(
        &err,
        "3 rows cannot be read; `--skip-bad-rows` leaves them out",
    );
    assert_contains(&err, "nothing was written");
    assert!(!w.path().join("graph/imported").exists());
    // Left out: the rest is imported, and the summary counts them.
    let o = run(w.path(), &["import", "gdelt", "bad.csv", "--skip-bad-rows"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert_contains(&out, "left out: 3 (rows that cannot be read)");
    assert_contains(&out, "warning: bad.csv:7: column `SQLDATE`");
    let text = std::fs::read_to_string(w.path().join("graph/imported/gdelt.ron")).expect("read");
    let mut r = csv::Reader::from_path(fixtures().join("events2samps-excerpt.csv")).expect("csv");
    let ids: Vec<String> = r
        .records()
        .map(|x| x.expect("row")[0].to_string())
        .collect();
    for (line, id) in ids.iter().enumerate() {
        let bad = [4, 7, 10].contains(&(line + 2));
        if bad {
            assert!(
                !text.contains(&format!("gdelt-{id}\"")),
                "line {}",
                line + 2
            );
        }
    }
    // More bad rows than are shown: the first five, and the count.
    let mut many = gdelt_rows(40, 3_000_000_000);
    many.extend(b"1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n".iter());
    std::fs::write(w.path().join("many.csv"), many).expect("write");
    let o = run(w.path(), &["import", "gdelt", "many.csv"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert_contains(&err, "many.csv:42: expected 62 fields");
    assert_contains(&err, "6 rows cannot be read (the first 5 shown)");
    assert!(!err.contains("many.csv:47:"), "{err}");
}

#[test]
fn a_large_import_that_would_not_validate_writes_nothing_and_leaves_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let graph = dir.path().join("graph");
    std::fs::create_dir_all(&graph).expect("mkdir");
    // An organization under Russia's ISO code: the states GDELT names clash with it.
    std::fs::write(
        graph.join("companies.ron"),
        "[\n    Organization(id: \"RUS\", name: \"Rusty\", kind: Company),\n]\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("big.csv"),
        gdelt_rows(12_000, 3_000_000_000),
    )
    .expect("write");
    let o = run(dir.path(), &["import", "gdelt", "big.csv"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let err = stderr(&o);
    assert_contains(&err, "error[E0301]");
    assert_contains(&err, "graph/imported/gdelt/0001.ron");
    assert_contains(&err, "nothing was written");
    assert!(
        !graph.join("imported").exists(),
        "no folder, no temporary file"
    );
    assert_eq!(snapshot(&graph).len(), 1);
}

#[test]
fn the_full_gdelt_sample_as_a_zip_archive_imports_as_the_plain_file() {
    let Some(shared) = shared() else {
        eprintln!("note: ../shared/data absent; the zipped GDELT sample test not run");
        return;
    };
    use std::io::Write;
    let plain = std::fs::read(shared.join("gdelt/events2samps.csv")).expect("sample");
    let w = temp_world(false);
    let dir = w.path().join("zipped");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file(
        "events2samps.csv",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated),
    )
    .expect("zip");
    z.write_all(&plain).expect("zip");
    std::fs::write(
        dir.join("events2samps.csv"),
        z.finish().expect("zip").into_inner(),
    )
    .expect("write");
    let o = run(w.path(), &["import", "gdelt", "zipped/events2samps.csv"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let zipped = std::fs::read(w.path().join("graph/imported/gdelt.ron")).expect("written");
    let w2 = temp_world(false);
    let o = run(
        w2.path(),
        &[
            "import",
            "gdelt",
            &shared.join("gdelt/events2samps.csv").to_string_lossy(),
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let plain_out = std::fs::read(w2.path().join("graph/imported/gdelt.ron")).expect("written");
    assert_eq!(zipped, plain_out);
}

#[test]
fn importing_the_same_small_file_again_rewrites_nothing() {
    let w = temp_world(true);
    for (source, file) in EXCERPTS {
        let o = run(w.path(), &["import", source, &fixture(file)]);
        assert_eq!(code(&o), 0, "{source}: {}", stderr(&o));
    }
    let imported = w.path().join("graph/imported");
    let before = snapshot(&imported);
    std::thread::sleep(std::time::Duration::from_millis(20));
    for (source, file) in EXCERPTS {
        let o = run(w.path(), &["import", source, &fixture(file)]);
        assert_eq!(code(&o), 0, "{source}: {}", stderr(&o));
        assert_contains(&stdout(&o), "unchanged");
    }
    assert_eq!(snapshot(&imported), before, "same bytes, same times");
}

#[test]
fn a_second_opensanctions_file_adds_what_the_first_had_not() {
    let lines: Vec<String> = std::fs::read_to_string(fixtures().join("entities-excerpt.ftm.json"))
        .expect("excerpt")
        .lines()
        .map(str::to_string)
        .collect();
    // The first file: the people and companies, and half the other lines; the second: all.
    let (entities, rest): (Vec<&String>, Vec<&String>) = lines
        .iter()
        .partition(|l| l.contains("\"schema\":\"Person\"") || l.contains("\"schema\":\"Company\""));
    let mut first: Vec<&String> = entities.clone();
    first.extend(rest.iter().step_by(2));
    let w = temp_world(true);
    std::fs::write(
        w.path().join("first.ftm.json"),
        first.iter().map(|l| format!("{l}\n")).collect::<String>(),
    )
    .expect("write");
    let o = run(w.path(), &["import", "opensanctions", "first.ftm.json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(
        w.path(),
        &[
            "import",
            "opensanctions",
            &fixture("entities-excerpt.ftm.json"),
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert_contains(&out, "rows of this input among them");
    let text =
        std::fs::read_to_string(w.path().join("graph/imported/opensanctions.ron")).expect("read");
    // What one import of the whole file writes, no more: every record once.
    let whole = temp_world(true);
    let o = run(
        whole.path(),
        &[
            "import",
            "opensanctions",
            &fixture("entities-excerpt.ftm.json"),
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let once = std::fs::read_to_string(whole.path().join("graph/imported/opensanctions.ron"))
        .expect("read");
    assert_eq!(records_in(&text), records_in(&once), "{text}");
    for kind in ["Person(", "Organization(", "Sanction(", "Role(", "State("] {
        assert_eq!(
            text.matches(kind).count(),
            once.matches(kind).count(),
            "{kind}"
        );
    }
    let o = run(w.path(), &["validate"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stdout(&o), "0 errors, 0 warnings");
}

#[test]
fn a_fact_file_of_a_large_import_that_would_not_validate_is_shown_at_its_fields() {
    // Russia begins in 2020 in this data: GDELT's statements by it in 2017 come too early.
    let w = temp_world(false);
    std::fs::write(
        w.path().join("graph/states.ron"),
        "[\n    State(id: \"RUS\", name: \"Russia\", cow: 365, from: \"2020-01-01\"),\n]\n",
    )
    .expect("write");
    std::fs::write(w.path().join("big.csv"), gdelt_rows(12_000, 3_000_000_000)).expect("write");
    let o = run(w.path(), &["import", "gdelt", "big.csv"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let err = stderr(&o);
    assert_contains(
        &err,
        "error[E0402]: `gdelt-3000000001` starts on 2017-07-01, before `RUS` exists",
    );
    assert_contains(&err, "--> graph/imported/gdelt/0002.ron:");
    assert_contains(&err, "on: \"2017-07-01\",\n");
    assert_contains(&err, "nothing was written");
    assert!(!w.path().join("graph/imported").exists());
}

#[test]
fn opensanctions_from_standard_input_is_read_twice_as_a_file_is() {
    use std::io::Write;
    let w = temp_world(true);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dipgraph"))
        .args(["import", "opensanctions", "-"])
        .current_dir(w.path())
        .env("DIPGRAPH_CACHE_DIR", crate::support::cache_dir())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let text = std::fs::read(fixtures().join("entities-excerpt.ftm.json")).expect("read");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&text)
        .expect("piped");
    let o = child.wait_with_output().expect("done");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let written =
        std::fs::read_to_string(w.path().join("graph/imported/opensanctions.ron")).expect("read");
    let pinned = std::fs::read_to_string(fixtures().join("expected/opensanctions.ron"))
        .expect("pinned")
        .replace("entities-excerpt.ftm.json", "standard input");
    assert_eq!(written, pinned);
}

#[test]
fn a_folder_without_its_manifest_is_read_again_and_changes_no_file() {
    let w = temp_world(true);
    std::fs::write(w.path().join("big.csv"), gdelt_rows(12_000, 3_000_000_000)).expect("write");
    let o = run(w.path(), &["import", "gdelt", "big.csv"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let folder = w.path().join("graph/imported/gdelt");
    let manifest = std::fs::read(folder.join("manifest.json")).expect("manifest");
    std::fs::remove_file(folder.join("manifest.json")).expect("remove");
    let before = snapshot(&folder);
    let o = run(w.path(), &["import", "gdelt", "big.csv"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert_contains(&out, "unchanged graph/imported/gdelt");
    assert_contains(&out, "(10400 rows of this input among them)");
    let after = snapshot(&folder);
    for (p, v) in &before {
        assert_eq!(after.get(p), Some(v), "{}", p.display());
    }
    // The manifest is made again from the files, as it was.
    assert_eq!(
        std::fs::read(folder.join("manifest.json")).expect("manifest"),
        manifest
    );
}

#[test]
fn a_curated_treaty_citing_a_cow_alliance_is_not_imported_again_and_differences_are_reported() {
    let w = temp_world(false);
    // Imports the excerpt with --known-states: what it prints.
    let import = || {
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
        stdout(&o)
    };
    let curated =
        "left out: 2 (alliance the same as a curated treaty (cited by its COW number): cst-1992)";
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
    let out = import();
    // 349 and 350 are the curated treaty; every other alliance of the excerpt has fewer than
    // two members among the data's four states.
    assert_contains(&out, curated);
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
    import();
    let text =
        std::fs::read_to_string(w.path().join("graph/imported/cow-alliances.ron")).expect("read");
    assert!(text.contains("cow-alliance-349") && text.contains("cow-alliance-350"));
    assert!(!text.contains("State("), "{text}");

    // The citation back: the alliances the import wrote before are kept as they were (an
    // import never drops its own records), each reported; a fresh import leaves them out.
    std::fs::write(w.path().join("graph/world.ron"), &world).expect("write");
    let out = import();
    assert_contains(&out, curated);
    assert_contains(
        &out,
        "warning: `cow-alliance-349`, written by an earlier import, is kept as it was although `cst-1992` is the same alliance: remove the import's file and import again to leave it out",
    );
    let file = w.path().join("graph/imported/cow-alliances.ron");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), text);
    std::fs::remove_file(&file).expect("remove");
    assert!(!import().contains("written by an earlier import"));
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(!text.contains("cow-alliance-349") && !text.contains("cow-alliance-350"));

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
