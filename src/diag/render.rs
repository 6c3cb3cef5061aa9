//! Renders diagnostics like a compiler: `error[E0303]: ...`, `--> file:line:col`, the line, a
//! marker under the offending text, and hints. Nothing reaches the terminal raw: messages,
//! labels, hints and paths are on one line with their values cut ([`escape::message`]), and
//! the lines shown from a file have their control characters escaped and, when longer than
//! [`LINE_CHARS`], are cut around the places the labels point at ([`Shown`]); the
//! `file:line:col` is always that of the file as it is.

use std::ops::Range;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error, Files, Location, line_starts};
use codespan_reporting::term::{self, Chars, Config};

use super::escape;
use super::{Diagnostic, Severity};
use crate::model::SourceFile;

/// A line of a file longer than this many characters is shown cut, around its labels.
pub const LINE_CHARS: usize = 160;

/// Characters kept on each side of a place a label points at, in a line that is cut.
const AROUND: usize = 40;

/// Renders every diagnostic, in the order given, as plain text.
pub fn to_text(diags: &[Diagnostic], files: &[SourceFile]) -> String {
    let db = ShownFiles::new(diags, files);
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let mut out = String::new();
    for d in diags {
        let rendered = term::emit_into_string(&config, &db, &convert(d, &db));
        match rendered {
            Ok(text) => out.push_str(&text),
            // A label outside its file cannot happen for spans the loader made; fall back to a
            // plain line rather than lose the problem.
            Err(_) => out.push_str(&plain(d)),
        }
    }
    out
}

/// A file as diagnostics show it: its text with control characters escaped (tabs and line
/// ends kept) and long lines cut around the places labels point at, with what it takes to map
/// a place of the file to the text shown and back.
struct Shown<'t> {
    name: String,
    /// The file's text.
    text: &'t str,
    /// Where each of its lines starts.
    starts: Vec<usize>,
    /// The text shown: the same lines.
    shown: String,
    shown_starts: Vec<usize>,
    /// `(offset in the file, offset in the text shown)` wherever the two stop differing by
    /// the same amount; in order of both.
    shifts: Vec<(usize, usize)>,
}

impl<'t> Shown<'t> {
    /// `file` as shown, its lines cut around `points` (sorted byte offsets).
    fn new(file: &'t SourceFile, points: &[usize]) -> Shown<'t> {
        let text = file.text.as_str();
        let starts: Vec<usize> = line_starts(text).collect();
        let mut shown = String::with_capacity(text.len());
        let mut shifts = vec![(0, 0)];
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).map_or(text.len(), |&n| n - 1);
            let mut cursor = start;
            for piece in kept(text, start, end, points) {
                if piece.start > cursor {
                    shifts.push((cursor, shown.len()));
                    shown.push('…');
                    shifts.push((piece.start, shown.len()));
                }
                for (at, c) in text[piece.clone()].char_indices() {
                    let at = piece.start + at;
                    let keep =
                        c == '\t' || (c == '\r' && text.as_bytes().get(at + 1) == Some(&b'\n'));
                    match escape::escaped(c).filter(|_| !keep) {
                        Some(e) => {
                            shifts.push((at, shown.len()));
                            shown.push_str(&e);
                            shifts.push((at + c.len_utf8(), shown.len()));
                        }
                        None => shown.push(c),
                    }
                }
                cursor = piece.end;
            }
            if cursor < end {
                shifts.push((cursor, shown.len()));
                shown.push('…');
                shifts.push((end, shown.len()));
            }
            if end < text.len() {
                shown.push('\n');
            }
        }
        shifts.dedup();
        let shown_starts = line_starts(&shown).collect();
        Shown {
            name: escape::one_line(&file.path).into_owned(),
            text,
            starts,
            shown,
            shown_starts,
            shifts,
        }
    }

    /// Where byte `at` of the file is in the text shown.
    fn to_shown(&self, at: usize) -> usize {
        let i = self.shifts.partition_point(|s| s.0 <= at).saturating_sub(1);
        let (from, to) = self.shifts[i];
        let next = self.shifts.get(i + 1).map_or(usize::MAX, |n| n.1);
        (to + (at - from)).min(next).min(self.shown.len())
    }

    /// Where byte `at` of the text shown stands in the file.
    fn to_file(&self, at: usize) -> usize {
        let i = self.shifts.partition_point(|s| s.1 <= at).saturating_sub(1);
        let (from, to) = self.shifts[i];
        let next = self.shifts.get(i + 1).map_or(usize::MAX, |n| n.0);
        (from + (at - to)).min(next).min(self.text.len())
    }
}

