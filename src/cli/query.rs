//! `dipgraph query FILE...`: answer saved queries, and test their expectations.

use std::path::PathBuf;

use dipgraph::render::{Block, Doc, views};

use super::saved::{self, Outcome};
use super::{Context, Failure};

/// Flags of `query`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Saved query files (or folders of them).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// The text under an answer: the expectation and how it fared.
pub fn verdict_block(o: &Outcome<'_>) -> Option<Block<'static>> {
    let v = o.verdict.as_ref()?;
    let mut text = format!(
        "expect {}: {}",
        v.expected,
        if v.passed { "ok" } else { "FAILED" }
    );
    if !v.passed {
        if !v.missing.is_empty() {
            text.push_str(&format!("\n  missing:    {}", v.missing.join(", ")));
        }
        if !v.unexpected.is_empty() {
            text.push_str(&format!("\n  unexpected: {}", v.unexpected.join(", ")));
        }
        text.push_str(&format!(
            "\n  actual ({}): {}",
            v.actual.len(),
            v.actual.join(", ")
        ));
    }
    Some(Block::Text(text))
}

/// Runs `query`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let inputs = saved::inputs(&args.files);
    let failed = std::cell::Cell::new(0);
    cx.with_store(|store| {
        // The data's problems come before the query files'.
        let inputs = inputs.clone().map_err(Failure::Usage)?;
        let queries = saved::answer_all(cx, store, inputs)?;
        let facts = saved::facts_of(store, &queries)?;
        let outcomes = saved::outcomes(store, &facts, &queries, cx.today)?;
        failed.set(saved::failures(&outcomes));
        cx.emit("query", None, &outcomes, || {
            let mut doc = Doc::default();
            for o in &outcomes {
                let heading = format!("{} ({})", o.title, o.file);
                let mut part = views::answer(Some(&heading), &o.answer, o.on, cx.layout());
                doc.blocks.append(&mut part.blocks);
                doc.blocks.extend(verdict_block(o));
            }
            doc
        })
    })?;
    saved::verdict(cx, failed.get())
}
