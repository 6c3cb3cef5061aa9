//! The facts of the whole data as the build holds them (encoded, a batch per file), for
//! checking one batch against all the others: a fact found by its id, decoded, or loaded
//! again from its file when a diagnostic must point at it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::super::{Encoded, Key, id_hash};
use crate::load::Input;
use crate::load::parallel::load_file;
use crate::model::{Fact, id_key};
use crate::validate::Whole;

/// Fact `number` of batches whose first facts are numbered `firsts`.
pub(super) fn decode_in(batches: &[Encoded], firsts: &[u32], number: usize) -> Option<Fact> {
    let batch = firsts
        .partition_point(|&f| f as usize <= number)
        .checked_sub(1)?;
    batches[batch].decode_one(number - firsts[batch] as usize)
}

/// The facts of every batch, with the id table over them.
pub(super) struct Facts<'a> {
    batches: &'a [Encoded],
    firsts: &'a [u32],
    /// `(id hash, fact)` for every fact, sorted.
    ids: &'a [(u64, u32)],
    /// The hashes that more than one fact has, sorted: only ids with one of them need their
    /// facts decoded to tell which is first.
    shared: Vec<u64>,
    count: usize,
    every_id: OnceLock<Vec<String>>,
    /// Where facts with their origins come from, when diagnostics are to be made.
    origins: Option<&'a Reloads<'a>>,
    /// Set when a fact could not be decoded or loaded again: the check is not to be trusted.
    failed: AtomicBool,
}

impl<'a> Facts<'a> {
    /// The facts of `batches` (numbered from `firsts`), with their id table `ids`; facts are
    /// given with their origins when `origins` is given.
    pub(super) fn new(
        batches: &'a [Encoded],
        firsts: &'a [u32],
        ids: &'a [(u64, u32)],
        origins: Option<&'a Reloads<'a>>,
    ) -> Facts<'a> {
        let mut shared: Vec<u64> = ids
            .windows(2)
            .filter(|w| w[0].0 == w[1].0)
            .map(|w| w[0].0)
            .collect();
        shared.dedup();
        Facts {
            batches,
            firsts,
            ids,
            shared,
            count: batches.iter().map(|b| b.ends.len()).sum(),
            every_id: OnceLock::new(),
            origins,
            failed: AtomicBool::new(false),
        }
    }

    /// Whether every fact asked for could be had.
    pub(super) fn sound(&self) -> bool {
        !self.failed.load(Ordering::Relaxed)
    }

    fn decoded(&self, number: usize) -> Option<Fact> {
        let f = decode_in(self.batches, self.firsts, number);
        if f.is_none() {
            self.failed.store(true, Ordering::Relaxed);
        }
        f
    }
}

impl Whole for Facts<'_> {
    fn first_fact(&self, id: &str, here: Option<usize>) -> Option<usize> {
        let h = id_hash(id);
        if here.is_some() && self.shared.binary_search(&h).is_err() {
            return here;
        }
        let key = id_key(id);
        let start = self.ids.partition_point(|e| e.0 < h);
        // Equal hashes are in fact order: the first whose id is the same is the first fact.
        for &(_, n) in self.ids[start..].iter().take_while(|e| e.0 == h) {
            let n = n as usize;
            if Some(n) == here {
                return here;
            }
            if id_key(&self.decoded(n)?.id) == key {
                return Some(n);
            }
        }
        here
    }

    fn fact(&self, number: usize) -> Option<Fact> {
        let Some(reloads) = self.origins else {
            return self.decoded(number);
        };
        let f = reloads.fact(number);
        if f.is_none() {
            self.failed.store(true, Ordering::Relaxed);
        }
        f
    }

    fn fact_count(&self) -> usize {
        self.count
    }

    fn fact_ids(&self) -> &[String] {
        self.every_id.get_or_init(|| {
            let mut ids = Vec::with_capacity(self.count);
            for b in self.batches {
                for i in 0..b.ends.len() {
                    match b.decode_one(i) {
                        Some(f) => ids.push(f.id),
                        None => self.failed.store(true, Ordering::Relaxed),
                    }
                }
            }
            ids
        })
    }
}

/// Files loaded again for the origins of their facts (which the encoded batches leave out),
/// the last few kept: a diagnostic's second place is often in the file of the one before.
pub(super) struct Reloads<'a> {
    key: &'a Key,
    batches: &'a [Encoded],
    firsts: &'a [u32],
    kept: Mutex<Vec<(usize, Arc<Vec<Fact>>)>>,
}

/// How many files loaded again are kept.
const KEPT: usize = 4;

impl<'a> Reloads<'a> {
    pub(super) fn new(key: &'a Key, batches: &'a [Encoded], firsts: &'a [u32]) -> Reloads<'a> {
        Reloads {
            key,
            batches,
            firsts,
            kept: Mutex::new(Vec::new()),
        }
    }

    /// The facts of file `n` with their origins, loaded again; `None` when the file is no
    /// longer what was first loaded.
    pub(super) fn file(&self, n: usize) -> Option<Vec<Fact>> {
        let stamp = self.key.files.get(n)?;
        let bytes = std::fs::read(&stamp.path).ok()?;
        if bytes.len() as u64 != stamp.size {
            return None;
        }
        let input = Input {
            path: stamp.path.clone(),
            bytes: Ok(bytes),
        };
        let facts = load_file(n, input).facts;
        (Encoded::of(&facts).bytes == self.batches[n].bytes).then_some(facts)
    }

    /// Fact `number`, with its origin.
    fn fact(&self, number: usize) -> Option<Fact> {
        let batch = self
            .firsts
            .partition_point(|&f| f as usize <= number)
            .checked_sub(1)?;
        let at = number - self.firsts[batch] as usize;
        let kept = |kept: &[(usize, Arc<Vec<Fact>>)]| {
            kept.iter()
                .find(|(n, _)| *n == batch)
                .map(|(_, facts)| Arc::clone(facts))
        };
        let hit = self.kept.lock().ok().and_then(|k| kept(&k));
        let facts = match hit {
            Some(facts) => facts,
            None => {
                let facts = Arc::new(self.file(batch)?);
                if let Ok(mut k) = self.kept.lock() {
                    if k.len() == KEPT {
                        k.remove(0);
                    }
                    k.push((batch, Arc::clone(&facts)));
                }
                facts
            }
        };
        facts.get(at).cloned()
    }
}
