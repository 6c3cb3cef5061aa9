//! What every command shares: where the data is, the output format, "today", opening the
//! store a question reads (with every problem of data that has errors), and writing output (a
//! closed pipe ends quietly).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anstream::ColorChoice;
use dipgraph::cache::build::{Checked, Place, Problems};
use dipgraph::cache::{self, CacheFile, Key, Unusable};
use dipgraph::diag::{Diagnostic, Severity, render};
use dipgraph::load::git::{Commit, Revision};
use dipgraph::load::{self, DataSource, Loaded};
use dipgraph::model::{Date, SourceFile, Target};
use dipgraph::query::ask::{Ask, Name, Resolved, Wants};
use dipgraph::query::resolve::{NameError, Resolver};
use dipgraph::store::{Corrupt, MemoryStore, Store};
use dipgraph::validate;

use super::Format;
use super::progress::Loading;

/// Why a command failed, and so its exit code.
#[derive(Debug)]
pub enum Failure {
    /// The data has errors, or an expectation failed (exit 1); the text is already rendered.
    Data(String),
    /// Bad usage or unreadable input (exit 2).
    Usage(String),
    /// Output could not be written (exit 2), other than a closed pipe.
    Io(std::io::Error),
    /// The cache file could not be read: it is built again and the question asked again.
    Corrupt,
}

impl From<Corrupt> for Failure {
    fn from(_: Corrupt) -> Failure {
        Failure::Corrupt
    }
}

impl Failure {
    /// Prints the failure to stderr and returns its exit code.
    pub fn report(self) -> ExitCode {
        // Messages echo names and paths given by people or found in the data: their control
        // characters are escaped. The text of a data failure was escaped where it was made
        // (diagnostics, and the names in messages), and may be coloured.
        let escaped = |t: String| dipgraph::diag::escape::terminal(&t).into_owned();
        let (text, code) = match self {
            Failure::Data(t) => (t, 1),
            Failure::Usage(t) => (escaped(format!("error: {t}\n")), 2),
            Failure::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                return ExitCode::SUCCESS;
            }
            Failure::Io(e) => (escaped(format!("error: cannot write output: {e}\n")), 2),
            Failure::Corrupt => (
                "error: the cache file could not be read, even after it was built again; run again with --no-cache\n".to_string(),
                2,
            ),
        };
        let text = with_severities(&text, stderr_colour());
        let _ = std::io::stderr().write_all(text.as_bytes());
        ExitCode::from(code)
    }
}

/// Whether stderr takes colour: as anstream decides (a terminal, unless `NO_COLOR`;
/// `CLICOLOR_FORCE` forces it).
fn stderr_colour() -> bool {
    anstream::AutoStream::choice(&std::io::stderr()) != ColorChoice::Never
}

/// Diagnostics as shown on stderr: in colour where it takes colour.
pub fn for_stderr(diags: &[Diagnostic], files: &[SourceFile]) -> String {
    render::to_text_in(diags, files, stderr_colour())
}

/// `text` with the `error:` and `warning:` that start its lines in their colours, when
/// `colour`.
fn with_severities(text: &str, colour: bool) -> std::borrow::Cow<'_, str> {
    use anstyle::{AnsiColor, Color, Style};
    if !colour {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let (word, colour) = if line.starts_with("error:") {
            ("error:", AnsiColor::Red)
        } else if line.starts_with("warning:") {
            ("warning:", AnsiColor::Yellow)
        } else {
            out.push_str(line);
            continue;
        };
        let style = Style::new().fg_color(Some(Color::Ansi(colour))).bold();
        out.push_str(&format!(
            "{}{word}{}{}",
            style.render(),
            style.render_reset(),
            &line[word.len()..]
        ));
    }
    out.into()
}

/// The global options, resolved.
pub struct Context {
    /// Where the data comes from.
    pub source: Result<DataSource, String>,
    /// `--data`, as given.
    pub data: Option<PathBuf>,
    /// Output format.
    pub format: Format,
    /// "Today": the default date of the dated questions.
    pub today: Date,
    /// Whether a cache may be read and written (`--no-cache` says no).
    pub use_cache: bool,
    /// Whether tables keep every column whole on a terminal (`--wide`).
    pub wide: bool,
    /// Whether CSV cells are written exactly (`--csv-raw`), or guarded against formulas.
    pub csv_raw: bool,
}

