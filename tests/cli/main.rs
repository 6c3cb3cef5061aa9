//! The command line, end to end: pinned fixture cases (`tests/cmd/`), hostile files, and the
//! bundled dataset.

mod browser;
mod dataset;
mod diagrams;
mod docs;
mod engines;
mod file_by_file;
mod hardening;
mod help;
mod history;
mod hostile;
mod import;
mod layout;
mod maintain;
mod scale;
mod stores;
mod support;

/// Every case in `tests/cmd/`: a `NAME.toml` (arguments, exit code), its input folder
/// `NAME.in/` (the working directory, usually holding `graph/`), and the expected
/// `NAME.stdout` / `NAME.stderr`. Bless changed output with `TRYCMD=overwrite cargo test`.
#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("DIPGRAPH_TODAY", "2021-03-15")
        .env("DIPGRAPH_CACHE_DIR", support::cache_dir().to_string_lossy())
        .case("tests/cmd/*.toml")
        .case("docs/queries.md")
        .case("README.md");
}
