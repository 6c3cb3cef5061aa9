//! The harness the fuzz targets share: a time budget, the seed corpus (the bundled `graph/` and
//! `queries/`, and every finding kept in `tests/fuzz/corpus/`), inputs made by mutating seeds
//! with proptest (so that a failure shrinks to a few edits), and a watchdog that fails the run
//! when one input takes longer than [`HANG`].

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

/// An input that takes longer than this is a hang.
pub const HANG: Duration = Duration::from_secs(10);

/// Seconds each target runs for: `DIPGRAPH_FUZZ_SECONDS`, else one (so that `cargo test`
/// spends a few seconds on all of them). The first round of inputs always runs whole.
pub fn budget() -> Duration {
    let secs = std::env::var("DIPGRAPH_FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .unwrap_or(1.0);
    Duration::from_secs_f64(secs)
}

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `*.ron` file under `dir`, as (path relative to the root, bytes), in path order.
pub fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                let rel = p.strip_prefix(root()).unwrap_or(&p);
                out.push((rel.to_string_lossy().into_owned(), bytes));
            }
        }
    }
    out.sort();
    out
}

/// The seeds of the data and query targets: every file of `graph/` and `queries/`.
pub fn ron_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = files_under(&root().join("graph"))
        .into_iter()
        .chain(files_under(&root().join("queries")))
        .map(|(_, b)| b)
        .collect();
    seeds.push(b"[]".to_vec());
    seeds
}

/// The findings kept for `target`: inputs that once failed it, run first, unchanged.
pub fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    files_under(&root().join("tests/fuzz/corpus").join(target))
}

/// Pieces that parsers trip on, inserted by [`Edit::Insert`].
const PIECES: &[&str] = &[
    "\"",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "//",
    "/*",
    "*/",
    "\\",
    "\\u{1b}",
    "\u{1b}]0;pwned\u{7}\u{1b}[2J",
    "r#\"",
    "\"#",
    "0x",
    "99999999999999999999999999",
    "-",
    "+",
    "=cmd|' /C calc'!A0",
    "\"2020-02-30\"",
    "\"2020-13\"",
    "\"0000\"",
    "\"-2020\"",
    "Some(",
    "None",
    "true",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\u{feff}",
    "é",
    "ё",
    "\u{202e}",
    "\\n\\n\\n\\n",
    "Party(state: \"RUS\")",
    "Source(title: \"t\", url: \"https://example.org\")",
    "State(id: \"XXX\", name: \"X\")",
    "Person(id: \"p\", name: \"P\")",
    "from: \"2020\", until: \"2019\"",
    "expect: Includes([\"RUS\"])",
    "ask: Path(from: \"GBR\", to: \"RUS\", on: \"2021\")",
];

/// One change to a seed.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Inserts one of [`PIECES`].
    Insert(Index, Index),
    /// Inserts these bytes.
    Bytes(Index, Vec<u8>),
    /// Deletes up to this many bytes.
    Delete(Index, usize),
    /// Repeats a stretch of up to this many bytes this many times.
    Repeat(Index, usize, usize),
    /// Sets one byte.
    Set(Index, u8),
    /// Inserts a stretch of another seed.
    Splice(Index, Index, Index, usize),
    /// Cuts the input short.
    Truncate(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<Index>(), any::<Index>()).prop_map(|(a, p)| Edit::Insert(a, p)),
        1 => (any::<Index>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(a, b)| Edit::Bytes(a, b)),
        2 => (any::<Index>(), 1usize..64).prop_map(|(a, n)| Edit::Delete(a, n)),
        1 => (any::<Index>(), 1usize..16, prop_oneof![2usize..8, 100usize..3000])
            .prop_map(|(a, n, k)| Edit::Repeat(a, n, k)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(a, b)| Edit::Set(a, b)),
        1 => (any::<Index>(), any::<Index>(), any::<Index>(), 1usize..200)
            .prop_map(|(a, s, f, n)| Edit::Splice(a, s, f, n)),
        1 => any::<Index>().prop_map(Edit::Truncate),
    ]
}

/// An input: a seed and the edits made to it, or bytes of no seed at all.
#[derive(Debug, Clone)]
pub enum Input {
    /// Seed number (an index into the seeds) and edits.
    Mutated(Index, Vec<Edit>),
    /// Any bytes.
    Raw(Vec<u8>),
}

/// Inputs mutated from seeds, now and then bytes of no seed.
pub fn inputs() -> impl Strategy<Value = Input> {
    prop_oneof![
        9 => (any::<Index>(), proptest::collection::vec(edit(), 1..6))
            .prop_map(|(s, e)| Input::Mutated(s, e)),
        1 => proptest::collection::vec(any::<u8>(), 0..300).prop_map(Input::Raw),
    ]
}

fn at(i: &Index, len: usize) -> usize {
    if len == 0 { 0 } else { i.index(len + 1) }
}

