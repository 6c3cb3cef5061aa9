//! Data with problems, checked file by file as large data is (`DIPGRAPH_CACHE_MIN_BYTES=0`)
//! and loaded in full: randomly broken synthetic worlds, and `validate` in every format and
//! the questions print the same bytes and exit with the same status either way, first call,
//! warm call and `--no-cache` alike.

use std::path::{Path, PathBuf};

use crate::scale::{run_with, synth};
use crate::support::code;

/// A small generator: the same worlds on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// The data files under `root`, in load order.
fn data_files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    out.sort();
    out
}

fn is_entities(p: &Path) -> bool {
    p.parent().is_some_and(|d| d.ends_with("entities"))
}

/// A record's line: synth writes one record a line, indented.
fn is_record(line: &str) -> bool {
    line.starts_with("    ") && line[4..].starts_with(|c: char| c.is_ascii_uppercase())
}

/// Splits every facts file of `root` into three, so that each kind of fact spans files.
fn split_files(root: &Path) {
    for path in data_files(root).into_iter().filter(|p| !is_entities(p)) {
        let text = std::fs::read_to_string(&path).expect("read");
        let records: Vec<&str> = text.lines().filter(|l| is_record(l)).collect();
        let third = records.len().div_ceil(3);
        for (k, chunk) in records.chunks(third.max(1)).enumerate() {
            let body: String = chunk.iter().map(|l| format!("{l}\n")).collect();
            let name = path.with_file_name(format!("000{}.ron", k + 1));
            std::fs::write(name, format!("[\n{body}]\n")).expect("write");
        }
    }
}

/// The text of `key: "..."` in `line`: the range inside the quotes.
fn quoted(line: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let at = line.find(&format!("{key}\""))? + key.len() + 1;
    let end = at + line[at..].find('"')?;
    Some(at..end)
}

/// A world under change: its files, and what was done to them.
struct World {
    root: PathBuf,
    files: Vec<PathBuf>,
    done: Vec<String>,
}

impl World {
    fn lines(&self, file: &Path) -> Vec<String> {
        let text = std::fs::read(file).expect("read");
        String::from_utf8_lossy(&text)
            .lines()
            .map(String::from)
            .collect()
    }

    fn write(&self, file: &Path, lines: &[String]) {
        std::fs::write(file, lines.join("\n") + "\n").expect("write");
    }

    /// A record line of a file that `file` accepts, for which `pick` says something: tried
    /// a hundred times at most.
    fn pick(
        &self,
        rng: &mut Rng,
        file: impl Fn(&Path) -> bool,
        pick: impl Fn(&str) -> bool,
    ) -> Option<(PathBuf, Vec<String>, usize)> {
        let files: Vec<&PathBuf> = self.files.iter().filter(|p| file(p)).collect();
        for _ in 0..100 {
            let f = files.get(rng.below(files.len()))?;
            let lines = self.lines(f);
            let n = rng.below(lines.len());
            if is_record(&lines[n]) && pick(&lines[n]) {
                return Some(((*f).clone(), lines, n));
            }
        }
        None
    }

    /// Changes line `n` of `file` with `change`, noting `what`.
    fn change(
        &mut self,
        what: &str,
        (file, mut lines, n): (PathBuf, Vec<String>, usize),
        change: impl FnOnce(&str) -> String,
    ) {
        lines[n] = change(&lines[n]);
        self.write(&file, &lines);
        self.note(&format!("{what}, line {}", n + 1), &file);
    }

    /// Notes `what` was done to `file`.
    fn note(&mut self, what: &str, file: &Path) {
        let rel = file.strip_prefix(&self.root).unwrap_or(file).display();
        self.done.push(format!("{rel}: {what}"));
    }

    /// The id of a random record (an entity's when `entity`).
    fn some_id(&self, rng: &mut Rng, entity: bool) -> Option<String> {
        let (_, lines, n) =
            self.pick(rng, |p| is_entities(p) == entity, |l| l.contains("id: \""))?;
        quoted(&lines[n], "id: ").map(|r| lines[n][r].to_string())
    }