/// The stretches of the line `start..end` of `text` that are shown: all of it when it is
/// short; else its first characters and those around each of `points` within it.
fn kept(text: &str, start: usize, end: usize, points: &[usize]) -> Vec<Range<usize>> {
    let line = &text[start..end];
    if line.len() <= LINE_CHARS || line.chars().count() <= LINE_CHARS {
        return vec![start..end];
    }
    let back = |at: usize| {
        text[start..at]
            .char_indices()
            .rev()
            .nth(AROUND - 1)
            .map_or(start, |(i, _)| start + i)
    };
    let ahead = |at: usize| {
        text[at..end]
            .char_indices()
            .nth(AROUND)
            .map_or(end, |(i, _)| at + i)
    };
    let mut pieces = vec![start..ahead(start)];
    let first = points.partition_point(|&p| p < start);
    for &p in points[first..].iter().take_while(|&&p| p <= end) {
        pieces.push(back(p)..ahead(p));
    }
    let mut merged: Vec<Range<usize>> = Vec::new();
    for p in pieces {
        match merged.last_mut() {
            Some(last) if p.start <= last.end => last.end = last.end.max(p.end),
            _ => merged.push(p),
        }
    }
    merged
}

/// The files that the diagnostics point into, as shown.
struct ShownFiles<'t> {
    files: Vec<Option<Shown<'t>>>,
}

impl<'t> ShownFiles<'t> {
    fn new(diags: &[Diagnostic], files: &'t [SourceFile]) -> ShownFiles<'t> {
        let mut points: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
        for d in diags {
            for l in d.primary.iter().chain(&d.secondary) {
                if let Some(p) = points.get_mut(l.file.0 as usize) {
                    p.extend([l.span.start as usize, l.span.end as usize]);
                }
            }
        }
        let files = files
            .iter()
            .zip(&mut points)
            .map(|(f, p)| {
                (!p.is_empty()).then(|| {
                    p.sort_unstable();
                    p.dedup();
                    Shown::new(f, p)
                })
            })
            .collect();
        ShownFiles { files }
    }

    fn get(&self, id: usize) -> Result<&Shown<'t>, Error> {
        self.files
            .get(id)
            .and_then(Option::as_ref)
            .ok_or(Error::FileMissing)
    }

    /// Byte range `r` of file `id`, in the text shown.
    fn range(&self, id: usize, r: Range<usize>) -> Range<usize> {
        match self.get(id) {
            Ok(f) => f.to_shown(r.start)..f.to_shown(r.end),
            Err(_) => r,
        }
    }
}

impl<'a> Files<'a> for ShownFiles<'_> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(&self.get(id)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(&self.get(id)?.shown)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, Error> {
        let starts = &self.get(id)?.shown_starts;
        Ok(starts
            .partition_point(|&s| s <= byte_index)
            .saturating_sub(1))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        let f = self.get(id)?;
        let starts = &f.shown_starts;
        let start = *starts.get(line_index).ok_or(Error::LineTooLarge {
            given: line_index,
            max: starts.len() - 1,
        })?;
        let end = starts.get(line_index + 1).copied().unwrap_or(f.shown.len());
        Ok(start..end)
    }

    /// The line and column of the file itself, not of the text shown.
    fn location(&'a self, id: usize, byte_index: usize) -> Result<Location, Error> {
        let f = self.get(id)?;
        let at = f.to_file(byte_index);
        let line = f.starts.partition_point(|&s| s <= at).saturating_sub(1);
        let column = f.text[f.starts[line]..at].chars().count();
        Ok(Location {
            line_number: line + 1,
            column_number: column + 1,
        })
    }
}