impl Input {
    /// The input's bytes, made from `seeds`.
    pub fn bytes(&self, seeds: &[Vec<u8>]) -> Vec<u8> {
        let (seed, edits) = match self {
            Input::Raw(b) => return b.clone(),
            Input::Mutated(s, e) => (s, e),
        };
        let mut b = seeds[seed.index(seeds.len())].clone();
        for e in edits {
            match e {
                Edit::Insert(a, p) => {
                    let at = at(a, b.len());
                    let piece = PIECES[p.index(PIECES.len())].as_bytes();
                    b.splice(at..at, piece.iter().copied());
                }
                Edit::Bytes(a, bytes) => {
                    let at = at(a, b.len());
                    b.splice(at..at, bytes.iter().copied());
                }
                Edit::Delete(a, n) => {
                    let at = at(a, b.len());
                    let end = (at + n).min(b.len());
                    b.drain(at..end);
                }
                Edit::Repeat(a, n, k) => {
                    let at = at(a, b.len());
                    let end = (at + n).min(b.len());
                    let piece = b[at..end].to_vec();
                    let more: Vec<u8> = piece
                        .iter()
                        .copied()
                        .cycle()
                        .take(piece.len() * k)
                        .collect();
                    b.splice(end..end, more);
                }
                Edit::Set(a, byte) => {
                    if !b.is_empty() {
                        let i = a.index(b.len());
                        b[i] = *byte;
                    }
                }
                Edit::Splice(a, s, f, n) => {
                    let other = &seeds[s.index(seeds.len())];
                    let from = at(f, other.len());
                    let piece = other[from..(from + n).min(other.len())].to_vec();
                    let at = at(a, b.len());
                    b.splice(at..at, piece);
                }
                Edit::Truncate(a) => {
                    let at = at(a, b.len());
                    b.truncate(at);
                }
            }
        }
        b
    }
}

/// What the watchdog watches: per target, when its current input started and its bytes.
static RUNNING: Mutex<Vec<(&'static str, Instant, Vec<u8>)>> = Mutex::new(Vec::new());

/// Starts the watchdog once: an input that runs longer than [`HANG`] is written to the
/// findings and the whole run fails.
fn watchdog() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        std::thread::spawn(|| {
            loop {
                std::thread::sleep(Duration::from_millis(500));
                let hung = RUNNING.lock().ok().and_then(|r| {
                    r.iter()
                        .find(|(_, t, _)| t.elapsed() > HANG)
                        .map(|(n, _, b)| (*n, b.clone()))
                });
                if let Some((target, bytes)) = hung {
                    let kept = keep(target, "hang", &bytes);
                    fail_loudly(&format!(
                        "fuzz target `{target}` hung for over {HANG:?} on an input kept at {}",
                        kept.display()
                    ));
                }
            }
        });
    });
}

#[allow(clippy::print_stderr)]
fn fail_loudly(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(101)
}

/// Runs `work` on `bytes` under the watchdog's eye.
pub fn watched<T>(target: &'static str, bytes: &[u8], work: impl FnOnce() -> T) -> T {
    watchdog();
    if let Ok(mut r) = RUNNING.lock() {
        r.retain(|(n, _, _)| *n != target);
        r.push((target, Instant::now(), bytes.to_vec()));
    }
    // Taken off the watch however `work` ends, a panic included.
    struct Done(&'static str);
    impl Drop for Done {
        fn drop(&mut self) {
            if let Ok(mut r) = RUNNING.lock() {
                r.retain(|(n, _, _)| *n != self.0);
            }
        }
    }
    let _done = Done(target);
    work()
}

/// Writes a failing input to `target/fuzz-findings/`, for a person to add to the corpus.
pub fn keep(target: &str, what: &str, bytes: &[u8]) -> PathBuf {
    let dir = root().join("target/fuzz-findings");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{target}-{what}.ron"));
    let _ = std::fs::write(&path, bytes);
    path
}

/// How a target fared.
pub struct Ran {
    /// Inputs tried (the corpus included).
    pub cases: u64,
    /// Seconds spent.
    pub seconds: f64,
}

/// Runs `check` on every corpus input of `target`, then on inputs mutated from `seeds` until
/// the budget is spent (a first round always runs whole). A failure (a panic, or an `Err`)
/// shrinks to a small input, which is kept in `target/fuzz-findings/` and fails the test.
pub fn fuzz(
    target: &'static str,
    seeds: &[Vec<u8>],
    check: impl Fn(&[u8]) -> Result<(), String>,
) -> Ran {
    let start = Instant::now();
    let budget = budget();
    let mut cases = 0u64;
    for (path, bytes) in corpus(target) {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            watched(target, &bytes, || check(&bytes))
        }));
        match r {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!("corpus input {path} fails `{target}`: {e}"),
            Err(_) => panic!("corpus input {path} panics in `{target}`"),
        }
        cases += 1;
    }
    let per_round = 16u32;
    let mut round = 0u64;
    loop {
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&round.to_le_bytes());
        for (i, b) in target.bytes().enumerate().take(24) {
            seed[8 + i] = b;
        }
        let config = Config {
            cases: per_round,
            failure_persistence: None,
            max_shrink_iters: 4096,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
        let result = runner.run(&inputs(), |input| {
            let bytes = input.bytes(seeds);
            watched(target, &bytes, || check(&bytes)).map_err(TestCaseError::fail)
        });
        cases += u64::from(per_round);
        match result {
            Ok(()) => {}
            Err(TestError::Fail(why, input)) => {
                let kept = keep(target, "failure", &input.bytes(seeds));
                panic!(
                    "fuzz target `{target}` failed: {why}; the smallest failing input is kept at {} (add it to tests/fuzz/corpus/{target}/ once fixed)",
                    kept.display()
                );
            }
            Err(TestError::Abort(why)) => panic!("fuzz target `{target}` aborted: {why}"),
        }
        round += 1;
        if start.elapsed() >= budget {
            break;
        }
    }
    let ran = Ran {
        cases,
        seconds: start.elapsed().as_secs_f64(),
    };
    report(target, &ran);
    ran
}

/// Says how many inputs a target tried (shown with `--nocapture`).
#[allow(clippy::print_stderr)]
fn report(target: &str, ran: &Ran) {
    eprintln!(
        "fuzz target `{target}`: {} inputs in {:.1} s",
        ran.cases, ran.seconds
    );
}
