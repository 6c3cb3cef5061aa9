//! Laying an import's records out in files, each staged (written under a temporary name
//! beside it and synced, [`crate::load::atomic::stage`]), none yet in place.
//!
//! - **One file** (`imported/gdelt.ron`) while the import's records, old and new, number at
//!   most [`FILE_RECORDS`]: records sorted by kind, then by id.
//! - **A folder** (`imported/gdelt/0001.ron`, ...) past that: each file holds records of one
//!   kind in the order of their keys, at most [`FILE_RECORDS`] of them, and the folder has a
//!   manifest ([`super::own`]). New records go into the file whose range of keys takes them
//!   (the last file of a kind takes those past its end, and is filled up before a new file is
//!   begun); a file that takes none is left as it is, and one whose text comes out the same is
//!   not written again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::emit::natural_cmp;
use super::output::{FILE_RECORDS, Made, Merged};
use super::own::{self, FileEntry, InputEntry, Item, Layout, Manifest, Target};
use super::{ImportError, KIND_ORDER, kind_at};
use crate::load::atomic::{self, Staged};
use crate::load::format::DataFile;

/// The files an import would put in place.
#[derive(Debug, Default)]
pub struct Laid {
    /// The files written, each staged, in the order they are put in place (a folder's
    /// manifest last).
    pub staged: Vec<Staged>,
    /// Files the import replaces under another name (a single file that became a folder).
    pub removed: Vec<PathBuf>,
    /// The text of the one file, when the import is one file.
    pub single: Option<String>,
    /// The folder's data files staged: as shown, where their text is now, and their kind.
    pub changed: Vec<(String, PathBuf, &'static str)>,
    /// The folder's files as they will be (its manifest's entries).
    pub entries: Vec<FileEntry>,
    /// Records in all, by kind.
    pub records: BTreeMap<&'static str, usize>,
}

fn write_error(path: &Path, e: std::io::Error) -> ImportError {
    ImportError::Io {
        path: path.display().to_string(),
        message: format!("cannot be written: {e}"),
    }
}

fn shown(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// The header of a file whose records came from several inputs: the importer's, without the
/// name of the file it read.
pub fn mixed_header(header: &[String], input: &str) -> Vec<String> {
    let mut out = header.to_vec();
    if let Some(first) = out.first_mut() {
        *first = first.replacen(&format!(" from {input} ("), " (", 1);
        if let Some(stem) = first.strip_suffix(").") {
            *first = format!("{stem}): each record's source names the file and line it came from.");
        }
    }
    out
}

/// The text of a data file of `header` and `items`.
fn text_of<'i>(header: &[String], items: impl IntoIterator<Item = &'i Item>) -> String {
    let mut file = DataFile::new(header.iter().flat_map(|h| h.lines()));
    for i in items {
        file.push_item(&i.text);
    }
    file.finish()
}

/// Lays out the records of an import at `target`: `made` (this import's) with what `layout`
/// held before. `header` is the importer's, `input` the name it gave the file it read.
pub fn lay_out(
    target: &Target,
    layout: &Layout,
    made: Made,
    header: &[String],
    input: &str,
    input_entry: Option<InputEntry>,
) -> Result<Laid, ImportError> {
    let before: &[Item] = match layout {
        Layout::Single { items, .. } => items,
        _ => &[],
    };
    match made {
        Made::Memory(items)
            if !matches!(layout, Layout::Folder { .. })
                && before.len() + items.len() <= FILE_RECORDS =>
        {
            single(target, layout, items, header, input)
        }
        made => folder(target, layout, made, header, input, input_entry),
    }
}

fn single(
    target: &Target,
    layout: &Layout,
    items: Vec<Item>,
    header: &[String],
    input: &str,
) -> Result<Laid, ImportError> {
    let (before, old_text, old_header): (&[Item], Option<&str>, Option<&[String]>) = match layout {
        Layout::Single {
            items,
            text,
            header,
        } => (items, Some(text), Some(header)),
        _ => (&[], None, None),
    };
    let mixed;
    let header = match old_header {
        // Nothing new: the file stays as it is.
        Some(old) if items.is_empty() => old,
        Some(old) if old == header => header,
        Some(_) => {
            mixed = mixed_header(header, input);
            &mixed
        }
        None => header,
    };
    let mut all: Vec<&Item> = before.iter().chain(&items).collect();
    all.sort_by(|a, b| {
        a.rank
            .cmp(&b.rank)
            .then_with(|| natural_cmp(&a.sort, &b.sort))
    });
    let mut records = BTreeMap::new();
    for i in &all {
        *records.entry(kind_at(i.rank)).or_default() += 1;
    }
    let text = text_of(header, all);
    let mut laid = Laid {
        records,
        ..Laid::default()
    };
    if old_text != Some(text.as_str()) {
        laid.staged.push(stage(&target.file, text.as_bytes())?);
    }
    laid.single = Some(text);
    Ok(laid)
}

/// Stages `bytes` at `path`, making its folder when it lacks one.
fn stage(path: &Path, bytes: &[u8]) -> Result<Staged, ImportError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    }
    let (staged, ()) = atomic::stage(path, |f| std::io::Write::write_all(f, bytes))
        .map_err(|e| write_error(path, e))?;
    Ok(staged)
}

