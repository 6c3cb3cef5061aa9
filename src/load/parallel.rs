//! Loading files on every core: each file is decoded, outlined, deserialized and converted on
//! its own, then the results are put together in input order, so that records, file ids and
//! diagnostics come out exactly as the one-file-after-another loader would give them.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diag::{Code, Diagnostic};
use crate::model::{Entity, Fact, FileId, SourceFile};

use super::Input;

/// How far a long load has come, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Files done.
    pub files_done: usize,
    /// Files in all.
    pub files: usize,
    /// Bytes of the files done.
    pub bytes_done: u64,
    /// Bytes in all.
    pub bytes: u64,
}

/// What one file gave.
struct FileResult {
    file: SourceFile,
    entities: Vec<Entity>,
    facts: Vec<Fact>,
    diags: Vec<Diagnostic>,
}

/// Below this many bytes in all, one thread is quicker than starting others.
const PARALLEL_BYTES: u64 = 512 * 1024;

fn one(n: usize, input: Input) -> FileResult {
    let file = FileId(u32::try_from(n).unwrap_or(u32::MAX));
    let mut diags = Vec::new();
    let mut entities = Vec::new();
    let mut facts = Vec::new();
    let bytes = match input.bytes {
        Ok(b) => b,
        Err(e) => {
            diags.push(
                Diagnostic::for_path(
                    Code::Unreadable,
                    &input.path,
                    format!("cannot be read: {e}"),
                )
                .hint("check that the file exists and that you may read it"),
            );
            return FileResult {
                file: SourceFile {
                    path: input.path,
                    text: String::new(),
                },
                entities,
                facts,
                diags,
            };
        }
    };
    let text = match super::decode(bytes, file) {
        Ok(t) => t,
        Err(bad) => {
            let (lossy, d) = *bad;
            diags.push(d);
            return FileResult {
                file: SourceFile {
                    path: input.path,
                    text: lossy,
                },
                entities,
                facts,
                diags,
            };
        }
    };
    super::load_text(file, &text, &mut entities, &mut facts, &mut diags);
    FileResult {
        file: SourceFile {
            path: input.path,
            text,
        },
        entities,
        facts,
        diags,
    }
}

/// Loads every input, on up to `threads` threads, reporting progress after each file. The
/// results are in input order.
pub fn load_all(
    inputs: Vec<Input>,
    threads: usize,
    progress: &(dyn Fn(Progress) + Sync),
) -> (Vec<SourceFile>, Vec<Entity>, Vec<Fact>, Vec<Diagnostic>) {
    let size = |i: &Input| i.bytes.as_ref().map_or(0, |b| b.len() as u64);
    let total_bytes: u64 = inputs.iter().map(size).sum();
    let total_files = inputs.len();
    let threads = if total_bytes < PARALLEL_BYTES {
        1
    } else {
        threads.clamp(1, total_files.max(1))
    };
    let sizes: Vec<u64> = inputs.iter().map(size).collect();
    let slots: Vec<std::sync::Mutex<Option<Input>>> = inputs
        .into_iter()
        .map(|i| std::sync::Mutex::new(Some(i)))
        .collect();
    let next = AtomicUsize::new(0);
    let files_done = AtomicUsize::new(0);
    let bytes_done = std::sync::atomic::AtomicU64::new(0);
    let work = || {
        let mut mine: Vec<(usize, FileResult)> = Vec::new();
        loop {
            let n = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = slots.get(n) else { break };
            let Some(input) = slot.lock().ok().and_then(|mut s| s.take()) else {
                continue;
            };
            mine.push((n, one(n, input)));
            let f = files_done.fetch_add(1, Ordering::Relaxed) + 1;
            let b = bytes_done.fetch_add(sizes[n], Ordering::Relaxed) + sizes[n];
            progress(Progress {
                files_done: f,
                files: total_files,
                bytes_done: b,
                bytes: total_bytes,
            });
        }
        mine
    };
    let mut results: Vec<(usize, FileResult)> = if threads == 1 {
        work()
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    };
    results.sort_unstable_by_key(|(n, _)| *n);
    let (mut files, mut entities, mut facts, mut diags) = (
        Vec::with_capacity(results.len()),
        Vec::new(),
        Vec::with_capacity(results.iter().map(|(_, r)| r.facts.len()).sum()),
        Vec::new(),
    );
    for (_, r) in results {
        files.push(r.file);
        entities.extend(r.entities);
        facts.extend(r.facts);
        diags.extend(r.diags);
    }
    (files, entities, facts, diags)
}

/// The number of threads to load with: every core.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
