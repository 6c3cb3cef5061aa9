//! Importers: public data sets read into dipgraph records, written to a file of their own
//! (`graph/imported/cow-alliances.ron`) with their provenance on every record.
//!
//! An import runs in one pass and writes nothing until the end: read and check the source file
//! (a malformed line stops it, naming the line), match the entities it names with those the
//! data already has ([`merge`]), lay the records out ([`emit`]), load and validate the whole
//! result in memory, and only then replace the file atomically. The same source file gives the
//! same bytes every time: records are sorted by id, and provenance names the file and line,
//! never a time.
//!
//! Nothing here prints; progress goes to a callback the caller provides.

pub mod cameo;
pub mod cow_alliances;
pub mod cow_states;
pub mod crosswalk;
pub mod emit;
pub mod gdelt;
pub mod merge;
pub mod opensanctions;
pub mod rows;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diag::{self, Severity};
use crate::load::{self, Input, Loaded};
use crate::model::{Date, EntityKind};
use emit::Rec;
use merge::{Candidate, How, Resolution};
use rows::BadLine;

/// The data sets dipgraph imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// COW State System Membership List (`states2016.csv`).
    CowStates,
    /// COW Formal Alliances by member (`alliance_v4.1_by_member.csv`).
    CowAlliances,
    /// OpenSanctions FollowTheMoney entities (JSON lines).
    OpenSanctions,
    /// GDELT 2.0 events.
    Gdelt,
}

impl Source {
    /// Every source.
    pub const ALL: [Source; 4] = [
        Source::CowStates,
        Source::CowAlliances,
        Source::OpenSanctions,
        Source::Gdelt,
    ];

    /// The name on the command line, and of the file written (`cow-alliances.ron`).
    pub fn name(self) -> &'static str {
        match self {
            Source::CowStates => "cow-states",
            Source::CowAlliances => "cow-alliances",
            Source::OpenSanctions => "opensanctions",
            Source::Gdelt => "gdelt",
        }
    }
}

/// Which GDELT rows to import.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GdeltFilter {
    /// Keep rows where one of these states (ISO alpha-3, upper case) is an actor; all when
    /// empty.
    pub actors: Vec<String>,
    /// Keep rows on or after this date.
    pub from: Option<Date>,
    /// Keep rows on or before this date.
    pub to: Option<Date>,
    /// Keep rows whose CAMEO root code (`04`) is one of these; all when empty.
    pub root_codes: Vec<String>,
    /// Keep rows mentioned at least this many times.
    pub min_mentions: Option<u64>,
    /// The CAMEO-to-PLOVER table (`CAMEO2PLOVER-2021.txt`) for PLOVER modes and contexts; the
    /// PLOVER event type is known without it.
    pub plover: Option<PathBuf>,
}

/// What to import, from where, into where.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The data set.
    pub source: Source,
    /// The file to read.
    pub input: PathBuf,
    /// The data folder whose entities are matched (`graph/`).
    pub data: PathBuf,
    /// The folder the file is written to (default `<data>/imported`).
    pub into: Option<PathBuf>,
    /// GDELT rows to keep.
    pub gdelt: GdeltFilter,
    /// cow-alliances: keep only the members that are states of the data, and only the
    /// alliances with two or more of them; write no new state.
    pub known_states: bool,
}

impl Options {
    /// The file the import writes: `<into>/<source>.ron`.
    pub fn target(&self) -> PathBuf {
        let dir = self
            .into
            .clone()
            .unwrap_or_else(|| self.data.join("imported"));
        dir.join(format!("{}.ron", self.source.name()))
    }
}

