//! Scale: the synthetic world (deterministic, valid, the size asked for), the interval index
//! (the same answers as a scan of every fact), and the cache (never stale, never trusted when
//! torn or corrupted, bypassed by `--no-cache`, and answering byte for byte as a full load).
//! Nothing here times anything.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dipgraph::load::{self, DataSource};
use dipgraph::model::{Certainty, Date, FactBody, Window};
use dipgraph::query::{allies, sanctions};
use dipgraph::store::MemoryStore;

use crate::support::{assert_contains, code, stderr, stdout};

pub(crate) fn synth(dir: &Path, facts: u64, seed: u64) -> Output {
    dipgraph_in(
        dir,
        dir,
        &[
            "synth",
            "--facts",
            &facts.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
            "world",
        ],
    )
}

/// Runs dipgraph in `cwd` with its cache in `cache`, caching data of any size.
fn dipgraph_in(cwd: &Path, cache: &Path, args: &[&str]) -> Output {
    run_with(cwd, cache, args, "0")
}

/// Runs dipgraph with data of under `min_bytes` always loaded in full, as small data is.
pub(crate) fn run_with(cwd: &Path, cache: &Path, args: &[&str], min_bytes: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dipgraph"))
        .args(args)
        .current_dir(cwd)
        .env("DIPGRAPH_TODAY", "2021-03-15")
        .env("DIPGRAPH_CACHE_DIR", cache.join("cache"))
        .env("DIPGRAPH_CACHE_MIN_BYTES", min_bytes)
        .env_remove("DIPGRAPH_DATA")
        .output()
        .expect("dipgraph runs")
}

/// Writes `record` first in the list of data file `file` (a synth file: one record per line);
/// returns the new text.
fn prepend(file: &Path, record: &str) -> String {
    let text = std::fs::read_to_string(file).expect("read");
    let added = text.replacen("[\n", &format!("[\n    {record},\n"), 1);
    std::fs::write(file, &added).expect("write");
    added
}

fn files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).expect("inside").to_path_buf();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    out.sort();
    out
}

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir.join("cache"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "dgcache"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn synth_is_deterministic_valid_and_near_the_size_asked() {
    let a = tempfile::tempdir().expect("tmp");
    let b = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(a.path(), 4000, 9)), 0);
    assert_eq!(code(&synth(b.path(), 4000, 9)), 0);
    let (fa, fb) = (
        files(&a.path().join("world")),
        files(&b.path().join("world")),
    );
    assert!(fa.len() > 5);
    assert!(fa == fb, "same seed, same bytes");

    let o = dipgraph_in(a.path(), a.path(), &["--data", "world", "validate"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stdout(&o), ": 0 errors, 0 warnings");
    let loaded = load::load(&DataSource::Path(a.path().join("world")));
    assert_eq!(loaded.dataset.facts.len(), 4000);
    assert!(loaded.dataset.entities.len() > 100);
    // Dates of every precision, parties that leave and rejoin, sanctions on several targets.
    let text: String = fa
        .iter()
        .map(|(_, t)| String::from_utf8_lossy(t).into_owned())
        .collect();
    assert!(text.contains("on: \"2") && text.contains("until: \""));
    assert!(
        loaded
            .dataset
            .facts
            .iter()
            .any(|f| matches!(&f.body, FactBody::Sanction { against, .. } if against.len() > 2))
    );
    let precisions: std::collections::BTreeSet<_> = loaded
        .dataset
        .facts
        .iter()
        .filter_map(|f| f.start_date())
        .map(|d| d.precision())
        .collect();
    assert_eq!(precisions.len(), 3);

    let c = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(c.path(), 4000, 10)), 0);
    assert!(
        files(&c.path().join("world")) != fa,
        "another seed, another world"
    );
}

/// A small Lehmer generator: the test's dates are the same on every run.
fn dates(n: usize) -> Vec<Date> {
    let mut x: u64 = 12345;
    (0..n)
        .map(|i| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let y = 1990 + (x >> 33) % 36;
            let m = 1 + (x >> 20) % 12;
            let d = 1 + (x >> 10) % 28;
            let text = match i % 3 {
                0 => format!("{y:04}-{m:02}-{d:02}"),
                1 => format!("{y:04}-{m:02}"),
                _ => format!("{y:04}"),
            };
            Date::parse(&text).expect("date")
        })
        .collect()
}

