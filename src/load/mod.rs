//! The files on disk: discovery, reading, RON errors turned into diagnostics, and records
//! converted into the model. Every problem of every file is collected; nothing stops early.

pub mod atomic;
pub mod convert;
pub mod edit;
pub mod fast;
pub mod format;
pub mod git;
pub mod lex;
pub mod outline;
pub mod parallel;
pub mod raw;
pub mod ron_error;
pub mod written;

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diag::{Code, Diagnostic};
use crate::model::{Coverage, Dataset, Entity, Fact, FileId, Span};
use convert::Converted;
use outline::{Body, Node};

/// The dataset bundled into the binary: the project's `graph/` folder at build time.
static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/graph");

/// The saved queries bundled into the binary: the project's `queries/` folder at build time.
static BUNDLED_QUERIES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/queries");

/// The name under which bundled files are shown.
pub const BUNDLED_PREFIX: &str = "<bundled>";

/// One file to load: its path as shown, and its bytes or why they could not be read.
#[derive(Debug, Clone)]
pub struct Input {
    /// Path as shown to people.
    pub path: String,
    /// Contents, or the reason they could not be read.
    pub bytes: Result<Vec<u8>, String>,
}

/// A loaded dataset with every problem found while reading it.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// What could be read.
    pub dataset: Dataset,
    /// The problems, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// The records read from data files, by what they are.
#[derive(Debug, Default)]
pub struct Records {
    /// States, organizations and people, in written order.
    pub entities: Vec<Entity>,
    /// Facts, in written order.
    pub facts: Vec<Fact>,
    /// What the data says it covers.
    pub coverage: Vec<Coverage>,
}

/// A data file found under a data folder.
#[derive(Debug)]
pub struct Found {
    /// Its path, as found (through any links).
    pub path: PathBuf,
    /// Its metadata (of the file a link leads to).
    pub meta: std::fs::Metadata,
}

/// What a walk of a data folder found: its data files, and the problems of entries that
/// cannot be read or are not data.
#[derive(Debug, Default)]
pub struct Walk {
    /// Every `*.ron` file, in sorted path order, each real file once.
    pub files: Vec<Found>,
    /// Problems: unreadable entries, link loops, aliases, special files.
    pub problems: Vec<Diagnostic>,
}

/// Walks `root` (or takes `root` itself when it is a file) for data files, as the loader
/// and the cache's key both see them: every `*.ron` file, links followed, in sorted path
/// order; each real file once (a second name for it is a warning); a `*.ron` that is not a
/// regular file (a named pipe, a device) is a warning and never opened. The temporary files
/// and folders of a write ([`atomic`]) are never data, whatever their name: those whose
/// process is gone (a write killed half-way) are removed as they are found.
pub fn walk(root: &Path) -> Walk {
    let mut out = Walk::default();
    let mut seen: std::collections::HashMap<FileKey, PathBuf> = std::collections::HashMap::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name();
    let mut entries = walker.into_iter();
    while let Some(entry) = entries.next() {
        let e = match entry {
            Ok(e) => e,
            Err(err) => {
                out.problems.push(unreadable(root, &err));
                continue;
            }
        };
        let path = e.path();
        let name = e.file_name().to_string_lossy();
        if atomic::temporary_of(&name).is_some() {
            // Never data, and never read into: a folder is another write's, or removed here.
            let folder = e.file_type().is_dir();
            atomic::remove_if_stale(path);
            if folder {
                entries.skip_current_dir();
            }
            continue;
        }
        if path.extension().is_none_or(|x| x != "ron") || e.file_type().is_dir() {
            continue;
        }
        let meta = match e.metadata() {
            Ok(m) => m,
            Err(err) => {
                out.problems.push(unreadable(root, &err));
                continue;
            }
        };
        if !meta.is_file() {
            out.problems.push(
                Diagnostic::for_path(
                    Code::NotAFile,
                    display(path),
                    format!(
                        "this is {}, not a regular file; it is not read",
                        kind_of(&meta)
                    ),
                )
                .hint("remove it, or move it out of the data folder"),
            );
            continue;
        }
        match seen.entry(FileKey::of(path, &meta)) {
            std::collections::hash_map::Entry::Occupied(first) => {
                out.problems.push(
                    Diagnostic::for_path(
                        Code::SameFile,
                        display(path),
                        format!(
                            "this is the same file as `{}` (one is a link to the other); it is read once, as `{}`",
                            display(first.get()),
                            display(first.get())
                        ),
                    )
                    .hint("remove the link, or copy the file if both are meant to be data"),
                );
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(path.to_path_buf());
                out.files.push(Found {
                    path: path.to_path_buf(),
                    meta,
                });
            }
        }
    }
    out
}

