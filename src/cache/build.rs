//! Building the cache straight from the data files, for large data: each file is read,
//! loaded and encoded on its own, then each batch of facts is decoded again, checked against
//! every entity and indexed, so the records are never all held as structs at once. That keeps
//! a first call on a million facts within a few hundred megabytes, whatever the data's
//! problems.
//!
//! It runs the same loader on each file and the same checks ([`crate::validate::check_part`])
//! on each batch, with every entity, and finds every problem a full load finds, in the same
//! order and at the same places ([`Problems`]): a batch is checked against the facts of the
//! others through the id table ([`validate::Whole`]), and the few facts its problems point at
//! are read again from their files for the places (origins) that the encoded facts leave out.
//! Data without errors gets its cache, with warnings or without ([`Summary::clean`]).

mod problems;
mod whole;

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use std::path::Path;

use super::{CacheFile, Encoded, IndexParts, Key, Parts, Unusable, id_table, lay_out};
use crate::diag::{self, Diagnostic};
use crate::load::parallel::{Progress, load_file, load_file_with, run_indexed};
use crate::load::{Input, Places};
use crate::model::{Coverage, Dataset, Entity, Fact, Span};
use crate::store::index::{Index, Tagged};
use crate::store::{EntityIds, Summary, Tally};
use crate::validate::{self, Batch, Part};
pub use problems::Problems;
use whole::{Facts, Reloads, mark, marked};

/// One file, loaded and encoded.
struct Loaded {
    entities: Vec<Entity>,
    coverage: Vec<Coverage>,
    facts: Encoded,
    /// Where each fact is written.
    spans: Vec<Span>,
    /// The loader's problems in the file.
    diags: Vec<Diagnostic>,
    /// The checksum of its bytes.
    checksum: u64,
    /// The facts as loaded, when they are kept for the checks (small data, [`KEEP_BYTES`]);
    /// else they are decoded again from `facts`.
    kept: Option<Vec<Fact>>,
}

/// Below this many bytes of data, each file's facts are kept as loaded for the checks instead
/// of being decoded again: they take a few times the data's size, and a decode costs as much
/// as a sixth of the whole check. Larger data is decoded a batch at a time, so that a batch's
/// facts are held only while it is checked.
const KEEP_BYTES: u64 = 8 << 20;

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

/// The bytes of file `n` of `key`, or why they cannot be read (a problem of its own, as in a
/// full load), and their checksum; `None` when the file changed since the key was taken.
fn read(key: &Key, n: usize) -> Option<(Input, u64)> {
    let stamp = &key.files[n];
    let (bytes, sum) = match key.read(n) {
        Ok(b) if b.len() as u64 != stamp.size => return None,
        Ok(b) => {
            let sum = super::checksum(&b);
            (Ok(b), sum)
        }
        Err(e) => (Err(e.to_string()), 0),
    };
    let input = Input {
        path: stamp.path.clone(),
        bytes,
    };
    Some((input, sum))
}

/// Loads file `n` of `key`, and encodes its facts (and keeps them too, with `keep`); `None`
/// when it changed since the key was taken. The facts' fields are not placed (only they and
/// their problems would need it): a file with a problem of the loader's is loaded again, with
/// every place, for those problems.
fn load_one(key: &Key, n: usize, keep: bool) -> Option<Loaded> {
    let (input, checksum) = read(key, n)?;
    let mut result = load_file_with(n, input, Places::Records);
    let facts = Encoded::of(&result.records.facts);
    if !result.diags.is_empty() {
        let (input, again) = read(key, n)?;
        let placed = load_file(n, input);
        if again != checksum || Encoded::of(&placed.records.facts).bytes != facts.bytes {
            return None;
        }
        result = placed;
    }
    Some(Loaded {
        spans: result.records.facts.iter().map(|f| f.origin.span).collect(),
        entities: result.records.entities,
        coverage: result.records.coverage,
        facts,
        diags: result.diags,
        checksum,
        kept: keep.then_some(result.records.facts),
    })
}

/// The parts of a cache checked and built in memory from the data files, before they are
/// laid out ([`Checked::into_cache`]).
pub struct Checked {
    /// Every entity, in load order.
    pub entities: Vec<Entity>,
    /// What the data says it covers.
    coverage: Vec<Coverage>,
    /// The facts, encoded in batches (one per file), in load order.
    batches: Vec<Encoded>,
    /// `(id hash, fact)` for every fact, sorted.
    ids: Vec<(u64, u32)>,
    /// The entries of the index, batch by batch.
    tagged: Vec<Vec<Tagged>>,
    /// The data as a whole (clean, or with warnings: data with errors is not built).
    pub summary: Summary,
    /// The checksum of each file's bytes, as they were read.
    checksums: Vec<u64>,
}

