//! `dipgraph validate`: check every file and report all problems at once.

use serde::Serialize;

use dipgraph::diag::{Diagnostic, Severity, render};
use dipgraph::model::SourceFile;

use super::{Context, Failure, Format};

/// Flags of `validate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// A problem, for JSON output.
#[derive(Serialize)]
struct Problem<'a> {
    code: &'static str,
    severity: Severity,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    hints: &'a [String],
}

fn problem<'a>(d: &'a Diagnostic, files: &'a [SourceFile]) -> Problem<'a> {
    let located = d.primary.as_ref().and_then(|p| {
        files
            .get(p.file.0 as usize)
            .map(|f| (f, p.span.start as usize))
    });
    let (file, line, column) = match located {
        Some((f, at)) => {
            let (l, c) = render::line_col(&f.text, at);
            (Some(f.path.as_str()), Some(l), Some(c))
        }
        None => (d.path.as_deref(), None, None),
    };
    Problem {
        code: d.code.as_str(),
        severity: d.severity(),
        message: &d.message,
        file,
        line,
        column,
        hints: &d.hints,
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Runs `validate`.
pub fn run(cx: &Context, _args: &Args) -> Result<(), Failure> {
    let loaded = cx.load_checked()?;
    let files = &loaded.dataset.files;
    let diags = &loaded.diagnostics;
    let errors = diags
        .iter()
        .filter(|d| d.severity() == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    let records = loaded.dataset.entities.len() + loaded.dataset.facts.len();
    if cx.format == Format::Json {
        let results: Vec<Problem<'_>> = diags.iter().map(|d| problem(d, files)).collect();
        cx.emit("validate", None, &results, Default::default)?;
    } else {
        let summary = format!(
            "{}, {}: {}, {}\n",
            plural(files.len(), "file"),
            plural(records, "record"),
            plural(errors, "error"),
            plural(warnings, "warning"),
        );
        if errors > 0 {
            return Err(Failure::Data(render::to_text(diags, files) + &summary));
        }
        let warnings_text = render::to_text(diags, files);
        if !warnings_text.is_empty() {
            let _ = std::io::Write::write_all(&mut std::io::stderr(), warnings_text.as_bytes());
        }
        cx.out(&summary)?;
    }
    if errors > 0 {
        return Err(Failure::Data(String::new()));
    }
    Ok(())
}
