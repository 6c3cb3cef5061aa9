//! `dipgraph cache list|clean|verify`: the caches kept for large data folders, what each is
//! for, removing those whose folder is gone, and a full check of one against its files.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

use dipgraph::cache::{self, Unusable};
use dipgraph::load::atomic;
use dipgraph::render::{Block, Doc, row};

use super::context::cache_dir;
use super::{Context, Failure};

/// Flags of `cache`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Every cache: the data folder it is for, its size, when it was last used, and whether
    /// that folder still exists.
    List,
    /// Remove the caches whose data folder is gone (and those this dipgraph cannot read), and
    /// the leftovers of killed writes.
    Clean {
        /// Remove every cache.
        #[arg(long)]
        all: bool,
    },
    /// Check the cache of the data in full: every block of it, and every data file's bytes
    /// against the checksums kept when it was built. Finds an edit that left a file's size and
    /// times as they were; a cache that fails is removed (the next question builds it again).
    Verify,
}

/// One cache file, as `list` shows it.
#[derive(Debug, Serialize)]
struct Entry {
    /// The cache file.
    file: String,
    /// The data folder it is for; `None` when it cannot be read (another layout).
    folder: Option<String>,
    /// Its size in bytes.
    bytes: u64,
    /// When it was last used (or written): its modification time.
    #[serde(skip)]
    used: SystemTime,
    /// The same, as shown: `2021-03-15 12:00 UTC`.
    last_used: String,
    /// Whether its data folder still exists.
    folder_exists: bool,
}

/// The cache files in `dir`, oldest-used first.
fn entries(dir: &Path) -> Vec<Entry> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<Entry> = read
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "dgcache"))
        .filter_map(|e| {
            let meta = e.metadata().ok().filter(std::fs::Metadata::is_file)?;
            let path = e.path();
            let folder = cache::folder_of(&path).ok();
            let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            Some(Entry {
                file: path.to_string_lossy().into_owned(),
                folder_exists: folder.as_deref().is_some_and(|f| Path::new(f).is_dir()),
                folder,
                bytes: meta.len(),
                used,
                last_used: shown_time(used),
            })
        })
        .collect();
    out.sort_by(|a, b| (a.used, &a.file).cmp(&(b.used, &b.file)));
    out
}

fn shown_time(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(secs, 0)
        .map_or_else(String::new, |d| d.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// Runs `cache`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let dir = cache_dir().ok_or_else(|| {
        Failure::Usage("no cache folder: set DIPGRAPH_CACHE_DIR, XDG_CACHE_HOME or HOME".into())
    })?;
    match &args.command {
        Command::List => list(cx, &dir),
        Command::Clean { all } => clean(cx, &dir, *all),
        Command::Verify => verify(cx),
    }
}

fn list(cx: &Context, dir: &Path) -> Result<(), Failure> {
    let all = entries(dir);
    cx.emit("cache list", None, &all, || {
        let mut doc = Doc::default();
        let total: u64 = all.iter().map(|e| e.bytes).sum();
        doc.push(Block::Heading(format!(
            "Caches in {} ({}, {} bytes)",
            dir.display(),
            all.len(),
            total
        )));
        doc.push(Block::Table {
            headers: ["file", "folder", "bytes", "last used", "folder exists"]
                .map(String::from)
                .to_vec(),
            rows: all
                .iter()
                .map(|e| {
                    let name = Path::new(&e.file)
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    row([
                        name,
                        e.folder
                            .clone()
                            .unwrap_or_else(|| "(unreadable: another dipgraph's layout)".into()),
                        e.bytes.to_string(),
                        e.last_used.clone(),
                        if e.folder_exists { "yes" } else { "no" }.to_string(),
                    ])
                })
                .collect(),
        });
        doc
    })
}

fn clean(cx: &Context, dir: &Path, all: bool) -> Result<(), Failure> {
    let leftovers = atomic::remove_stale_in(dir);
    let (mut removed, mut bytes) = (0usize, 0u64);
    for e in entries(dir) {
        if (all || !e.folder_exists) && std::fs::remove_file(&e.file).is_ok() {
            removed += 1;
            bytes += e.bytes;
        }
    }
    cx.out(&format!(
        "removed {removed} cache{} ({bytes} bytes){}\n",
        if removed == 1 { "" } else { "s" },
        match leftovers {
            0 => String::new(),
            n => format!(
                " and {n} leftover{} of killed writes",
                if n == 1 { "" } else { "s" }
            ),
        }
    ))
}

fn verify(cx: &Context) -> Result<(), Failure> {
    let Some((key, path)) = cx.cache_of_data()? else {
        return cx.out("no cache is kept for this data (it is small, bundled, or has problems that `dipgraph validate` shows)\n");
    };
    let remove =
        |why: String| -> Result<(), Failure> {
            let _ = std::fs::remove_file(&path);
            Err(Failure::Data(dipgraph::diag::escape::terminal(&format!(
            "error: {why}; the cache `{}` was removed, and the next question builds it again\n",
            path.display()
        )).into_owned()))
        };
    match cache::verify(&path, &key) {
        Ok(v) if v.changed.is_empty() => cx.out(&format!(
            "the cache `{}` matches its data: {} file{} read and checked, {} block{} checked\n",
            path.display(),
            v.files,
            if v.files == 1 { "" } else { "s" },
            v.blocks,
            if v.blocks == 1 { "" } else { "s" },
        )),
        Ok(v) => {
            let names: Vec<String> = v.changed.iter().map(|p| format!("`{p}`")).collect();
            remove(format!(
                "{} changed since the cache was built, though size and times did not",
                names.join(", ")
            ))
        }
        Err(Unusable::Missing) => cx.out(&format!(
            "there is no cache `{}` yet: the next question builds it\n",
            path.display()
        )),
        Err(Unusable::Stale) => cx.out(&format!(
            "the cache `{}` is stale (the files or dipgraph changed): the next question builds it again\n",
            path.display()
        )),
        Err(Unusable::Corrupt) => remove("the cache is damaged".to_string()),
    }
}

/// The total size the caches may take: `DIPGRAPH_CACHE_MAX_BYTES`, else 2 GiB.
pub fn max_bytes() -> u64 {
    std::env::var("DIPGRAPH_CACHE_MAX_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2 << 30)
}

/// After `written` was written in `dir`: removes the leftovers of killed writes, then the
/// caches used longest ago until all of them take at most [`max_bytes`]; `written` last of
/// all. Says whether `written` was removed (alone, it is larger than the cap).
pub fn evict(dir: &Path, written: &Path) -> bool {
    atomic::remove_stale_in(dir);
    let max = max_bytes();
    let all = entries(dir);
    let mut total: u64 = all.iter().map(|e| e.bytes).sum();
    let written = PathBuf::from(written);
    let (newest, older): (Vec<Entry>, Vec<Entry>) =
        all.into_iter().partition(|e| Path::new(&e.file) == written);
    for e in older.iter().chain(&newest) {
        if total <= max {
            break;
        }
        if std::fs::remove_file(&e.file).is_ok() {
            total -= e.bytes;
        }
    }
    !written.exists()
}
