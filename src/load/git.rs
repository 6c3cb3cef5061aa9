//! Data as it was at a git revision, read from the repository's object store by the `git`
//! program (`rev-parse`, `ls-tree`, `cat-file --batch`): nothing is checked out, and the work
//! tree and the index are not touched. `REV@{DATE}` names the last commit of REV's first-parent
//! history made by the end of DATE (UTC), that is the revision in force that day; any other
//! revision is read as `git rev-parse` reads it.

use std::ffi::OsStr;
use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde::Serialize;

use super::Input;
use crate::model::Date;

/// Why data at a revision cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitError {
    /// The `git` program cannot be run.
    NoGit(String),
    /// The folder is in no git repository.
    NotARepository(PathBuf),
    /// The revision names no commit.
    UnknownRevision {
        /// As typed.
        rev: String,
        /// What git said.
        detail: String,
    },
    /// No commit of the history is as old as the date asked for.
    NothingThatOld {
        /// The history looked through.
        base: String,
        /// The date.
        date: Date,
    },
    /// The data folder does not exist at that commit.
    FolderAbsent {
        /// The folder's path in the repository.
        folder: String,
        /// The revision, as typed.
        rev: String,
        /// Its commit.
        commit: String,
    },
    /// The folder lies outside the repository found for it.
    Outside {
        /// The folder.
        folder: PathBuf,
        /// The repository's top folder.
        repo: PathBuf,
    },
    /// Git failed in another way; what it said.
    Failed(String),
}

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GitError::NoGit(e) => write!(
                f,
                "cannot run git ({e}); reading the data's history needs git installed and on PATH"
            ),
            GitError::NotARepository(p) => write!(
                f,
                "`{}` is not in a git repository, so it has no history to read (run dipgraph inside a clone of the dataset, or give --data a folder in one)",
                p.display()
            ),
            GitError::UnknownRevision { rev, detail } => {
                write!(
                    f,
                    "unknown revision `{rev}`: no commit is called that (a commit id, tag, branch, `HEAD~3`, or `@{{2026-06-01}}` for the revision in force that day)"
                )?;
                if !detail.is_empty() {
                    write!(f, "; git says: {detail}")?;
                }
                Ok(())
            }
            GitError::NothingThatOld { base, date } => write!(
                f,
                "no commit of `{base}` was made by the end of {date} (UTC): the data's history starts later"
            ),
            GitError::FolderAbsent {
                folder,
                rev,
                commit,
            } => write!(
                f,
                "the data folder `{}` does not exist at `{rev}` (commit {}); give --data the folder the data was kept in then",
                if folder.is_empty() { "." } else { folder },
                short(commit)
            ),
            GitError::Outside { folder, repo } => write!(
                f,
                "the data folder `{}` is not inside the git repository `{}`",
                folder.display(),
                repo.display()
            ),
            GitError::Failed(e) => write!(f, "git failed: {e}"),
        }
    }
}

impl std::error::Error for GitError {}

/// A commit, as an answer names the revision it was read from: `{"commit", "date"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commit {
    /// The full commit id.
    #[serde(rename = "commit")]
    pub id: String,
    /// Its committer date, in strict ISO 8601 (`2026-05-30T14:02:11+02:00`).
    pub date: String,
}

impl Commit {
    /// `commit 3f2a1c9d0e1b (2026-05-30T14:02:11+02:00)`.
    pub fn describe(&self) -> String {
        format!("commit {} ({})", short(&self.id), self.date)
    }
}

/// The first 12 characters of a commit or object id, as shown to people.
pub fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// One data file at a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    /// Its path inside the data folder, `/`-separated.
    pub path: String,
    /// Its object id.
    pub id: String,
    /// Its size in bytes.
    pub size: u64,
    /// Whether it is a symbolic link (whose blob is the link's target, not data).
    pub link: bool,
}

/// A data folder as it was at a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The revision as typed.
    pub typed: String,
    /// The commit it names.
    pub commit: Commit,
    /// The repository's top folder.
    pub repo: PathBuf,
    /// The data folder's path inside the repository, `/`-separated (empty for the top).
    pub folder: String,
    /// The data folder's tree id at that commit: what a cache of it is keyed by.
    pub tree: String,
    /// Its `*.ron` files, in the order the loader reads a folder.
    pub files: Vec<Blob>,
}

