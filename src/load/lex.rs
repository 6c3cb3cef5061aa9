//! A RON tokenizer that keeps every byte accounted for (comments included), so that the
//! loader can locate records and fields and later tools can edit text without losing anything.

use crate::model::Span;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `(`, `)`, `[`, `]`, `{`, `}`.
    Open(u8),
    /// The closing bracket.
    Close(u8),
    /// `,`.
    Comma,
    /// `:`.
    Colon,
    /// A name: `State`, `id`, `true`, `r#type`.
    Ident,
    /// A string, raw string, byte string or char literal.
    Str,
    /// A number.
    Number,
    /// `// ...` up to the end of the line.
    LineComment,
    /// `/* ... */`, nested.
    BlockComment,
    /// `#![...]` and other attribute starts: `#`, `!`.
    Punct,
}

/// A token and its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Kind.
    pub kind: TokenKind,
    /// Where.
    pub span: Span,
}

/// A text that is not RON at the token level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// Where.
    pub span: Span,
    /// What.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
}

/// Splits `text` into tokens (whitespace dropped, comments kept).
pub fn tokenize(text: &str) -> Result<Vec<Token>, LexError> {
    tokens(text, 0, true)
}

/// Splits `text` into the tokens that carry values: whitespace and comments dropped, with the
/// same errors at the same places as [`tokenize`]. For loading, which never needs comments.
pub fn tokenize_code(text: &str) -> Result<Vec<Token>, LexError> {
    tokens(text, 0, false)
}

/// [`tokenize_code`] from byte `start` of `text` (which must begin a token, as a record
/// does) to its end, with spans in all of `text`: for reading one record of a file again.
pub fn tokenize_code_from(text: &str, start: usize) -> Result<Vec<Token>, LexError> {
    tokens(text, start, false)
}

fn tokens(text: &str, from: usize, keep_comments: bool) -> Result<Vec<Token>, LexError> {
    let mut out = Vec::with_capacity(text.len().saturating_sub(from) / 6);
    let mut lexer = Lexer::new(text, from, keep_comments);
    while let Some(t) = lexer.next_token()? {
        out.push(t);
    }
    Ok(out)
}

/// The tokens of a text one at a time, as [`tokenize`] (with comments) or [`tokenize_code`]
/// (without) gives them in a list: for a reader that needs only the next few.
#[derive(Debug, Clone)]
pub struct Lexer<'t> {
    text: &'t str,
    /// Where the next token is looked for.
    at: usize,
    keep_comments: bool,
}

impl<'t> Lexer<'t> {
    /// The tokens of `text` from byte `from` (which must begin a token) on.
    pub fn new(text: &'t str, from: usize, keep_comments: bool) -> Lexer<'t> {
        Lexer {
            text,
            at: from,
            keep_comments,
        }
    }

    /// The next token, `None` at the end of the text, or the text's first problem from here.
    pub fn next_token(&mut self) -> Result<Option<Token>, LexError> {
        let (text, b) = (self.text, self.text.as_bytes());
        let mut i = self.at;
        while i < b.len() {
            let c = b[i];
            let start = i;
            let kind = match c {
                b' ' | b'\t' | b'\n' | b'\r' => {
                    i += 1;
                    continue;
                }
                b'(' | b'[' | b'{' => {
                    i += 1;
                    TokenKind::Open(c)
                }
                b')' | b']' | b'}' => {
                    i += 1;
                    TokenKind::Close(c)
                }
                b',' => {
                    i += 1;
                    TokenKind::Comma
                }
                b':' => {
                    i += 1;
                    TokenKind::Colon
                }
                b'#' | b'!' => {
                    i += 1;
                    TokenKind::Punct
                }
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                    TokenKind::LineComment
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i = block_comment_end(b, i)?;
                    TokenKind::BlockComment
                }
                b'"' => {
                    i = string_end(b, i + 1, b'"', start)?;
                    TokenKind::Str
                }
                b'\'' => {
                    i = string_end(b, i + 1, b'\'', start)?;
                    TokenKind::Str
                }
                b'r' if matches!(b.get(i + 1), Some(b'"') | Some(b'#'))
                    && raw_string_start(b, i + 1).is_some() =>
                {
                    i = raw_string_end(b, i + 1, start)?;
                    TokenKind::Str
                }
                b'b' if b.get(i + 1) == Some(&b'"') => {
                    i = string_end(b, i + 2, b'"', start)?;
                    TokenKind::Str
                }
                b'b' if b.get(i + 1) == Some(&b'r') && raw_string_start(b, i + 2).is_some() => {
                    i = raw_string_end(b, i + 2, start)?;
                    TokenKind::Str
                }
                b'0'..=b'9' | b'-' | b'+' | b'.' => {
                    i += 1;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b"._+-".contains(&b[i])) {
                        i += 1;
                    }
                    TokenKind::Number
                }
                c if c == b'_' || c.is_ascii_alphabetic() => {
                    if c == b'r' && b.get(i + 1) == Some(&b'#') {
                        i += 2;
                    }
                    i += 1;
                    while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric()) {
                        i += 1;
                    }
                    TokenKind::Ident
                }
                _ => {
                    let ch = text[i..].chars().next().unwrap_or('?');
                    return Err(LexError {
                        span: Span::new(i, i + ch.len_utf8()),
                        message: format!("unexpected character `{}`", ch.escape_debug()),
                        hint: Some(
                            "text outside quotes must be RON: names, numbers, brackets, `,` and `:`"
                                .into(),
                        ),
                    });
                }
            };
            if !self.keep_comments
                && matches!(kind, TokenKind::LineComment | TokenKind::BlockComment)
            {
                continue;
            }
            self.at = i;
            return Ok(Some(Token {
                kind,
                span: Span::new(start, i),
            }));
        }
        self.at = i;
        Ok(None)
    }
}

