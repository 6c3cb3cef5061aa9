//! The sink an import writes through: each entity is matched as it is first named (with the
//! import's earlier output by its key, then with the data's entities by COW code, id or name,
//! [`merge::Index`]), each fact has its entities' ids put in, is dated within its entities'
//! lives ([`super::reconcile`]) and printed at once. COW's alliances that a curated treaty
//! already is are left out and compared with it, and with `--known-states` only the data's
//! states are kept ([`Alliances`]). Records are held in memory while they fit
//! one file; past that, each kind's records are sorted by key in runs of
//! [`FILE_RECORDS`] and written to a scratch folder, so that memory does not grow with the
//! input. Nothing is put in place here ([`super::files`] does that).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;

use super::emit::{Rec, Value, natural_cmp};
use super::merge::{Candidate, How, Index, unique_by};
use super::own::{Item, Own};
use super::rows::BadLine;
use super::sink::Sink;
use super::{
    ImportError, Progress, Reading, Source, cow_alliances, crosswalk, kind_rank, reconcile,
};
use crate::load::format::DataFile;
use crate::model::{Dataset, Date, id_key};

/// Records in a file of an import's folder, as in a world `synth` writes; also the most an
/// import writes as one file.
pub const FILE_RECORDS: usize = 10_000;

/// Rows that cannot be read, shown one by one; the rest are counted.
pub const BAD_SHOWN: usize = 5;

/// How often (in rows) progress is reported.
const TICK: u64 = 4096;

/// What became of the import's rows and records, for the summary.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// Rows read.
    pub rows: u64,
    /// Facts made.
    pub facts: u64,
    /// Facts imported before, left as they were.
    pub before: u64,
    /// Rows left out, by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Rows that could not be read: how many.
    pub bad: u64,
    /// The first of them.
    pub bad_shown: Vec<BadLine>,
    /// Problems worth telling.
    pub warnings: Vec<String>,
    /// Entities matched with the data's, by how.
    pub matched: BTreeMap<How, usize>,
    /// New records, by kind.
    pub written: BTreeMap<&'static str, usize>,
    /// New treaty parties.
    pub parties: usize,
}

/// A run of one kind's records, sorted by key, written to the scratch folder.
struct Run {
    rank: u8,
    path: std::path::PathBuf,
}

/// Records past what fits one file: sorted runs per kind.
struct Spill {
    dir: tempfile::TempDir,
    runs: Vec<Run>,
    buffers: Vec<Vec<Item>>,
}

/// The records made so far.
enum Records {
    /// All of them, while they fit one file.
    Memory(Vec<Item>),
    /// Runs on disk and the last of each kind in memory.
    Spilled(Spill),
}

/// What `import cow-alliances` leaves out besides what it cannot read.
struct Alliances {
    /// The curated treaties that are COW alliances, by alliance number
    /// ([`cow_alliances::curated`]): those alliances are left out, and compared with them.
    curated: BTreeMap<u32, String>,
    /// `--known-states`: only the members that are states of the data, only the alliances
    /// with two or more of them, and no new state.
    known_states: bool,
}

/// The sink of a real import.
pub struct Output<'a> {
    source: Source,
    scratch: &'a Path,
    other: &'a Dataset,
    index: Index<'a>,
    /// The import's earlier output.
    pub own: Own,
    /// The id of each entity handle.
    ids: Vec<String>,
    /// Whether each entity handle is one the data has (or the import wrote before), not new.
    in_data: Vec<bool>,
    by_key: HashMap<String, usize>,
    /// When each entity begins, by [`id_key`]: the data's, those written before, the new.
    starts: HashMap<String, Date>,
    /// The ids this import makes, by [`id_key`].
    made: HashSet<String>,
    records: Records,
    /// Records that still fit one file with those written before.
    room: usize,
    /// The counts.
    pub counts: Counts,
    /// The header the importer asked for.
    pub header: Vec<String>,
    progress: &'a mut dyn FnMut(Progress<'_>),
    /// How far the input has been read.
    done: super::input::Done,
    total: Option<u64>,
    /// The first failure to write or read, which ends the import.
    pub failure: Option<ImportError>,
    /// For `cow-alliances`: the alliances left out.
    alliances: Option<Alliances>,
}

