//! The cache for repeated questions on large data: the dataset's records, its interval index
//! and an id table, written once beside the user's other caches, so that a later call answers
//! "what held on D" by reading the few blocks the answer needs instead of parsing every file.
//!
//! - **Keyed on everything that could change an answer**: dipgraph's version, the layout's
//!   version, and every data file's path, size and modification time, in load order. Any
//!   difference, and the cache is not used (and is built again).
//! - **Never half-written**: written to a temporary name, flushed, then renamed ([`store`]).
//! - **Never trusted unchecked**: every 4 KiB block has a checksum, checked when first read;
//!   a torn or corrupted file is refused and rebuilt.
//! - **No per-fact decode on a warm call**: fixed-width tables (list offsets, index entries,
//!   fact offsets, sorted id hashes) are read in place; only the facts a question can return
//!   are decoded ([`codec`]).
//!
//! - **A summary** of the data as a whole: whether it had any diagnostic at all, and the counts
//!   `stats` shows, so `validate` and `stats` need not read it again.
//!
//! The cache only ever holds data that loaded and validated without errors, so a warm call has
//! no diagnostics to show; data with errors is always loaded in full, and its errors shown.
//! [`pick`] chooses the facts each question can reach; [`build`] makes the cache from the files,
//! one at a time, and can answer from what it built without writing it ([`Source`]).

pub mod build;
pub mod codec;
pub mod drawn;
pub mod pick;
pub mod saved;
pub mod store;
pub mod stored;

use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::xxh3_64;

use crate::graph::index::{Entry, Index, Nodes, Slot, stab};
use crate::model::date::DayNumber;
use crate::model::{Dataset, Entity, Fact, FactKind, SourceFile, Window, id_hash};
use crate::query::stats::Tally;
use codec::{Dec, Enc};
pub use pick::{Pick, Question, dataset_for, pick_for};
pub use store::Unusable;
use store::{Reader, write_atomically};

const S_MANIFEST: usize = 0;
const S_ENTITIES: usize = 1;
const S_FACT_OFFSETS: usize = 2;
const S_FACTS: usize = 3;
const S_LISTS: usize = 4;
const S_ENTRIES: usize = 5;
const S_FACT_KEYS: usize = 6;
const S_SUMMARY: usize = 7;
const SECTIONS: usize = 8;
const ENTRY: u64 = 16;
/// How much of a fact's record is read for its id alone (all of it when the id is longer).
const ID_READ: u64 = 256;
const FACT_KEY: u64 = 12;

/// One data file as the key knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Path as shown (as the loader names it).
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, in nanoseconds since the Unix epoch.
    pub modified: i128,
}

/// What a cache is valid for: this dipgraph, these files with these sizes and times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The dipgraph that writes and reads it ([`VERSION`]; a cache another version wrote is
    /// stale).
    pub version: &'static str,
    /// The data files in load order.
    pub files: Vec<Stamp>,
}

/// This dipgraph, as a cache key names it.
pub const VERSION: &str = concat!("dipgraph ", env!("CARGO_PKG_VERSION"));

impl Key {
    /// The key of the data under `root`, found as the loader finds files (sorted, links
    /// followed). `None` when some entry cannot be read: such data is always loaded in full.
    pub fn of(root: &Path) -> Option<Key> {
        let mut files = Vec::new();
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walker {
            let e = entry.ok()?;
            let path = e.path();
            if e.file_type().is_file() && path.extension().is_some_and(|x| x == "ron") {
                let meta = std::fs::metadata(path).ok()?;
                let modified = meta
                    .modified()
                    .ok()?
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos() as i128);
                files.push(Stamp {
                    path: path.to_string_lossy().into_owned(),
                    size: meta.len(),
                    modified,
                });
            }
        }
        Some(Key {
            version: VERSION,
            files,
        })
    }

    /// The data's size in bytes.
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    fn encode(&self) -> Vec<u8> {
        let mut e = Enc::default();
        e.str(self.version);
        e.u32(store::FORMAT);
        e.u32(self.files.len() as u32);
        for f in &self.files {
            e.str(&f.path);
            e.u64(f.size);
            e.0.extend_from_slice(&f.modified.to_le_bytes());
        }
        e.0
    }
}

/// What a cache knows of its data as a whole: whether it loaded and validated without a single
/// diagnostic (so `validate` can say so without loading it), and the tally `stats` shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// No error and no warning.
    pub clean: bool,
    /// The facts counted.
    pub tally: Tally,
}

