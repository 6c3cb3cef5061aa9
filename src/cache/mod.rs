//! The cache for large data: the dataset's records, its interval index and an id table in
//! one file beside the user's other caches, read in place as a [`Store`] ([`CacheFile`]), so
//! that a later call answers "what held on D" by reading the few blocks the answer needs
//! instead of parsing every file. A first call builds the same bytes in memory from the files
//! ([`build`]), answers from them, and writes them when a cache may be kept.
//!
//! - **Keyed on everything that could change an answer**: dipgraph's version, the layout's
//!   version, and every data file's path, size and modification time, in load order. Any
//!   difference, and the cache is not used (and is built again). Data read from a git
//!   revision is keyed by its folder's tree id instead: a tree never changes, and every commit
//!   with the same data shares the cache.
//! - **Never half-written**: written to a temporary name, synced, then renamed.
//! - **Never trusted unchecked**: every 4 KiB block has a checksum, checked when first read
//!   ([`file`]); a torn or corrupted file is refused and rebuilt.
//! - **No per-fact decode on a warm call**: fixed-width tables (list offsets, index entries,
//!   fact offsets, sorted id hashes) are read in place; only the facts a question reads are
//!   decoded ([`codec`]).
//! - **A summary** of the data as a whole: whether it had any diagnostic at all, and the counts
//!   `stats` shows.
//!
//! The cache only ever holds data that loaded and validated without errors, so a warm call has
//! no diagnostics to show; data with errors is refused with every problem shown.

pub mod build;
pub mod codec;
pub mod file;

use std::borrow::Cow;
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use xxhash_rust::xxh3::xxh3_64;

use crate::load::git::Revision;
use crate::model::{Coverage, Entity, Fact, FactKind, SourceFile, Window, id_hash};
use crate::store::index::{self, ENTRY_BYTES, Lists};
use crate::store::{Corrupt, Read, Slot, Store, Summary, Tally};
use codec::{Dec, Enc};
pub use file::Unusable;
use file::{Reader, Writer};

const S_MANIFEST: usize = 0;
const S_ENTITIES: usize = 1;
const S_FACT_OFFSETS: usize = 2;
const S_FACTS: usize = 3;
const S_LISTS: usize = 4;
const S_ENTRIES: usize = 5;
const S_FACT_KEYS: usize = 6;
const S_SUMMARY: usize = 7;
const S_COVERAGE: usize = 8;
/// The data folder's full path.
const S_FOLDER: usize = 9;
/// The XXH3-64 of each data file's bytes, in load order: what `dipgraph cache verify` checks
/// the files against.
const S_CHECKSUMS: usize = 10;
/// Where each run of [`ENTITY_RUN`] entities starts in the entities section, and where the last
/// ends: `u64` each.
const S_ENTITY_RUNS: usize = 11;
/// `(id hash, entity number)` for every entity, sorted: `u64` and `u32` each.
const S_ENTITY_KEYS: usize = 12;
const SECTIONS: usize = 13;
/// Entities are decoded a run of this many at a time, as they are first asked for.
const ENTITY_RUN: usize = 64;
/// Bytes of a key of an id table: the id's hash and the record's number.
const KEY: u64 = 12;
/// Bytes of the checksum after each fact's record.
const CHECK: u64 = 4;

/// The checksum of fact `number`'s record: the low half of its XXH3, seeded with its number
/// (so that a record found through a damaged offset, even a whole other record, fails it).
fn record_check(number: u64, record: &[u8]) -> u32 {
    xxhash_rust::xxh3::xxh3_64_with_seed(record, number) as u32
}

/// One data file as the key knows it: as git's index knows a file, by more than its size and
/// modification time (which any program may set back, `touch -r`): also by its inode and
/// device (a file replaced by another is another inode) and the time its inode last changed,
/// which the system sets on every write and no ordinary program can set back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Path as shown (as the loader names it).
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, in nanoseconds since the Unix epoch.
    pub modified: i128,
    /// When its inode last changed (ctime), in nanoseconds since the Unix epoch (0 where the
    /// system has none).
    pub changed: i128,
    /// Its inode number (0 where the system has none).
    pub inode: u64,
    /// The device that holds it (0 where the system has none).
    pub device: u64,
}

impl Stamp {
    /// The stamp of the file at `path` with metadata `meta`.
    pub fn of(path: &Path, meta: &std::fs::Metadata) -> Stamp {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        #[cfg(unix)]
        let (changed, inode, device) = {
            use std::os::unix::fs::MetadataExt;
            let changed = i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec());
            (changed, meta.ino(), meta.dev())
        };
        #[cfg(not(unix))]
        let (changed, inode, device) = (0, 0, 0);
        Stamp {
            path: path.to_string_lossy().into_owned(),
            size: meta.len(),
            modified,
            changed,
            inode,
            device,
        }
    }
}