impl<'a> Output<'a> {
    /// A sink matching against `other` (the data without the import's own files) and `own`;
    /// runs of records go to a folder made inside `scratch` when needed.
    pub fn new(
        source: Source,
        other: &'a Dataset,
        own: Own,
        scratch: &'a Path,
        done: super::input::Done,
        total: Option<u64>,
        progress: &'a mut dyn FnMut(Progress<'_>),
    ) -> Output<'a> {
        let mut starts = HashMap::new();
        for e in &other.entities {
            if let Some(d) = e.existence.from {
                starts.insert(id_key(&e.id), d);
            }
        }
        for k in own.entities.values() {
            if let Some(d) = k.start {
                starts.insert(id_key(&k.id), d);
            }
        }
        let room = match &own.layout {
            super::own::Layout::Nothing => FILE_RECORDS,
            super::own::Layout::Single { items, .. } => FILE_RECORDS.saturating_sub(items.len()),
            super::own::Layout::Folder { .. } => 0,
        };
        Output {
            source,
            scratch,
            other,
            index: Index::new(other),
            own,
            ids: Vec::new(),
            in_data: Vec::new(),
            by_key: HashMap::new(),
            starts,
            made: HashSet::new(),
            records: Records::Memory(Vec::new()),
            room,
            counts: Counts::default(),
            header: Vec::new(),
            progress,
            done,
            total,
            failure: None,
            alliances: None,
        }
    }

    /// For `cow-alliances`: leaves out the alliances that curated treaties of the data are,
    /// and with `known_states`, the members that are not states of the data (and any new
    /// state).
    pub fn alliances(&mut self, known_states: bool) {
        self.alliances = Some(Alliances {
            curated: cow_alliances::curated(self.other),
            known_states,
        });
    }

    /// Why `fact` (its entities still handles) is left out, if it is: a COW alliance that a
    /// curated treaty is (compared with it, each difference a warning), or with
    /// `--known-states` one with fewer than two of the data's states (the others' parties are
    /// taken out of it).
    fn left_out(&mut self, fact: &mut Rec) -> Option<String> {
        let alliances = self.alliances.as_ref()?;
        if let Some(same) = cow_alliances::same_as(fact, &alliances.curated) {
            let warnings = &mut self.counts.warnings;
            cow_alliances::compare(fact, same, self.other, &self.ids, warnings);
            if let Some(id) = fact.get_str("id")
                && let Ok(true) = self.own.has_fact(self.source, id)
            {
                warnings.push(format!(
                    "`{id}`, written by an earlier import, is kept as it was although `{same}` is the same alliance: remove the import's file and import again to leave it out"
                ));
            }
            return Some(format!(
                "alliance the same as a curated treaty (cited by its COW number): {same}"
            ));
        }
        if alliances.known_states && !cow_alliances::keep_known(fact, &self.in_data, &self.ids) {
            return Some("alliance with fewer than two members among the data's states".into());
        }
        None
    }

    fn fail(&mut self, e: ImportError) {
        if self.failure.is_none() {
            self.failure = Some(e);
        }
    }

    fn io(&mut self, e: io::Error) {
        self.fail(ImportError::Io {
            path: self.scratch.display().to_string(),
            message: format!("cannot hold the records being imported: {e}"),
        });
    }

    /// Tells how far reading has come.
    pub fn report(&mut self) {
        let reading = Reading {
            bytes: self.done.bytes(),
            total: self.total,
            rows: self.counts.rows,
            kept: self.counts.facts + self.counts.before,
            bad: self.counts.bad,
            left_out: &self.counts.skipped,
        };
        (self.progress)(Progress::Rows(reading));
    }

    /// Whether `id` is taken: by a record of the data, one written before, or one this
    /// import makes; a slug never takes an ISO code (a state may come later).
    fn id_taken(&self, id: &str) -> bool {
        self.other.lookup(id).is_some()
            || self.own.has_id(id)
            || self.made.contains(&id_key(id))
            || (id.len() == 3 && crosswalk::country(&id.to_ascii_uppercase()).is_some())
    }

    /// The id of candidate `c`: one the data has, or a new one.
    fn resolve(&mut self, c: &Candidate) -> (String, bool) {
        match self.index.find(c) {
            Ok(Some((i, how))) => {
                *self.counts.matched.entry(how).or_default() += 1;
                return (self.other.entities[i].id.clone(), false);
            }
            Ok(None) => {}
            Err(ids) => self.counts.warnings.push(format!(
                "`{}` matches several entities ({}); it is imported as a new entity",
                c.names.first().map_or(c.id.as_str(), String::as_str),
                ids.join(", ")
            )),
        }
        let id = if c.id_is_code {
            c.id.clone()
        } else {
            unique_by(&c.id, |id| self.id_taken(id))
        };
        (id, true)
    }

    /// Adds a record, resolved, to the records made.
    fn keep(&mut self, key: String, rec: &Rec) {
        *self.counts.written.entry(rec.kind).or_default() += 1;
        if let Some(Value::List(p)) = rec.get("parties") {
            self.counts.parties += p.len();
        }
        let item = Item {
            rank: kind_rank(rec.kind) as u8,
            key,
            sort: rec.sort_key(),
            text: DataFile::item(&rec.printed()),
        };
        match &mut self.records {
            Records::Memory(items) => {
                items.push(item);
                if items.len() <= self.room {
                    return;
                }
                // Past one file: from here on, each kind's records are sorted in runs.
                if let Err(e) = self.start_runs() {
                    return self.io(e);
                }
            }
            Records::Spilled(spill) => spill.buffers[item.rank as usize].push(item),
        }
        let full: Vec<usize> = match &self.records {
            Records::Spilled(s) => (0..s.buffers.len())
                .filter(|&r| s.buffers[r].len() >= FILE_RECORDS)
                .collect(),
            Records::Memory(_) => Vec::new(),
        };
        for rank in full {
            if let Err(e) = self.flush(rank) {
                self.io(e);
            }
        }
    }

    /// Makes the scratch folder and hands the records held so far to their kinds' runs.
    fn start_runs(&mut self) -> io::Result<()> {
        std::fs::create_dir_all(self.scratch)?;
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{}-import-", self.source.name()))
            .tempdir_in(self.scratch)?;
        let mut spill = Spill {
            dir,
            runs: Vec::new(),
            buffers: vec![Vec::new(); super::KIND_ORDER.len() + 1],
        };
        if let Records::Memory(items) = &mut self.records {
            for i in std::mem::take(items) {
                spill.buffers[i.rank as usize].push(i);
            }
        }
        self.records = Records::Spilled(spill);
        Ok(())
    }

    /// Writes kind `rank`'s records in memory as a run.
    fn flush(&mut self, rank: usize) -> io::Result<()> {
        let Records::Spilled(spill) = &mut self.records else {
            return Ok(());
        };
        let mut items = std::mem::take(&mut spill.buffers[rank]);
        items.sort_by(|a, b| natural_cmp(&a.key, &b.key));
        let path = spill.dir.path().join(format!("run-{}", spill.runs.len()));
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&path)?);
        for i in &items {
            put(&mut w, i.key.as_bytes())?;
            put(&mut w, i.text.as_bytes())?;
        }
        w.flush()?;
        spill.runs.push(Run {
            rank: rank as u8,
            path,
        });
        Ok(())
    }

    /// The records made, once the input is read: all in memory (they fit one file with those
    /// written before), or each kind's as one stream sorted by key.
    pub fn finish(mut self) -> Result<Finished, ImportError> {
        if let Some(e) = self.failure.take() {
            return Err(e);
        }
        self.report();
        let Output {
            records,
            own,
            counts,
            header,
            ..
        } = self;
        let made = match records {
            Records::Memory(items) => Made::Memory(items),
            Records::Spilled(mut spill) => {
                let mut kinds = Vec::new();
                for rank in 0..spill.buffers.len() {
                    let mut last = std::mem::take(&mut spill.buffers[rank]);
                    last.sort_by(|a, b| natural_cmp(&a.key, &b.key));
                    let runs: Vec<std::path::PathBuf> = spill
                        .runs
                        .iter()
                        .filter(|r| r.rank as usize == rank)
                        .map(|r| r.path.clone())
                        .collect();
                    if runs.is_empty() && last.is_empty() {
                        continue;
                    }
                    kinds.push((rank as u8, runs, last));
                }
                Made::Sorted {
                    dir: spill.dir,
                    kinds,
                }
            }
        };
        Ok(Finished {
            made,
            own,
            counts,
            header,
        })
    }
}

