//! What every command shares: where the data is, the output format, "today", loading with
//! diagnostics, and writing output (a closed pipe ends quietly).

use std::cell::{Cell, OnceCell, RefCell};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use dipgraph::cache::build::{Checked, Outcome, Problems};
use dipgraph::cache::{self, Cache, Key, Opened, Question, Unusable};
use dipgraph::diag::{Severity, render};
use dipgraph::load::{self, DataSource, Loaded};
use dipgraph::model::{Dataset, Date, Entity, Target};
use dipgraph::query::resolve::Resolver;
use dipgraph::validate;

use super::Format;

/// Why a command failed, and so its exit code.
#[derive(Debug)]
pub enum Failure {
    /// The data has errors, or an expectation failed (exit 1); the text is already rendered.
    Data(String),
    /// Bad usage or unreadable input (exit 2).
    Usage(String),
    /// Output could not be written (exit 2), other than a closed pipe.
    Io(std::io::Error),
}

impl Failure {
    /// Prints the failure to stderr and returns its exit code.
    pub fn report(self) -> ExitCode {
        let (text, code) = match self {
            Failure::Data(t) => (t, 1),
            Failure::Usage(t) => (format!("error: {t}\n"), 2),
            Failure::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                return ExitCode::SUCCESS;
            }
            Failure::Io(e) => (format!("error: cannot write output: {e}\n"), 2),
        };
        let _ = std::io::stderr().write_all(text.as_bytes());
        ExitCode::from(code)
    }
}

/// The global options, resolved.
pub struct Context {
    /// Where the data comes from.
    pub source: Result<DataSource, String>,
    /// Output format.
    pub format: Format,
    /// "Today": the default date of the dated questions.
    pub today: Date,
    /// Whether a cache may be read and written (`--no-cache` says no).
    pub use_cache: bool,
    /// The question this run asks, when the cache can answer it without a full load.
    pub question: Option<Question>,
    key: OnceCell<Option<Key>>,
    rebuild: Cell<bool>,
    /// Whether the data was checked file by file in this run (it is, at most once).
    examined: Cell<bool>,
    /// Whether this run tried to write the cache (it does, at most once).
    stored: Cell<bool>,
    /// The problems that check found, kept for the command to show: `stats` asks for the
    /// summary and then loads, `validate` asks for the summary and then the problems.
    found: RefCell<Option<Problems>>,
}

/// A loaded dataset, held by a command until it ends and then never dropped: the process
/// exits right after the command, and freeing a large dataset's millions of small allocations
/// one by one would only delay the exit (about a tenth of a cold load's CPU time).
pub type Held = std::mem::ManuallyDrop<Loaded>;

/// What checking large data file by file can do for this run's question.
enum Lean {
    /// The part of the data that answers it.
    Answer(Loaded),
    /// The data has errors: these.
    Refused(Failure),
    /// The data must be loaded in full: the cache cannot tell which facts the question needs
    /// (or the check could not be made).
    Full,
}

/// The failure of a question on data with errors: every error (`shown`), then what to do.
fn refuse(mut shown: String, errors: usize) -> Failure {
    shown.push_str(&format!(
        "error: the data has {errors} error{}; fix them (see `dipgraph validate`) before asking questions\n",
        if errors == 1 { "" } else { "s" }
    ));
    Failure::Data(shown)
}

/// [`refuse`], for the errors of `problems`; `None` when there are none, or a file changed
/// since they were found.
fn refusal(mut problems: Problems) -> Option<Failure> {
    problems
        .diagnostics
        .retain(|d| d.severity() == Severity::Error);
    let errors = problems.diagnostics.len();
    let mut shown = String::new();
    let read = problems.in_runs(|run, files| shown.push_str(&render::to_text(run, files)));
    (errors > 0 && read).then(|| refuse(shown, errors))
}

/// What the cache can do for this run's question.
enum Warm {
    /// The part of the data that answers it.
    Answer(Loaded),
    /// The command asks no question the cache answers, or no cache is kept for this data
    /// (small data).
    Unanswerable,
    /// There is no usable cache (missing, stale or corrupted), or none may be kept
    /// (`--no-cache`) for data large enough to want one.
    NoCache,
}

/// Data smaller than this is loaded in full every time: that is quick, and leaves no cache
/// files behind for small folders. `DIPGRAPH_CACHE_MIN_BYTES` changes it.
const CACHE_MIN_BYTES: u64 = 1 << 20;

/// Where caches go: `DIPGRAPH_CACHE_DIR`, else `$XDG_CACHE_HOME/dipgraph`, else
/// `~/.cache/dipgraph`.
fn cache_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    env("DIPGRAPH_CACHE_DIR")
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("dipgraph")))
        .or_else(|| env("HOME").map(|d| d.join(".cache").join("dipgraph")))
}

