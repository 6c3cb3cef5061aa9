//! Importers: public data sets read into dipgraph records, written to files of their own
//! (`graph/imported/cow-alliances.ron`, or for a large import a folder of files,
//! `graph/imported/gdelt/0001.ron`, ...) with their provenance on every record.
//!
//! An import streams: the source is read a record at a time ([`input`], [`rows`]), from a
//! file or standard input, plain or compressed; each entity it names is matched with those the
//! data already has as it is first named, and each fact is laid out at once ([`output`]); what
//! does not fit one file is sorted by key in runs on disk. The records are then laid out in
//! files ([`files`]), each written to a temporary name, checked with the rest of the data
//! ([`check`]), and only then are all of them put in place ([`write`]). Memory does not grow
//! with the input, only with the records of one file.
//!
//! An import adds to what it wrote before ([`own`]): a record whose key (the source's own id)
//! is already there is left as it is, so importing the same file again changes nothing, and a
//! newer file of the same source adds only what is new. The same source file gives the same
//! bytes every time: records are sorted, and provenance names the file and line, never a time.
//!
//! Rows that cannot be read are counted and the first few shown with their lines; by default
//! they stop the import before anything is written ([`OnBadRows`]).
//!
//! Nothing here prints; progress goes to a callback the caller provides.

pub mod cameo;
pub mod check;
pub mod cow_alliances;
pub mod cow_states;
pub mod crosswalk;
pub mod emit;
pub mod files;
pub mod gdelt;
pub mod input;
pub mod merge;
pub mod opensanctions;
pub mod output;
pub mod own;
pub mod rows;
pub mod sink;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use crate::diag;
use crate::load::atomic::Staged;
use crate::load::{self, Input, Loaded};
use crate::model::{Date, EntityKind};
use emit::Rec;
use merge::{Candidate, How};
use rows::BadLine;
pub use sink::{Extract, Sink};

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

/// How far the reading of an import's source has come.
#[derive(Debug, Clone, Copy)]
pub struct Reading<'a> {
    /// Bytes of the input read (as given, before unpacking).
    pub bytes: u64,
    /// Bytes in all, where known (not for standard input).
    pub total: Option<u64>,
    /// Rows (or lines) read.
    pub rows: u64,
    /// Rows kept as facts (or found imported before).
    pub kept: u64,
    /// Rows that cannot be read.
    pub bad: u64,
    /// Rows left out, by reason.
    pub left_out: &'a BTreeMap<String, u64>,
}

