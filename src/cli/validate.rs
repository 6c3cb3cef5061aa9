//! `dipgraph validate`: check every file and report all problems at once.

use serde::Serialize;

use dipgraph::cache::build::Problems;
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

/// `d`'s line and column, in `files` (which hold the text of its file).
fn line_col(d: &Diagnostic, files: &[SourceFile]) -> Option<(usize, usize)> {
    let p = d.primary.as_ref()?;
    let f = files.get(p.file.0 as usize)?;
    Some(render::line_col(&f.text, p.span.start as usize))
}

fn problem<'a>(
    d: &'a Diagnostic,
    at: Option<(usize, usize)>,
    files: &'a [SourceFile],
) -> Problem<'a> {
    let file = d
        .primary
        .as_ref()
        .and_then(|p| files.get(p.file.0 as usize));
    let (file, line, column) = match (file, at) {
        (Some(f), Some((l, c))) => (Some(f.path.as_str()), Some(l), Some(c)),
        _ => (d.path.as_deref(), None, None),
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

/// What `validate` shows of the problems, from their files' text.
#[derive(Default)]
struct Shown {
    /// Their rendering, for a table.
    text: String,
    /// Each one's line and column, for JSON and CSV.
    places: Vec<Option<(usize, usize)>>,
}

/// [`Shown`] for `problems`; `None` when a file changed since they were found.
fn shown(problems: &mut Problems, table: bool) -> Option<Shown> {
    let mut s = Shown::default();
    let read = problems.in_runs(|run, files| {
        if table {
            s.text.push_str(&super::context::for_stderr(run, files));
        } else {
            s.places.extend(run.iter().map(|d| line_col(d, files)));
        }
    });
    read.then_some(s)
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
    let table = cx.format == Format::Table;
    let mut problems = cx.problems()?;
    let Shown { text, places } = match shown(&mut problems, table) {
        Some(s) => s,
        None => {
            // A file changed since the check: show the data as it is now.
            problems = cx.problems_in_full()?;
            shown(&mut problems, table).unwrap_or_default()
        }
    };
    let files = &problems.files;
    let diags = &problems.diagnostics;
    let errors = problems.errors();
    let warnings = diags.len() - errors;
    if !table {
        let results: Vec<Problem<'_>> = diags
            .iter()
            .zip(places)
            .map(|(d, at)| problem(d, at, files))
            .collect();
        cx.emit("validate", None, &results, || problems_doc(&results))?;
    } else {
        let summary = format!(
            "{}: {}",
            cx.data_name(),
            summary_line(files.len(), problems.records, errors, warnings)
        );
        if errors > 0 {
            return Err(Failure::Data(text + &summary));
        }
        if !text.is_empty() {
            let _ = std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes());
        }
        cx.out(&summary)?;
    }
    if errors > 0 {
        return Err(Failure::Data(String::new()));
    }
    Ok(())
}
