//! Renders diagnostics like a compiler: `error[E0303]: ...`, `--> file:line:col`, the line, a
//! marker under the offending text, and hints. Nothing reaches the terminal raw: messages,
//! labels, hints and paths are on one line with their values cut ([`escape::message`]), and
//! the lines shown from a file have their control characters escaped and, when longer than
//! [`LINE_CHARS`], are cut around the places the labels point at ([`Shown`]); the
//! `file:line:col` is always that of the file as it is.

use std::ops::Range;

use std::io::Write as _;

use anstyle::{AnsiColor, Color, Style};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error, Files, Location, line_starts};
use codespan_reporting::term::{self, Chars, Config};

use super::escape;
use super::{Diagnostic, Severity};
use crate::model::SourceFile;

/// A line of a file longer than this many characters is shown cut, around its labels.
pub const LINE_CHARS: usize = 500;

/// Characters kept on each side of a place a label points at, in a line that is cut.
const AROUND: usize = 60;

/// Renders every diagnostic, in the order given, as plain text.
pub fn to_text(diags: &[Diagnostic], files: &[SourceFile]) -> String {
    to_text_in(diags, files, false)
}

/// [`to_text`], with severities, codes, line numbers and markers coloured when `colour` (ANSI
/// escapes, for a terminal that takes them).
pub fn to_text_in(diags: &[Diagnostic], files: &[SourceFile], colour: bool) -> String {
    let mut lines: Vec<Option<FileLines<'_>>> = files.iter().map(|_| None).collect();
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let mut out = String::new();
    for d in diags {
        let db = ShownFiles::new(d, files, &mut lines);
        let diagnostic = convert(d, &db);
        let rendered = if colour {
            let mut w = Styled(Vec::new());
            term::emit_to_write_style(&mut w, &config, &db, &diagnostic)
                .map(|()| String::from_utf8_lossy(&w.0).into_owned())
        } else {
            term::emit_into_string(&config, &db, &diagnostic)
        };
        match rendered {
            Ok(text) => out.push_str(&text),
            // A label outside its file cannot happen for spans the loader made; fall back to a
            // plain line rather than lose the problem.
            Err(_) => out.push_str(&plain(d)),
        }
    }
    out
}

/// Text with the styles of a diagnostic's parts, as ANSI escapes (anstyle).
struct Styled(Vec<u8>);

impl Styled {
    fn set(&mut self, style: Style) -> std::io::Result<()> {
        // A style replaces the one before it.
        write!(self.0, "{}{}", anstyle::Reset.render(), style.render())
    }
}

/// The colour of a severity: red for errors, yellow for warnings.
fn severity_colour(severity: cs::Severity) -> Style {
    let colour = match severity {
        cs::Severity::Bug | cs::Severity::Error => AnsiColor::Red,
        cs::Severity::Warning => AnsiColor::Yellow,
        cs::Severity::Note => AnsiColor::Green,
        cs::Severity::Help => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(Color::Ansi(colour)))
}

/// Line numbers, borders and secondary markers.
const FRAME: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::BrightBlue)));

impl std::io::Write for Styled {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl term::WriteStyle for Styled {
    fn set_header(&mut self, severity: cs::Severity) -> std::io::Result<()> {
        self.set(severity_colour(severity).bold())
    }

    fn set_header_message(&mut self) -> std::io::Result<()> {
        self.set(Style::new().bold())
    }

    fn set_line_number(&mut self) -> std::io::Result<()> {
        self.set(FRAME)
    }

    fn set_note_bullet(&mut self) -> std::io::Result<()> {
        self.set(FRAME)
    }

    fn set_source_border(&mut self) -> std::io::Result<()> {
        self.set(FRAME)
    }

    fn set_label(&mut self, severity: cs::Severity, style: cs::LabelStyle) -> std::io::Result<()> {
        match style {
            cs::LabelStyle::Primary => self.set(severity_colour(severity).bold()),
            cs::LabelStyle::Secondary => self.set(FRAME),
        }
    }