/// The failure of a question on data with errors: every error (`shown`), then what to do.
fn refuse(mut shown: String, errors: usize, source: &DataSource) -> Failure {
    let s = if errors == 1 { "" } else { "s" };
    shown.push_str(&match source {
        DataSource::Revision(r) => format!(
            "error: the data at {} has {errors} error{s}; no question is answered from it (see `dipgraph --as-recorded {} validate`)\n",
            r.describe(),
            r.typed,
        ),
        _ => format!(
            "error: the data has {errors} error{s}; fix {} (see `dipgraph validate`) before asking questions\n",
            if errors == 1 { "it" } else { "them" }
        ),
    });
    Failure::Data(shown)
}

/// [`refuse`], for the errors of `problems`; `None` when there are none, or a file changed
/// since they were found.
fn refusal(mut problems: Problems, source: &DataSource) -> Option<Failure> {
    problems
        .diagnostics
        .retain(|d| d.severity() == Severity::Error);
    let errors = problems.diagnostics.len();
    let mut shown = String::new();
    let read = problems.in_runs(|run, files| shown.push_str(&for_stderr(run, files)));
    (errors > 0 && read).then(|| refuse(shown, errors, source))
}

/// Data smaller than this is loaded in full every time: that is quick, and leaves no cache
/// files behind for small folders. `DIPGRAPH_CACHE_MIN_BYTES` changes it.
const CACHE_MIN_BYTES: u64 = 1 << 20;

/// The threads to check data file by file with: one for data a thread reads in a few
/// milliseconds (starting more costs more than they save), else every core.
fn threads_for(key: &Key) -> usize {
    if key.bytes() < load::parallel::PARALLEL_BYTES {
        1
    } else {
        load::parallel::cores()
    }
}

/// Where caches go: `DIPGRAPH_CACHE_DIR`, else `$XDG_CACHE_HOME/dipgraph`, else
/// `~/.cache/dipgraph`.
pub fn cache_dir() -> Option<PathBuf> {
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
        dipgraph::diag::escape::one_line(&path.to_string_lossy())
    );
}

/// Marks the cache at `path` as used now (its modification time), for `cache list` and for
/// evicting the caches used longest ago first.
fn mark_used(path: &std::path::Path) {
    if let Ok(f) = load::open_regular(path) {
        let _ = f.set_modified(std::time::SystemTime::now());
    }
}

/// After a cache was written at `path`: the others are evicted, oldest-used first, to keep
/// every cache within `DIPGRAPH_CACHE_MAX_BYTES`; a cache larger than that alone is not kept,
/// and that is said (each call will then read every file).
fn kept_within_cap(path: &std::path::Path) {
    let Some(dir) = path.parent() else { return };
    if super::cache::evict(dir, path) {
        let _ = writeln!(
            std::io::stderr(),
            "warning: the cache of this data is larger than DIPGRAPH_CACHE_MAX_BYTES ({} bytes), so it was not kept; each call reads every file again (raise it, or pass --no-cache)",
            super::cache::max_bytes()
        );
    }
}

impl Context {
    /// Resolves `--data` (default `./graph`, else the bundled dataset) and "today".
    pub fn new(data: Option<PathBuf>, format: Format, today: Option<Date>) -> Context {
        let source = match data.clone() {
            Some(p) if p.is_file() => Err(format!(
                "`{}` is a file; --data names a data folder (of `.ron` files)",
                p.display()
            )),
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
            data,
            format,
            today,
            use_cache: true,
            wide: false,
            csv_raw: false,
        }
    }

    /// Reads the data as it was at git revision `rev` (`--as-recorded`): the data folder
    /// (`--data`, default `./graph`) at that commit.
    pub fn as_recorded(&mut self, rev: &str) {
        self.source = self
            .revision(rev)
            .map(|r| DataSource::Revision(Box::new(r)));
    }