/// What tells two names of one file apart from two files: device and inode on Unix, else the
/// real path.
#[derive(Debug, PartialEq, Eq, Hash)]
enum FileKey {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Path(PathBuf),
}

impl FileKey {
    #[cfg(unix)]
    fn of(_path: &Path, meta: &std::fs::Metadata) -> FileKey {
        use std::os::unix::fs::MetadataExt;
        FileKey::Inode(meta.dev(), meta.ino())
    }

    #[cfg(not(unix))]
    fn of(path: &Path, _meta: &std::fs::Metadata) -> FileKey {
        FileKey::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}

/// What a special file is, in words.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    let _ = meta;
    "a special file"
}

/// The problem of an entry that cannot be read: a dangling link, a link loop, no permission.
fn unreadable(root: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err.path().map_or_else(|| display(root), display);
    let chain = err.path().and_then(link_loop);
    let dangling = err
        .path()
        .filter(|p| chain.is_none() && p.is_symlink() && !p.exists())
        .and_then(|p| std::fs::read_link(p).ok());
    let message = if let Some(ancestor) = err.loop_ancestor() {
        format!(
            "symbolic link loop: this leads back to `{}`",
            display(ancestor)
        )
    } else if let Some(chain) = &chain {
        let names: Vec<String> = chain.iter().map(|p| format!("`{}`", display(p))).collect();
        format!("symbolic link loop: {}", names.join(" -> "))
    } else if let Some(target) = &dangling {
        format!(
            "cannot be read: it is a symbolic link to `{}`, which does not exist",
            display(target)
        )
    } else if let Some(io) = err.io_error() {
        format!("cannot be read: {io}")
    } else {
        format!("cannot be read: {err}")
    };
    let hint = if err.loop_ancestor().is_some() {
        "remove the link, or point it outside the data folder"
    } else if chain.is_some() {
        "remove one of the links, or point it at a file"
    } else if dangling.is_some() {
        "point the link at an existing file, or remove it"
    } else {
        "check that the path exists and that you may read it"
    };
    Diagnostic::for_path(Code::Unreadable, path, message).hint(hint)
}

/// The links `path` leads through when they come back to one of them (a loop), from `path`
/// on and ending in the one met again; `None` when they end in a file or nowhere.
fn link_loop(path: &Path) -> Option<Vec<PathBuf>> {
    let mut chain = vec![path.to_path_buf()];
    let mut at = path.to_path_buf();
    // As deep as systems follow links before they give up.
    for _ in 0..40 {
        let target = std::fs::read_link(&at).ok()?;
        let next = match at.parent() {
            Some(dir) => dir.join(&target),
            None => target,
        };
        let again = chain.contains(&next);
        chain.push(next.clone());
        if again {
            return Some(chain);
        }
        if !next.is_symlink() {
            return None;
        }
        at = next;
    }
    Some(chain)
}

/// Every `*.ron` file under `root` (or `root` itself when it is a file), in sorted path order,
/// read, with a problem for each entry that cannot be read or is not data ([`walk`]).
pub fn discover(root: &Path) -> (Vec<Input>, Vec<Diagnostic>) {
    discover_where(root, &|_| true)
}

