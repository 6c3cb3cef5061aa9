//! What an import wrote before, in the place it writes to: one file (`imported/gdelt.ron`), or
//! a folder of files (`imported/gdelt/0001.ron`, ...) with a manifest. Each record is known by
//! its key (the source's own id for it: the fact's id, `gdelt-661116615`, or for the records
//! whose id is made up, the id the source gives, `ftm:NK-24fgh...`; for entities, the key
//! the importer named them by, `state:BLR`), read back from the record itself, so that a newer
//! file of the same source adds only what is new.
//!
//! In a folder, each file holds records of one kind, in the order of their keys, and the
//! manifest (`manifest.json`) says for each file its kind, its first and last key, how many
//! records it holds, and its size and time, so that a key is looked for only in the one file
//! whose range holds it. A file whose size or time differs from the manifest's (or that the
//! manifest does not name) is read again for them: the manifest is a summary of the files,
//! never more than they say. It also lists the inputs imported (their size and checksum), so
//! that a file imported before is known again at once.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::emit::natural_cmp;
use super::rows::slug;
use super::{ImportError, Source, kind_rank};
use crate::load::parallel::{FileResult, load_file_with};
use crate::load::{Input, Places};
use crate::model::{Date, Entity, EntityKind, Fact, SourceFile};

/// The manifest's name inside an import's folder.
pub const MANIFEST: &str = "manifest.json";

/// How many folder files' keys are kept, read, at a time.
const LOADED: usize = 4;

/// The manifest's layout version.
const MANIFEST_FORMAT: u32 = 1;

/// A record as it stands in a file: what it is, its key, and its text.
#[derive(Debug, Clone)]
pub struct Item {
    /// Its place in [`super::KIND_ORDER`].
    pub rank: u8,
    /// The source's own id for it.
    pub key: String,
    /// What a single file sorts it by: its id (for a membership or a role without one, the id
    /// it is given without its kind: `POL:EU:2004-05-01`).
    pub sort: String,
    /// The record as an item of the file's list: indented, with its comma and line end.
    pub text: String,
}

/// An entity written before, as an import needs it: its id, kind and start.
#[derive(Debug, Clone)]
pub struct Known {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: EntityKind,
    /// When it begins, where known.
    pub start: Option<Date>,
}

/// A file of an import's folder, as the manifest knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Its name in the folder (`0001.ron`).
    pub name: String,
    /// The kind of every record in it.
    pub kind: String,
    /// How many records it holds.
    pub records: usize,
    /// Its first key.
    pub first: String,
    /// Its last key.
    pub last: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its modification time, in nanoseconds since the Unix epoch.
    pub modified: i128,
}

/// An input imported into a folder before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputEntry {
    /// Its name (the file's name, or `-`).
    pub name: String,
    /// Its size in bytes, as given (before unpacking).
    pub bytes: u64,
    /// XXH3-64 of those bytes, in hexadecimal.
    pub xxh3: String,
    /// What else decided which of its rows were kept (the GDELT filters), as a checksum.
    pub settings: String,
}

/// The manifest of an import's folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Its layout version.
    pub format: u32,
    /// The data set (`gdelt`).
    pub source: String,
    /// The inputs imported, in the order they were.
    pub inputs: Vec<InputEntry>,
    /// The files, each kind's in the order of their keys, kinds in the order files list them.
    pub files: Vec<FileEntry>,
}

impl Manifest {
    /// An empty manifest for `source`.
    pub fn new(source: Source) -> Manifest {
        Manifest {
            format: MANIFEST_FORMAT,
            source: source.name().to_string(),
            inputs: Vec::new(),
            files: Vec::new(),
        }
    }

