//! `dipgraph sql QUESTION [--parquet DIR] [--dialect duckdb|spark|trino]`: a question as
//! standard SQL over the tables of `export parquet`, for an engine to answer with the same
//! rows and certainty as dipgraph (see `docs/scale-out.md`).

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

use dipgraph::model::{Date, Target};
use dipgraph::query::sql::{self, Dialect, SanctionsSql, Tables};
use dipgraph::render::views;

use super::relations::same_entity;
use super::timeline::check_period;
use super::{Context, Failure, parse_date};

/// The engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// DuckDB.
    Duckdb,
    /// Spark SQL.
    Spark,
    /// Trino or Athena.
    Trino,
}

/// Flags of `sql`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The question.
    #[command(subcommand)]
    pub question: Question,
    /// Read the Parquet export in this folder directly (DuckDB's read_parquet, Spark's
    /// parquet.`DIR`); without it, the SQL reads tables named entities, facts, ties,
    /// readings and sources.
    #[arg(long, value_name = "DIR", global = true)]
    pub parquet: Option<PathBuf>,
    /// The engine, where they differ.
    #[arg(long, value_enum, default_value = "duckdb", global = true)]
    pub dialect: Engine,
}

/// The questions SQL can ask.
#[derive(Debug, Subcommand)]
pub enum Question {
    /// Fellow parties to an alliance-kind treaty on a date.
    Allies {
        /// The state (id, name or alias).
        id: String,
        /// The date (default: today).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        on: Option<Date>,
    },
    /// Sanctions in force on a date.
    Sanctions {
        /// Only sanctions naming this entity.
        #[arg(long, value_name = "ID")]
        against: Option<String>,
        /// With --against: also sanctions on people and organizations tied to it.
        #[arg(long, requires = "against")]
        tied: bool,
        /// Only sanctions by this sender.
        #[arg(long, value_name = "ID")]
        by: Option<String>,
        /// The date (default: today).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        on: Option<Date>,
    },
    /// The facts tied to an entity that held on a date, or whether a fact and its parties held.
    Show {
        /// The entity (id, name or alias) or fact (id).
        id: String,
        /// The date (default: today).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        on: Option<Date>,
    },
    /// What started, ended or happened after D1 and up to D2.
    Diff {
        /// The earlier date.
        #[arg(value_name = "D1", value_parser = parse_date)]
        d1: Date,
        /// The later date.
        #[arg(value_name = "D2", value_parser = parse_date)]
        d2: Date,
        /// Only facts tied to this entity (an id, a name or an alias).
        #[arg(long, value_name = "ID")]
        around: Option<String>,
    },
    /// The timeline of what ties two entities: each start, point and end, within a period.
    Relations {
        /// One entity (id, name or alias).
        a: String,
        /// The other entity.
        b: String,
        /// Only changes on or after this date (one only partly after it is possible).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        from: Option<Date>,
        /// Only changes on or before this date (inclusive: `--to 2021` is through 2021-12-31).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        to: Option<Date>,
    },
}

/// Runs `sql`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let dialect = match args.dialect {
        Engine::Duckdb => Dialect::DuckDb,
        Engine::Spark => Dialect::Spark,
        Engine::Trino => Dialect::Trino,
    };
    if dialect == Dialect::Trino && args.parquet.is_some() {
        return Err(Failure::Usage(
            "Trino reads tables, not folders: register the export's folders as tables \
             (docs/scale-out.md shows how) and leave out --parquet"
                .into(),
        ));
    }
    let parquet = match &args.parquet {
        None => None,
        Some(dir) => {
            if !dir.join("facts").is_dir() {
                return Err(Failure::Usage(format!(
                    "`{}` holds no Parquet export (no `facts` folder): write one with `dipgraph export parquet --all -o {}`",
                    dir.display(),
                    dir.display()
                )));
            }
            Some(dir.to_string_lossy().into_owned())
        }
    };
    let tables = Tables { dialect, parquet };
    if let Question::Relations { from, to, .. } = &args.question {
        check_period(*from, *to)?;
    }
    if let Question::Diff { d1, d2, .. } = &args.question {
        super::diff::check_window("diff", *d1, *d2)?;
    }
    cx.with_store(|store| {
        let id = |text: &str| -> Result<String, Failure> {
            Ok(store.entity_at(cx.entity(store, text)?).id.clone())
        };
        let text = match &args.question {
            Question::Allies { id: of, on } => sql::allies(&tables, &id(of)?, cx.on(*on)),
            Question::Sanctions {
                against,
                tied,
                by,
                on,
            } => {
                let q = SanctionsSql {
                    against: against.as_deref().map(id).transpose()?,
                    tied: *tied,
                    by: by.as_deref().map(id).transpose()?,
                    on: cx.on(*on),
                };
                sql::sanctions(&tables, &q)
            }
            Question::Show { id: of, on } => match cx.record(store, of)? {
                Target::Entity(e) => sql::show(&tables, &store.entity_at(e).id, cx.on(*on)),
                Target::Fact(n) => sql::show_fact(&tables, &store.fact(n)?.id, cx.on(*on)),
            },
            Question::Diff { d1, d2, around } => {
                let around = around.as_deref().map(id).transpose()?;
                sql::diff(&tables, *d1, *d2, around.as_deref())
            }
            Question::Relations { a, b, from, to } => {
                let (ea, eb) = (cx.entity(store, a)?, cx.entity(store, b)?);
                if ea == eb {
                    return Err(same_entity(a, b, &views::named(store.entity_at(ea))));
                }
                let (a, b) = (&store.entity_at(ea).id, &store.entity_at(eb).id);
                sql::relations(&tables, a, b, *from, *to)
            }
        };
        cx.out(&text)
    })
}
