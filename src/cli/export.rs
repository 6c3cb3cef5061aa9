//! `dipgraph export dot|json|csv|graphml [--on D | --all | --diff D1 D2] [--focus ID --depth N]
//! [--kinds ...] [--from D --to D] [-o FILE]`: a diagram of the entities and facts chosen, for
//! Graphviz, d3 or Cytoscape, a spreadsheet, Gephi or yEd.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use dipgraph::graph::LinkKind;
use dipgraph::load::atomic;
use dipgraph::load::git::Commit;
use dipgraph::model::Date;
use dipgraph::query::export::{self, Drawn, ExportOptions, Parallel, Plan, Scope};
use dipgraph::render;
use dipgraph::store::Store;

use super::{Context, Failure, parse_date};

fn parse_kind(s: &str) -> Result<LinkKind, String> {
    s.parse()
}

/// Which entities and facts a diagram shows: shared by `export` and `render`.
#[derive(Debug, Clone, clap::Args)]
pub struct Filters {
    /// What held on this date: YYYY, YYYY-MM or YYYY-MM-DD (default: today). A year or a
    /// month means any day of it: what held on only some of its days is drawn "possible".
    #[arg(long, value_name = "DATE", value_parser = parse_date, conflicts_with_all = ["all", "diff"])]
    pub on: Option<Date>,
    /// Every fact at any date.
    #[arg(long, conflicts_with = "diff")]
    pub all: bool,
    /// What changed from D1 to D2: facts that started, ended or stayed, and the statements and
    /// events in between.
    #[arg(long, num_args = 2, value_names = ["D1", "D2"], value_parser = parse_date)]
    pub diff: Option<Vec<Date>>,
    /// Only what lies around this entity (an id, a name or an alias).
    #[arg(long, value_name = "ID")]
    pub focus: Option<String>,
    /// How many hops from --focus [default: 1].
    #[arg(long, value_name = "N", requires = "focus")]
    pub depth: Option<u16>,
    /// Only these kinds of fact: alliance, treaty, sanction, membership, statement, role,
    /// event (comma-separated; default: all).
    #[arg(long, value_name = "KINDS", value_delimiter = ',', value_parser = parse_kind)]
    pub kinds: Vec<LinkKind>,
    /// Statements and events from this date (default: those of the date asked about).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<Date>,
    /// Statements and events up to this date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<Date>,
    /// Draw each fact as its own line, labelled with its id, instead of one line with a count
    /// per kind between two entities.
    #[arg(long)]
    pub each: bool,
    /// Draw memberships as lines, never organizations as boxes around their members.
    #[arg(long)]
    pub no_clusters: bool,
    /// Draw a line per pair of parties for every treaty and event, never a hub (a node of
    /// its own linked to each party) for those of four entities or more.
    #[arg(long)]
    pub no_hubs: bool,
}

impl Filters {
    /// Checks the filters before any data is read.
    pub fn check(&self, cx: &Context) -> Result<(), Failure> {
        self.scope(cx)?;
        if let (Some(f), Some(t)) = (self.from, self.to)
            && f.first() > t.last()
        {
            return Err(Failure::Usage(format!(
                "--from {f} is after --to {t}: give the earlier date first"
            )));
        }
        Ok(())
    }

    /// Answers which entities and facts the diagram shows, from `store`; `clusters` says
    /// whether organizations may be drawn as clusters of their members. The title says which
    /// commit the data was read from, when it was.
    pub fn plan(&self, cx: &Context, store: &dyn Store, clusters: bool) -> Result<Plan, Failure> {
        let scope = self.scope(cx)?;
        let focus = match &self.focus {
            Some(text) => Some(cx.entity(store, text)?),
            None => None,
        };
        let mut plan = Plan::build(store, &self.options(scope, focus, clusters))?;
        if let Some(note) = cx.recorded_in_title() {
            plan.add_to_title(&note);
        }
        Ok(plan)
    }