#[test]
fn the_index_answers_as_a_scan_of_every_fact() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(dir.path(), 6000, 3)), 0);
    let data = load::load(&DataSource::Path(dir.path().join("world"))).dataset;
    let graph = MemoryStore::new(data.clone(), true);
    let states: Vec<usize> = (0..data.entities.len()).step_by(7).collect();
    for (k, on) in dates(60).into_iter().enumerate() {
        let w = Window::of(on);
        let x = states[k % states.len()];
        let me = &data.entities[x].id;
        // Allies by brute force: every alliance treaty, every pair of parties.
        let mut expected: Vec<(String, Certainty)> = Vec::new();
        for f in &data.facts {
            let FactBody::Treaty { kind, parties, .. } = &f.body else {
                continue;
            };
            let Some(t) = f.interval().filter(|_| kind.is_alliance()) else {
                continue;
            };
            let mine = parties
                .iter()
                .filter(|p| &p.state == me)
                .map(|p| p.status(t, w))
                .max()
                .unwrap_or(Certainty::No);
            for p in parties.iter().filter(|p| &p.state != me) {
                let c = p.status(t, w).min(mine);
                if c.holds() {
                    match expected.iter_mut().find(|(s, _)| *s == p.state) {
                        Some(e) => e.1 = e.1.max(c),
                        None => expected.push((p.state.clone(), c)),
                    }
                }
            }
        }
        expected.sort();
        let got: Vec<(String, Certainty)> = allies::allies(&graph, x, on)
            .expect("reads")
            .into_iter()
            .map(|a| (a.id, a.certainty))
            .collect();
        assert_eq!(got, expected, "allies of {me} on {on}");

        // Sanctions against x by brute force.
        let mut expected: Vec<(String, Certainty)> = data
            .facts
            .iter()
            .filter(
                |f| matches!(&f.body, FactBody::Sanction { against, .. } if against.contains(me)),
            )
            .map(|f| (f.id.clone(), f.status(w)))
            .filter(|(_, c)| c.holds())
            .collect();
        expected.sort();
        let q = sanctions::SanctionsQuery {
            against: Some(x),
            tied: false,
            by: None,
            members: false,
            on,
        };
        let mut got: Vec<(String, Certainty)> = sanctions::sanctions(&graph, &q)
            .expect("reads")
            .into_iter()
            .map(|r| (r.id, r.certainty))
            .collect();
        got.sort();
        assert_eq!(got, expected, "sanctions against {me} on {on}");
    }
    // All sanctions in force on a date, without naming anyone.
    for on in dates(10) {
        let w = Window::of(on);
        let mut expected: Vec<String> = data
            .facts
            .iter()
            .filter(|f| matches!(f.body, FactBody::Sanction { .. }) && f.status(w).holds())
            .map(|f| f.id.clone())
            .collect();
        expected.sort();
        let q = sanctions::SanctionsQuery {
            against: None,
            tied: false,
            by: None,
            members: false,
            on,
        };
        let mut got: Vec<String> = sanctions::sanctions(&graph, &q)
            .expect("reads")
            .into_iter()
            .map(|r| r.id)
            .collect();
        got.sort();
        assert_eq!(got, expected, "sanctions on {on}");
    }
}

