//! Turns ron's deserialization errors into diagnostics that point at the record, field or
//! value at fault and say what to write instead.

use ron::error::{Error as RonError, Position, SpannedError};

use super::outline::{Body, Node};
use crate::diag::{Code, Diagnostic, did_you_mean, nearest};
use crate::model::{FileId, Span};

/// The byte offset in `text` of ron's 1-based line and character column.
pub fn offset_of(text: &str, pos: Position) -> usize {
    let mut line_start = 0;
    for _ in 1..pos.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[line_start..];
    let col = pos.col.saturating_sub(1);
    line_start + rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i)
}

/// The innermost `Name(...)` or `[...]` whose span contains `offset`.
fn innermost(node: &Node, offset: usize) -> &Node {
    let mut cur = node;
    'descend: loop {
        let children: Vec<&Node> = match &cur.body {
            Body::Atom => return cur,
            Body::Paren(entries) => entries.iter().map(|e| &e.value).collect(),
            Body::List(items) => items.iter().collect(),
            Body::Map(pairs) => pairs.iter().flat_map(|(k, v)| [k, v]).collect(),
        };
        for c in children {
            if !matches!(c.body, Body::Atom) && c.span.range().contains(&offset) {
                cur = c;
                continue 'descend;
            }
        }
        return cur;
    }
}

