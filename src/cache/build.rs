//! Building the cache straight from the data files, for large data without problems: each file
//! is read, loaded and encoded on its own, then each batch of facts is decoded again, checked
//! against every entity and indexed, so the records are never all held as structs at once.
//! That keeps a first call on a million facts within a few hundred megabytes.
//!
//! The build only ever succeeds on data the full load would pass without a single problem,
//! error or warning: it runs the same loader on each file and the same checks
//! ([`crate::validate::check`]) on each batch, with every entity. Anything that needs the whole
//! data to be judged (a problem in a file, a failed check, two facts whose ids may be the same)
//! makes it give up with [`Built::NotClean`], and the caller loads the data in full, which shows
//! the problems exactly as always. A reference to a fact of another batch is looked up among
//! every fact's id (see [`validate::Part`]).

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use super::{Encoded, Key, Parts, Source, Summary, Unusable, find_id, id_table, write_parts};
use crate::graph::Entities;
use crate::graph::index::{Index, Slot};
use crate::load::Input;
use crate::load::parallel::{Progress, load_file, run_indexed};
use crate::model::{Dataset, Entity, Fact, FactKind, Window};
use crate::query::stats::Tally;
use crate::validate;

/// What a build came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Built {
    /// The cache was written.
    Written,
    /// The data has (or may have) a problem, or a file changed or could not be read: nothing
    /// was written, and the data must be loaded in full.
    NotClean,
}

/// One file, loaded and encoded.
struct Loaded {
    entities: Vec<Entity>,
    facts: Encoded,
}

/// Runs `work(state, n)` for every `n` below `count` on up to `threads` threads (each with its
/// own state from `new_state`) and gives the results in order; `None` as soon as one answers
/// `None` (the rest are then not started).
fn each<S, T: Send>(
    count: usize,
    threads: usize,
    new_state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) -> Option<T> + Sync,
) -> Option<Vec<T>> {
    let slots: Vec<Mutex<Option<T>>> = (0..count).map(|_| Mutex::new(None)).collect();
    run_indexed(count, threads, new_state, |state, n| match work(state, n) {
        Some(v) => slots[n].lock().map(|mut s| *s = Some(v)).is_ok(),
        None => false,
    });
    slots
        .into_iter()
        .map(|m| m.into_inner().ok().flatten())
        .collect()
}

/// Loads file `n` of `key`, and encodes its facts; `None` when it has any problem, or changed
/// since the key was taken.
fn load_one(key: &Key, n: usize) -> Option<Loaded> {
    let stamp = &key.files[n];
    let bytes = std::fs::read(&stamp.path).ok()?;
    if bytes.len() as u64 != stamp.size {
        return None;
    }
    let result = load_file(
        n,
        Input {
            path: stamp.path.clone(),
            bytes: Ok(bytes),
        },
    );
    if !result.diags.is_empty() {
        return None;
    }
    Some(Loaded {
        entities: result.entities,
        facts: Encoded::of(&result.facts),
    })
}

/// A cache built in memory from the data files: what [`build`] writes, and a [`Source`] to
/// pick a question's facts from without writing it (`--no-cache`, or a cache that cannot be
/// written).
pub struct Checked {
    /// Every entity, in load order.
    pub entities: Vec<Entity>,
    /// The facts, encoded in batches (one per file), in load order.
    batches: Vec<Encoded>,
    /// The number of each batch's first fact.
    firsts: Vec<u32>,
    /// `(id hash, fact)` for every fact, sorted.
    ids: Vec<(u64, u32)>,
    /// The index.
    index: Index,
    /// The data as a whole (always clean: anything else is not built).
    pub summary: Summary,
}

impl Checked {
    /// Writes it as the cache file `path` for `key`.
    pub fn write(&self, path: &Path, key: &Key) -> std::io::Result<()> {
        let parts = Parts {
            entities: &self.entities,
            facts: &self.batches,
            index: &self.index,
            ids: &self.ids,
            summary: &self.summary,
        };
        write_parts(path, key, &parts)
    }

    /// Its facts alone, encoded in batches (in load order), the index and the id table let
    /// go: for an answer that reads every fact it wants once, in order.
    pub fn into_batches(self) -> Vec<Encoded> {
        self.batches
    }
}

/// Fact `number` of batches whose first facts are numbered `firsts`.
fn decode_in(batches: &[Encoded], firsts: &[u32], number: usize) -> Option<Fact> {
    let batch = firsts
        .partition_point(|&f| f as usize <= number)
        .checked_sub(1)?;
    batches[batch].decode_one(number - firsts[batch] as usize)
}

