//! Renders diagnostics like a compiler: `error[E0303]: ...`, `--> file:line:col`, the line, a
//! marker under the offending text, and hints.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Chars, Config};

use super::{Diagnostic, Severity};
use crate::model::SourceFile;

/// Renders every diagnostic, in the order given, as plain text.
pub fn to_text(diags: &[Diagnostic], files: &[SourceFile]) -> String {
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
        let rendered = term::emit_into_string(&config, &db, &convert(d));
        match rendered {
            Ok(text) => out.push_str(&text),
            // A label outside its file cannot happen for spans the loader made; fall back to a
            // plain line rather than lose the problem.
            Err(_) => out.push_str(&plain(d)),
        }
    }
    out
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
    fn columns_count_characters() {
        assert_eq!(line_col("ab\n\u{e9}\u{e9}x", 7), (2, 3));
        assert_eq!(line_col("", 0), (1, 1));
    }
}
