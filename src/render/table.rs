//! Writes a [`Doc`] for a terminal: aligned columns, fields and notes. Every text is shown with
//! its control characters escaped ([`escape::terminal`]): a name in the data cannot send the
//! terminal an escape sequence, nor break the alignment with a tab.

use std::io;

use unicode_width::UnicodeWidthStr;

use super::doc::{Block, Cell, Doc};
use crate::diag::escape;

/// Where text goes: a string, or a writer fed in chunks (a table of a hundred thousand rows
/// is not held twice over, as a document and as its text).
trait Out {
    fn push_str(&mut self, s: &str);
    fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }
}

impl Out for String {
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
}

/// Text written to `w` whenever 64 KiB have gathered; the first error is kept.
struct Chunked<'w, W: io::Write> {
    buf: String,
    w: &'w mut W,
    err: Option<io::Error>,
}

impl<W: io::Write> Chunked<'_, W> {
    fn flush(&mut self) {
        if self.err.is_none()
            && let Err(e) = self.w.write_all(self.buf.as_bytes())
        {
            self.err = Some(e);
        }
        self.buf.clear();
    }
}

impl<W: io::Write> Out for Chunked<'_, W> {
    fn push_str(&mut self, s: &str) {
        self.buf.push_str(s);
        if self.buf.len() >= 1 << 16 {
            self.flush();
        }
    }
}

/// The text of a document, ending in a newline.
pub fn to_text(doc: &Doc) -> String {
    let mut out = String::new();
    lay_out(doc, &mut out);
    out
}

/// Writes the text of a document to `w`, as it is laid out.
pub fn write_text(doc: &Doc, w: &mut impl io::Write) -> io::Result<()> {
    let mut out = Chunked {
        buf: String::with_capacity(1 << 17),
        w,
        err: None,
    };
    lay_out(doc, &mut out);
    out.flush();
    out.err.map_or(Ok(()), Err)
}

fn lay_out(doc: &Doc, out: &mut impl Out) {
    for (i, b) in doc.blocks.iter().enumerate() {
        if i > 0 && matches!(b, Block::Heading(_) | Block::Table { .. }) {
            out.push('\n');
        }
        match b {
            Block::Heading(h) => {
                out.push_str(&escape::terminal(h));
                out.push('\n');
            }
            Block::Text(t) => {
                out.push_str(&escape::terminal(t));
                out.push('\n');
            }
            Block::Fields(fields) => {
                let mut width = 0;
                match fields.known_widths() {
                    Some(known) => width = known.iter().copied().max().unwrap_or(0),
                    None => fields.each(|(k, _)| width = width.max(label_width(k))),
                }
                // Fields made as they are written are made again here rather than held.
                fields.each(|(k, v)| {
                    let (k, v) = (escape::terminal(k), escape::terminal(v));
                    let mut lines = v.lines();
                    let first = lines.next().unwrap_or("");
                    out.push_str(&format!("  {k:<width$}  {first}\n"));
                    for more in lines {
                        out.push_str(&format!("  {:<width$}  {more}\n", ""));
                    }
                });
            }
            Block::Table { headers, rows } => {
                if rows.is_empty() {
                    out.push_str("  (none)\n");
                    continue;
                }
                let rule: Vec<String> = headers
                    .iter()
                    .map(|h| "-".repeat(h.chars().count()))
                    .collect();
                let mut widths = Widths(rows.known_widths().unwrap_or_default().to_vec());
                widths.add(headers);
                widths.add(&rule);
                if rows.known_widths().is_none() {
                    rows.each(|r| widths.add(r.iter().map(|c| &c.text)));
                }
                // Rows made as they are written are made again here rather than held.
                let mut line = String::new();
                aligned_row(&widths.0, headers, &mut line, out);
                aligned_row(&widths.0, &rule, &mut line, out);
                rows.each(|r| aligned_row(&widths.0, r.iter().map(|c| &c.text), &mut line, out));
            }
        }
    }
}

/// Widens `widths` (one a column, none at first) to fit `row`, as a table's layout measures
/// its rows: for rows given with their widths ([`crate::render::doc::Items::made_measured`]).
pub fn measure(widths: &mut Vec<usize>, row: &[Cell]) {
    let mut w = Widths(std::mem::take(widths));
    w.add(row.iter().map(|c| &c.text));
    *widths = w.0;
}

/// The width a list of `label: value` fields gives its label column for `label`.
pub fn label_width(label: &str) -> usize {
    escape::terminal(label).chars().count()
}

/// Each column's width: its widest line (at least 1), in terminal columns.
#[derive(Default)]
struct Widths(Vec<usize>);

impl Widths {
    fn add<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        for (c, cell) in cells.into_iter().enumerate() {
            if c == self.0.len() {
                self.0.push(1);
            }
            let w = &mut self.0[c];
            *w = escape::terminal(cell.as_ref())
                .split('\n')
                .map(columns_of)
                .fold(*w, usize::max);
        }
    }
}