const QUESTIONS: &[&[&str]] = &[
    &["allies", "RUS", "--on", "2015-06-01"],
    &["--format", "json", "allies", "belarus", "--on", "2010"],
    &["sanctions", "--against", "RUS", "--tied", "--on", "2019-03"],
    &[
        "sanctions",
        "--by",
        "USA",
        "--members",
        "--on",
        "2020-01-01",
    ],
    &["--format", "csv", "sanctions", "--on", "2012-07-01"],
    &["allies", "Belarsu", "--on", "2010"],
    &["allies", "st-5", "--on", "2010"],
    // The hubs: with --no-cache, picked as the cache built in memory is let go.
    &["show", "RUS"],
    &["--format", "json", "timeline", "RUS"],
    &["show", "BLR"],
    &["show", "Russia", "--on", "2014-03"],
    &["--format", "json", "show", "TR-0", "--on", "1995"],
    &["timeline", "usa", "--from", "2000", "--to", "2010-06"],
    &["relations", "RUS", "BLR"],
    &[
        "--format",
        "csv",
        "relations",
        "oskar-varvar",
        "RUS",
        "--to",
        "2012",
    ],
    &["statements", "--by", "RUS", "--roles", "--from", "2015"],
    &["statements", "--about", "BLR", "--to", "2001-02"],
    &["statements", "--from", "2020-01", "--to", "2020-02"],
    // Every statement: read from the cache and kept encoded.
    &["--format", "csv", "statements"],
    &["diff", "2014", "2015"],
    // Every change of the world: read from the cache and kept encoded, entries made again as
    // they are written.
    &["diff", "1900", "2030"],
    &["--format", "json", "diff", "1990", "2001-06"],
    &["--format", "csv", "diff", "2009-12", "2012"],
    // Nothing changed, nothing said: empty answers from the cache.
    &["--format", "json", "diff", "1700", "1701"],
    &["statements", "--to", "1700"],
    &["path", "oskar-varvar", "BLR", "--on", "2010-05-01"],
    &[
        "--format",
        "json",
        "diff",
        "2000-03-01",
        "2003",
        "--around",
        "USA",
    ],
    &["stats"],
    &["--format", "json", "stats"],
    &["validate"],
    &["--format", "csv", "validate"],
    &["export", "csv", "--on", "2015-06-01"],
    &[
        "export", "json", "--diff", "2010", "2012", "--focus", "RUS", "--depth", "2",
    ],
    &["timeline", "Narnia"],
    &["relations", "RUS", "Russia"],
    &["show", "tr-"],
];

fn answers(dir: &Path, extra: &[&str]) -> Vec<(i32, String, String)> {
    answers_with(dir, extra, "0")
}

/// The answers of a full load: every record held as a struct, as for small data.
fn full_answers(dir: &Path) -> Vec<(i32, String, String)> {
    answers_with(dir, &["--no-cache"], &u64::MAX.to_string())
}

fn answers_with(dir: &Path, extra: &[&str], min_bytes: &str) -> Vec<(i32, String, String)> {
    answers_to(QUESTIONS, dir, extra, min_bytes)
}

fn answers_to(
    questions: &[&[&str]],
    dir: &Path,
    extra: &[&str],
    min_bytes: &str,
) -> Vec<(i32, String, String)> {
    questions
        .iter()
        .map(|q| {
            let args: Vec<&str> = ["--data", "world"]
                .iter()
                .chain(extra)
                .chain(q.iter())
                .copied()
                .collect();
            let o = run_with(dir, dir, &args, min_bytes);
            (code(&o), stdout(&o), stderr(&o))
        })
        .collect()
}

