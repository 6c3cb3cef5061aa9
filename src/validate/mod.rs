//! Named semantic checks over a loaded dataset. Each adds diagnostics; none stops early.

mod dates;
mod ids;
mod refs;
mod sources;

use crate::diag::{self, Diagnostic};
use crate::model::Dataset;

/// A named check.
pub struct Check {
    /// Name, as in `docs/diagnostics.md`.
    pub name: &'static str,
    /// The check.
    pub run: fn(&Part<'_>, &mut Vec<Diagnostic>),
}

/// What is checked: a whole dataset, or one batch of facts of a larger whole (with every
/// entity), as the cache's build checks data a batch at a time.
pub struct Part<'a> {
    /// The entities and the facts to check.
    pub data: &'a Dataset,
    /// Whether an id that names nothing in `data` is the id of a fact elsewhere in the whole.
    pub fact_elsewhere: &'a (dyn Fn(&str) -> bool + Sync),
}

/// Every check, in the order they run.
pub const CHECKS: &[Check] = &[
    Check {
        name: "ids",
        run: ids::check,
    },
    Check {
        name: "references",
        run: refs::check,
    },
    Check {
        name: "treaty-parties",
        run: dates::parties,
    },
    Check {
        name: "existence",
        run: dates::existence,
    },
    Check {
        name: "sources",
        run: sources::check,
    },
];

/// Runs every check and returns the problems sorted by file and position.
pub fn check(data: &Dataset) -> Vec<Diagnostic> {
    check_part(&Part {
        data,
        fact_elsewhere: &|_| false,
    })
}

/// Runs every check on a part of the data: problems that involve only what it holds.
pub fn check_part(part: &Part<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in CHECKS {
        (c.run)(part, &mut out);
    }
    diag::sort(&mut out);
    out
}

#[cfg(test)]
pub(crate) mod testing {
    //! Loading small datasets from text for the checks' unit tests.
    use crate::diag::{Code, Diagnostic};

    /// Loads `text` as one file and runs every check; returns load and check problems.
    pub fn problems(text: &str) -> Vec<Diagnostic> {
        let loaded = crate::load::from_text("t.ron", text);
        let mut all = loaded.diagnostics;
        all.extend(super::check(&loaded.dataset));
        all
    }

    /// The codes of [`problems`].
    pub fn codes(text: &str) -> Vec<Code> {
        problems(text).into_iter().map(|d| d.code).collect()
    }

    /// The text under the primary label of the first problem with `code`.
    pub fn pointed(text: &str, code: Code) -> String {
        let d = problems(text)
            .into_iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("no {code} in {text}"));
        let span = d.primary.expect("located").span;
        text[span.range()].to_string()
    }

    pub const STATES: &str = r#"
        State(id: "BLR", name: "Belarus", from: "1991-12-26"),
        State(id: "RUS", name: "Russia"),
        Organization(id: "EU", name: "European Union", kind: Supranational, founded: "1993-11-01"),
        Person(id: "dmitry-peskov", name: "Dmitry Peskov", born: "1967-10-17"),
    "#;

    pub const SRC: &str = r#"sources: [Source(title: "t", url: "https://example.org")]"#;
}