    /// Makes one problem of kind `k` (warnings are kinds 0 and 1), if the world has a place
    /// for it.
    fn break_one(&mut self, rng: &mut Rng, k: usize) {
        let facts = |p: &Path| !is_entities(p);
        let replace = |range: std::ops::Range<usize>, with: String| {
            move |l: &str| format!("{}{with}{}", &l[..range.start], &l[range.end..])
        };
        match k {
            0 => {
                if let Some(at) = self.pick(rng, facts, |l| l.contains("sources: [")) {
                    let start = at.1[at.2].find("sources: [").expect("found");
                    let end = at.1[at.2].len() - "),".len();
                    self.change("no source", at, replace(start..end, "sources: []".into()));
                }
            }
            1 => {
                let file = self.files[rng.below(self.files.len())].clone();
                std::fs::write(&file, "// emptied\n").expect("write");
                self.note("emptied", &file);
            }
            2 => {
                if let Some(at) = self.pick(rng, |_| true, |l| l.contains("\", ")) {
                    self.change("a comma dropped", at, |l| l.replacen("\", ", "\" ", 1));
                }
            }
            3 => {
                let key = ["by: ", "member: ", "person: ", "state: ", "of: "][rng.below(5)];
                if let Some(at) = self.pick(rng, facts, |l| quoted(l, key).is_some()) {
                    let r = quoted(&at.1[at.2], key).expect("found");
                    let id = format!("{}x", &at.1[at.2][r.clone()]);
                    self.change("an unknown reference", at, replace(r, id));
                }
            }
            4 => {
                let key = ["against: [", "involves: [", "about: ["][rng.below(3)];
                if let Some(at) = self.pick(rng, facts, |l| quoted(l, key).is_some()) {
                    let r = quoted(&at.1[at.2], key).expect("found");
                    let id = format!("{}y", &at.1[at.2][r.clone()]);
                    self.change("an unknown item", at, replace(r, id));
                }
            }
            5..=7 => {
                let Some(other) = self.some_id(rng, k == 7) else {
                    return;
                };
                let other = if k == 6 { other.to_uppercase() } else { other };
                if let Some(at) = self.pick(rng, facts, |l| quoted(l, "id: ").is_some()) {
                    let r = quoted(&at.1[at.2], "id: ").expect("found");
                    self.change(&format!("the id `{other}`"), at, replace(r, other));
                }
            }
            8 => {
                let Some(fact) = self.some_id(rng, false) else {
                    return;
                };
                if let Some(at) = self.pick(rng, facts, |l| quoted(l, "by: ").is_some()) {
                    let r = quoted(&at.1[at.2], "by: ").expect("found");
                    self.change(&format!("by the fact `{fact}`"), at, replace(r, fact));
                }
            }
            9 => {
                // Where a date's month starts with a zero.
                let date = |l: &str| {
                    l.match_indices(": \"").map(|(i, _)| i + 3).find(|&i| {
                        l.as_bytes().get(i..i + 7).is_some_and(|b| {
                            b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5] == b'0'
                        })
                    })
                };
                if let Some(at) = self.pick(rng, |_| true, |l| date(l).is_some()) {
                    let i = date(&at.1[at.2]).expect("found") + 5;
                    self.change(
                        "a month without its zero",
                        at,
                        replace(i..i + 1, String::new()),
                    );
                }
            }
            10 => {
                if let Some(at) = self.pick(rng, facts, |l| l.contains("sources: [")) {
                    self.change("an end before the start", at, |l| {
                        l.replacen("sources: [", "until: \"1800\", sources: [", 1)
                    });
                }
            }
            11 => {
                if let Some(at) = self.pick(rng, facts, |l| l.contains("sources: [")) {
                    self.change("an unknown field", at, |l| {
                        l.replacen("sources:", "sourcse:", 1)
                    });
                }
            }
            12 => {
                if let Some((file, mut lines, n)) = self.pick(rng, is_entities, |_| true) {
                    let gone = lines.remove(n);
                    self.write(&file, &lines);
                    self.note(&format!("removed {}", gone.trim()), &file);
                }
            }
            13 => {
                if let Some((file, mut lines, n)) = self.pick(rng, is_entities, |_| true) {
                    let again = lines[n].clone();
                    lines.insert(n + 1, again);
                    self.write(&file, &lines);
                    self.note(&format!("repeated {}", lines[n].trim()), &file);
                }
            }
            14 => {
                if let Some((file, lines, n)) = self.pick(rng, |_| true, |l| l.contains('e')) {
                    let mut bytes = Vec::new();
                    for (i, l) in lines.iter().enumerate() {
                        let l = if i == n {
                            l.replacen('e', "\u{1}", 1)
                        } else {
                            l.clone()
                        };
                        bytes.extend(l.bytes().map(|b| if b == 1 { 0x9a } else { b }));
                        bytes.push(b'\n');
                    }
                    std::fs::write(&file, bytes).expect("write");
                    self.note(&format!("a byte not UTF-8, line {}", n + 1), &file);
                }
            }
            15 => {
                let Some(fact) = self.some_id(rng, false) else {
                    return;
                };
                if let Some(at) = self.pick(rng, facts, |l| quoted(l, "about: [").is_some()) {
                    let r = quoted(&at.1[at.2], "about: [").expect("found");
                    let near = format!("{fact}z");
                    self.change("about a fact misspelt", at, replace(r, near));
                }
            }
            16 => {
                if let Some(at) = self.pick(rng, facts, |l| l.contains("Party(state: ")) {
                    self.change("a party too early", at, |l| {
                        l.replacen("Party(state: ", "Party(from: \"1800\", state: ", 1)
                    });
                }
            }
            17 => {
                if let Some(at) = self.pick(rng, facts, |l| {
                    quoted(l, "by: ").is_some() && quoted(l, "against: [").is_some()
                }) {
                    let line = &at.1[at.2];
                    let by = line[quoted(line, "by: ").expect("found")].to_string();
                    let r = quoted(line, "against: [").expect("found");
                    self.change("a sanction of itself", at, replace(r, by));
                }
            }
            _ => {
                if let Some(at) = self.pick(rng, is_entities, |l| l.starts_with("    State(id: \""))
                {
                    self.change("a state id in lower case", at, |l| {
                        let r = quoted(l, "id: ").expect("found");
                        format!(
                            "{}{}{}",
                            &l[..r.start],
                            l[r.clone()].to_lowercase(),
                            &l[r.end..]
                        )
                    });
                }
            }
        }
    }
}

