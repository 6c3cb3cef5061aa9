//! The command line: the only place with clap, stdout/stderr, the environment and exit codes.
//! One file per command; each turns its flags into plain options and makes one call into the
//! library.

mod add;
mod allies;
mod ask;
mod cache;
mod check;
mod context;
mod diff;
mod export;
mod fmt;
mod import;
mod path;
mod progress;
mod query;
mod relations;
mod render;
mod sanctions;
mod saved;
mod show;
mod statements;
mod stats;
mod synth;
mod timeline;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use dipgraph::model::Date;

pub use context::{Context, Failure};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for a terminal.
    Table,
    /// One JSON object: {"query", "on", "results"}.
    Json,
    /// CSV of the main table.
    Csv,
}

/// Parses a date strictly, for clap.
pub fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).map_err(|e| format!("`{s}` is not a date: {e}"))
}

/// Keep and question a diplomatic-relations knowledge graph.
#[derive(Debug, Parser)]
#[command(name = "dipgraph", version, about, long_about = None)]
struct Cli {
    /// The data folder (default: ./graph when it exists, else the dataset built into dipgraph).
    #[arg(long, global = true, value_name = "DIR", env = "DIPGRAPH_DATA")]
    data: Option<PathBuf>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Pin "today" (the default for --on), for reproducible runs.
    #[arg(long, global = true, value_name = "DATE", env = "DIPGRAPH_TODAY", value_parser = parse_date)]
    today: Option<Date>,
    /// Read every file, neither reading nor writing the cache kept for large data folders
    /// (large data is still checked and indexed file by file, in memory, and let go).
    #[arg(long, global = true)]
    no_cache: bool,
    /// Write CSV cells exactly as they are: by default a cell that begins with `=`, `+`, `-`,
    /// `@`, a tab or a carriage return gets a `'` in front, so that a spreadsheet shows it
    /// instead of running it as a formula.
    #[arg(long, global = true)]
    csv_raw: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every file; report all problems at once; exit 1 on errors.
    Validate(validate::Args),
    /// One entity or fact, with everything tied to it.
    Show(show::Args),
    /// Counts by kind, and the range of dates covered.
    Stats(stats::Args),
    /// The states allied with one, on a date, and the treaties that make them allies.
    Allies(allies::Args),
    /// Sanctions in force on a date, by sender and target.
    Sanctions(sanctions::Args),
    /// The timeline of every fact tying two entities.
    Relations(relations::Args),
    /// Every start, end and point fact of one entity.
    Timeline(timeline::Args),
    /// Statements, by speaker, subject and date.
    Statements(statements::Args),
    /// The shortest chain of facts in force on a date linking two entities.
    Path(path::Args),
    /// What started, ended or happened between two dates.
    Diff(diff::Args),
    /// Answer saved queries.
    Query(query::Args),
    /// Run every saved query in queries/ and test its expectations.
    Check(check::Args),
    /// A diagram as DOT, JSON, CSV or GraphML.
    Export(export::Args),
    /// A diagram as an SVG or PNG picture, with or without Graphviz.
    Render(render::Args),
    /// Lay out data and query files canonically, keeping every comment.
    Fmt(fmt::Args),
    /// Add one record from flags, checked against the whole dataset, into the right file.
    Add(Box<add::Args>),
    /// Write a synthetic world (for benchmarks and demos), deterministic for a seed.
    Synth(synth::Args),
    /// Import a public data set (COW, OpenSanctions, GDELT) into a file of its own.
    Import(import::Args),
    /// The caches kept for large data: list them, clean them, verify one.
    Cache(cache::Args),
}

/// Runs the command line and returns the exit code: 0 success, 1 data errors, 2 usage or I/O.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            // Help and version go to stdout, errors to stderr; a closed pipe is not an error.
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let mut cx = Context::new(cli.data, cli.format, cli.today);
    cx.use_cache = !cli.no_cache;
    cx.csv_raw = cli.csv_raw;
    let result = match &cli.command {
        Command::Validate(a) => validate::run(&cx, a),
        Command::Show(a) => show::run(&cx, a),
        Command::Stats(a) => stats::run(&cx, a),
        Command::Allies(a) => allies::run(&cx, a),
        Command::Sanctions(a) => sanctions::run(&cx, a),
        Command::Relations(a) => relations::run(&cx, a),
        Command::Timeline(a) => timeline::run(&cx, a),
        Command::Statements(a) => statements::run(&cx, a),
        Command::Path(a) => path::run(&cx, a),
        Command::Diff(a) => diff::run(&cx, a),
        Command::Query(a) => query::run(&cx, a),
        Command::Check(a) => check::run(&cx, a),
        Command::Export(a) => export::run(&cx, a),
        Command::Render(a) => render::run(&cx, a),
        Command::Fmt(a) => fmt::run(&cx, a),
        Command::Add(a) => add::run(&cx, a),
        Command::Synth(a) => synth::run(&cx, a),
        Command::Import(a) => import::run(&cx, a),
        Command::Cache(a) => cache::run(&cx, a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => f.report(),
    }
}