impl Summary {
    fn encode(&self) -> Vec<u8> {
        let mut e = Enc::default();
        e.u8(u8::from(self.clean));
        for n in self.tally.kinds {
            e.u64(n);
        }
        e.u64(self.tally.parties);
        e.u64(self.tally.sources);
        e.date(self.tally.first);
        e.date(self.tally.last);
        e.0
    }

    fn decode(bytes: &[u8]) -> Option<Summary> {
        let mut d = Dec::new(bytes);
        let clean = match d.u8()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        let mut kinds = [0u64; FactKind::COUNT];
        for k in &mut kinds {
            *k = d.u64()?;
        }
        let tally = Tally {
            kinds,
            parties: d.u64()?,
            sources: d.u64()?,
            first: d.date()?,
            last: d.date()?,
        };
        d.done().then_some(Summary { clean, tally })
    }
}

/// The cache file for the data at `root`, inside `dir`: named after the data folder's full
/// path, so that each folder has its own.
pub fn file_for(root: &Path, dir: &Path) -> PathBuf {
    let full = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let h = xxh3_64(full.to_string_lossy().as_bytes());
    dir.join(format!("{h:016x}.dgcache"))
}

/// Facts encoded for the cache, a batch at a time: the records' bytes one after another,
/// where each record ends in them, and the hash of each record's id ([`id_hash`]).
#[derive(Debug, Default)]
pub struct Encoded {
    /// The records.
    pub bytes: Vec<u8>,
    /// The end of each record in `bytes`.
    pub ends: Vec<u32>,
    /// The hash of each record's id.
    pub hashes: Vec<u64>,
}

impl Encoded {
    /// The facts, encoded.
    pub fn of<'f>(facts: impl IntoIterator<Item = &'f Fact>) -> Encoded {
        let mut e = Enc::default();
        let (mut ends, mut hashes) = (Vec::new(), Vec::new());
        for f in facts {
            e.fact(f);
            ends.push(e.0.len() as u32);
            hashes.push(id_hash(&f.id));
        }
        // Batches are held until the cache is written: no room to spare.
        let (mut bytes, mut ends, mut hashes) = (e.0, ends, hashes);
        bytes.shrink_to_fit();
        ends.shrink_to_fit();
        hashes.shrink_to_fit();
        Encoded {
            bytes,
            ends,
            hashes,
        }
    }

    /// Fact `i` of the batch, as encoded.
    pub fn record(&self, i: usize) -> Option<&[u8]> {
        let start = match i {
            0 => 0,
            _ => *self.ends.get(i - 1)? as usize,
        };
        self.bytes.get(start..*self.ends.get(i)? as usize)
    }

    /// Fact `i` of the batch, decoded.
    pub fn decode_one(&self, i: usize) -> Option<Fact> {
        codec::fact_of(self.record(i)?)
    }

    /// The facts, decoded.
    pub fn decode(&self) -> Option<Vec<Fact>> {
        let mut out = Vec::with_capacity(self.ends.len());
        for i in 0..self.ends.len() {
            out.push(self.decode_one(i)?);
        }
        Some(out)
    }
}

/// The id table of facts encoded in batches (in load order): `(id hash, fact number)` for
/// every fact, sorted.
pub fn id_table(batches: &[Encoded]) -> Vec<(u64, u32)> {
    let mut ids: Vec<(u64, u32)> = batches
        .iter()
        .flat_map(|b| &b.hashes)
        .enumerate()
        .map(|(i, &h)| (h, i as u32))
        .collect();
    ids.sort_unstable();
    ids
}