/// What a cache is valid for: this dipgraph, these files with these sizes, times and inodes (or
/// this git tree).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The dipgraph that writes and reads it ([`VERSION`]; a cache another version wrote is
    /// stale).
    pub version: &'static str,
    /// The data folder's full path, as the cache records it (for `dipgraph cache list`); not
    /// part of what the cache is checked against. For data at a git revision, the
    /// repository's top folder.
    pub folder: String,
    /// The data files in load order (read from `tree`'s blobs, when it is given).
    pub files: Vec<Stamp>,
    /// For data read from a git revision, the tree its files are read from.
    pub tree: Option<Tree>,
}

/// A data folder's tree in a git repository: what a cache of it is keyed by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    /// The tree's id.
    pub id: String,
    /// The repository's top folder.
    pub repo: PathBuf,
    /// The blob of each file of the key, in the same order.
    pub blobs: Vec<String>,
}

/// This dipgraph, as a cache key names it.
pub const VERSION: &str = concat!("dipgraph ", env!("CARGO_PKG_VERSION"));

impl Key {
    /// The key of the data under `root`, found as the loader finds files
    /// ([`crate::load::walk`]). `None` when some entry cannot be read or is not data (an alias,
    /// a named pipe): such data is always loaded in full, with its problems shown.
    pub fn of(root: &Path) -> Option<Key> {
        let walk = crate::load::walk(root);
        if !walk.problems.is_empty() {
            return None;
        }
        let folder = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        Some(Key {
            version: VERSION,
            folder: folder.to_string_lossy().into_owned(),
            files: walk
                .files
                .iter()
                .map(|f| Stamp::of(&f.path, &f.meta))
                .collect(),
            tree: None,
        })
    }

    /// The key of a data folder at a git revision: its files as the revision shows them, read
    /// from their blobs, and keyed by the folder's tree. `None` when a file is a symbolic link
    /// (such data is loaded in full, where the link is reported).
    pub fn of_revision(r: &Revision) -> Option<Key> {
        if r.files.iter().any(|b| b.link) {
            return None;
        }
        Some(Key {
            version: VERSION,
            folder: r.repo.to_string_lossy().into_owned(),
            files: r
                .files
                .iter()
                .map(|b| Stamp {
                    path: r.shown(&b.path),
                    size: b.size,
                    modified: 0,
                    changed: 0,
                    inode: 0,
                    device: 0,
                })
                .collect(),
            tree: Some(Tree {
                id: r.tree.clone(),
                repo: r.repo.clone(),
                blobs: r.files.iter().map(|b| b.id.clone()).collect(),
            }),
        })
    }

    /// The bytes of file `n`: from the file, or from its blob.
    pub fn read(&self, n: usize) -> std::io::Result<Vec<u8>> {
        match &self.tree {
            Some(t) => {
                let id = t
                    .blobs
                    .get(n)
                    .ok_or_else(|| std::io::Error::other("no such file"))?;
                crate::load::git::blob(&t.repo, id)
            }
            None => {
                let stamp = self
                    .files
                    .get(n)
                    .ok_or_else(|| std::io::Error::other("no such file"))?;
                crate::load::read_regular(Path::new(&stamp.path))
            }
        }
    }

    /// The data's size in bytes.
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    /// The data files, as a store names them (without their text: data read from a cache has
    /// no problem to show).
    pub fn source_files(&self) -> Vec<SourceFile> {
        self.files
            .iter()
            .map(|f| SourceFile {
                path: f.path.clone(),
                text: String::new(),
            })
            .collect()
    }

    fn encode(&self) -> Vec<u8> {
        let mut e = Enc::default();
        e.str(self.version);
        e.u32(file::FORMAT);
        if let Some(tree) = &self.tree {
            // The tree says everything about its files; their paths name the commit, which
            // another commit with the same data does not share.
            e.str("git tree");
            e.str(&tree.id);
            return e.0;
        }
        e.u32(self.files.len() as u32);
        for f in &self.files {
            e.str(&f.path);
            e.u64(f.size);
            e.0.extend_from_slice(&f.modified.to_le_bytes());
            e.0.extend_from_slice(&f.changed.to_le_bytes());
            e.u64(f.inode);
            e.u64(f.device);
        }
        e.0
    }
}

fn encode_summary(s: &Summary) -> Vec<u8> {
    let mut e = Enc::default();
    e.u8(u8::from(s.clean));
    for n in s.tally.kinds {
        e.u64(n);
    }
    e.u64(s.tally.parties);
    e.u64(s.tally.sources);
    e.date(s.tally.first);
    e.date(s.tally.last);
    e.0
}

fn decode_summary(bytes: &[u8]) -> Option<Summary> {
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

/// The cache file for a data folder's git tree `tree`, inside `dir`: one per tree, shared by
/// every commit that has it.
pub fn file_for_tree(tree: &str, dir: &Path) -> PathBuf {
    dir.join(format!("tree-{tree}.dgcache"))
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
        // Batches are held until the cache is laid out: no room to spare.
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
        (0..self.ends.len()).map(|i| self.decode_one(i)).collect()
    }
}

/// The id table of facts encoded in batches (in load order): `(id hash, fact number)` for
/// every fact, sorted.
pub fn id_table(batches: &[Encoded]) -> Vec<(u64, u32)> {
    sorted_keys(batches.iter().flat_map(|b| b.hashes.iter().copied()))
}