impl Revision {
    /// The data folder `folder` (as named on the command line: relative to the working
    /// directory, or absolute) at revision `rev` of the repository that holds it.
    pub fn read(folder: &Path, rev: &str) -> Result<Revision, GitError> {
        let place = locate(folder)?;
        let commit = commit_of(&place.repo, rev)?;
        let Some(tree) = tree_at(&place.repo, &commit.id, &place.inside)? else {
            return Err(GitError::FolderAbsent {
                folder: place.inside,
                rev: rev.to_string(),
                commit: commit.id,
            });
        };
        let files = files_of(&place.repo, &tree)?;
        Ok(Revision {
            typed: rev.to_string(),
            commit,
            repo: place.repo,
            folder: place.inside,
            tree,
            files,
        })
    }

    /// A file's path as shown to people: `3f2a1c9d0e1b:graph/states.ron`, which `git show`
    /// reads.
    pub fn shown(&self, path: &str) -> String {
        shown_at(&self.commit.id, &self.folder, path)
    }

    /// `` `HEAD~1` (commit 3f2a1c9d0e1b (2026-05-30T14:02:11+02:00)) ``, for messages.
    pub fn describe(&self) -> String {
        format!("`{}` ({})", self.typed, self.commit.describe())
    }

    /// Every data file with its bytes, read in one call of `git cat-file --batch`; a file that
    /// cannot be read carries why.
    pub fn inputs(&self) -> Vec<Input> {
        inputs_of(&self.repo, &self.commit.id, &self.folder, &self.files)
    }

    /// The files of another folder (as named on the command line) at the same commit; `None`
    /// when it does not exist there.
    pub fn other_folder(&self, folder: &Path) -> Result<Option<Vec<Input>>, GitError> {
        let place = locate(folder)?;
        let Some(tree) = tree_at(&place.repo, &self.commit.id, &place.inside)? else {
            return Ok(None);
        };
        let files = files_of(&place.repo, &tree)?;
        Ok(Some(inputs_of(
            &place.repo,
            &self.commit.id,
            &place.inside,
            &files,
        )))
    }
}

fn shown_at(commit: &str, folder: &str, path: &str) -> String {
    if folder.is_empty() {
        format!("{}:{path}", short(commit))
    } else {
        format!("{}:{folder}/{path}", short(commit))
    }
}

fn inputs_of(repo: &Path, commit: &str, folder: &str, files: &[Blob]) -> Vec<Input> {
    let readable: Vec<&str> = files
        .iter()
        .filter(|b| !b.link)
        .map(|b| b.id.as_str())
        .collect();
    let mut read = read_blobs(repo, &readable).map(Vec::into_iter);
    files
        .iter()
        .map(|b| Input {
            path: shown_at(commit, folder, &b.path),
            bytes: if b.link {
                Err("it is a symbolic link in git; read it from a checkout instead".to_string())
            } else {
                match &mut read {
                    Ok(blobs) => blobs
                        .next()
                        .ok_or_else(|| "git gave fewer files than asked for".to_string()),
                    Err(e) => Err(e.to_string()),
                }
            },
        })
        .collect()
}

/// Where a folder stands: its repository's top folder, and its path inside it.
struct Place {
    repo: PathBuf,
    inside: String,
}

/// The repository holding `folder` (which need not exist now: its nearest existing ancestor
/// is asked), and the folder's path inside it.
fn locate(folder: &Path) -> Result<Place, GitError> {
    let cwd = std::env::current_dir().map_err(|e| GitError::Failed(e.to_string()))?;
    let absolute = lexical(&cwd.join(folder));
    let mut existing = absolute.as_path();
    let mut rest: Vec<&OsStr> = Vec::new();
    while !existing.is_dir() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            _ => break,
        }
    }
    let out = git(existing, ["rev-parse", "--show-toplevel"])?;
    if !out.status.success() {
        let said = said(&out);
        return Err(if said.contains("not a git repository") {
            GitError::NotARepository(folder.to_path_buf())
        } else {
            GitError::Failed(said)
        });
    }
    let top = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim_end_matches('\n'));
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (top_real, here_real) = (real(&top), real(existing));
    let Ok(inside) = here_real.strip_prefix(&top_real) else {
        return Err(GitError::Outside {
            folder: folder.to_path_buf(),
            repo: top,
        });
    };
    let mut parts: Vec<String> = inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.extend(rest.iter().rev().map(|n| n.to_string_lossy().into_owned()));
    Ok(Place {
        repo: top,
        inside: parts.join("/"),
    })
}

