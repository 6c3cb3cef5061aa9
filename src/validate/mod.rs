//! Named semantic checks over a loaded dataset. Each adds diagnostics; none stops early.

mod dates;
mod ids;
mod refs;
mod sources;

use crate::diag::{self, Diagnostic};
use crate::model::{Dataset, Fact, Target};

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
    /// The whole the facts are a batch of; `None` when `data` is the whole.
    pub batch: Option<Batch<'a>>,
    /// How many unknown references may still be given "did you mean" suggestions: a whole
    /// check gives them to the first [`SUGGESTIONS`], in fact order.
    pub suggestions: usize,
}

/// Where a batch of facts stands in the whole: its entities are left to a check of the
/// entities alone, and its facts are checked against every fact of the whole.
pub struct Batch<'a> {
    /// The number, in the whole, of the batch's first fact.
    pub first: usize,
    /// The facts of the whole.
    pub whole: &'a dyn Whole,
}

/// The facts of a whole that a batch of it is checked against.
pub trait Whole: Sync {
    /// The number of the whole's first fact whose id is `id` (ignoring case). `here` is the
    /// number of the batch's first fact with that id, when it holds one: the answer is then
    /// `here` or an earlier fact.
    fn first_fact(&self, id: &str, here: Option<usize>) -> Option<usize>;
    /// Fact `number` of the whole, with its origin where its diagnostics need one.
    fn fact(&self, number: usize) -> Option<Fact>;
    /// The number of facts in the whole.
    fn fact_count(&self) -> usize;
    /// Every fact id of the whole (asked for only when it holds few facts).
    fn fact_ids(&self) -> &[String];
}

/// The first record of the whole with an id.
pub(crate) enum Named<'a> {
    /// Entity `i` of [`Part::data`].
    Entity(usize),
    /// A fact, with its number in the whole.
    Fact(usize, FactOf<'a>),
}

/// A fact of the part, or one of the whole held for a moment.
pub(crate) enum FactOf<'a> {
    /// A fact of [`Part::data`].
    Part(&'a Fact),
    /// A fact of the rest of the whole.
    Whole(Box<Fact>),
}

impl std::ops::Deref for FactOf<'_> {
    type Target = Fact;
    fn deref(&self) -> &Fact {
        match self {
            FactOf::Part(f) => f,
            FactOf::Whole(f) => f,
        }
    }
}

impl Part<'_> {
    /// All of `data`, with every suggestion.
    pub fn whole(data: &Dataset) -> Part<'_> {
        Part {
            data,
            batch: None,
            suggestions: SUGGESTIONS,
        }
    }

    /// The number in the whole of fact `i` of the part.
    pub(crate) fn number(&self, i: usize) -> usize {
        self.batch.as_ref().map_or(0, |b| b.first) + i
    }

    /// The first record of the whole whose id is `id` (ignoring case): entities first, then
    /// facts in load order, as [`Dataset::lookup`] finds them in a whole dataset.
    pub(crate) fn named(&self, id: &str) -> Option<Named<'_>> {
        let here = match self.data.lookup(id) {
            Some(Target::Entity(i)) => return Some(Named::Entity(i)),
            Some(Target::Fact(i)) => Some(i),
            None => None,
        };
        let local = |i: usize| {
            let fact = self.data.facts.get(i)?;
            Some(Named::Fact(self.number(i), FactOf::Part(fact)))
        };
        let Some(b) = &self.batch else {
            return here.and_then(local);
        };
        let n = b.whole.first_fact(id, here.map(|i| b.first + i))?;
        match n
            .checked_sub(b.first)
            .filter(|&i| i < self.data.facts.len())
        {
            Some(i) => local(i),
            None => Some(Named::Fact(n, FactOf::Whole(Box::new(b.whole.fact(n)?)))),
        }
    }

    /// The number of facts in the whole.
    pub(crate) fn fact_count(&self) -> usize {
        self.batch
            .as_ref()
            .map_or(self.data.facts.len(), |b| b.whole.fact_count())
    }

    /// Every fact id of the whole.
    pub(crate) fn fact_ids(&self) -> Vec<&str> {
        match &self.batch {
            Some(b) => b.whole.fact_ids().iter().map(String::as_str).collect(),
            None => self.data.facts.iter().map(|f| f.id.as_str()).collect(),
        }
    }
}

/// How many unknown references a whole check gives "did you mean" suggestions to.
pub const SUGGESTIONS: usize = refs::MAX_SUGGESTIONS;

/// How many of a check's `diags` took one of its suggestions: one each unknown reference.
pub fn suggestions_taken(diags: &[Diagnostic]) -> usize {
    diags
        .iter()
        .filter(|d| d.code == crate::diag::Code::UnknownReference)
        .count()
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
    Check {
        name: "source-dates",
        run: sources::dates,
    },
];

/// Runs every check and returns the problems sorted by file and position.
pub fn check(data: &Dataset) -> Vec<Diagnostic> {
    check_part(&Part::whole(data))
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