/// `(hash, number)` for hashes given in number order, sorted: the id tables of facts and of
/// entities.
fn sorted_keys(hashes: impl Iterator<Item = u64>) -> Vec<(u64, u32)> {
    let mut keys: Vec<(u64, u32)> = hashes.zip(0u32..).collect();
    keys.sort_unstable();
    keys
}

/// Writes an id table ([`sorted_keys`]) as a section's bytes, [`KEY`] bytes a key.
fn put_keys(
    keys: &[(u64, u32)],
    put: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    for chunk in keys.chunks(4096) {
        let bytes: Vec<u8> = chunk
            .iter()
            .flat_map(|(h, i)| h.to_le_bytes().into_iter().chain(i.to_le_bytes()))
            .collect();
        put(&bytes)?;
    }
    Ok(())
}

/// The index of a cache being laid out: built, or its entries still in batches (laid out a
/// group of lists at a time).
#[derive(Clone, Copy)]
pub enum IndexParts<'a> {
    /// Built in memory.
    Built(&'a crate::store::Index),
    /// The entries of every fact ([`crate::store::Index::tag`]), in batches.
    Tagged {
        /// How many entities.
        entities: usize,
        /// The entries.
        batches: &'a [Vec<index::Tagged>],
    },
}

/// The checksum of a data file's bytes, as the cache keeps it.
pub fn checksum(bytes: &[u8]) -> u64 {
    xxh3_64(bytes)
}

/// What a cache is laid out from.
#[derive(Clone, Copy)]
pub struct Parts<'a> {
    /// The XXH3-64 of each data file's bytes, in load order.
    pub checksums: &'a [u64],
    /// Every entity, in load order.
    pub entities: &'a [Entity],
    /// What the data says it covers.
    pub coverage: &'a [Coverage],
    /// The facts, encoded in batches, in load order.
    pub facts: &'a [Encoded],
    /// The index.
    pub index: IndexParts<'a>,
    /// `(id hash, fact)` for every fact, sorted.
    pub ids: &'a [(u64, u32)],
    /// The data as a whole.
    pub summary: &'a Summary,
}

/// Writes the cache of `key`'s data to `out` from its parts, with the data folder; gives
/// `out` back.
pub fn lay_out<W: std::io::Read + Write + Seek>(
    out: W,
    key: &Key,
    parts: Parts<'_>,
) -> std::io::Result<W> {
    let Parts {
        checksums,
        entities,
        coverage,
        facts,
        index,
        ids,
        summary,
    } = parts;
    let mut w = Writer::new(out, SECTIONS)?;
    w.section(|put| put(&key.encode()))?;
    let mut e = Enc::default();
    e.u32(entities.len() as u32);
    let mut runs: Vec<u64> = Vec::with_capacity(entities.len() / ENTITY_RUN + 2);
    for (i, ent) in entities.iter().enumerate() {
        if i % ENTITY_RUN == 0 {
            runs.push(e.0.len() as u64);
        }
        e.entity(ent);
    }
    runs.push(e.0.len() as u64);
    w.section(|put| put(&e.0))?;
    drop(e);
    // Each record is followed by its checksum ([`record_check`]), so that a fact read alone is
    // checked without the blocks around it.
    w.section(|put| {
        let mut base = 0u64;
        put(&base.to_le_bytes())?;
        for batch in facts {
            let ends: Vec<u8> = (0..batch.ends.len() as u64)
                .flat_map(|i| {
                    let end = u64::from(batch.ends[i as usize]) + (i + 1) * CHECK;
                    (base + end).to_le_bytes()
                })
                .collect();
            put(&ends)?;
            base += batch.bytes.len() as u64 + batch.ends.len() as u64 * CHECK;
        }
        Ok(())
    })?;
    w.section(|put| {
        let mut number = 0u64;
        for batch in facts {
            let mut bytes = Vec::with_capacity(batch.bytes.len() + batch.ends.len() * 4);
            for i in 0..batch.ends.len() {
                let record = batch.record(i).unwrap_or_default();
                bytes.extend_from_slice(record);
                bytes.extend_from_slice(&record_check(number, record).to_le_bytes());
                number += 1;
            }
            put(&bytes)?;
        }
        Ok(())
    })?;
    match index {
        IndexParts::Built(index) => {
            let (offsets, entries) = index.bytes();
            w.section(|put| {
                put(&(index.entity_count() as u32).to_le_bytes())?;
                put(offsets)
            })?;
            w.section(|put| put(entries))?;
        }
        IndexParts::Tagged { entities, batches } => {
            let offsets = index::offsets_of(entities, batches);
            w.section(|put| {
                put(&(entities as u32).to_le_bytes())?;
                let bytes: Vec<u8> = offsets.iter().flat_map(|o| o.to_le_bytes()).collect();
                put(&bytes)
            })?;
            w.section(|put| index::write_entries(entities, &offsets, batches, put))?;
        }
    }
    w.section(|put| put_keys(ids, put))?;
    w.section(|put| put(&encode_summary(summary)))?;
    w.section(|put| {
        let mut e = Enc::default();
        e.len(coverage.len());
        for c in coverage {
            e.coverage(c);
        }
        put(&e.0)
    })?;
    w.section(|put| {
        let mut e = Enc::default();
        e.str(&key.folder);
        put(&e.0)
    })?;
    w.section(|put| {
        let bytes: Vec<u8> = checksums.iter().flat_map(|c| c.to_le_bytes()).collect();
        put(&bytes)
    })?;
    w.section(|put| {
        let bytes: Vec<u8> = runs.iter().flat_map(|o| o.to_le_bytes()).collect();
        put(&bytes)
    })?;
    let entity_keys = sorted_keys(entities.iter().map(|e| id_hash(&e.id)));
    w.section(|put| put_keys(&entity_keys, put))?;
    w.finish()
}