/// Where a cache built from the files is laid out.
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    /// The cache file at this path, written atomically and then mapped.
    File(&'a Path),
    /// An unnamed temporary file in this folder, deleted when the process ends, mapped: the
    /// cache is not held in memory, and no cache is kept.
    Temporary(&'a Path),
    /// Memory.
    Memory,
}

impl Checked {
    /// The cache of `key`'s data, laid out at `place` and read in place.
    pub fn cache_at(&self, key: &Key, place: Place<'_>) -> std::io::Result<CacheFile> {
        let index = IndexParts::Tagged {
            entities: self.entities.len(),
            batches: &self.tagged,
        };
        let unreadable = |e: Unusable| std::io::Error::other(format!("{e:?}"));
        let parts = Parts {
            checksums: &self.checksums,
            entities: &self.entities,
            coverage: &self.coverage,
            facts: &self.batches,
            index,
            ids: &self.ids,
            summary: &self.summary,
        };
        match place {
            Place::File(path) => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                crate::load::atomic::write_with(path, |file| {
                    lay_out(&mut *file, key, parts).map(|_| ())
                })?;
                CacheFile::open(path, key).map_err(unreadable)
            }
            Place::Temporary(dir) => {
                let mut file = tempfile::tempfile_in(dir)?;
                lay_out(&mut file, key, parts)?;
                CacheFile::written(&file, key).map_err(unreadable)
            }
            Place::Memory => {
                let out = std::io::Cursor::new(Vec::new());
                let bytes = lay_out(out, key, parts)?;
                CacheFile::built(bytes.into_inner(), key).map_err(unreadable)
            }
        }
    }
}

/// What checking the data came to.
pub struct Outcome {
    /// The cache as built in memory; `None` when the data has errors (no cache holds such).
    pub checked: Option<Checked>,
    /// Every problem, as a full load reports them.
    pub problems: Problems,
}

/// What the checks of one batch found, without the places of its problems.
struct Batched {
    tagged: Vec<Tagged>,
    tally: Tally,
    /// How many problems.
    problems: usize,
    /// How many of them are unknown references (see [`validate::suggestions_taken`]).
    unknown: usize,
    /// The facts (batch, place in it) that they point at.
    pointed: Vec<(usize, usize)>,
}