    /// The data folder (`--data`, default `./graph`) at git revision `rev`.
    pub fn revision(&self, rev: &str) -> Result<Revision, String> {
        let folder = self.data.clone().unwrap_or_else(|| PathBuf::from("graph"));
        Revision::read(&folder, rev).map_err(|e| e.to_string())
    }

    /// The commit the data is read from, with `--as-recorded`.
    pub fn recorded(&self) -> Option<&Commit> {
        match &self.source {
            Ok(DataSource::Revision(r)) => Some(&r.commit),
            _ => None,
        }
    }

    /// What a diagram's title adds with `--as-recorded`: ` (as recorded in commit ...)`.
    pub fn recorded_in_title(&self) -> Option<String> {
        self.recorded()
            .map(|c| format!(" (as recorded in {})", c.describe()))
    }

    /// The key of the data, when it is a folder large enough to be worth a cache (whether or
    /// not one may be kept).
    fn large(source: &DataSource) -> Option<Key> {
        let key = match source {
            DataSource::Path(root) => Key::of(root)?,
            DataSource::Revision(r) => Key::of_revision(r)?,
            DataSource::Bundled => return None,
        };
        let min = std::env::var("DIPGRAPH_CACHE_MIN_BYTES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(CACHE_MIN_BYTES);
        (key.bytes() >= min).then_some(key)
    }

    /// The key of the data and the path of its cache, when the data is large enough to be
    /// worth one and a cache may be kept.
    pub fn cache_of_data(&self) -> Result<Option<(Key, PathBuf)>, Failure> {
        let source = self.source.clone().map_err(Failure::Usage)?;
        Ok(Context::large(&source).zip(self.cache_path(&source)))
    }

    /// Where the cache of the data is kept, when one may be.
    fn cache_path(&self, source: &DataSource) -> Option<PathBuf> {
        if !self.use_cache {
            return None;
        }
        match source {
            DataSource::Path(root) => Some(cache::file_for(root, &cache_dir()?)),
            DataSource::Revision(r) => Some(cache::file_for_tree(&r.tree, &cache_dir()?)),
            DataSource::Bundled => None,
        }
    }

    /// The store of data from `source`, for a question: the cache file when it matches the
    /// data; else, for large data, a cache built now from the files (and written, when one
    /// may be kept); else the data loaded whole. Data with errors is refused with every error
    /// shown. With `rebuild`, a cache file is not read but built again.
    fn open(&self, source: &DataSource, rebuild: bool) -> Result<Box<dyn Store>, Failure> {
        let source = source.clone();
        let Some(key) = Context::large(&source) else {
            return self.load_valid(&source);
        };
        let path = self.cache_path(&source);
        if let Some(path) = &path
            && !rebuild
        {
            match CacheFile::open(path, &key) {
                Ok(c) => {
                    mark_used(path);
                    return Ok(Box::new(c));
                }
                Err(Unusable::Missing | Unusable::Stale | Unusable::Corrupt) => {}
            }
        }
        // Large data is checked and indexed file by file, never held as structs all at once.
        let progress = Loading::new();
        let Some(outcome) = cache::build::examine(&key, threads_for(&key), &|p| progress.update(p))
        else {
            // A file changed while it was read: the data as it is now, loaded whole.
            return self.load_valid(&source);
        };
        let Some(checked) = outcome.checked else {
            return Err(refusal(outcome.problems, &source).unwrap_or_else(|| {
                Failure::Usage("the data changed while it was read; run again".into())
            }));
        };
        Ok(Box::new(self.lay_out(&checked, &key, path.as_deref())?))
    }

    /// The cache of data checked file by file, laid out: in its file when one may be kept (a
    /// cache that cannot be written costs the next call speed, not this one its answer), else
    /// in a temporary file of this process's own, else in memory.
    fn lay_out(
        &self,
        checked: &Checked,
        key: &Key,
        path: Option<&std::path::Path>,
    ) -> Result<CacheFile, Failure> {
        if let Some(path) = path {
            match checked.cache_at(key, Place::File(path)) {
                Ok(c) => {
                    kept_within_cap(path);
                    return Ok(c);
                }
                Err(e) => cache_not_written(path, &e),
            }
        }
        let temp = std::env::temp_dir();
        if let Ok(c) = checked.cache_at(key, Place::Temporary(&temp)) {
            return Ok(c);
        }
        checked
            .cache_at(key, Place::Memory)
            .map_err(|e| Failure::Usage(format!("cannot lay out the cache in memory: {e}")))
    }

    /// The data loaded whole, as a store; its errors refuse the question.
    fn load_valid(&self, source: &DataSource) -> Result<Box<dyn Store>, Failure> {
        let loaded = self.load_from(source);
        let errors: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity() == Severity::Error)
            .cloned()
            .collect();
        if !errors.is_empty() {
            let shown = for_stderr(&errors, &loaded.dataset.files);
            return Err(refuse(shown, errors.len(), source));
        }
        let clean = loaded.diagnostics.is_empty();
        Ok(Box::new(MemoryStore::new(loaded.dataset, clean)))
    }

