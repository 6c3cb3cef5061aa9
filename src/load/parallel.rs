//! Loading files on every core: each file is decoded, outlined, deserialized and converted on
//! its own, then the results are put together in input order, so that records, file ids and
//! diagnostics come out exactly as the one-file-after-another loader would give them.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diag::{Code, Diagnostic};
use crate::model::{FileId, SourceFile};

use super::{Input, Places, Records};

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
pub struct FileResult {
    /// The file, with its text.
    pub file: SourceFile,
    /// Its records.
    pub records: Records,
    /// Its problems.
    pub diags: Vec<Diagnostic>,
}

/// Below this many bytes in all, one thread is quicker than starting others.
pub const PARALLEL_BYTES: u64 = 1 << 20;

/// Loads one file, as file number `n` of the data.
pub fn load_file(n: usize, input: Input) -> FileResult {
    load_file_with(n, input, Places::Fields)
}

/// [`load_file`], noting the places `places` says.
pub fn load_file_with(n: usize, input: Input, places: Places) -> FileResult {
    let file = FileId(u32::try_from(n).unwrap_or(u32::MAX));
    let mut diags = Vec::new();
    let mut records = Records::default();
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
                records,
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
                records,
                diags,
            };
        }
    };
    super::load_text(file, &text, places, &mut records, &mut diags);
    // Kept until every file is done and then moved into one list: no room to spare meanwhile.
    records.entities.shrink_to_fit();
    records.facts.shrink_to_fit();
    FileResult {
        file: SourceFile {
            path: input.path,
            text,
        },
        records,
        diags,
    }
}

/// Loads every input, on up to `threads` threads, reporting progress after each file. The
/// results are in input order.
pub fn load_all(
    inputs: Vec<Input>,
    threads: usize,
    progress: &(dyn Fn(Progress) + Sync),
) -> (Vec<SourceFile>, Records, Vec<Diagnostic>) {
    let size = |i: &Input| i.bytes.as_ref().map_or(0, |b| b.len() as u64);
    let total_bytes: u64 = inputs.iter().map(size).sum();
    let total_files = inputs.len();
    let threads = if total_bytes < PARALLEL_BYTES {
        1
    } else {
        threads
    };
    let sizes: Vec<u64> = inputs.iter().map(size).collect();
    let slots: Vec<std::sync::Mutex<Option<Input>>> = inputs
        .into_iter()
        .map(|i| std::sync::Mutex::new(Some(i)))
        .collect();
    let files_done = AtomicUsize::new(0);
    let bytes_done = std::sync::atomic::AtomicU64::new(0);
    let merged = std::sync::Mutex::new(Merged::new(total_files));
    run_indexed(
        total_files,
        threads,
        || (),
        |(), n| {
            let Some(input) = slots[n].lock().ok().and_then(|mut s| s.take()) else {
                return true;
            };
            let result = load_file(n, input);
            merged
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .add(n, result);
            let f = files_done.fetch_add(1, Ordering::Relaxed) + 1;
            let b = bytes_done.fetch_add(sizes[n], Ordering::Relaxed) + sizes[n];
            progress(Progress {
                files_done: f,
                files: total_files,
                bytes_done: b,
                bytes: total_bytes,
            });
            true
        },
    );
    merged
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .finish()
}

/// Runs `work(state, n)` for every `n` below `count`, in no set order, on up to `threads`
/// threads, each with a state of its own made by `new_state`, until every `n` is done or
/// `work` answers `false` (then no further `n` is started).
pub fn run_indexed<S>(
    count: usize,
    threads: usize,
    new_state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) -> bool + Sync,
) {
    let next = AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let run = || {
        let mut state = new_state();
        while !stop.load(Ordering::Relaxed) {
            let n = next.fetch_add(1, Ordering::Relaxed);
            if n >= count {
                break;
            }
            if !work(&mut state, n) {
                stop.store(true, Ordering::Relaxed);
            }
        }
    };
    let threads = threads.clamp(1, count.max(1));
    if threads == 1 {
        run();
    } else {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(run);
            }
        });
    }
}

/// The files' results put together in input order as they come: a file's records are moved
/// into the lists as soon as every earlier file's are, so the per-file lists and the whole
/// lists are not all held at once (which would hold every record twice at the end).
struct Merged {
    /// Results that came before an earlier file's.
    pending: Vec<Option<FileResult>>,
    /// The first file not yet moved in.
    next: usize,
    files: Vec<SourceFile>,
    records: Records,
    diags: Vec<Diagnostic>,
}

impl Merged {
    fn new(files: usize) -> Merged {
        Merged {
            pending: (0..files).map(|_| None).collect(),
            next: 0,
            files: Vec::with_capacity(files),
            records: Records::default(),
            diags: Vec::new(),
        }
    }

    fn add(&mut self, n: usize, result: FileResult) {
        if let Some(slot) = self.pending.get_mut(n) {
            *slot = Some(result);
        }
        while let Some(r) = self.pending.get_mut(self.next).and_then(Option::take) {
            self.take(r);
            self.next += 1;
        }
    }

    fn take(&mut self, r: FileResult) {
        self.files.push(r.file);
        self.records.entities.extend(r.records.entities);
        self.records.facts.extend(r.records.facts);
        self.records.coverage.extend(r.records.coverage);
        self.diags.extend(r.diags);
    }

    /// Every result in input order, including any that waited on a file that gave none.
    fn finish(mut self) -> (Vec<SourceFile>, Records, Vec<Diagnostic>) {
        let rest: Vec<FileResult> = self.pending.iter_mut().filter_map(Option::take).collect();
        for r in rest {
            self.take(r);
        }
        (self.files, self.records, self.diags)
    }
}

/// The number of threads to load with: every core.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
