//! The facts of the whole data as the build holds them (encoded, a batch per file), for
//! checking one batch against all the others: a fact found by its id, decoded (and marked,
//! so that the problems it shows in can be traced to it), or read again from its file's text,
//! with its origin, when a diagnostic must point at it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::super::{Encoded, Key, codec};
use crate::model::id_hash;
use crate::model::{Fact, FileId, Origin, Span, id_key};
use crate::validate::Whole;

/// The batch of `firsts` (the number of each batch's first fact) holding fact `number`, and
/// where in it.
pub(super) fn place(firsts: &[u32], number: usize) -> Option<(usize, usize)> {
    let batch = firsts
        .partition_point(|&f| f as usize <= number)
        .checked_sub(1)?;
    Some((batch, number - firsts[batch] as usize))
}

/// Fact `number` of batches whose first facts are numbered `firsts`.
pub(super) fn decode_in(batches: &[Encoded], firsts: &[u32], number: usize) -> Option<Fact> {
    codec::fact_of(record_in(batches, firsts, number)?)
}

/// Fact `number`'s record, as encoded, in batches whose first facts are numbered `firsts`.
pub(super) fn record_in<'b>(
    batches: &'b [Encoded],
    firsts: &[u32],
    number: usize,
) -> Option<&'b [u8]> {
    let (batch, at) = place(firsts, number)?;
    batches[batch].record(at)
}

/// The file id that marks the origins of fact `at` of batch `batch`: past any real file, so
/// that a diagnostic pointing at a decoded fact (which has no origin) says which it is.
fn mark_file(batch: usize) -> FileId {
    FileId(u32::MAX - batch as u32)
}

/// Marks the origins of a decoded fact (the fact's, its parties' and its readings') as those
/// of fact `at` of batch `batch`: every place in it is then `at` bytes into [`mark_file`].
pub(super) fn mark(f: &mut Fact, batch: usize, at: usize) {
    let marked = || Origin {
        file: mark_file(batch),
        head: Span::new(at, at),
        span: Span::new(at, at),
        fields: Vec::new(),
    };
    f.origin = marked();
    for r in &mut f.disputed {
        r.origin = marked();
    }
    if let crate::model::FactBody::Treaty { parties, .. } = &mut f.body {
        for p in parties {
            p.origin = marked();
            for r in &mut p.disputed {
                r.origin = marked();
            }
        }
    }
}

/// The fact (batch, place in it) that a place marked by [`mark`] stands for; `None` for a
/// real place, in one of `files` files.
pub(super) fn marked(file: FileId, span: Span, files: usize) -> Option<(usize, usize)> {
    let batch = (u32::MAX - file.0) as usize;
    (file.0 as usize >= files).then_some((batch, span.start as usize))
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
    /// Where facts with their origins come from, when diagnostics are to be made; without
    /// it, facts are decoded and marked.
    origins: Option<&'a Reloads<'a>>,
    /// Set when a fact could not be decoded or read again: the check is not to be trusted.
    failed: AtomicBool,
}

impl<'a> Facts<'a> {
    /// The facts of `batches` (numbered from `firsts`), with their id table `ids`; given with
    /// their origins when `origins` is given.
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

    fn failed<T>(&self, got: Option<T>) -> Option<T> {
        if got.is_none() {
            self.failed.store(true, Ordering::Relaxed);
        }
        got
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
            let f = self.failed(decode_in(self.batches, self.firsts, n))?;
            if id_key(&f.id) == key {
                return Some(n);
            }
        }
        here
    }

    fn fact(&self, number: usize) -> Option<Fact> {
        let got = match self.origins {
            Some(reloads) => reloads.fact(number),
            None => place(self.firsts, number).and_then(|(batch, at)| {
                let mut f = self.batches[batch].decode_one(at)?;
                mark(&mut f, batch, at);
                Some(f)
            }),
        };
        self.failed(got)
    }

    fn fact_count(&self) -> usize {
        self.count
    }

    fn fact_ids(&self) -> &[String] {
        self.every_id.get_or_init(|| {
            let mut ids = Vec::with_capacity(self.count);
            for b in self.batches {
                for i in 0..b.ends.len() {
                    if let Some(f) = self.failed(b.decode_one(i)) {
                        ids.push(f.id);
                    }
                }
            }
            ids
        })
    }
}

/// Facts read again from their files' text, one record at a time, for the origins that the
/// encoded batches leave out; the last few texts are kept, as the facts a batch's problems
/// point at are mostly in its own file.
pub(super) struct Reloads<'a> {
    key: &'a Key,
    batches: &'a [Encoded],
    firsts: &'a [u32],
    /// Where each fact of each batch is written in its file.
    spans: &'a [Vec<Span>],
    texts: Mutex<Vec<(usize, Arc<String>)>>,
}

/// How many texts are kept.
const KEPT: usize = 4;

impl<'a> Reloads<'a> {
    pub(super) fn new(
        key: &'a Key,
        batches: &'a [Encoded],
        firsts: &'a [u32],
        spans: &'a [Vec<Span>],
    ) -> Reloads<'a> {
        Reloads {
            key,
            batches,
            firsts,
            spans,
            texts: Mutex::new(Vec::new()),
        }
    }

    /// The text of file `n`, as the loader read it; `None` when it is no longer the size it
    /// was.
    fn text(&self, n: usize) -> Option<Arc<String>> {
        let kept = self.texts.lock().ok()?;
        if let Some((_, t)) = kept.iter().find(|(k, _)| *k == n) {
            return Some(Arc::clone(t));
        }
        drop(kept);
        let stamp = self.key.files.get(n)?;
        let bytes = self.key.read(n).ok()?;
        if bytes.len() as u64 != stamp.size {
            return None;
        }
        let text = Arc::new(crate::load::text_of(bytes));
        let mut kept = self.texts.lock().ok()?;
        if kept.len() == KEPT {
            kept.remove(0);
        }
        kept.push((n, Arc::clone(&text)));
        Some(text)
    }

    /// Fact `number`, read again with its origin; `None` when its file no longer holds the
    /// very fact that was first read there.
    pub(super) fn fact(&self, number: usize) -> Option<Fact> {
        let (batch, at) = place(self.firsts, number)?;
        let text = self.text(batch)?;
        let span = *self.spans.get(batch)?.get(at)?;
        let fact = crate::load::fact_at(FileId(batch as u32), &text, span)?;
        let b = &self.batches[batch];
        let start = at.checked_sub(1).map_or(0, |p| b.ends[p] as usize);
        let same = Encoded::of(std::iter::once(&fact)).bytes == b.bytes[start..b.ends[at] as usize];
        same.then_some(fact)
    }
}