impl Source for Checked {
    fn facts(&self, entity: usize, slots: &[Slot], w: Window) -> Result<Vec<usize>, Unusable> {
        Ok(self.index.facts_in(entity, slots, w))
    }
    fn named(&self, entity: usize) -> Result<Vec<usize>, Unusable> {
        Ok(self.index.named(entity))
    }
    fn facts_of_kind(&self, kind: FactKind, w: Window) -> Result<Vec<usize>, Unusable> {
        Ok(self.index.facts_of_kind(kind, w))
    }
    fn dated_within(&self, w: Window) -> Result<Vec<usize>, Unusable> {
        Ok(self.index.dated_within(w))
    }
    fn fact(&self, i: usize) -> Result<Fact, Unusable> {
        decode_in(&self.batches, &self.firsts, i).ok_or(Unusable::Corrupt)
    }
    fn fact_named(&self, text: &str) -> Result<Option<usize>, Unusable> {
        find_id(
            text,
            self.ids.len(),
            |k| Ok(self.ids[k].0),
            |k| Ok(self.ids[k].1 as usize),
            |i| self.fact(i),
        )
    }
}

/// Builds the cache of the data `key` describes into `path`, on up to `threads` threads,
/// reporting progress after each file read.
pub fn build(
    path: &Path,
    key: &Key,
    threads: usize,
    progress: &(dyn Fn(Progress) + Sync),
) -> std::io::Result<Built> {
    match check(key, threads, progress) {
        Some(checked) => {
            checked.write(path, key)?;
            Ok(Built::Written)
        }
        None => Ok(Built::NotClean),
    }
}