/// The cache of a dataset loaded whole, in memory (for tests, and to compare with a cache built
/// file by file).
pub fn of_store(key: &Key, store: &crate::store::MemoryStore) -> Result<CacheFile, Unusable> {
    let data = store.data();
    let facts = [Encoded::of(&data.facts)];
    let ids = id_table(&facts);
    // The files as they are on disk now (a test's key names the files it was taken of).
    let checksums: Vec<u64> = (0..key.files.len())
        .map(|n| key.read(n).map_or(0, |b| checksum(&b)))
        .collect();
    let parts = Parts {
        checksums: &checksums,
        entities: &data.entities,
        coverage: &data.coverage,
        facts: &facts,
        index: IndexParts::Built(store.index()),
        ids: &ids,
        summary: store.summary(),
    };
    let out = std::io::Cursor::new(Vec::new());
    let bytes = lay_out(out, key, parts)?;
    CacheFile::built(bytes.into_inner(), key)
}

/// The data folder that the cache file at `path` was written for (its full path); an error
/// for a file that is not a cache of this layout.
pub fn folder_of(path: &Path) -> Result<String, Unusable> {
    let r = Reader::open(path)?;
    let mut d = Dec::new(r.section(S_FOLDER)?);
    let folder = d.str().ok_or(Unusable::Corrupt)?;
    d.done().then_some(folder).ok_or(Unusable::Corrupt)
}

/// What a full check of a cache file found ([`verify`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// How many data files were read and checked.
    pub files: usize,
    /// How many blocks of the cache were checked.
    pub blocks: u64,
    /// The data files whose bytes are no longer those the cache was built from, though their
    /// sizes, times and inodes are the same.
    pub changed: Vec<String>,
}

/// Checks the cache file at `path` in full against the data of `key`: it must be the cache of
/// these files as the key sees them (else [`Unusable::Stale`]), every block must match its
/// checksum (else [`Unusable::Corrupt`]), and each data file is read whole and its checksum
/// compared with the one kept when the cache was built: this finds an edit that left a file's
/// size, times and inode as they were, which the key cannot see.
pub fn verify(path: &Path, key: &Key) -> Result<Verified, Unusable> {
    let cache = CacheFile::open(path, key)?;
    let blocks = cache.r.check_all()?;
    let sums = cache.r.section(S_CHECKSUMS)?;
    if sums.len() != key.files.len() * 8 {
        return Err(Unusable::Corrupt);
    }
    let mut changed = Vec::new();
    for (n, (f, kept)) in key.files.iter().zip(sums.chunks_exact(8)).enumerate() {
        let kept = u64::from_le_bytes(kept.try_into().map_err(|_| Unusable::Corrupt)?);
        let now = key.read(n).map(|b| checksum(&b));
        if now.ok() != Some(kept) {
            changed.push(f.path.clone());
        }
    }
    Ok(Verified {
        files: key.files.len(),
        blocks,
        changed,
    })
}

/// A cache read in place: the second implementation of [`Store`]. Its entities are decoded a
/// run at a time as they are asked for (all of them only for [`Store::entities`]); facts are
/// decoded as they are read.
pub struct CacheFile {
    r: Reader,
    files: Vec<SourceFile>,
    coverage: Vec<Coverage>,
    entity_count: usize,
    /// Each run of [`ENTITY_RUN`] entities, decoded when one of it is first asked for.
    entity_runs: Box<[OnceLock<Vec<Entity>>]>,
    /// Every entity, decoded when [`Store::entities`] is first called.
    all_entities: OnceLock<Vec<Entity>>,
    facts: usize,
    summary: Summary,
    damaged: AtomicBool,
}

impl CacheFile {
    /// Opens the cache at `path` when it was written for `key`.
    pub fn open(path: &Path, key: &Key) -> Result<CacheFile, Unusable> {
        CacheFile::read(Reader::open(path)?, key)
    }

    /// Reads a cache built in this process for `key`.
    pub fn built(bytes: Vec<u8>, key: &Key) -> Result<CacheFile, Unusable> {
        CacheFile::read(Reader::built(bytes)?, key)
    }

    /// Reads a cache this process wrote for `key` to `file` (a temporary file of its own).
    pub fn written(file: &std::fs::File, key: &Key) -> Result<CacheFile, Unusable> {
        CacheFile::read(Reader::written(file)?, key)
    }