/// Every problem of a full load of `root`, in order.
fn full_problems(root: &Path) -> Vec<dipgraph::diag::Diagnostic> {
    let loaded = dipgraph::load::load(&dipgraph::load::DataSource::Path(root.to_path_buf()));
    let mut all = loaded.diagnostics;
    all.extend(dipgraph::validate::check(&loaded.dataset));
    dipgraph::diag::sort(&mut all);
    all
}

/// What every call printed, and its exit code.
type Said = Vec<(String, i32, Vec<u8>, Vec<u8>)>;

/// The commands compared: `validate` in every format, and questions (`stats` asks the
/// cache's summary first; `query` needs every record).
const CALLS: &[&[&str]] = &[
    &["validate"],
    &["--format", "json", "validate"],
    &["--format", "csv", "validate"],
    &["allies", "UKR", "--on", "2020-01-01"],
    &["stats"],
    &["query", "allies.ron", "sanctions.ron", "timeline.ron"],
];

/// Saved queries for `query`, which needs every record: written beside the world.
const SAVED: &[(&str, &str)] = &[
    (
        "allies.ron",
        r#"Query(title: "Allies", ask: Allies(of: "UKR", on: "2010-06"))"#,
    ),
    (
        "sanctions.ron",
        r#"Query(title: "Sanctions", ask: Sanctions(against: "RUS", on: "2015"))"#,
    ),
    (
        "timeline.ron",
        r#"Query(title: "Timeline", ask: Timeline(of: "RUS", from: "2012"))"#,
    ),
];

/// The calls made again after [`CALLS`], checked file by file: warm where the first calls
/// built the cache (data without errors), and without the cache.
const AGAIN: &[&[&str]] = &[
    &["validate"],
    &["allies", "UKR", "--on", "2020-01-01"],
    &["--no-cache", "validate"],
    &[
        "--no-cache",
        "query",
        "allies.ron",
        "sanctions.ron",
        "timeline.ron",
    ],
];