    /// The options of these filters, with the focus resolved.
    pub fn options(&self, scope: Scope, focus: Option<usize>, clusters: bool) -> ExportOptions {
        let mut kinds = self.kinds.clone();
        kinds.dedup();
        ExportOptions {
            scope,
            focus,
            depth: usize::from(self.depth.unwrap_or(1)),
            kinds,
            points_from: self.from,
            points_to: self.to,
            parallel: if self.each {
                Parallel::Each
            } else {
                Parallel::Merge
            },
            clusters: clusters && !self.no_clusters,
            hubs: (!self.no_hubs).then_some(export::HUB_MIN),
        }
    }

    /// Which dates the diagram is about.
    fn scope(&self, cx: &Context) -> Result<Scope, Failure> {
        Ok(match (&self.diff, self.all) {
            (Some(d), _) => {
                let (from, to) = (d[0], d[1]);
                super::diff::check_window("--diff", from, to)?;
                Scope::Diff { from, to }
            }
            (None, true) => Scope::All,
            (None, false) => Scope::On { on: cx.on(self.on) },
        })
    }
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Graphviz DOT.
    Dot,
    /// Nodes and links, for d3 or Cytoscape.
    Json,
    /// An edge list: one row per fact and pair of entities.
    Csv,
    /// GraphML, for Gephi or yEd.
    Graphml,
    /// A Parquet dataset, a folder (`-o DIR`), for DuckDB, Spark or Trino (docs/scale-out.md).
    Parquet,
}

/// Flags of `export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The format.
    #[arg(value_enum, id = "export_format", value_name = "FORMAT")]
    pub format: ExportFormat,
    #[command(flatten)]
    pub filters: Filters,
    /// Write to this file instead of standard output (replaced whole, never half-written); for
    /// parquet, the folder to write.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Writes the diagram of `plan` in `format` to `out`; JSON names the commit the data was read
/// from (`recorded`).
fn write(
    format: ExportFormat,
    plan: &Plan,
    recorded: Option<&Commit>,
    cells: render::csv::Cells,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        ExportFormat::Dot => render::dot::write_dot(out, &Drawn::of(plan)),
        ExportFormat::Json => Ok(render::export_json::write_json(out, plan, recorded)?),
        ExportFormat::Csv => render::edges_csv::write_csv(out, plan, cells).map_err(|e| {
            // An output error as itself (a closed pipe ends quietly).
            match e.into_kind() {
                csv::ErrorKind::Io(io) => io,
                other => std::io::Error::other(format!("cannot write CSV: {other:?}")),
            }
        }),
        ExportFormat::Graphml => render::graphml::write_graphml(out, plan),
        // Written by `export_parquet`, never here.
        ExportFormat::Parquet => Ok(()),
    }
}

/// Runs `export`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    if args.format == ExportFormat::Parquet {
        return super::export_parquet::run(cx, args);
    }
    args.filters.check(cx)?;
    cx.with_store(|store| {
        let plan = args.filters.plan(cx, store, true)?;
        match &args.output {
            Some(path) => write_atomic(path, |out| {
                write(args.format, &plan, cx.recorded(), cx.csv_cells(), out)
            }),
            None => {
                let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
                write(args.format, &plan, cx.recorded(), cx.csv_cells(), &mut out)
                    .and_then(|()| out.flush())
                    .map_err(Failure::Io)
            }
        }
    })
}

/// Writes `path` whole or not at all (see `load::atomic`).
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    if path.file_name().is_none() {
        return Err(Failure::Usage(format!(
            "`{}` is not a file name",
            path.display()
        )));
    }
    atomic::write_with(path, |file| {
        let mut out = BufWriter::with_capacity(1 << 16, file);
        write(&mut out)?;
        out.flush()
    })
    .map_err(|e| Failure::Usage(format!("cannot write `{}`: {e}", path.display())))
}