/// The records made by an import.
pub enum Made {
    /// All in memory, in the order made.
    Memory(Vec<Item>),
    /// Per kind (in order), the runs written and the records still in memory, each sorted by
    /// key.
    Sorted {
        /// The scratch folder, removed when dropped.
        dir: tempfile::TempDir,
        /// `(rank, runs, last)` per kind.
        kinds: Vec<(u8, Vec<std::path::PathBuf>, Vec<Item>)>,
    },
}

/// What an import read, ready to be laid out in files.
pub struct Finished {
    /// The records made.
    pub made: Made,
    /// The import's earlier output.
    pub own: Own,
    /// What became of the rows.
    pub counts: Counts,
    /// The importer's header.
    pub header: Vec<String>,
}

fn put(w: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    w.write_all(&(bytes.len() as u32).to_le_bytes())?;
    w.write_all(bytes)
}

fn take(r: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut bytes = vec![0u8; u32::from_le_bytes(len) as usize];
    r.read_exact(&mut bytes)?;
    Ok(Some(bytes))
}

/// A run read back, record by record.
struct RunReader {
    reader: BufReader<File>,
    rank: u8,
}

impl RunReader {
    fn next(&mut self) -> io::Result<Option<Item>> {
        let Some(key) = take(&mut self.reader)? else {
            return Ok(None);
        };
        let body = take(&mut self.reader)?
            .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "a run ends early"))?;
        let utf8 = |b: Vec<u8>| {
            String::from_utf8(b).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
        };
        Ok(Some(Item {
            rank: self.rank,
            key: utf8(key)?,
            sort: String::new(),
            text: utf8(body)?,
        }))
    }
}

