//! `dipgraph import SOURCE FILE [--into DIR] [--dry-run] [--skip-bad-rows] [--known-states]`: a
//! public data set into a file of its own (`<data>/imported/<source>.ron`, or a folder of files
//! for a large one), matched with the entities the data already has, validated with the rest of
//! the data before anything is written. FILE may be compressed (gzip, zstd, zip) or `-` for
//! standard input.

use std::path::PathBuf;

use clap::ValueEnum;

use dipgraph::diag::escape::one_line;
use dipgraph::import::{
    self, GdeltFilter, ImportError, OnBadRows, Options, Progress, Reading, Source, Summary,
};
use dipgraph::load::DataSource;
use dipgraph::model::Date;

use super::progress::Bar;
use super::{Context, Failure, Format, parse_date};

/// The data sets, as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourceArg {
    /// COW State System Membership List (states2016.csv).
    CowStates,
    /// COW Formal Alliances by member (alliance_v4.1_by_member.csv).
    CowAlliances,
    /// OpenSanctions FollowTheMoney entities (JSON lines).
    Opensanctions,
    /// GDELT 2.0 events (CSV with a header, or GDELT's tab-separated export).
    Gdelt,
}

impl From<SourceArg> for Source {
    fn from(s: SourceArg) -> Source {
        match s {
            SourceArg::CowStates => Source::CowStates,
            SourceArg::CowAlliances => Source::CowAlliances,
            SourceArg::Opensanctions => Source::OpenSanctions,
            SourceArg::Gdelt => Source::Gdelt,
        }
    }
}

/// Flags of `import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The data set.
    #[arg(value_enum)]
    pub source: SourceArg,
    /// The file to read (plain, gzip, zstd, or a zip archive of one file; `-` reads standard
    /// input).
    pub file: PathBuf,
    /// The folder to write `<source>.ron` into (default: <data>/imported).
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// Read, match and validate, print what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Leave out rows that cannot be read (counted, the first few shown) and import the rest;
    /// without it, such rows stop the import before anything is written.
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// cow-alliances: keep only members that are states of the data (and alliances with two
    /// or more of them); write no new state.
    #[arg(long)]
    pub known_states: bool,
    /// gdelt: keep events with this state as an actor (ISO alpha-3; repeat for several).
    #[arg(long, value_name = "ISO3")]
    pub actor: Vec<String>,
    /// gdelt: keep events on or after this date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<Date>,
    /// gdelt: keep events on or before this date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<Date>,
    /// gdelt: keep events of this CAMEO root code, 01 to 20 (repeat for several).
    #[arg(long = "root-code", value_name = "CODE")]
    pub root_codes: Vec<String>,
    /// gdelt: keep events mentioned at least N times.
    #[arg(long, value_name = "N")]
    pub min_mentions: Option<u64>,
    /// gdelt: the CAMEO-to-PLOVER table (CAMEO2PLOVER-2021.txt), for PLOVER modes and contexts.
    #[arg(long, value_name = "FILE")]
    pub plover: Option<PathBuf>,
}

fn gdelt_filter(args: &Args) -> Result<GdeltFilter, Failure> {
    let source = Source::from(args.source);
    if source != Source::Gdelt {
        let given: Vec<&str> = [
            (!args.actor.is_empty(), "--actor"),
            (args.from.is_some(), "--from"),
            (args.to.is_some(), "--to"),
            (!args.root_codes.is_empty(), "--root-code"),
            (args.min_mentions.is_some(), "--min-mentions"),
            (args.plover.is_some(), "--plover"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, f)| *f)
        .collect();
        if !given.is_empty() {
            return Err(Failure::Usage(format!(
                "{} appl{} to `import gdelt` only",
                given.join(", "),
                if given.len() == 1 { "ies" } else { "y" }
            )));
        }
        return Ok(GdeltFilter::default());
    }
    let mut actors = Vec::new();
    for a in &args.actor {
        let code = a.trim().to_ascii_uppercase();
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Failure::Usage(format!(
                "--actor `{a}` is not an ISO 3166-1 alpha-3 code such as `BLR`"
            )));
        }
        actors.push(code);
    }
    let mut root_codes = Vec::new();
    for r in &args.root_codes {
        let n: u8 = r.trim().parse().map_err(|_| {
            Failure::Usage(format!(
                "--root-code `{r}` is not a CAMEO root code (01 to 20)"
            ))
        })?;
        if !(1..=20).contains(&n) {
            return Err(Failure::Usage(format!(
                "--root-code `{r}` is not a CAMEO root code (01 to 20)"
            )));
        }
        root_codes.push(format!("{n:02}"));
    }
    if let (Some(f), Some(t)) = (args.from, args.to)
        && t.last() < f.first()
    {
        return Err(Failure::Usage(format!("--to {t} is before --from {f}")));
    }
    Ok(GdeltFilter {
        actors,
        from: args.from,
        to: args.to,
        root_codes,
        min_mentions: args.min_mentions,
        plover: args.plover.clone(),
    })
}