#[test]
fn warm_answers_are_byte_identical_and_no_cache_bypasses() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(dir.path(), 3000, 5)), 0);
    let cold = full_answers(dir.path());
    let no_cache = answers(dir.path(), &["--no-cache"]);
    assert!(cache_files(dir.path()).is_empty(), "--no-cache writes none");
    assert_eq!(
        no_cache, cold,
        "--no-cache checks large data file by file, in memory"
    );
    assert!(cold[0].1.contains("Allies of RUS"), "{:?}", cold[0]);
    assert_eq!(cold[5].0, 2, "an unknown name is a usage error");
    // Every other kind of question the cache answers, with something in each answer; the
    // last three name nothing.
    let named = QUESTIONS.len() - 3;
    for (q, (code, out, _)) in QUESTIONS.iter().zip(&cold).take(named).skip(7) {
        assert_eq!(*code, 0, "{q:?}");
        assert!(!out.is_empty(), "{q:?}");
    }
    for (code, _, err) in &cold[named..] {
        assert_eq!(*code, 2, "{err}");
    }
    // The empty answers are empty.
    let out = |args: &[&str]| {
        let at = QUESTIONS.iter().position(|q| *q == args).expect("asked");
        cold[at].1.clone()
    };
    assert!(out(&["--format", "json", "diff", "1700", "1701"]).contains(r#""changes": []"#));
    assert!(out(&["statements", "--to", "1700"]).starts_with("Statements up to 1700: 0\n"));
    let first = answers(dir.path(), &[]);
    assert_eq!(cache_files(dir.path()).len(), 1, "the first call writes it");
    let warm = answers(dir.path(), &[]);
    assert_eq!(first, cold);
    assert_eq!(warm, cold);
}

/// Exports of every format, scope and drawing option, and a focus that names nothing.
const EXPORTS: &[&[&str]] = &[
    &["export", "csv", "--all"],
    &[
        "export",
        "json",
        "--all",
        "--kinds",
        "sanction,membership,event",
    ],
    &["export", "graphml", "--on", "2015-06-01"],
    &["export", "dot", "--all"],
    &["export", "dot", "--on", "2015-06-01"],
    &[
        "export",
        "dot",
        "--diff",
        "2010",
        "2012",
        "--each",
        "--no-clusters",
    ],
    &["export", "csv", "--diff", "2010", "2012-06", "--no-hubs"],
    &[
        "export", "graphml", "--all", "--focus", "RUS", "--depth", "2",
    ],
    &[
        "export", "json", "--on", "2019", "--focus", "Poland", "--from", "2018", "--to", "2019",
    ],
    &["export", "dot", "--on", "2019", "--focus", "Narnia"],
    &["export", "csv", "--all", "--focus", "TR-3"],
];

#[test]
fn exports_stream_the_bytes_a_full_load_writes() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(dir.path(), 3000, 13)), 0);
    let full = "18446744073709551615";
    let cold = answers_to(EXPORTS, dir.path(), &["--no-cache"], full);
    for (q, (code, out, err)) in EXPORTS.iter().zip(&cold) {
        if q.contains(&"Narnia") || q.contains(&"TR-3") {
            assert_eq!(*code, 2, "{q:?}");
            assert!(err.contains("error:"), "{q:?}: {err}");
        } else {
            assert_eq!(*code, 0, "{q:?}: {err}");
            assert!(out.lines().count() > 10, "{q:?}: {out}");
        }
    }
    let no_cache = answers_to(EXPORTS, dir.path(), &["--no-cache"], "0");
    assert!(cache_files(dir.path()).is_empty(), "--no-cache writes none");
    assert_eq!(no_cache, cold, "--no-cache: checked and read in memory");
    let first = answers_to(EXPORTS, dir.path(), &[], "0");
    assert_eq!(cache_files(dir.path()).len(), 1, "the first call writes it");
    assert_eq!(first, cold, "the first call: read from the cache it built");
    let warm = answers_to(EXPORTS, dir.path(), &[], "0");
    assert_eq!(warm, cold, "warm: read from the cache file");

    // To a file: the same bytes, and nothing on stdout.
    for (extra, min) in [(&["--no-cache"][..], full), (&[][..], "0")] {
        let out = dir.path().join("out.json");
        let _ = std::fs::remove_file(&out);
        let args: Vec<&str> = ["--data", "world"]
            .iter()
            .chain(extra)
            .chain(&["export", "json", "--all", "-o", "out.json"])
            .copied()
            .collect();
        let o = run_with(dir.path(), dir.path(), &args, min);
        assert_eq!((code(&o), stdout(&o)), (0, String::new()), "{}", stderr(&o));
        let json = std::fs::read_to_string(&out).expect("written");
        let stdout_json = answers_to(&[&["export", "json", "--all"]], dir.path(), extra, min);
        assert_eq!(json, stdout_json[0].1);
    }
}

#[test]
fn a_first_call_that_names_nothing_answers_as_a_full_load_and_still_builds_the_cache() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(dir.path(), 3000, 8)), 0);
    let q = ["--data", "world", "allies", "Narnia", "--on", "2020-01-01"];
    let cold = dipgraph_in(dir.path(), dir.path(), &[&["--no-cache"], &q[..]].concat());
    assert_eq!(code(&cold), 2, "{}", stderr(&cold));
    let first = dipgraph_in(dir.path(), dir.path(), &q);
    assert_eq!(
        (code(&first), stdout(&first), stderr(&first)),
        (code(&cold), stdout(&cold), stderr(&cold))
    );
    assert_eq!(cache_files(dir.path()).len(), 1, "built for the next call");
}

