//! What `query` and `check` share: reading saved query files, reporting their problems like
//! data problems, and answering each with its verdict.

use std::path::PathBuf;

use serde::Serialize;

use dipgraph::cache::{self, Question};
use dipgraph::diag::{Severity, render};
use dipgraph::graph::Graph;
use dipgraph::load::{self, Input, Loaded};
use dipgraph::model::{Date, SourceFile};
use dipgraph::query::answer::Answer;
use dipgraph::query::saved::{self, SavedQuery, Verdict};

use super::{Context, Failure};

/// One saved query answered (borrowing from the data).
#[derive(Serialize)]
pub struct Outcome<'d> {
    /// The file.
    pub file: String,
    /// Its title.
    pub title: String,
    /// The command that asks the question.
    pub ask: &'static str,
    /// The date asked about.
    pub on: Option<Date>,
    /// The answer's rows.
    pub answer: Answer<'d>,
    /// The expectation's verdict, if it has one.
    #[serde(flatten)]
    pub verdict: Option<Verdict>,
}

impl Outcome<'_> {
    /// Whether its expectation failed.
    pub fn failed(&self) -> bool {
        self.verdict.as_ref().is_some_and(|v| !v.passed)
    }
}

/// How many expectations failed.
pub fn failures(outcomes: &[Outcome<'_>]) -> usize {
    outcomes.iter().filter(|o| o.failed()).count()
}

/// Exit 1 when `failed` saved queries failed, saying so (on stderr) except in JSON output,
/// where the verdicts are in the document.
pub fn verdict(cx: &Context, failed: usize) -> Result<(), Failure> {
    if failed == 0 {
        return Ok(());
    }
    let note = if cx.format == super::Format::Json {
        String::new()
    } else {
        let noun = if failed == 1 { "query" } else { "queries" };
        format!("error: {failed} saved {noun} failed\n")
    };
    Err(Failure::Data(note))
}

/// Reads the given files, or every `*.ron` under a folder.
pub fn inputs(paths: &[PathBuf]) -> Result<Vec<Input>, Failure> {
    let mut out = Vec::new();
    for p in paths {
        if !p.exists() {
            return Err(Failure::Usage(format!("`{}` does not exist", p.display())));
        }
        let (found, diags) = load::discover(p);
        if let Some(d) = diags.first() {
            return Err(Failure::Usage(format!(
                "{}: {}",
                d.path.as_deref().unwrap_or(""),
                d.message
            )));
        }
        out.extend(found);
    }
    Ok(out)
}

/// What saved queries read from `inputs` need of a cache of large data (see
/// [`cache::saved::question`]); nothing but the entities when they could not be read (the
/// command then stops at that, after the data's own errors, as with a full load).
pub fn question(inputs: Result<&[Input], &Failure>, today: Date) -> Question {
    match inputs {
        Ok(inputs) => cache::saved::question(&saved::written(inputs), today),
        Err(_) => Question::Many(Vec::new()),
    }
}

/// Parses and answers saved queries over valid data; problems in the query files stop
/// everything (exit 1) with every problem shown.
pub fn answer_all<'d>(
    cx: &Context,
    loaded: &'d Loaded,
    inputs: Vec<Input>,
) -> Result<Vec<Outcome<'d>>, Failure> {
    let data = &loaded.dataset;
    let parsed = saved::parse(inputs, data, data.files.len());
    if !parsed.diagnostics.is_empty() {
        let mut files: Vec<SourceFile> = data.files.clone();
        files.extend(parsed.files);
        let text = render::to_text(&parsed.diagnostics, &files);
        let errors = parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity() == Severity::Error)
            .count();
        if errors == 0 {
            // Warnings (an empty file) are shown; the queries that parsed still run.
            let _ = std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes());
        } else {
            let plural = if errors == 1 { "" } else { "s" };
            return Err(Failure::Data(format!(
                "{text}error: {errors} error{plural} in saved queries\n"
            )));
        }
    }
    let graph = Graph::build(data);
    Ok(parsed
        .queries
        .into_iter()
        .map(|q| outcome(&graph, q, cx.today))
        .collect())
}

fn outcome<'d>(graph: &Graph<'d>, q: SavedQuery, today: Date) -> Outcome<'d> {
    let answer = saved::answer(graph, &q.ask, today);
    let on = saved::asked_on(&q.ask).or_else(|| saved::uses_today(&q.ask).then_some(today));
    let verdict = q.expect.as_ref().map(|e| e.verdict(answer.keys()));
    Outcome {
        file: q.path,
        title: q.title,
        ask: answer.command(),
        on,
        answer,
        verdict,
    }
}