    fn reset(&mut self) -> std::io::Result<()> {
        write!(self.0, "{}", anstyle::Reset.render())
    }
}

/// A file's text and where each of its lines starts (found once for all its diagnostics).
struct FileLines<'t> {
    name: String,
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> FileLines<'t> {
    fn new(file: &'t SourceFile) -> FileLines<'t> {
        FileLines {
            name: escape::one_line(&file.path).into_owned(),
            text: &file.text,
            starts: line_starts(&file.text).collect(),
        }
    }

    /// The line holding byte `at`.
    fn line_of(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at).saturating_sub(1)
    }

    /// Line `i`, with its line end, and without it.
    fn line(&self, i: usize) -> (Range<usize>, usize) {
        let start = self.starts[i];
        let next = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        let end = if next > start && self.text.as_bytes()[next - 1] == b'\n' {
            next - 1
        } else {
            next
        };
        (start..next, end)
    }
}

/// Lines shown on each side of a line a diagnostic points into: what codespan-reporting may
/// show around a label (its context lines, and a line between two shown).
const AROUND_LINES: usize = 4;

/// The lines of a file one diagnostic shows, as shown: each with its control characters
/// escaped (tabs and line ends kept) and, when longer than [`LINE_CHARS`], cut around the
/// places the diagnostic points at; with what it takes to map a place of the file into them
/// and back. Only these few lines are made, whatever the size of the file.
struct Shown<'f, 't> {
    file: &'f FileLines<'t>,
    /// The lines shown, one after another.
    shown: String,
    /// Each line shown: its number in the file, and where it is in `shown`.
    lines: Vec<(usize, Range<usize>)>,
    /// `(offset in the file, offset in the text shown)` wherever the two stop differing by
    /// the same amount; in order of both.
    shifts: Vec<(usize, usize)>,
}