/// One kind's files, made a file of at most [`FILE_RECORDS`] records at a time.
struct Chunks<'t> {
    target: &'t Target,
    header: &'t [String],
    /// The name the next file takes: an existing file's, for the first.
    name: Option<String>,
    items: Vec<Item>,
}

/// The numbered name of file `n` of a folder.
fn numbered(n: usize) -> String {
    format!("{n:04}.ron")
}

impl Chunks<'_> {
    fn push(&mut self, item: Item, laid: &mut Laid, next: &mut usize) -> Result<(), ImportError> {
        self.items.push(item);
        if self.items.len() >= FILE_RECORDS {
            self.write(laid, next)?;
        }
        Ok(())
    }

    /// Writes the records held as a file: the existing one named, or a new one.
    fn write(&mut self, laid: &mut Laid, next: &mut usize) -> Result<(), ImportError> {
        if self.items.is_empty() {
            return Ok(());
        }
        let items = std::mem::take(&mut self.items);
        let name = self.name.take().unwrap_or_else(|| {
            *next += 1;
            numbered(*next - 1)
        });
        let path = self.target.folder.join(&name);
        let text = text_of(self.header, &items);
        let same = std::fs::read(&path).is_ok_and(|old| old == text.as_bytes());
        let kind = kind_at(items[0].rank);
        let at = if same {
            path.clone()
        } else {
            let staged = stage(&path, text.as_bytes())?;
            let at = staged.temporary().to_path_buf();
            laid.changed.push((shown(&path), at.clone(), kind));
            laid.staged.push(staged);
            at
        };
        let mut entry = own::entry_of(&name, &at, &items).ok_or_else(|| ImportError::Io {
            path: shown(&path),
            message: "cannot be read back".into(),
        })?;
        entry.kind = kind.to_string();
        laid.entries.push(entry);
        Ok(())
    }
}