#[test]
fn a_changed_file_makes_the_cache_stale() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(dir.path(), 3000, 6)), 0);
    let q = [
        "--data",
        "world",
        "sanctions",
        "--against",
        "RUS",
        "--on",
        "2020-01-01",
    ];
    let before = dipgraph_in(dir.path(), dir.path(), &q);
    assert_eq!(code(&before), 0);
    let _ = dipgraph_in(dir.path(), dir.path(), &q);
    // A new sanction, same size class: a different file size.
    let file = dir.path().join("world/sanctions/0001.ron");
    let added = prepend(
        &file,
        "Sanction(id: \"sa-new\", by: \"USA\", against: [\"RUS\"], measures: [TravelBan], from: \"2019-05-05\", sources: [Source(title: \"t\", url: \"https://example.org\")])",
    );
    let after = dipgraph_in(dir.path(), dir.path(), &q);
    assert!(
        stdout(&after).contains("sa-new"),
        "a grown file is read anew"
    );
    let cold = dipgraph_in(
        dir.path(),
        dir.path(),
        &["--no-cache", q[0], q[1], q[2], q[3], q[4], q[5], q[6]],
    );
    assert_eq!(stdout(&after), stdout(&cold));

    // Same size, new time: replace the new sanction's target, keeping the length.
    let swapped = added.replacen(
        "against: [\"RUS\"], measures: [TravelBan]",
        "against: [\"CHN\"], measures: [TravelBan]",
        1,
    );
    assert_eq!(swapped.len(), added.len());
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&file, &swapped).expect("write");
    let mtime = std::fs::metadata(&file)
        .expect("meta")
        .modified()
        .expect("mtime");
    let later = mtime + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .and_then(|f| f.set_modified(later))
        .expect("touch");
    let touched = dipgraph_in(dir.path(), dir.path(), &q);
    assert!(
        !stdout(&touched).contains("sa-new"),
        "a touched file is read anew"
    );
    assert!(stdout(&before) != stdout(&after));
}

#[test]
fn a_torn_or_corrupted_cache_is_rebuilt_and_answers_stay_the_same() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(dir.path(), 3000, 7)), 0);
    let cold = full_answers(dir.path());
    let _ = answers(dir.path(), &[]);
    let path = cache_files(dir.path()).pop().expect("a cache");
    let good = std::fs::read(&path).expect("read");

    // Torn: cut short.
    std::fs::write(&path, &good[..good.len() / 2]).expect("write");
    assert_eq!(answers(dir.path(), &[]), cold);
    assert_eq!(
        std::fs::read(&path).expect("read").len(),
        good.len(),
        "rebuilt"
    );

    // Corrupted: bytes flipped all over the file, one place at a time.
    for k in 1..8 {
        let mut bad = good.clone();
        let at = good.len() * k / 8;
        bad[at] ^= 0x5a;
        std::fs::write(&path, &bad).expect("write");
        assert_eq!(answers(dir.path(), &[]), cold, "flipped byte {at}");
    }
    // Garbage of the right size.
    std::fs::write(&path, vec![7u8; good.len()]).expect("write");
    assert_eq!(answers(dir.path(), &[]), cold);
    assert_eq!(
        std::fs::read(&path).expect("read"),
        good,
        "rebuilt as it was"
    );
}

/// Runs dipgraph with `args` in `dir` (with `envs`), reads the first 100 bytes of its answer
/// and closes the pipe: the call's output, and those bytes. The whole answer, run first, must
/// be far more than a pipe holds, so that the pipe is closed mid-answer.
fn closed_after_100_bytes(dir: &Path, args: &[&str], envs: &[(&str, &Path)]) -> (Output, Vec<u8>) {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dipgraph"));
    child
        .args(args)
        .current_dir(dir)
        .env("DIPGRAPH_TODAY", "2021-03-15")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        child.env(k, v);
    }
    let mut child = child.spawn().expect("dipgraph runs");
    let mut head = vec![0u8; 100];
    let mut out = child.stdout.take().expect("stdout");
    out.read_exact(&mut head).expect("the answer starts");
    drop(out);
    (child.wait_with_output().expect("ends"), head)
}

