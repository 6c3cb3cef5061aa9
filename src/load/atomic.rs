//! Writing a file so that a crash, a full disk or a failed rename leaves the old file whole: a
//! temporary file in the same folder is written and synced, then renamed over the target, and
//! the folder is synced. The old file's permissions are kept; a symbolic link is written through.
//! Every file dipgraph replaces is written here: data files (`fmt`, `add`, `import`), exports
//! and pictures, and the cache ([`write_with`], for files written a piece at a time).
//!
//! A group of files (an import's folder) is written in two steps: each file to its temporary
//! name ([`stage`]), then, once every one is written, all renamed ([`commit`]). A failure before
//! the renames leaves every old file as it was; the renames themselves cannot be made one
//! atomic step, so a crash between two of them leaves some files new and the others old.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The steps of a write, where tests inject failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The temporary file exists.
    Created,
    /// Half the bytes are written.
    Writing,
    /// All bytes are written and synced.
    Synced,
}

/// Replaces the contents of `path` with `bytes` atomically: readers (and a crash) see either
/// the old file or the new one, never a mix. Creates the file when it does not exist.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_bytes(path, bytes, &mut |_| Ok(()))
}

/// Replaces the contents of `path` with what `fill` writes, as atomically as [`write`], for
/// files written a piece at a time: `fill` writes into a new temporary file beside `path`
/// (open for reading too, so that it may read back what it wrote), which is then synced and
/// renamed over `path`. When `fill` or any step fails, the temporary file is removed and
/// `path` is left as it was.
pub fn write_with<T>(path: &Path, fill: impl FnOnce(&mut File) -> io::Result<T>) -> io::Result<T> {
    replace(path, &mut |_| Ok(()), |file, _| fill(file))
}

fn write_bytes(
    path: &Path,
    bytes: &[u8],
    hook: &mut dyn FnMut(Step) -> io::Result<()>,
) -> io::Result<()> {
    replace(path, hook, |file, hook| {
        let half = bytes.len() / 2;
        file.write_all(&bytes[..half])?;
        hook(Step::Writing)?;
        file.write_all(&bytes[half..])
    })
}

/// Where a hook sees each step, to fail it.
type Hook<'h> = &'h mut dyn FnMut(Step) -> io::Result<()>;