fn folder(
    target: &Target,
    layout: &Layout,
    made: Made,
    header: &[String],
    input: &str,
    input_entry: Option<InputEntry>,
) -> Result<Laid, ImportError> {
    let source = target.source;
    let mixed = mixed_header(header, input);
    let mut laid = Laid::default();
    let mut manifest = match layout {
        Layout::Folder { manifest, .. } => manifest.clone(),
        _ => Manifest::new(source),
    };
    let mut next = own::numbered_files(&target.folder)
        .iter()
        .filter_map(|n| n.trim_end_matches(".ron").parse::<usize>().ok())
        .max()
        .map_or(1, |n| n + 1);
    // Each kind's records: runs on disk, and the rest in memory.
    let mut kinds: BTreeMap<u8, (Vec<PathBuf>, Vec<Item>)> = BTreeMap::new();
    // The scratch folder of the runs stays until they are read, at the end.
    let mut scratch = None;
    match made {
        Made::Memory(items) => {
            for i in items {
                kinds.entry(i.rank).or_default().1.push(i);
            }
        }
        Made::Sorted { dir, kinds: sorted } => {
            scratch = Some(dir);
            for (rank, runs, last) in sorted {
                kinds.insert(rank, (runs, last));
            }
        }
    }
    if let Layout::Single { items, .. } = layout {
        // A single file becomes a folder: its records join the new ones.
        for i in items {
            kinds.entry(i.rank).or_default().1.push(i.clone());
        }
        laid.removed.push(target.file.clone());
    }
    for f in &manifest.files {
        kinds.entry(super::kind_rank(&f.kind) as u8).or_default();
    }
    for (rank, (runs, mut last)) in kinds {
        last.sort_by(|a, b| natural_cmp(&a.key, &b.key));
        let kind = kind_at(rank);
        let existing: Vec<FileEntry> = manifest
            .files
            .iter()
            .filter(|f| f.kind == kind)
            .cloned()
            .collect();
        let mut stream = Merged::new(rank, &runs, last).map_err(|e| ImportError::Io {
            path: shown(&target.folder),
            message: format!("cannot read back the records being imported: {e}"),
        })?;
        let mut more = || {
            stream.next_item().map_err(|e| ImportError::Io {
                path: shown(&target.folder),
                message: format!("cannot read back the records being imported: {e}"),
            })
        };
        let mut pending = more()?;
        let mut chunks = Chunks {
            target,
            header: &mixed,
            name: None,
            items: Vec::new(),
        };
        if existing.is_empty() {
            while let Some(item) = pending.take() {
                chunks.push(item, &mut laid, &mut next)?;
                pending = more()?;
            }
            chunks.write(&mut laid, &mut next)?;
            continue;
        }
        let count = existing.len();
        for (n, f) in existing.into_iter().enumerate() {
            let last_file = n + 1 == count;
            let takes = |p: &Option<Item>| {
                p.as_ref()
                    .is_some_and(|p| last_file || natural_cmp(&p.key, &f.last).is_le())
            };
            if !takes(&pending) {
                laid.entries.push(f);
                continue;
            }
            // Only the records' texts and keys are kept, not the file as loaded.
            let items = own::read_file(source, &target.folder.join(&f.name), 0)?.items;
            let mut old = items.into_iter().peekable();
            chunks.name = Some(f.name.clone());
            loop {
                let ord = match (old.peek(), takes(&pending)) {
                    (None, false) => break,
                    (Some(_), false) => std::cmp::Ordering::Less,
                    (None, true) => std::cmp::Ordering::Greater,
                    (Some(o), true) => match &pending {
                        Some(p) => natural_cmp(&o.key, &p.key),
                        None => std::cmp::Ordering::Less,
                    },
                };
                match ord {
                    std::cmp::Ordering::Less => {
                        if let Some(o) = old.next() {
                            chunks.push(o, &mut laid, &mut next)?;
                        }
                    }
                    // Written before: the old record stays.
                    std::cmp::Ordering::Equal => pending = more()?,
                    std::cmp::Ordering::Greater => {
                        if let Some(p) = pending.take() {
                            chunks.push(p, &mut laid, &mut next)?;
                        }
                        pending = more()?;
                    }
                }
            }
            chunks.write(&mut laid, &mut next)?;
        }
    }
    drop(scratch);
    for e in &laid.entries {
        if let Some(k) = KIND_ORDER.iter().find(|k| **k == e.kind) {
            *laid.records.entry(k).or_default() += e.records;
        }
    }
    manifest.files = std::mem::take(&mut laid.entries);
    if let Some(i) = input_entry
        && !manifest.inputs.contains(&i)
    {
        manifest.inputs.push(i);
    }
    let text = manifest.text();
    let path = target.manifest();
    let same = std::fs::read(&path).is_ok_and(|old| old == text.as_bytes());
    if !same {
        let staged = stage(&path, text.as_bytes())?;
        laid.staged.push(staged);
    }
    laid.entries = manifest.files;
    Ok(laid)
}