#[test]
fn a_large_answer_is_written_as_it_is_made_and_a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(dir.path(), 3000, 9)), 0);
    let args = ["--data", "world", "--no-cache", "statements"];
    let whole = dipgraph_in(dir.path(), dir.path(), &args);
    assert_eq!(code(&whole), 0, "{}", stderr(&whole));
    // Far more than a pipe holds, so the reader below closes it mid-answer.
    assert!(whole.stdout.len() > 1 << 18, "{} bytes", whole.stdout.len());
    let (done, head) = closed_after_100_bytes(dir.path(), &args, &[]);
    assert!(done.status.success(), "{:?}", done.status);
    assert_eq!(stderr(&done), "");
    assert_eq!(&head[..], &whole.stdout[..100]);
}

#[test]
fn an_export_closed_mid_way_ends_quietly_in_every_format() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(dir.path(), 3000, 14)), 0);
    let cache = dir.path().join("cache");
    for format in ["csv", "json", "dot", "graphml"] {
        let args = ["--data", "world", "export", format, "--all"];
        let whole = dipgraph_in(dir.path(), dir.path(), &args);
        assert_eq!(code(&whole), 0, "{}", stderr(&whole));
        // Far more than a pipe holds, so the reader below closes it mid-answer.
        assert!(
            whole.stdout.len() > 1 << 18,
            "{format}: {}",
            whole.stdout.len()
        );
        let envs = [
            ("DIPGRAPH_CACHE_DIR", cache.as_path()),
            ("DIPGRAPH_CACHE_MIN_BYTES", Path::new("0")),
        ];
        let (done, head) = closed_after_100_bytes(dir.path(), &args, &envs);
        assert!(done.status.success(), "{format}: {:?}", done.status);
        assert_eq!(stderr(&done), "", "{format}");
        assert_eq!(&head[..], &whole.stdout[..100], "{format}");
    }
}

#[test]
fn a_warning_is_shown_by_validate_whether_or_not_the_data_is_cached() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(dir.path(), 3000, 12)), 0);
    let clean = dipgraph_in(dir.path(), dir.path(), &["--data", "world", "validate"]);
    assert_eq!(code(&clean), 0);
    assert_contains(&stdout(&clean), ": 0 errors, 0 warnings");
    assert_eq!(
        cache_files(dir.path()).len(),
        1,
        "validate builds the cache of clean data"
    );
    // A sanction without sources: a warning, not an error; the data is still cached.
    prepend(
        &dir.path().join("world/sanctions/0001.ron"),
        "Sanction(id: \"sa-new\", by: \"USA\", against: [\"RUS\"], measures: [TravelBan], from: \"2019-05-05\")",
    );
    let cold = dipgraph_in(
        dir.path(),
        dir.path(),
        &["--data", "world", "--no-cache", "validate"],
    );
    assert_eq!(code(&cold), 0);
    assert_contains(&stdout(&cold), ": 0 errors, 1 warning");
    assert_contains(&stderr(&cold), "sa-new");
    let q = ["--data", "world", "sanctions", "--against", "RUS"];
    assert_eq!(code(&dipgraph_in(dir.path(), dir.path(), &q)), 0);
    assert_eq!(
        cache_files(dir.path()).len(),
        1,
        "written on the first call, warnings and all"
    );
    for _ in 0..2 {
        let warm = dipgraph_in(dir.path(), dir.path(), &["--data", "world", "validate"]);
        assert_eq!(
            (code(&warm), stdout(&warm), stderr(&warm)),
            (code(&cold), stdout(&cold), stderr(&cold))
        );
        let stats = dipgraph_in(dir.path(), dir.path(), &["--data", "world", "stats"]);
        let stats_cold = dipgraph_in(
            dir.path(),
            dir.path(),
            &["--data", "world", "--no-cache", "stats"],
        );
        assert_eq!(stdout(&stats), stdout(&stats_cold));
    }
}