    /// Loads and validates the data, with every problem found.
    fn load_from(&self, source: &DataSource) -> Loaded {
        let progress = Loading::new();
        let mut loaded = load::load_with(source, &|p| progress.update(p));
        loaded.diagnostics.extend(validate::check(&loaded.dataset));
        dipgraph::diag::sort(&mut loaded.diagnostics);
        loaded
    }

    /// Runs `ask` on the store of the data. A cache file found damaged while read is built
    /// again from the files and `ask` runs again; an answer written from a cache that then
    /// failed to read fails the command.
    pub fn with_store(
        &self,
        ask: impl Fn(&dyn Store) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        self.with_store_of(&self.data_source()?, ask)
    }

    /// [`Context::with_store`], on data from `source`.
    pub fn with_store_of(
        &self,
        source: &DataSource,
        ask: impl Fn(&dyn Store) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let source = checked(source)?;
        let store = self.open(&source, false)?;
        let result = match ask(store.as_ref()) {
            Err(Failure::Corrupt) => {
                drop(store);
                let store = self.open(&source, true)?;
                let again = ask(store.as_ref());
                let damaged = store.damaged();
                std::mem::forget(store);
                (again, damaged)
            }
            other => {
                let damaged = store.damaged();
                // Not freed: the process ends right after (see `cli::ask`).
                std::mem::forget(store);
                (other, damaged)
            }
        };
        match result {
            (Ok(()), true) => Err(Failure::Usage(
                "the cache file changed while it was read, so the answer above may be wrong; run again".into(),
            )),
            (r, _) => r,
        }
    }

    /// Loads and validates the data whole, with every problem found: for the commands that
    /// change files.
    pub fn load_checked(&self) -> Result<Loaded, Failure> {
        let source = self.source.clone().map_err(Failure::Usage)?;
        Ok(self.load_from(&source))
    }

    /// Where the data comes from, for a command that reads it: a folder must hold `.ron` files.
    fn data_source(&self) -> Result<DataSource, Failure> {
        checked(&self.source.clone().map_err(Failure::Usage)?)
    }

    /// What `validate` says it checked: `graph`, the dataset built into dipgraph, or `graph
    /// at `HEAD~1` (commit ...)`.
    pub fn data_name(&self) -> String {
        match &self.source {
            Ok(DataSource::Path(p)) => {
                dipgraph::diag::escape::one_line(&p.display().to_string()).into_owned()
            }
            Ok(DataSource::Revision(r)) => {
                let name = format!("{} at {}", folder_name(&r.folder), r.describe());
                dipgraph::diag::escape::one_line(&name).into_owned()
            }
            Ok(DataSource::Bundled) => "the dataset built into dipgraph".to_string(),
            Err(_) => String::new(),
        }
    }