/// Runs `import`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let data = match cx.source.clone().map_err(Failure::Usage)? {
        DataSource::Path(p) if p.is_dir() => p,
        DataSource::Path(p) => {
            return Err(Failure::Usage(format!(
                "`{}` is a file; import writes into a data folder (--data DIR)",
                p.display()
            )));
        }
        DataSource::Bundled | DataSource::Revision(_) => {
            return Err(Failure::Usage(
                "import writes into a data folder: run it where ./graph exists, or pass --data DIR"
                    .into(),
            ));
        }
    };
    let opts = Options {
        source: args.source.into(),
        input: args.file.clone(),
        data,
        into: args.into.clone(),
        gdelt: gdelt_filter(args)?,
        known_states: args.known_states,
    };
    let total = std::fs::metadata(&opts.input)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    let bar = Bar::import(total);
    let on_bad = if args.skip_bad_rows {
        OnBadRows::LeaveOut
    } else {
        OnBadRows::Refuse
    };
    let result = import::plan_with(&opts, on_bad, &mut |p| match p {
        Progress::Rows(r) => {
            bar.say(reading(&r));
            bar.at(r.bytes);
        }
        Progress::Stage(s) => bar.say(s),
    });
    drop(bar);
    let plan = result.map_err(failure)?;
    if !args.dry_run {
        import::write(&plan).map_err(failure)?;
    }
    let text = match cx.format {
        Format::Json => dipgraph::render::json::to_json("import", None, &[&plan.summary])
            .map_err(|e| Failure::Usage(format!("cannot write JSON: {e}")))?,
        Format::Table | Format::Csv | Format::Markdown => describe(&plan.summary, args.dry_run),
    };
    cx.out(&text)
}

/// The line over the bar: what has become of the rows read so far.
fn reading(r: &Reading<'_>) -> String {
    let left: u64 = r.left_out.values().sum();
    let mut line = format!("reading: {} rows, {} kept, {left} left out", r.rows, r.kept);
    if r.bad > 0 {
        line.push_str(&format!(", {} cannot be read", r.bad));
    }
    if !r.left_out.is_empty() {
        let why: Vec<String> = r
            .left_out
            .iter()
            .map(|(reason, n)| {
                let short = reason.split(" (").next().unwrap_or(reason);
                format!("{n} {short}")
            })
            .collect();
        line.push_str(&format!(" ({})", why.join("; ")));
    }
    line
}

fn failure(e: ImportError) -> Failure {
    match e {
        ImportError::Invalid(loaded) => {
            let mut text = super::context::for_stderr(&loaded.diagnostics, &loaded.dataset.files);
            let n = loaded.diagnostics.len();
            text.push_str(&format!(
                "error: with the imported file the data would have {n} error{}; nothing was written\n",
                if n == 1 { "" } else { "s" }
            ));
            Failure::Data(text)
        }
        other => Failure::Usage(format!("{other}\nnothing was written")),
    }
}

fn plural(kind: &str, n: usize) -> String {
    let (one, many) = match kind {
        "State" => ("state", "states"),
        "Organization" => ("organization", "organizations"),
        "Person" => ("person", "people"),
        "Membership" => ("membership", "memberships"),
        "Role" => ("role", "roles"),
        "Treaty" => ("treaty", "treaties"),
        "Sanction" => ("sanction", "sanctions"),
        "Statement" => ("statement", "statements"),
        "Event" => ("event", "events"),
        _ => ("record", "records"),
    };
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary in words.
fn describe(s: &Summary, dry_run: bool) -> String {
    let mut out = format!("{}: {} from {}\n", s.source, plural_rows(s.rows), s.input);
    let verb = if s.unchanged {
        "unchanged"
    } else if dry_run {
        "would write"
    } else {
        "wrote"
    };
    let mut kinds: Vec<String> = Vec::new();
    for k in dipgraph::import::KIND_ORDER {
        if let Some(&n) = s.written.get(k) {
            let mut t = plural(k, n);
            if k == "Treaty" {
                t.push_str(&format!(
                    " ({} part{})",
                    s.parties,
                    if s.parties == 1 { "y" } else { "ies" }
                ));
            }
            kinds.push(t);
        }
    }
    if kinds.is_empty() {
        kinds.push("no records".into());
    }
    out.push_str(&format!("{verb} {}: {}\n", s.file, kinds.join(", ")));
    let matched: usize = s.matched.values().sum();
    let mut how: Vec<String> = Vec::new();
    for (h, label) in [
        (import::merge::How::Cow, "by COW code"),
        (import::merge::How::Id, "by id"),
        (import::merge::How::Name, "by name"),
    ] {
        if let Some(n) = s.matched.get(&h) {
            how.push(format!("{n} {label}"));
        }
    }
    out.push_str(&format!(
        "entities: {} new, {matched} matched with existing ones{}\n",
        s.new_entities,
        if how.is_empty() {
            String::new()
        } else {
            format!(" ({})", how.join(", "))
        }
    ));
    if s.seen_before {
        out.push_str("this input was imported before (the same bytes, with the same filters): nothing was read\n");
    }
    if s.kept > 0 {
        out.push_str(&format!(
            "kept: {} record{} of earlier imports, as they were{}\n",
            s.kept,
            if s.kept == 1 { "" } else { "s" },
            if s.imported_before > 0 {
                format!(
                    " ({} row{} of this input among them)",
                    s.imported_before,
                    if s.imported_before == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            }
        ));
    }
    if !s.files.is_empty() {
        out.push_str(&format!(
            "files {}: {}\n",
            if dry_run { "it would write" } else { "written" },
            s.files.join(", ")
        ));
    }
    // Reasons and warnings name what the input holds: each kept to its one line.
    for (reason, n) in &s.skipped {
        out.push_str(&format!("left out: {n} ({})\n", one_line(reason)));
    }
    for w in &s.warnings {
        out.push_str(&format!("warning: {}\n", one_line(w)));
    }
    out
}

fn plural_rows(n: u64) -> String {
    format!("{n} row{} read", if n == 1 { "" } else { "s" })
}
