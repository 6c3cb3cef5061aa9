//! Running the binary on generated data folders.

use std::path::Path;
use std::process::{Command, Output};

/// Where the tests' caches go: under `target/`, never the user's own cache folder.
pub fn cache_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("dipgraph-cache")
}

/// Runs dipgraph with `args` in `cwd`, with "today" pinned.
pub fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dipgraph"))
        .args(args)
        .current_dir(cwd)
        .env("DIPGRAPH_TODAY", "2021-03-15")
        .env("DIPGRAPH_CACHE_DIR", cache_dir())
        .env_remove("DIPGRAPH_DATA")
        .output()
        .expect("dipgraph runs")
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The exit code.
pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited, not killed by a signal")
}

/// A temporary folder holding `graph/` with the given files.
pub fn world(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in files {
        let path = dir.path().join("graph").join(name);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
    dir
}

/// Copies `from` into `to`, recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable");
        let rel = entry.path().strip_prefix(from).expect("under");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Two valid states, for files that need something to refer to.
pub const STATES: &str =
    "[\n    State(id: \"BLR\", name: \"Belarus\"),\n    State(id: \"RUS\", name: \"Russia\"),\n]\n";

/// Fails, showing the whole text, unless `text` contains `needle`.
#[track_caller]
pub fn assert_contains(text: &str, needle: &str) {
    assert!(text.contains(needle), "expected {needle:?} in:\n{text}");
}

/// Runs dipgraph in `cwd` with `args`; fails unless it refuses (exit code 2) with `message` on
/// standard error.
#[track_caller]
pub fn assert_refused(cwd: &Path, args: &[&str], message: &str) {
    let o = run(cwd, args);
    assert_eq!(code(&o), 2, "dipgraph {}", args.join(" "));
    assert_contains(&stderr(&o), message);
}

/// A note on standard error, seen in the test's output (written past the test harness's
/// capture, as a skipped check must be seen).
pub fn note(text: &str) {
    let _ = std::io::Write::write_all(&mut std::io::stderr(), format!("note: {text}\n").as_bytes());
}
