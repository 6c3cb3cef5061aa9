//! What every command shares: where the data is, the output format, "today", loading with
//! diagnostics, and writing output (a closed pipe ends quietly).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use dipgraph::diag::{Severity, render};
use dipgraph::load::{self, DataSource, Loaded};
use dipgraph::model::{Dataset, Date, Target};
use dipgraph::query::resolve::Resolver;
use dipgraph::validate;

use super::Format;

/// Why a command failed, and so its exit code.
#[derive(Debug)]
pub enum Failure {
    /// The data has errors, or an expectation failed (exit 1); the text is already rendered.
    Data(String),
    /// Bad usage or unreadable input (exit 2).
    Usage(String),
    /// Output could not be written (exit 2), other than a closed pipe.
    Io(std::io::Error),
}

impl Failure {
    /// Prints the failure to stderr and returns its exit code.
    pub fn report(self) -> ExitCode {
        let (text, code) = match self {
            Failure::Data(t) => (t, 1),
            Failure::Usage(t) => (format!("error: {t}\n"), 2),
            Failure::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                return ExitCode::SUCCESS;
            }
            Failure::Io(e) => (format!("error: cannot write output: {e}\n"), 2),
        };
        let _ = std::io::stderr().write_all(text.as_bytes());
        ExitCode::from(code)
    }
}

/// The global options, resolved.
pub struct Context {
    /// Where the data comes from.
    pub source: Result<DataSource, String>,
    /// Output format.
    pub format: Format,
    /// "Today": the default date of the dated questions.
    pub today: Date,
}

impl Context {
    /// Resolves `--data` (default `./graph`, else the bundled dataset) and "today".
    pub fn new(data: Option<PathBuf>, format: Format, today: Option<Date>) -> Context {
        let source = match data {
            Some(p) if p.exists() => Ok(DataSource::Path(p)),
            Some(p) => Err(format!(
                "the data folder `{}` does not exist (leave out --data to use ./graph or the bundled dataset)",
                p.display()
            )),
            None => {
                let local = PathBuf::from("graph");
                if local.is_dir() {
                    Ok(DataSource::Path(local))
                } else {
                    Ok(DataSource::Bundled)
                }
            }
        };
        let today = today.unwrap_or_else(|| Date::from_naive(chrono::Local::now().date_naive()));
        Context {
            source,
            format,
            today,
        }
    }

    /// Loads and validates the data, with every problem found.
    pub fn load_checked(&self) -> Result<Loaded, Failure> {
        let source = self.source.clone().map_err(Failure::Usage)?;
        let mut loaded = load::load(&source);
        loaded.diagnostics.extend(validate::check(&loaded.dataset));
        dipgraph::diag::sort(&mut loaded.diagnostics);
        Ok(loaded)
    }

    /// Loads data for a question: errors stop the command (exit 1) with every problem shown.
    pub fn load_valid(&self) -> Result<Loaded, Failure> {
        let loaded = self.load_checked()?;
        let errors: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity() == Severity::Error)
            .cloned()
            .collect();
        if errors.is_empty() {
            return Ok(loaded);
        }
        let mut text = render::to_text(&errors, &loaded.dataset.files);
        text.push_str(&format!(
            "error: the data has {} error{}; fix them (see `dipgraph validate`) before asking questions\n",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        ));
        Err(Failure::Data(text))
    }

    /// The date asked about: `--on`, else today.
    pub fn on(&self, on: Option<Date>) -> Date {
        on.unwrap_or(self.today)
    }

    /// The entity `text` names (an id in any case, a name, an alias, a unique word of a
    /// name); an unknown or ambiguous name, or a fact id, is a usage error listing candidates.
    pub fn entity(&self, data: &Dataset, text: &str) -> Result<usize, Failure> {
        match Resolver::new(data).resolve(text) {
            Ok(Target::Entity(i)) => Ok(i),
            Ok(Target::Fact(i)) => Err(Failure::Usage(format!(
                "`{}` is a {} fact, not a state, organization or person",
                text,
                data.facts[i].kind().as_str()
            ))),
            Err(e) => Err(Failure::Usage(e.to_string())),
        }
    }

    /// Writes `text` to stdout.
    pub fn out(&self, text: &str) -> Result<(), Failure> {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(Failure::Io)
    }

    /// Writes `doc` in the chosen text format (table or CSV), or JSON from `results`.
    pub fn emit<T: serde::Serialize>(
        &self,
        query: &str,
        on: Option<Date>,
        results: &[T],
        doc: impl FnOnce() -> dipgraph::render::Doc,
    ) -> Result<(), Failure> {
        use dipgraph::render;
        let text = match self.format {
            Format::Json => render::json::to_json(query, on, results)
                .map_err(|e| Failure::Usage(format!("cannot write JSON: {e}")))?,
            Format::Csv => render::csv::to_csv(&doc())
                .map_err(|e| Failure::Usage(format!("cannot write CSV: {e}")))?,
            Format::Table => render::table::to_text(&doc()),
        };
        self.out(&text)
    }
}