    /// The manifest's text.
    pub fn text(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Where an import writes: `<into>/<source>.ron`, or the folder `<into>/<source>/`.
#[derive(Debug, Clone)]
pub struct Target {
    /// The data set.
    pub source: Source,
    /// The one file.
    pub file: PathBuf,
    /// The folder.
    pub folder: PathBuf,
}

impl Target {
    /// The places of `source` inside `into`.
    pub fn new(source: Source, into: &Path) -> Target {
        Target {
            source,
            file: into.join(format!("{}.ron", source.name())),
            folder: into.join(source.name()),
        }
    }

    /// The folder's manifest.
    pub fn manifest(&self) -> PathBuf {
        self.folder.join(MANIFEST)
    }
}

/// What the import wrote before.
#[derive(Debug, Default)]
pub enum Layout {
    /// Nothing.
    #[default]
    Nothing,
    /// One file.
    Single {
        /// Its text.
        text: String,
        /// Its comment lines at the top.
        header: Vec<String>,
        /// Its records, in the file's order.
        items: Vec<Item>,
    },
    /// A folder of files.
    Folder {
        /// The manifest, its entries checked against the files.
        manifest: Manifest,
        /// Whether every entry matched its file as the manifest stood (so that its list of
        /// inputs may be trusted).
        exact: bool,
    },
}

/// The import's earlier output: its layout, its entities, and where to find its facts' keys.
#[derive(Default)]
pub struct Own {
    /// The layout found.
    pub layout: Layout,
    /// Every entity written before, by key.
    pub entities: HashMap<String, Known>,
    /// The files of those entities, loaded (a folder's entity files, or the one file): for
    /// checking new facts against them.
    pub entity_files: Vec<FileResult>,
    /// The id of every record written before, as [`crate::model::id_key`] makes it, where
    /// the importer makes ids up (so that a new one is not one of them); for a single file,
    /// every record's.
    ids: HashSet<String>,
    /// The keys of the facts of a single file.
    fact_keys: HashSet<String>,
    /// A folder file's keys, loaded when a key in its range was asked about.
    loaded: Vec<(String, HashSet<String>)>,
    /// The lowest and highest key of a folder's fact files.
    fact_range: Option<(String, String)>,
    /// The last key found absent (an importer may ask twice).
    last_absent: Option<String>,
    folder: PathBuf,
}

/// The key of an entity written before: the key the importer names it by.
pub fn entity_key(source: Source, e: &Entity) -> String {
    match e.kind {
        EntityKind::State => format!("state:{}", e.id.to_ascii_uppercase()),
        _ => match source {
            Source::CowStates => "system".to_string(),
            Source::OpenSanctions => {
                if let Some(ftm) = e.note.as_deref().and_then(ftm_id) {
                    format!("ftm:{ftm}")
                } else if e.name == "European Union" {
                    "org:eu".to_string()
                } else {
                    format!("org:{}", slug(&e.name))
                }
            }
            _ => format!("id:{}", e.id),
        },
    }
}

/// The key of a fact written before: the FollowTheMoney id its first source names, for
/// OpenSanctions; else its id.
pub fn fact_key(source: Source, f: &Fact) -> String {
    if source == Source::OpenSanctions
        && let Some(ftm) = f.sources.first().and_then(|s| ftm_id(&s.title))
    {
        return format!("ftm:{ftm}");
    }
    f.id.clone()
}

/// The FollowTheMoney id in `OpenSanctions <id> (<file>, line <n>)`, as the importer writes
/// it at the start of notes and source titles.
fn ftm_id(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("OpenSanctions ")?;
    let end = rest.find(" (")?;
    Some(&rest[..end]).filter(|id| !id.is_empty() && !id.contains(' '))
}

/// What a single file sorts a fact by: its id, or for a membership or role written without
/// one, its derived id without the kind (`POL:EU:2004-05-01`).
fn fact_sort(f: &Fact) -> String {
    if f.id_derived {
        f.id.split_once(':')
            .map_or(f.id.as_str(), |(_, rest)| rest)
            .to_string()
    } else {
        f.id.clone()
    }
}

/// A file written by the import before, read back: its records as items, in written order,
/// with their entities (and their facts, when `facts`).
pub struct Read {
    /// The loaded file.
    pub file: FileResult,
    /// Its records, in written order.
    pub items: Vec<Item>,
    /// Its comment lines at the top.
    pub header: Vec<String>,
}

fn problem(path: &Path, message: impl std::fmt::Display) -> ImportError {
    ImportError::Usage(format!(
        "{}: {message}; it was not written by `dipgraph import` as it stands (move it away, or import into another folder with --into)",
        path.display()
    ))
}

/// Reads a file the import wrote, as file number `n` of a load.
pub fn read_file(source: Source, path: &Path, n: usize) -> Result<Read, ImportError> {
    // Opened without waiting, as every data file is: a named pipe here is refused.
    let bytes = crate::load::read_regular(path).map_err(|e| ImportError::Io {
        path: path.display().to_string(),
        message: format!("cannot be read: {e}"),
    })?;
    // Where each record stands is enough: its text is taken whole.
    let file = load_file_with(
        n,
        Input {
            path: path.display().to_string(),
            bytes: Ok(bytes),
        },
        Places::Records,
    );
    if let Some(d) = file.diags.first() {
        return Err(problem(path, format!("it does not load ({})", d.message)));
    }
    let text = &file.file.text;
    let item = |span: crate::model::Span| {
        let body = text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        format!("    {body},\n")
    };
    let mut placed: Vec<(u32, Item)> = Vec::new();
    for e in &file.records.entities {
        placed.push((
            e.origin.span.start,
            Item {
                rank: kind_rank(e.kind.as_str()) as u8,
                key: entity_key(source, e),
                sort: e.id.clone(),
                text: item(e.origin.span),
            },
        ));
    }
    for f in &file.records.facts {
        placed.push((
            f.origin.span.start,
            Item {
                rank: kind_rank(f.kind().as_str()) as u8,
                key: fact_key(source, f),
                sort: fact_sort(f),
                text: item(f.origin.span),
            },
        ));
    }
    placed.sort_by_key(|(at, _)| *at);
    let header = text
        .lines()
        .take_while(|l| l.starts_with("//"))
        .map(|l| {
            l.strip_prefix("// ")
                .unwrap_or(l.trim_start_matches('/'))
                .to_string()
        })
        .collect();
    Ok(Read {
        items: placed.into_iter().map(|(_, i)| i).collect(),
        file,
        header,
    })
}

fn modified(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

/// The manifest entry of a file just read.
pub fn entry_of(name: &str, path: &Path, items: &[Item]) -> Option<FileEntry> {
    let meta = std::fs::metadata(path).ok()?;
    let first = items.first()?;
    Some(FileEntry {
        name: name.to_string(),
        kind: super::kind_at(first.rank).to_string(),
        records: items.len(),
        first: items
            .iter()
            .map(|i| &i.key)
            .min_by(|a, b| natural_cmp(a, b))?
            .clone(),
        last: items
            .iter()
            .map(|i| &i.key)
            .max_by(|a, b| natural_cmp(a, b))?
            .clone(),
        bytes: meta.len(),
        modified: modified(&meta),
    })
}

/// Whether the file at `path` still has the size and time `entry` says.
pub fn unchanged(entry: &FileEntry, path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() == entry.bytes && modified(&m) == entry.modified)
}

/// The numbered data files of a folder (`0001.ron`), in name order.
pub fn numbered_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| {
            n.strip_suffix(".ron")
                .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect();
    names.sort_by(|a, b| natural_cmp(a, b));
    names
}

/// Whether records of `kind` are entities.
pub fn is_entity_kind(kind: &str) -> bool {
    matches!(kind, "State" | "Organization" | "Person")
}

impl Own {
    /// What was written at `target` before; files are numbered from `first_file` in loads.
    pub fn open(target: &Target, first_file: usize) -> Result<Own, ImportError> {
        let source = target.source;
        let folder = target.folder.is_dir();
        if folder && target.file.exists() {
            return Err(ImportError::Usage(format!(
                "both {} and the folder {} exist: an import writes one or the other; move one away",
                target.file.display(),
                target.folder.display()
            )));
        }
        let mut own = Own {
            folder: target.folder.clone(),
            ..Own::default()
        };
        if target.file.exists() {
            let read = read_file(source, &target.file, first_file)?;
            for (item, id) in read.items.iter().zip(ids_of(&read.file)) {
                own.ids.insert(crate::model::id_key(&id));
                if !is_entity_kind(super::kind_at(item.rank)) {
                    own.fact_keys.insert(item.key.clone());
                }
            }
            own.add_entities(source, &read.file);
            own.layout = Layout::Single {
                text: read.file.file.text.clone(),
                header: read.header,
                items: read.items,
            };
            own.entity_files.push(read.file);
            return Ok(own);
        }
        if !folder {
            return Ok(own);
        }
        let stated: Option<Manifest> = std::fs::read_to_string(target.manifest())
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .filter(|m: &Manifest| m.format == MANIFEST_FORMAT && m.source == source.name());
        let mut exact = stated.is_some();
        let mut manifest = Manifest::new(source);
        if let Some(m) = &stated {
            manifest.inputs = m.inputs.clone();
        }
        let names = numbered_files(&target.folder);
        exact &= stated
            .as_ref()
            .is_some_and(|m| m.files.len() == names.len());
        for name in names {
            let path = target.folder.join(&name);
            let known = stated
                .as_ref()
                .and_then(|m| m.files.iter().find(|f| f.name == name))
                .filter(|e| unchanged(e, &path));
            let entry = match known {
                Some(e) if !is_entity_kind(&e.kind) => e.clone(),
                _ => {
                    exact &= known.is_some();
                    let n = first_file + own.entity_files.len();
                    let read = read_file(source, &path, n)?;
                    let Some(entry) = entry_of(&name, &path, &read.items) else {
                        continue;
                    };
                    if read.items.iter().any(|i| i.rank != read.items[0].rank) {
                        return Err(problem(&path, "it holds records of several kinds"));
                    }
                    if is_entity_kind(&entry.kind) {
                        own.add_entities(source, &read.file);
                        for e in &read.file.records.entities {
                            own.ids.insert(crate::model::id_key(&e.id));
                        }
                        own.entity_files.push(read.file);
                    }
                    entry
                }
            };
            manifest.files.push(entry);
        }
        manifest.files.sort_by(|a, b| {
            kind_rank(&a.kind)
                .cmp(&kind_rank(&b.kind))
                .then_with(|| natural_cmp(&a.first, &b.first))
        });
        own.layout = Layout::Folder { manifest, exact };
        Ok(own)
    }

    fn add_entities(&mut self, source: Source, file: &FileResult) {
        for e in &file.records.entities {
            self.entities.insert(
                entity_key(source, e),
                Known {
                    id: e.id.clone(),
                    kind: e.kind,
                    start: e.existence.from,
                },
            );
        }
    }

    /// Reads the ids of every fact file of a folder, for an importer that makes ids up.
    pub fn load_fact_ids(&mut self, source: Source) -> Result<(), ImportError> {
        let Layout::Folder { manifest, .. } = &self.layout else {
            return Ok(());
        };
        let names: Vec<String> = manifest
            .files
            .iter()
            .filter(|f| !is_entity_kind(&f.kind))
            .map(|f| f.name.clone())
            .collect();
        for name in names {
            let read = read_file(source, &self.folder.join(&name), 0)?;
            for f in &read.file.records.facts {
                self.ids.insert(crate::model::id_key(&f.id));
            }
        }
        Ok(())
    }

    /// The treaty parties of the facts of a single file written before.
    pub fn parties_before(&self) -> usize {
        match self.layout {
            Layout::Single { .. } => self
                .entity_files
                .iter()
                .flat_map(|f| &f.records.facts)
                .map(|f| f.parties().len())
                .sum(),
            _ => 0,
        }
    }

    /// Whether a record written before has the id `id` (see [`Own::load_fact_ids`]).
    pub fn has_id(&self, id: &str) -> bool {
        self.ids.contains(&crate::model::id_key(id))
    }

    /// Whether a fact with `key` was written before. In a folder, only the files whose range
    /// of keys holds `key` are read (a few are kept, read, for the keys that follow).
    pub fn has_fact(&mut self, source: Source, key: &str) -> Result<bool, ImportError> {
        let Layout::Folder { manifest, .. } = &self.layout else {
            return Ok(self.fact_keys.contains(key));
        };
        if self.last_absent.as_deref() == Some(key) {
            return Ok(false);
        }
        // Past every file's range (a newer file of a source whose ids grow): nothing to read.
        let (lowest, highest) = self.fact_range.get_or_insert_with(|| {
            let facts = manifest.files.iter().filter(|f| !is_entity_kind(&f.kind));
            let lowest = facts
                .clone()
                .map(|f| f.first.clone())
                .min_by(|a, b| natural_cmp(a, b));
            let highest = facts
                .map(|f| f.last.clone())
                .max_by(|a, b| natural_cmp(a, b));
            (lowest.unwrap_or_default(), highest.unwrap_or_default())
        });
        if highest.is_empty()
            || natural_cmp(key, highest).is_gt()
            || natural_cmp(key, lowest).is_lt()
        {
            return Ok(false);
        }
        let holders: Vec<String> = manifest
            .files
            .iter()
            .filter(|f| {
                !is_entity_kind(&f.kind)
                    && natural_cmp(key, &f.first).is_ge()
                    && natural_cmp(key, &f.last).is_le()
            })
            .map(|f| f.name.clone())
            .collect();
        for name in holders {
            let at = match self.loaded.iter().position(|(n, _)| *n == name) {
                Some(at) => at,
                None => {
                    let read = read_file(source, &self.folder.join(&name), 0)?;
                    let keys: HashSet<String> = read.items.into_iter().map(|i| i.key).collect();
                    if self.loaded.len() >= LOADED {
                        self.loaded.remove(0);
                    }
                    self.loaded.push((name, keys));
                    self.loaded.len() - 1
                }
            };
            if self.loaded[at].1.contains(key) {
                return Ok(true);
            }
        }
        self.last_absent = Some(key.to_string());
        Ok(false)
    }

    /// The files of every entity written before, as [`SourceFile`]s.
    pub fn entity_sources(&self) -> Vec<SourceFile> {
        self.entity_files.iter().map(|f| f.file.clone()).collect()
    }
}

/// The ids of a loaded file's records, in written order.
fn ids_of(file: &FileResult) -> Vec<String> {
    let mut placed: Vec<(u32, String)> = file
        .records
        .entities
        .iter()
        .map(|e| (e.origin.span.start, e.id.clone()))
        .chain(
            file.records
                .facts
                .iter()
                .map(|f| (f.origin.span.start, f.id.clone())),
        )
        .collect();
    placed.sort_by_key(|(at, _)| *at);
    placed.into_iter().map(|(_, id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ftm_ids_are_read_back_from_notes_and_titles() {
        assert_eq!(
            ftm_id("OpenSanctions NK-24fgh (entities.ftm.json, line 3). Datasets: x."),
            Some("NK-24fgh")
        );
        assert_eq!(ftm_id("OpenSanctions  (x, line 1)"), None);
        assert_eq!(ftm_id("OpenSanctions a b (x, line 1)"), None);
        assert_eq!(ftm_id("Named as the listing authority"), None);
    }

    #[test]
    fn keys_of_records_written_before() {
        let loaded = crate::load::from_text(
            "t.ron",
            r#"[
    State(id: "blr", name: "Belarus"),
    Organization(id: "cow-state-system", name: "Correlates of War state system", kind: Other),
    Person(id: "ivan-petrov", name: "Ivan Petrov", note: "OpenSanctions NK-a (e.json, line 1)."),
    Organization(id: "EU", name: "European Union", kind: Supranational),
    Organization(id: "ofac", name: "Office of Foreign Assets Control", kind: Agency),
    Membership(member: "blr", of: "cow-state-system", from: "1991-12-26"),
    Sanction(id: "s-1", by: "EU", against: ["ivan-petrov"], measures: [AssetFreeze], from: "2022",
        sources: [Source(title: "OpenSanctions s-1 (e.json, line 9)", url: "https://x.org/")]),
]"#,
        );
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let d = &loaded.dataset;
        let keys: Vec<String> = d
            .entities
            .iter()
            .map(|e| entity_key(Source::OpenSanctions, e))
            .collect();
        assert_eq!(
            keys,
            [
                "state:BLR",
                "org:correlates-of-war-state-system",
                "ftm:NK-a",
                "org:eu",
                "org:office-of-foreign-assets-control"
            ]
        );
        assert_eq!(entity_key(Source::CowStates, &d.entities[1]), "system");
        assert_eq!(
            fact_key(Source::CowStates, &d.facts[0]),
            "membership:blr:cow-state-system:1991-12-26"
        );
        assert_eq!(fact_sort(&d.facts[0]), "blr:cow-state-system:1991-12-26");
        assert_eq!(fact_key(Source::OpenSanctions, &d.facts[1]), "ftm:s-1");
        assert_eq!(fact_key(Source::Gdelt, &d.facts[1]), "s-1");
    }
}
