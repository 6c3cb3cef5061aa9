//! The bundled dataset: it validates clean, answers, and is built into the binary.

use std::path::Path;

use crate::support::{assert_contains, code, run, stderr, stdout};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn bundled_graph_validates_without_errors_or_warnings() {
    let o = run(root(), &["--data", "graph", "validate"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "warnings or errors in graph/");
    assert_contains(&stdout(&o), ": 0 errors, 0 warnings");
}

#[test]
fn show_belarus_lists_facts_with_dates_and_sources() {
    let o = run(root(), &["show", "belarus"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("Belarus (State, BLR)"), "{out}");
    assert!(out.contains("union-state-1999"), "{out}");
    assert!(out.contains("2000-01-26"), "{out}");
    assert!(out.contains("peskov-brothers-2021"), "{out}");
    assert!(out.contains("https://"), "{out}");
}

#[test]
fn show_peskov_by_name() {
    let o = run(root(), &["show", "Dmitry Peskov"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("Rather, we are not friends, but brothers."),
        "{out}"
    );
    assert!(out.contains("2021-03-15"), "{out}");
    assert!(out.contains("Press Secretary"), "{out}");
}

#[test]
fn show_json_has_the_documented_shape() {
    let o = run(
        root(),
        &["--format", "json", "show", "BLR", "--on", "2021-03-15"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["query"], "show");
    assert_eq!(v["on"], "2021-03-15");
    let e = &v["results"][0];
    assert_eq!(e["id"], "BLR");
    let facts = e["facts"].as_array().expect("facts");
    assert!(!facts.is_empty());
    for f in facts {
        assert!(f["id"].is_string() && f["kind"].is_string(), "{f}");
        assert!(f["sources"].is_array(), "{f}");
        assert!(
            matches!(f["certainty"].as_str(), Some("certain" | "possible")),
            "{f}"
        );
    }
    // Sanctions of 2021-06 had not started on 2021-03-15.
    assert!(facts.iter().all(|f| f["id"] != "eu-blr-2021-06-21"));
}

#[test]
fn unknown_names_list_candidates_and_exit_2() {
    let o = run(root(), &["show", "Belarsu"]);
    assert_eq!(code(&o), 2);
    assert_contains(&stderr(&o), "did you mean `BLR` (Belarus)");
}

#[test]
fn bundled_dataset_is_used_outside_the_project() {
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let here = run(root(), &["--format", "json", "stats"]);
    let there = run(elsewhere.path(), &["--format", "json", "stats"]);
    assert_eq!(code(&there), 0, "{}", stderr(&there));
    assert_eq!(stdout(&here), stdout(&there));
}

#[test]
fn output_is_deterministic() {
    let a = run(root(), &["show", "RUS"]);
    let b = run(root(), &["show", "RUS"]);
    assert_eq!(a.stdout, b.stdout);
    assert!(!a.stdout.is_empty());
}

#[test]
fn check_runs_past_an_empty_query_file_and_refuses_a_data_file_as_a_query() {
    let dir = tempfile::tempdir().expect("temp dir");
    let queries = dir.path().join("queries");
    std::fs::create_dir_all(&queries).expect("mkdir");
    std::fs::write(queries.join("empty.ron"), "").expect("write");
    std::fs::write(
        queries.join("allies.ron"),
        r#"Query(title: "t", ask: Allies(of: "BLR", on: "2021-03-15"), expect: Includes(["RUS"]))"#,
    )
    .expect("write");
    let graph = root().join("graph");
    let data = graph.to_str().expect("utf-8 path");
    let o = run(
        dir.path(),
        &["--data", data, "check", "--queries", "queries"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stderr(&o), "warning[W0102]");
    assert_contains(&stdout(&o), "1 passed, 0 failed");

    std::fs::remove_file(queries.join("allies.ron")).expect("rm");
    std::fs::remove_file(queries.join("empty.ron")).expect("rm");
    let o = run(
        dir.path(),
        &["--data", data, "check", "--queries", "queries"],
    );
    assert_eq!(code(&o), 2);
    assert_contains(&stderr(&o), "no saved queries found");

    let states = graph.join("states.ron");
    let o = run(
        dir.path(),
        &["--data", data, "query", states.to_str().expect("utf-8")],
    );
    assert_eq!(code(&o), 1);
    assert_contains(&stderr(&o), "expected `Query(...)`");
}

#[test]
fn allies_of_an_organization_or_a_person_is_a_usage_error_that_says_what_to_ask() {
    for (name, what) in [("EU", "an organization"), ("lukashenko", "a person")] {
        let o = run(root(), &["allies", name, "--on", "2021-03-15"]);
        assert_eq!(code(&o), 2, "{name}");
        assert_contains(&stderr(&o), &format!("names {what}"));
        assert_contains(&stderr(&o), "`allies` takes a state; ask `dipgraph show");
        assert_eq!(stdout(&o), "", "{name}");
    }
}

#[test]
fn data_that_is_a_file_or_an_empty_folder_is_refused() {
    let o = run(root(), &["--data", "README.md", "validate"]);
    assert_eq!(code(&o), 2);
    assert_contains(&stderr(&o), "`README.md` is a file");
    let dir = tempfile::tempdir().expect("tmp");
    let empty = dir.path().to_str().expect("utf-8");
    for args in [&["validate"][..], &["allies", "BLR"], &["stats"]] {
        let o = run(root(), &[&["--data", empty][..], args].concat());
        assert_eq!(code(&o), 2, "{args:?}");
        assert_contains(&stderr(&o), "holds no `.ron` files");
    }
}

#[test]
fn answers_say_when_the_date_lies_outside_what_the_data_covers() {
    // The bundled world's sanctions are covered until 2022 (graph/coverage.ron).
    let o = run(
        root(),
        &["sanctions", "--against", "BLR", "--on", "2026-01-01"],
    );
    assert_eq!(code(&o), 0);
    assert_contains(
        &stdout(&o),
        "note: 2026-01-01 lies outside what the data covers of sanctions",
    );
    let o = run(
        root(),
        &[
            "--format",
            "json",
            "sanctions",
            "--against",
            "BLR",
            "--on",
            "2026-01-01",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["notes"].as_array().map(Vec::len), Some(1), "{v}");
    // Inside it: no note, and no `notes` key at all.
    let o = run(
        root(),
        &[
            "--format",
            "json",
            "sanctions",
            "--against",
            "BLR",
            "--on",
            "2021-03-15",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert!(v.get("notes").is_none(), "{v}");
    // CSV has none.
    let o = run(
        root(),
        &[
            "--format",
            "csv",
            "sanctions",
            "--against",
            "BLR",
            "--on",
            "2026-01-01",
        ],
    );
    assert!(!stdout(&o).contains("note:"));
}

/// Runs dipgraph with `args` on a pseudo-terminal `columns` wide (through util-linux's
/// `script`), in the repository, without colour; `None` where `script` cannot be run
/// (outside CI).
fn on_terminal(columns: usize, args: &str) -> Option<String> {
    on_terminal_with(columns, args, &[("NO_COLOR", Some("1"))])
}

/// [`on_terminal`], with `env` set (`Some`) or removed (`None`).
fn on_terminal_with(columns: usize, args: &str, env: &[(&str, Option<&str>)]) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_dipgraph");
    let mut command = std::process::Command::new("script");
    for (k, v) in env {
        match v {
            Some(v) => command.env(k, v),
            None => command.env_remove(k),
        };
    }
    let o = command
        .args(["-qec", &format!("{bin} {args}"), "/dev/null"])
        .current_dir(root())
        .env("COLUMNS", columns.to_string())
        .env("DIPGRAPH_TODAY", "2021-03-15")
        .env("DIPGRAPH_CACHE_DIR", crate::support::cache_dir())
        .env_remove("DIPGRAPH_DATA")
        .output();
    match o {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).replace('\r', "")),
        _ if std::env::var_os("CI").is_some() => {
            panic!("util-linux's `script` must run under CI, for a pseudo-terminal")
        }
        _ => {
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                b"note: `script` (util-linux) cannot run here; skipping the terminal width checks
",
            );
            None
        }
    }
}

#[test]
fn on_a_terminal_tables_fit_its_width_and_piped_they_stay_whole() {
    use unicode_width::UnicodeWidthStr;
    // Each question, with an id its table shows (kept whole on the terminal).
    for (args, id) in [
        ("show belarus", "union-state-1999"),
        (
            "sanctions --against BLR --tied --on 2021-01-01",
            "eu-blr-2020-10",
        ),
        ("path BLR USA --on 2021-03-15", "us-blr-2020-10"),
    ] {
        let piped = stdout(&run(root(), &args.split(' ').collect::<Vec<_>>()));
        let widest = piped.lines().map(UnicodeWidthStr::width).max().unwrap_or(0);
        assert!(widest > 100, "{args}: the whole table is wide ({widest})");
        let Some(text) = on_terminal(100, args) else {
            return;
        };
        // The table's lines fit; the sources listed under it may wrap, never past the width.
        for line in text.lines() {
            assert!(
                line.width() <= 100,
                "{args}: {} columns: {line}",
                line.width()
            );
        }
        // Free text is cut with `…`; ids stay whole.
        assert!(text.contains('…'), "{args}");
        assert!(text.contains(id), "{args}: {id} whole");
        // --wide keeps the piped layout.
        let wide = on_terminal(100, &format!("--wide {args}")).expect("ran above");
        assert_eq!(wide, piped, "{args}");
    }
}

#[test]
fn on_a_terminal_certainties_and_headings_are_coloured_unless_no_color() {
    let args = "allies BLR --on 2021";
    let colour = [
        ("NO_COLOR", None),
        ("CLICOLOR", None),
        ("CLICOLOR_FORCE", None),
        ("TERM", Some("xterm-256color")),
    ];
    let Some(coloured) = on_terminal_with(200, args, &colour) else {
        return;
    };
    let piped = stdout(&run(root(), &args.split(' ').collect::<Vec<_>>()));
    assert!(
        !piped.contains('\u{1b}'),
        "piped output has no escapes: {piped:?}"
    );
    // Bold headings; `certain` in green (SGR 32).
    assert!(coloured.contains("\u{1b}[1m"), "{coloured:?}");
    assert!(coloured.contains("\u{1b}[32mcertain"), "{coloured:?}");
    // With the escapes taken out, the text is the piped text.
    let stripped = anstream::adapter::strip_str(&coloured).to_string();
    assert_eq!(stripped, piped);
    let mut no_color = colour.to_vec();
    no_color[0] = ("NO_COLOR", Some("1"));
    let plain = on_terminal_with(200, args, &no_color).expect("ran above");
    assert_eq!(plain, piped, "NO_COLOR: no escapes");
}
