//! `dipgraph changes [REV1..REV2] [--around ID] [--kinds K,...] [--effects DATE...]`: what one
//! version of the data changes in another, record by record and field by field, read from
//! git; by default `HEAD` against the work tree, as `git diff` compares them.

use std::path::PathBuf;

use serde::Serialize;

use dipgraph::load::DataSource;
use dipgraph::load::git::{self, Revision};
use dipgraph::model::Date;
use dipgraph::query::changes::effects::{self, Effect};
use dipgraph::query::changes::{self, Changes, Filter, RecordChange, RecordKind};
use dipgraph::render::views;
use dipgraph::store::Store;

use super::{Context, Failure, parse_date};

/// Flags of `changes`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The versions compared: `REV1..REV2` (REV2 against REV1), `REV1...REV2` (REV2 against
    /// where it left REV1, as a pull request shows it), or `REV` (the work tree against REV).
    /// Default: the work tree against HEAD.
    #[arg(value_name = "REV1..REV2")]
    pub range: Option<String>,
    /// Only the records that are this entity or name it in either version (an id, a name or
    /// an alias).
    #[arg(long, value_name = "ID")]
    pub around: Option<String>,
    /// Only records of these kinds: state, organization, person, role, membership, treaty,
    /// sanction, statement, event, coverage (comma-separated).
    #[arg(long, value_name = "KINDS", value_delimiter = ',', value_parser = parse_kind)]
    pub kinds: Vec<RecordKind>,
    /// Also list the answers the change alters on these dates: `allies` of every state party
    /// to a treaty changed, `sanctions --against` every target of a sanction changed.
    #[arg(long, value_name = "DATE", num_args = 1.., value_parser = parse_date)]
    pub effects: Vec<Date>,
}

/// A record kind, in any case.
fn parse_kind(s: &str) -> Result<RecordKind, String> {
    RecordKind::parse(s).ok_or_else(|| {
        let all: Vec<String> = RecordKind::ALL
            .iter()
            .map(|k| k.as_str().to_lowercase())
            .collect();
        format!(
            "`{s}` is not a kind of record; the kinds are {}",
            all.join(", ")
        )
    })
}

/// One side of the comparison.
enum Side {
    /// The data folder at a commit.
    At(Box<Revision>),
    /// The data folder as it is on disk.
    WorkTree(PathBuf),
}

impl Side {
    fn source(&self) -> DataSource {
        match self {
            Side::At(r) => DataSource::Revision(r.clone()),
            Side::WorkTree(p) => DataSource::Path(p.clone()),
        }
    }

    /// `` `HEAD` (commit 3f2a1c9d0e1b (2026-05-30T14:02:11+02:00)) ``, or `the work tree`.
    fn describe(&self) -> String {
        match self {
            Side::At(r) => r.describe(),
            Side::WorkTree(_) => "the work tree".into(),
        }
    }

    fn version(&self) -> Version<'_> {
        match self {
            Side::At(r) => Version {
                revision: Some(&r.typed),
                commit: Some(&r.commit.id),
                date: Some(&r.commit.date),
                work_tree: false,
            },
            Side::WorkTree(_) => Version {
                revision: None,
                commit: None,
                date: None,
                work_tree: true,
            },
        }
    }
}

/// A side as JSON names it.
#[derive(Serialize)]
struct Version<'a> {
    revision: Option<&'a str>,
    commit: Option<&'a str>,
    date: Option<&'a str>,
    work_tree: bool,
}

/// The answer, as JSON gives it.
#[derive(Serialize)]
struct Answer<'a> {
    from: Version<'a>,
    to: Version<'a>,
    records: &'a [RecordChange],
    #[serde(skip_serializing_if = "Option::is_none")]
    effects: Option<&'a [Effect]>,
}

/// The two sides `range` names, for the data folder `folder`.
fn sides(cx: &Context, folder: &std::path::Path, range: &str) -> Result<(Side, Side), Failure> {
    let at = |rev: &str| -> Result<Side, Failure> {
        let rev = if rev.is_empty() { "HEAD" } else { rev };
        Ok(Side::At(Box::new(
            cx.revision(rev).map_err(Failure::Usage)?,
        )))
    };
    if let Some((a, b)) = range.split_once("...") {
        let (a, b) = (
            if a.is_empty() { "HEAD" } else { a },
            if b.is_empty() { "HEAD" } else { b },
        );
        let base = git::merge_base(folder, a, b).map_err(|e| Failure::Usage(e.to_string()))?;
        let Side::At(mut old) = at(&base)? else {
            return Err(Failure::Usage(format!("`{range}`: no merge base")));
        };
        old.typed = format!("merge-base {a} {b}");
        return Ok((Side::At(old), at(b)?));
    }
    if let Some((a, b)) = range.split_once("..") {
        return Ok((at(a)?, at(b)?));
    }
    Ok((at(range)?, work_tree(folder)?))
}

/// The data folder as it is on disk.
fn work_tree(folder: &std::path::Path) -> Result<Side, Failure> {
    if !folder.is_dir() {
        return Err(Failure::Usage(format!(
            "the data folder `{}` does not exist in the work tree (give --data the data folder, or compare two revisions: `changes REV1..REV2`)",
            folder.display()
        )));
    }
    Ok(Side::WorkTree(folder.to_path_buf()))
}

/// The entity `text` names, in the new version, else in the old (an entity removed).
fn around(cx: &Context, old: &dyn Store, new: &dyn Store, text: &str) -> Result<String, Failure> {
    match cx.entity(new, text) {
        Ok(e) => Ok(new.entity_at(e).id.clone()),
        Err(Failure::Usage(why)) => match cx.entity(old, text) {
            Ok(e) => Ok(old.entity_at(e).id.clone()),
            Err(_) => Err(Failure::Usage(why)),
        },
        Err(other) => Err(other),
    }
}

/// Runs `changes`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let folder = cx.data.clone().unwrap_or_else(|| PathBuf::from("graph"));
    let (old, new) = match &args.range {
        Some(range) => sides(cx, &folder, range)?,
        None => (
            Side::At(Box::new(cx.revision("HEAD").map_err(Failure::Usage)?)),
            work_tree(&folder)?,
        ),
    };
    cx.with_store_of(&old.source(), |old_store| {
        cx.with_store_of(&new.source(), |new_store| {
            let filter = Filter {
                around: match &args.around {
                    Some(text) => Some(around(cx, old_store, new_store, text)?),
                    None => None,
                },
                kinds: args.kinds.clone(),
            };
            let found: Changes = changes::changes(old_store, new_store, &filter)?;
            let effects = if args.effects.is_empty() {
                None
            } else {
                Some(effects::effects(
                    old_store,
                    new_store,
                    &found,
                    &args.effects,
                    filter.around.as_deref(),
                )?)
            };
            let heading = format!(
                "Changes from {} to {}: {}",
                old.describe(),
                new.describe(),
                views::change_counts(&found)
            );
            let answer = Answer {
                from: old.version(),
                to: new.version(),
                records: &found.records,
                effects: effects.as_deref(),
            };
            cx.emit("changes", None, std::slice::from_ref(&answer), || {
                views::record_changes(
                    &heading,
                    &found,
                    effects.as_deref().map(|e| (args.effects.as_slice(), e)),
                    cx.layout(),
                )
            })
        })
    })
}