#[test]
fn a_cache_that_cannot_be_written_is_said_and_the_answer_stands() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(dir.path(), 3000, 13)), 0);
    // The cache folder would be inside a file: it cannot be made.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "not a folder").expect("write");
    let q = [
        "--data",
        "world",
        "sanctions",
        "--against",
        "RUS",
        "--on",
        "2020",
    ];
    let full = run_with(dir.path(), dir.path(), &q, &u64::MAX.to_string());
    let o = run_with(dir.path(), &blocker, &q, "0");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), stdout(&full));
    assert_contains(&stderr(&o), "warning: cannot write the cache");
    assert_contains(&stderr(&o), "DIPGRAPH_CACHE_DIR");
}

#[test]
fn an_error_brought_into_cached_data_stops_questions_as_a_full_load_does() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(dir.path(), 3000, 14)), 0);
    let q = ["--data", "world", "timeline", "UKR", "--from", "2019"];
    assert_eq!(code(&dipgraph_in(dir.path(), dir.path(), &q)), 0);
    assert_eq!(cache_files(dir.path()).len(), 1, "cached while clean");
    prepend(
        &dir.path().join("world/sanctions/0001.ron"),
        "Sanction(id: \"sa-bad\", by: \"USA\", against: [\"RUSS\"], measures: [TravelBan], from: \"2019-05-05\", sources: [Source(title: \"t\", url: \"https://example.org\")])",
    );
    let full = run_with(dir.path(), dir.path(), &q, &u64::MAX.to_string());
    assert_eq!(code(&full), 1);
    assert_contains(&stderr(&full), "RUSS");
    for extra in [&[][..], &["--no-cache"][..]] {
        let args: Vec<&str> = extra.iter().chain(&q).copied().collect();
        let o = dipgraph_in(dir.path(), dir.path(), &args);
        assert_eq!(
            (code(&o), stdout(&o), stderr(&o)),
            (code(&full), stdout(&full), stderr(&full)),
            "{extra:?}"
        );
    }
}

/// Saved queries of every kind, with expectations that name entity and fact ids (in another
/// case than the data's), and questions that stand on "today".
const SAVED: &[(&str, &str)] = &[
    (
        "a-show.ron",
        r#"Query(title: "Belarus in 2015", ask: Show(id: "BLR", on: "2015"))"#,
    ),
    (
        "b-show-fact.ron",
        r#"Query(title: "A treaty", ask: Show(id: "TR-0"), expect: Excludes(["TR-1"]))"#,
    ),
    (
        "c-allies.ron",
        r#"Query(title: "Allies of Russia today", ask: Allies(of: "russia"), expect: Excludes(["USA"]))"#,
    ),
    (
        "d-sanctions.ron",
        r#"Query(
    title: "Sanctions against Russia and those tied to it",
    ask: Sanctions(against: "RUS", tied: true, on: "2019-03"),
    expect: All([Includes(["SA-1"]), Excludes(["st-5", "BLR"])]),
)"#,
    ),
    (
        "e-sanctions-by.ron",
        r#"Query(title: "By the United States", ask: Sanctions(by: "USA", members: true))"#,
    ),
    (
        "f-relations.ron",
        r#"Query(title: "Russia and Belarus", ask: Relations(a: "RUS", b: "BLR", from: "2000"))"#,
    ),
    (
        "g-timeline.ron",
        r#"Query(title: "The United States", ask: Timeline(of: "usa", from: "2000", to: "2010-06"), expect: Count(3))"#,
    ),
    (
        "h-statements.ron",
        r#"Query(title: "Said for Russia", ask: Statements(by: "RUS", roles: true, from: "2015"))"#,
    ),
    (
        "i-statements.ron",
        r#"Query(title: "Said of Belarus", ask: Statements(about: "BLR", to: "2001-02"))"#,
    ),
    (
        "j-path.ron",
        r#"Query(title: "A chain", ask: Path(a: "oskar-varvar", b: "BLR", on: "2010-05-01"), expect: Count(1))"#,
    ),
    (
        "k-path.ron",
        r#"Query(title: "Treaties today", ask: Path(a: "RUS", b: "USA", kinds: ["treaty", "membership"], max_hops: 3))"#,
    ),
    (
        "l-diff.ron",
        r#"Query(title: "Around the US", ask: Diff(from: "2014", to: "2015", around: "USA"))"#,
    ),
    (
        "m-diff.ron",
        r#"Query(title: "Three years", ask: Diff(from: "2000-03-01", to: "2003"), expect: Includes(["MB-2"]))"#,
    ),
];

