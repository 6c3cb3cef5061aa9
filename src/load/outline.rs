//! The outline of a RON text: where each value, record, field and list item stands. Built from
//! the tokens without deserializing, so that every problem can point at its record and field.

use super::lex::{LexError, Lexer, Token, TokenKind};
use crate::model::Span;

/// How deep brackets may nest. The format needs about five levels; anything far deeper is
/// hostile or broken, and is refused before it can exhaust the stack.
pub const MAX_DEPTH: usize = 64;

/// A value: a named record `Kind(...)`, a list, a map, or an atom (string, number, name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The whole value, from its name or bracket to its closing bracket.
    pub span: Span,
    /// The name before `(`, or the name of a bare identifier value.
    pub name: Option<Span>,
    /// What is inside.
    pub body: Body,
}

/// The inside of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// A string, number or bare name.
    Atom,
    /// `( ... )`: fields `key: value` or positional values.
    Paren(Vec<Entry>),
    /// `[ ... ]`.
    List(Vec<Node>),
    /// `{ key: value, ... }`.
    Map(Vec<(Node, Node)>),
}

/// One entry of a `( ... )`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The field name, for `key: value`.
    pub key: Option<Span>,
    /// The value.
    pub value: Node,
}

/// Why a text has no outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineError {
    /// Where.
    pub span: Span,
    /// What.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
    /// Whether the problem is nesting depth.
    pub too_deep: bool,
}

/// Where a parser's tokens come from: a list lexed before ([`Listed`]), or a lexer as the
/// parser goes ([`Lexed`]).
trait Stream {
    /// The token `n` places ahead (0 or 1), if there is one.
    fn ahead(&mut self, n: usize) -> Option<Token>;
    /// Moves past the next token (one [`Stream::ahead`] has given).
    fn bump(&mut self);
}

/// Tokens lexed before, in a list.
struct Listed {
    tokens: Vec<Token>,
    pos: usize,
}

impl Stream for Listed {
    fn ahead(&mut self, n: usize) -> Option<Token> {
        self.tokens.get(self.pos + n).copied()
    }

    fn bump(&mut self) {
        self.pos += 1;
    }
}

/// Tokens lexed as they are needed, two at most held: the tokens of a whole file are never
/// listed. The lexer's first problem ends the tokens, and is kept.
struct Lexed<'t> {
    lexer: Lexer<'t>,
    next: [Token; 2],
    held: usize,
    problem: Option<LexError>,
}

impl<'t> Lexed<'t> {
    fn new(text: &'t str) -> Lexed<'t> {
        let none = Token {
            kind: TokenKind::Comma,
            span: Span::new(0, 0),
        };
        Lexed {
            lexer: Lexer::new(text, 0, false),
            next: [none; 2],
            held: 0,
            problem: None,
        }
    }

    /// The first problem of the text's tokens, from the start to its end (the text not yet
    /// read is lexed for it).
    fn problem(mut self) -> Option<LexError> {
        while self.problem.is_none() {
            match self.lexer.next_token() {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => self.problem = Some(e),
            }
        }
        self.problem
    }
}

impl Stream for Lexed<'_> {
    fn ahead(&mut self, n: usize) -> Option<Token> {
        while self.held <= n && self.problem.is_none() {
            match self.lexer.next_token() {
                Ok(Some(t)) => {
                    self.next[self.held] = t;
                    self.held += 1;
                }
                Ok(None) => break,
                Err(e) => self.problem = Some(e),
            }
        }
        (n < self.held).then(|| self.next[n])
    }

    fn bump(&mut self) {
        if self.held > 0 {
            self.next[0] = self.next[1];
            self.held -= 1;
        }
    }
}

struct Parser<'t, S> {
    tokens: S,
    text: &'t str,
}

fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

