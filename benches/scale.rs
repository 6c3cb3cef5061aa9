//! Benchmarks of dipgraph at scale (`cargo bench --bench scale`): load (read + parse +
//! convert), validate, the cache built from the files (a first question's cold load), graph build (with the interval index), each question kind (`allies`,
//! `sanctions`, `timeline`, `relations`, `statements`, `path`, `diff`, `show --on`), and
//! export, on synthetic worlds written by `dipgraph synth`.
//!
//! Questions are asked in process, through the library functions the CLI calls, on a store
//! in memory built once per size. `in_force_random_questions` times "in force on D" questions one by one
//! over a fixed pseudo-random sample of entities and dates, so its median is the typical
//! question; the benchmarks on named heavy entities (`allies_on_date`, ...) show the tail.
//!
//! Sizes come from `DIPGRAPH_BENCH_FACTS` (comma-separated, default `5000`); worlds are written
//! once under `target/bench-worlds/` and reused. See `docs/performance.md`.

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::Bencher;

use dipgraph::graph::path::PathOptions;
use dipgraph::load::{self, DataSource, Loaded};
use dipgraph::model::{Dataset, Date, EntityKind, Target};
use dipgraph::query::export::{self, ExportOptions, Scope};
use dipgraph::query::sanctions::{self, SanctionsQuery};
use dipgraph::query::statements::{self, StatementFilter};
use dipgraph::query::{allies, diff, path, show, timeline};
use dipgraph::store::MemoryStore;
use dipgraph::synth::{self, Options};

fn main() {
    divan::main();
}

fn sizes() -> Vec<u64> {
    std::env::var("DIPGRAPH_BENCH_FACTS")
        .unwrap_or_else(|_| "5000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// The folder of the synthetic world of `facts` facts (seed 1), written if missing.
fn world(facts: u64) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench-worlds")
        .join(format!("{facts}-1"));
    let done = root.join(".complete");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&root);
        synth::write(&Options { facts, seed: 1 }, &root).expect("write the synthetic world");
        std::fs::write(&done, b"").expect("mark the world complete");
    }
    root
}

/// Each size's loaded dataset, loaded once and kept for the question benchmarks.
fn loaded(facts: u64) -> &'static Dataset {
    static CACHE: OnceLock<std::sync::Mutex<Vec<(u64, &'static Dataset)>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut guard = cache.lock().expect("not poisoned");
    if let Some((_, d)) = guard.iter().find(|(n, _)| *n == facts) {
        return d;
    }
    let l: Loaded = load::load(&DataSource::Path(world(facts)));
    let d: &'static Dataset = Box::leak(Box::new(l.dataset));
    guard.push((facts, d));
    d
}

fn graph(facts: u64) -> &'static MemoryStore {
    static CACHE: OnceLock<std::sync::Mutex<Vec<(u64, &'static MemoryStore)>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut guard = cache.lock().expect("not poisoned");
    if let Some((_, g)) = guard.iter().find(|(n, _)| *n == facts) {
        return g;
    }
    let g: &'static MemoryStore = Box::leak(Box::new(built(loaded(facts))));
    guard.push((facts, g));
    g
}

/// The store in memory of `d`, with its index.
fn built(d: &Dataset) -> MemoryStore {
    MemoryStore::new(d.clone(), true)
}

fn date(s: &str) -> Date {
    Date::parse(s).expect("date")
}

#[divan::bench(args = sizes(), sample_count = 5, sample_size = 1)]
fn load_files(bencher: Bencher, facts: u64) {
    let dir = world(facts);
    bencher.bench(|| load::load(&DataSource::Path(dir.clone())));
}

#[divan::bench(args = sizes(), sample_count = 5, sample_size = 1)]
fn validate(bencher: Bencher, facts: u64) {
    let d = loaded(facts);
    bencher.bench(|| dipgraph::validate::check(d));
}

#[divan::bench(args = sizes(), sample_count = 5, sample_size = 1)]
fn build_graph(bencher: Bencher, facts: u64) {
    let d = loaded(facts);
    bencher.bench(|| built(d).index().entity_count());
}

/// The entity with id `id` (the synthetic worlds have the real states first).
fn entity(d: &Dataset, id: &str) -> usize {
    match d.lookup(id) {
        Some(Target::Entity(i)) => i,
        _ => panic!("no entity {id}"),
    }
}