/// Says on stderr that the cache could not be written: the answer stands, but every call will
/// read every file until it can be.
fn cache_not_written(path: &std::path::Path, e: &std::io::Error) {
    let _ = writeln!(
        std::io::stderr(),
        "warning: cannot write the cache `{}`: {e}; answers are unaffected, but each call reads every file again (set DIPGRAPH_CACHE_DIR to a writable folder, or pass --no-cache)",
        path.display()
    );
}

impl Context {
    /// Resolves `--data` (default `./graph`, else the bundled dataset) and "today".
    pub fn new(data: Option<PathBuf>, format: Format, today: Option<Date>) -> Context {
        let source = match data {
            Some(p) if p.exists() => Ok(DataSource::Path(p)),
            Some(p) => Err(format!(
                "the data folder `{}` does not exist (leave out --data to use ./graph or the bundled dataset)",
                p.display()
            )),
            None => {
                let local = PathBuf::from("graph");
                if local.is_dir() {
                    Ok(DataSource::Path(local))
                } else {
                    Ok(DataSource::Bundled)
                }
            }
        };
        let today = today.unwrap_or_else(|| Date::from_naive(chrono::Local::now().date_naive()));
        Context {
            source,
            format,
            today,
            use_cache: true,
            question: None,
            key: OnceCell::new(),
            rebuild: Cell::new(false),
            examined: Cell::new(false),
            stored: Cell::new(false),
            found: RefCell::new(None),
        }
    }