/// The fact whose id is `text` (ignoring case), in an id table of `len` `(hash, fact)` pairs
/// sorted by hash, read through `hash_at` and `number_at`: found by its hash, then compared in
/// full (two ids may share a hash).
pub fn find_id(
    text: &str,
    len: usize,
    hash_at: impl Fn(usize) -> Result<u64, Unusable>,
    number_at: impl Fn(usize) -> Result<usize, Unusable>,
    fact: impl Fn(usize) -> Result<Fact, Unusable>,
) -> Result<Option<usize>, Unusable> {
    let h = id_hash(text);
    let (mut lo, mut hi) = (0usize, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if hash_at(mid)? < h {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let mut k = lo;
    while k < len && hash_at(k)? == h {
        let i = number_at(k)?;
        if fact(i)?.id.eq_ignore_ascii_case(text) {
            return Ok(Some(i));
        }
        k += 1;
    }
    Ok(None)
}

/// What picking the facts of a question reads ([`pick`]): the index's lists and the facts, by
/// number, from a cache file or from a cache just built in memory ([`build::Checked`]).
pub trait Source {
    /// The facts that name `entity` in one of `slots` and can hold on some day of `w`.
    fn facts(&self, entity: usize, slots: &[Slot], w: Window) -> Result<Vec<usize>, Unusable>;
    /// Every fact that names `entity`.
    fn named(&self, entity: usize) -> Result<Vec<usize>, Unusable>;
    /// Every fact of `kind` that can hold on some day of `w`.
    fn facts_of_kind(&self, kind: FactKind, w: Window) -> Result<Vec<usize>, Unusable>;
    /// Every fact that names a date on some day of `w`.
    fn dated_within(&self, w: Window) -> Result<Vec<usize>, Unusable>;
    /// Fact `i`, decoded.
    fn fact(&self, i: usize) -> Result<Fact, Unusable>;
    /// Fact `i`, as encoded, added to the end of `out`.
    fn record(&self, i: usize, out: &mut Vec<u8>) -> Result<(), Unusable>;
    /// The fact whose id is `text`.
    fn fact_named(&self, text: &str) -> Result<Option<usize>, Unusable>;
    /// Every fact's number and id, in load order, read without decoding the facts.
    fn each_id(&self, each: &mut dyn FnMut(usize, &str)) -> Result<(), Unusable>;
}

/// A cache a question reads: borrowed (the cache file, or any [`Source`]), or built in memory
/// for this call and owned, so that an answer that reads every fact once can let each go as it
/// reads ([`drawn`]).
pub enum Opened<'a> {
    /// Borrowed.
    Borrowed(&'a dyn Source),
    /// Built in memory for this call.
    Built(Box<build::Checked>),
}

impl Opened<'_> {
    /// The cache, to pick from.
    pub fn source(&self) -> &dyn Source {
        match self {
            Opened::Borrowed(s) => *s,
            Opened::Built(c) => c.as_ref(),
        }
    }
}

impl Source for Cache {
    fn facts(&self, entity: usize, slots: &[Slot], w: Window) -> Result<Vec<usize>, Unusable> {
        Cache::facts(self, entity, slots, w)
    }
    fn named(&self, entity: usize) -> Result<Vec<usize>, Unusable> {
        Cache::named(self, entity)
    }
    fn facts_of_kind(&self, kind: FactKind, w: Window) -> Result<Vec<usize>, Unusable> {
        Cache::facts_of_kind(self, kind, w)
    }
    fn dated_within(&self, w: Window) -> Result<Vec<usize>, Unusable> {
        Cache::dated_within(self, w)
    }
    fn fact(&self, i: usize) -> Result<Fact, Unusable> {
        Cache::fact(self, i)
    }
    fn record(&self, i: usize, out: &mut Vec<u8>) -> Result<(), Unusable> {
        Cache::record(self, i, out)
    }
    fn fact_named(&self, text: &str) -> Result<Option<usize>, Unusable> {
        Cache::fact_named(self, text)
    }
    fn each_id(&self, each: &mut dyn FnMut(usize, &str)) -> Result<(), Unusable> {
        Cache::each_id(self, each)
    }
}

/// The data files of `key`, as a dataset names them (without their text: data read from a
/// cache has no problem to show).
pub fn source_files(key: &Key) -> Vec<SourceFile> {
    key.files
        .iter()
        .map(|f| SourceFile {
            path: f.path.clone(),
            text: String::new(),
        })
        .collect()
}

/// Writes the cache of `data` (which loaded and validated without errors; `clean` when without
/// warnings too) to `path`.
pub fn write(
    path: &Path,
    key: &Key,
    data: &Dataset,
    index: &Index,
    clean: bool,
) -> std::io::Result<()> {
    let facts = [Encoded::of(&data.facts)];
    let mut tally = Tally::default();
    data.facts.iter().for_each(|f| tally.add(f));
    let summary = Summary { clean, tally };
    let parts = Parts {
        entities: &data.entities,
        facts: &facts,
        index,
        ids: &id_table(&facts),
        summary: &summary,
    };
    write_parts(path, key, &parts)
}

/// What a cache is written from.
pub struct Parts<'a> {
    /// Every entity, in load order.
    pub entities: &'a [Entity],
    /// The facts encoded in batches, in load order.
    pub facts: &'a [Encoded],
    /// The index.
    pub index: &'a Index,
    /// `(id hash, fact)` for every fact, sorted.
    pub ids: &'a [(u64, u32)],
    /// The data as a whole.
    pub summary: &'a Summary,
}

