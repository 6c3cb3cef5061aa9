//! Renders diagnostics like a compiler: `error[E0303]: ...`, `--> file:line:col`, the line, a
//! marker under the offending text, and hints.

use std::io::Write as _;

use anstyle::{AnsiColor, Color, Style};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Chars, Config};

use super::{Diagnostic, Severity};
use crate::model::SourceFile;

/// Renders every diagnostic, in the order given, as plain text.
pub fn to_text(diags: &[Diagnostic], files: &[SourceFile]) -> String {
    to_text_in(diags, files, false)
}

/// [`to_text`], with severities, codes, line numbers and markers coloured when `colour` (ANSI
/// escapes, for a terminal that takes them).
pub fn to_text_in(diags: &[Diagnostic], files: &[SourceFile], colour: bool) -> String {
    let mut db = SimpleFiles::new();
    for f in files {
        db.add(f.path.as_str(), f.text.as_str());
    }
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let mut out = String::new();
    for d in diags {
        let diagnostic = convert(d);
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

fn convert(d: &Diagnostic) -> cs::Diagnostic<usize> {
    let severity = match d.severity() {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels = Vec::new();
    if let Some(p) = &d.primary {
        labels.push(
            cs::Label::primary(p.file.0 as usize, p.span.range()).with_message(p.message.clone()),
        );
    }
    for s in &d.secondary {
        labels.push(
            cs::Label::secondary(s.file.0 as usize, s.span.range()).with_message(s.message.clone()),
        );
    }
    let mut message = d.message.clone();
    if d.primary.is_none()
        && let Some(path) = &d.path
    {
        message = format!("{path}: {message}");
    }
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(message)
        .with_labels(labels)
        .with_notes(d.hints.iter().map(|h| format!("hint: {h}")).collect())
}

fn plain(d: &Diagnostic) -> String {
    let sev = match d.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!("{sev}[{}]: {}\n", d.code, d.message)
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
}