/// Each of `calls` on `dir/world`, checked file by file (`min_bytes` 0) or loaded in full.
fn said(dir: &Path, calls: &[&[&str]], file_by_file: bool) -> Said {
    let (extra, min_bytes) = if file_by_file {
        (&[][..], "0".to_string())
    } else {
        (&["--no-cache"][..], u64::MAX.to_string())
    };
    calls
        .iter()
        .map(|call| {
            let args: Vec<&str> = ["--data", "world"]
                .iter()
                .chain(extra)
                .chain(call.iter())
                .copied()
                .collect();
            let o = run_with(dir, dir, &args, &min_bytes);
            (call.join(" "), code(&o), o.stdout, o.stderr)
        })
        .collect()
}

#[test]
fn broken_worlds_are_reported_file_by_file_as_a_full_load_reports_them() {
    let base = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(base.path(), 1500, 21)), 0);
    split_files(&base.path().join("world"));
    let mut rng = Rng(2024);
    let (mut failing, mut warned) = (0, 0);
    for round in 0..28 {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().join("world");
        for f in data_files(&base.path().join("world")) {
            let rel = f.strip_prefix(base.path()).expect("inside");
            let to = dir.path().join(rel);
            std::fs::create_dir_all(to.parent().expect("a folder")).expect("mkdir");
            std::fs::copy(&f, to).expect("copy");
        }
        for (name, text) in SAVED {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        let mut world = World {
            files: data_files(&root),
            root,
            done: Vec::new(),
        };
        // One round in four has warnings only; the others up to four problems of any kind.
        let warnings_only = round % 4 == 3;
        for _ in 0..=rng.below(4) {
            let k = if warnings_only {
                rng.below(2)
            } else {
                rng.below(19)
            };
            world.break_one(&mut rng, k);
        }
        // The check file by file found it all itself, without falling back to a full load.
        let key = dipgraph::cache::Key::of(&world.root).expect("a key");
        let examined = dipgraph::cache::build::examine(&key, 2, &|_| {});
        let found = examined.map(|o| o.problems.diagnostics);
        assert_eq!(
            found,
            Some(full_problems(&world.root)),
            "round {round}: {:?}",
            world.done
        );
        let full = said(dir.path(), CALLS, false);
        let checked = said(dir.path(), CALLS, true);
        let again = said(dir.path(), AGAIN, true);
        let full_again = [&full[0], &full[3], &full[0], &full[5]];
        let pairs = full
            .iter()
            .zip(&checked)
            .chain(full_again.into_iter().zip(&again));
        for (f, l) in pairs {
            assert!(
                f.1 == l.1 && f.2 == l.2 && f.3 == l.3,
                "round {round}, `{}` after {:?}:\nfull load ({}):\n{}{}\nfile by file ({}):\n{}{}",
                l.0,
                world.done,
                f.1,
                String::from_utf8_lossy(&f.2),
                String::from_utf8_lossy(&f.3),
                l.1,
                String::from_utf8_lossy(&l.2),
                String::from_utf8_lossy(&l.3),
            );
        }
        match full[0].1 {
            1 => failing += 1,
            _ if !full[0].3.is_empty() => warned += 1,
            _ => {}
        }
    }
    // The worlds were broken: most fail, and some have warnings only.
    assert!(failing >= 15, "{failing} worlds with errors");
    assert!(warned >= 3, "{warned} worlds with warnings only");
}

#[test]
fn a_command_that_needs_every_record_says_once_that_the_cache_cannot_be_written() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&synth(dir.path(), 1500, 22)), 0);
    // The cache folder would be inside a file: it cannot be made.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "not a folder").expect("write");
    // `check` checks the data file by file (that would write the cache), then loads it all.
    let o = run_with(dir.path(), &blocker, &["--data", "world", "check"], "0");
    let err = crate::support::stderr(&o);
    assert_eq!(
        err.matches("warning: cannot write the cache").count(),
        1,
        "{err}"
    );
    let full = run_with(
        dir.path(),
        dir.path(),
        &["--data", "world", "--no-cache", "check"],
        &u64::MAX.to_string(),
    );
    assert_eq!((code(&o), &o.stdout), (code(&full), &full.stdout));
}
