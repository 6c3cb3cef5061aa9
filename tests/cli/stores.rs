//! The same questions over both stores: a dataset loaded whole (`MemoryStore`) and the cache
//! built file by file from the same files and read in place (`CacheFile`) must give the same
//! answers, byte for byte, in JSON, as a table and as CSV, on the bundled world and on a
//! synthetic one, for questions of every kind drawn at random.

use std::path::Path;

use dipgraph::cache::{CacheFile, Key, build};
use dipgraph::graph::LinkKind;
use dipgraph::graph::path::PathOptions;
use dipgraph::load::{self, DataSource};
use dipgraph::model::{Date, Target};
use dipgraph::query::ask::{self, AnswerFacts, Ask, Name, Resolved};
use dipgraph::render::{csv, json, table, views};
use dipgraph::store::{MemoryStore, Store};

use super::support::{code, run};

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

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A date from 1950 to 2025, of day, month or year precision.
    fn date(&mut self) -> Date {
        let y = 1950 + self.below(76);
        let text = match self.below(10) {
            0..=5 => format!("{y}-{:02}-{:02}", 1 + self.below(12), 1 + self.below(28)),
            6..=8 => format!("{y}-{:02}", 1 + self.below(12)),
            _ => format!("{y}"),
        };
        Date::parse(&text).expect("a date")
    }

    fn maybe_date(&mut self) -> Option<Date> {
        self.chance(50).then(|| self.date())
    }
}

/// A question of every kind, in turn, about entities and facts of `store`.
fn question(store: &dyn Store, n: usize, r: &mut Draw) -> Ask {
    let entities = store.entities().len();
    let entity = |r: &mut Draw| Name::Resolved(Target::Entity(r.below(entities)));
    match n % 8 {
        0 => Ask::Show {
            id: if r.chance(30) && store.fact_count() > 0 {
                Name::Resolved(Target::Fact(r.below(store.fact_count())))
            } else {
                entity(r)
            },
            on: r.maybe_date(),
        },
        1 => Ask::Allies {
            of: entity(r),
            on: Some(r.date()),
        },
        2 => Ask::Sanctions {
            against: r.chance(70).then(|| entity(r)),
            tied: r.chance(50),
            by: r.chance(30).then(|| entity(r)),
            members: r.chance(50),
            on: Some(r.date()),
        },
        3 => {
            let a = entity(r);
            let mut b = entity(r);
            while b == a && entities > 1 {
                b = entity(r);
            }
            Ask::Relations {
                a,
                b,
                from: r.maybe_date(),
                to: None,
            }
        }
        4 => Ask::Timeline {
            of: entity(r),
            from: r.maybe_date(),
            to: None,
        },
        5 => Ask::Statements {
            by: r.chance(60).then(|| entity(r)),
            about: r.chance(50).then(|| entity(r)),
            from: r.maybe_date(),
            to: None,
            roles: r.chance(50),
        },
        6 => {
            let kinds = (0..r.below(3))
                .map(|_| LinkKind::ALL[r.below(LinkKind::ALL.len())])
                .collect();
            Ask::Path {
                a: entity(r),
                b: entity(r),
                on: Some(r.date()),
                options: PathOptions {
                    kinds,
                    max_hops: 1 + r.below(4),
                    limit: 3,
                },
            }
        }
        _ => {
            let (a, b) = (r.date(), r.date());
            let (from, to) = if a.first() <= b.first() {
                (a, b)
            } else {
                (b, a)
            };
            Ask::Diff {
                from,
                to,
                around: r.chance(60).then(|| entity(r)),
            }
        }
    }
}

/// The answer to `ask` from `store`: JSON, table and CSV.
fn answered(store: &dyn Store, ask: &Resolved) -> [Vec<u8>; 3] {
    let today = Date::parse("2021-03-15").expect("a date");
    let facts = AnswerFacts::read(store, ask).expect("reads");
    let answer = ask::answer(store, &facts, ask, today).expect("reads");
    let on = ask.ask().on();
    let heading = views::heading(ask.ask(), store, &answer, on);
    let doc = |layout| views::answer(heading.as_deref(), &answer, on, layout);
    let mut out = [Vec::new(), Vec::new(), Vec::new()];
    json::write_json(
        &mut out[0],
        answer.command(),
        on,
        &answer,
        Default::default(),
    )
    .expect("JSON");
    table::write_text(&doc(views::Layout::Table), &mut out[1]).expect("table");
    csv::write_csv(&doc(views::Layout::Csv), csv::Cells::Raw, &mut out[2]).expect("CSV");
    // CSV laid out for a table (its sources numbered first) holds the same values.
    let mut measured = Vec::new();
    csv::write_csv(&doc(views::Layout::Table), csv::Cells::Raw, &mut measured).expect("CSV");
    assert!(measured == out[2], "CSV of either layout");
    out
}

/// Asks `count` random questions of the data at `root` from both stores and compares.
fn same_answers(root: &Path, count: usize, seed: u64) {
    let loaded = load::load(&DataSource::Path(root.to_path_buf()));
    assert!(
        loaded
            .diagnostics
            .iter()
            .all(|d| d.severity() != dipgraph::diag::Severity::Error),
        "the world loads without errors"
    );
    let memory = MemoryStore::new(loaded.dataset, loaded.diagnostics.is_empty());
    let key = Key::of(root).expect("a key");
    let checked = build::examine(&key, 2, &|_| {})
        .expect("examined")
        .checked
        .expect("no errors");
    let cache = checked
        .cache_at(&key, build::Place::Memory)
        .expect("laid out");
    // And the same bytes read back from a file, mapped.
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("c.dgcache");
    cache.write(&path).expect("written");
    let file = CacheFile::open(&path, &key).expect("opens");
    assert_eq!(memory.fact_count(), file.fact_count());
    let mut r = Draw(seed);
    let mut nonempty = 0;
    for n in 0..count {
        let q = Resolved::new(question(&memory, n, &mut r)).expect("resolved");
        let expected = answered(&memory, &q);
        nonempty += usize::from(expected[0].len() > 200);
        for (name, store) in [("built", &cache as &dyn Store), ("file", &file)] {
            let got = answered(store, &q);
            for (k, what) in ["JSON", "table", "CSV"].iter().enumerate() {
                assert!(
                    got[k] == expected[k],
                    "{name} cache, {what}, question {n}: {q:?}\n--- memory\n{}\n--- cache\n{}",
                    String::from_utf8_lossy(&expected[k]),
                    String::from_utf8_lossy(&got[k])
                );
            }
        }
    }
    assert!(
        nonempty > count / 4,
        "most questions find something: {nonempty}"
    );
}

#[test]
fn the_bundled_world_answers_alike_from_memory_and_from_its_cache() {
    let graph = Path::new(env!("CARGO_MANIFEST_DIR")).join("graph");
    same_answers(&graph, 800, 7);
}

#[test]
fn a_synthetic_world_answers_alike_from_memory_and_from_its_cache() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = run(
        dir.path(),
        &["synth", "--facts", "20000", "--seed", "5", "--out", "world"],
    );
    assert_eq!(code(&out), 0);
    same_answers(&dir.path().join("world"), 400, 11);
}