/// The key span of field `name` in the innermost record around `offset`.
fn key_span(record: &Node, offset: usize, name: &str, text: &str) -> Option<Span> {
    let inner = innermost(record, offset);
    let Body::Paren(entries) = &inner.body else {
        return None;
    };
    entries
        .iter()
        .filter_map(|e| e.key)
        .filter(|k| text.get(k.range()) == Some(name))
        .min_by_key(|k| (k.start as i64 - offset as i64).unsigned_abs())
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_found(found: &str) -> String {
    found.replace('"', "`")
}

/// A diagnostic for ron's `err` on the record `record`, whose text is `text[record.span]`.
pub fn diagnose(err: &SpannedError, file: FileId, text: &str, record: &Node) -> Diagnostic {
    let base = record.span.start as usize;
    let chunk = &text[record.span.range()];
    let at = base + offset_of(chunk, err.span.start).min(chunk.len());
    let head = record.name.unwrap_or(record.span);
    let near = |offset: usize| {
        let inner = innermost(record, offset);
        inner.name.unwrap_or(Span::new(
            inner.span.start as usize,
            inner.span.start as usize + 1,
        ))
    };
    let point = Span::new(at, (at + 1).min(text.len()));
    // ron may stop just before the value, on the blank after the `:`; values start after it.
    let value_at = at + text[at..].len() - text[at..].trim_start().len();
    match &err.code {
        // The record's own kind is the variant of the top-level enum `RawRecord`.
        RonError::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } if matches!(outer.as_deref(), None | Some("RawRecord")) || at <= head.end as usize => {
            let d = Diagnostic::at(
                Code::UnknownKind,
                file,
                head,
                format!("`{found}` is not a kind of record"),
            )
            .label("unknown record kind");
            let hint = did_you_mean(&nearest(found, expected.iter().copied(), 3))
                .unwrap_or_else(|| format!("records are one of {}", list(expected)));
            d.hint(hint)
        }
        RonError::NoSuchEnumVariant {
            expected, found, ..
        } => {
            let span = value_span_at(record, value_at).unwrap_or(point);
            let d = Diagnostic::at(
                Code::WrongType,
                file,
                span,
                format!("`{found}` is not one of the allowed values"),
            )
            .label("unknown value");
            let hint = match did_you_mean(&nearest(found, expected.iter().copied(), 3)) {
                Some(h) => format!("{h} (allowed: {})", list(expected)),
                None => format!("allowed: {}", list(expected)),
            };
            d.hint(hint)
        }
        RonError::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            let span = key_span(record, at, found, text).unwrap_or(point);
            let kind = outer.as_deref().unwrap_or("this record");
            let d = Diagnostic::at(
                Code::UnknownField,
                file,
                span,
                format!("`{kind}` has no field `{found}`"),
            )
            .label("unknown field");
            let hint = match did_you_mean(&nearest(found, expected.iter().copied(), 2)) {
                Some(h) => h,
                None => format!("its fields are {}", list(expected)),
            };
            d.hint(hint)
        }
        RonError::MissingStructField { field, outer } => {
            let kind = outer.as_deref().unwrap_or("this record");
            Diagnostic::at(
                Code::MissingField,
                file,
                near(at.saturating_sub(1)),
                format!("`{kind}` lacks the required field `{field}`"),
            )
            .label(format!("add `{field}: ...` here"))
            .hint(format!(
                "see the table of `{kind}` in docs/format.md for its fields and their values"
            ))
        }
        RonError::DuplicateStructField { field, outer } => {
            let kind = outer.as_deref().unwrap_or("this record");
            let span = key_span(record, at, field, text).unwrap_or(point);
            Diagnostic::at(
                Code::DuplicateField,
                file,
                span,
                format!("`{kind}` gives the field `{field}` twice"),
            )
            .label("second time")
            .hint("keep one of them")
        }
        RonError::ExceededRecursionLimit => Diagnostic::at(
            Code::TooDeep,
            file,
            point,
            "values are nested too deeply".to_string(),
        ),
        RonError::InvalidValueForType { expected, found } => {
            let span = value_span_at(record, value_at).unwrap_or(point);
            Diagnostic::at(
                Code::WrongType,
                file,
                span,
                format!(
                    "expected {}, found {}",
                    describe_found(expected),
                    describe_found(found)
                ),
            )
            .label("wrong type")
        }
        RonError::ExpectedString
        | RonError::ExpectedStringEnd
        | RonError::ExpectedArray
        | RonError::ExpectedInteger
        | RonError::IntegerOutOfBounds
        | RonError::ExpectedStructLike
        | RonError::ExpectedNamedStructLike(_)
        | RonError::ExpectedDifferentStructName { .. }
        | RonError::ExpectedIdentifier
        | RonError::ExpectedBoolean
        | RonError::ExpectedFloat
        | RonError::ExpectedUnit
        | RonError::ExpectedOption
        | RonError::ExpectedMap => {
            let span = value_span_at(record, value_at).unwrap_or(point);
            let written = text.get(span.range()).unwrap_or("");
            let quoted = written.starts_with('"');
            let what = match &err.code {
                RonError::ExpectedString | RonError::ExpectedStringEnd => {
                    "expected a string in double quotes".to_string()
                }
                RonError::ExpectedArray => "expected a list `[...]`".to_string(),
                RonError::ExpectedInteger if quoted => {
                    "expected a whole number, found a string".to_string()
                }
                RonError::ExpectedInteger | RonError::IntegerOutOfBounds => {
                    "expected a whole number".to_string()
                }
                RonError::ExpectedDifferentStructName { expected, found } => {
                    format!("expected `{expected}(...)`, found `{found}(...)`")
                }
                RonError::ExpectedNamedStructLike(name) => format!("expected `{name}(...)`"),
                other => format!("{}", other).to_lowercase(),
            };
            let d = Diagnostic::at(Code::WrongType, file, span, what).label("here");
            match &err.code {
                RonError::ExpectedInteger | RonError::ExpectedFloat if quoted => d.hint(format!(
                    "write the number without quotes: `{}`",
                    written.trim_matches('"')
                )),
                RonError::ExpectedArray if !written.is_empty() => d.hint(format!(
                    "a list is written in brackets, even with one item: `[{written}]`"
                )),
                RonError::ExpectedString if !written.is_empty() && !quoted => {
                    d.hint(format!("put the text in double quotes: `\"{written}\"`"))
                }
                _ => d,
            }
        }
        RonError::Message(m) => {
            let span = value_span_at(record, value_at).unwrap_or(point);
            Diagnostic::at(Code::WrongType, file, span, describe_found(m)).label("here")
        }
        other => {
            // ron reads `370.5` as the number `370` followed by junk: a fraction where a whole
            // number belongs.
            let span = value_span_at(record, value_at).unwrap_or(point);
            let written = text.get(span.range()).unwrap_or("");
            let fraction = written.starts_with(|c: char| c.is_ascii_digit() || c == '-')
                && written.contains(['.', 'e', 'E'])
                && written.parse::<f64>().is_ok();
            if fraction {
                Diagnostic::at(
                    Code::WrongType,
                    file,
                    span,
                    format!("expected a whole number, found `{written}`"),
                )
                .label("not a whole number")
            } else {
                let what = format!("{other}");
                let what = match what.chars().next() {
                    Some(c) => c.to_lowercase().chain(what.chars().skip(1)).collect(),
                    None => what,
                };
                Diagnostic::at(
                    Code::Syntax,
                    file,
                    point,
                    format!("cannot read this: {what}"),
                )
                .label("here")
            }
        }
    }
}

/// The span of the value that starts at or contains `offset` within the record.
fn value_span_at(record: &Node, offset: usize) -> Option<Span> {
    let mut best: Option<Span> = None;
    let mut stack = vec![record];
    while let Some(n) = stack.pop() {
        let r = n.span.range();
        if r.start <= offset && offset <= r.end {
            match best {
                Some(b) if b.end - b.start <= n.span.end - n.span.start => {}
                _ => best = Some(n.span),
            }
        }
        match &n.body {
            Body::Atom => {}
            Body::Paren(es) => stack.extend(es.iter().map(|e| &e.value)),
            Body::List(items) => stack.extend(items.iter()),
            Body::Map(pairs) => stack.extend(pairs.iter().flat_map(|(k, v)| [k, v])),
        }
    }
    best.filter(|b| *b != record.span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters() {
        let text = "ab\n\u{e9}\u{e9}x";
        assert_eq!(offset_of(text, Position { line: 2, col: 3 }), 7);
        assert_eq!(offset_of(text, Position { line: 1, col: 1 }), 0);
        assert_eq!(offset_of(text, Position { line: 9, col: 1 }), text.len());
    }
}