fn replace<T>(
    path: &Path,
    hook: Hook<'_>,
    fill: impl FnOnce(&mut File, Hook<'_>) -> io::Result<T>,
) -> io::Result<T> {
    let (staged, value) = stage_with(path, hook, fill)?;
    staged.rename()?;
    sync_folder(&staged.dir);
    Ok(value)
}

/// The folder of `target` (`.` for a bare name).
fn folder_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The new name is durable once the folder is synced. Some file systems cannot sync a folder;
/// the file itself is whole either way.
fn sync_folder(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// A file written in full and synced under a temporary name beside its target, not yet in
/// place. [`commit`] renames it over the target; dropped before that, it is removed.
#[derive(Debug)]
pub struct Staged {
    temp: PathBuf,
    target: PathBuf,
    dir: PathBuf,
    renamed: AtomicBool,
}

impl Staged {
    /// Where it goes.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The temporary file that holds it until it is committed.
    pub fn temporary(&self) -> &Path {
        &self.temp
    }

    fn rename(&self) -> io::Result<()> {
        if !self.renamed.load(Ordering::Relaxed) {
            fs::rename(&self.temp, &self.target)?;
            self.renamed.store(true, Ordering::Relaxed);
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.renamed.load(Ordering::Relaxed) {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Writes what `fill` writes to a temporary file beside `path` and syncs it, without putting
/// it in place: for a group of files replaced together ([`commit`]). The old file's
/// permissions are kept, and a symbolic link is written through, as by [`write`].
pub fn stage<T>(
    path: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<T>,
) -> io::Result<(Staged, T)> {
    stage_with(path, &mut |_| Ok(()), |file, _| fill(file))
}

/// Puts every staged file in place, in order, then syncs their folders, and then removes the
/// files of `removed` (files the group replaces under other names). Renames that already
/// happened are not renamed again, so a commit that failed part way may be run again. A
/// failure before the first rename changes nothing; one between two renames leaves the files
/// before it new and those after it old.
pub fn commit(staged: &[Staged], removed: &[PathBuf]) -> io::Result<()> {
    let mut dirs: Vec<&Path> = Vec::new();
    for s in staged {
        s.rename()?;
        if !dirs.contains(&s.dir.as_path()) {
            dirs.push(&s.dir);
        }
    }
    for r in removed {
        match fs::remove_file(r) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let dir = folder_of(r);
        if !dirs.contains(&dir.as_path()) {
            sync_folder(&dir);
        }
    }
    dirs.into_iter().for_each(sync_folder);
    Ok(())
}

fn stage_with<T>(
    path: &Path,
    hook: Hook<'_>,
    fill: impl FnOnce(&mut File, Hook<'_>) -> io::Result<T>,
) -> io::Result<(Staged, T)> {
    // Through a symbolic link, replace its target and keep the link.
    let target = if path.is_symlink() {
        fs::canonicalize(path)?
    } else {
        path.to_path_buf()
    };
    let dir = folder_of(&target);
    let old = fs::metadata(&target).ok();
    let (temp, file) = create_temp(&dir, &target)?;
    let staged = Staged {
        temp,
        target,
        dir,
        renamed: AtomicBool::new(false),
    };
    let mut file = file;
    hook(Step::Created)?;
    if let Some(meta) = &old {
        file.set_permissions(meta.permissions())?;
        keep_owner(&staged.temp, meta);
    }
    let value = fill(&mut file, &mut *hook)?;
    file.sync_all()?;
    drop(file);
    hook(Step::Synced)?;
    Ok((staged, value))
}

/// Replaces folder `path` with the folder `fill` writes, so that it is there whole or as it was:
/// `fill` writes into a new temporary folder beside `path` (named as the temporary files are);
/// once it is done, the old folder (if any) is moved aside, the new one renamed into place and
/// the old one removed. When `fill` fails, the temporary folder is removed and `path` is left
/// as it was. Temporaries that killed writes left beside it are removed first.
pub fn write_dir<T>(path: &Path, fill: impl FnOnce(&Path) -> io::Result<T>) -> io::Result<T> {
    let dir = folder_of(path);
    remove_stale_in(&dir);
    let temp = new_temporary(&dir, path, |p| fs::create_dir(p))?;
    let result = fill(&temp);
    let value = match result {
        Ok(v) => v,
        Err(e) => {
            let _ = fs::remove_dir_all(&temp);
            return Err(e);
        }
    };
    let aside = if fs::symlink_metadata(path).is_ok() {
        let aside = new_temporary(&dir, path, |p| fs::create_dir(p))?;
        fs::remove_dir(&aside)?;
        if let Err(e) = fs::rename(path, &aside) {
            let _ = fs::remove_dir_all(&temp);
            return Err(e);
        }
        Some(aside)
    } else {
        None
    };
    if let Err(e) = fs::rename(&temp, path) {
        if let Some(a) = &aside {
            let _ = fs::rename(a, path);
        }
        let _ = fs::remove_dir_all(&temp);
        return Err(e);
    }
    if let Some(a) = aside {
        let _ = fs::remove_dir_all(a);
    }
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(value)
}

/// The process that left `name` when it is one of the temporary files or folders of this
/// module's writes, `.NAME.PID-N.tmp`; `None` for any other name.
pub fn temporary_of(name: &str) -> Option<u32> {
    let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (named, tail) = inner.rsplit_once('.')?;
    let (pid, n) = tail.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (!named.is_empty() && digits(pid) && digits(n))
        .then(|| pid.parse().ok())
        .flatten()
}

/// Whether the process `pid` is known to be gone: on Linux, it has no `/proc/PID`. Elsewhere
/// (or without `/proc`) this cannot be told, and nothing is taken for gone.
pub fn process_gone(pid: u32) -> bool {
    let proc = Path::new("/proc");
    cfg!(target_os = "linux")
        && pid != std::process::id()
        && proc.join("self").exists()
        && !proc.join(pid.to_string()).exists()
}

/// Removes `path` when it is a temporary file or folder of this module's writes whose process
/// is gone (a write that was killed half-way); says whether it did. A link is removed, never
/// followed.
pub fn remove_if_stale(path: &Path) -> bool {
    let stale = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(temporary_of)
        .is_some_and(process_gone);
    let folder = fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
    stale
        && if folder {
            fs::remove_dir_all(path).is_ok()
        } else {
            fs::remove_file(path).is_ok()
        }
}

/// Removes the temporaries that writes killed half-way left in `dir` (not below it).
pub fn remove_stale_in(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| remove_if_stale(&e.path()))
        .count()
}

/// A new, empty temporary file beside `target`, named after it and hidden.
fn create_temp(dir: &Path, target: &Path) -> io::Result<(PathBuf, File)> {
    let mut file = None;
    let temp = new_temporary(dir, target, |p| {
        file = Some(
            OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(p)?,
        );
        Ok(())
    })?;
    Ok((temp, file.ok_or_else(|| io::Error::other("no file"))?))
}

/// A new temporary beside `target`, `.NAME.PID-N.tmp`, made by `make` (which fails when the
/// name is taken: then the next number is tried).
fn new_temporary(
    dir: &Path,
    target: &Path,
    mut make: impl FnMut(&Path) -> io::Result<()>,
) -> io::Result<PathBuf> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
        match make(&temp) {
            Ok(()) => return Ok(temp),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 10_000 => continue,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(unix)]
fn keep_owner(temp: &Path, old: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    // Only possible for the owner or root; otherwise the file is ours, as with any edit.
    let _ = std::os::unix::fs::chown(temp, Some(old.uid()), Some(old.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_temp: &Path, _old: &fs::Metadata) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_and_creates() {
        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path().join("a.ron");
        write(&p, b"[]\n").expect("create");
        assert_eq!(fs::read(&p).expect("read"), b"[]\n");
        write(&p, b"[\n    X,\n]\n").expect("replace");
        assert_eq!(fs::read(&p).expect("read"), b"[\n    X,\n]\n");
        assert_eq!(entries(dir.path()), ["a.ron"]);
    }

    #[test]
    fn an_interrupted_write_leaves_the_old_file_whole_and_no_temporary_file() {
        for fail_at in [Step::Created, Step::Writing, Step::Synced] {
            let dir = tempfile::tempdir().expect("temp dir");
            let p = dir.path().join("a.ron");
            fs::write(&p, b"old contents\n").expect("write");
            let mut seen = Vec::new();
            let r = write_bytes(&p, b"new contents, longer than the old\n", &mut |s| {
                seen.push(s);
                if s == fail_at {
                    Err(io::Error::other("disk full"))
                } else {
                    Ok(())
                }
            });
            assert_eq!(r.expect_err("fails").to_string(), "disk full");
            assert_eq!(seen.last(), Some(&fail_at));
            assert_eq!(
                fs::read(&p).expect("read"),
                b"old contents\n",
                "{fail_at:?}"
            );
            assert_eq!(entries(dir.path()), ["a.ron"], "{fail_at:?}");
        }
    }

    #[test]
    fn a_file_written_in_pieces_replaces_the_old_one_whole_or_not_at_all() {
        use std::io::{Read, Seek, SeekFrom};
        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path().join("c.bin");
        fs::write(&p, b"old").expect("write");
        let n = write_with(&p, |f| {
            f.write_all(b"xx- piece two")?;
            // The file reads back what was written, as the cache's writer needs.
            let mut first = [0u8; 2];
            f.seek(SeekFrom::Start(0))?;
            f.read_exact(&mut first)?;
            assert_eq!(&first, b"xx");
            f.seek(SeekFrom::Start(0))?;
            f.write_all(b"one")?; // over "xx-"
            Ok(7)
        })
        .expect("written");
        assert_eq!(n, 7);
        assert_eq!(fs::read(&p).expect("read"), b"one piece two");
        assert_eq!(entries(dir.path()), ["c.bin"]);
        let e = write_with(&p, |f| {
            f.write_all(b"half of it")?;
            Err::<(), _>(io::Error::other("out of space"))
        })
        .expect_err("fails");
        assert_eq!(e.to_string(), "out of space");
        assert_eq!(fs::read(&p).expect("read"), b"one piece two");
        assert_eq!(entries(dir.path()), ["c.bin"], "no temporary file is left");
    }

    #[test]
    fn a_group_is_put_in_place_together_or_not_at_all() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b, c) = (
            dir.path().join("a.ron"),
            dir.path().join("b.ron"),
            dir.path().join("c.ron"),
        );
        fs::write(&a, b"old a").expect("write");
        fs::write(&c, b"old c").expect("write");
        let group = |x: &[u8], y: &[u8]| {
            let (sa, ()) = stage(&a, |f| f.write_all(x)).expect("stage a");
            let (sb, ()) = stage(&b, |f| f.write_all(y)).expect("stage b");
            vec![sa, sb]
        };
        // Staged but not committed: nothing is in place, and dropping the group leaves no file.
        let staged = group(b"new a", b"new b");
        assert_eq!(fs::read(&a).expect("read"), b"old a");
        assert!(!b.exists());
        assert_eq!(entries(dir.path()).len(), 4, "two temporary files");
        assert!(staged.iter().all(|s| s.temporary().exists()));
        drop(staged);
        assert_eq!(entries(dir.path()), ["a.ron", "c.ron"]);
        // Committed: every file in place, the replaced one removed, no temporary file left.
        let staged = group(b"new a", b"new b");
        commit(&staged, std::slice::from_ref(&c)).expect("commit");
        // A second commit of the same group renames nothing again.
        commit(&staged, &[]).expect("again");
        drop(staged);
        assert_eq!(fs::read(&a).expect("read"), b"new a");
        assert_eq!(fs::read(&b).expect("read"), b"new b");
        assert_eq!(entries(dir.path()), ["a.ron", "b.ron"]);
    }

    #[test]
    fn a_folder_is_replaced_whole_or_left_as_it_was() {
        let root = tempfile::tempdir().expect("temp dir");
        let out = root.path().join("out");
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("old"), "old").expect("write");
        let failed: io::Result<()> = write_dir(&out, |d| {
            fs::write(d.join("new"), "new")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert!(out.join("old").exists() && !out.join("new").exists());
        assert_eq!(
            fs::read_dir(root.path()).expect("list").count(),
            1,
            "no leftovers"
        );
        // A killed write's folder (its process gone) is removed by the next write.
        let gone = root.path().join(format!(".out.{}-0.tmp", u32::MAX - 1));
        fs::create_dir(&gone).expect("mkdir");
        write_dir(&out, |d| fs::write(d.join("new"), "new")).expect("written");
        assert!(
            !cfg!(target_os = "linux") || !gone.exists(),
            "stale folder removed"
        );
        assert!(!out.join("old").exists() && out.join("new").exists());
        assert_eq!(
            fs::read_dir(root.path()).expect("list").count(),
            1,
            "no leftovers"
        );
    }

    #[test]
    fn temporary_files_are_hidden_and_named_after_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path().join("a.ron");
        write_with(&p, |_| {
            let names = entries(dir.path());
            let pid = std::process::id();
            assert_eq!(names.len(), 1, "{names:?}");
            assert!(
                names[0].starts_with(&format!(".a.ron.{pid}-")) && names[0].ends_with(".tmp"),
                "{names:?}"
            );
            Ok(())
        })
        .expect("written");
    }

    #[test]
    fn a_folder_that_cannot_hold_the_file_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("states.ron");
        fs::write(&file, b"[]\n").expect("write");
        let e = write(&file.join("x.ron"), b"[]\n").expect_err("parent is a file");
        assert_ne!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&file).expect("read"), b"[]\n");
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept_and_links_written_through() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let real = dir.path().join("real.ron");
        fs::write(&real, b"old").expect("write");
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).expect("chmod");
        let link = dir.path().join("link.ron");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        write(&link, b"new").expect("write");
        assert!(link.is_symlink(), "the link is kept");
        assert_eq!(fs::read(&real).expect("read"), b"new");
        let mode = fs::metadata(&real).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[test]
    fn temporary_files_are_told_apart_and_removed_once_their_process_is_gone() {
        assert_eq!(temporary_of(".a.ron.123-0.tmp"), Some(123));
        assert_eq!(temporary_of(".0123abc.dgcache.77-12.tmp"), Some(77));
        for other in [
            "a.ron",
            ".a.ron",
            ".a.ron.tmp",
            ".a.ron.x-1.tmp",
            "..1-2.tmp",
            ".a.ron.1-2.tmp.ron",
        ] {
            assert_eq!(temporary_of(other), None, "{other}");
        }
        let dir = tempfile::tempdir().expect("temp dir");
        // A process that has ended: its temporary files are stale; ours are not.
        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("true runs");
        let gone = child.id();
        child.wait().expect("ends");
        let stale = dir.path().join(format!(".a.ron.{gone}-0.tmp"));
        let live = dir
            .path()
            .join(format!(".b.ron.{}-0.tmp", std::process::id()));
        let data = dir.path().join("c.ron");
        for p in [&stale, &live, &data] {
            fs::write(p, b"[]").expect("write");
        }
        if cfg!(target_os = "linux") {
            assert_eq!(remove_stale_in(dir.path()), 1);
            assert!(!stale.exists());
        }
        assert!(live.exists() && data.exists());
    }
}