/// One kind's records in key order: its runs and its last records merged.
pub struct Merged {
    runs: Vec<(RunReader, Option<Item>)>,
    last: std::vec::IntoIter<Item>,
    last_next: Option<Item>,
}

impl Merged {
    /// Merges `runs` (files) and `last` (sorted) of kind `rank`.
    pub fn new(rank: u8, runs: &[std::path::PathBuf], last: Vec<Item>) -> io::Result<Merged> {
        let mut readers = Vec::new();
        for path in runs {
            let mut r = RunReader {
                reader: BufReader::with_capacity(1 << 18, File::open(path)?),
                rank,
            };
            let first = r.next()?;
            readers.push((r, first));
        }
        let mut last = last.into_iter();
        let last_next = last.next();
        Ok(Merged {
            runs: readers,
            last,
            last_next,
        })
    }

    /// The record with the least key, if any is left.
    pub fn next_item(&mut self) -> io::Result<Option<Item>> {
        let mut best: Option<usize> = None;
        let mut best_key: Option<&str> = self.last_next.as_ref().map(|i| i.key.as_str());
        for (n, (_, head)) in self.runs.iter().enumerate() {
            if let Some(h) = head
                && best_key.is_none_or(|b| natural_cmp(&h.key, b).is_lt())
            {
                best = Some(n);
                best_key = Some(&h.key);
            }
        }
        match best {
            Some(n) => {
                let (reader, head) = &mut self.runs[n];
                let next = reader.next()?;
                Ok(std::mem::replace(head, next))
            }
            None => {
                let next = self.last.next();
                Ok(std::mem::replace(&mut self.last_next, next))
            }
        }
    }
}