/// Dates spread over the data's years, of every precision.
const DATES: &[&str] = &["1999-06-15", "2008-02-29", "2014-03", "2019-11-05", "2021"];

/// Cold load as a first question does it: every file read, loaded, checked and indexed a batch
/// at a time, laid out as the cache and written (`dipgraph::cache::build`), never holding every
/// record.
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn cold_build_cache(bencher: Bencher, facts: u64) {
    let dir = world(facts);
    let key = dipgraph::cache::Key::of(&dir).expect("a key");
    let out = tempfile::tempdir().expect("a temporary folder");
    let path = out.path().join("bench.dgcache");
    let cores = dipgraph::load::parallel::cores();
    bencher.bench(|| {
        let outcome = dipgraph::cache::build::examine(&key, cores, &|_| {}).expect("examined");
        let checked = outcome.checked.expect("no errors");
        let place = dipgraph::cache::build::Place::File(&path);
        checked.cache_at(&key, place).expect("written");
    });
}

/// Cold load as `--no-cache` does it: read and parse every file, validate, build graph and index.
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn cold_load_validate_index(bencher: Bencher, facts: u64) {
    let dir = world(facts);
    bencher.bench(|| {
        let l = load::load(&DataSource::Path(dir.clone()));
        let problems = dipgraph::validate::check(&l.dataset);
        let g = built(&l.dataset);
        (problems.len(), g.index().entity_count())
    });
}

/// "Who were X's allies on D?", in process, through the interval index.
#[divan::bench(args = sizes())]
fn allies_on_date(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let x = entity(g.data(), "BLR");
    let dates: Vec<Date> = DATES.iter().map(|d| date(d)).collect();
    let mut k = 0;
    bencher.bench_local(|| {
        k = (k + 1) % dates.len();
        allies::allies(g, x, dates[k]).expect("reads").len()
    });
}

/// "Which sanctions were in force against X on D?", in process.
#[divan::bench(args = sizes())]
fn sanctions_against_on_date(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let x = entity(g.data(), "UKR");
    let dates: Vec<Date> = DATES.iter().map(|d| date(d)).collect();
    let mut k = 0;
    bencher.bench_local(|| {
        k = (k + 1) % dates.len();
        sanctions_against(g, x, dates[k])
    });
}

/// `sanctions --against X --on D`, in process; the number of sanctions found.
fn sanctions_against(g: &MemoryStore, x: usize, on: Date) -> usize {
    let q = SanctionsQuery {
        against: Some(x),
        tied: false,
        by: None,
        members: false,
        on,
    };
    sanctions::sanctions(g, &q).expect("reads").len()
}

/// Sanctions by a sender and the organizations it belongs to, in process.
#[divan::bench(args = sizes())]
fn sanctions_by_with_members_on_date(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let x = entity(g.data(), "POL");
    let dates: Vec<Date> = DATES.iter().map(|d| date(d)).collect();
    let mut k = 0;
    bencher.bench_local(|| {
        k = (k + 1) % dates.len();
        let q = SanctionsQuery {
            against: None,
            tied: false,
            by: Some(x),
            members: true,
            on: dates[k],
        };
        sanctions::sanctions(g, &q).expect("reads").len()
    });
}

/// Every sanction in force on a date (a large answer: it grows with the world).
#[divan::bench(args = sizes(), sample_count = 10)]
fn sanctions_all_on_date(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let on = date("2020-01-01");
    bencher.bench_local(|| {
        let q = SanctionsQuery {
            against: None,
            tied: false,
            by: None,
            members: false,
            on,
        };
        sanctions::sanctions(g, &q).expect("reads").len()
    });
}

/// The whole graph as CSV (`export csv --all`): the lean plan, written row by row.
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn export_csv_all(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let opts = ExportOptions {
        scope: Scope::All,
        ..ExportOptions::on(date("2020-01-01"))
    };
    bencher.bench(|| {
        let plan = export::Plan::build(g, &opts).expect("reads");
        dipgraph::render::edges_csv::write_csv(
            std::io::sink(),
            &plan,
            dipgraph::render::csv::Cells::Guarded,
        )
        .is_ok()
    });
}

