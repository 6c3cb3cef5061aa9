//! The command line: the only place with clap, stdout/stderr, the environment and exit codes.
//! One file per command; each turns its flags into plain options and makes one call into the
//! library.

mod add;
mod allies;
mod ask;
mod cache;
mod changes;
mod check;
mod completions;
mod context;
mod diff;
mod examples;
mod export;
mod export_parquet;
mod fmt;
mod import;
mod options;
mod path;
mod progress;
mod query;
mod relations;
mod render;
mod sanctions;
mod saved;
mod show;
mod sql;
mod statements;
mod stats;
mod synth;
mod timeline;
mod validate;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

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
    /// Markdown: headings and tables, for a pull request's comment or a report.
    Markdown,
}

/// Parses a date strictly, for clap.
pub fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).map_err(|e| format!("`{s}` is not a date: {e}"))
}

/// Keep and question a diplomatic-relations knowledge graph.
#[derive(Debug, Parser)]
#[command(name = "dipgraph", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every file; report all problems at once; exit 1 on errors.
    #[command(after_help = examples::VALIDATE)]
    Validate(validate::Args),
    /// One entity or fact, with everything tied to it.
    #[command(after_help = examples::SHOW)]
    Show(show::Args),
    /// Counts by kind, and the range of dates covered.
    #[command(after_help = examples::STATS)]
    Stats(stats::Args),
    /// The states allied with one, on a date, and the treaties that make them allies.
    #[command(after_help = examples::ALLIES)]
    Allies(allies::Args),
    /// Sanctions in force on a date, by sender and target.
    #[command(after_help = examples::SANCTIONS)]
    Sanctions(sanctions::Args),
    /// The timeline of every fact tying two entities.
    #[command(after_help = examples::RELATIONS)]
    Relations(relations::Args),
    /// Every start, end and point fact of one entity.
    #[command(after_help = examples::TIMELINE)]
    Timeline(timeline::Args),
    /// Statements, by speaker, subject and date.
    #[command(after_help = examples::STATEMENTS)]
    Statements(statements::Args),
    /// The shortest chain of facts in force on a date linking two entities.
    #[command(after_help = examples::PATH)]
    Path(path::Args),
    /// What started, ended or happened between two dates.
    #[command(after_help = examples::DIFF)]
    Diff(diff::Args),
    /// What one version of the data changes in another (git revisions, or the work tree).
    #[command(after_help = examples::CHANGES)]
    Changes(changes::Args),
    /// Answer saved queries.
    #[command(after_help = examples::QUERY)]
    Query(query::Args),
    /// Run every saved query in queries/ and test its expectations.
    #[command(after_help = examples::CHECK)]
    Check(check::Args),
    /// A diagram as DOT, JSON, CSV or GraphML.
    #[command(after_help = examples::EXPORT)]
    Export(export::Args),
    /// A question as SQL over the Parquet export, for DuckDB, Spark or Trino.
    #[command(after_help = examples::SQL)]
    Sql(sql::Args),
    /// A diagram as an SVG or PNG picture, with or without Graphviz.
    #[command(after_help = examples::RENDER)]
    Render(render::Args),
    /// Lay out data and query files canonically, keeping every comment.
    #[command(after_help = examples::FMT)]
    Fmt(fmt::Args),
    /// Add one record from flags, checked against the whole dataset, into the right file.
    #[command(after_help = examples::ADD)]
    Add(Box<add::Args>),
    /// Write a synthetic world (for benchmarks and demos), deterministic for a seed.
    #[command(after_help = examples::SYNTH)]
    Synth(synth::Args),
    /// Import a public data set (COW, OpenSanctions, GDELT) into a file of its own.
    #[command(after_help = examples::IMPORT)]
    Import(import::Args),
    /// Shell completions for bash, zsh, fish, PowerShell or elvish.
    Completions(completions::Args),
    /// The manual page, in roff (`dipgraph man | man -l -`).
    Man(completions::ManArgs),
    /// The caches kept for large data: list them, clean them, verify one.
    #[command(after_help = examples::CACHE)]
    Cache(cache::Args),
}

/// The command line as parsed: the commands, their flags, and the global options where they
/// are read.
pub fn command() -> clap::Command {
    options::added(Cli::command())
}

/// Runs the command line and returns the exit code: 0 success, 1 data errors, 2 usage or I/O.
pub fn run() -> ExitCode {
    let parsed = command().try_get_matches().and_then(|m| {
        let name = m.subcommand_name().unwrap_or_default().to_string();
        Ok((Cli::from_arg_matches(&m)?, options::Options::of(&m), name))
    });
    let (cli, options, name) = match parsed {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            // Help and version go to stdout, errors to stderr; a closed pipe is not an error.
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if options.as_recorded.is_some()
        && !options::read_by(&name).contains(&options::Global::AsRecorded)
    {
        // Given before the command, to one that cannot read the data at a revision: refused
        // rather than ignored (`fmt` would otherwise work on the work tree).
        let how = if name == "changes" {
            "; `changes` names the revisions it compares itself: `changes REV1..REV2`"
        } else {
            ""
        };
        return Failure::Usage(format!(
            "`{name}` does not take --as-recorded: only questions, exports, pictures, `check`, `validate` and `cache verify` read the data as a revision recorded it{how}"
        ))
        .report();
    }
    let mut cx = Context::new(options.data, options.format, options.today);
    cx.use_cache = !options.no_cache;
    cx.wide = options.wide;
    if let Some(rev) = &options.as_recorded {
        cx.as_recorded(rev);
    }
    cx.csv_raw = options.csv_raw;
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
        Command::Changes(a) => changes::run(&cx, a),
        Command::Query(a) => query::run(&cx, a),
        Command::Check(a) => check::run(&cx, a),
        Command::Export(a) => export::run(&cx, a),
        Command::Render(a) => render::run(&cx, a),
        Command::Sql(a) => sql::run(&cx, a),
        Command::Fmt(a) => fmt::run(&cx, a),
        Command::Add(a) => add::run(&cx, a),
        Command::Synth(a) => synth::run(&cx, a),
        Command::Import(a) => import::run(&cx, a),
        Command::Completions(a) => completions::run(&cx, a),
        Command::Man(a) => completions::man(&cx, a),
        Command::Cache(a) => cache::run(&cx, a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => f.report(),
    }
}
