//! Docs and fixtures keep step with the code: every diagnostic code has a section in
//! `docs/diagnostics.md` and a pinned fixture case `tests/cmd/diag-<CODE>.toml`.

use std::path::Path;

use dipgraph::diag::Code;

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