/// `p` with `.` and `..` worked out by their names alone (the folder may not exist).
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `REV@{DATE}` split into REV (`HEAD` when empty) and DATE, when DATE is a date.
fn dated(rev: &str) -> Option<(&str, Date)> {
    let inner = rev.strip_suffix('}')?;
    let at = inner.rfind("@{")?;
    let date = Date::parse(&inner[at + 2..]).ok()?;
    let base = &inner[..at];
    Some((if base.is_empty() { "HEAD" } else { base }, date))
}

/// The commit `rev` names in the repository at `repo`, with its date.
pub fn commit_of(repo: &Path, rev: &str) -> Result<Commit, GitError> {
    let unknown = |detail: String| GitError::UnknownRevision {
        rev: rev.to_string(),
        detail,
    };
    if rev.is_empty() {
        return Err(unknown(String::new()));
    }
    let id = if let Some((base, date)) = dated(rev) {
        let before = format!("--before={} 23:59:59 +0000", date.last_day());
        let out = git(
            repo,
            [
                "rev-list",
                "-1",
                "--first-parent",
                &before,
                "--end-of-options",
                base,
                "--",
            ],
        )?;
        if !out.status.success() {
            return Err(unknown(said(&out)));
        }
        let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if id.is_empty() {
            return Err(GitError::NothingThatOld {
                base: base.to_string(),
                date,
            });
        }
        id
    } else {
        let wanted = format!("{rev}^{{commit}}");
        let out = git(
            repo,
            [
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &wanted,
            ],
        )?;
        if !out.status.success() {
            return Err(unknown(said(&out)));
        }
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let out = git(
        repo,
        [
            "log",
            "-1",
            "--no-show-signature",
            "--no-patch",
            "--format=%cI",
            &id,
            "--",
        ],
    )?;
    if !out.status.success() {
        return Err(GitError::Failed(said(&out)));
    }
    Ok(Commit {
        id,
        date: String::from_utf8_lossy(&out.stdout).trim().to_string(),
    })
}

/// The best common ancestor of `a` and `b` in the repository holding `folder` (where a branch
/// `b` left `a`): what `a...b` compares `b` with.
pub fn merge_base(folder: &Path, a: &str, b: &str) -> Result<String, GitError> {
    let repo = locate(folder)?.repo;
    let (a, b) = (commit_of(&repo, a)?, commit_of(&repo, b)?);
    let out = git(&repo, ["merge-base", "--end-of-options", &a.id, &b.id])?;
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || id.is_empty() {
        return Err(GitError::Failed(format!(
            "commits {} and {} have no common ancestor",
            short(&a.id),
            short(&b.id)
        )));
    }
    Ok(id)
}

/// The tree of `path` (inside the repository) at `commit`; `None` when there is no folder
/// there.
fn tree_at(repo: &Path, commit: &str, path: &str) -> Result<Option<String>, GitError> {
    let object = if path.is_empty() {
        format!("{commit}^{{tree}}")
    } else {
        format!("{commit}:{path}")
    };
    let out = git(repo, ["rev-parse", "--verify", "--quiet", &object])?;
    if !out.status.success() {
        return Ok(None);
    }
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let kind = git(repo, ["cat-file", "-t", &id])?;
    let is_tree = kind.status.success() && String::from_utf8_lossy(&kind.stdout).trim() == "tree";
    Ok(is_tree.then_some(id))
}

/// Every `*.ron` file under tree `tree`, in the order the loader walks a folder (by path
/// components, as `walkdir` sorted by name gives them; git's own order differs where a name
/// is a prefix of another).
fn files_of(repo: &Path, tree: &str) -> Result<Vec<Blob>, GitError> {
    let out = git(repo, ["ls-tree", "-r", "-l", "-z", tree])?;
    if !out.status.success() {
        return Err(GitError::Failed(said(&out)));
    }
    let mut files = Vec::new();
    for entry in out.stdout.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((head, path)) = entry.split_once('\t') else {
            return Err(GitError::Failed(format!(
                "unexpected ls-tree line `{entry}`"
            )));
        };
        let fields: Vec<&str> = head.split_whitespace().collect();
        let [mode, kind, id, size] = fields[..] else {
            return Err(GitError::Failed(format!(
                "unexpected ls-tree line `{entry}`"
            )));
        };
        if kind != "blob" || Path::new(path).extension().is_none_or(|x| x != "ron") {
            continue;
        }
        files.push(Blob {
            path: path.to_string(),
            id: id.to_string(),
            size: size.parse().unwrap_or(0),
            link: mode == "120000",
        });
    }
    files.sort_by(|a, b| Path::new(&a.path).cmp(Path::new(&b.path)));
    Ok(files)
}

