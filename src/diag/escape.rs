//! Text made safe for a terminal, as `ls` and `git` do: control characters are shown escaped,
//! never written raw, so that a name in the data cannot move the cursor, clear the screen or
//! set the window's title. And values echoed in a diagnostic are cut to [`VALUE_CHARS`]
//! characters, so that a huge value cannot flood the screen.
//!
//! What is escaped, and how:
//!
//! - `\t`, `\r` and (where a line must stay one line) `\n` as `\t`, `\r`, `\n`;
//! - the other C0 controls and DEL as `\x1b`, `\x07`, `\x7f`, ... (ESC, so every escape
//!   sequence, is among them);
//! - C1 controls (U+0080 to U+009F) and the bidirectional overrides and isolates (U+202A to
//!   U+202E, U+2066 to U+2069, which reorder what a terminal shows) as `\u{9b}`, `\u{202e}`.
//!
//! Everything else is shown as it is. Only text for people is escaped: tables, diagnostics,
//! notes on stderr, and Markdown (read on terminals and in pull requests). JSON, CSV and
//! written exports keep the exact text.

use std::borrow::Cow;

/// Echoed values longer than this many characters are cut, and end in `…`.
pub const VALUE_CHARS: usize = 80;

/// A diagnostic's message longer than this many characters (after its values are cut) is cut
/// too.
pub const MESSAGE_CHARS: usize = 1000;

/// How `c` is shown when it must not reach a terminal raw; `None` when it may. Newlines and
/// tabs are escaped too: callers that keep them do so before asking.
pub fn escaped(c: char) -> Option<String> {
    match c {
        '\n' => Some("\\n".into()),
        '\t' => Some("\\t".into()),
        '\r' => Some("\\r".into()),
        '\0'..='\x1f' | '\x7f' => Some(format!("\\x{:02x}", u32::from(c))),
        '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some(format!("\\u{{{:x}}}", u32::from(c)))
        }
        _ => None,
    }
}

/// Whether `c` is shown escaped (newlines included).
pub fn is_escaped(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f' | '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character that [`escaped`] names escaped, except those `keep` keeps.
fn escape_with(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_escaped(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match escaped(c).filter(|_| !keep(c)) {
            Some(e) => out.push_str(&e),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `text` for a terminal: control characters escaped, newlines kept (a table's cell or a
/// note may hold several lines).
pub fn terminal(text: &str) -> Cow<'_, str> {
    escape_with(text, |c| c == '\n')
}

/// `text` for a terminal, on one line: newlines escaped too.
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape_with(text, |_| false)
}

/// `value` as a message echoes it: on one line, and cut to [`VALUE_CHARS`] characters.
pub fn value(value: &str) -> String {
    cut(one_line(value).into_owned(), VALUE_CHARS)
}

/// A diagnostic's hint for a terminal: on one line, cut to [`MESSAGE_CHARS`] (a hint quotes
/// what to write, in full).
pub fn hint(text: &str) -> String {
    cut(one_line(text).into_owned(), MESSAGE_CHARS)
}

/// `text` cut to `chars` characters, ending in `…` when cut.
fn cut(text: String, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// A diagnostic's message (or label) for a terminal: on one line, each value it quotes in
/// backticks cut as [`value`] cuts it, and the whole cut to [`MESSAGE_CHARS`].
pub fn message(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4 * MESSAGE_CHARS));
    let mut rest = text;
    // Values come between backticks: `BRL`.
    while let Some(open) = rest.find('`') {
        out.push_str(&one_line(&rest[..open]));
        let after = &rest[open + 1..];
        match after.find('`') {
            Some(close) => {
                out.push('`');
                out.push_str(&value(&after[..close]));
                out.push('`');
                rest = &after[close + 1..];
            }
            None => {
                out.push('`');
                out.push_str(&value(after));
                rest = "";
            }
        }
        if out.len() > 4 * MESSAGE_CHARS {
            break;
        }
    }
    out.push_str(&one_line(rest));
    cut(out, MESSAGE_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J";

    #[test]
    fn escape_sequences_are_shown_not_sent() {
        assert_eq!(terminal(HOSTILE), "\\x1b]0;pwned\\x07\\x1b[2J");
        assert_eq!(
            terminal("a\u{9b}b\u{202e}c\u{7f}"),
            "a\\u{9b}b\\u{202e}c\\x7f"
        );
        assert_eq!(terminal("two\nlines\tand\r"), "two\nlines\\tand\\r");
        assert_eq!(one_line("two\nlines"), "two\\nlines");
        for text in [HOSTILE, "\u{85}", "\u{2066}x\u{2069}"] {
            assert!(!terminal(text).chars().any(is_escaped), "{text:?}");
        }
    }

    #[test]
    fn plain_text_is_borrowed_as_it_is() {
        for text in [
            "Belarus",
            "Лукашенко",
            "中华人民共和国",
            "Café ☕",
            "a\\nb",
            "",
        ] {
            assert!(matches!(terminal(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn values_are_cut_and_kept_on_one_line() {
        let long = "x".repeat(VALUE_CHARS + 1);
        assert_eq!(value(&long), format!("{}…", "x".repeat(VALUE_CHARS)));
        assert_eq!(value(&"é".repeat(VALUE_CHARS)), "é".repeat(VALUE_CHARS));
        let newlines = "\n".repeat(1_000_000);
        let shown = message(&format!("unknown id `{newlines}`; did you mean `BLR`?"));
        assert!(!shown.contains('\n'));
        assert!(shown.chars().count() < 4 * VALUE_CHARS, "{shown}");
        assert!(shown.ends_with("did you mean `BLR`?"), "{shown}");
        let unclosed = message(&format!("a value `{}", "y".repeat(10_000)));
        assert!(unclosed.chars().count() <= 200, "{unclosed}");
        let plain = message(&"z ".repeat(10_000));
        assert_eq!(plain.chars().count(), MESSAGE_CHARS + 1);
    }
}