/// [`discover`], of the files `wanted` takes only: the others are found but not read.
pub fn discover_where(
    root: &Path,
    wanted: &dyn Fn(&Path) -> bool,
) -> (Vec<Input>, Vec<Diagnostic>) {
    let walk = walk(root);
    let inputs = walk
        .files
        .iter()
        .filter(|f| wanted(&f.path))
        .map(|f| Input {
            path: display(&f.path),
            bytes: read_regular(&f.path).map_err(|err| err.to_string()),
        })
        .collect();
    (inputs, walk.problems)
}

/// The bytes of the regular file at `path`, opened without waiting: a named pipe or a device
/// put there since it was looked at is refused, not waited on.
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens the regular file at `path` for reading, without waiting on a named pipe; anything
/// but a regular file is an error.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(file)
}

fn display(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// The bundled dataset's files, in sorted path order.
pub fn bundled() -> Vec<Input> {
    embedded(&BUNDLED, BUNDLED_PREFIX)
}

/// The bundled saved queries, in sorted path order.
pub fn bundled_queries() -> Vec<Input> {
    embedded(&BUNDLED_QUERIES, "<bundled queries>")
}

fn embedded(root: &'static Dir<'static>, prefix: &str) -> Vec<Input> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for f in dir.files() {
            if f.path().extension().is_some_and(|x| x == "ron") {
                out.push(Input {
                    path: format!("{prefix}/{}", f.path().to_string_lossy()),
                    bytes: Ok(f.contents().to_vec()),
                });
            }
        }
        stack.extend(dir.dirs());
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// How much of where each record stands the loader notes in its origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Places {
    /// Where every record and each of its fields stands: what diagnostics point at.
    Fields,
    /// For facts, only where the record stands (entities keep every field): for a load that
    /// reads a fact again, field by field, only where a problem needs it. The loader's own
    /// problems then point at the fact's head, not at the field at fault.
    Records,
}

/// Where to read data from: a folder (or file) on disk, a folder as it was at a git revision,
/// or the bundled dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// A folder or single file.
    Path(PathBuf),
    /// A folder as it was at a git revision, read from the repository.
    Revision(Box<git::Revision>),
    /// The dataset built into the binary.
    Bundled,
}

/// Reads and converts every file of `source`.
pub fn load(source: &DataSource) -> Loaded {
    load_with(source, &|_| {})
}

/// [`load`], telling `progress` after each file (for a progress display on long loads).
pub fn load_with(source: &DataSource, progress: &(dyn Fn(parallel::Progress) + Sync)) -> Loaded {
    match source {
        DataSource::Path(p) => {
            let (inputs, diags) = discover(p);
            load_inputs_with(inputs, diags, progress)
        }
        DataSource::Revision(r) => load_inputs_with(r.inputs(), Vec::new(), progress),
        DataSource::Bundled => load_inputs_with(bundled(), Vec::new(), progress),
    }
}

/// Loads one file's worth of text, as if read from `path` (for tests, and for checking a
/// change before it is written).
pub fn from_text(path: &str, text: &str) -> Loaded {
    load_inputs(
        vec![Input {
            path: path.to_string(),
            bytes: Ok(text.as_bytes().to_vec()),
        }],
        Vec::new(),
    )
}

/// Converts already-read inputs. `diags` holds problems found before reading.
pub fn load_inputs(inputs: Vec<Input>, diags: Vec<Diagnostic>) -> Loaded {
    load_inputs_with(inputs, diags, &|_| {})
}

/// [`load_inputs`], on every core, telling `progress` after each file. Records, file ids and
/// diagnostics come out in input order, as if the files were read one after another.
pub fn load_inputs_with(
    inputs: Vec<Input>,
    mut diags: Vec<Diagnostic>,
    progress: &(dyn Fn(parallel::Progress) + Sync),
) -> Loaded {
    let (files, records, more) = parallel::load_all(inputs, parallel::cores(), progress);
    diags.extend(more);
    crate::diag::sort(&mut diags);
    let mut dataset = Dataset::new(files, records.entities, records.facts);
    dataset.coverage = records.coverage;
    Loaded {
        dataset,
        diagnostics: diags,
    }
}

