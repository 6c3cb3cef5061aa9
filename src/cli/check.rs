//! `dipgraph check`: run every saved query in `queries/` and test its expectations. With
//! `--as-recorded REV`, the saved queries too are read as that revision recorded them.

use std::path::PathBuf;

use dipgraph::load::{self, DataSource, Input};
use dipgraph::render::{Block, Doc, row};

use super::query::verdict_block;
use super::saved;
use super::{Context, Failure};

/// Flags of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder of saved queries (default: ./queries when it exists, else the bundled ones).
    #[arg(long, value_name = "DIR")]
    pub queries: Option<PathBuf>,
}

/// The saved queries: those in `--queries DIR`, else in `./queries` when it exists, else the
/// bundled ones; at the revision the data is read from, when it is.
fn inputs(cx: &Context, args: &Args) -> Result<Vec<Input>, String> {
    if let Ok(DataSource::Revision(r)) = &cx.source {
        let dir = args
            .queries
            .clone()
            .unwrap_or_else(|| PathBuf::from("queries"));
        return match r.other_folder(&dir).map_err(|e| e.to_string())? {
            Some(found) => Ok(found),
            None if args.queries.is_none() => Ok(load::bundled_queries()),
            None => Err(format!(
                "`{}` does not exist at {}",
                dir.display(),
                r.describe()
            )),
        };
    }
    match &args.queries {
        Some(dir) => saved::inputs(std::slice::from_ref(dir)),
        None => {
            let local = PathBuf::from("queries");
            if local.is_dir() {
                saved::inputs(&[local])
            } else {
                Ok(load::bundled_queries())
            }
        }
    }
}

/// Runs `check`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let inputs = inputs(cx, args);
    let failed = std::cell::Cell::new(0);
    cx.with_store(|store| {
        // The data's problems come before the query files'.
        let inputs = inputs.clone().map_err(Failure::Usage)?;
        if inputs.is_empty() {
            return Err(Failure::Usage(
                "no saved queries found (*.ron under queries/)".into(),
            ));
        }
        let queries = saved::answer_all(cx, store, inputs)?;
        let facts = saved::facts_of(store, &queries)?;
        let outcomes = saved::outcomes(store, &facts, &queries, cx.today)?;
        failed.set(saved::failures(&outcomes));
        let failed = failed.get();
        let unchecked = outcomes.iter().filter(|o| o.verdict.is_none()).count();
        let passed = outcomes.len() - failed - unchecked;
        cx.emit("check", None, &outcomes, || {
            let mut doc = Doc::default();
            doc.push(Block::Table {
                headers: vec!["result".into(), "file".into(), "title".into()],
                rows: outcomes
                    .iter()
                    .map(|o| {
                        let status = match &o.verdict {
                            Some(v) if v.passed => "ok",
                            Some(_) => "FAILED",
                            None => "answered",
                        };
                        row([status.to_string(), o.file.clone(), o.title.clone()])
                    })
                    .collect(),
            });
            for o in outcomes.iter().filter(|o| o.failed()) {
                doc.push(Block::Heading(format!("FAILED {}: {}", o.file, o.title)));
                doc.blocks.extend(verdict_block(o));
            }
            doc.push(Block::Text(format!(
                "check: {} saved queries; {passed} passed, {failed} failed, {unchecked} without expectations",
                outcomes.len()
            )));
            doc
        })
    })?;
    saved::verdict(cx, failed.get())
}