    /// The key of the data, when it is a folder large enough to be worth a cache (whether or
    /// not one may be kept).
    fn large(&self) -> Option<&Key> {
        let Ok(DataSource::Path(root)) = &self.source else {
            return None;
        };
        let key = self.key.get_or_init(|| Key::of(root)).as_ref()?;
        let min = std::env::var("DIPGRAPH_CACHE_MIN_BYTES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(CACHE_MIN_BYTES);
        (key.bytes() >= min).then_some(key)
    }

    /// The cache file and key for the data, when the data is large enough and a cache may be
    /// kept.
    fn cache_target(&self) -> Option<(PathBuf, &Key)> {
        let Ok(DataSource::Path(root)) = &self.source else {
            return None;
        };
        if !self.use_cache {
            return None;
        }
        let key = self.large()?;
        Some((cache::file_for(root, &cache_dir()?), key))
    }

    /// The part of the data that answers this run's question, from a cache that matches the
    /// data. A corrupted cache is noted, to be rebuilt.
    fn warm(&self) -> Warm {
        let Some((path, key)) = self.cache_target() else {
            // No cache may be kept (`--no-cache`, no cache folder): large data is still
            // checked and indexed file by file, in memory.
            return match self.large() {
                Some(_) => Warm::NoCache,
                None => Warm::Unanswerable,
            };
        };
        let cache = match Cache::open(&path, key) {
            Ok(c) => c,
            Err(e) => {
                self.rebuild.set(e == Unusable::Corrupt);
                return Warm::NoCache;
            }
        };
        // A cache holds only data without errors; a command without a question loads in full.
        let Some(question) = self.question.as_ref() else {
            return Warm::Unanswerable;
        };
        let answer = cache.entities().and_then(|entities| {
            cache::dataset_for(&cache, cache::source_files(key), entities, question)
        });
        match answer {
            Ok(dataset) => Warm::Answer(Loaded {
                dataset,
                diagnostics: Vec::new(),
            }),
            Err(Unusable::Corrupt) => {
                self.rebuild.set(true);
                Warm::NoCache
            }
            Err(Unusable::Missing | Unusable::Stale) => Warm::NoCache,
        }
    }

    /// Loads, checks and indexes large data file by file, never holding every record as a
    /// struct, with every problem found (see [`cache::build::examine`]), and writes the cache
    /// of data without errors when one may be kept and no good one is there. Done at most
    /// once a run; `None` when the data must be loaded in full: small data, or a file that
    /// changed while it was read.
    fn examined(&self) -> Option<(Outcome, &Key)> {
        let key = self.large()?;
        if self.examined.replace(true) {
            return None;
        }
        let progress = super::progress::Loading::new();
        let outcome = cache::build::examine(key, load::parallel::cores(), &|p| progress.update(p))?;
        // A cache that cannot be written costs the next call speed, not this one its answer.
        if let (Some(checked), Some((path, _))) = (&outcome.checked, self.cache_target())
            && (self.rebuild.get() || Cache::open(&path, key).is_err())
        {
            self.stored.set(true);
            match checked.write(&path, key) {
                Ok(()) => self.rebuild.set(false),
                Err(e) => cache_not_written(&path, &e),
            }
        }
        Some((outcome, key))
    }

    /// What checking large data file by file says to this run's question: the part of the
    /// data that answers it (all of it for a command without a question the cache can pick
    /// for), or the data's errors.
    fn lean(&self) -> Lean {
        let Some((outcome, key)) = self.examined() else {
            return Lean::Full;
        };
        let Some(checked) = outcome.checked else {
            return match refusal(outcome.problems) {
                Some(f) => Lean::Refused(f),
                None => Lean::Full,
            };
        };
        let files = cache::source_files(key);
        // Every record is needed: decoded from what the check built, not read again.
        let whole = |checked: Checked, files| match checked.into_dataset(files) {
            Some(dataset) => Lean::Answer(Loaded {
                dataset,
                diagnostics: Vec::new(),
            }),
            None => Lean::Full,
        };
        let Some(question) = self.question.as_ref() else {
            return whole(checked, files);
        };
        let entities = checked.entities.clone();
        match cache::pick_for(&checked, files, entities, question) {
            // The facts picked are decoded as the cache is let go: its index and id table,
            // then each batch once passed.
            Ok(pick) => match pick.read_through(checked.into_batches()) {
                Ok(dataset) => Lean::Answer(Loaded {
                    dataset,
                    diagnostics: Vec::new(),
                }),
                Err(_) => Lean::Full,
            },
            Err(_) => Lean::Full,
        }
    }

    /// Runs `ask` on a cache of the data, with every entity: the cache file when it matches
    /// the data, else a cache built now in memory (and written, when one may be kept), given
    /// to `ask` to let go as it reads. For answers read from the cache a batch at a time rather
    /// than as one dataset. `None` when the data must be loaded in full (small data, data with
    /// a problem), or `ask` says so.
    pub fn with_cache<T>(
        &self,
        ask: impl Fn(Opened<'_>, Vec<Entity>) -> Result<Option<T>, Unusable>,
    ) -> Option<T> {
        self.large()?;
        if let Some((path, key)) = self.cache_target() {
            match Cache::open(&path, key).and_then(|c| ask(Opened::Borrowed(&c), c.entities()?)) {
                Ok(answer) => return answer,
                Err(e) => self.rebuild.set(e == Unusable::Corrupt),
            }
        }
        let (outcome, _) = self.examined()?;
        let Some(mut checked) = outcome.checked else {
            // Kept for load_valid, which refuses the question with them.
            self.found.replace(Some(outcome.problems));
            return None;
        };
        let entities = std::mem::take(&mut checked.entities);
        ask(Opened::Built(Box::new(checked)), entities)
            .ok()
            .flatten()
    }

    /// What the cache knows of the data as a whole, with every entity and the number of files:
    /// from a cache that matches the data, else from a check file by file (whose problems are
    /// kept for [`Context::problems`] and [`Context::load_valid`]). `None` when the data must
    /// be loaded in full (small data), or has errors.
    pub fn summary(&self) -> Option<(cache::Summary, Vec<dipgraph::model::Entity>, usize)> {
        if let Some((path, key)) = self.cache_target() {
            match Cache::open(&path, key) {
                Ok(c) => return Some((c.summary().ok()?, c.entities().ok()?, key.files.len())),
                Err(e) => self.rebuild.set(e == Unusable::Corrupt),
            }
        }
        let (outcome, key) = self.examined()?;
        if !outcome.problems.diagnostics.is_empty() {
            self.found.replace(Some(outcome.problems));
        }
        let checked = outcome.checked?;
        Some((checked.summary, checked.entities, key.files.len()))
    }

    /// Every problem of the data, for `validate`: none when the cache says it has none; else
    /// as a check file by file finds them (large data), else as a full load does.
    pub fn problems(&self) -> Result<Problems, Failure> {
        if let Some((summary, entities, _)) = self.summary()
            && summary.clean
            && let Some(key) = self.large()
        {
            let facts: u64 = summary.tally.kinds.iter().sum();
            let records = entities.len() + facts as usize;
            return Ok(Problems::loaded(
                Vec::new(),
                cache::source_files(key),
                records,
            ));
        }
        // Data with a problem: as the check file by file found it (a cache with warnings
        // only is checked again, to show them).
        let found = match self.found.take() {
            Some(p) => Some(p),
            None => self.examined().map(|(o, _)| o.problems),
        };
        match found {
            Some(found) => Ok(found),
            None => self.problems_in_full(),
        }
    }

    /// Every problem of the data, as a full load finds them.
    pub fn problems_in_full(&self) -> Result<Problems, Failure> {
        let mut loaded = self.load_checked()?;
        let records = loaded.dataset.entities.len() + loaded.dataset.facts.len();
        // The records are left where they are: the dataset is never dropped (see [`Held`]).
        Ok(Problems::loaded(
            std::mem::take(&mut loaded.diagnostics),
            std::mem::take(&mut loaded.dataset.files),
            records,
        ))
    }

    /// Writes the cache of data that loaded without errors, unless a good one is there.
    fn store(&self, loaded: &Loaded) {
        let Some((path, key)) = self.cache_target() else {
            return;
        };
        if loaded
            .diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error)
        {
            return;
        }
        if self.stored.replace(true) || (!self.rebuild.get() && Cache::open(&path, key).is_ok()) {
            return;
        }
        let index = dipgraph::graph::index_of(&loaded.dataset);
        let clean = loaded.diagnostics.is_empty();
        // A cache that cannot be written costs speed, not answers: go on without it.
        if let Err(e) = cache::write(&path, key, &loaded.dataset, &index, clean) {
            cache_not_written(&path, &e);
        }
    }

    /// Loads and validates the data, with every problem found. The dataset is never dropped
    /// (see [`Held`]).
    pub fn load_checked(&self) -> Result<Held, Failure> {
        let source = self.source.clone().map_err(Failure::Usage)?;
        // The key is taken before reading, so a file changed during the load makes the cache
        // stale rather than wrong.
        let _ = self.cache_target();
        let progress = super::progress::Loading::new();
        let mut loaded = load::load_with(&source, &|p| progress.update(p));
        loaded.diagnostics.extend(validate::check(&loaded.dataset));
        dipgraph::diag::sort(&mut loaded.diagnostics);
        self.store(&loaded);
        Ok(Held::new(loaded))
    }

    /// Loads data for a question: errors stop the command (exit 1) with every problem shown.
    /// Questions the cache can answer are answered from it, without reading every file; large
    /// data without a cache is checked file by file, and answered from what that built.
    pub fn load_valid(&self) -> Result<Held, Failure> {
        if let Some(f) = self.found.take().and_then(refusal) {
            return Err(f);
        }
        match self.warm() {
            Warm::Answer(loaded) => return Ok(Held::new(loaded)),
            Warm::NoCache => match self.lean() {
                Lean::Answer(loaded) => return Ok(Held::new(loaded)),
                Lean::Refused(f) => return Err(f),
                Lean::Full => {}
            },
            Warm::Unanswerable => {}
        }
        let loaded = self.load_checked()?;
        let errors: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity() == Severity::Error)
            .cloned()
            .collect();
        if errors.is_empty() {
            return Ok(loaded);
        }
        let shown = render::to_text(&errors, &loaded.dataset.files);
        Err(refuse(shown, errors.len()))
    }

