//! The canonical layout of RON files, printed from the lossless token stream: comments and
//! blank-line grouping are kept, strings, numbers and names are written exactly as in the
//! source, and nothing is deserialized. `docs/maintaining.md` describes the layout; in short:
//! a value that fits in [`WIDTH`] columns stays on one line, anything longer (or holding a
//! comment) is expanded one field or item per line, indented by [`INDENT`], with trailing commas.
//!
//! The same printer writes what programs make rather than read ([`Value`], [`DataFile`],
//! [`Line`]): imported files, the record `add` inserts, synthetic worlds. So one piece of code
//! decides indentation, line breaks, string escapes and list layout for every RON text
//! dipgraph writes.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use super::lex::{self, Token, TokenKind};
use super::outline;
use crate::diag::{Code, Diagnostic};
use crate::model::{FileId, Span};

/// The widest a one-line value may be, counting its indentation and trailing comma.
pub const WIDTH: usize = 100;

/// Spaces per level of nesting.
pub const INDENT: usize = 4;

/// Why a text cannot be formatted: it is not RON (the formatter refuses rather than guess).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// Where, in bytes of the text given.
    pub span: Span,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
    /// The diagnostic code it is reported under (`E0003` syntax, `E0004` too deep).
    pub code: Code,
}

impl FormatError {
    fn syntax(span: Span, message: impl Into<String>) -> FormatError {
        FormatError {
            span,
            message: message.into(),
            hint: None,
            code: Code::Syntax,
        }
    }

    /// The problem as a diagnostic of `file` (whose text is the one that was formatted).
    pub fn diagnostic(&self, file: FileId) -> Diagnostic {
        let mut d = Diagnostic::at(self.code, file, self.span, self.message.clone()).label("here");
        if let Some(h) = &self.hint {
            d = d.hint(h.clone());
        }
        d
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FormatError {}

/// The canonical layout of `text` (a data file's list, a saved query, any one RON value), or why
/// it cannot be formatted. A leading byte-order mark is dropped and line ends become `\n`
/// (except inside string literals, which are kept byte for byte). Idempotent.
pub fn format_source(text: &str) -> Result<String, FormatError> {
    let (text, bom) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    let shift = |mut e: FormatError| {
        e.span = e.span.shift(bom);
        e
    };
    let tokens = parse_checked(text).map_err(shift)?;
    let doc = Builder::new(text, &tokens).doc().map_err(shift)?;
    let out = print_doc(&doc);
    if signature(text, &tokens) != signature(&out, &lex::tokenize(&out).unwrap_or_default()) {
        // Cannot happen by construction; the check guards the curators' files all the same.
        return Err(FormatError::syntax(
            Span::new(0, 0),
            "the formatter would change this file's content, so it leaves it as it is (please report this)",
        ));
    }
    Ok(out)
}

/// Whether `text` is already in the canonical layout.
pub fn is_formatted(text: &str) -> Result<bool, FormatError> {
    Ok(format_source(text)? == text)
}

/// One value laid out as a list item at `indent` spaces: its lines, the trailing comma and a
/// final newline. This is how `add` writes a new record into a file it does not reformat.
pub fn format_item(value: &str, indent: usize) -> Result<String, FormatError> {
    let tokens = parse_checked(value)?;
    let doc = Builder::new(value, &tokens).doc()?;
    let Some((_, v)) = doc.value else {
        return Err(FormatError::syntax(
            Span::new(0, 0),
            "there is no value to lay out",
        ));
    };
    let mut p = Printer::default();
    for c in &doc.leading {
        p.line(indent, &c.text);
    }
    let mut trailing = doc.trailing;
    trailing.extend(doc.after);
    p.item(None, &v, &trailing, indent);
    Ok(p.out)
}

/// One value on one line, whatever its width (for a list the curator keeps on one line), or
/// `None` when it cannot be (it holds a comment or a line break).
pub fn flat_value(value: &str) -> Result<Option<String>, FormatError> {
    let tokens = parse_checked(value)?;
    let doc = Builder::new(value, &tokens).doc()?;
    if !doc.leading.is_empty() || !doc.trailing.is_empty() || !doc.after.is_empty() {
        return Ok(None);
    }
    let mut out = String::new();
    Ok(doc
        .value
        .and_then(|(_, v)| flat(&v, &mut out).then_some(out)))
}

/// `s` as a RON string literal: `"` and `\` escaped, line breaks, tabs and other control
/// characters written as escapes, everything else as it is.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_string_literal(s, &mut out);
    out
}

fn push_string_literal(s: &str, out: &mut String) {
    out.push('"');
    // Byte by byte: the characters to escape are ASCII, or the C1 controls (`\u{80}` to
    // `\u{9f}`, two bytes starting 0xC2); runs between them are copied whole.
    let bytes = s.as_bytes();
    let (mut i, mut copied) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let len = match b {
            b'"' | b'\\' | 0..=0x1f | 0x7f => 1,
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => 2,
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[copied..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                let c = s[i..i + len].chars().next().map_or(0, u32::from);
                let _ = write!(out, "\\u{{{c:x}}}");
            }
        }
        i += len;
        copied = i;
    }
    out.push_str(&s[copied..]);
    out.push('"');
}

/// Tokens of a text that has an outline: it lexes, brackets match, nesting is bounded. The
/// recursive builder below relies on this.
fn parse_checked(text: &str) -> Result<Vec<Token>, FormatError> {
    let tokens = lex::tokenize(text).map_err(|e| FormatError {
        span: e.span,
        message: e.message,
        hint: e.hint,
        code: Code::Syntax,
    })?;
    outline::parse(text, &tokens).map_err(|e| FormatError {
        span: e.span,
        message: e.message,
        hint: e.hint,
        code: if e.too_deep {
            Code::TooDeep
        } else {
            Code::Syntax
        },
    })?;
    Ok(tokens)
}

