//! Docs and fixtures keep step with the code: every diagnostic code has a section in
//! `docs/diagnostics.md` and a pinned fixture case `tests/cmd/diag-<CODE>.toml`, whose output
//! is the one the section shows.

use std::path::Path;

use dipgraph::diag::Code;

use crate::support::copy_tree;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_code_is_documented_and_has_a_fixture() {
    let page = std::fs::read_to_string(root().join("docs/diagnostics.md"))
        .expect("docs/diagnostics.md is readable");
    let headings: Vec<&str> = page.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    let mut missing = Vec::new();
    for code in Code::ALL {
        let c = code.as_str();
        let documented = headings
            .iter()
            .any(|h| h.split_whitespace().next() == Some(c));
        if !documented {
            missing.push(format!("docs/diagnostics.md has no `## {c}` heading"));
        }
        let fixture = root().join(format!("tests/cmd/diag-{c}.toml"));
        if !fixture.is_file() {
            missing.push(format!("tests/cmd/diag-{c}.toml is missing"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn each_code_s_section_shows_what_its_fixture_prints() {
    let page = std::fs::read_to_string(root().join("docs/diagnostics.md"))
        .expect("docs/diagnostics.md is readable");
    let mut drifted = Vec::new();
    for section in page.split("\n## ").skip(1) {
        let code = section.split_whitespace().next().unwrap_or_default();
        let Some(code) = Code::ALL.iter().find(|c| c.as_str() == code) else {
            continue;
        };
        let fixture = |ext: &str| {
            std::fs::read_to_string(root().join(format!("tests/cmd/diag-{}.{ext}", code.as_str())))
                .unwrap_or_default()
        };
        let printed = fixture("stderr") + &fixture("stdout");
        // The last `$ dipgraph validate` block of the section.
        let shown = section
            .rsplit("```text\n$ dipgraph validate\n")
            .next()
            .filter(|_| section.contains("```text\n$ dipgraph validate\n"))
            .and_then(|b| b.split("```").next());
        if shown != Some(printed.as_str()) {
            drifted.push(format!(
                "{}: the docs show\n{}\nthe fixture prints\n{printed}",
                code.as_str(),
                shown.unwrap_or("(no `$ dipgraph validate` block)")
            ));
        }
    }
    assert!(drifted.is_empty(), "{}", drifted.join("\n"));
}

#[test]
fn documented_codes_follow_the_code_order() {
    let page = std::fs::read_to_string(root().join("docs/diagnostics.md"))
        .expect("docs/diagnostics.md is readable");
    let documented: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|h| h.split_whitespace().next())
        .filter(|c| Code::ALL.iter().any(|k| k.as_str() == *c))
        .collect();
    let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        documented, all,
        "sections of docs/diagnostics.md out of Code::ALL order"
    );
}

/// One command of a console example: where it is in its doc, its words, and what it prints.
struct Example {
    /// The lines of the command, as written (continuation lines with `\` included).
    command: Vec<String>,
    /// The line index where its expected output starts, and the expected lines.
    output_at: usize,
    output: Vec<String>,
}

/// The words of a command line with double quotes and `\` line continuations.
fn words(text: &str) -> Vec<String> {
    let joined = text.replace("\\\n", " ");
    let (mut out, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in joined.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            _ => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// The `$ dipgraph ...` examples of every ```console block of `lines`, block by block.
fn examples(lines: &[String]) -> Vec<Vec<Example>> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "```console" {
            i += 1;
            continue;
        }
        i += 1;
        let mut block: Vec<Example> = Vec::new();
        while i < lines.len() && lines[i].trim() != "```" {
            if let Some(first) = lines[i].strip_prefix("$ ") {
                let mut command = vec![first.to_string()];
                while command.last().is_some_and(|l| l.ends_with('\\')) && i + 1 < lines.len() {
                    i += 1;
                    command.push(lines[i].clone());
                }
                block.push(Example {
                    command,
                    output_at: i + 1,
                    output: Vec::new(),
                });
            } else if let Some(e) = block.last_mut() {
                e.output.push(lines[i].clone());
            }
            i += 1;
        }
        let ours =
            |e: &Example| e.command[0].starts_with("dipgraph ") || e.command[0].starts_with("git ");
        if block.iter().all(ours) && block.iter().any(|e| e.command[0].starts_with("dipgraph ")) {
            blocks.push(block);
        }
        i += 1;
    }
    blocks
}

/// Every console example in `docs/` that runs dipgraph (but `queries.md`, which trycmd runs
/// with the README) runs as written, on a copy of the bundled data and queries made for its
/// block, and prints what the doc shows (stdout, then stderr). A block may run git too (to
/// show `changes`): with a fixed identity and date, and none of the user's configuration, so
/// that its commits are the same on every machine. `DIPGRAPH_BLESS_DOCS=1` writes what they
/// print into the docs instead.
#[test]
fn console_examples_in_the_docs_print_what_the_docs_show() {
    let bless = std::env::var_os("DIPGRAPH_BLESS_DOCS").is_some();
    let mut checked = 0;
    let mut wrong = Vec::new();
    let mut docs: Vec<_> = std::fs::read_dir(root().join("docs"))
        .expect("docs/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| !p.ends_with("queries.md"))
        .collect();
    docs.sort();
    for doc in docs {
        let text = std::fs::read_to_string(&doc).expect("readable");
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut edits: Vec<(usize, usize, Vec<String>)> = Vec::new();
        for block in examples(&lines) {
            let dir = tempfile::tempdir().expect("tmp");
            copy_tree(&root().join("graph"), &dir.path().join("graph"));
            copy_tree(&root().join("queries"), &dir.path().join("queries"));
            for e in block {
                let w = words(&e.command.join("\n"));
                let program = match w[0].as_str() {
                    "git" => "git",
                    _ => env!("CARGO_BIN_EXE_dipgraph"),
                };
                let o = std::process::Command::new(program)
                    .args(&w[1..])
                    .current_dir(dir.path())
                    .env("GIT_CONFIG_NOSYSTEM", "1")
                    .env("GIT_CONFIG_GLOBAL", "/dev/null")
                    .env("GIT_AUTHOR_NAME", "A Curator")
                    .env("GIT_AUTHOR_EMAIL", "curator@example.org")
                    .env("GIT_COMMITTER_NAME", "A Curator")
                    .env("GIT_COMMITTER_EMAIL", "curator@example.org")
                    .env("GIT_AUTHOR_DATE", "2026-06-01T12:00:00Z")
                    .env("GIT_COMMITTER_DATE", "2026-06-01T12:00:00Z")
                    .env_remove("GIT_DIR")
                    .env_remove("GIT_WORK_TREE")
                    .env_remove("GIT_INDEX_FILE")
                    .env("DIPGRAPH_TODAY", "2021-03-15")
                    .env("DIPGRAPH_CACHE_DIR", dir.path().join(".cache"))
                    .env_remove("DIPGRAPH_DATA")
                    .output()
                    .expect("dipgraph runs");
                let printed = format!(
                    "{}{}",
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                );
                let got: Vec<String> = printed.lines().map(str::to_string).collect();
                checked += 1;
                if got != e.output {
                    if bless {
                        edits.push((e.output_at, e.output.len(), got));
                    } else {
                        wrong.push(format!(
                            "{}: `{}`\n--- the doc shows\n{}\n--- it prints\n{}",
                            doc.display(),
                            e.command.join(" "),
                            e.output.join("\n"),
                            got.join("\n")
                        ));
                    }
                }
            }
        }
        if bless && !edits.is_empty() {
            for (at, len, got) in edits.into_iter().rev() {
                lines.splice(at..at + len, got);
            }
            std::fs::write(&doc, lines.join("\n") + "\n").expect("write");
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    assert!(checked >= 3, "console examples checked: {checked}");
}