    fn read(r: Reader, key: &Key) -> Result<CacheFile, Unusable> {
        let want = key.encode();
        if r.section_len(S_MANIFEST)? != want.len() as u64 || r.section(S_MANIFEST)? != want {
            return Err(Unusable::Stale);
        }
        let entity_count = r.u32_at(S_ENTITIES, 0)? as usize;
        let facts = (r.section_len(S_FACT_OFFSETS)? / 8)
            .checked_sub(1)
            .ok_or(Unusable::Corrupt)? as usize;
        let runs = entity_count.div_ceil(ENTITY_RUN);
        let sane = r.u32_at(S_LISTS, 0)? as usize == entity_count
            && r.section_len(S_LISTS)? == 4 + (index::list_count(entity_count) as u64 + 1) * 4
            && r.section_len(S_FACT_KEYS)? == facts as u64 * KEY
            && r.section_len(S_ENTRIES)? % ENTRY_BYTES as u64 == 0
            && r.section_len(S_ENTITY_RUNS)? == (runs as u64 + 1) * 8
            && r.section_len(S_ENTITY_KEYS)? == entity_count as u64 * KEY;
        if !sane {
            return Err(Unusable::Corrupt);
        }
        // Read by every question, or small: checked now. The entities are checked whole (a
        // run decoded later cannot then fail its checksum), but decoded only when asked for.
        r.section(S_LISTS)?;
        r.section(S_ENTITIES)?;
        r.section(S_ENTITY_RUNS)?;
        r.section(S_ENTITY_KEYS)?;
        let summary = decode_summary(r.section(S_SUMMARY)?).ok_or(Unusable::Corrupt)?;
        let mut d = Dec::new(r.section(S_COVERAGE)?);
        let count = d.count().ok_or(Unusable::Corrupt)?;
        let coverage = (0..count)
            .map(|_| d.coverage())
            .collect::<Option<Vec<_>>>()
            .filter(|_| d.done())
            .ok_or(Unusable::Corrupt)?;
        let cache = CacheFile {
            r,
            files: key.source_files(),
            coverage,
            entity_count,
            entity_runs: (0..runs).map(|_| OnceLock::new()).collect(),
            all_entities: OnceLock::new(),
            facts,
            summary,
            damaged: AtomicBool::new(false),
        };
        cache.lists()?;
        Ok(cache)
    }

    /// The numbers that id table `section` (of `count` keys) holds under the hash of `id`, in
    /// order: a binary search, then every key with that hash (two ids may share one; the
    /// caller compares each in full).
    fn numbers_of(&self, section: usize, count: usize, id: &str) -> Read<Vec<usize>> {
        let h = id_hash(id);
        let hash_at = |k: usize| self.r.u64_at(section, k as u64 * KEY);
        let (mut lo, mut hi) = (0usize, count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if hash_at(mid)? < h {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let mut out = Vec::new();
        for k in lo..count {
            if hash_at(k)? != h {
                break;
            }
            out.push(self.r.u32_at(section, k as u64 * KEY + 8)? as usize);
        }
        Ok(out)
    }

    /// The entities of run `run`, decoded; `None` when their bytes do not decode.
    fn decode_run(&self, run: usize) -> Option<Vec<Entity>> {
        let offset = |k: usize| self.r.u64_at(S_ENTITY_RUNS, k as u64 * 8).ok();
        let (a, b) = (offset(run)?, offset(run + 1)?);
        let bytes = self.r.get(S_ENTITIES, a..b).ok()?;
        let count = ENTITY_RUN.min(self.entity_count.checked_sub(run * ENTITY_RUN)?);
        let mut d = Dec::new(bytes);
        let run: Option<Vec<Entity>> = (0..count).map(|_| d.entity()).collect();
        run.filter(|_| d.done())
    }

    /// Entities decoded, or (for bytes that do not decode, which their checksums make a fault
    /// of this program) blank ones standing in, the store marked damaged.
    fn or_blank(&self, decoded: Option<Vec<Entity>>, count: usize) -> Vec<Entity> {
        decoded.unwrap_or_else(|| {
            self.mark_damaged();
            (0..count).map(|_| crate::store::blank_entity()).collect()
        })
    }

    /// Writes this cache's bytes to `path`, atomically.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::load::atomic::write(path, self.r.bytes())
    }

    /// The index's lists, in place (their entries checked as each list is read).
    fn lists(&self) -> Result<Lists<'_>, Unusable> {
        let offsets = &self.r.section_unchecked(S_LISTS)?[4..];
        let entries = self.r.section_unchecked(S_ENTRIES)?;
        Lists::new(self.entity_count, self.facts, offsets, entries).map_err(|_| Unusable::Corrupt)
    }

    /// Checks the entries of byte range `r` of the index.
    fn check_entries(&self, r: std::ops::Range<usize>) -> Read<()> {
        self.r.get(S_ENTRIES, r.start as u64..r.end as u64)?;
        Ok(())
    }