/// UTF-8 text without a byte-order mark; or, for bytes that are not UTF-8, the text with bad
/// bytes replaced (for display) and a problem at the first bad byte.
pub fn decode(mut bytes: Vec<u8>, file: FileId) -> Result<String, Box<(String, Diagnostic)>> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let end = lossy[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        let d = Diagnostic::at(
            Code::NotUtf8,
            file,
            Span::new(at, end),
            "this file is not UTF-8 text",
        )
        .label("invalid byte here")
        .hint("save the file as UTF-8 (most editors offer this under 'encoding')");
        Box::new((lossy, d))
    })
}

/// A file's text as the loader keeps it: without a byte-order mark, and with any bytes that
/// are not UTF-8 replaced (as [`decode`] gives it, problem or not).
pub fn text_of(bytes: Vec<u8>) -> String {
    match decode(bytes, FileId(0)) {
        Ok(text) => text,
        Err(bad) => bad.0,
    }
}

/// The outline of a file's one top-level value, with a problem pushed for a text that is not
/// RON or holds nothing.
pub fn outline_of(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Node> {
    let tokens = match lex::tokenize(text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(lex_problem(file, e));
            return None;
        }
    };
    match outline::parse(text, &tokens) {
        Ok(Some(n)) => Some(n),
        Ok(None) => {
            diags.push(empty_file(file));
            None
        }
        Err(e) => {
            diags.push(outline_problem(file, e));
            None
        }
    }
}

fn lex_problem(file: FileId, e: lex::LexError) -> Diagnostic {
    let mut d = Diagnostic::at(Code::Syntax, file, e.span, e.message).label("here");
    if let Some(h) = e.hint {
        d = d.hint(h);
    }
    d
}

fn empty_file(file: FileId) -> Diagnostic {
    Diagnostic::at(
        Code::EmptyFile,
        file,
        Span::new(0, 0),
        "this file holds no records",
    )
    .hint("write `[]` for a data file with no records, or delete the file")
}

fn outline_problem(file: FileId, e: outline::OutlineError) -> Diagnostic {
    let code = if e.too_deep {
        Code::TooDeep
    } else {
        Code::Syntax
    };
    let mut d = Diagnostic::at(code, file, e.span, e.message).label("here");
    if let Some(h) = e.hint {
        d = d.hint(h);
    }
    d
}

/// Deserializes the record at `node` (a `Name(...)` value of `text`), or pushes a problem
/// located at the field or value at fault.
pub fn record<T: serde::de::DeserializeOwned>(
    file: FileId,
    text: &str,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    let chunk = &text[node.span.range()];
    match raw::options().from_str::<T>(chunk) {
        Ok(r) => Some(r),
        Err(err) => {
            diags.push(ron_error::diagnose(&err, file, text, node));
            None
        }
    }
}

/// Loads one file's text. Each record is outlined, deserialized and converted as soon as the
/// outline reaches its end, so neither the outline nor the tokens of the whole file are ever
/// held at once; a problem of the tokens or of the structure anywhere in the file still leaves
/// only that problem, as if no record had been read.
fn load_text(
    file: FileId,
    text: &str,
    places: Places,
    out: &mut Records,
    diags: &mut Vec<Diagnostic>,
) {
    let before = (
        out.entities.len(),
        out.facts.len(),
        out.coverage.len(),
        diags.len(),
    );
    let top = outline::parse_each(text, &mut |node| {
        load_record(file, text, &node, places, out, diags);
    });
    let broken = |out: &mut Records, diags: &mut Vec<Diagnostic>, problem: Diagnostic| {
        out.entities.truncate(before.0);
        out.facts.truncate(before.1);
        out.coverage.truncate(before.2);
        diags.truncate(before.3);
        diags.push(problem);
    };
    match top {
        Ok(outline::Top::List) => {}
        Ok(outline::Top::Empty) => diags.push(empty_file(file)),
        Ok(outline::Top::Other(top)) => diags.push(
            Diagnostic::at(
                Code::NotAList,
                file,
                top.name.unwrap_or(top.span),
                "a data file holds one list of records, `[ ... ]`",
            )
            .label("not a list")
            .hint("wrap the records in `[` and `]`, separated by commas"),
        ),
        Err(outline::Broken::Tokens(e)) => broken(out, diags, lex_problem(file, e)),
        Err(outline::Broken::Outline(e)) => broken(out, diags, outline_problem(file, e)),
    }
}