    /// Every problem of the data, for `validate`: none when a cache says it has none; else as
    /// a check file by file finds them (large data), else as a full load does.
    pub fn problems(&self) -> Result<Problems, Failure> {
        let source = self.data_source()?;
        if let Some(key) = Context::large(&source) {
            if let Some(path) = self.cache_path(&source)
                && let Ok(c) = CacheFile::open(&path, &key)
                && c.summary().clean
            {
                let records = c.entity_count() + c.fact_count();
                return Ok(Problems::loaded(Vec::new(), key.source_files(), records));
            }
            if let Some(outcome) = cache::build::examine(&key, threads_for(&key), &|_| {}) {
                // Data without errors gets its cache, as for a question.
                if let (Some(checked), Some(path)) = (&outcome.checked, self.cache_path(&source)) {
                    match checked.cache_at(&key, Place::File(&path)) {
                        Ok(_) => kept_within_cap(&path),
                        Err(e) => cache_not_written(&path, &e),
                    }
                }
                return Ok(outcome.problems);
            }
        }
        self.problems_in_full()
    }

    /// Every problem of the data, as a full load finds them.
    pub fn problems_in_full(&self) -> Result<Problems, Failure> {
        let loaded = self.load_checked()?;
        let records = loaded.dataset.entities.len() + loaded.dataset.facts.len();
        Ok(Problems::loaded(
            loaded.diagnostics,
            loaded.dataset.files,
            records,
        ))
    }

    /// What documents are laid out for: CSV, or a table (Markdown is written from a table's
    /// layout, JSON from the answers).
    pub fn layout(&self) -> dipgraph::render::views::Layout {
        match self.format {
            Format::Csv => dipgraph::render::views::Layout::Csv,
            Format::Table | Format::Json | Format::Markdown => {
                dipgraph::render::views::Layout::Table
            }
        }
    }