fn block_comment_end(b: &[u8], start: usize) -> Result<usize, LexError> {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < b.len() {
        match (b[i], b[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Ok(i);
                }
            }
            _ => i += 1,
        }
    }
    Err(LexError {
        span: Span::new(start, start + 2),
        message: "this comment is never closed".into(),
        hint: Some("close it with `*/`".into()),
    })
}

fn string_end(b: &[u8], mut i: usize, quote: u8, start: usize) -> Result<usize, LexError> {
    // A backslash skips the byte after it, whatever it is.
    while let Some(k) = b
        .get(i..)
        .and_then(|rest| memchr::memchr2(quote, b'\\', rest))
    {
        if b[i + k] == quote {
            return Ok(i + k + 1);
        }
        i += k + 2;
    }
    Err(LexError {
        span: Span::new(start, start + 1),
        message: "this string is never closed".into(),
        hint: Some(format!("end it with `{}`", quote as char)),
    })
}

/// At `i` (just after `r`), the number of `#` before a `"`, if this is a raw string.
fn raw_string_start(b: &[u8], i: usize) -> Option<usize> {
    let hashes = b[i..].iter().take_while(|&&c| c == b'#').count();
    (b.get(i + hashes) == Some(&b'"')).then_some(hashes)
}

fn raw_string_end(b: &[u8], i: usize, start: usize) -> Result<usize, LexError> {
    let hashes = raw_string_start(b, i).unwrap_or(0);
    let mut j = i + hashes + 1;
    while j < b.len() {
        if b[j] == b'"'
            && b[j + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == b'#')
                .count()
                == hashes
        {
            return Ok(j + 1 + hashes);
        }
        j += 1;
    }
    Err(LexError {
        span: Span::new(start, start + 1),
        message: "this raw string is never closed".into(),
        hint: Some(format!("end it with `\"{}`", "#".repeat(hashes))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<TokenKind> {
        tokenize(s).expect(s).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn keeps_comments_and_strings_whole() {
        use TokenKind::*;
        assert_eq!(
            kinds("[ // hi\n State(id: \"a\\\"b\", n: 3) /* x /* y */ */ ]"),
            [
                Open(b'['),
                LineComment,
                Ident,
                Open(b'('),
                Ident,
                Colon,
                Str,
                Comma,
                Ident,
                Colon,
                Number,
                Close(b')'),
                BlockComment,
                Close(b']')
            ]
        );
        assert_eq!(kinds("r#\"a \"quoted\" b\"#"), [Str]);
        assert_eq!(kinds("-1.5e3"), [Number]);
        let s = "[ // hi\n State(n: 3) /* x */ ]";
        let code: Vec<Token> = tokenize(s)
            .expect("tokens")
            .into_iter()
            .filter(|t| !matches!(t.kind, LineComment | BlockComment))
            .collect();
        assert_eq!(tokenize_code(s).expect("tokens"), code);
    }

    #[test]
    fn unclosed_things_are_errors() {
        assert!(tokenize("\"abc").is_err());
        assert!(tokenize("/* abc").is_err());
        assert!(tokenize("r#\"abc\"").is_err());
        let e = tokenize("[ @ ]").unwrap_err();
        assert_eq!(e.span, Span::new(2, 3));
    }
}