/// Writes a cache from its parts.
pub fn write_parts(path: &Path, key: &Key, parts: &Parts<'_>) -> std::io::Result<()> {
    let Parts {
        entities,
        facts,
        index,
        ids,
        summary,
    } = *parts;
    write_atomically(path, SECTIONS, |w| {
        w.section(|put| put(&key.encode()))?;
        w.section(|put| {
            put(&(entities.len() as u32).to_le_bytes())?;
            let mut e = Enc::default();
            for ent in entities {
                e.entity(ent);
            }
            put(&e.0)
        })?;
        w.section(|put| {
            let mut base = 0u64;
            put(&base.to_le_bytes())?;
            for batch in facts {
                let mut b = Vec::with_capacity(batch.ends.len() * 8);
                for &end in &batch.ends {
                    b.extend_from_slice(&(base + u64::from(end)).to_le_bytes());
                }
                put(&b)?;
                base += batch.bytes.len() as u64;
            }
            Ok(())
        })?;
        w.section(|put| {
            for batch in facts {
                put(&batch.bytes)?;
            }
            Ok(())
        })?;
        let (lists, entries, max_end) = index.parts();
        w.section(|put| {
            put(&(index.entity_count() as u32).to_le_bytes())?;
            let mut b = Vec::with_capacity(lists.len() * 4);
            for l in lists {
                b.extend_from_slice(&l.to_le_bytes());
            }
            put(&b)
        })?;
        w.section(|put| {
            for (chunk, ends) in entries.chunks(4096).zip(max_end.chunks(4096)) {
                let mut b = Vec::with_capacity(chunk.len() * ENTRY as usize);
                for (e, m) in chunk.iter().zip(ends) {
                    b.extend_from_slice(&e.start.to_le_bytes());
                    b.extend_from_slice(&e.end.to_le_bytes());
                    b.extend_from_slice(&e.fact.to_le_bytes());
                    b.extend_from_slice(&m.to_le_bytes());
                }
                put(&b)?;
            }
            Ok(())
        })?;
        w.section(|put| {
            for chunk in ids.chunks(4096) {
                let mut b = Vec::with_capacity(chunk.len() * FACT_KEY as usize);
                for (h, i) in chunk {
                    b.extend_from_slice(&h.to_le_bytes());
                    b.extend_from_slice(&i.to_le_bytes());
                }
                put(&b)?;
            }
            Ok(())
        })?;
        w.section(|put| put(&summary.encode()))
    })
}

/// An open cache that matches its key.
pub struct Cache {
    r: Reader,
    entities: usize,
    facts: usize,
    lists: usize,
}

/// A list of the index as kept in the cache file, read entry by entry.
struct FileList<'c> {
    cache: &'c Cache,
    first: u64,
    len: usize,
    bad: std::cell::Cell<bool>,
}

impl FileList<'_> {
    fn raw(&self, i: usize) -> Option<(Entry, DayNumber)> {
        let mut b = [0u8; ENTRY as usize];
        self.cache
            .r
            .read_in_to(S_ENTRIES, (self.first + i as u64) * ENTRY, &mut b)
            .ok()?;
        let n = |k: usize| i32::from_le_bytes([b[k], b[k + 1], b[k + 2], b[k + 3]]);
        let fact = u32::from_le_bytes([b[8], b[9], b[10], b[11]]);
        ((fact as usize) < self.cache.facts).then_some((
            Entry {
                start: n(0),
                end: n(4),
                fact,
            },
            n(12),
        ))
    }
}

impl Nodes for FileList<'_> {
    fn len(&self) -> usize {
        self.len
    }
    fn entry(&self, i: usize) -> Entry {
        self.raw(i).map_or_else(
            || {
                self.bad.set(true);
                Entry {
                    start: DayNumber::MAX,
                    end: DayNumber::MIN,
                    fact: 0,
                }
            },
            |(e, _)| e,
        )
    }
    fn max_end(&self, i: usize) -> DayNumber {
        self.raw(i).map_or_else(
            || {
                self.bad.set(true);
                DayNumber::MIN
            },
            |(_, m)| m,
        )
    }
}