    /// Where a table is shown. Its width: the terminal's (`COLUMNS`, else as the terminal
    /// says) when stdout is one, none when it is piped (scripts see every column whole) or with
    /// `--wide`. Its colour: as anstream decides for stdout (a terminal, unless `NO_COLOR`;
    /// `CLICOLOR_FORCE` forces it).
    fn screen(&self) -> dipgraph::render::table::Screen {
        let colour = anstream::AutoStream::choice(&std::io::stdout()) != ColorChoice::Never;
        let width = if self.wide || !std::io::stdout().is_terminal() {
            None
        } else {
            let columns = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok());
            columns
                .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
                .filter(|&w| w > 0)
        };
        dipgraph::render::table::Screen { width, colour }
    }

    /// How CSV cells are written: guarded against formulas, unless `--csv-raw`.
    pub fn csv_cells(&self) -> dipgraph::render::csv::Cells {
        if self.csv_raw {
            dipgraph::render::csv::Cells::Raw
        } else {
            dipgraph::render::csv::Cells::Guarded
        }
    }

    /// The date asked about: `--on`, else today.
    pub fn on(&self, on: Option<Date>) -> Date {
        on.unwrap_or(self.today)
    }

    /// The record `text` names in `store` (an id in any case, a name, an alias, a unique word
    /// of a name); an unknown or ambiguous name is a usage error listing candidates.
    pub fn record(&self, store: &dyn Store, text: &str) -> Result<Target, Failure> {
        match Resolver::new(store).resolve(text) {
            Ok(t) => Ok(t),
            Err(NameError::Corrupt) => Err(Failure::Corrupt),
            Err(NameError::Unresolved(e)) => Err(Failure::Usage(e.to_string())),
        }
    }

    /// The entity `text` names; a fact is a usage error too.
    pub fn entity(&self, store: &dyn Store, text: &str) -> Result<usize, Failure> {
        match self.record(store, text)? {
            Target::Entity(i) => Ok(i),
            Target::Fact(i) => Err(Failure::Usage(format!(
                "`{}` is a {} fact, not a state, organization or person",
                text,
                store.fact(i)?.kind().as_str()
            ))),
        }
    }

    /// `ask` with every typed name resolved in `store` (usage errors for names that name
    /// nothing, several records, or a fact where an entity is wanted).
    pub fn resolve(&self, store: &dyn Store, mut ask: Ask) -> Result<Resolved, Failure> {
        for (_, name, wants) in ask.names_mut() {
            if let Name::Typed(text) = name {
                let target = match wants {
                    Wants::Entity => Target::Entity(self.entity(store, text)?),
                    Wants::Record => self.record(store, text)?,
                };
                *name = Name::Resolved(target);
            }
        }
        Resolved::new(ask)
            .map_err(|a| Failure::Usage(format!("`{}`: a name could not be resolved", a.command())))
    }
    /// Writes `text`, a note for people (not data), to stdout, its control characters escaped.
    pub fn out(&self, text: &str) -> Result<(), Failure> {
        let text = dipgraph::diag::escape::terminal(text);
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(Failure::Io)
    }

    /// Writes `doc` in the chosen text format (table or CSV), or JSON from `results`.
    pub fn emit<'a, T: serde::Serialize + ?Sized>(
        &self,
        query: &str,
        on: Option<Date>,
        results: &T,
        doc: impl FnOnce() -> dipgraph::render::Doc<'a>,
    ) -> Result<(), Failure> {
        self.emit_with_notes(query, on, results, &[], doc)
    }

    /// [`Context::emit`], with notes on the answer's limits: a `notes` list in JSON, lines
    /// under a table, none in CSV.
    pub fn emit_with_notes<'a, T: serde::Serialize + ?Sized>(
        &self,
        query: &str,
        on: Option<Date>,
        results: &T,
        notes: &[String],
        doc: impl FnOnce() -> dipgraph::render::Doc<'a>,
    ) -> Result<(), Failure> {
        use dipgraph::render;
        // Written as it is made: a large answer is not held a second time as text.
        let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let recorded = self.recorded();
        let extra = render::json::Extra { notes, recorded };
        match self.format {
            Format::Json => {
                render::json::write_json(&mut stdout, query, on, results, extra).map_err(|e| {
                    match e.io_error_kind() {
                        Some(_) => Failure::Io(e.into()),
                        None => Failure::Usage(format!("cannot write JSON: {e}")),
                    }
                })?;
            }
            Format::Csv => {
                render::csv::write_csv(&doc(), self.csv_cells(), &mut stdout).map_err(
                    |e| match e.kind() {
                        csv::ErrorKind::Io(_) => match e.into_kind() {
                            csv::ErrorKind::Io(io) => Failure::Io(io),
                            other => Failure::Usage(format!("cannot write CSV: {other:?}")),
                        },
                        _ => Failure::Usage(format!("cannot write CSV: {e}")),
                    },
                )?;
            }
            Format::Table | Format::Markdown => {
                let mut doc = doc();
                if let Some(c) = recorded {
                    // Under the heading, or first when there is none.
                    let at = match doc.blocks.first() {
                        Some(render::Block::Heading(_)) => 1,
                        _ => 0,
                    };
                    let line = render::Block::Text(format!("as recorded in {}", c.describe()));
                    doc.blocks.insert(at, line);
                }
                if !notes.is_empty() {
                    doc.push(render::Block::Text(String::new()));
                    for n in notes {
                        doc.push(render::Block::Text(format!("note: {n}")));
                    }
                }
                if self.format == Format::Markdown {
                    render::markdown::write_markdown(&doc, &mut stdout).map_err(Failure::Io)?
                } else {
                    render::table::write_text_on(&doc, self.screen(), &mut stdout)
                        .map_err(Failure::Io)?
                }
            }
        }
        stdout.flush().map_err(Failure::Io)
    }
}

/// `source`, when it holds data files (a folder must hold `.ron` files).
fn checked(source: &DataSource) -> Result<DataSource, Failure> {
    match source {
        DataSource::Path(root) => {
            let any = walkdir::WalkDir::new(root)
                .follow_links(true)
                .into_iter()
                .filter_map(Result::ok)
                .any(|e| e.path().extension().is_some_and(|x| x == "ron"));
            if !any {
                return Err(Failure::Usage(format!(
                    "the data folder `{}` holds no `.ron` files (give --data a folder of data files, or leave it out for ./graph or the bundled dataset)",
                    root.display()
                )));
            }
        }
        DataSource::Revision(r) if r.files.is_empty() => {
            return Err(Failure::Usage(format!(
                "the data folder `{}` holds no `.ron` files at {}",
                folder_name(&r.folder),
                r.describe()
            )));
        }
        _ => {}
    }
    Ok(source.clone())
}

/// A folder's path in a repository as shown: `graph`, or `.` for the top.
fn folder_name(folder: &str) -> &str {
    if folder.is_empty() { "." } else { folder }
}