/// What formatting must not change: every token but commas and comments, and every comment.
fn signature<'t>(text: &'t str, tokens: &[Token]) -> (Vec<&'t str>, Vec<String>) {
    let mut code = Vec::new();
    let mut comments = Vec::new();
    for t in tokens {
        let s = &text[t.span.range()];
        match t.kind {
            TokenKind::Comma => {}
            TokenKind::LineComment | TokenKind::BlockComment => comments.push(comment_text(s)),
            _ => code.push(s),
        }
    }
    (code, comments)
}

/// A comment as printed: line ends `\n`, and no trailing spaces after a line comment.
fn comment_text(s: &str) -> String {
    let s = s.replace("\r\n", "\n");
    if s.starts_with("//") {
        s.trim_end().to_string()
    } else {
        s
    }
}

// ---------------------------------------------------------------------------------------------
// The tree: values with the comments and blank lines around their items.

#[derive(Debug, Clone)]
struct Comment {
    text: String,
    /// A blank line (or more) came before it.
    blank_before: bool,
}

#[derive(Debug, Clone)]
enum Val<'t> {
    /// A string, number or name, exactly as written.
    Atom(Cow<'t, str>),
    /// A string a program made, escaped as it is printed ([`string_literal`]).
    Str(Cow<'t, str>),
    Group(Box<Group<'t>>),
}

#[derive(Debug, Clone)]
struct Group<'t> {
    /// `State` in `State(...)`.
    name: Option<Cow<'t, str>>,
    open: char,
    close: char,
    /// Comments on the line of the opening bracket, after it.
    open_comments: Vec<Comment>,
    elems: Vec<Elem<'t>>,
    /// Comments after the last item, before the closing bracket.
    end: Vec<Comment>,
}

#[derive(Debug, Clone)]
enum Elem<'t> {
    /// A comment on its own line.
    Comment(Comment),
    Item(Item<'t>),
}

#[derive(Debug, Clone)]
struct Item<'t> {
    blank_before: bool,
    /// The field name, or a map's key.
    key: Option<Val<'t>>,
    value: Val<'t>,
    /// Comments after the item on its last line.
    trailing: Vec<Comment>,
}

#[derive(Debug, Default)]
struct Doc<'t> {
    /// Comments before the value.
    leading: Vec<Comment>,
    /// The value, and whether a blank line came before it.
    value: Option<(bool, Val<'t>)>,
    /// Comments after the value on its last line.
    trailing: Vec<Comment>,
    /// Comments on the lines after the value.
    after: Vec<Comment>,
}

struct Builder<'t> {
    text: &'t str,
    tokens: &'t [Token],
    pos: usize,
    prev_end: usize,
}

fn is_comment(t: &Token) -> bool {
    matches!(t.kind, TokenKind::LineComment | TokenKind::BlockComment)
}

fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, tokens: &'t [Token]) -> Builder<'t> {
        Builder {
            text,
            tokens,
            pos: 0,
            prev_end: 0,
        }
    }

    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.pos).copied()
    }

    fn peek_comment(&self) -> Option<Token> {
        self.peek().filter(is_comment)
    }

    /// The next token that is not a comment.
    fn next_code(&self) -> Option<Token> {
        self.tokens[self.pos..]
            .iter()
            .find(|t| !is_comment(t))
            .copied()
    }

    fn bump(&mut self) -> Result<Token, FormatError> {
        let t = self.peek().ok_or_else(|| {
            let n = self.text.len();
            FormatError::syntax(Span::new(n, n), "the text ends too early")
        })?;
        self.pos += 1;
        self.prev_end = t.span.end as usize;
        Ok(t)
    }

    fn gap(&self, t: Token) -> &'t str {
        self.text
            .get(self.prev_end..t.span.start as usize)
            .unwrap_or("")
    }

    fn same_line(&self, t: Token) -> bool {
        !self.gap(t).contains('\n')
    }

    fn blank(&self, t: Token) -> bool {
        self.gap(t).matches('\n').count() >= 2
    }

    fn slice(&self, t: Token) -> &'t str {
        &self.text[t.span.range()]
    }

    fn comment(&mut self) -> Result<Comment, FormatError> {
        let blank_before = self.peek().is_some_and(|t| self.blank(t));
        let t = self.bump()?;
        Ok(Comment {
            text: comment_text(self.slice(t)),
            blank_before,
        })
    }

    fn comments(&mut self, into: &mut Vec<Comment>) -> Result<(), FormatError> {
        while self.peek_comment().is_some() {
            into.push(self.comment()?);
        }
        Ok(())
    }

    fn same_line_comments(&mut self, into: &mut Vec<Comment>) -> Result<(), FormatError> {
        while let Some(t) = self.peek_comment() {
            if !self.same_line(t) {
                break;
            }
            into.push(self.comment()?);
        }
        Ok(())
    }

    fn expect(&mut self, kind: TokenKind, what: &str) -> Result<Token, FormatError> {
        let t = self.bump()?;
        if t.kind == kind {
            Ok(t)
        } else {
            Err(FormatError::syntax(t.span, format!("expected {what}")))
        }
    }

    fn doc(&mut self) -> Result<Doc<'t>, FormatError> {
        let mut doc = Doc::default();
        self.comments(&mut doc.leading)?;
        let Some(first) = self.peek() else {
            return Ok(doc);
        };
        let mut blank = self.blank(first);
        let mut strays = Vec::new();
        let value = self.value(&mut strays)?;
        if let Some(s) = strays.first_mut() {
            s.blank_before = blank;
            blank = false;
        }
        doc.leading.extend(strays);
        doc.value = Some((blank, value));
        self.same_line_comments(&mut doc.trailing)?;
        self.comments(&mut doc.after)?;
        if let Some(t) = self.peek() {
            return Err(FormatError::syntax(
                t.span,
                "unexpected text after the value",
            ));
        }
        Ok(doc)
    }

    /// A value; comments inside it but outside any of its lists (`name /* here */ (`, `key:
    /// /* here */ value`) go to `strays`, to be kept on their own lines before its item.
    fn value(&mut self, strays: &mut Vec<Comment>) -> Result<Val<'t>, FormatError> {
        self.comments(strays)?;
        let Some(t) = self.peek() else {
            return Err(FormatError::syntax(
                Span::new(self.text.len(), self.text.len()),
                "the text ends where a value was expected",
            ));
        };
        match t.kind {
            TokenKind::Str | TokenKind::Number => {
                self.bump()?;
                Ok(Val::Atom(Cow::Borrowed(self.slice(t))))
            }
            TokenKind::Ident => {
                self.bump()?;
                let name = Cow::Borrowed(self.slice(t));
                if self.next_code().map(|n| n.kind) == Some(TokenKind::Open(b'(')) {
                    self.comments(strays)?;
                    Ok(Val::Group(Box::new(self.group(Some(name))?)))
                } else {
                    Ok(Val::Atom(name))
                }
            }
            TokenKind::Open(_) => Ok(Val::Group(Box::new(self.group(None)?))),
            _ => Err(FormatError::syntax(t.span, "expected a value")),
        }
    }

    fn group(&mut self, name: Option<Cow<'t, str>>) -> Result<Group<'t>, FormatError> {
        let t = self.bump()?;
        let TokenKind::Open(o) = t.kind else {
            return Err(FormatError::syntax(t.span, "expected a bracket"));
        };
        let close = closer(o);
        let mut g = Group {
            name,
            open: o as char,
            close: close as char,
            open_comments: Vec::new(),
            elems: Vec::new(),
            end: Vec::new(),
        };
        self.same_line_comments(&mut g.open_comments)?;
        let mut pending: Vec<Comment> = Vec::new();
        loop {
            self.comments(&mut pending)?;
            let Some(t) = self.peek() else {
                return Err(FormatError::syntax(
                    Span::new(self.text.len(), self.text.len()),
                    format!("a `{}` is never closed", o as char),
                ));
            };
            if t.kind == TokenKind::Close(close) {
                self.bump()?;
                g.end = pending;
                return Ok(g);
            }
            g.elems.extend(pending.drain(..).map(Elem::Comment));
            let mut blank = self.blank(t);
            let mut strays = Vec::new();
            let mut key = None;
            let is_field = o == b'('
                && t.kind == TokenKind::Ident
                && self.tokens[self.pos + 1..]
                    .iter()
                    .find(|t| !is_comment(t))
                    .map(|t| t.kind)
                    == Some(TokenKind::Colon);
            if is_field {
                self.bump()?;
                key = Some(Val::Atom(Cow::Borrowed(self.slice(t))));
                self.comments(&mut strays)?;
                self.expect(TokenKind::Colon, "`:`")?;
            } else if o == b'{' {
                key = Some(self.value(&mut strays)?);
                self.comments(&mut strays)?;
                self.expect(TokenKind::Colon, "`:` in a map")?;
            }
            let value = self.value(&mut strays)?;
            let mut trailing = Vec::new();
            self.same_line_comments(&mut trailing)?;
            if self.next_code().map(|n| n.kind) == Some(TokenKind::Comma) {
                self.comments(&mut pending)?;
                self.bump()?;
                // A line comment runs to the end of its line: nothing can follow it there.
                let ends_line = trailing.last().is_some_and(|c| c.text.starts_with("//"));
                if pending.is_empty() && !ends_line {
                    self.same_line_comments(&mut trailing)?;
                } else {
                    self.same_line_comments(&mut pending)?;
                }
            }
            if let Some(s) = strays.first_mut() {
                s.blank_before = blank;
                blank = false;
            }
            g.elems.extend(strays.into_iter().map(Elem::Comment));
            g.elems.push(Elem::Item(Item {
                blank_before: blank,
                key,
                value,
                trailing,
            }));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The printer.

/// Writes `v` on one line at the end of `out`; `false`, with `out` left as it was, when it
/// cannot be: it holds a comment, a kept blank line or a line break.
fn flat(v: &Val, out: &mut String) -> bool {
    let start = out.len();
    let done = flat_onto(v, &mut Line::new(out));
    if !done {
        out.truncate(start);
    }
    done
}

fn flat_onto(v: &Val, line: &mut Line) -> bool {
    match v {
        Val::Atom(s) => {
            if s.contains('\n') {
                return false;
            }
            line.atom(s);
        }
        Val::Str(s) => {
            line.string(s);
        }
        Val::Group(g) => {
            if !g.open_comments.is_empty() || !g.end.is_empty() {
                return false;
            }
            line.open(g.name.as_deref(), g.open);
            for (i, e) in g.elems.iter().enumerate() {
                let Elem::Item(it) = e else { return false };
                if (it.blank_before && i > 0) || !it.trailing.is_empty() {
                    return false;
                }
                if let Some(k) = &it.key {
                    if !flat_onto(k, line) {
                        return false;
                    }
                    line.colon();
                }
                if !flat_onto(&it.value, line) {
                    return false;
                }
            }
            line.close(g.close);
        }
    }
    true
}

/// A value written on one line as it is made, with the separators `fmt` puts on one line:
/// `Name(field: value, ...)`, `[a, b]`. The printer writes every value that fits this way, and
/// synthetic worlds write their records so (one a line, whatever its width) without holding
/// them. Brackets opened must be closed, in order.
pub struct Line<'o> {
    out: &'o mut String,
    /// A value was just written at this level, so the next one needs `, ` first.
    after_value: bool,
}

impl<'o> Line<'o> {
    /// A line written at the end of `out`.
    pub fn new(out: &'o mut String) -> Line<'o> {
        Line {
            out,
            after_value: false,
        }
    }

    fn separate(&mut self) {
        if self.after_value {
            self.out.push_str(", ");
        }
    }

    /// A number, a name (`Defense`, `true`) or any other token, written as it is given.
    pub fn atom(&mut self, text: &str) -> &mut Line<'o> {
        self.separate();
        self.out.push_str(text);
        self.after_value = true;
        self
    }

    /// A string, written as a RON string literal ([`string_literal`]).
    pub fn string(&mut self, text: &str) -> &mut Line<'o> {
        self.separate();
        push_string_literal(text, self.out);
        self.after_value = true;
        self
    }

    /// A field's name and `: `; its value follows.
    pub fn field(&mut self, name: &str) -> &mut Line<'o> {
        self.atom(name).colon()
    }

    fn colon(&mut self) -> &mut Line<'o> {
        self.out.push_str(": ");
        self.after_value = false;
        self
    }

    /// `Name(`: a record's opening; its fields follow, then [`Line::end_record`].
    pub fn record(&mut self, name: &str) -> &mut Line<'o> {
        self.open(Some(name), '(')
    }

    /// `)`.
    pub fn end_record(&mut self) -> &mut Line<'o> {
        self.close(')')
    }

    /// `[`: a list's opening; its items follow, then [`Line::end_list`].
    pub fn list(&mut self) -> &mut Line<'o> {
        self.open(None, '[')
    }

    /// `]`.
    pub fn end_list(&mut self) -> &mut Line<'o> {
        self.close(']')
    }

    fn open(&mut self, name: Option<&str>, bracket: char) -> &mut Line<'o> {
        self.separate();
        if let Some(n) = name {
            self.out.push_str(n);
        }
        self.out.push(bracket);
        self.after_value = false;
        self
    }

    fn close(&mut self, bracket: char) -> &mut Line<'o> {
        self.out.push(bracket);
        self.after_value = true;
        self
    }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