/// How far an import has come, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Reading the source: bytes done of the total.
    Read {
        /// Bytes read.
        done: u64,
        /// Bytes in all.
        total: u64,
    },
    /// A later stage: `"matching"`, `"validating"`.
    Stage(&'static str),
}

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum ImportError {
    /// Bad options (exit 2).
    Usage(String),
    /// A file could not be read or written (exit 2).
    Io {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// A line of the source file is not what the data set has (exit 2).
    Malformed {
        /// The source file.
        path: String,
        /// Its line (1-based).
        line: u64,
        /// What is wrong, and what was expected.
        message: String,
    },
    /// The data with the imported file has errors (exit 1); the loaded result holds the files
    /// and the error diagnostics, for rendering.
    Invalid(Box<Loaded>),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Usage(m) => f.write_str(m),
            ImportError::Io { path, message } => write!(f, "{path}: {message}"),
            ImportError::Malformed {
                path,
                line,
                message,
            } => write!(f, "{path}:{line}: {message}"),
            ImportError::Invalid(l) => write!(
                f,
                "the data with the imported file has {} error(s)",
                l.diagnostics.len()
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// What an importer read: the entities it names and the facts it makes.
#[derive(Debug, Clone, Default)]
pub struct Extract {
    /// Entities, each once; facts refer to them by index ([`emit::Value::Ref`]).
    pub entities: Vec<Candidate>,
    /// Facts, with references still as indexes.
    pub facts: Vec<Rec>,
    /// Data rows (or lines) read.
    pub rows: u64,
    /// Rows or items left out, by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Problems worth telling that did not stop the import.
    pub warnings: Vec<String>,
    /// Comment lines for the top of the file: what it holds and where it came from.
    pub header: Vec<String>,
}

impl Extract {
    /// Counts one item left out for `reason`.
    pub fn skip(&mut self, reason: impl Into<String>) {
        *self.skipped.entry(reason.into()).or_default() += 1;
    }
}

/// Collects an importer's entities, one per key.
#[derive(Debug, Default)]
pub struct Entities {
    list: Vec<Candidate>,
    by_key: HashMap<String, usize>,
}

impl Entities {
    /// The index of the entity with `key`, made by `make` (given its index) the first time.
    pub fn add(&mut self, key: &str, make: impl FnOnce(usize) -> Candidate) -> usize {
        if let Some(&i) = self.by_key.get(key) {
            return i;
        }
        let i = self.list.len();
        self.list.push(make(i));
        self.by_key.insert(key.to_string(), i);
        i
    }

    /// The entity at `i`.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Candidate> {
        self.list.get_mut(i)
    }

    /// All of them, in the order added.
    pub fn into_vec(self) -> Vec<Candidate> {
        self.list
    }
}

/// A state named by its dipgraph id (an ISO code, or a historical id of the crosswalk):
/// `State(id, name, cow)` when it is new.
pub fn state_candidate(
    entities: &mut Entities,
    id: &str,
    name: &str,
    cow: Option<u32>,
    note: Option<String>,
) -> usize {
    let id = id.to_ascii_uppercase();
    entities.add(&format!("state:{id}"), |me| Candidate {
        kind: EntityKind::State,
        id: id.clone(),
        id_is_code: true,
        cow,
        names: vec![name.to_string()],
        record: Rec::new("State")
            .with("id", emit::Value::Ref(me))
            .with("name", name)
            .opt("cow", cow)
            .opt("note", note),
    })
}

/// What an import did, or would do.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The data set (`cow-alliances`).
    pub source: &'static str,
    /// The file read.
    pub input: String,
    /// The file written.
    pub file: String,
    /// Data rows (or lines) read.
    pub rows: u64,
    /// Records written, by kind.
    pub written: BTreeMap<&'static str, usize>,
    /// Treaty parties written.
    pub parties: usize,
    /// Entities matched with existing ones, by how.
    pub matched: BTreeMap<How, usize>,
    /// Entities written as new.
    pub new_entities: usize,
    /// Rows or items left out, by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Problems worth telling.
    pub warnings: Vec<String>,
    /// Whether the file already holds exactly this text.
    pub unchanged: bool,
}

/// An import ready to write.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Where it goes.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// What it holds.
    pub summary: Summary,
}