impl<S: Stream> Parser<'_, S> {
    fn peek(&mut self) -> Option<Token> {
        self.tokens.ahead(0)
    }

    fn end_span(&self) -> Span {
        let n = self.text.len();
        Span::new(n.saturating_sub(1), n)
    }

    fn describe(&self, t: Token) -> String {
        let s = self.text.get(t.span.range()).unwrap_or("");
        let short: String = s.chars().take(20).collect();
        format!("`{short}`")
    }

    fn err(&self, span: Span, message: String, hint: Option<&str>) -> OutlineError {
        OutlineError {
            span,
            message,
            hint: hint.map(str::to_string),
            too_deep: false,
        }
    }

    /// An error for anything after the one value of the text.
    fn at_end(&mut self) -> Result<(), OutlineError> {
        match self.peek() {
            Some(extra) => Err(self.err(
                extra.span,
                format!(
                    "unexpected {} after the end of the list",
                    self.describe(extra)
                ),
                Some("a file holds one list `[ ... ]`; move this inside it"),
            )),
            None => Ok(()),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, OutlineError> {
        let Some(t) = self.peek() else {
            return Err(self.err(
                self.end_span(),
                "the file ends where a value was expected".into(),
                Some("a bracket may be missing or a record cut short"),
            ));
        };
        match t.kind {
            TokenKind::Str | TokenKind::Number => {
                self.tokens.bump();
                Ok(Node {
                    span: t.span,
                    name: None,
                    body: Body::Atom,
                })
            }
            TokenKind::Ident => {
                self.tokens.bump();
                match self.peek() {
                    Some(Token {
                        kind: TokenKind::Open(b'('),
                        ..
                    }) => {
                        let mut node = self.bracketed(depth)?;
                        node.span = Span::new(t.span.start as usize, node.span.end as usize);
                        node.name = Some(t.span);
                        Ok(node)
                    }
                    _ => Ok(Node {
                        span: t.span,
                        name: Some(t.span),
                        body: Body::Atom,
                    }),
                }
            }
            TokenKind::Open(_) => self.bracketed(depth),
            _ => Err(self.err(
                t.span,
                format!("expected a value, found {}", self.describe(t)),
                None,
            )),
        }
    }

    fn bracketed(&mut self, depth: usize) -> Result<Node, OutlineError> {
        self.bracketed_with(depth, None)
    }

    /// A bracketed value; the items of a list go to `sink` instead of the node, when given.
    fn bracketed_with(
        &mut self,
        depth: usize,
        mut sink: Option<&mut dyn FnMut(Node)>,
    ) -> Result<Node, OutlineError> {
        let Some(open) = self.peek() else {
            return Err(self.err(self.end_span(), "unexpected end of file".into(), None));
        };
        let TokenKind::Open(o) = open.kind else {
            return Err(self.err(open.span, "expected a bracket".into(), None));
        };
        if depth >= MAX_DEPTH {
            return Err(OutlineError {
                span: open.span,
                message: format!("brackets are nested more than {MAX_DEPTH} deep"),
                hint: Some("records in dipgraph's format need only a few levels".into()),
                too_deep: true,
            });
        }
        self.tokens.bump();
        let close = closer(o);
        let mut entries = Vec::new();
        let mut items = Vec::new();
        let mut pairs = Vec::new();
        loop {
            let Some(t) = self.peek() else {
                return Err(self.err(
                    open.span,
                    format!("this `{}` is never closed", o as char),
                    Some(&format!("add `{}` where the value ends", close as char)),
                ));
            };
            if t.kind == TokenKind::Close(close) {
                self.tokens.bump();
                let span = Span::new(open.span.start as usize, t.span.end as usize);
                let body = match o {
                    b'(' => Body::Paren(entries),
                    b'[' => Body::List(items),
                    _ => Body::Map(pairs),
                };
                return Ok(Node {
                    span,
                    name: None,
                    body,
                });
            }
            if let TokenKind::Close(c) = t.kind {
                return Err(self.err(
                    t.span,
                    format!(
                        "`{}` does not match the `{}` it closes",
                        c as char, o as char
                    ),
                    Some(&format!("expected `{}` or another item", close as char)),
                ));
            }
            match o {
                b'(' => {
                    let is_field = t.kind == TokenKind::Ident
                        && matches!(
                            self.tokens.ahead(1),
                            Some(Token {
                                kind: TokenKind::Colon,
                                ..
                            })
                        );
                    if is_field {
                        self.tokens.bump();
                        self.tokens.bump();
                        let value = self.value(depth + 1)?;
                        entries.push(Entry {
                            key: Some(t.span),
                            value,
                        });
                    } else {
                        let value = self.value(depth + 1)?;
                        entries.push(Entry { key: None, value });
                    }
                }
                b'[' => {
                    let item = self.value(depth + 1)?;
                    match sink.as_mut() {
                        Some(each) => each(item),
                        None => items.push(item),
                    }
                }
                _ => {
                    let k = self.value(depth + 1)?;
                    match self.peek() {
                        Some(Token {
                            kind: TokenKind::Colon,
                            ..
                        }) => self.tokens.bump(),
                        Some(other) => {
                            return Err(self.err(
                                other.span,
                                format!("expected `:` in a map, found {}", self.describe(other)),
                                None,
                            ));
                        }
                        None => continue,
                    }
                    let v = self.value(depth + 1)?;
                    pairs.push((k, v));
                }
            }
            match self.peek() {
                Some(Token {
                    kind: TokenKind::Comma,
                    ..
                }) => self.tokens.bump(),
                Some(Token {
                    kind: TokenKind::Close(_),
                    ..
                })
                | None => {}
                Some(other) => {
                    return Err(self.err(
                        other.span,
                        format!(
                            "expected `,` or `{}`, found {}",
                            close as char,
                            self.describe(other)
                        ),
                        Some("items are separated by commas; a comma may be missing before this"),
                    ));
                }
            }
        }
    }
}

/// The outline of one value filling `text`, or `Ok(None)` when the text holds no value at all
/// (only whitespace and comments).
pub fn parse(text: &str, tokens: &[Token]) -> Result<Option<Node>, OutlineError> {
    let tokens: Vec<Token> = tokens
        .iter()
        .copied()
        .filter(|t| !matches!(t.kind, TokenKind::LineComment | TokenKind::BlockComment))
        .collect();
    if tokens.is_empty() {
        return Ok(None);
    }
    let mut p = Parser {
        tokens: Listed { tokens, pos: 0 },
        text,
    };
    let node = p.value(0)?;
    p.at_end()?;
    Ok(Some(node))
}

/// What [`parse_each`] found filling the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Top {
    /// No value at all (only whitespace and comments).
    Empty,
    /// A list, whose items were given one by one.
    List,
    /// One value that is not a list, outlined whole.
    Other(Node),
}

