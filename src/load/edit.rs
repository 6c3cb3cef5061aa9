//! Adding one item at the end of a list in a file's text, keeping everything else as it was:
//! comments, blank lines and the curator's own layout. The new item is written in the canonical
//! layout; the whole file is laid out again only when it was canonical already, so a file the
//! curator did not ask to format is never reformatted.

use super::format::{self, FormatError};
use super::lex::{self, Token, TokenKind};
use super::outline::{self, Body, Node};
use crate::model::Span;

/// Which list of a file to add to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListAt<'a> {
    /// The file's list of records.
    Records,
    /// A list field of one record, e.g. the `parties` of the `Treaty` whose id is `cst-1992`
    /// (ids compare ignoring case).
    Field {
        /// The record's kind, e.g. `Treaty`.
        kind: &'a str,
        /// Its id.
        id: &'a str,
        /// The list field, e.g. `parties`.
        field: &'a str,
    },
}

/// A file's text with the item added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    /// The new text.
    pub text: String,
    /// Where the new item stands in it.
    pub span: Span,
    /// Whether the whole text was laid out again (because it was canonical before).
    pub reformatted: bool,
}

/// Why an item cannot be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The file's text, or the item, is not RON.
    Format(FormatError),
    /// The list to add to is not there.
    NotFound(String),
}

impl From<FormatError> for EditError {
    fn from(e: FormatError) -> EditError {
        EditError::Format(e)
    }
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::Format(e) => write!(f, "{e}"),
            EditError::NotFound(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for EditError {}

/// Adds `item` (the text of one RON value, e.g. `State(id: "BLR", name: "Belarus")`) as the
/// last item of the list `at` in `text` (a file's text, without a byte-order mark). Comments on
/// the line of the former last item stay with it; line ends follow the file's.
pub fn append(text: &str, at: ListAt<'_>, item: &str) -> Result<Edited, EditError> {
    let canonical = format::format_source(text)? == text;
    // The item must be one value; laying it out checks that.
    format::format_item(item, 0)?;
    let tokens = lex::tokenize(text).map_err(|e| EditError::NotFound(e.message))?;
    let top = outline::parse(text, &tokens).map_err(|e| EditError::NotFound(e.message))?;
    let (raw, before) = match &top {
        Some(top) => {
            let list = find_list(text, top, at)?;
            (insert(text, &tokens, list, item)?, count(list))
        }
        None if at == ListAt::Records => {
            let head = text.trim_end();
            let sep = if head.is_empty() { "" } else { "\n" };
            (format!("{head}{sep}{}", new_file(item)?), 0)
        }
        None => return Err(EditError::NotFound("the file holds no records".into())),
    };
    let text = if canonical {
        format::format_source(&raw)?
    } else {
        raw
    };
    let tokens = lex::tokenize(&text).map_err(|e| EditError::NotFound(e.message))?;
    let top = outline::parse(&text, &tokens)
        .map_err(|e| EditError::NotFound(e.message))?
        .ok_or_else(|| EditError::NotFound("the file holds no records".into()))?;
    let list = find_list(&text, &top, at)?;
    let span = match &list.body {
        Body::List(items) if items.len() == before + 1 => items.last().map(|n| n.span),
        _ => None,
    }
    .ok_or_else(|| EditError::NotFound("the item could not be added to the list".into()))?;
    Ok(Edited {
        text,
        span,
        reformatted: canonical,
    })
}

/// A new file holding one item, in the canonical layout.
pub fn new_file(item: &str) -> Result<String, FormatError> {
    Ok(format!(
        "[\n{}]\n",
        format::format_item(item, format::INDENT)?
    ))
}

fn count(list: &Node) -> usize {
    match &list.body {
        Body::List(items) => items.len(),
        _ => 0,
    }
}

/// The list `at` in the outline `top` of `text`.
pub fn find_list<'n>(text: &str, top: &'n Node, at: ListAt<'_>) -> Result<&'n Node, EditError> {
    let Body::List(records) = &top.body else {
        return Err(EditError::NotFound(
            "the file does not hold a list of records".into(),
        ));
    };
    match at {
        ListAt::Records => Ok(top),
        ListAt::Field { kind, id, field } => {
            let record = records
                .iter()
                .find(|r| {
                    r.name.is_some_and(|n| &text[n.range()] == kind)
                        && field_value(text, r, "id")
                            .and_then(|v| string_value(&text[v.span.range()]))
                            .is_some_and(|v| v.to_lowercase() == id.to_lowercase())
                })
                .ok_or_else(|| EditError::NotFound(format!("no {kind} with id `{id}` here")))?;
            match field_value(text, record, field) {
                Some(v) if matches!(v.body, Body::List(_)) => Ok(v),
                _ => Err(EditError::NotFound(format!(
                    "{kind} `{id}` has no list `{field}`"
                ))),
            }
        }
    }
}

/// The value of field `name` of the record `record`.
pub fn field_value<'n>(text: &str, record: &'n Node, name: &str) -> Option<&'n Node> {
    let Body::Paren(entries) = &record.body else {
        return None;
    };
    entries
        .iter()
        .find(|e| e.key.is_some_and(|k| &text[k.range()] == name))
        .map(|e| &e.value)
}

