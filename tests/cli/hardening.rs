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
        "warning[W0104]: graph/pipe.ron: this is a named pipe (FIFO)",
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
    assert_contains(&stderr(&o), "warning[W0103]: graph/zz-alias.ron");
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
    let o = run(dir.path(), &["validate"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stdout(&o), "1 file, 2 records: 0 errors, 0 warnings");
    if cfg!(target_os = "linux") {
        assert!(!leftover.exists(), "removed at the next run");
    }
}