/// The fact written at `span` of `text`, file `file` (a record that loaded without a problem
/// when the whole file did), loaded again on its own: the same fact, with the same origin.
/// For the places of a fact's problems without loading its whole file again.
pub fn fact_at(file: FileId, text: &str, span: Span) -> Option<Fact> {
    let upto = text.get(..span.end as usize)?;
    let tokens = lex::tokenize_code_from(upto, span.start as usize).ok()?;
    let node = outline::parse(upto, &tokens).ok()??;
    let (mut out, mut diags) = (Records::default(), Vec::new());
    load_record(file, text, &node, Places::Fields, &mut out, &mut diags);
    let fact = out.facts.pop()?;
    let alone = out.facts.is_empty() && out.entities.is_empty() && out.coverage.is_empty();
    (alone && diags.is_empty()).then_some(fact)
}

fn load_record(
    file: FileId,
    text: &str,
    node: &Node,
    places: Places,
    out: &mut Records,
    diags: &mut Vec<Diagnostic>,
) {
    if node.name.is_none() || !matches!(node.body, Body::Paren(_)) {
        diags.push(
            Diagnostic::at(
                Code::NotAList,
                file,
                node.span,
                "expected a record such as `State(...)` or `Sanction(...)`",
            )
            .label("not a record")
            .hint(format!(
                "records are one of {}",
                raw::RECORD_KINDS.join(", ")
            )),
        );
        return;
    }
    let rec = match fast::record::<raw::RawRecord>(text, node) {
        Ok(r) => Some(r),
        Err(fast::Fallback) => record::<raw::RawRecord>(file, text, node, diags),
    };
    if let Some(rec) = rec {
        match convert::convert(rec, node, (file, text, places), diags) {
            Converted::Entity(e) => out.entities.push(e),
            Converted::Fact(f) => out.facts.push(f),
            Converted::Coverage(c) => out.coverage.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_of_the_tokens_anywhere_is_the_file_s_one_problem() {
        // Lexed as the outline goes: a bad character after a broken bracket, or after good
        // records, is still the one problem, and no record is kept.
        let good = r#"State(id: "BLR", name: "Belarus")"#;
        for text in [
            format!("[ {good}, State(id: \"a\" ], @ ]"),
            format!("[ {good}, {good} ] @"),
            format!("[ {good}, \"never closed ]"),
        ] {
            let loaded = from_text("a.ron", &text);
            assert_eq!(loaded.diagnostics.len(), 1, "{text}");
            assert_eq!(loaded.diagnostics[0].code, Code::Syntax, "{text}");
            let whole = lex::tokenize(&text).expect_err("not RON");
            assert_eq!(loaded.diagnostics[0].message, whole.message, "{text}");
            assert!(loaded.dataset.entities.is_empty(), "{text}");
        }
    }

    #[test]
    fn a_fact_read_again_on_its_own_is_the_fact_the_whole_file_gave() {
        let loaded = load(&DataSource::Bundled);
        assert!(loaded.dataset.facts.len() > 100);
        for f in &loaded.dataset.facts {
            let file = &loaded.dataset.files[f.origin.file.0 as usize];
            let again = fact_at(f.origin.file, &file.text, f.origin.span);
            assert_eq!(again.as_ref(), Some(f), "{}", f.id);
        }
        // Not a record's start: nothing.
        let f = &loaded.dataset.facts[0];
        let text = &loaded.dataset.files[f.origin.file.0 as usize].text;
        let inside = Span::new(f.origin.span.start as usize + 1, f.origin.span.end as usize);
        assert_eq!(fact_at(f.origin.file, text, inside), None);
    }
}