#[derive(Default)]
struct Printer {
    out: String,
}

impl Printer {
    fn pad(&mut self, indent: usize) {
        self.out.extend(std::iter::repeat_n(' ', indent));
    }

    fn line(&mut self, indent: usize, text: &str) {
        self.pad(indent);
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn trailing(&mut self, comments: &[Comment]) {
        for c in comments {
            self.out.push(' ');
            self.out.push_str(&c.text);
        }
    }

    /// A sequence of own-line comments; a blank line is kept before those that had one, unless
    /// `first` (just after an opening bracket or at the top of the file).
    fn comments(&mut self, comments: &[Comment], indent: usize, first: &mut bool) {
        for c in comments {
            if c.blank_before && !*first {
                self.out.push('\n');
            }
            self.line(indent, &c.text);
            *first = false;
        }
    }

    /// A value whose first line starts at the current position on a line indented `indent`,
    /// with `used` columns already taken and `tail` columns to follow (the comma).
    fn value(&mut self, v: &Val, indent: usize, used: usize, tail: usize) {
        match v {
            Val::Atom(s) => self.out.push_str(s),
            Val::Str(s) => push_string_literal(s, &mut self.out),
            Val::Group(g) => {
                let start = self.out.len();
                if flat(v, &mut self.out) && used + width(&self.out[start..]) + tail <= WIDTH {
                    return;
                }
                self.out.truncate(start);
                self.expanded(g, indent);
            }
        }
    }

    /// A group one item per line, closing at `indent`.
    fn expanded(&mut self, g: &Group, indent: usize) {
        if let Some(n) = &g.name {
            self.out.push_str(n);
        }
        // `All([...])`: a name around one bracketed value hugs it rather than adding a level.
        if let (Some(_), [Elem::Item(only)], true, true) = (
            &g.name,
            g.elems.as_slice(),
            g.open_comments.is_empty() && g.end.is_empty(),
            g.open == '(',
        ) && only.key.is_none()
            && only.trailing.is_empty()
            && let Val::Group(inner) = &only.value
        {
            self.out.push('(');
            self.expanded(inner, indent);
            self.out.push(')');
            return;
        }
        self.out.push(g.open);
        self.trailing(&g.open_comments);
        self.out.push('\n');
        let inner = indent + INDENT;
        let mut first = true;
        for e in &g.elems {
            match e {
                Elem::Comment(c) => self.comments(std::slice::from_ref(c), inner, &mut first),
                Elem::Item(it) => {
                    if it.blank_before && !first {
                        self.out.push('\n');
                    }
                    self.item(it.key.as_ref(), &it.value, &it.trailing, inner);
                    first = false;
                }
            }
        }
        self.comments(&g.end, inner, &mut first);
        self.pad(indent);
        self.out.push(g.close);
    }

    /// The columns taken on the current line.
    fn column(&self) -> usize {
        width(&self.out[self.out.rfind('\n').map_or(0, |i| i + 1)..])
    }

    /// A field or list item on its own line(s), with its comma and trailing comments.
    fn item(&mut self, key: Option<&Val>, value: &Val, trailing: &[Comment], indent: usize) {
        self.pad(indent);
        if let Some(k) = key {
            let used = self.column();
            self.value(k, indent, used, 0);
            self.out.push_str(": ");
        }
        let used = self.column();
        self.value(value, indent, used, 1);
        self.out.push(',');
        self.trailing(trailing);
        self.out.push('\n');
    }
}

fn print_doc(doc: &Doc) -> String {
    let mut p = Printer::default();
    let mut first = true;
    p.comments(&doc.leading, 0, &mut first);
    if let Some((blank, v)) = &doc.value {
        if *blank && !first {
            p.out.push('\n');
        }
        match v {
            // A data file's list: one record per line, however short.
            Val::Group(g) if g.open == '[' && g.name.is_none() => {
                if !(g.elems.is_empty() && flat(v, &mut p.out)) {
                    p.expanded(g, 0);
                }
            }
            _ => p.value(v, 0, 0, 0),
        }
        p.trailing(&doc.trailing);
        p.out.push('\n');
        let mut first = false;
        p.comments(&doc.after, 0, &mut first);
    }
    p.out
}

// ---------------------------------------------------------------------------------------------
// Values made by programs.

/// A value a program makes rather than reads from a file (an imported record, the record `add`
/// writes, a synthetic world's records), printed by the same printer as `fmt`'s, so that one
/// piece of code decides how every RON file dipgraph writes is laid out.
#[derive(Debug, Clone)]
pub struct Value<'a>(Val<'a>);