    /// The date asked about: `--on`, else today.
    pub fn on(&self, on: Option<Date>) -> Date {
        on.unwrap_or(self.today)
    }

    /// The entity `text` names (an id in any case, a name, an alias, a unique word of a
    /// name); an unknown or ambiguous name, or a fact id, is a usage error listing candidates.
    pub fn entity(&self, data: &Dataset, text: &str) -> Result<usize, Failure> {
        match Resolver::new(data).resolve(text) {
            Ok(Target::Entity(i)) => Ok(i),
            Ok(Target::Fact(i)) => Err(Failure::Usage(format!(
                "`{}` is a {} fact, not a state, organization or person",
                text,
                data.facts[i].kind().as_str()
            ))),
            Err(e) => Err(Failure::Usage(e.to_string())),
        }
    }

    /// Writes `text` to stdout.
    pub fn out(&self, text: &str) -> Result<(), Failure> {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(Failure::Io)
    }

    /// Writes `doc` in the chosen text format (table or CSV), or JSON from `results`.
    pub fn emit<'a, T: serde::Serialize>(
        &self,
        query: &str,
        on: Option<Date>,
        results: &[T],
        doc: impl FnOnce() -> dipgraph::render::Doc<'a>,
    ) -> Result<(), Failure> {
        use dipgraph::render;
        // Written as it is made: a large answer is not held a second time as text.
        let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        match self.format {
            Format::Json => {
                render::json::write_json(&mut stdout, query, on, results).map_err(|e| {
                    match e.io_error_kind() {
                        Some(_) => Failure::Io(e.into()),
                        None => Failure::Usage(format!("cannot write JSON: {e}")),
                    }
                })?;
            }
            Format::Csv => {
                render::csv::write_csv(&doc(), &mut stdout).map_err(|e| match e.kind() {
                    csv::ErrorKind::Io(_) => match e.into_kind() {
                        csv::ErrorKind::Io(io) => Failure::Io(io),
                        other => Failure::Usage(format!("cannot write CSV: {other:?}")),
                    },
                    _ => Failure::Usage(format!("cannot write CSV: {e}")),
                })?;
            }
            Format::Table => render::table::write_text(&doc(), &mut stdout).map_err(Failure::Io)?,
        }
        stdout.flush().map_err(Failure::Io)
    }
}