/// How far an import has come, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// Reading the source.
    Rows(Reading<'a>),
    /// A later stage: `"checking"`, `"writing"`.
    Stage(&'static str),
}

/// What to do with rows that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnBadRows {
    /// Read on to count them, then write nothing.
    #[default]
    Refuse,
    /// Leave them out, count them, and import the rest.
    LeaveOut,
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
    /// Rows of the source cannot be read (exit 2).
    BadRows {
        /// The source file.
        path: String,
        /// The first of them.
        shown: Vec<BadLine>,
        /// How many there are.
        count: u64,
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
            ImportError::BadRows { path, shown, count } => {
                for (n, b) in shown.iter().enumerate() {
                    if n > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "{path}:{}: {}", b.line, b.message)?;
                }
                if *count > shown.len() as u64 || *count > 1 {
                    write!(
                        f,
                        "\n{count} rows cannot be read{}; `--skip-bad-rows` leaves them out and imports the rest",
                        if *count > shown.len() as u64 {
                            format!(" (the first {} shown)", shown.len())
                        } else {
                            String::new()
                        }
                    )?;
                }
                Ok(())
            }
            ImportError::Invalid(l) => write!(
                f,
                "the data with the imported file has {} error(s)",
                l.diagnostics.len()
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// A state named by its dipgraph id (an ISO code, or a historical id of the crosswalk):
/// `State(id, name, cow)` when it is new.
pub fn state_candidate(
    sink: &mut dyn Sink,
    id: &str,
    name: &str,
    cow: Option<u32>,
    note: impl FnOnce() -> Option<String>,
) -> usize {
    let id = id.to_ascii_uppercase();
    sink::entity(sink, &format!("state:{id}"), |me| Candidate {
        kind: EntityKind::State,
        id: id.clone(),
        id_is_code: true,
        cow,
        names: vec![name.to_string()],
        record: Rec::new("State")
            .with("id", emit::Value::Ref(me))
            .with("name", name)
            .opt("cow", cow)
            .opt("note", note()),
    })
}

/// What an import did, or would do.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The data set (`cow-alliances`).
    pub source: &'static str,
    /// The file read.
    pub input: String,
    /// The file written (the folder, for a large import).
    pub file: String,
    /// Data rows (or lines) read.
    pub rows: u64,
    /// Records the import's file (or folder) holds, by kind.
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
    /// Records written by earlier imports and kept as they were.
    #[serde(skip_serializing_if = "is_zero")]
    pub kept: usize,
    /// Rows whose fact was imported before (and is kept as it was).
    #[serde(skip_serializing_if = "is_zero")]
    pub imported_before: u64,
    /// Rows that could not be read, left out (`--skip-bad-rows`).
    #[serde(skip_serializing_if = "is_zero")]
    pub bad_rows: u64,
    /// The files a large import writes (or would write), in its folder.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// Whether this very input (the same bytes, with the same filters) was imported into the
    /// folder before, so that nothing was read.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub seen_before: bool,
}

fn is_zero<T: Default + PartialEq>(n: &T) -> bool {
    *n == T::default()
}

/// An import ready to put in place: its files written under temporary names. Dropped without
/// [`write`], they are removed.
#[derive(Debug)]
pub struct Plan {
    /// Where it goes: the file, or the folder.
    pub path: PathBuf,
    /// What it holds.
    pub summary: Summary,
    staged: Vec<Staged>,
    removed: Vec<PathBuf>,
    made_dirs: Vec<PathBuf>,
    written: AtomicBool,
}

impl Drop for Plan {
    fn drop(&mut self) {
        // The staged files go first (their own drop removes those not put in place), then the
        // folders made for them, where nothing was put in place (a folder that holds files is
        // not removed).
        self.staged.clear();
        for d in self.made_dirs.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
}

fn shown(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Reads, matches, lays out and validates an import, leaving out nothing it cannot read (a
/// row that cannot be read fails it); puts nothing in place.
pub fn plan(opts: &Options, progress: &mut dyn FnMut(Progress<'_>)) -> Result<Plan, ImportError> {
    plan_with(opts, OnBadRows::Refuse, progress)
}

/// The name the records of an import give the file they come from.
fn input_name(path: &Path) -> String {
    if path == Path::new("-") {
        return "standard input".to_string();
    }
    path.file_name()
        .map_or_else(|| shown(path), |n| n.to_string_lossy().into_owned())
}

/// What, besides the input, decides which records an import makes (GDELT's filters and
/// PLOVER table), as a checksum.
fn settings(opts: &Options, plover: Option<&str>) -> String {
    if opts.source != Source::Gdelt {
        return String::new();
    }
    let f = &opts.gdelt;
    let text = format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{}",
        f.actors,
        f.from.map(|d| d.to_string()),
        f.to.map(|d| d.to_string()),
        f.root_codes,
        f.min_mentions,
        plover.unwrap_or("")
    );
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// [`plan`], with rows that cannot be read refused or left out as `bad_rows` says.
pub fn plan_with(
    opts: &Options,
    bad_rows: OnBadRows,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Plan, ImportError> {
    if opts.known_states && opts.source != Source::CowAlliances {
        return Err(ImportError::Usage(
            "--known-states applies to `import cow-alliances` only".into(),
        ));
    }
    // The folders an import may make (to stage its files, and hold its runs) are removed again
    // when it fails, or when nothing is put in place.
    let into = opts
        .into
        .clone()
        .unwrap_or_else(|| opts.data.join("imported"));
    let mut missing = Vec::new();
    let mut d = Some(into.join(opts.source.name()));
    while let Some(x) = d.filter(|x| !x.as_os_str().is_empty() && !x.exists()) {
        missing.push(x.clone());
        d = x.parent().map(Path::to_path_buf);
    }
    missing.reverse();
    match plan_in(opts, bad_rows, progress) {
        Ok(mut plan) => {
            plan.made_dirs = missing;
            Ok(plan)
        }
        Err(e) => {
            for d in missing.iter().rev() {
                let _ = std::fs::remove_dir(d);
            }
            Err(e)
        }
    }
}

fn plan_in(
    opts: &Options,
    bad_rows: OnBadRows,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Plan, ImportError> {
    let input_shown = shown(&opts.input);
    let mut input = input::Input::new(&opts.input).map_err(|e| ImportError::Io {
        path: input_shown.clone(),
        message: e.to_string(),
    })?;
    let file_name = input_name(&opts.input);
    let plover_text = match (&opts.gdelt.plover, opts.source) {
        (Some(p), Source::Gdelt) => {
            Some(std::fs::read_to_string(p).map_err(|e| ImportError::Io {
                path: shown(p),
                message: format!("cannot be read: {e}"),
            })?)
        }
        _ => None,
    };
    let plover = match (&plover_text, &opts.gdelt.plover) {
        (Some(text), Some(p)) => {
            Some(
                cameo::Plover::parse(text).map_err(|b| ImportError::Malformed {
                    path: shown(p),
                    line: b.line,
                    message: b.message,
                })?,
            )
        }
        _ => None,
    };
    let settings = settings(opts, plover_text.as_deref());
    let into = opts
        .into
        .clone()
        .unwrap_or_else(|| opts.data.join("imported"));
    let target = own::Target::new(opts.source, &into);
    let own = own::Own::open(&target, 0)?;

    // The same bytes, with the same settings, imported into the folder before: nothing to do.
    if let own::Layout::Folder {
        manifest,
        exact: true,
    } = &own.layout
        && !input.is_stdin()
        && manifest
            .inputs
            .iter()
            .any(|i| Some(i.bytes) == input.total() && i.settings == settings)
    {
        let f = input.fingerprint_now().map_err(|e| ImportError::Io {
            path: input_shown.clone(),
            message: e.to_string(),
        })?;
        let xxh3 = format!("{:016x}", f.xxh3);
        if manifest
            .inputs
            .iter()
            .any(|i| i.bytes == f.bytes && i.xxh3 == xxh3 && i.settings == settings)
        {
            let mut written: BTreeMap<&'static str, usize> = BTreeMap::new();
            for e in &manifest.files {
                if let Some(k) = KIND_ORDER.iter().find(|k| **k == e.kind) {
                    *written.entry(k).or_default() += e.records;
                }
            }
            let kept = written.values().sum();
            return Ok(Plan {
                path: target.folder.clone(),
                summary: Summary {
                    source: opts.source.name(),
                    input: input_shown,
                    file: shown(&target.folder),
                    rows: 0,
                    written,
                    parties: 0,
                    matched: BTreeMap::new(),
                    new_entities: 0,
                    skipped: BTreeMap::new(),
                    warnings: Vec::new(),
                    unchanged: true,
                    kept,
                    imported_before: 0,
                    bad_rows: 0,
                    files: Vec::new(),
                    seen_before: true,
                },
                staged: Vec::new(),
                removed: Vec::new(),
                made_dirs: Vec::new(),
                written: AtomicBool::new(false),
            });
        }
    }

    progress(Progress::Stage("matching"));
    let (inputs, pre) = existing_inputs(opts, &target);
    let other = load::load_inputs(inputs.clone(), pre.clone());
    let mut own = own;
    if opts.source == Source::OpenSanctions {
        // Its ids are made up: new ones must differ from those written before.
        own.load_fact_ids(opts.source)?;
    }
    let parties_before = own.parties_before();
    let done = input::Done::default();
    let total = input.total();
    let mut out = output::Output::new(
        opts.source,
        &other.dataset,
        own,
        &into,
        done.clone(),
        total,
        progress,
    );
    if opts.source == Source::CowAlliances {
        out.alliances(opts.known_states);
    }
    out.report();
    let malformed = |b: BadLine| ImportError::Malformed {
        path: input_shown.clone(),
        line: b.line,
        message: b.message,
    };
    let unreadable = |e: input::InputError| ImportError::Io {
        path: input_shown.clone(),
        message: e.to_string(),
    };
    let read = |input: &mut input::Input,
                pass: &mut dyn FnMut(&mut dyn std::io::BufRead) -> Result<(), BadLine>|
     -> Result<(), ImportError> {
        input
            .read(
                &done,
                |r| -> Result<Result<(), BadLine>, input::InputError> { Ok(pass(r)) },
            )
            .map_err(unreadable)?
            .map_err(malformed)
    };
    match opts.source {
        Source::CowStates => read(&mut input, &mut |r| {
            cow_states::read_into(r, &file_name, &mut out)
        })?,
        Source::CowAlliances => read(&mut input, &mut |r| {
            cow_alliances::read_into(r, &file_name, &mut out)
        })?,
        Source::Gdelt => read(&mut input, &mut |r| {
            gdelt::read_into(r, &file_name, &opts.gdelt, plover.as_ref(), &mut out)
        })?,
        Source::OpenSanctions => {
            input.read_twice();
            let mut reader = opensanctions::Reader::default();
            read(&mut input, &mut |r| {
                reader.entities(r, &file_name, &mut out)
            })?;
            read(&mut input, &mut |r| reader.facts(r, &file_name, &mut out))?;
        }
    }
    let finished = out.finish()?;
    let mut counts = finished.counts;
    if counts.bad > 0 {
        if bad_rows == OnBadRows::Refuse {
            return Err(ImportError::BadRows {
                path: input_shown,
                shown: counts.bad_shown,
                count: counts.bad,
            });
        }
        *counts
            .skipped
            .entry("rows that cannot be read".to_string())
            .or_default() += counts.bad;
        for b in &counts.bad_shown {
            counts.warnings.push(format!(
                "{input_shown}:{}: {} (left out)",
                b.line, b.message
            ));
        }
        if counts.bad > counts.bad_shown.len() as u64 {
            counts.warnings.push(format!(
                "{} more rows that cannot be read were left out",
                counts.bad - counts.bad_shown.len() as u64
            ));
        }
    }
    let input_entry = input.fingerprint().map(|f| own::InputEntry {
        name: file_name.clone(),
        bytes: f.bytes,
        xxh3: format!("{:016x}", f.xxh3),
        settings: settings.clone(),
    });

    progress(Progress::Stage("writing"));
    let own = finished.own;
    let laid = files::lay_out(
        &target,
        &own.layout,
        finished.made,
        &finished.header,
        &file_name,
        input_entry,
    )?;
    let mut plan = Plan {
        path: if laid.single.is_some() {
            target.file.clone()
        } else {
            target.folder.clone()
        },
        summary: Summary {
            source: opts.source.name(),
            input: input_shown,
            file: String::new(),
            rows: counts.rows,
            written: laid.records.clone(),
            parties: parties_before + counts.parties,
            matched: counts.matched,
            new_entities: ["State", "Organization", "Person"]
                .iter()
                .filter_map(|k| counts.written.get(k))
                .sum(),
            skipped: counts.skipped,
            warnings: counts.warnings,
            unchanged: laid.removed.is_empty()
                && match &laid.single {
                    Some(_) => laid.staged.is_empty(),
                    None => laid.changed.is_empty(),
                },
            kept: laid
                .records
                .values()
                .sum::<usize>()
                .saturating_sub(counts.written.values().sum()),
            imported_before: counts.before,
            bad_rows: if bad_rows == OnBadRows::LeaveOut {
                counts.bad
            } else {
                0
            },
            files: laid.changed.iter().map(|(p, _, _)| p.clone()).collect(),
            seen_before: false,
        },
        staged: Vec::new(),
        removed: laid.removed,
        made_dirs: Vec::new(),
        written: AtomicBool::new(false),
    };
    plan.summary.file = shown(&plan.path);
    let staged = laid.staged;

    progress(Progress::Stage("checking"));
    match &laid.single {
        Some(text) => check::single(inputs, pre, &shown(&target.file), text)?,
        None => {
            drop(inputs);
            let entity_files: Vec<(String, PathBuf)> = laid
                .entries
                .iter()
                .filter(|e| own::is_entity_kind(&e.kind))
                .map(|e| {
                    let at = target.folder.join(&e.name);
                    let shown_at = shown(&at);
                    let now = laid
                        .changed
                        .iter()
                        .find(|(p, _, _)| *p == shown_at)
                        .map_or(at, |(_, t, _)| t.clone());
                    (shown_at, now)
                })
                .collect();
            let entities: Vec<check::ToCheck<'_>> = entity_files
                .iter()
                .map(|(s, a)| check::ToCheck { shown: s, at: a })
                .collect();
            let facts: Vec<check::ToCheck<'_>> = laid
                .changed
                .iter()
                .filter(|(_, _, k)| !own::is_entity_kind(k))
                .map(|(s, a, _)| check::ToCheck { shown: s, at: a })
                .collect();
            check::folder(other, &entities, &facts)?;
        }
    }
    plan.staged = staged;
    Ok(plan)
}

/// A fact that starts, by the source's dates, before an entity it ties begins in the data (COW
/// has the Czech Republic and Slovakia sign alliance 367 on 1992-11-23; a curated `State` may
/// start them on 1993-01-01; a director's role may predate the company's re-registration): it is
/// dated from the entity's start, and the source's date is kept as a disputed reading with the
/// fact's sources, so that "in force" on the days between is possible rather than certain, and
/// the data still validates. Treaty parties, roles, memberships and sanctions (by their sender)
/// are reconciled; each one reconciled is a warning.
pub(crate) fn reconcile(rec: &mut Rec, starts: &HashMap<String, Date>, warnings: &mut Vec<String>) {
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

/// The kind at place `rank` of [`KIND_ORDER`] (`"?"` past its end).
pub(crate) fn kind_at(rank: u8) -> &'static str {
    KIND_ORDER.get(rank as usize).copied().unwrap_or("?")
}

pub(crate) fn kind_rank(kind: &str) -> usize {
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
/// import's own (its file, and every file of its folder): an import adds to its own files, and
/// never matches against them.
fn existing_inputs(opts: &Options, target: &own::Target) -> (Vec<Input>, Vec<diag::Diagnostic>) {
    let file = canonical(&target.file);
    let folder = canonical(&target.folder);
    // The import's own files are not even read: a large import's folder is most of the data.
    let others = |p: &Path| {
        let c = canonical(p);
        c != file && !c.starts_with(&folder)
    };
    let (mut inputs, mut diags) = load::discover_where(&opts.data, &others);
    let data_root = canonical(&opts.data);
    if let Some(dir) = target.file.parent()
        && dir.is_dir()
        && !canonical(dir).starts_with(&data_root)
    {
        let (more, more_diags) = load::discover_where(dir, &others);
        inputs.extend(more);
        diags.extend(more_diags);
    }
    let mut seen = HashSet::new();
    inputs.retain(|i| seen.insert(canonical(Path::new(&i.path))));
    (inputs, diags)
}

/// Puts the plan's files in place ([`crate::load::atomic::commit`]): every file was written
/// and synced under a temporary name beside its place, and each is now renamed over it, the
/// folder's manifest last; a single file that became a folder is removed after. A failure
/// before the first rename leaves every file as it was; a crash between two renames is the
/// one way to leave some files new and some old (the manifest, renamed last, then does not
/// match the files, and the next import reads them again). Does nothing when nothing changed
/// (a folder's manifest may still take note of the input).
pub fn write(plan: &Plan) -> Result<(), ImportError> {
    crate::load::atomic::commit(&plan.staged, &plan.removed).map_err(|e| ImportError::Io {
        path: shown(&plan.path),
        message: format!("cannot be written: {e}"),
    })?;
    plan.written.store(true, Ordering::Relaxed);
    Ok(())
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

#[cfg(test)]
pub(crate) mod testing {
    //! Running importers on inline text.
    use super::*;

    /// No progress wanted.
    pub fn quiet() -> impl FnMut(Progress<'_>) {
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
        d.retain(|d| d.severity() == crate::diag::Severity::Error);
        if d.is_empty() {
            Ok(text)
        } else {
            Err(diag::render::to_text(&d, &loaded.dataset.files))
        }
    }
}