/// Writes a row of cells in columns of `widths`, each line with its trailing spaces trimmed:
/// the layout comfy-table gives with no borders and no wrapping. Every cell is left-aligned
/// and padded by one space on each side; a cell of several lines makes its row as tall, and a
/// row short of cells is blank in the columns it lacks. `line` is room to reuse.
fn aligned_row<S: AsRef<str>>(
    widths: &[usize],
    row: impl IntoIterator<Item = S>,
    line: &mut String,
    out: &mut impl Out,
) {
    let cells: Vec<S> = row.into_iter().collect();
    let cells: Vec<std::borrow::Cow<'_, str>> =
        cells.iter().map(|c| escape::terminal(c.as_ref())).collect();
    let cell = |c: usize, i: usize| cells.get(c).and_then(|s| s.split('\n').nth(i));
    let height = cells
        .iter()
        .map(|c| c.split('\n').count())
        .max()
        .unwrap_or(1);
    for i in 0..height {
        line.clear();
        for (c, &width) in widths.iter().enumerate() {
            let text = cell(c, i).unwrap_or("");
            line.push(' ');
            line.push_str(text);
            line.extend(std::iter::repeat_n(
                ' ',
                width.saturating_sub(columns_of(text)) + 1,
            ));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// How many terminal columns `s` takes: its length when it is printable ASCII (most cells:
/// ids, dates, numbers), else as Unicode says.
fn columns_of(s: &str) -> usize {
    if s.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        s.len()
    } else {
        s.width()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What comfy-table writes for the same rows, trimmed as [`to_text`] trims.
    fn comfy(rows: &[Vec<&str>]) -> String {
        let mut t = comfy_table::Table::new();
        t.load_preset(comfy_table::presets::NOTHING)
            .set_content_arrangement(comfy_table::ContentArrangement::Disabled)
            .set_header(rows[0].clone());
        for r in &rows[1..] {
            t.add_row(r.clone());
        }
        let mut out = String::new();
        for line in t.to_string().lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    #[test]
    fn rows_made_as_they_are_written_read_as_rows_held() {
        use crate::render::doc::{Cell, Rows};
        let make = |i: usize| {
            vec![
                Cell::from(format!("row {i}")),
                Cell::abbreviated(format!("[{i}]"), format!("https://example.org/{i}")),
                Cell::from("two\nlines"),
            ]
        };
        let doc = |rows: Rows<'static>| {
            let mut d = Doc::default();
            d.push(Block::Heading("Rows".into()));
            d.push(Block::Table {
                headers: ["a", "b", "c"].map(String::from).to_vec(),
                rows,
            });
            d
        };
        let held = doc((0..12).map(make).collect());
        let made = doc(Rows::made(12, make));
        let text = to_text(&made);
        assert_eq!(text, to_text(&held));
        assert!(text.contains(" row 11 ") && text.contains("[11]"), "{text}");
        let csv = crate::render::csv::to_csv(&made).expect("csv");
        assert_eq!(csv, crate::render::csv::to_csv(&held).expect("csv"));
        assert!(csv.contains("row 11,https://example.org/11"), "{csv}");
        assert_eq!(
            made.main_table().map(|(_, r)| r.to_vec()),
            held.main_table().map(|(_, r)| r.to_vec())
        );
    }

    #[test]
    fn fields_made_as_they_are_written_read_as_fields_held() {
        use crate::render::doc::Fields;
        // Labels of growing width (the widest last), values of one and of two lines.
        let make = |i: usize| {
            let value = if i.is_multiple_of(3) {
                "two\nlines"
            } else {
                "one"
            };
            (format!("[{}]", i * 7), format!("{value} {i}"))
        };
        let doc = |fields: Fields<'static>| {
            let mut d = Doc::default();
            d.push(Block::Fields(fields));
            d
        };
        let held = to_text(&doc((0..20).map(make).collect()));
        let made = to_text(&doc(Fields::made(20, make)));
        assert_eq!(made, held);
        assert!(made.contains("  [0]    two\n         lines 0\n"), "{made}");
        assert!(made.contains("  [133]  one 19\n"), "{made}");
    }

    #[test]
    fn lays_out_columns_as_comfy_table_does() {
        let cases: Vec<Vec<Vec<&str>>> = vec![
            vec![
                vec!["id", "name"],
                vec!["--", "----"],
                vec!["BLR", "Belarus"],
            ],
            // Wide and combining characters, dashes and ellipses count as a terminal shows them.
            vec![
                vec!["id", "name", "dates"],
                vec!["CHN", "中华人民共和国", "1949 – 2020"],
                vec!["e\u{301}", "Cafe\u{301} …", "–"],
                vec!["emoji", "🇺🇦 flag 👍🏽", ""],
            ],
            // Cells of several lines, empty cells, short and long rows.
            vec![
                vec!["a", "b"],
                vec!["one\ntwo\nthree", "x"],
                vec!["", ""],
                vec!["only"],
                vec!["p", "q", "extra\ncolumn"],
                vec![],
            ],
        ];
        for rows in cases {
            let mut widths = Widths::default();
            for r in &rows {
                widths.add(r);
            }
            let (mut mine, mut line) = (String::new(), String::new());
            for r in &rows {
                aligned_row(&widths.0, r, &mut line, &mut mine);
            }
            assert_eq!(mine, comfy(&rows), "{rows:?}");
        }
    }

    #[test]
    fn control_characters_are_shown_escaped_and_measured_as_shown() {
        let hostile = "\u{1b}]0;pwned\u{7}\u{1b}[2J";
        let mut d = Doc::default();
        d.push(Block::Heading(format!("Allies of {hostile}")));
        d.push(Block::Table {
            headers: ["id", "name"].map(String::from).to_vec(),
            rows: vec![
                vec![Cell::from("X"), Cell::from(hostile)],
                vec![Cell::from("tab\there"), Cell::from("two\nlines")],
            ]
            .into_iter()
            .collect(),
        });
        d.push(Block::Fields(
            vec![(hostile.to_string(), format!("a\r{hostile}"))]
                .into_iter()
                .collect(),
        ));
        let text = to_text(&d);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        let shown = "\\x1b]0;pwned\\x07\\x1b[2J";
        assert!(text.starts_with(&format!("Allies of {shown}\n")), "{text}");
        assert!(text.contains(&format!(" X          {shown}\n")), "{text}");
        assert!(text.contains(" tab\\there  two\n"), "{text}");
        assert!(
            text.contains(&format!("  {shown}  a\\r{shown}\n")),
            "{text}"
        );
    }
}