/// The text of a RON string literal (`"..."` with escapes, or raw `r#"..."#`), or `None` for
/// anything else.
pub fn string_value(token: &str) -> Option<String> {
    if let Some(raw) = token.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let inner = raw.get(hashes..raw.len().checked_sub(hashes)?)?;
        return inner
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .map(str::to_string);
    }
    let inner = token.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            'u' => {
                let rest: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let code = u32::from_str_radix(rest.strip_prefix('{')?, 16).ok()?;
                out.push(char::from_u32(code)?);
            }
            other => out.push(other),
        }
    }
    Some(out)
}

fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// The width of the spaces that start the line holding `pos`, when only spaces come before it.
fn spaces_before(text: &str, pos: usize) -> Option<usize> {
    let before = &text[line_start(text, pos)..pos];
    before.bytes().all(|b| b == b' ').then_some(before.len())
}

/// The number of spaces that start the line holding `pos`.
fn line_indent(text: &str, pos: usize) -> usize {
    let line = &text[line_start(text, pos)..];
    line.len() - line.trim_start_matches(' ').len()
}

/// `text` with `item` added at the end of `list`, in the layout of the list's surroundings.
fn insert(text: &str, tokens: &[Token], list: &Node, item: &str) -> Result<String, EditError> {
    let Body::List(items) = &list.body else {
        return Err(EditError::NotFound("not a list".into()));
    };
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let with_eol = |s: String| if eol == "\n" { s } else { s.replace('\n', eol) };
    let close = list.span.end as usize - 1;
    let last = items
        .last()
        .map(|n| (n.span.start as usize, n.span.end as usize));
    // The comma after the last item, if any (comments may stand between).
    let comma = last.and_then(|(_, end)| {
        tokens
            .iter()
            .filter(|t| t.span.start as usize >= end)
            .find(|t| !matches!(t.kind, TokenKind::LineComment | TokenKind::BlockComment))
            .filter(|t| t.kind == TokenKind::Comma)
            .map(|t| t.span.end as usize)
    });
    let mut out = String::with_capacity(text.len() + item.len() + 16);
    match (spaces_before(text, close), last) {
        // `]` on its own line: the item's lines go just before it.
        (Some(close_indent), _) => {
            let indent = last
                .and_then(|(start, _)| spaces_before(text, start))
                .unwrap_or(close_indent + format::INDENT);
            let lines = with_eol(format::format_item(item, indent)?);
            let at = line_start(text, close);
            match last {
                Some((_, end)) if comma.is_none() => {
                    out.push_str(&text[..end]);
                    out.push(',');
                    out.push_str(&text[end..at]);
                }
                _ => out.push_str(&text[..at]),
            }
            out.push_str(&lines);
            out.push_str(&text[at..]);
        }
        // A list kept on one line: the item joins it there.
        (None, Some((_, end))) => {
            let flat = format::flat_value(item)?.unwrap_or_else(|| item.trim().to_string());
            match comma {
                Some(c) => {
                    out.push_str(&text[..c]);
                    out.push(' ');
                    out.push_str(&flat);
                    out.push(',');
                    out.push_str(&text[c..]);
                }
                None => {
                    out.push_str(&text[..end]);
                    out.push_str(", ");
                    out.push_str(&flat);
                    out.push_str(&text[end..]);
                }
            }
        }
        // An empty list on one line, `[]`: it opens onto the item.
        (None, None) => {
            let indent = line_indent(text, list.span.start as usize);
            let lines = with_eol(format::format_item(item, indent + format::INDENT)?);
            out.push_str(text[..close].trim_end_matches([' ', '\t']));
            out.push_str(eol);
            out.push_str(&lines);
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str(&text[close..]);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATE: &str = "State(id: \"NEW\", name: \"New\")";

    fn added(text: &str, at: ListAt<'_>) -> Edited {
        let e = append(text, at, STATE).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(&e.text[e.span.range()], STATE, "{}", e.text);
        e
    }

    #[test]
    fn a_canonical_file_stays_canonical() {
        let text = "// header\n[\n    State(id: \"A\", name: \"A\"), // first\n    // end\n]\n";
        let e = added(text, ListAt::Records);
        assert!(e.reformatted);
        assert_eq!(
            e.text,
            "// header\n[\n    State(id: \"A\", name: \"A\"), // first\n    // end\n    State(id: \"NEW\", name: \"New\"),\n]\n"
        );
    }

    #[test]
    fn a_file_in_its_own_layout_keeps_it() {
        let text = "[\n  State(id: \"A\",\n        name: \"A\") // no comma, a comment\n\n]";
        let e = added(text, ListAt::Records);
        assert!(!e.reformatted);
        assert_eq!(
            e.text,
            "[\n  State(id: \"A\",\n        name: \"A\"), // no comma, a comment\n\n  State(id: \"NEW\", name: \"New\"),\n]"
        );
    }

    #[test]
    fn crlf_files_get_crlf_lines() {
        let text = "[\r\n    State(id: \"A\", name: \"A\"),\r\n]\r\n";
        let e = added(text, ListAt::Records);
        assert!(!e.reformatted);
        assert_eq!(
            e.text,
            "[\r\n    State(id: \"A\", name: \"A\"),\r\n    State(id: \"NEW\", name: \"New\"),\r\n]\r\n"
        );
    }

    #[test]
    fn one_line_and_empty_lists() {
        let e = added("[State(id: \"A\", name: \"A\")]", ListAt::Records);
        assert_eq!(
            e.text,
            "[State(id: \"A\", name: \"A\"), State(id: \"NEW\", name: \"New\")]"
        );
        let e = added("[State(id: \"A\", name: \"A\"), ]", ListAt::Records);
        assert_eq!(
            e.text,
            "[State(id: \"A\", name: \"A\"), State(id: \"NEW\", name: \"New\"), ]"
        );
        let e = added("[]\n", ListAt::Records);
        assert_eq!(e.text, "[\n    State(id: \"NEW\", name: \"New\"),\n]\n");
        let e = added("// nothing yet\n", ListAt::Records);
        assert_eq!(
            e.text,
            "// nothing yet\n[\n    State(id: \"NEW\", name: \"New\"),\n]\n"
        );
    }

    #[test]
    fn parties_go_into_their_treaty() {
        let text = "[\n  Treaty(id: \"T-1\", name: \"T\", kind: Union,\n         parties: [Party(state: \"A\")]),\n  Treaty(id: \"t-2\", name: \"T\", kind: Union, parties: []),\n]\n";
        let at = |id| ListAt::Field {
            kind: "Treaty",
            id,
            field: "parties",
        };
        let e = append(text, at("t-1"), "Party(state: \"B\")").expect("added");
        assert!(
            e.text
                .contains("parties: [Party(state: \"A\"), Party(state: \"B\")]),"),
            "{}",
            e.text
        );
        assert_eq!(&e.text[e.span.range()], "Party(state: \"B\")");
        let e = append(text, at("t-2"), "Party(state: \"B\")").expect("added");
        assert!(
            e.text
                .contains("parties: [\n      Party(state: \"B\"),\n  ]),\n]"),
            "{}",
            e.text
        );
        let err = append(text, at("t-3"), "Party(state: \"B\")").expect_err("no such treaty");
        assert_eq!(err.to_string(), "no Treaty with id `t-3` here");
    }

    #[test]
    fn broken_files_and_items_are_refused() {
        assert!(matches!(
            append("[ State(", ListAt::Records, STATE),
            Err(EditError::Format(_))
        ));
        assert!(matches!(
            append("[]", ListAt::Records, "State(id: \"x\""),
            Err(EditError::Format(_))
        ));
        assert!(matches!(
            append("[]", ListAt::Records, "State(), State()"),
            Err(EditError::Format(_))
        ));
    }

    #[test]
    fn string_values() {
        assert_eq!(
            string_value("\"a\\\"b\\n\\u{e9}\"").as_deref(),
            Some("a\"b\né")
        );
        assert_eq!(string_value("r#\"a \"b\"\"#").as_deref(), Some("a \"b\""));
        assert_eq!(string_value("Union"), None);
    }
}