/// Saved query files with problems: a syntax error, names that name nothing or a fact where
/// an entity is wanted, a bad date, an expected id that names nothing; and good ones beside.
const BROKEN: &[(&str, &str)] = &[
    (
        "a-syntax.ron",
        r#"Query(title: "Cut", ask: Allies(of: "RUS", on: "2020")"#,
    ),
    (
        "b-names.ron",
        r#"Query(title: "Typos", ask: Relations(a: "Belarsu", b: "tr-1", from: "2020-13"), expect: Includes(["st-7", "RSU"]))"#,
    ),
    (
        "c-good.ron",
        r#"Query(title: "Fine", ask: Timeline(of: "BLR", from: "2010"), expect: Excludes(["ev-3"]))"#,
    ),
    (
        "d-fact.ron",
        r#"Query(title: "A fact for an entity", ask: Allies(of: "SA-2", on: "2010"))"#,
    ),
];

fn write_queries(dir: &Path, queries: &[(&str, &str)]) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for (name, text) in queries {
        std::fs::write(dir.join(name), text).expect("write");
    }
}

/// `query` and `check` on saved queries of every kind, and on broken ones.
const SAVED_CALLS: &[&[&str]] = &[
    &["query", "saved"],
    &["--format", "json", "query", "saved"],
    &[
        "--format",
        "csv",
        "query",
        "saved/d-sanctions.ron",
        "saved/j-path.ron",
    ],
    &["check", "--queries", "saved"],
    &["--format", "json", "check", "--queries", "saved"],
    &["query", "broken"],
    &["--format", "json", "check", "--queries", "broken"],
    &["query", "saved/c-allies.ron", "missing.ron"],
];

#[test]
fn saved_queries_pick_from_the_cache_and_answer_as_a_full_load() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(dir.path(), 3000, 5)), 0);
    write_queries(&dir.path().join("saved"), SAVED);
    write_queries(&dir.path().join("broken"), BROKEN);
    let full = "18446744073709551615";
    let cold = answers_to(SAVED_CALLS, dir.path(), &["--no-cache"], full);
    // The answers are there, every one of them, in full.
    let (code0, all, _) = &cold[0];
    assert_eq!(*code0, 1, "some expectations fail");
    for (name, _) in SAVED {
        assert!(all.contains(&format!("saved/{name}")), "{name}: {all}");
    }
    assert!(all.lines().count() > 300, "{all}");
    assert!(all.contains("expect Excludes([\"tr-1\"]): ok"), "{all}");
    let (_, check, _) = &cold[3];
    assert!(
        check.contains(" passed, ") && check.contains("FAILED"),
        "{check}"
    );
    for (q, (code, out, err)) in SAVED_CALLS.iter().zip(&cold).skip(5) {
        assert!(*code > 0 && out.is_empty(), "{q:?}: {out}");
        assert!(err.contains("error"), "{q:?}: {err}");
    }
    assert!(cold[5].2.contains("Belarsu") && cold[5].2.contains("is a fact"));
    let no_cache = answers_to(SAVED_CALLS, dir.path(), &["--no-cache"], "0");
    assert!(cache_files(dir.path()).is_empty(), "--no-cache writes none");
    assert_eq!(
        no_cache, cold,
        "--no-cache: picked from the check in memory"
    );
    // Each a first call: the cache built and written by it.
    for (q, expected) in SAVED_CALLS.iter().zip(&cold) {
        let _ = std::fs::remove_dir_all(dir.path().join("cache"));
        let first = answers_to(&[q], dir.path(), &[], "0");
        assert_eq!(&first[0], expected, "first call: {q:?}");
        assert_eq!(cache_files(dir.path()).len(), 1, "{q:?} writes it");
    }
    let warm = answers_to(SAVED_CALLS, dir.path(), &[], "0");
    assert_eq!(warm, cold, "warm: picked from the cache file");
}
