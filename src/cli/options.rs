//! The global options (`--data`, `--as-recorded`, `--format`, `--today`, `--no-cache`,
//! `--wide`, `--csv-raw`): defined once, listed under their own heading, and given to each
//! command only where it reads them (so `validate --help` does not offer `--today`). Each is
//! taken before the command or after it; after it wins.

use std::path::PathBuf;

use clap::builder::EnumValueParser;
use clap::{Arg, ArgAction, ArgMatches, Command};

use dipgraph::model::Date;

use super::{Format, parse_date};

/// The heading the global options are listed under.
pub const HEADING: &str = "Global options";

/// One global option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Global {
    /// `--data DIR`.
    Data,
    /// `--as-recorded REV`.
    AsRecorded,
    /// `--format table|json|csv`.
    Format,
    /// `--today DATE`.
    Today,
    /// `--no-cache`.
    NoCache,
    /// `--wide`.
    Wide,
    /// `--csv-raw`.
    CsvRaw,
}

use Global::{AsRecorded, CsvRaw, Data, Format as Fmt, NoCache, Today, Wide};

/// Every global option, in the order help lists them.
pub const ALL: [Global; 7] = [Data, AsRecorded, Fmt, Today, NoCache, Wide, CsvRaw];

impl Global {
    /// The option's id in the parsed command line.
    fn id(self) -> &'static str {
        match self {
            Data => "data",
            AsRecorded => "as_recorded",
            Fmt => "format",
            Today => "today",
            NoCache => "no_cache",
            Wide => "wide",
            CsvRaw => "csv_raw",
        }
    }

    /// The option, for the top level or a command.
    fn arg(self) -> Arg {
        let arg = Arg::new(self.id()).help_heading(HEADING);
        match self {
            Data => arg
                .long("data")
                .value_name("DIR")
                .env("DIPGRAPH_DATA")
                .value_parser(clap::value_parser!(PathBuf))
                .help("The data folder (default: ./graph when it exists, else the dataset built into dipgraph)"),
            AsRecorded => arg
                .long("as-recorded")
                .value_name("REV")
                .help("Answer from the data as git revision REV recorded it (a commit, tag, branch, HEAD~3, or @{2026-06-01}: the revision in force that day)")
                .long_help("Answer from the data as git revision REV recorded it: the data folder (and queries/) read from the repository at that commit, without a checkout. REV is a commit, tag, branch or HEAD~3; REV@{DATE} (or @{DATE}, on the current branch) is the last commit of REV's first-parent history made by the end of DATE, UTC: the revision in force that day. The answer names the commit and its date."),
            Fmt => arg
                .long("format")
                .value_name("FORMAT")
                .value_parser(EnumValueParser::<Format>::new())
                .default_value("table")
                .help("Output format"),
            Today => arg
                .long("today")
                .value_name("DATE")
                .env("DIPGRAPH_TODAY")
                .value_parser(parse_date)
                .help("Pin \"today\" (the default for --on), for reproducible runs"),
            NoCache => arg
                .long("no-cache")
                .action(ArgAction::SetTrue)
                .help("Read every file, neither reading nor writing the cache kept for large data folders")
                .long_help("Read every file, neither reading nor writing the cache kept for large data folders (large data is still checked and indexed file by file, in memory, and let go)"),
            Wide => arg
                .long("wide")
                .action(ArgAction::SetTrue)
                .help("Tables keep every column whole, however wide")
                .long_help("Tables keep every column whole, however wide (on a terminal they are narrowed to fit it, their free-text columns cut with `…`; piped, they are always whole)"),
            CsvRaw => arg
                .long("csv-raw")
                .action(ArgAction::SetTrue)
                .help("Write CSV cells exactly, not guarded against spreadsheet formulas")
                .long_help("Write CSV cells exactly as they are: by default a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` in front, so that a spreadsheet shows it instead of running it as a formula"),
        }
    }
}

/// The global options `command` reads; the others are not offered to it.
pub fn read_by(command: &str) -> &'static [Global] {
    match command {
        "allies" | "sanctions" | "path" | "query" | "check" => &ALL,
        "show" | "stats" | "relations" | "timeline" | "statements" | "diff" => {
            &[Data, AsRecorded, Fmt, NoCache, Wide, CsvRaw]
        }
        "validate" => &[Data, AsRecorded, Fmt, NoCache, CsvRaw],
        "export" => &[Data, AsRecorded, Today, NoCache, CsvRaw],
        "render" => &[Data, AsRecorded, Today, NoCache],
        "changes" => &[Data, Fmt, NoCache, Wide, CsvRaw],
        "sql" => &[Data, AsRecorded, Today, NoCache],
        "import" => &[Data, Fmt],
        "cache" => &[Data, AsRecorded, Fmt, Wide, CsvRaw],
        "fmt" | "add" => &[Data],
        _ => &[],
    }
}

/// `cli` with the global options: every one on the top level, and on each command the ones it
/// reads.
pub fn added(cli: Command) -> Command {
    let names: Vec<String> = cli
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let cli = ALL.iter().fold(cli, |c, g| c.arg(g.arg()));
    names.iter().fold(cli, |cli, name| {
        cli.mut_subcommand(name, |sub| {
            // Global within the command: taken after its own subcommands too (`add sanction`).
            read_by(name)
                .iter()
                .fold(sub, |s, g| s.arg(g.arg().global(true)))
        })
    })
}

/// The global options as given, after the command or before it.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--data`.
    pub data: Option<PathBuf>,
    /// `--as-recorded`.
    pub as_recorded: Option<String>,
    /// `--format` (default: table).
    pub format: Format,
    /// `--today`.
    pub today: Option<Date>,
    /// `--no-cache`.
    pub no_cache: bool,
    /// `--wide`.
    pub wide: bool,
    /// `--csv-raw`.
    pub csv_raw: bool,
}

impl Options {
    /// The options in `top` (the whole command line) and its command's matches.
    pub fn of(top: &ArgMatches) -> Options {
        let sub = top.subcommand().map(|(_, m)| m);
        // A value given explicitly after the command wins; one from the environment or given
        // before the command otherwise.
        let given = |m: &ArgMatches, id: &str| {
            m.try_contains_id(id).unwrap_or(false)
                && m.value_source(id) == Some(clap::parser::ValueSource::CommandLine)
        };
        // Otherwise the top level's: its value from the environment, or none.
        let pick = |id: &str| sub.filter(|s| given(s, id)).unwrap_or(top);
        let flag = |id: &str| {
            [sub, Some(top)]
                .into_iter()
                .flatten()
                .any(|m| m.try_get_one::<bool>(id).ok().flatten() == Some(&true))
        };
        Options {
            data: pick("data").get_one::<PathBuf>("data").cloned(),
            as_recorded: pick("as_recorded")
                .get_one::<String>("as_recorded")
                .cloned(),
            format: pick("format")
                .get_one::<Format>("format")
                .copied()
                .unwrap_or(Format::Table),
            today: pick("today").get_one::<Date>("today").copied(),
            no_cache: flag("no_cache"),
            wide: flag("wide"),
            csv_raw: flag("csv_raw"),
        }
    }
}
