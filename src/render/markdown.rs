//! Writes a [`Doc`] as Markdown (GitHub's flavour, with its tables), for a pull request's
//! comment or a report: headings as `###`, field lists as bullets, tables as pipe tables with
//! every column whole, lines of text as paragraphs. Text from the data is escaped, so a name
//! or a quote never turns into markup, and its control characters are shown escaped
//! ([`crate::diag::escape`]), never written raw.

use std::io::Write;

use super::doc::{Block, Doc};

/// `text` with Markdown's markup characters escaped; an address in `<...>` stays a link.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && is_link(&rest[1..end])
        {
            out.push_str(&rest[..=end]);
            rest = &rest[end + 1..];
            continue;
        }
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '!'
        ) {
            out.push('\\');
        }
        // Control characters shown as a terminal shows them (`\x1b`): Markdown is read on
        // terminals too, and has no use for them.
        match crate::diag::escape::escaped(c) {
            Some(shown) => out.push_str(&shown.replace('\\', "\\\\")),
            None => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether `s` is an address Markdown links when written `<s>`.
fn is_link(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && !s.chars().any(|c| c.is_whitespace() || c == '<')
}

/// A table cell: escaped, on one line (line breaks as `<br>`).
fn cell(text: &str) -> String {
    text.lines().map(escape).collect::<Vec<_>>().join("<br>")
}

/// Writes `doc` as Markdown to `out`.
pub fn write_markdown(doc: &Doc, out: &mut impl Write) -> std::io::Result<()> {
    let mut first = true;
    let mut gap = |out: &mut dyn Write| -> std::io::Result<()> {
        if !std::mem::take(&mut first) {
            out.write_all(b"\n")?;
        }
        Ok(())
    };
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => {
                gap(out)?;
                writeln!(out, "### {}", escape(h))?;
            }
            Block::Fields(fields) => {
                gap(out)?;
                fields.try_each(|(k, v)| writeln!(out, "- **{}** {}", escape(k), cell(v)))?;
            }
            Block::Table { headers, rows } => {
                gap(out)?;
                let head: Vec<String> = headers.iter().map(|h| cell(h)).collect();
                writeln!(out, "| {} |", head.join(" | "))?;
                writeln!(out, "|{}", " --- |".repeat(headers.len().max(1)))?;
                rows.try_each(|r| {
                    let cells: Vec<String> = r.iter().map(|c| cell(&c.text)).collect();
                    writeln!(out, "| {} |", cells.join(" | "))
                })?;
            }
            Block::Text(t) if t.is_empty() => {}
            Block::Text(t) => {
                gap(out)?;
                let lines: Vec<String> = t.lines().map(|l| escape(l.trim_start())).collect();
                writeln!(out, "{}", lines.join("  \n"))?;
            }
        }
    }
    Ok(())
}

/// [`write_markdown`]'s text.
pub fn to_markdown(doc: &Doc) -> String {
    let mut out = Vec::new();
    // Writing to memory does not fail.
    let _ = write_markdown(doc, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::row;

    #[test]
    fn control_characters_are_shown_escaped_never_raw() {
        let mut doc = Doc::default();
        doc.push(Block::Heading("Changes to `HEAD^{/a\x1b[31m}`".into()));
        doc.push(Block::Table {
            headers: vec!["new".into()],
            rows: vec![row(["Pes\x1b]0;title\x07kov\u{202e}"])].into(),
        });
        let text = to_markdown(&doc);
        let raw = |c: char| c != '\n' && crate::diag::escape::is_escaped(c);
        assert!(!text.chars().any(raw), "{text:?}");
        assert_eq!(
            text,
            "### Changes to \\`HEAD^{/a\\\\x1b\\[31m}\\`\n\n| new |\n| --- |\n| Pes\\\\x1b\\]0;title\\\\x07kov\\\\u{202e} |\n"
        );
    }

    #[test]
    fn headings_fields_tables_and_text_with_the_data_escaped() {
        let mut doc = Doc::default();
        doc.push(Block::Heading("Allies of BLR (2)".into()));
        doc.push(Block::Table {
            headers: vec!["id".into(), "note".into()],
            rows: vec![
                row(["RUS", "a | b *bold*"]),
                row(["UZB", "two\nlines <b>x</b>"]),
            ]
            .into(),
        });
        doc.push(Block::Heading("Sources".into()));
        doc.push(Block::Fields(
            vec![("[1]".to_string(), "TASS <https://tass.com/x>".to_string())].into(),
        ));
        doc.push(Block::Text(String::new()));
        doc.push(Block::Text("note: only_a sample".into()));
        assert_eq!(
            to_markdown(&doc),
            "### Allies of BLR (2)

| id | note |
| --- | --- |
| RUS | a \\| b \\*bold\\* |
| UZB | two<br>lines \\<b\\>x\\</b\\> |

### Sources

- **\\[1\\]** TASS <https://tass.com/x>

note: only\\_a sample
"
        );
    }
}