/// Loads, checks and indexes the data `key` describes, file by file and batch by batch, on up
/// to `threads` threads, reporting progress after each file read; with every problem found.
/// `None` when a file changed while it was read: the data must then be loaded in full.
pub fn examine(key: &Key, threads: usize, progress: &(dyn Fn(Progress) + Sync)) -> Option<Outcome> {
    let files = key.files.len();
    let total_bytes = key.bytes();
    let keep = total_bytes < KEEP_BYTES;
    let (done, bytes_done) = (AtomicUsize::new(0), AtomicU64::new(0));
    // Small data: the largest files first, so that the threads end together. Large data keeps
    // load order, which kept the 1M peaks lower (docs/performance.md).
    let mut order: Vec<usize> = (0..files).collect();
    if keep {
        order.sort_by_key(|&n| std::cmp::Reverse(key.files[n].size));
    }
    let loaded = each(
        files,
        threads,
        || (),
        |(), i| {
            let n = order[i];
            let out = load_one(key, n, keep);
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
    let mut in_order: Vec<Option<Loaded>> = (0..files).map(|_| None).collect();
    for (i, l) in loaded.into_iter().enumerate() {
        in_order[order[i]] = Some(l);
    }
    let loaded: Vec<Loaded> = in_order.into_iter().collect::<Option<_>>()?;
    let mut entities = Vec::new();
    let mut coverage = Vec::new();
    let mut batches = Vec::with_capacity(loaded.len());
    let mut firsts = Vec::with_capacity(loaded.len());
    let mut spans = Vec::with_capacity(loaded.len());
    // The loader's problems, file after file, as a full load lists them before sorting.
    let mut diagnostics = Vec::new();
    let mut checksums = Vec::with_capacity(loaded.len());
    let mut kept = Vec::with_capacity(loaded.len());
    let mut count = 0u32;
    for l in loaded {
        kept.push(Mutex::new(l.kept));
        checksums.push(l.checksum);
        firsts.push(count);
        count += l.facts.ends.len() as u32;
        entities.extend(l.entities);
        coverage.extend(l.coverage);
        batches.push(l.facts);
        spans.push(l.spans);
        diagnostics.extend(l.diags);
    }
    let ids = id_table(&batches);
    // The entities alone first: their problems do not depend on any fact.
    let names = Dataset::new(Vec::new(), entities, Vec::new());
    let mut checks = validate::check(&names);
    // Each thread checks its batches in a dataset of its own with every entity. The encoded
    // facts have no origins: each is marked instead, so that a problem says which facts it
    // points at (the places are found later, for these few).
    let ids_of = EntityIds::new(&names);
    let new_scratch = || Dataset::new(Vec::new(), names.entities.clone(), Vec::new());
    let whole = Facts::new(&batches, &firsts, &ids, None);
    let checked = each(batches.len(), threads, new_scratch, |data, n| {
        let kept = kept[n].lock().ok().and_then(|mut k| k.take());
        let mut facts = match kept {
            Some(facts) => facts,
            None => batches[n].decode()?,
        };
        for (i, f) in facts.iter_mut().enumerate() {
            mark(f, n, i);
        }
        data.replace_facts(facts);
        let found = validate::check_part(&part_of(data, firsts[n], &whole, 0));
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
        let tally = Tally::of(&data.facts);
        // Let the batch go before the next is decoded: one batch a thread at a time.
        data.replace_facts(Vec::new());
        let labels = found
            .iter()
            .flat_map(|d| d.primary.iter().chain(&d.secondary));
        Some(Batched {
            tagged,
            tally,
            problems: found.len(),
            unknown: validate::suggestions_taken(&found),
            pointed: labels
                .filter_map(|l| marked(l.file, l.span, files))
                .collect(),
        })
    })?;
    drop(ids_of);
    if !whole.sound() {
        return None;
    }
    let reloads = Reloads::new(key, &batches, &firsts, &spans);
    checks.extend(placed(
        &names, &reloads, &batches, &firsts, &ids, &checked, threads,
    )?);
    drop(spans);
    diagnostics.extend(checks);
    diag::sort(&mut diagnostics);
    let problems = Problems::on_disk(diagnostics, key, names.entities.len() + count as usize);
    if problems.errors() > 0 {
        return Some(Outcome {
            checked: None,
            problems,
        });
    }
    let mut summary = Summary {
        clean: problems.diagnostics.is_empty(),
        tally: Tally::default(),
    };
    let mut tagged = Vec::with_capacity(checked.len());
    for b in checked {
        summary.tally.then(&b.tally);
        tagged.push(b.tagged);
    }
    Some(Outcome {
        checked: Some(Checked {
            entities: names.entities,
            coverage,
            batches,
            ids,
            tagged,
            summary,
            checksums,
        }),
        problems,
    })
}

/// The facts of `data`, batch number `first` on, as a part of the whole, with `suggestions`.
fn part_of<'a>(
    data: &'a Dataset,
    first: u32,
    whole: &'a Facts<'_>,
    suggestions: usize,
) -> Part<'a> {
    Part {
        data,
        batch: Some(Batch {
            first: first as usize,
            whole,
        }),
        suggestions,
    }
}

