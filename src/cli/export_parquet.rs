//! `dipgraph export parquet -o DIR [--on D | --all] [--focus ID] [--kinds ...]`: the facts
//! chosen, with every entity, as a Parquet dataset (`docs/scale-out.md`), read from the store a
//! fact at a time and written into a new folder renamed into place when whole.

use std::path::Path;

use super::export::Args;
use super::{Context, Failure};

/// Runs `export parquet`.
#[cfg(feature = "parquet")]
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    use std::collections::HashSet;

    use dipgraph::load::atomic;
    use dipgraph::render::parquet::Dataset;

    use super::progress::Bar;

    let out = output(args)?;
    args.filters.check(cx)?;
    cx.with_store(|store| {
        let filters = &args.filters;
        // Every fact, unless the filters choose some: then those the diagram would show.
        let every = filters.all
            && filters.focus.is_none()
            && filters.kinds.is_empty()
            && filters.from.is_none()
            && filters.to.is_none();
        let chosen: Option<HashSet<String>> = if every {
            None
        } else {
            let plan = filters.plan(cx, store, false)?;
            Some(plan.fact_ids().map(str::to_string).collect())
        };
        let total = store.fact_count();
        let canonical = |id: &str| store.entity_of(id).map(|e| store.entity_at(e).id.clone());
        let bar = Bar::new();
        bar.say("exporting");
        let written = atomic::write_dir(out, |dir| {
            let mut data = Dataset::new(dir, store.entities())?;
            // One scan of the store, front to back: a cache gives back the pages it has passed.
            let mut failed = None;
            store
                .each_fact(&mut |n, f| {
                    if chosen.as_ref().is_none_or(|c| c.contains(&f.id))
                        && let Err(e) = data.add(f, &canonical)
                    {
                        failed = Some(e);
                        return false;
                    }
                    if n % 8192 == 0 {
                        bar.count(n as u64, total as u64);
                    }
                    true
                })
                .map_err(|_| std::io::Error::other(DAMAGED))?;
            if let Some(e) = failed {
                return Err(e);
            }
            data.finish()
        });
        bar.clear();
        match written {
            Ok(_) => Ok(()),
            Err(e) if e.to_string() == DAMAGED => Err(Failure::Corrupt),
            Err(e) => Err(Failure::Usage(format!(
                "cannot write the Parquet export `{}`: {e}; nothing was written there",
                out.display()
            ))),
        }
    })
}

/// What a damaged cache read is called while it passes through the writer.
#[cfg(feature = "parquet")]
const DAMAGED: &str = "the cache file is damaged";

/// Without the `parquet` feature: how to get it.
#[cfg(not(feature = "parquet"))]
pub fn run(_cx: &Context, args: &Args) -> Result<(), Failure> {
    output(args)?;
    Err(Failure::Usage(
        "this dipgraph was built without the Parquet export: install it with \
         `cargo install --path . --features parquet` (or run `cargo run --features parquet -- export parquet ...`)"
            .into(),
    ))
}

/// The folder to write: given, and either new, empty, or an earlier export.
fn output(args: &Args) -> Result<&Path, Failure> {
    let Some(out) = args.output.as_deref() else {
        return Err(Failure::Usage(
            "`export parquet` writes a folder: give it with `-o DIR`".into(),
        ));
    };
    if out.file_name().is_none() {
        return Err(Failure::Usage(format!(
            "`{}` is not a folder name: give a new folder, or an earlier export to replace",
            out.display()
        )));
    }
    if let Ok(meta) = std::fs::symlink_metadata(out) {
        let empty = || std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_none());
        let earlier = out.join("facts").is_dir() && out.join("entities").is_dir();
        if !meta.is_dir() || !(empty() || earlier) {
            return Err(Failure::Usage(format!(
                "`{}` exists and is not an earlier Parquet export: give a new folder, or remove it first",
                out.display()
            )));
        }
    }
    Ok(out)
}