/// The contents of the blobs `ids`, in order, from one `git cat-file --batch`.
fn read_blobs(repo: &Path, ids: &[&str]) -> std::io::Result<Vec<Vec<u8>>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = command(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut stdin = child.stdin.take().ok_or_else(|| gone("stdin"))?;
    let list: String = ids.iter().map(|id| format!("{id}\n")).collect();
    // Written from a thread of its own: git answers while it reads, and a full pipe either
    // way would stop both.
    let writer = std::thread::spawn(move || stdin.write_all(list.as_bytes()));
    let mut out = BufReader::new(child.stdout.take().ok_or_else(|| gone("stdout"))?);
    let mut blobs = Vec::with_capacity(ids.len());
    let mut header = String::new();
    for id in ids {
        header.clear();
        out.read_line(&mut header)?;
        let parts: Vec<&str> = header.split_whitespace().collect();
        let size = match parts[..] {
            [_, "blob", size] => size.parse::<usize>().ok(),
            _ => None,
        };
        let Some(size) = size else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other(format!(
                "git cannot read object {id}: {}",
                header.trim()
            )));
        };
        let mut bytes = vec![0; size];
        out.read_exact(&mut bytes)?;
        let mut newline = [0u8; 1];
        out.read_exact(&mut newline)?;
        blobs.push(bytes);
    }
    drop(out);
    let written = writer.join().map_err(|_| gone("stdin"))?;
    written?;
    child.wait()?;
    Ok(blobs)
}

/// The contents of one blob.
pub fn blob(repo: &Path, id: &str) -> std::io::Result<Vec<u8>> {
    Ok(read_blobs(repo, &[id])?.pop().unwrap_or_default())
}

fn gone(what: &str) -> std::io::Error {
    std::io::Error::other(format!("git's {what} could not be used"))
}

/// `git -C repo`, with messages in English (they are matched) and no prompt.
fn command(repo: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(repo)
        .env("LC_ALL", "C")
        .env("LANGUAGE", "C")
        .env("GIT_TERMINAL_PROMPT", "0");
    c
}

fn git<'a>(repo: &Path, args: impl IntoIterator<Item = &'a str>) -> Result<Output, GitError> {
    command(repo)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| GitError::NoGit(e.to_string()))
}

/// What git said on stderr, on one line.
fn said(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_start_matches("fatal: ").trim())
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_in_braces_is_ours_and_anything_else_is_gits() {
        let d = |s| Date::parse(s).expect("date");
        assert_eq!(dated("@{2026-06-01}"), Some(("HEAD", d("2026-06-01"))));
        assert_eq!(dated("main@{2026-06}"), Some(("main", d("2026-06"))));
        assert_eq!(dated("HEAD@{1}"), None, "a reflog entry is git's");
        assert_eq!(dated("@{upstream}"), None);
        assert_eq!(dated("HEAD~3"), None);
    }

    #[test]
    fn paths_are_worked_out_by_name() {
        assert_eq!(lexical(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
    }

    #[test]
    fn files_come_in_the_order_a_folder_walk_gives() {
        let mut names = vec!["a.ron", "a/x.ron", "b.ron", "a-b.ron"];
        names.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
        assert_eq!(names, ["a/x.ron", "a-b.ron", "a.ron", "b.ron"]);
    }
}