impl<'a> Value<'a> {
    /// A number, a name (`Defense`, `true`) or any other token, written as it is given.
    pub fn atom(text: impl Into<Cow<'a, str>>) -> Value<'a> {
        Value(Val::Atom(text.into()))
    }

    /// A string, written as a RON string literal ([`string_literal`]).
    pub fn string(text: impl Into<Cow<'a, str>>) -> Value<'a> {
        Value(Val::Str(text.into()))
    }

    /// A list: `[a, b]`.
    pub fn list(items: impl IntoIterator<Item = Value<'a>>) -> Value<'a> {
        Value::group(None, '[', ']', items.into_iter().map(|v| (None, v)))
    }

    /// A record: `Name(field: value, ...)`, its fields in the order given.
    pub fn record(
        name: impl Into<Cow<'a, str>>,
        fields: impl IntoIterator<Item = (&'a str, Value<'a>)>,
    ) -> Value<'a> {
        let fields = fields
            .into_iter()
            .map(|(k, v)| (Some(Val::Atom(Cow::Borrowed(k))), v));
        Value::group(Some(name.into()), '(', ')', fields)
    }

    fn group(
        name: Option<Cow<'a, str>>,
        open: char,
        close: char,
        items: impl Iterator<Item = (Option<Val<'a>>, Value<'a>)>,
    ) -> Value<'a> {
        let elems = items
            .map(|(key, v)| {
                Elem::Item(Item {
                    blank_before: false,
                    key,
                    value: v.0,
                    trailing: Vec::new(),
                })
            })
            .collect();
        Value(Val::Group(Box::new(Group {
            name,
            open,
            close,
            open_comments: Vec::new(),
            elems,
            end: Vec::new(),
        })))
    }

    /// Writes the value on one line, whatever its width, at the end of `out`. (Only an atom
    /// given with a line break, which no name or number has, cannot be; such a value is laid
    /// out as `fmt` lays out a value that does not fit.)
    pub fn write_line(&self, out: &mut String) {
        if !flat(&self.0, out) {
            let mut p = Printer {
                out: std::mem::take(out),
            };
            let used = p.column();
            p.value(&self.0, 0, used, 0);
            *out = p.out;
        }
    }

    /// The value on one line, whatever its width (see [`Value::write_line`]).
    pub fn line(&self) -> String {
        let mut out = String::new();
        self.write_line(&mut out);
        out
    }
}

/// A data file printed record by record, as `fmt` lays out a data file: lines of comment, then
/// `[`, each record as an item of the list, and `]` (`[]` for no record). Writers of many
/// records print each as they make it rather than hold them all.
pub struct DataFile {
    printer: Printer,
    /// Where the list starts in the text.
    list_at: usize,
    records: usize,
}

impl DataFile {
    /// A data file that begins with these lines of comment (each written after `// `).
    pub fn new<'c>(comment_lines: impl IntoIterator<Item = &'c str>) -> DataFile {
        let mut printer = Printer::default();
        let comments: Vec<Comment> = comment_lines
            .into_iter()
            .map(|line| Comment {
                text: comment_text(&format!("// {line}")),
                blank_before: false,
            })
            .collect();
        printer.comments(&comments, 0, &mut true);
        let list_at = printer.out.len();
        printer.out.push_str("[\n");
        DataFile {
            printer,
            list_at,
            records: 0,
        }
    }

    /// Adds a record in the canonical layout: on one line when it fits in [`WIDTH`] columns,
    /// else expanded.
    pub fn record(&mut self, record: &Value) {
        self.printer.item(None, &record.0, &[], INDENT);
        self.records += 1;
    }

