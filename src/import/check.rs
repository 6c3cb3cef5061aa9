//! Checking what an import would write, before anything is put in place: the data with the
//! import's files must load and validate without an error.
//!
//! - **One file**: the data's other files and the new file are loaded and validated whole,
//!   as `validate` does, so every problem is shown as `validate` would show it.
//! - **A folder**: the data's other files and the import's entity files are loaded and
//!   validated whole (they are small beside the facts); then each fact file the import writes
//!   is loaded and checked on its own, against every entity and every fact of the other files
//!   ([`validate::check_part`]). Fact files left as they were are not read.

use super::ImportError;
use crate::diag::{self, Diagnostic, Severity};
use crate::load::parallel::{load_file, load_file_with};
use crate::load::{self, Input, Loaded, Places};
use crate::model::{Dataset, Fact};
use crate::validate::{self, Batch, Part, Whole};

fn errors_only(diags: &mut Vec<Diagnostic>) {
    diag::sort(diags);
    diags.retain(|d| d.severity() == Severity::Error);
}

/// Checks the data of `other` (the data's files, without the import's) with the one file
/// `path` holding `text`.
pub fn single(
    mut other: Vec<Input>,
    pre: Vec<Diagnostic>,
    path: &str,
    text: &str,
) -> Result<(), ImportError> {
    other.push(Input {
        path: path.to_string(),
        bytes: Ok(text.as_bytes().to_vec()),
    });
    let mut loaded = load::load_inputs(other, pre);
    loaded.diagnostics.extend(validate::check(&loaded.dataset));
    errors_only(&mut loaded.diagnostics);
    if loaded.diagnostics.is_empty() {
        Ok(())
    } else {
        Err(ImportError::Invalid(Box::new(loaded)))
    }
}

/// The facts of the data's other files, for checking a batch of new ones against.
struct Rest {
    data: Dataset,
    ids: Vec<String>,
    /// The facts of the batch being checked.
    batch: std::sync::atomic::AtomicUsize,
}

impl Whole for Rest {
    fn first_fact(&self, id: &str, here: Option<usize>) -> Option<usize> {
        match self.data.lookup(id) {
            Some(crate::model::Target::Fact(i)) => Some(i),
            _ => here,
        }
    }

    fn fact(&self, number: usize) -> Option<Fact> {
        self.data.facts.get(number).cloned()
    }

    fn fact_count(&self) -> usize {
        self.data.facts.len() + self.batch.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn fact_ids(&self) -> &[String] {
        &self.ids
    }
}

/// A file to check: as it is shown, and where its text is now.
pub struct ToCheck<'a> {
    /// The path it will have.
    pub shown: &'a str,
    /// Where it is (a staged file, or the file itself).
    pub at: &'a std::path::Path,
}

fn read(file: &ToCheck<'_>) -> Input {
    Input {
        path: file.shown.to_string(),
        bytes: std::fs::read(file.at).map_err(|e| e.to_string()),
    }
}

/// Checks the data of `other` with the import's entity files `entities` and its fact files
/// `facts` (those written anew).
pub fn folder(
    other: Loaded,
    entities: &[ToCheck<'_>],
    facts: &[ToCheck<'_>],
) -> Result<(), ImportError> {
    let Loaded {
        dataset,
        mut diagnostics,
    } = other;
    let Dataset {
        mut files,
        entities: mut all_entities,
        facts: other_facts,
        mut coverage,
        ..
    } = dataset;
    for e in entities {
        let loaded = load_file(files.len(), read(e));
        files.push(loaded.file);
        all_entities.extend(loaded.records.entities);
        coverage.extend(loaded.records.coverage);
        diagnostics.extend(loaded.diags);
    }
    let mut data = Dataset::new(files, all_entities, other_facts);
    data.coverage = coverage;
    diagnostics.extend(validate::check(&data));
    errors_only(&mut diagnostics);
    if !diagnostics.is_empty() {
        return Err(ImportError::Invalid(Box::new(Loaded {
            dataset: data,
            diagnostics,
        })));
    }
    let rest_facts = data.replace_facts(Vec::new());
    let ids = rest_facts.iter().map(|f| f.id.clone()).collect();
    let rest = Rest {
        data: Dataset::new(Vec::new(), Vec::new(), rest_facts),
        ids,
        batch: std::sync::atomic::AtomicUsize::new(0),
    };
    for f in facts {
        // Where each fact stands is enough to check it; a file with a problem is loaded again
        // with every field placed, for the problems to point at the field at fault.
        if check_fact_file(&mut data, &rest, f, Places::Records).is_err() {
            return check_fact_file(&mut data, &rest, f, Places::Fields).map_err(|diags| {
                ImportError::Invalid(Box::new(Loaded {
                    dataset: std::mem::take(&mut data),
                    diagnostics: diags,
                }))
            });
        }
    }
    Ok(())
}

/// Checks one fact file against `data`'s entities and `rest`'s facts: its errors, if any.
fn check_fact_file(
    data: &mut Dataset,
    rest: &Rest,
    f: &ToCheck<'_>,
    places: Places,
) -> Result<(), Vec<Diagnostic>> {
    let loaded = load_file_with(data.files.len(), read(f), places);
    let mut diags = loaded.diags;
    data.files.push(loaded.file);
    rest.batch.store(
        loaded.records.facts.len(),
        std::sync::atomic::Ordering::Relaxed,
    );
    data.replace_facts(loaded.records.facts);
    let part = Part {
        data,
        batch: Some(Batch {
            first: rest.data.facts.len(),
            whole: rest,
        }),
        suggestions: validate::SUGGESTIONS,
    };
    diags.extend(validate::check_part(&part));
    errors_only(&mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    data.files.pop();
    data.replace_facts(Vec::new());
    Ok(())
}