    /// Fact `i`'s record, as encoded, checked against its own checksum (its offsets and the
    /// blocks around it are not read through the block checksums: a wrong offset gives bytes
    /// that fail the record's).
    fn record(&self, i: usize) -> Read<&[u8]> {
        if i >= self.facts {
            return Err(Corrupt);
        }
        let facts = self.r.section_unchecked(S_FACTS)?;
        let (a, b) = (self.record_start(i)?, self.record_start(i + 1)?);
        let whole = facts.get(a..b).ok_or(Corrupt)?;
        let split = whole.len().checked_sub(CHECK as usize).ok_or(Corrupt)?;
        let (record, check) = whole.split_at(split);
        let check = u32::from_le_bytes(check.try_into().map_err(|_| Corrupt)?);
        if record_check(i as u64, record) != check {
            return Err(Corrupt);
        }
        Ok(record)
    }

    /// Where fact `i`'s record begins in the facts section (`i` = the count: where the last
    /// ends), read from the offsets unchecked: a wrong offset gives bytes that fail the
    /// record's own checksum.
    fn record_start(&self, i: usize) -> Read<usize> {
        let offsets = self.r.section_unchecked(S_FACT_OFFSETS)?;
        let b = offsets.get(i * 8..i * 8 + 8).ok_or(Corrupt)?;
        Ok(u64::from_le_bytes(b.try_into().map_err(|_| Corrupt)?) as usize)
    }

    /// [`Store::each_fact`], giving back the pages of the facts behind every `every` facts:
    /// the scan does not read them again, so its resident size does not grow with the cache.
    fn scan(&self, every: usize, each: &mut dyn FnMut(usize, &Fact) -> bool) -> Read<()> {
        for n in 0..self.facts {
            if n % every == 0 && n > 0 {
                self.r.release_prefix(S_FACTS, self.record_start(n)? as u64);
                self.r.release_prefix(S_FACT_OFFSETS, n as u64 * 8);
            }
            if !each(n, &*self.fact(n)?) {
                break;
            }
        }
        Ok(())
    }

    /// Records a failed read, for [`Store::damaged`].
    fn failed<T>(&self, r: Read<T>) -> Read<T> {
        if r.is_err() {
            self.damaged.store(true, Ordering::Relaxed);
        }
        r
    }
}

/// How many facts a scan reads between giving back the pages of those behind it.
const RELEASE_EVERY: usize = 16_384;