impl Cache {
    /// Opens the cache at `path` when it was written for `key`.
    pub fn open(path: &Path, key: &Key) -> Result<Cache, Unusable> {
        let r = Reader::open(path)?;
        let want = key.encode();
        if r.section_len(S_MANIFEST)? != want.len() as u64
            || r.read_in(S_MANIFEST, 0, want.len() as u64)? != want
        {
            return Err(Unusable::Stale);
        }
        let entities = r.u32_at(S_ENTITIES, 0)? as usize;
        let facts = (r.section_len(S_FACT_OFFSETS)? / 8)
            .checked_sub(1)
            .ok_or(Unusable::Corrupt)? as usize;
        let lists = Index::list_count(entities);
        let sane = r.u32_at(S_LISTS, 0)? as usize == entities
            && r.section_len(S_LISTS)? == 4 + (lists as u64 + 1) * 4
            && r.section_len(S_FACT_KEYS)? == facts as u64 * FACT_KEY
            && r.section_len(S_ENTRIES)? % ENTRY == 0;
        if !sane {
            return Err(Unusable::Corrupt);
        }
        Ok(Cache {
            r,
            entities,
            facts,
            lists,
        })
    }

    /// What the cache knows of the data as a whole.
    pub fn summary(&self) -> Result<Summary, Unusable> {
        let len = self.r.section_len(S_SUMMARY)?;
        let bytes = self.r.read_in(S_SUMMARY, 0, len)?;
        Summary::decode(&bytes).ok_or(Unusable::Corrupt)
    }

    /// Every entity, in load order.
    pub fn entities(&self) -> Result<Vec<Entity>, Unusable> {
        let len = self.r.section_len(S_ENTITIES)?;
        let bytes = self.r.read_in(S_ENTITIES, 4, len - 4)?;
        let mut d = Dec::new(&bytes);
        let v = (0..self.entities)
            .map(|_| d.entity())
            .collect::<Option<Vec<_>>>()
            .ok_or(Unusable::Corrupt)?;
        if !d.done() {
            return Err(Unusable::Corrupt);
        }
        Ok(v)
    }

    /// Fact `i`.
    pub fn fact(&self, i: usize) -> Result<Fact, Unusable> {
        let mut bytes = Vec::new();
        self.record(i, &mut bytes)?;
        codec::fact_of(&bytes).ok_or(Unusable::Corrupt)
    }

    /// Fact `i`'s record, as encoded, added to the end of `out`.
    pub fn record(&self, i: usize, out: &mut Vec<u8>) -> Result<(), Unusable> {
        if i >= self.facts {
            return Err(Unusable::Corrupt);
        }
        let a = self.r.u64_at(S_FACT_OFFSETS, i as u64 * 8)?;
        let b = self.r.u64_at(S_FACT_OFFSETS, i as u64 * 8 + 8)?;
        let len = usize::try_from(b.checked_sub(a).ok_or(Unusable::Corrupt)?)
            .map_err(|_| Unusable::Corrupt)?;
        let start = out.len();
        out.resize(start + len, 0);
        self.r.read_in_to(S_FACTS, a, &mut out[start..])
    }

    /// Every fact's number and id, in load order: only the first field of each fact is read.
    pub fn each_id(&self, each: &mut dyn FnMut(usize, &str)) -> Result<(), Unusable> {
        let mut bytes = Vec::new();
        let mut a = self.r.u64_at(S_FACT_OFFSETS, 0)?;
        for i in 0..self.facts {
            let b = self.r.u64_at(S_FACT_OFFSETS, i as u64 * 8 + 8)?;
            // An id is a length and mostly a few dozen bytes: the record's start is read, and
            // all of it only for a longer id.
            let whole = b.checked_sub(a).ok_or(Unusable::Corrupt)?;
            bytes.resize(whole.min(ID_READ) as usize, 0);
            self.r.read_in_to(S_FACTS, a, &mut bytes)?;
            if codec::id_of(&bytes).is_none() && whole > ID_READ {
                bytes.resize(whole as usize, 0);
                self.r.read_in_to(S_FACTS, a, &mut bytes)?;
            }
            each(i, codec::id_of(&bytes).ok_or(Unusable::Corrupt)?);
            a = b;
        }
        Ok(())
    }

    /// The fact whose id is `text` (ignoring case, as ids are compared).
    pub fn fact_named(&self, text: &str) -> Result<Option<usize>, Unusable> {
        find_id(
            text,
            self.facts,
            |k| self.r.u64_at(S_FACT_KEYS, k as u64 * FACT_KEY),
            |k| Ok(self.r.u32_at(S_FACT_KEYS, k as u64 * FACT_KEY + 8)? as usize),
            |i| self.fact(i),
        )
    }

