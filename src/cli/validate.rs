//! `dipgraph validate`: check every file and report all problems at once.

use serde::Serialize;

use dipgraph::diag::{Diagnostic, Severity, render};
use dipgraph::model::SourceFile;
use dipgraph::render::{Block, Doc, row};

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

/// The problems as one table, for CSV.
fn problems_doc(problems: &[Problem<'_>]) -> Doc<'static> {
    let opt = |n: Option<usize>| n.map_or_else(String::new, |n| n.to_string());
    let mut doc = Doc::default();
    doc.push(Block::Table {
        headers: [
            "code", "severity", "file", "line", "column", "message", "hints",
        ]
        .map(String::from)
        .to_vec(),
        rows: problems
            .iter()
            .map(|p| {
                row([
                    p.code.to_string(),
                    match p.severity {
                        Severity::Error => "error".to_string(),
                        Severity::Warning => "warning".to_string(),
                    },
                    p.file.unwrap_or("").to_string(),
                    opt(p.line),
                    opt(p.column),
                    p.message.to_string(),
                    p.hints.join(" "),
                ])
            })
            .collect(),
    });
    doc
}

/// `104 files, 1005830 records: 0 errors, 0 warnings`.
fn summary_line(files: usize, records: usize, errors: usize, warnings: usize) -> String {
    format!(
        "{}, {}: {}, {}\n",
        plural(files, "file"),
        plural(records, "record"),
        plural(errors, "error"),
        plural(warnings, "warning"),
    )
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Runs `validate`.
pub fn run(cx: &Context, _args: &Args) -> Result<(), Failure> {
    let problems = cx.problems()?;
    let files = &problems.files;
    let diags = &problems.diagnostics;
    let errors = problems.errors();
    let warnings = diags.len() - errors;
    if cx.format != Format::Table {
        let results: Vec<Problem<'_>> = diags.iter().map(|d| problem(d, files)).collect();
        cx.emit("validate", None, &results, || problems_doc(&results))?;
    } else {
        let summary = summary_line(files.len(), problems.records, errors, warnings);
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