/// Why a text has no outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// It is not RON at the token level (the first such problem in the text).
    Tokens(LexError),
    /// Its tokens do not make one value.
    Outline(OutlineError),
}

/// [`parse`] for a text whose value is a list, without holding the outline of the whole list
/// or the text's tokens: each item's outline goes to `each` as soon as it is complete, and the
/// tokens are lexed as they are needed (comments dropped). A problem of the tokens anywhere in
/// the text is the one problem, as when the text is lexed whole before it is outlined. On a
/// problem, items already given are not undone: the caller discards what it made of them, as
/// [`parse`] would have given no outline at all.
pub fn parse_each(text: &str, each: &mut dyn FnMut(Node)) -> Result<Top, Broken> {
    let mut p = Parser {
        tokens: Lexed::new(text),
        text,
    };
    let top = match p.peek() {
        None => Ok(Top::Empty),
        Some(first) if first.kind == TokenKind::Open(b'[') => p
            .bracketed_with(0, Some(each))
            .and_then(|_| p.at_end())
            .map(|()| Top::List),
        Some(_) => p
            .value(0)
            .and_then(|node| p.at_end().map(|()| Top::Other(node))),
    };
    match p.tokens.problem() {
        Some(e) => Err(Broken::Tokens(e)),
        None => top.map_err(Broken::Outline),
    }
}

#[cfg(test)]
mod tests {
    use super::super::lex::tokenize;
    use super::*;

    fn outline(s: &str) -> Result<Option<Node>, OutlineError> {
        parse(s, &tokenize(s).expect("tokens"))
    }

    #[test]
    fn records_and_fields_are_located() {
        let s = "[\n  State(id: \"BLR\", aliases: [\"a\", \"b\"]),\n  Person(id: \"x\"),\n]";
        let Some(Node {
            body: Body::List(items),
            ..
        }) = outline(s).expect("ok")
        else {
            panic!("not a list")
        };
        assert_eq!(items.len(), 2);
        let rec = &items[0];
        assert_eq!(&s[rec.name.expect("name").range()], "State");
        assert_eq!(
            &s[rec.span.range()],
            "State(id: \"BLR\", aliases: [\"a\", \"b\"])"
        );
        let Body::Paren(entries) = &rec.body else {
            panic!("no fields")
        };
        assert_eq!(&s[entries[1].key.expect("key").range()], "aliases");
        let Body::List(al) = &entries[1].value.body else {
            panic!("no list")
        };
        assert_eq!(&s[al[1].span.range()], "\"b\"");
    }

    #[test]
    fn structural_errors_are_located() {
        let e = outline("[ State(id: \"a\" ]").unwrap_err();
        assert_eq!(e.span, Span::new(16, 17));
        let e = outline("[ State(id: \"a\") State() ]").unwrap_err();
        assert!(e.message.contains("expected `,`"), "{}", e.message);
        let e = outline("[ [").unwrap_err();
        assert!(e.message.contains("never closed"), "{}", e.message);
        assert!(outline("  // nothing\n").expect("ok").is_none());
        let e = outline("[] []").unwrap_err();
        assert!(e.message.contains("after the end"), "{}", e.message);
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion_blowup() {
        let s = "[".repeat(100_000) + &"]".repeat(100_000);
        let e = outline(&s).unwrap_err();
        assert!(e.too_deep);
    }
}