/// The problems of every batch that has some, with their places: its facts that they point
/// at are read again from its file (with their origins), and it is checked again, with the
/// suggestions the batches before it left. `None` when a file is no longer what was checked.
fn placed(
    names: &Dataset,
    reloads: &Reloads<'_>,
    batches: &[Encoded],
    firsts: &[u32],
    ids: &[(u64, u32)],
    checked: &[Batched],
    threads: usize,
) -> Option<Vec<Diagnostic>> {
    let mut left = validate::SUGGESTIONS;
    let mut wanted = Vec::new();
    let mut pointed: Vec<Vec<usize>> = vec![Vec::new(); batches.len()];
    for (n, b) in checked.iter().enumerate() {
        if b.problems > 0 {
            wanted.push((n, left));
        }
        left = left.saturating_sub(b.unknown);
        for &(batch, at) in &b.pointed {
            pointed.get_mut(batch)?.push(at);
        }
    }
    for p in &mut pointed {
        p.sort_unstable();
        p.dedup();
    }
    let whole = Facts::new(batches, firsts, ids, Some(reloads));
    let new_scratch = || Dataset::new(Vec::new(), names.entities.clone(), Vec::new());
    let files = batches.len();
    let found = each(wanted.len(), threads, new_scratch, |data, k| {
        let (n, suggestions) = wanted[k];
        let mut facts = batches[n].decode()?;
        for (i, f) in facts.iter_mut().enumerate() {
            mark(f, n, i);
        }
        for &at in &pointed[n] {
            *facts.get_mut(at)? = reloads.fact(firsts[n] as usize + at)?;
        }
        data.replace_facts(facts);
        let found = validate::check_part(&part_of(data, firsts[n], &whole, suggestions));
        data.replace_facts(Vec::new());
        // The same checks on the same facts: the same problems, now every one in its place.
        let placed = found
            .iter()
            .flat_map(|d| d.primary.iter().chain(&d.secondary))
            .all(|l| marked(l.file, l.span, files).is_none());
        (placed && found.len() == checked[n].problems).then_some(found)
    })?;
    whole.sound().then(|| found.into_iter().flatten().collect())
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

    /// The cache built file by file, when the data has no error.
    fn built(root: &Path) -> Option<Vec<u8>> {
        let key = Key::of(root).expect("a key");
        let checked = examine(&key, 2, &|_| {}).expect("examined").checked?;
        let cache = checked.cache_at(&key, Place::Memory).expect("reads");
        Some(cache.r.bytes().to_vec())
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
        let bytes = built(dir.path());
        assert!(bytes.is_some());
        let loaded = load(&DataSource::Path(dir.path().to_path_buf()));
        assert!(loaded.diagnostics.is_empty());
        assert!(validate::check(&loaded.dataset).is_empty());
        assert!(bytes == Some(full_cache(dir.path(), true)), "byte for byte");
    }

    #[test]
    fn facts_kept_as_loaded_are_the_facts_decoded_again() {
        let dir = world();
        let key = Key::of(dir.path()).expect("a key");
        for n in 0..key.files.len() {
            let loaded = load_one(&key, n, true).expect("loaded");
            let mut kept = loaded.kept.expect("kept");
            let mut decoded = loaded.facts.decode().expect("decoded");
            for (i, (k, d)) in kept.iter_mut().zip(&mut decoded).enumerate() {
                mark(k, n, i);
                mark(d, n, i);
            }
            assert!(kept == decoded, "file {n}");
            assert!(load_one(&key, n, false).expect("loaded").kept.is_none());
        }
    }

    #[test]
    fn a_world_of_many_small_files_builds_the_cache_a_full_load_writes() {
        // One record a file, as an import of people might leave them: each batch is checked
        // against every entity without the cost of the others' ids (see
        // `Dataset::replace_facts`).
        let dir = tempfile::tempdir().expect("tmp");
        let src = r#"sources: [Source(title: "t", url: "https://example.org")]"#;
        std::fs::write(
            dir.path().join("a-states.ron"),
            "[State(id: \"RUS\", name: \"Russia\")]\n",
        )
        .expect("write");
        for i in 0..1500 {
            let text = if i % 3 == 0 {
                format!(
                    "[Statement(id: \"st-{i}\", by: \"p-{}\", about: [\"RUS\"], on: \"2021\", quote: \"q\", stance: Neutral, {src})]\n",
                    i + 1
                )
            } else {
                format!("[Person(id: \"p-{i}\", name: \"Person {i}\")]\n")
            };
            std::fs::write(dir.path().join(format!("p{i:05}.ron")), text).expect("write");
        }
        let loaded = load(&DataSource::Path(dir.path().to_path_buf()));
        assert!(loaded.diagnostics.is_empty());
        assert!(validate::check(&loaded.dataset).is_empty());
        assert_eq!(loaded.dataset.facts.len(), 500);
        let bytes = built(dir.path());
        assert!(bytes == Some(full_cache(dir.path(), true)), "byte for byte");
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
        assert!(built(dir.path()).is_some());
    }

    /// Every problem of a full load of `root`, in its order.
    fn full_problems(root: &Path) -> Vec<Diagnostic> {
        let full = load(&DataSource::Path(root.to_path_buf()));
        let mut all = full.diagnostics;
        all.extend(validate::check(&full.dataset));
        diag::sort(&mut all);
        all
    }

    /// The cache a full load of `root` writes for data without errors.
    fn full_cache(root: &Path, clean: bool) -> Vec<u8> {
        let loaded = load(&DataSource::Path(root.to_path_buf()));
        let key = Key::of(root).expect("a key");
        let store = crate::store::MemoryStore::new(loaded.dataset, clean);
        super::super::of_store(&key, &store)
            .expect("laid out")
            .r
            .bytes()
            .to_vec()
    }

    #[test]
    fn every_problem_is_found_as_a_full_load_finds_it() {
        let src = r#"sources: [Source(title: "t", url: "https://example.org")]"#;
        let sanction = |id: &str, against: &str| {
            format!(
                "Sanction(id: \"{id}\", by: \"USA\", against: [\"{against}\"], measures: [TravelBan], from: \"2020\", {src})"
            )
        };
        // (what, file, record, whether it is only a warning)
        let cases: Vec<(&str, &str, String, bool)> = vec![
            ("a written id that is no slug", "sanctions/0001.ron", sanction("-sa-x", "RUS"), false),
            ("syntax", "sanctions/0001.ron", "Sanction(id: \"sa-x\", by: \"USA\"".to_string(), false),
            ("unknown reference", "sanctions/0001.ron", sanction("sa-x", "RUSS"), false),
            ("an id of another file", "sanctions/0001.ron", sanction("ev-0", "RUS"), false),
            ("an id of a later file, in another case", "events/0001.ron", sanction("SA-3", "RUS"), false),
            ("an id of the same file", "sanctions/0001.ron", sanction("sa-1", "RUS"), false),
            ("an id of an entity", "sanctions/0001.ron", sanction("rus", "RUS"), false),
            ("a fact where an entity must be", "sanctions/0001.ron", sanction("sa-x", "tr-0"), false),
            ("an unknown field", "sanctions/0001.ron", format!("Sanction(id: \"sa-x\", by: \"USA\", againts: [\"RUS\"], {src})"), false),
            ("an entity's problem", "sanctions/0001.ron", format!("State(id: \"RUS\", name: \"Russia again\", cow: 365, {src})"), false),
            (
                "a warning: no source",
                "sanctions/0001.ron",
                "Sanction(id: \"sa-x\", by: \"USA\", against: [\"RUS\"], measures: [TravelBan], from: \"2020\")".to_string(),
                true,
            ),
        ];
        for (what, file, record, warning) in cases {
            let dir = world();
            add(dir.path(), file, &record);
            let expected = full_problems(dir.path());
            assert!(!expected.is_empty(), "{what}: the full load reports it");
            let key = Key::of(dir.path()).expect("a key");
            let outcome = examine(&key, 2, &|_| {}).expect("examined");
            assert_eq!(outcome.problems.diagnostics, expected, "{what}");
            let bytes = built(dir.path());
            if warning {
                assert!(
                    bytes == Some(full_cache(dir.path(), false)),
                    "{what}: the cache a full load writes, byte for byte"
                );
            } else {
                assert!(bytes.is_none(), "{what}: no cache for data with errors");
            }
        }
    }

    #[test]
    fn suggestions_run_out_across_files_as_in_a_full_load() {
        let dir = world();
        // More unknown references than get suggestions, spread over two files.
        let src = r#"sources: [Source(title: "t", url: "https://example.org")]"#;
        for (file, from) in [("events/0001.ron", 0), ("sanctions/0001.ron", 150)] {
            for k in from..from + 150 {
                add(
                    dir.path(),
                    file,
                    &format!(
                        "Sanction(id: \"sa-x{k}\", by: \"USA\", against: [\"BRL\"], measures: [TravelBan], from: \"2020\", {src})"
                    ),
                );
            }
        }
        let expected = full_problems(dir.path());
        let key = Key::of(dir.path()).expect("a key");
        let found = examine(&key, 2, &|_| {}).expect("examined").problems;
        assert_eq!(found.diagnostics, expected);
        let suggested = |d: &Diagnostic| d.hints.iter().any(|h| h.contains("did you mean"));
        assert_eq!(
            found.diagnostics.iter().filter(|d| suggested(d)).count(),
            validate::SUGGESTIONS
        );
    }

    #[test]
    fn a_file_changed_since_it_was_checked_shows_no_text_of_another() {
        let dir = world();
        let src = r#"sources: [Source(title: "t", url: "https://example.org")]"#;
        add(
            dir.path(),
            "sanctions/0001.ron",
            &format!(
                "Sanction(id: \"sa-x\", by: \"USA\", against: [\"RUSS\"], measures: [TravelBan], from: \"2020\", {src})"
            ),
        );
        let key = Key::of(dir.path()).expect("a key");
        let mut found = examine(&key, 2, &|_| {}).expect("examined").problems;
        add(
            dir.path(),
            "sanctions/0001.ron",
            "State(id: \"XYZ\", name: \"X\")",
        );
        assert!(!found.in_runs(|_, _| {}), "the file grew");
    }
}
