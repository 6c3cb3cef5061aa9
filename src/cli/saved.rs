//! What `query` and `check` share: reading saved query files, reporting their problems like
//! data problems, and answering each with its verdict.

use std::path::PathBuf;

use serde::Serialize;

use dipgraph::diag::Severity;
use dipgraph::load::{self, Input};
use dipgraph::model::{Date, SourceFile};
use dipgraph::query::answer::Answer;
use dipgraph::query::ask::{self, AnswerFacts};
use dipgraph::query::saved::{self, SavedQuery, Verdict};
use dipgraph::store::Store;

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

/// Reads the given files, or every `*.ron` under a folder; the error says why one cannot be.
pub fn inputs(paths: &[PathBuf]) -> Result<Vec<Input>, String> {
    let mut out = Vec::new();
    for p in paths {
        if !p.exists() {
            return Err(format!("`{}` does not exist", p.display()));
        }
        let (found, diags) = load::discover(p);
        if let Some(d) = diags.first() {
            return Err(format!(
                "{}: {}",
                d.path.as_deref().unwrap_or(""),
                d.message
            ));
        }
        out.extend(found);
    }
    Ok(out)
}

/// Parses saved queries against the data in `store`; problems in the query files stop
/// everything (exit 1) with every problem shown. Then `each` is given every query that parsed,
/// in file order, answered, with the facts its answer borrows from.
pub fn answer_all(
    cx: &Context,
    store: &dyn Store,
    inputs: Vec<Input>,
) -> Result<Vec<SavedQuery>, Failure> {
    let files = store.files();
    let parsed = saved::parse(inputs, store, files.len())?;
    if !parsed.diagnostics.is_empty() {
        let mut all: Vec<SourceFile> = files.to_vec();
        all.extend(parsed.files);
        let text = super::context::for_stderr(&parsed.diagnostics, &all);
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
    let _ = cx;
    Ok(parsed.queries)
}

/// The facts each of `queries`' answers borrows from.
pub fn facts_of<'s>(
    store: &'s dyn Store,
    queries: &[SavedQuery],
) -> Result<Vec<AnswerFacts<'s>>, Failure> {
    Ok(queries
        .iter()
        .map(|q| AnswerFacts::read(store, &q.ask))
        .collect::<Result<_, _>>()?)
}

/// Saved query `q` answered from `store`, with its verdict.
pub fn outcome<'s>(
    store: &'s dyn Store,
    facts: &'s AnswerFacts<'s>,
    q: &SavedQuery,
    today: Date,
) -> Result<Outcome<'s>, Failure> {
    let answer = ask::answer(store, facts, &q.ask, today)?;
    let asked = q.ask.ask();
    let on = asked.on().or_else(|| asked.uses_today().then_some(today));
    let verdict = q.expect.as_ref().map(|e| e.verdict(answer.keys()));
    Ok(Outcome {
        file: q.path.clone(),
        title: q.title.clone(),
        ask: answer.command(),
        on,
        answer,
        verdict,
    })
}

/// Every query of `queries` answered from `store`, with its verdict.
pub fn outcomes<'s>(
    store: &'s dyn Store,
    facts: &'s [AnswerFacts<'s>],
    queries: &[SavedQuery],
    today: Date,
) -> Result<Vec<Outcome<'s>>, Failure> {
    queries
        .iter()
        .zip(facts)
        .map(|(q, f)| outcome(store, f, q, today))
        .collect()
}