impl Sink for Output<'_> {
    fn row(&mut self) {
        self.counts.rows += 1;
        if self.counts.rows.is_multiple_of(TICK) {
            self.report();
        }
    }

    fn skip(&mut self, reason: &str) {
        match self.counts.skipped.get_mut(reason) {
            Some(n) => *n += 1,
            None => {
                self.counts.skipped.insert(reason.to_string(), 1);
            }
        }
    }

    fn bad(&mut self, bad: BadLine) {
        self.counts.bad += 1;
        if self.counts.bad_shown.len() < BAD_SHOWN {
            self.counts.bad_shown.push(bad);
        }
    }

    fn known(&mut self, key: &str) -> Option<usize> {
        if let Some(&h) = self.by_key.get(key) {
            return Some(h);
        }
        let id = self.own.entities.get(key)?.id.clone();
        let h = self.ids.len();
        self.ids.push(id);
        self.in_data.push(true);
        self.by_key.insert(key.to_string(), h);
        Some(h)
    }

    fn add(&mut self, key: &str, entity: Candidate) -> usize {
        let h = self.ids.len();
        let (id, new) = self.resolve(&entity);
        // `--known-states` writes no new state: the entity is a handle only, and the parties
        // that name it are left out.
        let written = new && !self.alliances.as_ref().is_some_and(|a| a.known_states);
        if written || !new {
            self.made.insert(id_key(&id));
        }
        self.ids.push(id.clone());
        self.in_data.push(!new);
        self.by_key.insert(key.to_string(), h);
        if written {
            let mut rec = entity.record;
            rec.resolve(&self.ids);
            let field = match rec.kind {
                "State" => "from",
                "Organization" => "founded",
                "Person" => "born",
                _ => "",
            };
            if let Some(Ok(d)) = rec.get_str(field).map(Date::parse) {
                self.starts.insert(id_key(&id), d);
            }
            self.keep(key.to_string(), &rec);
        }
        h
    }

    fn next_handle(&self) -> usize {
        self.ids.len()
    }

    fn fact(&mut self, key: Option<String>, mut fact: Rec) {
        if self.failure.is_some() {
            return;
        }
        if let Some(reason) = self.left_out(&mut fact) {
            return self.skip(&reason);
        }
        fact.resolve(&self.ids);
        reconcile(&mut fact, &self.starts, &mut self.counts.warnings);
        let key = match key {
            Some(k) => k,
            None => match fact.get_str("id") {
                Some(id) => id.to_string(),
                None => derived_id(&fact),
            },
        };
        if key.is_empty() {
            return;
        }
        // Written before (an importer that does not ask first): the old record stays.
        match self.own.has_fact(self.source, &key) {
            Ok(false) => {}
            Ok(true) => {
                self.counts.before += 1;
                return;
            }
            Err(e) => return self.fail(e),
        }
        if let Some(id) = fact.get_str("id") {
            self.made.insert(id_key(id));
        }
        self.counts.facts += 1;
        self.keep(key, &fact);
    }

    fn imported_before(&mut self, key: &str) -> bool {
        match self.own.has_fact(self.source, key) {
            Ok(true) => {
                self.counts.before += 1;
                true
            }
            Ok(false) => false,
            Err(e) => {
                self.fail(e);
                true
            }
        }
    }

    fn taken(&self, id: &str) -> bool {
        self.id_taken(id)
    }

    fn warn(&mut self, warning: String) {
        self.counts.warnings.push(warning);
    }

    fn header(&mut self, lines: Vec<String>) {
        self.header = lines;
    }
}

/// The id a membership or role without one is given when loaded
/// ([`crate::load::convert::derived_id`]).
fn derived_id(rec: &Rec) -> String {
    let (kind, a, b) = match rec.kind {
        "Membership" => ("membership", "member", "of"),
        "Role" => ("role", "person", "of"),
        _ => return String::new(),
    };
    let from = rec.get_str("from").and_then(|d| Date::parse(d).ok());
    crate::load::convert::derived_id(
        kind,
        rec.get_str(a).unwrap_or(""),
        rec.get_str(b).unwrap_or(""),
        from,
    )
}