fn shown(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Reads, matches, lays out and validates an import; writes nothing.
pub fn plan(opts: &Options, progress: &mut dyn FnMut(Progress)) -> Result<Plan, ImportError> {
    let input_shown = shown(&opts.input);
    let bytes = std::fs::read(&opts.input).map_err(|e| ImportError::Io {
        path: input_shown.clone(),
        message: format!("cannot be read: {e}"),
    })?;
    let file_name = opts
        .input
        .file_name()
        .map_or_else(|| input_shown.clone(), |n| n.to_string_lossy().into_owned());
    let malformed = |b: BadLine| ImportError::Malformed {
        path: input_shown.clone(),
        line: b.line,
        message: b.message,
    };
    if opts.known_states && opts.source != Source::CowAlliances {
        return Err(ImportError::Usage(
            "--known-states applies to `import cow-alliances` only".into(),
        ));
    }
    let mut extract = match opts.source {
        Source::CowStates => cow_states::read(&bytes, &file_name, progress).map_err(malformed)?,
        Source::CowAlliances => {
            cow_alliances::read(&bytes, &file_name, progress).map_err(malformed)?
        }
        Source::OpenSanctions => {
            opensanctions::read(&bytes, &file_name, progress).map_err(malformed)?
        }
        Source::Gdelt => {
            let plover = match &opts.gdelt.plover {
                Some(p) => {
                    let text = std::fs::read_to_string(p).map_err(|e| ImportError::Io {
                        path: shown(p),
                        message: format!("cannot be read: {e}"),
                    })?;
                    Some(
                        cameo::Plover::parse(&text).map_err(|b| ImportError::Malformed {
                            path: shown(p),
                            line: b.line,
                            message: b.message,
                        })?,
                    )
                }
                None => None,
            };
            gdelt::read(&bytes, &file_name, &opts.gdelt, plover.as_ref(), progress)
                .map_err(malformed)?
        }
    };
    progress(Progress::Stage("matching"));
    let target = opts.target();
    let (inputs, pre) = existing_inputs(opts, &target);
    let existing = load::load_inputs(inputs.clone(), Vec::new());
    let fact_ids: HashSet<String> = extract
        .facts
        .iter()
        .filter_map(|f| f.get_str("id").map(str::to_string))
        .collect();
    let merged = merge::merge(&existing.dataset, &extract.entities, &fact_ids);
    let ids: Vec<String> = merged
        .resolutions
        .iter()
        .map(|r| r.id().to_string())
        .collect();
    let mut records = Vec::new();
    for (c, r) in extract.entities.iter().zip(&merged.resolutions) {
        if let Resolution::New { .. } = r {
            if opts.known_states {
                continue;
            }
            let mut rec = c.record.clone();
            rec.resolve(&ids);
            records.push(rec);
        }
    }
    let new_entities = records.len();
    let mut warnings = std::mem::take(&mut extract.warnings);
    let starts = starts(&existing.dataset, &records);
    let curated = match opts.source {
        Source::CowAlliances => cow_alliances::curated(&existing.dataset),
        _ => BTreeMap::new(),
    };
    let known: Vec<bool> = merged
        .resolutions
        .iter()
        .map(|r| matches!(r, Resolution::Existing { .. }))
        .collect();
    let facts = std::mem::take(&mut extract.facts);
    for f in &facts {
        let mut rec = f.clone();
        if opts.source == Source::CowAlliances {
            if let Some(same) = cow_alliances::same_as(&rec, &curated) {
                cow_alliances::compare(&rec, same, &existing.dataset, &ids, &mut warnings);
                extract.skip(format!(
                    "alliance the same as a curated treaty (cited by its COW number): {}",
                    same
                ));
                continue;
            }
            if opts.known_states && !cow_alliances::keep_known(&mut rec, &known, &ids) {
                extract.skip("alliance with fewer than two members among the data's states");
                continue;
            }
        }
        rec.resolve(&ids);
        reconcile(&mut rec, &starts, &mut warnings);
        records.push(rec);
    }
    records.sort_by(|a, b| {
        kind_rank(a.kind)
            .cmp(&kind_rank(b.kind))
            .then_with(|| emit::natural_cmp(&a.sort_key(), &b.sort_key()))
    });
    // Printed by `fmt`'s own printer, so imported files are exactly what `dipgraph fmt` would
    // make of them.
    let text = emit::file(&extract.header, &records);

    progress(Progress::Stage("validating"));
    let mut all = inputs;
    all.push(Input {
        path: shown(&target),
        bytes: Ok(text.clone().into_bytes()),
    });
    let mut loaded = load::load_inputs(all, pre);
    loaded
        .diagnostics
        .extend(crate::validate::check(&loaded.dataset));
    diag::sort(&mut loaded.diagnostics);
    loaded
        .diagnostics
        .retain(|d| d.severity() == Severity::Error);
    if !loaded.diagnostics.is_empty() {
        return Err(ImportError::Invalid(Box::new(loaded)));
    }

    let mut written: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut parties = 0;
    for r in &records {
        *written.entry(r.kind).or_default() += 1;
        if let Some(emit::Value::List(p)) = r.get("parties") {
            parties += p.len();
        }
    }
    let unchanged = std::fs::read(&target).is_ok_and(|old| old == text.as_bytes());
    warnings.extend(merged.warnings);
    Ok(Plan {
        summary: Summary {
            source: opts.source.name(),
            input: input_shown,
            file: shown(&target),
            rows: extract.rows,
            written,
            parties,
            matched: merged.matched,
            new_entities,
            skipped: extract.skipped,
            warnings,
            unchanged,
        },
        path: target,
        text,
    })
}

/// When each entity begins (a state's `from`, an organization's `founded`, a person's `born`),
/// by id key: the data's entities, and the new ones the import writes.
fn starts(data: &crate::model::Dataset, new: &[Rec]) -> HashMap<String, Date> {
    let mut out = HashMap::new();
    for e in &data.entities {
        if let Some(d) = e.existence.from {
            out.insert(crate::model::id_key(&e.id), d);
        }
    }
    for r in new {
        let field = match r.kind {
            "State" => "from",
            "Organization" => "founded",
            "Person" => "born",
            _ => continue,
        };
        if let (Some(id), Some(d)) = (r.get_str("id"), r.get_str(field))
            && let Ok(d) = Date::parse(d)
        {
            out.insert(crate::model::id_key(id), d);
        }
    }
    out
}

/// A fact that starts, by the source's dates, before an entity it ties begins in the data (COW
/// has the Czech Republic and Slovakia sign alliance 367 on 1992-11-23; a curated `State` may
/// start them on 1993-01-01; a director's role may predate the company's re-registration): it is
/// dated from the entity's start, and the source's date is kept as a disputed reading with the
/// fact's sources, so that "in force" on the days between is possible rather than certain, and
/// the data still validates. Treaty parties, roles, memberships and sanctions (by their sender)
/// are reconciled; each one reconciled is a warning.
fn reconcile(rec: &mut Rec, starts: &HashMap<String, Date>, warnings: &mut Vec<String>) {
    let label = rec.sort_key();
    match rec.kind {
        "Treaty" => {
            let Some((_, emit::Value::List(parties))) =
                rec.fields.iter_mut().find(|(n, _)| *n == "parties")
            else {
                return;
            };
            for p in parties {
                if let emit::Value::Rec(party) = p {
                    reconcile_one(party, &["state"], &label, starts, warnings);
                }
            }
        }
        "Role" => reconcile_one(rec, &["person", "of"], &label, starts, warnings),
        "Membership" => reconcile_one(rec, &["member", "of"], &label, starts, warnings),
        "Sanction" => reconcile_one(rec, &["by"], &label, starts, warnings),
        _ => {}
    }
}

fn reconcile_one(
    rec: &mut Rec,
    fields: &[&str],
    label: &str,
    starts: &HashMap<String, Date>,
    warnings: &mut Vec<String>,
) {
    let Some(Ok(from)) = rec.get_str("from").map(Date::parse) else {
        return;
    };
    let Some((id, exists)) = fields
        .iter()
        .filter_map(|f| rec.get_str(f))
        .filter_map(|id| starts.get(&crate::model::id_key(id)).map(|d| (id, *d)))
        .filter(|(_, d)| from.last() < d.first())
        .max_by_key(|(_, d)| d.first())
    else {
        return;
    };
    let until = rec.get_str("until").and_then(|u| Date::parse(u).ok());
    if until.is_some_and(|u| !crate::model::Interval::new(Some(exists), Some(u)).is_satisfiable()) {
        return; // the whole fact precedes the entity: leave it to validation
    }
    let id = id.to_string();
    let sources = rec
        .get("sources")
        .cloned()
        .unwrap_or(emit::Value::List(Vec::new()));
    let reading = Rec::new("Reading")
        .with("from", from)
        .with("sources", sources)
        .with(
            "note",
            format!("The source's date; `{id}` begins in this data on {exists}."),
        );
    for (name, value) in &mut rec.fields {
        if *name == "from" {
            *value = exists.into();
        }
    }
    let at = rec
        .fields
        .iter()
        .position(|(n, _)| *n == "sources")
        .unwrap_or(rec.fields.len());
    rec.fields
        .insert(at, ("disputed", emit::Value::List(vec![reading.into()])));
    warnings.push(format!(
        "`{label}` (`{id}`): starts on {from} by the source, before `{id}` begins in the data ({exists}); dated from {exists}, with the source's date as a disputed reading"
    ));
}

/// The order in which an imported file lists record kinds (and reports count them).
pub const KIND_ORDER: [&str; 9] = [
    "State",
    "Organization",
    "Person",
    "Membership",
    "Role",
    "Treaty",
    "Sanction",
    "Statement",
    "Event",
];

fn kind_rank(kind: &str) -> usize {
    KIND_ORDER
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(KIND_ORDER.len())
}

/// A path made absolute and free of `.`/`..` and links where it exists, for comparing.
fn canonical(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(dir), Some(name)) if !dir.as_os_str().is_empty() => canonical(dir).join(name),
        _ => std::env::current_dir().map_or_else(|_| p.to_path_buf(), |d| d.join(p)),
    }
}

