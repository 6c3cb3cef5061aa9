//! Issue 15's cases, end to end: names that attack the terminal or a spreadsheet, values that
//! would flood stderr, writes that would leave the data folder, files that are not what they
//! seem, and leftovers of killed writes.

use crate::support::{STATES, assert_contains, code, run, stderr, stdout, world};

/// A name that sets the window title and clears the screen when printed raw.
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J";

/// How the hostile name is shown on a terminal.
const SHOWN: &str = "\\x1b]0;pwned\\x07\\x1b[2J";

fn raw_controls(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' || ('\u{80}'..='\u{9f}').contains(&c))
}

fn hostile_world() -> tempfile::TempDir {
    let states = format!(
        "[\n    State(id: \"BLR\", name: \"Belarus\"),\n    State(id: \"RUS\", name: \"{HOSTILE}\"),\n]\n"
    );
    let facts = "[\n    Treaty(id: \"union-1\", name: \"-1+1\", kind: Union, signed: \"2000\", parties: [Party(state: \"RUS\"), Party(state: \"BLR\")], sources: [Source(title: \"@t\", url: \"https://example.org\")]),\n]\n";
    world(&[
        ("states.ron", states.as_bytes()),
        ("facts.ron", facts.as_bytes()),
    ])
}

#[test]
fn a_hostile_name_is_escaped_in_tables_and_kept_exact_in_json() {
    let dir = hostile_world();
    let o = run(dir.path(), &["allies", "BLR", "--on", "2021-01-01"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!raw_controls(&out), "{out:?}");
    assert_contains(&out, SHOWN);
    let o = run(dir.path(), &["show", "RUS"]);
    assert!(!raw_controls(&stdout(&o)), "{:?}", stdout(&o));
    let o = run(
        dir.path(),
        &["allies", "BLR", "--on", "2021-01-01", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(
        json["results"][0]["name"], HOSTILE,
        "JSON keeps the exact text"
    );
}

#[test]
fn a_hostile_name_is_escaped_in_diagnostics_and_messages() {
    let text = format!("[\n    State(id: \"BLR\", name: \"{HOSTILE}\", cow: \"{HOSTILE}\"),\n]\n");
    let dir = world(&[("s.ron", text.as_bytes())]);
    let o = run(dir.path(), &["validate"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(!raw_controls(&err), "{err:?}");
    assert_contains(&err, SHOWN);
    assert_contains(&err, "s.ron:2:");
    let o = run(dir.path(), &["show", HOSTILE]);
    let err = stderr(&o);
    assert!(!raw_controls(&err), "{err:?}");
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_guarded_unless_raw() {
    let dir = hostile_world();
    let o = run(dir.path(), &["export", "csv", "--all"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert_contains(&out, ",'-1+1\n");
    let o = run(dir.path(), &["--csv-raw", "export", "csv", "--all"]);
    assert_contains(&stdout(&o), ",-1+1\n");
    let o = run(
        dir.path(),
        &["allies", "BLR", "--on", "2021-01-01", "--format", "csv"],
    );
    let out = stdout(&o);
    assert!(out.contains(HOSTILE), "CSV keeps the exact text: {out:?}");
    let o = run(dir.path(), &["statements", "--format", "csv"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn a_fifty_megabyte_bad_value_gives_a_short_diagnostic() {
    let value = "y".repeat(50 << 20);
    let text = format!("[\n    State(id: \"BLR\", name: \"B\", cow: \"{value}\"),\n]\n");
    let dir = world(&[("s.ron", text.as_bytes()), ("t.ron", STATES.as_bytes())]);
    let o = run(dir.path(), &["validate"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(err.len() < 8 * 1024, "{} bytes of stderr", err.len());
    assert_contains(&err, "s.ron:2:");
}

#[test]
fn an_id_of_a_million_newlines_does_not_push_the_place_down() {
    let id = "\\n".repeat(1_000_000);
    let text = format!(
        "[\n    Sanction(id: \"{id}\", by: \"BLR\", against: [\"RUS\"], measures: [TravelBan], from: \"2020\", sources: [Source(title: \"t\", url: \"https://example.org\")]),\n]\n"
    );
    let dir = world(&[("s.ron", text.as_bytes()), ("t.ron", STATES.as_bytes())]);
    let o = run(dir.path(), &["validate"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    let place = err
        .lines()
        .position(|l| l.contains("-->"))
        .expect("a place");
    assert!(place <= 2, "{err}");
    assert!(err.len() < 8 * 1024, "{} bytes of stderr", err.len());
}

#[cfg(unix)]
#[test]
fn links_that_lead_to_each_other_are_a_loop_not_a_missing_file() {
    let dir = world(&[("states.ron", STATES.as_bytes())]);
    let graph = dir.path().join("graph");
    std::os::unix::fs::symlink("b.ron", graph.join("a.ron")).expect("symlink");
    std::os::unix::fs::symlink("a.ron", graph.join("b.ron")).expect("symlink");
    let o = run(dir.path(), &["validate"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert_contains(
        &err,
        "symbolic link loop: `graph/a.ron` -> `graph/b.ron` -> `graph/a.ron`",
    );
    assert!(!err.contains("does not exist"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_named_ron_is_reported_and_never_opened() {
    let dir = world(&[("states.ron", STATES.as_bytes())]);
    let fifo = dir.path().join("graph/pipe.ron");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    // Opening it to read would wait for a writer forever: the run ends only if it is not.
    let o = run(dir.path(), &["validate"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(
        &stderr(&o),
        "warning[W0105]: graph/pipe.ron: this is a named pipe (FIFO)",
    );
    let o = run(dir.path(), &["allies", "BLR", "--on", "2021-01-01"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn two_names_for_one_file_are_read_once_and_add_keeps_one_copy() {
    let dir = world(&[("states.ron", STATES.as_bytes())]);
    let graph = dir.path().join("graph");
    std::os::unix::fs::symlink("states.ron", graph.join("zz-alias.ron")).expect("symlink");
    let o = run(dir.path(), &["validate"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stderr(&o), "warning[W0104]: graph/zz-alias.ron");
    assert_contains(&stdout(&o), "1 file, 2 records: 0 errors, 1 warning");
    let o = run(
        dir.path(),
        &["add", "person", "--id", "p-1", "--name", "P One"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(dir.path(), &["validate"]);
    assert_eq!(code(&o), 0, "no duplicate id: {}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn add_never_writes_through_a_link_out_of_the_data_folder() {
    let dir = world(&[("states.ron", STATES.as_bytes())]);
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    let target = outside.join("t.ron");
    std::fs::write(&target, "[]\n").expect("write");
    std::fs::create_dir_all(dir.path().join("graph/treaties")).expect("mkdir");
    std::os::unix::fs::symlink(
        "../../outside/t.ron",
        dir.path().join("graph/treaties/link.ron"),
    )
    .expect("symlink");
    let o = run(
        dir.path(),
        &[
            "add",
            "person",
            "--id",
            "p-1",
            "--name",
            "P",
            "--file",
            "graph/treaties/link.ron",
        ],
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_contains(&stderr(&o), "outside the data folder");
    assert_eq!(
        std::fs::read_to_string(&target).expect("read"),
        "[]\n",
        "left as it was"
    );
}

#[test]
fn a_leftover_of_a_killed_write_is_never_data_and_is_removed() {
    let dir = world(&[("states.ron", STATES.as_bytes())]);
    let mut child = std::process::Command::new("true")
        .spawn()
        .expect("true runs");
    let gone = child.id();
    child.wait().expect("ends");
    // A leftover of a write of `people.ron`, holding a record that would clash.
    let leftover = dir.path().join(format!("graph/.people.ron.{gone}-0.tmp"));
    std::fs::write(&leftover, "[State(id: \"BLR\", name: \"Again\")]\n").expect("write");
    // A leftover folder of a killed folder write, with a data file inside: not read either.
    let folder = dir.path().join(format!("graph/.out.{gone}-1.tmp"));
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(
        folder.join("more.ron"),
        "[State(id: \"BLR\", name: \"Again\")]\n",
    )
    .expect("write");
    let o = run(dir.path(), &["validate"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stdout(&o), "1 file, 2 records: 0 errors, 0 warnings");
    if cfg!(target_os = "linux") {
        assert!(!leftover.exists(), "removed at the next run");
        assert!(!folder.exists(), "removed at the next run");
    }
}

/// Runs dipgraph with `args` in `cwd`, its caches in `cache` and every data folder large
/// enough for one; killed (and the test failed) after a minute.
fn run_cached(
    cwd: &std::path::Path,
    cache: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_dipgraph"))
        .args(args)
        .current_dir(cwd)
        .env("DIPGRAPH_TODAY", "2021-03-15")
        .env("DIPGRAPH_CACHE_DIR", cache)
        .env("DIPGRAPH_CACHE_MIN_BYTES", "0")
        .env_remove("DIPGRAPH_DATA")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("dipgraph runs");
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(out) => out.expect("output"),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .arg("-9")
                .arg(id.to_string())
                .status();
            panic!("dipgraph {args:?} hung");
        }
    }
}

const SANCTION_2002: &str = "[\n    Sanction(id: \"sa-1\", by: \"BLR\", against: [\"RUS\"], measures: [TravelBan], from: \"2002-03-28\", sources: [Source(title: \"t\", url: \"https://example.org\")]),\n]\n";

fn cache_files(cache: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(cache)
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "dgcache"));
    v
}

#[cfg(unix)]
#[test]
fn a_same_size_edit_with_its_time_set_back_is_seen() {
    let dir = world(&[
        ("states.ron", STATES.as_bytes()),
        ("sanctions.ron", SANCTION_2002.as_bytes()),
    ]);
    let cache = tempfile::tempdir().expect("tmp");
    let o = run_cached(dir.path(), cache.path(), &["show", "sa-1"], &[]);
    assert_contains(&stdout(&o), "2002-03-28");
    assert_eq!(cache_files(cache.path()).len(), 1, "a cache is written");
    let file = dir.path().join("graph/sanctions.ron");
    let before = std::fs::metadata(&file)
        .expect("meta")
        .modified()
        .expect("mtime");
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&file, SANCTION_2002.replace("2002-03-28", "2003-03-28")).expect("write");
    // touch -r: the modification time as it was.
    let f = std::fs::File::options()
        .write(true)
        .open(&file)
        .expect("open");
    f.set_modified(before).expect("set back");
    drop(f);
    let o = run_cached(dir.path(), cache.path(), &["show", "sa-1"], &[]);
    let out = stdout(&o);
    assert_contains(&out, "2003-03-28");
    assert!(!out.contains("2002-03-28"), "{out}");
    let o = run_cached(dir.path(), cache.path(), &["cache", "verify"], &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stdout(&o), "matches its data: 2 files read and checked");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_at_the_cache_path_neither_hangs_nor_changes_the_answer() {
    let dir = world(&[
        ("states.ron", STATES.as_bytes()),
        ("sanctions.ron", SANCTION_2002.as_bytes()),
    ]);
    let cache = tempfile::tempdir().expect("tmp");
    let o = run_cached(dir.path(), cache.path(), &["show", "sa-1"], &[]);
    let answer = stdout(&o);
    let path = cache_files(cache.path()).pop().expect("a cache");
    std::fs::remove_file(&path).expect("rm");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    for _ in 0..2 {
        let o = run_cached(dir.path(), cache.path(), &["show", "sa-1"], &[]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert_eq!(stdout(&o), answer);
    }
}

#[test]
fn caches_are_listed_cleaned_and_kept_within_their_cap() {
    let cache = tempfile::tempdir().expect("tmp");
    let a = world(&[("states.ron", STATES.as_bytes())]);
    let b = world(&[
        ("states.ron", STATES.as_bytes()),
        ("sanctions.ron", SANCTION_2002.as_bytes()),
    ]);
    // A leftover of a killed first question, in the cache folder.
    let mut child = std::process::Command::new("true")
        .spawn()
        .expect("true runs");
    let gone = child.id();
    child.wait().expect("ends");
    let leftover = cache
        .path()
        .join(format!(".0123456789abcdef.dgcache.{gone}-0.tmp"));
    std::fs::write(&leftover, b"half a cache").expect("write");
    run_cached(a.path(), cache.path(), &["stats"], &[]);
    if cfg!(target_os = "linux") {
        assert!(!leftover.exists(), "removed after a cache is written");
    }
    run_cached(b.path(), cache.path(), &["stats"], &[]);
    assert_eq!(cache_files(cache.path()).len(), 2);
    let o = run_cached(
        a.path(),
        cache.path(),
        &["cache", "list", "--format", "json"],
        &[],
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let rows = json["results"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    let folder_a = std::fs::canonicalize(a.path().join("graph")).expect("real");
    assert!(
        rows.iter()
            .any(|r| r["folder"] == folder_a.to_string_lossy().as_ref()
                && r["folder_exists"] == true),
        "{json}"
    );
    // Its folder gone, a cache is cleaned; the other stays.
    let gone_folder = a.path().join("graph");
    std::fs::remove_dir_all(&gone_folder).expect("rm");
    let o = run_cached(b.path(), cache.path(), &["cache", "list"], &[]);
    assert_contains(&stdout(&o), " no\n");
    let o = run_cached(b.path(), cache.path(), &["cache", "clean"], &[]);
    assert_contains(&stdout(&o), "removed 1 cache");
    assert_eq!(cache_files(cache.path()).len(), 1);
    let o = run_cached(b.path(), cache.path(), &["cache", "clean", "--all"], &[]);
    assert_contains(&stdout(&o), "removed 1 cache");
    assert!(cache_files(cache.path()).is_empty());
    // A cap that holds one cache: the one used longest ago goes first.
    let c = world(&[("states.ron", STATES.as_bytes())]);
    run_cached(c.path(), cache.path(), &["stats"], &[]);
    let first = cache_files(cache.path());
    let size = std::fs::metadata(&first[0]).expect("meta").len();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let cap = (size * 3 / 2).to_string();
    run_cached(
        b.path(),
        cache.path(),
        &["stats"],
        &[("DIPGRAPH_CACHE_MAX_BYTES", &cap)],
    );
    let left = cache_files(cache.path());
    assert_eq!(left.len(), 1, "{left:?}");
    assert_ne!(left, first, "the newest is kept");
    // A cap no cache fits in: answered, said, not kept.
    let o = run_cached(
        c.path(),
        cache.path(),
        &["stats"],
        &[("DIPGRAPH_CACHE_MAX_BYTES", "10")],
    );
    assert_eq!(code(&o), 0);
    assert_contains(&stderr(&o), "larger than DIPGRAPH_CACHE_MAX_BYTES");
    assert!(cache_files(cache.path()).is_empty());
}
