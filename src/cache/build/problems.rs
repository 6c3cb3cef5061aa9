//! The problems of the data, as a full load reports them: every diagnostic in its order, every
//! file's path, and the texts they point into, held (after a full load) or read a few at a
//! time as they are shown (after a check file by file, which holds no text).

use super::super::Key;
use crate::diag::{Diagnostic, Severity};
use crate::model::SourceFile;

/// Every problem of the data, with what showing them needs.
#[derive(Debug, Default)]
pub struct Problems {
    /// The diagnostics, in the order a full load gives them.
    pub diagnostics: Vec<Diagnostic>,
    /// Every data file, in load order.
    pub files: Vec<SourceFile>,
    /// The records loaded: entities and facts.
    pub records: usize,
    /// The files as they were checked (their sizes, and where to read them), when the texts
    /// are not held.
    key: Option<Key>,
}

impl Problems {
    /// The problems of a full load, which holds every text.
    pub fn loaded(
        diagnostics: Vec<Diagnostic>,
        files: Vec<SourceFile>,
        records: usize,
    ) -> Problems {
        Problems {
            diagnostics,
            files,
            records,
            key: None,
        }
    }

    /// The problems found in the files of `key`, whose texts are read as they are shown.
    pub fn on_disk(diagnostics: Vec<Diagnostic>, key: &Key, records: usize) -> Problems {
        Problems {
            diagnostics,
            files: key.source_files(),
            records,
            key: Some(key.clone()),
        }
    }

    /// The number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity() == Severity::Error)
            .count()
    }

    /// Gives `show` the diagnostics in order, a run at a time (those in one file), with the
    /// files, each holding its text where the run points into it. `false` when a file read
    /// for it is no longer the size it was when checked.
    pub fn in_runs(&mut self, mut show: impl FnMut(&[Diagnostic], &[SourceFile])) -> bool {
        let Some(key) = &self.key else {
            show(&self.diagnostics, &self.files);
            return true;
        };
        let file_of = |d: &Diagnostic| d.primary.as_ref().map(|l| l.file);
        let mut start = 0;
        while start < self.diagnostics.len() {
            let file = file_of(&self.diagnostics[start]);
            let len = self.diagnostics[start..]
                .iter()
                .take_while(|d| file_of(d) == file)
                .count();
            let run = &self.diagnostics[start..start + len];
            let mut read = Vec::new();
            for label in run
                .iter()
                .flat_map(|d| d.primary.iter().chain(&d.secondary))
            {
                let n = label.file.0 as usize;
                let (Some(f), Some(stamp)) = (self.files.get_mut(n), key.files.get(n)) else {
                    continue;
                };
                if read.contains(&n) {
                    continue;
                }
                match key.read(n) {
                    Ok(bytes) if bytes.len() as u64 == stamp.size => {
                        f.text = crate::load::text_of(bytes);
                    }
                    _ => return false,
                }
                read.push(n);
            }
            show(run, &self.files);
            for n in read {
                self.files[n].text = String::new();
            }
            start += len;
        }
        true
    }
}