/// The data's files (and the target folder's, when it lies outside the data), without the
/// target file itself: an import replaces its own file, so it never matches against it.
fn existing_inputs(opts: &Options, target: &Path) -> (Vec<Input>, Vec<diag::Diagnostic>) {
    let (mut inputs, mut diags) = load::discover(&opts.data);
    let data_root = canonical(&opts.data);
    if let Some(dir) = target.parent()
        && dir.is_dir()
        && !canonical(dir).starts_with(&data_root)
    {
        let (more, more_diags) = load::discover(dir);
        inputs.extend(more);
        diags.extend(more_diags);
    }
    let target = canonical(target);
    let mut seen = HashSet::new();
    inputs.retain(|i| {
        let c = canonical(Path::new(&i.path));
        c != target && seen.insert(c)
    });
    (inputs, diags)
}

/// Writes the plan's file atomically ([`crate::load::atomic`]: a temporary file in the same
/// folder, synced, then renamed over the target), creating the folder. Does nothing when the
/// file already holds the text.
pub fn write(plan: &Plan) -> Result<(), ImportError> {
    if plan.summary.unchanged {
        return Ok(());
    }
    let io = |e: std::io::Error| ImportError::Io {
        path: shown(&plan.path),
        message: format!("cannot be written: {e}"),
    };
    if let Some(dir) = plan.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    crate::load::atomic::write(&plan.path, plan.text.as_bytes()).map_err(io)
}

