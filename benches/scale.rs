//! Benchmarks of dipgraph at scale (`cargo bench --bench scale`): load (read + parse +
//! convert), validate, graph build (with the interval index), each question kind, and export,
//! on synthetic worlds written by `dipgraph synth`.
//!
//! Sizes come from `DIPGRAPH_BENCH_FACTS` (comma-separated, default `5000`); worlds are written
//! once under `target/bench-worlds/` and reused. See `docs/performance.md`.

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::Bencher;

use dipgraph::graph::Graph;
use dipgraph::load::{self, DataSource, Loaded};
use dipgraph::model::{Dataset, Date, Target};
use dipgraph::query::allies;
use dipgraph::query::export::{self, ExportOptions, Scope};
use dipgraph::query::sanctions::{self, SanctionsQuery};
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

fn graph(facts: u64) -> &'static Graph<'static> {
    static CACHE: OnceLock<std::sync::Mutex<Vec<(u64, &'static Graph<'static>)>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut guard = cache.lock().expect("not poisoned");
    if let Some((_, g)) = guard.iter().find(|(n, _)| *n == facts) {
        return g;
    }
    let g: &'static Graph<'static> = Box::leak(Box::new(Graph::build(loaded(facts))));
    guard.push((facts, g));
    g
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
    bencher.bench(|| Graph::build(d).size());
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

/// Cold load as the CLI does it: read and parse every file, validate, build graph and index.
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn cold_load_validate_index(bencher: Bencher, facts: u64) {
    let dir = world(facts);
    bencher.bench(|| {
        let l = load::load(&DataSource::Path(dir.clone()));
        let problems = dipgraph::validate::check(&l.dataset);
        let g = Graph::build(&l.dataset);
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
        allies::allies(g, x, dates[k]).len()
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
        let q = SanctionsQuery {
            against: Some(x),
            tied: false,
            by: None,
            members: false,
            on: dates[k],
        };
        sanctions::sanctions(g, &q).len()
    });
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
        sanctions::sanctions(g, &q).len()
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
        sanctions::sanctions(g, &q).len()
    });
}

/// The whole graph as CSV (`export csv --all`).
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn export_csv_all(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let opts = ExportOptions {
        scope: Scope::All,
        ..ExportOptions::on(date("2020-01-01"))
    };
    bencher.bench(|| {
        let d = export::diagram(g, &opts);
        dipgraph::render::edges_csv::to_csv(&d)
            .map(|s| s.len())
            .unwrap_or(0)
    });
}

/// The last state, far down the skew (few alliances): "in force on D" with a small answer.
#[divan::bench(args = sizes())]
fn allies_small_answer(bencher: Bencher, facts: u64) {
    let g = graph(facts);
    let x = g
        .data()
        .entities
        .iter()
        .rposition(|e| e.kind == dipgraph::model::EntityKind::State)
        .expect("a state");
    let dates: Vec<Date> = DATES.iter().map(|d| date(d)).collect();
    let mut k = 0;
    bencher.bench_local(|| {
        k = (k + 1) % dates.len();
        allies::allies(g, x, dates[k]).len()
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
        let q = SanctionsQuery {
            against: Some(x),
            tied: false,
            by: None,
            members: false,
            on: dates[k],
        };
        sanctions::sanctions(g, &q).len()
    });
}