fn convert(d: &Diagnostic, db: &ShownFiles<'_>) -> cs::Diagnostic<usize> {
    let severity = match d.severity() {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels = Vec::new();
    if let Some(p) = &d.primary {
        let id = p.file.0 as usize;
        labels.push(
            cs::Label::primary(id, db.range(id, p.span.range()))
                .with_message(escape::message(&p.message)),
        );
    }
    for s in &d.secondary {
        let id = s.file.0 as usize;
        labels.push(
            cs::Label::secondary(id, db.range(id, s.span.range()))
                .with_message(escape::message(&s.message)),
        );
    }
    let mut message = escape::message(&d.message);
    if d.primary.is_none()
        && let Some(path) = &d.path
    {
        message = format!("{}: {message}", escape::one_line(path));
    }
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(message)
        .with_labels(labels)
        .with_notes(
            d.hints
                .iter()
                .map(|h| format!("hint: {}", escape::message(h)))
                .collect(),
        )
}

fn plain(d: &Diagnostic) -> String {
    let sev = match d.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!("{sev}[{}]: {}\n", d.code, escape::message(&d.message))
}

/// `file:line:col` (1-based, columns in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before
        .get(line_start..)
        .map_or(1, |s| s.chars().count() + 1);
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::model::{FileId, Span};

    #[test]
    fn renders_location_line_marker_and_hint() {
        let text = "[\n    Sanction(by: \"EUU\"),\n]\n";
        let at = text.find("\"EUU\"").expect("present");
        let files = vec![SourceFile {
            path: "graph/s.ron".into(),
            text: text.into(),
        }];
        let d = Diagnostic::at(
            Code::UnknownReference,
            FileId(0),
            Span::new(at, at + 5),
            "unknown id `EUU`",
        )
        .hint("did you mean `EU`?");
        let text = to_text(&[d], &files);
        assert!(text.contains("error[E0303]: unknown id `EUU`"), "{text}");
        assert!(text.contains("graph/s.ron:2:18"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.contains("hint: did you mean `EU`?"), "{text}");
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_col("ab\n\u{e9}\u{e9}x", 7), (2, 3));
        assert_eq!(line_col("", 0), (1, 1));
    }

    fn one_file(text: &str) -> Vec<SourceFile> {
        vec![SourceFile {
            path: "graph/s.ron".into(),
            text: text.into(),
        }]
    }

    fn unknown(text: &str, value: &str) -> Diagnostic {
        let at = text.find(value).expect("present");
        Diagnostic::at(
            Code::UnknownReference,
            FileId(0),
            Span::new(at, at + value.len()),
            format!("unknown id `{value}`"),
        )
        .label("unknown")
        .hint(format!("did you mean `{value}x`?"))
    }

    #[test]
    fn control_characters_never_reach_the_terminal_and_places_stay_right() {
        let hostile = "\"\u{1b}]0;pwned\u{7}\u{1b}[2J\"";
        let text = format!("[\n    Sanction(by: {hostile}, against: [\"EUU\"]),\n]\n");
        let files = one_file(&text);
        let shown = to_text(
            &[unknown(&text, hostile), unknown(&text, "\"EUU\"")],
            &files,
        );
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown}"
        );
        assert!(shown.contains("\\x1b]0;pwned\\x07\\x1b[2J"), "{shown}");
        assert!(shown.contains("graph/s.ron:2:18"), "{shown}");
        // The second value's column counts the file's characters, not the escapes shown.
        let col = 18 + hostile.chars().count() + ", against: [".len();
        assert!(shown.contains(&format!("graph/s.ron:2:{col}")), "{shown}");
        // The marker stands under the value as shown, escapes included.
        let under = shown
            .lines()
            .find(|l| l.contains("^^^^") && l.contains("unknown"))
            .expect("a marker");
        assert_eq!(
            under.matches('^').count(),
            "\"\\x1b]0;pwned\\x07\\x1b[2J\"".len()
        );
    }

    #[test]
    fn a_huge_value_is_shown_cut_on_a_line_cut_around_it() {
        let value = format!("\"{}\"", "y".repeat(1 << 20));
        let text = format!("[State(id: \"X\", name: {value}, cow: 1, founded: \"2020-13\")]\n");
        let files = one_file(&text);
        let date = Diagnostic::at(
            Code::BadDate,
            FileId(0),
            Span::new(text.find("\"2020-13").expect("in"), text.len() - 3),
            "`2020-13` is not a date",
        );
        let shown = to_text(&[unknown(&text, &value), date], &files);
        assert!(shown.len() < 4000, "{} bytes", shown.len());
        let col = text.find("\"2020-13").expect("in") + 1;
        assert!(shown.contains(&format!("graph/s.ron:1:{col}")), "{shown}");
        assert!(shown.contains("…"), "{shown}");
    }

    #[test]
    fn an_id_of_a_million_newlines_does_not_push_the_place_down() {
        let id = format!("\"{}\"", "\\n".repeat(1_000_000));
        let text = format!("[Sanction(id: {id})]\n");
        let files = one_file(&text);
        let mut d = unknown(&text, &id);
        d.message = format!("unknown id `{}`", "\n".repeat(1_000_000));
        let shown = to_text(&[d], &files);
        let place = shown
            .lines()
            .position(|l| l.contains("-->"))
            .expect("a place");
        assert!(place <= 2, "{shown}");
        assert!(shown.len() < 2000, "{} bytes", shown.len());
    }
}
