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
pub fn run(cx: &mut Context, args: &Args) -> Result<(), Failure> {
    // Read first, so that large data is picked for them; their problems come after the data's.
    let inputs = saved::inputs(&args.files);
    cx.question = Some(saved::question(inputs.as_deref(), cx.today));
    let loaded = cx.load_valid()?;
    let inputs = inputs?;
    let outcomes = saved::answer_all(cx, &loaded, inputs)?;
    let failed = saved::failures(&outcomes);
    cx.emit("query", None, &outcomes, || {
        let mut doc = Doc::default();
        for o in &outcomes {
            let mut part = views::answer(&format!("{} ({})", o.title, o.file), &o.answer, o.on);
            doc.blocks.append(&mut part.blocks);
            doc.blocks.extend(verdict_block(o));
        }
        doc
    })?;
    saved::verdict(cx, failed)
}