/// The last state, far down the skew (few alliances): "in force on D" with a small answer.
#[divan::bench(args = sizes())]
fn allies_small_answer(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let x = last_state(g.data());
    let dates: Vec<Date> = DATES.iter().map(|d| date(d)).collect();
    let mut k = 0;
    bencher.bench_local(|| {
        k = (k + 1) % dates.len();
        allies::allies(g, x, dates[k]).expect("reads").len()
    });
}

/// Sanctions against a person in the middle of the skew: a small answer.
#[divan::bench(args = sizes())]
fn sanctions_small_answer(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let x = g.data().entities.len() / 2;
    let dates: Vec<Date> = DATES.iter().map(|d| date(d)).collect();
    let mut k = 0;
    bencher.bench_local(|| {
        k = (k + 1) % dates.len();
        sanctions_against(g, x, dates[k])
    });
}

/// `timeline POL`: every start, end and point entry of the facts naming a state high in the
/// skew (tens of thousands of facts at 1M).
#[divan::bench(args = sizes(), sample_count = 10)]
fn timeline_entity(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let x = entity(g.data(), "POL");
    bencher.bench_local(|| timeline::timeline(g, x, None, None).expect("reads").len());
}

/// `timeline` of a person in the middle of the skew over two years: a small answer.
#[divan::bench(args = sizes())]
fn timeline_small_entity(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let x = g.data().entities.len() / 2;
    let (from, to) = (Some(date("2019")), Some(date("2020")));
    bencher.bench_local(|| timeline::timeline(g, x, from, to).expect("reads").len());
}

/// `relations RUS UKR`: the timeline of every fact tying two heavy states. Few samples: at 1M
/// facts one call took about 50 s (2 cores, shared).
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn relations_pair(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let (a, b) = (entity(g.data(), "RUS"), entity(g.data(), "UKR"));
    bencher.bench_local(|| {
        let facts = timeline::PairFacts::read(g, a, b).expect("reads");
        timeline::relations(g, &facts, None, None)
            .expect("reads")
            .len()
    });
}

/// `statements --by RUS --about UKR --from 2020-01 --to 2020-12 --roles`.
#[divan::bench(args = sizes(), sample_count = 10)]
fn statements_by_about_period(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let filter = StatementFilter {
        by: Some(entity(g.data(), "RUS")),
        about: Some(entity(g.data(), "UKR")),
        from: Some(date("2020-01")),
        to: Some(date("2020-12")),
        roles: true,
    };
    bencher.bench_local(|| {
        statements::statements(g, &filter)
            .expect("reads")
            .results
            .len()
    });
}

/// `statements --about UKR --from 2021-03-01 --to 2021-03-31`: one month about one state.
#[divan::bench(args = sizes(), sample_count = 10)]
fn statements_about_month(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let filter = StatementFilter {
        about: Some(entity(g.data(), "UKR")),
        from: Some(date("2021-03-01")),
        to: Some(date("2021-03-31")),
        ..StatementFilter::default()
    };
    bencher.bench_local(|| {
        statements::statements(g, &filter)
            .expect("reads")
            .results
            .len()
    });
}

/// `path` from the last state (far down the skew) to a person in the middle of it, on a date,
/// with the CLI's defaults (every kind, 6 hops, 3 chains): petgraph's search over the dated
/// view.
#[divan::bench(args = sizes(), sample_count = 10)]
fn path_between(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let d = g.data();
    let from = last_state(d);
    let to = d.entities.len() / 2;
    let on = date("2020-01-01");
    let opts = PathOptions::default();
    bencher.bench_local(|| {
        path::path(g, from, to, on, &opts)
            .expect("reads")
            .results
            .len()
    });
}

/// `diff 2019-12-31 2020-01-31`: every change in the whole world in one month.
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn diff_month(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let (d1, d2) = (date("2019-12-31"), date("2020-01-31"));
    bencher.bench_local(|| diff::diff(g, d1, d2, None).expect("reads").len());
}

/// `diff 2019 2021 --around UKR`: two years of changes around one heavy state.
#[divan::bench(args = sizes(), sample_count = 10)]
fn diff_around_entity(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let x = entity(g.data(), "UKR");
    let (d1, d2) = (date("2019"), date("2021"));
    bencher.bench_local(|| diff::diff(g, d1, d2, Some(x)).expect("reads").len());
}