    /// Adds a record on one line whatever its width, written by `write` as it is made: the
    /// layout of synthetic worlds, whose readers take a record a line (`fmt` expands their
    /// longer records).
    pub fn record_on_one_line(&mut self, write: impl FnOnce(&mut Line)) {
        let p = &mut self.printer;
        p.pad(INDENT);
        write(&mut Line::new(&mut p.out));
        p.out.push_str(",\n");
        self.records += 1;
    }

    /// A record as an item of a data file's list, in the canonical layout (indented, with its
    /// comma and line end), for writers that print a record before they know which file, or
    /// where in it, it goes; [`DataFile::push_item`] adds it.
    pub fn item(record: &Value) -> String {
        let mut p = Printer::default();
        p.item(None, &record.0, &[], INDENT);
        p.out
    }

    /// Adds a record printed by [`DataFile::item`].
    pub fn push_item(&mut self, item: &str) {
        self.printer.out.push_str(item);
        self.records += 1;
    }

    /// The text so far, taken out (the file goes on after it): for writing a long file a
    /// piece at a time. Only once a record is in may this be asked (until then, the list's
    /// opening may still become `[]`).
    pub fn take_text(&mut self) -> String {
        if self.records == 0 {
            return String::new();
        }
        self.list_at = 0;
        std::mem::take(&mut self.printer.out)
    }

    /// The file's text.
    pub fn finish(mut self) -> String {
        let out = &mut self.printer.out;
        if self.records == 0 {
            out.truncate(self.list_at);
            out.push_str("[]\n");
        } else {
            out.push_str("]\n");
        }
        self.printer.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        let out = format_source(s).unwrap_or_else(|e| panic!("{e}: {s}"));
        let again = format_source(&out).expect("formatted text parses");
        assert_eq!(again, out, "not idempotent on:\n{s}");
        out
    }