impl<'f, 't> Shown<'f, 't> {
    /// The lines of `file` around `points` (sorted byte offsets), as shown.
    fn new(file: &'f FileLines<'t>, points: &[usize]) -> Shown<'f, 't> {
        let text = file.text;
        let mut numbers: Vec<usize> = Vec::new();
        for &p in points {
            let l = file.line_of(p);
            let last = (l + AROUND_LINES).min(file.starts.len() - 1);
            numbers.extend(l.saturating_sub(AROUND_LINES)..=last);
        }
        numbers.sort_unstable();
        numbers.dedup();
        let mut shown = String::new();
        let mut lines = Vec::with_capacity(numbers.len());
        let mut shifts = Vec::new();
        for n in numbers {
            let (whole, end) = file.line(n);
            let start = whole.start;
            let at_start = shown.len();
            shifts.push((start, shown.len()));
            let mut cursor = start;
            for piece in kept(text, start, end, points) {
                if piece.start > cursor {
                    shifts.push((cursor, shown.len()));
                    shown.push('…');
                    shifts.push((piece.start, shown.len()));
                }
                for (at, c) in text[piece.clone()].char_indices() {
                    let at = piece.start + at;
                    let keep = c == '\t' || (c == '\r' && at + 1 == end && end < whole.end);
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
            shown.push_str(&text[end..whole.end]);
            lines.push((n, at_start..shown.len()));
        }
        shifts.dedup();
        Shown {
            file,
            shown,
            lines,
            shifts,
        }
    }

    /// Where byte `at` of the file is in the text shown (a byte of a line shown).
    fn to_shown(&self, at: usize) -> usize {
        let i = self.shifts.partition_point(|s| s.0 <= at).saturating_sub(1);
        let Some(&(from, to)) = self.shifts.get(i) else {
            return 0;
        };
        let next = self.shifts.get(i + 1).map_or(self.shown.len(), |n| n.1);
        (to + at.saturating_sub(from)).min(next)
    }

    /// Where byte `at` of the text shown stands in the file.
    fn to_file(&self, at: usize) -> usize {
        let i = self.shifts.partition_point(|s| s.1 <= at).saturating_sub(1);
        let Some(&(from, to)) = self.shifts.get(i) else {
            return 0;
        };
        let next = self.shifts.get(i + 1).map_or(self.file.text.len(), |n| n.0);
        (from + at.saturating_sub(to)).min(next)
    }
}

/// The stretches of the line `start..end` of `text` that are shown: all of it when it is
/// short; else its first characters and those around each of `points` within it.
fn kept(text: &str, start: usize, end: usize, points: &[usize]) -> Vec<Range<usize>> {
    let line = &text[start..end];
    if line.len() <= LINE_CHARS || line.chars().count() <= LINE_CHARS {
        return std::iter::once(start..end).collect();
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
    let mut pieces: Vec<Range<usize>> = std::iter::once(start..ahead(start)).collect();
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

/// The files one diagnostic points into, as it shows them. Line indices are those of the
/// files, so that line numbers, and which lines stand next to which, are the files' own.
struct ShownFiles<'f, 't> {
    files: Vec<Option<Shown<'f, 't>>>,
}

impl<'f, 't> ShownFiles<'f, 't> {
    fn new(
        d: &Diagnostic,
        files: &'t [SourceFile],
        lines: &'f mut [Option<FileLines<'t>>],
    ) -> ShownFiles<'f, 't> {
        let mut points: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
        for l in d.primary.iter().chain(&d.secondary) {
            if let Some(p) = points.get_mut(l.file.0 as usize) {
                let len = files[l.file.0 as usize].text.len();
                p.extend([
                    (l.span.start as usize).min(len),
                    (l.span.end as usize).min(len),
                ]);
            }
        }
        for ((f, l), p) in files.iter().zip(lines.iter_mut()).zip(&points) {
            if !p.is_empty() && l.is_none() {
                *l = Some(FileLines::new(f));
            }
        }
        let files = lines
            .iter()
            .zip(&mut points)
            .map(|(l, p)| {
                let l = l.as_ref().filter(|_| !p.is_empty())?;
                p.sort_unstable();
                p.dedup();
                Some(Shown::new(l, p))
            })
            .collect();
        ShownFiles { files }
    }

    fn get(&self, id: usize) -> Result<&Shown<'f, 't>, Error> {
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

impl<'a> Files<'a> for ShownFiles<'_, '_> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(&self.get(id)?.file.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(&self.get(id)?.shown)
    }

    /// The file's own line number (from 0) of byte `byte_index` of the text shown.
    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, Error> {
        let f = self.get(id)?;
        let i = f
            .lines
            .partition_point(|(_, r)| r.start <= byte_index)
            .saturating_sub(1);
        Ok(f.lines.get(i).map_or(0, |(n, _)| *n))
    }

    /// Where line `line_index` of the file is in the text shown: empty, at the end, for a
    /// line that is not shown.
    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        let f = self.get(id)?;
        if line_index >= f.file.starts.len() {
            return Err(Error::LineTooLarge {
                given: line_index,
                max: f.file.starts.len() - 1,
            });
        }
        Ok(
            match f.lines.binary_search_by_key(&line_index, |(n, _)| *n) {
                Ok(i) => f.lines[i].1.clone(),
                Err(_) => f.shown.len()..f.shown.len(),
            },
        )
    }

    /// The line and column of the file itself, not of the text shown.
    fn location(&'a self, id: usize, byte_index: usize) -> Result<Location, Error> {
        let f = self.get(id)?;
        let at = f.to_file(byte_index);
        let line = f.file.line_of(at);
        let column = f
            .file
            .text
            .get(f.file.starts[line]..at)
            .map_or(0, |s| s.chars().count());
        Ok(Location {
            line_number: line + 1,
            column_number: column + 1,
        })
    }
}

fn convert(d: &Diagnostic, db: &ShownFiles<'_, '_>) -> cs::Diagnostic<usize> {
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
                .map(|h| format!("hint: {}", escape::hint(h)))
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
    fn in_colour_the_same_text_with_severity_styles() {
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
        );
        let plain = to_text(std::slice::from_ref(&d), &files);
        let coloured = to_text_in(&[d], &files, true);
        let red = severity_colour(cs::Severity::Error).bold();
        assert!(
            coloured.contains(&format!("{}error[E0303]", red.render())),
            "{coloured:?}"
        );
        assert!(!plain.contains('\u{1b}'));
        assert_eq!(anstream::adapter::strip_str(&coloured).to_string(), plain);
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