/// `show UKR --on 2020-01-01`: a heavy state with everything tied to it on a date.
#[divan::bench(args = sizes(), sample_count = 10)]
fn show_entity_on_date(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let x = entity(g.data(), "UKR");
    let on = Some(date("2020-01-01"));
    bencher.bench_local(|| show::show_entity(g, x, on).is_ok());
}

/// `show --on` of a person in the middle of the skew: a small answer.
#[divan::bench(args = sizes())]
fn show_small_entity_on_date(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let x = g.data().entities.len() / 2;
    let on = Some(date("2020-01-01"));
    bencher.bench_local(|| show::show_entity(g, x, on).is_ok());
}

/// The last state in load order: the one the fewest facts name.
fn last_state(d: &Dataset) -> usize {
    d.entities
        .iter()
        .rposition(|e| e.kind == EntityKind::State)
        .expect("a state")
}

/// "In force on D" over a fixed pseudo-random sample of questions, each timed on its own
/// (one question a sample, each asked twice), so divan's median is the typical question's
/// time and its slowest the tail of the sample. The sample (seed fixed): [`QUESTIONS`] pairs
/// of an entity and a date from 1950 through 2025, of day (60 %), month (25 %) or year (15 %)
/// precision. Allies are asked of states (only states are treaty parties); sanctions against
/// any entity (people and organizations are targets too).
mod in_force_random_questions {
    use super::*;

    /// Questions in the sample.
    pub const QUESTIONS: usize = 1000;

    /// `QUESTIONS` (entity, date) pairs, the entity drawn from `pool`.
    fn sample(pool: &[usize]) -> Vec<(usize, Date)> {
        let mut rng = synth::Rng::new(0x5EED);
        let first = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).expect("a date");
        let last = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).expect("a date");
        let days = (last - first).num_days() as u64 + 1;
        (0..QUESTIONS)
            .map(|_| {
                let who = pool[rng.below(pool.len() as u64) as usize];
                let day = first + chrono::Days::new(rng.below(days));
                let text = day.format("%Y-%m-%d").to_string();
                let text = match rng.below(100) {
                    0..=59 => text,
                    60..=84 => text[..7].to_string(),
                    _ => text[..4].to_string(),
                };
                (who, date(&text))
            })
            .collect()
    }

    fn states(d: &Dataset) -> Vec<usize> {
        (0..d.entities.len())
            .filter(|&i| d.entities[i].kind == EntityKind::State)
            .collect()
    }

    fn everyone(d: &Dataset) -> Vec<usize> {
        (0..d.entities.len()).collect()
    }

    /// "Who were X's allies on D?", one question a sample.
    #[divan::bench(args = sizes(), sample_count = 2 * QUESTIONS as u32, sample_size = 1)]
    fn allies(bencher: Bencher, facts: u64) {
        let g = graph(facts);
        let questions = sample(&states(g.data()));
        let mut k = 0;
        bencher.bench_local(|| {
            let (x, on) = questions[k % QUESTIONS];
            k += 1;
            super::allies::allies(g, x, on).expect("reads").len()
        });
    }

    /// "Which sanctions were in force against X on D?", one question a sample.
    #[divan::bench(args = sizes(), sample_count = 2 * QUESTIONS as u32, sample_size = 1)]
    fn sanctions(bencher: Bencher, facts: u64) {
        let g = graph(facts);
        let questions = sample(&everyone(g.data()));
        let mut k = 0;
        bencher.bench_local(|| {
            let (x, on) = questions[k % QUESTIONS];
            k += 1;
            sanctions_against(g, x, on)
        });
    }

    /// Both samples in one go: the time is for all `2 × QUESTIONS` questions, and the
    /// throughput (questions a second) is the inverse of their mean.
    #[divan::bench(args = sizes(), sample_count = 10, sample_size = 1)]
    fn all_at_once(bencher: Bencher, facts: u64) {
        let g = graph(facts);
        let allied = sample(&states(g.data()));
        let targeted = sample(&everyone(g.data()));
        bencher
            .counter(divan::counter::ItemsCount::new(2 * QUESTIONS))
            .bench_local(|| {
                let a: usize = allied
                    .iter()
                    .map(|&(x, on)| super::allies::allies(g, x, on).expect("reads").len())
                    .sum();
                let s: usize = targeted
                    .iter()
                    .map(|&(x, on)| sanctions_against(g, x, on))
                    .sum();
                a + s
            });
    }
}