    /// The first entry of list `l` and the number of entries.
    fn list_span(&self, l: usize) -> Result<(u64, usize), Unusable> {
        if l >= self.lists {
            return Err(Unusable::Corrupt);
        }
        let a = self.r.u32_at(S_LISTS, 4 + l as u64 * 4)?;
        let b = self.r.u32_at(S_LISTS, 4 + l as u64 * 4 + 4)?;
        if b < a || u64::from(b) * ENTRY > self.r.section_len(S_ENTRIES)? {
            return Err(Unusable::Corrupt);
        }
        Ok((u64::from(a), (b - a) as usize))
    }

    /// Every fact that names `entity` in any slot, whatever its dates, in load order (as
    /// [`Index::named`]): the entity's lists lie one after another, read in one go.
    pub fn named(&self, entity: usize) -> Result<Vec<usize>, Unusable> {
        if entity >= self.entities {
            return Ok(Vec::new());
        }
        let (first, _) = self.list_span(Index::list_number(entity, Slot::ALL[0]))?;
        let (last, len) = self.list_span(Index::list_number(entity, Slot::ALL[Slot::COUNT - 1]))?;
        let n = last + len as u64 - first;
        let bytes = self.r.read_in(S_ENTRIES, first * ENTRY, n * ENTRY)?;
        let mut out = Vec::with_capacity(n as usize);
        for e in bytes.chunks_exact(ENTRY as usize) {
            let fact = u32::from_le_bytes([e[8], e[9], e[10], e[11]]) as usize;
            if fact >= self.facts {
                return Err(Unusable::Corrupt);
            }
            out.push(fact);
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    fn list(&self, l: usize) -> Result<FileList<'_>, Unusable> {
        let (first, len) = self.list_span(l)?;
        Ok(FileList {
            cache: self,
            first,
            len,
            bad: std::cell::Cell::new(false),
        })
    }

    fn stab_list(&self, l: usize, w: Window, out: &mut Vec<usize>) -> Result<(), Unusable> {
        let list = self.list(l)?;
        stab(&list, w, out);
        if list.bad.get() {
            return Err(Unusable::Corrupt);
        }
        Ok(())
    }

    /// The facts that name `entity` in one of `slots` and can hold on some day of `w`, in load
    /// order (as [`Index::facts_in`]).
    pub fn facts(&self, entity: usize, slots: &[Slot], w: Window) -> Result<Vec<usize>, Unusable> {
        let mut out = Vec::new();
        if entity < self.entities {
            for &s in slots {
                self.stab_list(Index::list_number(entity, s), w, &mut out)?;
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// Every fact of `kind` that can hold on some day of `w`, in load order (as
    /// [`Index::facts_of_kind`]).
    pub fn facts_of_kind(&self, kind: FactKind, w: Window) -> Result<Vec<usize>, Unusable> {
        let mut out = Vec::new();
        self.stab_list(Index::kind_list(self.entities, kind), w, &mut out)?;
        out.sort_unstable();
        Ok(out)
    }

    /// Every fact that names a date on some day of `w`, in load order, without repeats (as
    /// [`Index::dated_within`]).
    pub fn dated_within(&self, w: Window) -> Result<Vec<usize>, Unusable> {
        let mut out = Vec::new();
        for &k in &FactKind::ALL {
            self.stab_list(Index::dates_list(self.entities, k), w, &mut out)?;
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{DataSource, load};

    #[test]
    fn a_cache_another_version_wrote_is_stale_and_its_own_opens() {
        let data = load(&DataSource::Bundled).dataset;
        let index = crate::graph::index_of(&data);
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("c.dgcache");
        let ours = Key {
            version: VERSION,
            files: Vec::new(),
        };
        let older = Key {
            version: "dipgraph 0.0.1",
            ..ours.clone()
        };
        write(&path, &older, &data, &index, true).expect("written");
        assert!(matches!(Cache::open(&path, &ours), Err(Unusable::Stale)));
        assert!(
            Cache::open(&path, &older).is_ok(),
            "the version that wrote it reads it"
        );
        write(&path, &ours, &data, &index, true).expect("written");
        let cache = Cache::open(&path, &ours).expect("opens");
        assert_eq!(
            cache
                .summary()
                .expect("reads")
                .tally
                .kinds
                .iter()
                .sum::<u64>() as usize,
            data.facts.len()
        );
    }
}