impl Store for CacheFile {
    fn files(&self) -> &[SourceFile] {
        &self.files
    }
    fn entities(&self) -> &[Entity] {
        self.all_entities.get_or_init(|| {
            let all = self.r.section(S_ENTITIES).ok().and_then(|bytes| {
                let mut d = Dec::new(bytes.get(4..)?);
                let all: Option<Vec<Entity>> = (0..self.entity_count).map(|_| d.entity()).collect();
                all.filter(|_| d.done())
            });
            self.or_blank(all, self.entity_count)
        })
    }
    fn entity_count(&self) -> usize {
        self.entity_count
    }
    fn entity_at(&self, i: usize) -> &Entity {
        if let Some(all) = self.all_entities.get() {
            return &all[i];
        }
        let run = self.entity_runs[i / ENTITY_RUN].get_or_init(|| {
            let count = ENTITY_RUN.min(self.entity_count - i / ENTITY_RUN * ENTITY_RUN);
            self.or_blank(self.decode_run(i / ENTITY_RUN), count)
        });
        &run[i % ENTITY_RUN]
    }
    fn entity_of(&self, id: &str) -> Option<usize> {
        let numbers = self.numbers_of(S_ENTITY_KEYS, self.entity_count, id).ok()?;
        numbers
            .into_iter()
            .find(|&n| n < self.entity_count && self.entity_at(n).id.eq_ignore_ascii_case(id))
    }
    fn fact_count(&self) -> usize {
        self.facts
    }
    fn fact(&self, n: usize) -> Read<Cow<'_, Fact>> {
        let f = self
            .record(n)
            .and_then(|b| codec::fact_of(b).ok_or(Corrupt));
        self.failed(f.map(Cow::Owned))
    }
    fn each_fact(&self, each: &mut dyn FnMut(usize, &Fact) -> bool) -> Read<()> {
        self.scan(RELEASE_EVERY, each)
    }
    fn fact_of(&self, id: &str) -> Read<Option<usize>> {
        for n in self.failed(self.numbers_of(S_FACT_KEYS, self.facts, id))? {
            let record = self.failed(self.record(n))?;
            if codec::id_of(record).is_some_and(|i| i.eq_ignore_ascii_case(id)) {
                return Ok(Some(n));
            }
        }
        Ok(None)
    }
    fn tied(&self, entity: usize, slots: &[Slot], w: Window) -> Read<Vec<usize>> {
        let lists = self.lists()?;
        if entity < self.entity_count {
            for &slot in slots {
                let r = lists.range(index::list_number(entity, slot))?;
                self.failed(self.check_entries(r))?;
            }
        }
        Ok(lists.tied(entity, slots, w)?)
    }
    fn named(&self, entity: usize) -> Read<Vec<usize>> {
        let lists = self.lists()?;
        if entity < self.entity_count {
            self.failed(self.check_entries(lists.entity_range(entity)?))?;
        }
        Ok(lists.named(entity)?)
    }
    fn of_kind(&self, kind: FactKind, w: Window) -> Read<Vec<usize>> {
        let lists = self.lists()?;
        let r = lists.range(index::kind_list(self.entity_count, kind))?;
        self.failed(self.check_entries(r))?;
        Ok(lists.of_kind(kind, w)?)
    }
    fn dated_within(&self, w: Window) -> Read<Vec<usize>> {
        let lists = self.lists()?;
        for &k in &FactKind::ALL {
            let r = lists.range(index::dates_list(self.entity_count, k))?;
            self.failed(self.check_entries(r))?;
        }
        Ok(lists.dated_within(w)?)
    }
    fn each_id(&self, each: &mut dyn FnMut(usize, &str)) -> Read<()> {
        for i in 0..self.facts {
            let record = self.failed(self.record(i))?;
            each(i, codec::id_of(record).ok_or(Corrupt)?);
        }
        Ok(())
    }
    fn summary(&self) -> &Summary {
        &self.summary
    }
    fn coverage(&self) -> &[Coverage] {
        &self.coverage
    }
    fn damaged(&self) -> bool {
        self.damaged.load(Ordering::Relaxed)
    }
    fn mark_damaged(&self) {
        self.damaged.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{DataSource, load};
    use crate::store::MemoryStore;

    /// The key of a data source without files.
    fn no_files() -> Key {
        Key {
            version: VERSION,
            folder: String::new(),
            files: Vec::new(),
            tree: None,
        }
    }

    fn bundled_cache(key: &Key) -> (MemoryStore, Vec<u8>) {
        let data = load(&DataSource::Bundled).dataset;
        let store = MemoryStore::new(data, true);
        let bytes = of_store(key, &store).expect("laid out").r.bytes().to_vec();
        (store, bytes)
    }

    #[test]
    fn a_cache_of_no_entities_and_no_facts_opens_and_finds_nothing() {
        let key = no_files();
        let store = MemoryStore::new(crate::load::from_text("e.ron", "[]").dataset, true);
        let bytes = of_store(&key, &store).expect("laid out").r.bytes().to_vec();
        let cache = CacheFile::built(bytes, &key).expect("reads");
        assert_eq!((cache.entity_count(), cache.fact_count()), (0, 0));
        assert!(cache.entities().is_empty());
        assert_eq!(cache.entity_of("BLR"), None);
        assert_eq!(cache.fact_of("x"), Ok(None));
        assert_eq!(cache.lookup("BLR"), Ok(None));
        assert!(!cache.damaged());
    }

    #[test]
    fn a_cache_another_version_wrote_is_stale_and_its_own_opens() {
        let ours = no_files();
        let older = Key {
            version: "dipgraph 0.0.1",
            ..ours.clone()
        };
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("c.dgcache");
        let (store, bytes) = bundled_cache(&older);
        std::fs::write(&path, &bytes).expect("written");
        assert!(matches!(
            CacheFile::open(&path, &ours),
            Err(Unusable::Stale)
        ));
        assert!(
            CacheFile::open(&path, &older).is_ok(),
            "the version that wrote it reads it"
        );
        let (_, bytes) = bundled_cache(&ours);
        std::fs::write(&path, &bytes).expect("written");
        let cache = CacheFile::open(&path, &ours).expect("opens");
        assert_eq!(cache.summary().tally.facts() as usize, store.fact_count());
    }

    #[test]
    fn the_cache_reads_every_fact_and_list_as_the_store_in_memory_does() {
        let key = no_files();
        let (store, bytes) = bundled_cache(&key);
        let cache = CacheFile::built(bytes, &key).expect("reads");
        assert_eq!(cache.fact_count(), store.fact_count());
        for n in 0..store.fact_count() {
            let (a, b) = (cache.fact(n).expect("reads"), store.fact(n).expect("reads"));
            assert_eq!(a.id, b.id);
            assert_eq!(cache.fact_of(&a.id.to_uppercase()), Ok(Some(n)));
        }
        // Entities one by one (a run of them decoded at a time, from the last run back so that
        // a short last run is decoded first), then all at once, found by id in any case.
        // A cache keeps no places in files.
        let placeless = |e: &Entity| Entity {
            origin: crate::model::Origin::default(),
            ..e.clone()
        };
        assert_eq!(cache.entity_count(), store.entity_count());
        assert!(store.entity_count() > ENTITY_RUN, "more than one run");
        for e in (0..store.entity_count()).rev() {
            assert_eq!(cache.entity_at(e), &placeless(store.entity_at(e)), "{e}");
            let id = &store.entity_at(e).id;
            assert_eq!(cache.entity_of(&id.to_uppercase()), Some(e), "{id}");
            assert_eq!(cache.entity_of(&id.to_lowercase()), Some(e), "{id}");
        }
        let all: Vec<Entity> = store.entities().iter().map(placeless).collect();
        assert_eq!(cache.entities(), all);
        assert_eq!(cache.entity_at(1), &all[1]);
        assert_eq!(cache.entity_of("no-such-entity"), None);
        assert!(!cache.damaged());
        let w = Window::of(crate::model::Date::parse("2021-03-15").expect("date"));
        for e in 0..store.entity_count() {
            assert_eq!(cache.named(e), store.named(e), "{e}");
            assert_eq!(cache.tied(e, &Slot::ALL, w), store.tied(e, &Slot::ALL, w));
        }
        for k in FactKind::ALL {
            assert_eq!(cache.of_kind(k, w), store.of_kind(k, w));
        }
        assert_eq!(cache.dated_within(w), store.dated_within(w));
        assert_eq!(cache.fact_of("no-such-fact"), Ok(None));
    }

    #[test]
    fn a_scan_reads_every_fact_and_the_pages_it_gave_back_read_again() {
        let key = no_files();
        let (store, bytes) = bundled_cache(&key);
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("c.dgcache");
        std::fs::write(&path, &bytes).expect("written");
        let cache = CacheFile::open(&path, &key).expect("opens");
        // Pages given back every 3 facts: the scan still sees each fact whole, in order.
        let mut seen = Vec::new();
        cache
            .scan(3, &mut |n, f| {
                seen.push((n, f.clone()));
                true
            })
            .expect("reads");
        assert_eq!(seen.len(), store.fact_count());
        // Each as the store in memory has it, and as read again, one by one, from the pages
        // given back.
        for (n, f) in &seen {
            assert_eq!(f.id, store.fact(*n).expect("reads").id, "fact {n}");
            assert_eq!(f, &*cache.fact(*n).expect("reads again"), "fact {n}");
        }
        assert!(!cache.damaged());
        // A scan stops when asked to.
        let mut count = 0;
        cache
            .each_fact(&mut |_, _| {
                count += 1;
                count < 5
            })
            .expect("reads");
        assert_eq!(count, 5);
    }

    /// A data folder of one file, and that file.
    fn one_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("s.ron");
        std::fs::write(&file, text).expect("write");
        (dir, file)
    }

    /// Writes `text` over `file` (the same size), then sets its modification time back.
    fn edit_keeping_time(file: &Path, text: &str) {
        let before = std::fs::metadata(file)
            .expect("meta")
            .modified()
            .expect("mtime");
        std::fs::write(file, text).expect("write");
        let f = std::fs::File::options()
            .write(true)
            .open(file)
            .expect("open");
        f.set_modified(before).expect("touch -r");
        let after = std::fs::metadata(file)
            .expect("meta")
            .modified()
            .expect("mtime");
        assert_eq!(before, after);
    }

    const BEFORE: &str = r#"[State(id: "BLR", name: "Belarus", from: "2002-03-28")]"#;
    const AFTER: &str = r#"[State(id: "BLR", name: "Belarus", from: "2003-03-28")]"#;

    #[cfg(unix)]
    #[test]
    fn an_edit_of_the_same_size_with_its_time_set_back_changes_the_key() {
        let (dir, file) = one_file(BEFORE);
        let old = Key::of(dir.path()).expect("a key");
        // The inode's change time moves on the next tick of the file system's clock.
        std::thread::sleep(std::time::Duration::from_millis(20));
        edit_keeping_time(&file, AFTER);
        let new = Key::of(dir.path()).expect("a key");
        assert_eq!(old.files[0].size, new.files[0].size);
        assert_eq!(old.files[0].modified, new.files[0].modified);
        assert_ne!(old.files[0].changed, new.files[0].changed);
        assert_ne!(old, new, "the cache of the old key is stale");
        // A file replaced by another (a new inode) changes it too.
        let other = dir.path().join("t.tmp");
        std::fs::write(&other, BEFORE).expect("write");
        std::fs::rename(&other, &file).expect("rename");
        assert_ne!(
            Key::of(dir.path()).expect("a key").files[0].inode,
            new.files[0].inode
        );
    }

    #[test]
    fn verify_finds_an_edit_that_the_key_cannot_see() {
        let (dir, file) = one_file(BEFORE);
        let key = Key::of(dir.path()).expect("a key");
        let data = load(&DataSource::Path(dir.path().to_path_buf())).dataset;
        let store = MemoryStore::new(data, true);
        let path = dir.path().join("c.dgcache");
        of_store(&key, &store)
            .expect("laid out")
            .write(&path)
            .expect("written");
        assert_eq!(folder_of(&path).expect("a folder"), key.folder);
        let ok = verify(&path, &key).expect("checks");
        assert_eq!((ok.files, ok.changed.len()), (1, 0));
        assert!(ok.blocks > 0);
        // The same size, and a key as it was: as if times and inode had been set back.
        edit_keeping_time(&file, AFTER);
        let found = verify(&path, &key).expect("checks");
        assert_eq!(found.changed, [key.files[0].path.clone()]);
        // A damaged block anywhere is found, read by a question or not.
        let mut bytes = std::fs::read(&path).expect("read");
        let at = bytes.len() / 2;
        bytes[at] ^= 1;
        std::fs::write(&path, &bytes).expect("write");
        assert!(matches!(verify(&path, &key), Err(Unusable::Corrupt)));
    }
}