/// Loads, checks and indexes the data `key` describes, file by file and batch by batch, on up
/// to `threads` threads, reporting progress after each file read. `None` when the data has (or
/// may have) a problem, or a file changed or could not be read: it must be loaded in full.
pub fn check(key: &Key, threads: usize, progress: &(dyn Fn(Progress) + Sync)) -> Option<Checked> {
    let files = key.files.len();
    let total_bytes = key.bytes();
    let (done, bytes_done) = (AtomicUsize::new(0), AtomicU64::new(0));
    let loaded = each(
        files,
        threads,
        || (),
        |(), n| {
            let out = load_one(key, n);
            let size = key.files[n].size;
            progress(Progress {
                files_done: done.fetch_add(1, Ordering::Relaxed) + 1,
                files,
                bytes_done: bytes_done.fetch_add(size, Ordering::Relaxed) + size,
                bytes: total_bytes,
            });
            out
        },
    )?;
    let mut entities = Vec::new();
    let mut batches = Vec::with_capacity(loaded.len());
    let mut firsts = Vec::with_capacity(loaded.len());
    let mut count = 0u32;
    for l in loaded {
        firsts.push(count);
        count += l.facts.ends.len() as u32;
        entities.extend(l.entities);
        batches.push(l.facts);
    }
    // Two equal hashes may be two equal ids, which only the full load can report.
    let ids = id_table(&batches);
    if ids.windows(2).any(|w| w[0].0 == w[1].0) {
        return None;
    }
    // The entities alone first: their problems do not depend on any fact.
    let names = Dataset::new(Vec::new(), entities, Vec::new());
    if !validate::check(&names).is_empty() {
        return None;
    }
    // A reference to a fact of another batch: found by its hash, then compared in full.
    let fact_elsewhere = |id: &str| {
        let found = find_id(
            id,
            ids.len(),
            |k| Ok(ids[k].0),
            |k| Ok(ids[k].1 as usize),
            |i| decode_in(&batches, &firsts, i).ok_or(Unusable::Corrupt),
        );
        matches!(found, Ok(Some(_)))
    };
    // Each thread checks its batches in a dataset of its own with every entity.
    let ids_of = Entities::new(&names);
    let new_scratch = || Dataset::new(Vec::new(), names.entities.clone(), Vec::new());
    let checked = each(batches.len(), threads, new_scratch, |data, n| {
        data.replace_facts(batches[n].decode()?);
        let part = validate::Part {
            data,
            fact_elsewhere: &fact_elsewhere,
        };
        if !validate::check_part(&part).is_empty() {
            return None;
        }
        let mut tagged = Vec::with_capacity(data.facts.len() * 4);
        for (i, f) in data.facts.iter().enumerate() {
            let number = firsts[n] + i as u32;
            Index::tag(
                names.entities.len(),
                number,
                f,
                &|id| ids_of.get(id),
                &mut tagged,
            );
        }
        let mut tally = Tally::default();
        data.facts.iter().for_each(|f| tally.add(f));
        // Let the batch go before the next is decoded: one batch a thread at a time.
        data.replace_facts(Vec::new());
        Some((tagged, tally))
    })?;
    let mut summary = Summary {
        clean: true,
        tally: Tally::default(),
    };
    let mut tagged = Vec::with_capacity(checked.len());
    for (t, tally) in checked {
        summary.tally.then(&tally);
        tagged.push(t);
    }
    let index = Index::from_batches(names.entities.len(), tagged);
    drop(ids_of);
    Some(Checked {
        entities: names.entities,
        batches,
        firsts,
        ids,
        index,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{DataSource, load};

    /// A small synthetic world in a new folder.
    fn world() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tmp");
        let opts = crate::synth::Options {
            facts: 1500,
            seed: 3,
        };
        crate::synth::write(&opts, dir.path()).expect("synth");
        dir
    }

    fn built(root: &Path) -> (Built, Option<Vec<u8>>) {
        let out = tempfile::tempdir().expect("tmp");
        let path = out.path().join("c.dgcache");
        let key = Key::of(root).expect("a key");
        let built = build(&path, &key, 2, &|_| {}).expect("no io error");
        (built, std::fs::read(&path).ok())
    }

    /// Appends `record` to the list in `file` (a synth file: one record per line).
    fn add(root: &Path, file: &str, record: &str) {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        let at = text.rfind(']').expect("a list");
        let changed = format!("{}    {record},\n{}", &text[..at], &text[at..]);
        std::fs::write(&path, changed).expect("write");
    }

    #[test]
    fn a_clean_world_builds_the_very_cache_a_full_load_writes() {
        let dir = world();
        let (result, bytes) = built(dir.path());
        assert_eq!(result, Built::Written);
        let loaded = load(&DataSource::Path(dir.path().to_path_buf()));
        assert!(loaded.diagnostics.is_empty());
        assert!(validate::check(&loaded.dataset).is_empty());
        let out = tempfile::tempdir().expect("tmp");
        let path = out.path().join("full.dgcache");
        let key = Key::of(dir.path()).expect("a key");
        let index = crate::graph::index_of(&loaded.dataset);
        super::super::write(&path, &key, &loaded.dataset, &index, true).expect("written");
        assert!(bytes == std::fs::read(&path).ok(), "byte for byte");
    }

    #[test]
    fn a_statement_about_a_fact_of_another_file_is_no_problem() {
        let dir = world();
        add(
            dir.path(),
            "statements/0001.ron",
            r#"Statement(id: "st-about-a-treaty", by: "RUS", about: ["tr-0", "BLR"], on: "2021-03-15", quote: "q", stance: Friendly, sources: [Source(title: "t", url: "https://example.org")])"#,
        );
        let full = load(&DataSource::Path(dir.path().to_path_buf()));
        assert!(full.diagnostics.is_empty() && validate::check(&full.dataset).is_empty());
        assert_eq!(built(dir.path()).0, Built::Written);
    }

    #[test]
    fn anything_a_full_load_would_report_leaves_nothing_built() {
        let src = r#"sources: [Source(title: "t", url: "https://example.org")]"#;
        let cases: [(&str, String); 7] = [
            (
                "a written id that is no slug",
                format!(
                    "Sanction(id: \"-sa-x\", by: \"USA\", against: [\"RUS\"], measures: [TravelBan], from: \"2020\", {src})"
                ),
            ),
            ("syntax", "Sanction(id: \"sa-x\", by: \"USA\"".to_string()),
            (
                "unknown reference",
                format!(
                    "Sanction(id: \"sa-x\", by: \"USA\", against: [\"RUSS\"], measures: [TravelBan], from: \"2020\", {src})"
                ),
            ),
            (
                "an id of another file",
                format!(
                    "Sanction(id: \"ev-0\", by: \"USA\", against: [\"RUS\"], measures: [TravelBan], from: \"2020\", {src})"
                ),
            ),
            (
                "a fact where an entity must be",
                format!(
                    "Sanction(id: \"sa-x\", by: \"USA\", against: [\"tr-0\"], measures: [TravelBan], from: \"2020\", {src})"
                ),
            ),
            (
                "a warning: no source",
                "Sanction(id: \"sa-x\", by: \"USA\", against: [\"RUS\"], measures: [TravelBan], from: \"2020\")"
                    .to_string(),
            ),
            (
                "an entity's problem",
                format!("State(id: \"RUS\", name: \"Russia again\", cow: 365, {src})"),
            ),
        ];
        for (what, record) in cases {
            let dir = world();
            add(dir.path(), "sanctions/0001.ron", &record);
            let full = load(&DataSource::Path(dir.path().to_path_buf()));
            let problems = full.diagnostics.len() + validate::check(&full.dataset).len();
            assert!(problems > 0, "{what}: the full load reports it");
            let (result, bytes) = built(dir.path());
            assert_eq!(result, Built::NotClean, "{what}");
            assert!(bytes.is_none(), "{what}: nothing written");
        }
    }
}
