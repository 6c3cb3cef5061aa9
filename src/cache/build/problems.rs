//! The problems a build found, as a full load reports them: every diagnostic in its order,
//! every file's path, and the text of only those files the diagnostics point into.

use super::super::Key;
use crate::diag::{Diagnostic, Severity};
use crate::model::SourceFile;

/// Every problem of the data, with what showing them needs.
#[derive(Debug, Default)]
pub struct Problems {
    /// The diagnostics, in the order a full load gives them.
    pub diagnostics: Vec<Diagnostic>,
    /// Every data file, in load order; without its text until [`Problems::read_texts`].
    pub files: Vec<SourceFile>,
    /// The records loaded: entities and facts.
    pub records: usize,
}

impl Problems {
    /// The number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity() == Severity::Error)
            .count()
    }

    /// Reads the text of every file a diagnostic points into (as the loader shows it), the
    /// files of `key`; `false` when one of them is no longer the size it was when checked.
    pub fn read_texts(&mut self, key: &Key) -> bool {
        let mut wanted = vec![false; self.files.len()];
        for d in &self.diagnostics {
            for label in d.primary.iter().chain(&d.secondary) {
                if let Some(w) = wanted.get_mut(label.file.0 as usize) {
                    *w = true;
                }
            }
        }
        for ((file, stamp), _) in self
            .files
            .iter_mut()
            .zip(&key.files)
            .zip(wanted)
            .filter(|(_, w)| *w)
        {
            match std::fs::read(&stamp.path) {
                Ok(bytes) if bytes.len() as u64 == stamp.size => {
                    file.text = crate::load::text_of(bytes);
                }
                _ => return false,
            }
        }
        true
    }
}