/// The `Source(...)` every imported fact cites.
pub fn source(title: String, url: &str, publisher: &str, published: Option<Date>) -> emit::Value {
    Rec::new("Source")
        .with("title", title)
        .with("url", url)
        .with("publisher", publisher)
        .opt("published", published)
        .into()
}

/// Reports progress every 1000 rows and at the end, so that a fast import does not spend its
/// time drawing.
pub struct Ticker<'a> {
    progress: &'a mut dyn FnMut(Progress),
    total: u64,
    count: u64,
}

impl<'a> Ticker<'a> {
    /// A ticker over `total` bytes.
    pub fn new(progress: &'a mut dyn FnMut(Progress), total: usize) -> Ticker<'a> {
        let total = total as u64;
        progress(Progress::Read { done: 0, total });
        Ticker {
            progress,
            total,
            count: 0,
        }
    }

    /// One more row, ending at byte `done`.
    pub fn tick(&mut self, done: u64) {
        self.count += 1;
        if self.count.is_multiple_of(1000) {
            (self.progress)(Progress::Read {
                done: done.min(self.total),
                total: self.total,
            });
        }
    }

    /// All read.
    pub fn finish(&mut self) {
        (self.progress)(Progress::Read {
            done: self.total,
            total: self.total,
        });
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Running importers on inline text.
    use super::*;

    /// No progress wanted.
    pub fn quiet() -> impl FnMut(Progress) {
        |_| {}
    }

    /// The records an extract writes into an empty dataset, laid out, after validation: the
    /// text, or the rendered errors.
    pub fn render(extract: &Extract) -> Result<String, String> {
        let empty = crate::model::Dataset::default();
        let merged = merge::merge(&empty, &extract.entities, &HashSet::new());
        let ids: Vec<String> = merged
            .resolutions
            .iter()
            .map(|r| r.id().to_string())
            .collect();
        let mut records: Vec<Rec> = extract
            .entities
            .iter()
            .map(|c| c.record.clone())
            .chain(extract.facts.iter().cloned())
            .collect();
        records.iter_mut().for_each(|r| r.resolve(&ids));
        records.sort_by(|a, b| {
            kind_rank(a.kind)
                .cmp(&kind_rank(b.kind))
                .then_with(|| emit::natural_cmp(&a.sort_key(), &b.sort_key()))
        });
        let text = emit::file(&[], &records);
        let loaded = load::from_text("t.ron", &text);
        let mut d = loaded.diagnostics.clone();
        d.extend(crate::validate::check(&loaded.dataset));
        d.retain(|d| d.severity() == Severity::Error);
        if d.is_empty() {
            Ok(text)
        } else {
            Err(diag::render::to_text(&d, &loaded.dataset.files))
        }
    }
}
