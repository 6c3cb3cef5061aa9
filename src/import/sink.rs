//! Where an importer puts what it reads, a row at a time: the entities it names (each once,
//! by a key of the source's), the facts it makes (with the key the source gives them), the rows
//! it leaves out and why, and the rows it cannot read. An importer holds none of it.
//!
//! [`Extract`] keeps everything in memory, for tests and small inputs;
//! [`super::output::Output`] resolves, lays out and writes as it goes.

use std::collections::{BTreeMap, HashMap};

use super::emit::Rec;
use super::merge::Candidate;
use super::rows::BadLine;

/// Where an importer's rows go.
pub trait Sink {
    /// One more row (or line) read.
    fn row(&mut self);
    /// A row or item left out, for `reason`.
    fn skip(&mut self, reason: &str);
    /// A row that cannot be read (the wrong number of fields, a bad value, text that is not
    /// UTF-8, an input that breaks off): counted, and reported with its line.
    fn bad(&mut self, bad: BadLine);
    /// The handle of the entity with `key`, when it has been named already.
    fn known(&mut self, key: &str) -> Option<usize>;
    /// Adds the entity with `key` (not yet [`Sink::known`]); its record refers to itself by
    /// the handle [`Sink::next_handle`] gave. Gives its handle.
    fn add(&mut self, key: &str, entity: Candidate) -> usize;
    /// The handle the next entity added gets.
    fn next_handle(&self) -> usize;
    /// A fact, its entities as handles ([`super::emit::Value::Ref`]). `key` is the source's
    /// own id for it, when its dipgraph id is not made from one (else the id is the key).
    fn fact(&mut self, key: Option<String>, fact: Rec);
    /// Whether the fact `key` was imported before: it is then left as it is, so an importer
    /// need not make it again (nor give it an id).
    fn imported_before(&mut self, key: &str) -> bool;
    /// Whether `id` is taken, in the data or by this import (for ids an importer makes up).
    fn taken(&self, id: &str) -> bool;
    /// A problem worth telling that does not stop the import.
    fn warn(&mut self, warning: String);
    /// The comment lines for the top of the file written: what it holds and where it came
    /// from.
    fn header(&mut self, lines: Vec<String>);
}

/// The handle of the entity with `key`, made by `make` (given its handle) the first time.
pub fn entity(sink: &mut dyn Sink, key: &str, make: impl FnOnce(usize) -> Candidate) -> usize {
    if let Some(h) = sink.known(key) {
        return h;
    }
    let me = sink.next_handle();
    sink.add(key, make(me))
}

/// What an importer read, held in memory: the entities it names and the facts it makes.
#[derive(Debug, Clone, Default)]
pub struct Extract {
    /// Entities, each once; facts refer to them by index ([`super::emit::Value::Ref`]).
    pub entities: Vec<Candidate>,
    /// Facts, with references still as indexes.
    pub facts: Vec<Rec>,
    /// Data rows (or lines) read.
    pub rows: u64,
    /// Rows or items left out, by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Rows that could not be read.
    pub bad: Vec<BadLine>,
    /// Problems worth telling that did not stop the import.
    pub warnings: Vec<String>,
    /// Comment lines for the top of the file: what it holds and where it came from.
    pub header: Vec<String>,
    by_key: HashMap<String, usize>,
}

impl Extract {
    /// Counts one item left out for `reason`.
    pub fn skip(&mut self, reason: impl Into<String>) {
        *self.skipped.entry(reason.into()).or_default() += 1;
    }

    /// The first row that could not be read, as an error; else the extract.
    pub fn or_first_bad(mut self) -> Result<Extract, BadLine> {
        if self.bad.is_empty() {
            Ok(self)
        } else {
            Err(self.bad.swap_remove(0))
        }
    }
}

impl Sink for Extract {
    fn row(&mut self) {
        self.rows += 1;
    }

    fn skip(&mut self, reason: &str) {
        Extract::skip(self, reason);
    }

    fn bad(&mut self, bad: BadLine) {
        self.bad.push(bad);
    }

    fn known(&mut self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }

    fn add(&mut self, key: &str, entity: Candidate) -> usize {
        let i = self.entities.len();
        self.entities.push(entity);
        self.by_key.insert(key.to_string(), i);
        i
    }

    fn next_handle(&self) -> usize {
        self.entities.len()
    }

    fn fact(&mut self, _key: Option<String>, fact: Rec) {
        self.facts.push(fact);
    }

    fn imported_before(&mut self, _key: &str) -> bool {
        false
    }

    fn taken(&self, _id: &str) -> bool {
        false
    }

    fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    fn header(&mut self, lines: Vec<String>) {
        self.header = lines;
    }
}