    #[test]
    fn short_records_stay_on_one_line_and_long_ones_expand() {
        let s = "[State(id:\"BLR\",name:\"Belarus\"  ,aliases:[ \"a\",\"b\" ],),\n\n\n Person(id: \"p\", name: \"A very long name that goes on\", aliases: [\"and on and on\", \"until it cannot fit\"], born: \"1950\")]";
        assert_eq!(
            fmt(s),
            "[
    State(id: \"BLR\", name: \"Belarus\", aliases: [\"a\", \"b\"]),

    Person(
        id: \"p\",
        name: \"A very long name that goes on\",
        aliases: [\"and on and on\", \"until it cannot fit\"],
        born: \"1950\",
    ),
]
"
        );
    }

    #[test]
    fn width_counts_indentation_comma_and_characters() {
        // Exactly 100 columns with the indentation and comma: stays on one line.
        let name = "x".repeat(100 - 4 - "Person(id: \"p\", name: \"\"),".len());
        let s = format!("[Person(id: \"p\", name: \"{name}\")]");
        let out = fmt(&s);
        assert_eq!(out.lines().nth(1).map(width), Some(100), "{out}");
        // One more column expands it.
        let s = format!("[Person(id: \"p\", name: \"{name}x\")]");
        assert_eq!(fmt(&s).lines().count(), 6);
        // Characters, not bytes: 'é' is one column.
        let name = "é".repeat(100 - 4 - "Person(id: \"p\", name: \"\"),".len());
        let s = format!("[Person(id: \"p\", name: \"{name}\")]");
        assert_eq!(fmt(&s).lines().count(), 3);
    }

    #[test]
    fn nested_values_that_fit_stay_on_one_line() {
        let s = "[Treaty(id: \"t\", name: \"A treaty with a long enough name to expand\", kind: Union, parties: [Party(state: \"RUS\"), Party(state: \"BLR\", from: \"2000-01-26\", note: \"push the list past the limit\")])]";
        assert_eq!(
            fmt(s),
            "[
    Treaty(
        id: \"t\",
        name: \"A treaty with a long enough name to expand\",
        kind: Union,
        parties: [
            Party(state: \"RUS\"),
            Party(state: \"BLR\", from: \"2000-01-26\", note: \"push the list past the limit\"),
        ],
    ),
]
"
        );
    }

    #[test]
    fn comments_everywhere_are_kept_in_place() {
        let s = "// file header\n\n// about the list\n[ // after the bracket
  // before a record
    State(id: \"RUS\", name: \"Russia\"), // trailing
/* block
   comment */
    Treaty(id: \"t\", name: \"T\", kind: Union, parties: [
        Party(state: \"RUS\"), // founder


        // before BLR
        Party(state: \"BLR\") // no comma
        // at the end of the list
    ]),
    // at the end of the file's list
] // after the list
// after everything
";
        assert_eq!(
            fmt(s),
            "// file header

// about the list
[ // after the bracket
    // before a record
    State(id: \"RUS\", name: \"Russia\"), // trailing
    /* block
   comment */
    Treaty(
        id: \"t\",
        name: \"T\",
        kind: Union,
        parties: [
            Party(state: \"RUS\"), // founder

            // before BLR
            Party(state: \"BLR\"), // no comma
            // at the end of the list
        ],
    ),
    // at the end of the file's list
] // after the list
// after everything
"
        );
    }

    #[test]
    fn comments_inside_an_item_move_before_it() {
        let s = "[State /* a */ (id: /* b */ \"X\", name // c\n : \"Y\")]";
        assert_eq!(
            fmt(s),
            "[\n    /* a */\n    State(\n        /* b */\n        id: \"X\",\n        // c\n        name: \"Y\",\n    ),\n]\n"
        );
    }

    #[test]
    fn blank_lines_are_squeezed_and_dropped_at_brackets() {
        let s = "\n\n[\n\n\n    State(id: \"A\", name: \"A\"),\n\n\n\n    State(id: \"B\", name: \"B\"),\n\n]\n\n";
        assert_eq!(
            fmt(s),
            "[\n    State(id: \"A\", name: \"A\"),\n\n    State(id: \"B\", name: \"B\"),\n]\n"
        );
    }

    #[test]
    fn a_blank_line_between_fields_keeps_a_record_expanded() {
        let s = "[\n    State(\n        id: \"A\",\n\n        name: \"A\",\n    ),\n]\n";
        assert_eq!(fmt(s), s);
    }

    #[test]
    fn queries_are_one_value_unindented() {
        let s = "// q\nQuery(title: \"t\", ask: Show(id: \"BLR\"))";
        assert_eq!(
            fmt(s),
            "// q\nQuery(title: \"t\", ask: Show(id: \"BLR\"))\n"
        );
        let s = "Query(title: \"a title long enough to need more than one line for the whole query\", ask: Show(id: \"BLR\"), expect: Includes([\"x\"]))";
        assert_eq!(
            fmt(s),
            "Query(\n    title: \"a title long enough to need more than one line for the whole query\",\n    ask: Show(id: \"BLR\"),\n    expect: Includes([\"x\"]),\n)\n"
        );
    }

    #[test]
    fn a_name_around_one_bracketed_value_hugs_it() {
        let s = "Query(title: \"t\", ask: Show(id: \"BLR\"), expect: All([Includes([\"a-long-id-number-one-1\", \"a-long-id-number-two-2\"]), Excludes([\"x\", \"y\", \"z\"])]))";
        assert_eq!(
            fmt(s),
            "Query(
    title: \"t\",
    ask: Show(id: \"BLR\"),
    expect: All([
        Includes([\"a-long-id-number-one-1\", \"a-long-id-number-two-2\"]),
        Excludes([\"x\", \"y\", \"z\"]),
    ]),
)
"
        );
        // Not when a comment needs the lines.
        let s = "[Some( // why\n [1, 2])]";
        assert_eq!(fmt(s), "[\n    Some( // why\n        [1, 2],\n    ),\n]\n");
    }

    #[test]
    fn atoms_are_written_as_in_the_source() {
        let s = "[X(a: r#\"raw \"q\"\"#, b: \"\\u{e9}\\n\", c: 1_000, d: -1.5e3, e: 'c', f: true, g: Some(\"x\"), h: (1, 2), i: {\"k\": [1]}, j: b\"x\")]";
        assert_eq!(
            fmt(s),
            "[\n    X(\n        a: r#\"raw \"q\"\"#,\n        b: \"\\u{e9}\\n\",\n        c: 1_000,\n        d: -1.5e3,\n        e: 'c',\n        f: true,\n        g: Some(\"x\"),\n        h: (1, 2),\n        i: {\"k\": [1]},\n        j: b\"x\",\n    ),\n]\n"
        );
    }

    #[test]
    fn a_string_with_a_line_break_is_kept_and_forces_expansion() {
        let s = "[State(id: \"A\", name: \"two\nlines\")]";
        assert_eq!(
            fmt(s),
            "[\n    State(\n        id: \"A\",\n        name: \"two\nlines\",\n    ),\n]\n"
        );
    }

    #[test]
    fn crlf_and_byte_order_mark() {
        let s = "\u{feff}// c\r\n[\r\n    State(id: \"A\", name: \"A\"), // t  \r\n]\r\n";
        assert_eq!(
            fmt(s),
            "// c\n[\n    State(id: \"A\", name: \"A\"), // t\n]\n"
        );
    }

    #[test]
    fn empty_and_comment_only_texts() {
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("  \n"), "");
        assert_eq!(fmt("[ ]"), "[]\n");
        assert_eq!(fmt("[\n// nothing yet\n]"), "[\n    // nothing yet\n]\n");
        assert_eq!(fmt("// only\n\n\n/* this */"), "// only\n\n/* this */\n");
    }

    #[test]
    fn broken_text_is_refused_with_a_location() {
        let e = format_source("[ State(id: \"a\" ]").unwrap_err();
        assert_eq!(e.span, Span::new(16, 17));
        assert_eq!(e.code, Code::Syntax);
        let e = format_source("\u{feff}[ @ ]").unwrap_err();
        assert_eq!(e.span, Span::new(5, 6), "spans count the mark");
        let deep = "[".repeat(1000) + &"]".repeat(1000);
        assert_eq!(format_source(&deep).unwrap_err().code, Code::TooDeep);
    }

    #[test]
    fn items_are_laid_out_for_insertion() {
        let item = format_item("State(id: \"A\", name: \"A\")", 4).expect("ok");
        assert_eq!(item, "    State(id: \"A\", name: \"A\"),\n");
        let long = format!("Person(id: \"p\", name: \"{}\")", "n".repeat(90));
        let item = format_item(&long, 8).expect("ok");
        assert!(
            item.starts_with("        Person(\n            id: \"p\",\n"),
            "{item}"
        );
        assert!(item.ends_with("        ),\n"), "{item}");
        assert_eq!(
            flat_value(&long).expect("ok").map(|s| s.len()),
            Some(long.len())
        );
    }

    #[test]
    fn values_programs_make_are_printed_as_fmt_prints_them() {
        let name = "a \"quoted\" name\nover two lines";
        let party = || Value::record("Party", [("state", Value::string("RUS"))]);
        let treaty = Value::record(
            "Treaty",
            [
                ("id", Value::string("t")),
                ("name", Value::string(name)),
                ("kind", Value::atom("Union")),
                ("parties", Value::list((0..12).map(|_| party()))),
            ],
        );
        let mut file = DataFile::new(["header  ", ""]);
        file.record(&Value::record("State", [("id", Value::string("A"))]));
        file.record(&treaty);
        let text = file.finish();
        assert_eq!(fmt(&text), text);
        assert!(
            text.starts_with("// header\n//\n[\n    State(id: \"A\"),\n    Treaty(\n"),
            "{text}"
        );
        assert_eq!(DataFile::new(["none"]).finish(), "// none\n[]\n");
        // Records printed apart and added later, the text taken out a piece at a time: the
        // same bytes.
        let state = DataFile::item(&Value::record("State", [("id", Value::string("A"))]));
        let mut pieces = DataFile::new(["header  ", ""]);
        assert_eq!(pieces.take_text(), "", "nothing is taken before a record");
        pieces.push_item(&state);
        let mut joined = pieces.take_text();
        pieces.push_item(&DataFile::item(&treaty));
        joined.push_str(&pieces.finish());
        assert_eq!(joined, text);
        // On one line whatever its width: what `flat_value` makes of that line.
        let line = treaty.line();
        assert_eq!(flat_value(&line).expect("RON"), Some(line.clone()));
        // Written as it is made, the same line.
        let mut out = String::new();
        let mut l = Line::new(&mut out);
        l.record("Treaty").field("id").string("t");
        l.field("name").string(name).field("kind").atom("Union");
        l.field("parties").list();
        for _ in 0..12 {
            l.record("Party").field("state").string("RUS").end_record();
        }
        l.end_list().end_record();
        assert_eq!(out, line);
    }

    #[test]
    fn string_literals_escape_what_ron_needs() {
        assert_eq!(
            string_literal("a \"b\" \\ c\nd\te\u{1}é"),
            "\"a \\\"b\\\" \\\\ c\\nd\\te\\u{1}é\""
        );
        let parsed: String = ron::from_str(&string_literal("q\"\\\n\r\t\u{7f}é")).expect("ron");
        assert_eq!(parsed, "q\"\\\n\r\t\u{7f}é");
        // C1 controls are escaped; other characters of two bytes (`¡`, `Ā`) are not.
        assert_eq!(string_literal("\u{80}\u{9f}¡Āx"), "\"\\u{80}\\u{9f}¡Āx\"");
    }

    #[test]
    fn meaning_is_unchanged() {
        let s = "[State(id:\"A\",name:\"A\",aliases:[\"x\",],),/* c */Person(id:\"p\",name:\"P\")]";
        let before = super::super::raw::options()
            .from_str::<Vec<super::super::raw::RawRecord>>(s)
            .expect("ron");
        let after = super::super::raw::options()
            .from_str::<Vec<super::super::raw::RawRecord>>(&fmt(s))
            .expect("ron");
        assert_eq!(format!("{before:?}"), format!("{after:?}"));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn atom() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-z ]{0,30}".prop_map(|s| string_literal(&s)),
                (0u32..100_000).prop_map(|n| n.to_string()),
                prop_oneof![Just("Defense"), Just("None"), Just("true")].prop_map(String::from),
            ]
        }

        fn comment() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-z ]{0,20}".prop_map(|s| format!("// {s}\n")),
                "[a-z ]{0,20}".prop_map(|s| format!("/* {s} */")),
                "[a-z\n]{0,20}".prop_map(|s| format!("/* {s} */")),
            ]
        }

        fn space() -> impl Strategy<Value = String> {
            prop_oneof![
                3 => Just(String::new()),
                3 => Just(" ".to_string()),
                2 => Just("\n".to_string()),
                1 => Just("\n\n\n".to_string()),
                2 => comment().prop_map(|c| format!(" {c}\n")),
                1 => comment(),
            ]
        }

        fn value() -> impl Strategy<Value = String> {
            atom().prop_recursive(4, 40, 6, |inner| {
                let item = (space(), inner.clone(), space())
                    .prop_map(|(a, v, b)| a + &v + &b)
                    .boxed();
                prop_oneof![
                    (proptest::collection::vec(item.clone(), 0..6), any::<bool>()).prop_map(
                        |(items, comma)| {
                            let mut s = format!("[{}", items.join(","));
                            if comma && !items.is_empty() {
                                s.push(',');
                            }
                            s + "]"
                        }
                    ),
                    (
                        prop_oneof![Just("State"), Just("Party"), Just("Source")],
                        proptest::collection::vec((space(), "[a-z]{1,8}", item), 0..6)
                    )
                        .prop_map(|(name, fields)| {
                            let fields: Vec<String> = fields
                                .into_iter()
                                .map(|(s, k, v)| format!("{s}{k}:{v}"))
                                .collect();
                            format!("{name}({})", fields.join(","))
                        }),
                ]
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]
            #[test]
            fn formatting_is_idempotent_and_keeps_tokens(
                lead in space(),
                v in value(),
                tail in space(),
            ) {
                let text = format!("{lead}[{v}]{tail}");
                let once = format_source(&text).expect("generated text is RON");
                let twice = format_source(&once).expect("formatted text is RON");
                prop_assert_eq!(&twice, &once);
                let a = signature(&text, &lex::tokenize(&text).expect("lexes"));
                let b = signature(&once, &lex::tokenize(&once).expect("lexes"));
                prop_assert_eq!(a, b);
                for line in once.lines() {
                    prop_assert!(!line.ends_with(' ') || line.contains("/*"), "{line:?}");
                }
            }
        }
    }
}
