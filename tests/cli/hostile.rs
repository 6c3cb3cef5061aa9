//! Hostile files get diagnostics, never panics: empty files, bad bytes, a byte-order mark, CRLF
//! line ends, 100,000 nested brackets, a 50 MB file, unreadable files and symlink loops.

use crate::support::{STATES, assert_contains, code, run, stderr, stdout, world};

fn validate(dir: &tempfile::TempDir) -> std::process::Output {
    run(dir.path(), &["validate"])
}

fn no_panic(o: &std::process::Output) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("RUST_BACKTRACE"), "{err}");
}

#[test]
fn empty_file_is_a_warning() {
    let dir = world(&[("empty.ron", b""), ("states.ron", STATES.as_bytes())]);
    let o = validate(&dir);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stderr(&o), "warning[W0102]");
    assert_contains(&stdout(&o), "0 errors, 1 warning");
}

#[test]
fn bad_utf8_is_located() {
    let dir = world(&[(
        "bad.ron",
        b"[\n    State(id: \"BLR\", name: \"Bel\xffarus\"),\n]\n",
    )]);
    let o = validate(&dir);
    no_panic(&o);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(err.contains("error[E0002]"), "{err}");
    assert!(err.contains("bad.ron:2:32"), "{err}");
}

#[test]
fn byte_order_mark_and_crlf_are_accepted() {
    let crlf = STATES.replace('\n', "\r\n");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(crlf.as_bytes());
    let dir = world(&[("states.ron", &bom)]);
    let o = validate(&dir);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stdout(&o), "2 records: 0 errors");
}

#[test]
fn crlf_positions_are_right() {
    let text = "[\r\n    State(id: \"BLR\", name: \"Belarus\", untill: \"2020\"),\r\n]\r\n";
    let dir = world(&[("s.ron", text.as_bytes())]);
    let o = validate(&dir);
    let err = stderr(&o);
    assert!(err.contains("s.ron:2:39"), "{err}");
    assert!(err.contains("did you mean `until`?"), "{err}");
}

#[test]
fn deep_nesting_is_refused() {
    let text = "[".repeat(100_000) + &"]".repeat(100_000);
    let dir = world(&[("deep.ron", text.as_bytes())]);
    let o = validate(&dir);
    no_panic(&o);
    assert_eq!(code(&o), 1);
    assert_contains(&stderr(&o), "error[E0004]");
}

#[test]
fn fifty_megabyte_file_is_read_whole() {
    let mut text = String::from("[\n");
    let note = "x".repeat(180);
    let mut n = 0;
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&format!(
            "    Person(id: \"person-{n}\", name: \"Person {n}\", note: \"{note}\"),\n"
        ));
        n += 1;
    }
    // One problem at the very end must still be found and located.
    text.push_str("    Person(id: \"last\", name: \"Last\", born: \"2020-02-30\"),\n]\n");
    let dir = world(&[("big.ron", text.as_bytes())]);
    let o = validate(&dir);
    no_panic(&o);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(err.contains(&format!("big.ron:{}:", n + 2)), "{err}");
    assert!(err.contains("error[E0201]"), "{err}");
    assert!(stdout(&o).is_empty());
}

#[cfg(unix)]
#[test]
fn dangling_symlink_is_unreadable() {
    let dir = world(&[("states.ron", STATES.as_bytes())]);
    std::os::unix::fs::symlink("nowhere.ron", dir.path().join("graph/missing.ron"))
        .expect("symlink");
    let o = validate(&dir);
    no_panic(&o);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(err.contains("error[E0001]"), "{err}");
    assert!(err.contains("missing.ron"), "{err}");
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported() {
    let dir = world(&[("a/states.ron", STATES.as_bytes())]);
    std::os::unix::fs::symlink("..", dir.path().join("graph/a/up")).expect("symlink");
    let o = validate(&dir);
    no_panic(&o);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(err.contains("symbolic link loop"), "{err}");
}

#[test]
fn missing_data_folder_is_a_usage_error() {
    let dir = world(&[]);
    let o = run(dir.path(), &["--data", "no-such-folder", "validate"]);
    assert_eq!(code(&o), 2);
    assert_contains(&stderr(&o), "does not exist");
}

#[test]
fn every_problem_of_every_file_in_one_run() {
    let dir = world(&[
        ("a.ron", b"[\n    State(id: \"BLR\", name: \"Belarus\", from: \"1991-12-26\"),\n    State(id: \"RUS\", nam: \"Russia\"),\n]\n"),
        ("b.ron", b"[\n    Membership(member: \"BRL\", of: \"EU\", from: \"2004-5-1\", sources: []),\n]\n"),
        ("c.ron", b"[ State(id: \"X\" name: \"x\") ]"),
    ]);
    let o = validate(&dir);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    let order = ["a.ron:3:", "b.ron:2:24", "b.ron:2:47", "c.ron:1:17"];
    let mut last = 0;
    for want in order {
        let at = err[last..]
            .find(want)
            .unwrap_or_else(|| panic!("{want} missing or out of order in\n{err}"));
        last += at;
    }
    assert!(err.contains("did you mean `name`?"), "{err}");
}
