//! Writes a [`Doc`] for a terminal: aligned columns, fields and notes; on a terminal that takes
//! colour, headings in bold and certainties coloured ([`Styles`]).

use std::io;

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthStr;

use super::doc::{Block, Cell, Doc};

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
    lay_out(doc, Screen::default(), &mut out);
    out
}

/// Writes the text of a document to `w`, as it is laid out.
pub fn write_text(doc: &Doc, w: &mut impl io::Write) -> io::Result<()> {
    write_text_on(doc, Screen::default(), w)
}

/// Where a document is shown: how wide, and whether in colour. The default, for text that is
/// piped or kept, is every column whole and no colour.
#[derive(Debug, Clone, Copy, Default)]
pub struct Screen {
    /// The terminal columns each table is narrowed to where it is wider: its free-text
    /// columns ([`SHRINKS`]) are narrowed, their cells cut with `…`; ids, dates, certainties
    /// and counts are kept whole. `None`: every column as wide as its widest cell.
    pub width: Option<usize>,
    /// Whether headings, header rows, certainties and notes are styled (ANSI escapes).
    pub colour: bool,
}

/// The styles of a document on a terminal that takes colour.
pub struct Styles;

impl Styles {
    /// A heading, a table's header row.
    pub const HEADING: Style = Style::new().bold();
    /// The `note:` that starts a note on an answer's limits.
    pub const NOTE: Style = Style::new()
        .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)))
        .bold();

    /// The style of a certainty (`certain`, `possible`, `no`); `None` for other text.
    pub fn certainty(text: &str) -> Option<Style> {
        let colour = match text {
            "certain" => AnsiColor::Green,
            "possible" => AnsiColor::Yellow,
            "no" => AnsiColor::Red,
            _ => return None,
        };
        Some(Style::new().fg_color(Some(anstyle::Color::Ansi(colour))))
    }
}

/// Pushes `text` in `style` (when there is one and `colour`), else as it is.
fn styled(out: &mut impl Out, text: &str, style: Option<Style>, colour: bool) {
    match style.filter(|_| colour) {
        Some(s) => out.push_str(&format!("{}{text}{}", s.render(), s.render_reset())),
        None => out.push_str(text),
    }
}

/// [`write_text`], fitted to `screen`.
pub fn write_text_on(doc: &Doc, screen: Screen, w: &mut impl io::Write) -> io::Result<()> {
    let mut out = Chunked {
        buf: String::with_capacity(1 << 17),
        w,
        err: None,
    };
    lay_out(doc, screen, &mut out);
    out.flush();
    out.err.map_or(Ok(()), Err)
}

/// The columns a table narrows to fit a terminal, by header: free text, which reads cut.
pub const SHRINKS: &[&str] = &[
    "name",
    "against",
    "legal act",
    "title",
    "fact",
    "detail",
    "note",
    "quote",
    "via",
    "measures",
    "about",
    "tie",
    "matched",
    "by",
    "for",
    "message",
    "hints",
    "file",
    "old",
    "new",
    "what",
];

/// No free-text column is narrowed below this many columns (or its header, if wider).
const NARROWEST: usize = 6;

/// Nor any other column (an id, a date: wrapped) below this many.
const NARROWEST_WHOLE: usize = 10;

/// The widths that fit a table of column `widths` (headers `headers`) in `width` terminal
/// columns: the widest free-text column is narrowed first, down to [`NARROWEST`]; if that is not
/// enough, the widest of the others (ids, dates: wrapped, never cut), down to their header or
/// [`NARROWEST`]; until it fits or no column can give more.
fn fitted(widths: &[usize], headers: &[String], width: usize) -> Vec<usize> {
    let mut out = widths.to_vec();
    // Each column takes its width and a space on each side; the last one's trailing space is
    // trimmed.
    let total = |w: &[usize]| w.iter().map(|c| c + 2).sum::<usize>().saturating_sub(1);
    let header = |c: usize| headers.get(c).map_or(0, |h| columns_of(h));
    let free = |c: usize| {
        headers
            .get(c)
            .is_some_and(|h| SHRINKS.contains(&h.as_str()))
    };
    for stage in [true, false] {
        let floor = |c: usize| header(c).max(if stage { NARROWEST } else { NARROWEST_WHOLE });
        while total(&out) > width {
            let widest = (0..out.len())
                .filter(|&c| free(c) == stage && out[c] > floor(c))
                .max_by_key(|&c| (out[c], std::cmp::Reverse(c)));
            let Some(c) = widest else { break };
            // Down to the next widest of the stage's columns, or as far as the excess asks.
            let next = (0..out.len())
                .filter(|&d| d != c && free(d) == stage)
                .map(|d| out[d])
                .filter(|&w| w < out[c])
                .max()
                .unwrap_or(0);
            let excess = total(&out) - width;
            out[c] = out[c]
                .saturating_sub(excess)
                .max(next)
                .max(floor(c))
                .min(out[c] - 1);
        }
    }
    out
}

/// `text` cut to `width` terminal columns, ending in `…` where it was cut.
fn cut(text: &str, width: usize) -> std::borrow::Cow<'_, str> {
    if columns_of(text) <= width {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    std::borrow::Cow::Owned(out)
}

/// `line` in pieces of at most `room` terminal columns (whole without a limit).
fn wrapped(line: &str, room: Option<usize>) -> Vec<String> {
    let Some(room) = room.filter(|&r| columns_of(line) > r) else {
        return vec![line.to_string()];
    };
    let mut out = vec![String::new()];
    let mut used = 0;
    for ch in line.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w > room {
            out.push(String::new());
            used = 0;
        }
        if let Some(last) = out.last_mut() {
            last.push(ch);
        }
        used += w;
    }
    out
}

fn lay_out(doc: &Doc, screen: Screen, out: &mut impl Out) {
    let (within, colour) = (screen.width, screen.colour);
    for (i, b) in doc.blocks.iter().enumerate() {
        if i > 0 && matches!(b, Block::Heading(_) | Block::Table { .. }) {
            out.push('\n');
        }
        match b {
            Block::Heading(h) => {
                styled(out, h, Some(Styles::HEADING), colour);
                out.push('\n');
            }
            Block::Text(t) => {
                match t.strip_prefix("note:") {
                    Some(rest) => {
                        styled(out, "note:", Some(Styles::NOTE), colour);
                        out.push_str(rest);
                    }
                    None => out.push_str(t),
                }
                out.push('\n');
            }
            Block::Fields(fields) => {
                let mut width = 0;
                match fields.known_widths() {
                    Some(known) => width = known.iter().copied().max().unwrap_or(0),
                    None => fields.each(|(k, _)| width = width.max(label_width(k))),
                }
                // Within a terminal's width, a long value wraps under itself (never cut: it may
                // be an address).
                let room = within.map(|w| w.saturating_sub(width + 4).max(NARROWEST));
                // Fields made as they are written are made again here rather than held.
                fields.each(|(k, v)| {
                    // `on DATE: certain`: whether a fact is in force on the date asked about.
                    let style = k.starts_with("on ").then(|| Styles::certainty(v)).flatten();
                    let mut lines = v.lines().flat_map(|l| wrapped(l, room));
                    let first = lines.next().unwrap_or_default();
                    out.push_str(&format!("  {k:<width$}  "));
                    styled(out, &first, style, colour);
                    out.push('\n');
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
                let widths = match within {
                    Some(w) => fitted(&widths.0, headers, w),
                    None => widths.0,
                };
                let cuts: Vec<bool> = headers
                    .iter()
                    .map(|h| SHRINKS.contains(&h.as_str()))
                    .collect();
                let certainties: Vec<bool> = headers.iter().map(|h| h == "certainty").collect();
                let mut cols = Columns {
                    widths: &widths,
                    cuts: &cuts,
                    certainties: &certainties,
                    colour,
                    header: true,
                };
                // Rows made as they are written are made again here rather than held.
                let mut line = String::new();
                aligned_row(&cols, headers, &mut line, out);
                cols.header = false;
                aligned_row(&cols, &rule, &mut line, out);
                rows.each(|r| aligned_row(&cols, r.iter().map(|c| &c.text), &mut line, out));
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
    label.chars().count()
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
            *w = cell
                .as_ref()
                .split('\n')
                .map(columns_of)
                .fold(*w, usize::max);
        }
    }
}

/// The columns of a table as laid out: their widths, which cut a wider cell with `…` (free
/// text) rather than wrap it, and which hold certainties; whether in colour, and whether the
/// row is the header row.
struct Columns<'a> {
    widths: &'a [usize],
    cuts: &'a [bool],
    certainties: &'a [bool],
    colour: bool,
    header: bool,
}

/// Writes a row of cells in its columns, each line with its trailing spaces trimmed: the
/// layout comfy-table gives with no borders and no wrapping. Every cell is left-aligned and
/// padded by one space on each side; a cell of several lines makes its row as tall, and a row
/// short of cells is blank in the columns it lacks. A cell wider than its column is cut (free
/// text) or wrapped (an id, a date). `line` is room to reuse.
fn aligned_row<S: AsRef<str>>(
    cols: &Columns<'_>,
    row: impl IntoIterator<Item = S>,
    line: &mut String,
    out: &mut impl Out,
) {
    let widths = cols.widths;
    let row: Vec<S> = row.into_iter().collect();
    let cells: Vec<Vec<std::borrow::Cow<'_, str>>> = row
        .iter()
        .enumerate()
        .map(|(c, s)| {
            let width = widths.get(c).copied().unwrap_or(usize::MAX);
            let mut lines = Vec::with_capacity(1);
            for l in s.as_ref().split('\n') {
                if columns_of(l) <= width {
                    lines.push(std::borrow::Cow::Borrowed(l));
                } else if cols.cuts.get(c).copied().unwrap_or(false) {
                    lines.push(std::borrow::Cow::Owned(cut(l, width).into_owned()));
                } else {
                    lines.extend(
                        wrapped(l, Some(width))
                            .into_iter()
                            .map(std::borrow::Cow::Owned),
                    );
                }
            }
            lines
        })
        .collect();
    let cell = |c: usize, i: usize| cells.get(c).and_then(|s| s.get(i)).map(|s| s.as_ref());
    let height = cells.iter().map(Vec::len).max().unwrap_or(1);
    for i in 0..height {
        line.clear();
        for (c, &width) in widths.iter().enumerate() {
            let text = cell(c, i).unwrap_or("");
            let style = if cols.header {
                Some(Styles::HEADING)
            } else if cols.certainties.get(c).copied().unwrap_or(false) {
                Styles::certainty(text)
            } else {
                None
            };
            line.push(' ');
            styled(line, text, style, cols.colour);
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

    #[test]
    fn a_table_fits_by_narrowing_free_text_first_then_wrapping_ids() {
        let headers: Vec<String> = ["id", "title", "dates"].map(String::from).to_vec();
        // Whole: 30 + 40 + 20 and their spaces, 95 columns.
        assert_eq!(fitted(&[30, 40, 20], &headers, 200), [30, 40, 20]);
        // The title gives first, down to its floor.
        assert_eq!(fitted(&[30, 40, 20], &headers, 80), [30, 25, 20]);
        assert_eq!(fitted(&[30, 40, 20], &headers, 62), [30, 7, 20]);
        let w = fitted(&[30, 40, 20], &headers, 50);
        assert_eq!(w[1], NARROWEST.max(5), "the title at its floor");
        assert!(w.iter().map(|c| c + 2).sum::<usize>() - 1 <= 50, "{w:?}");
        assert_eq!(cut("Collective Security Treaty", 8), "Collect…");
        assert_eq!(
            wrapped("membership:BLR:CIS", Some(10)),
            ["membership", ":BLR:CIS"]
        );
    }

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
            // Control characters are measured as comfy-table measures them.
            vec![
                vec!["tab", "cr"],
                vec!["a\tb", "c\r"],
                vec!["\u{7}", "x\r\ny"],
            ],
        ];
        for rows in cases {
            let mut widths = Widths::default();
            for r in &rows {
                widths.add(r);
            }
            let (mut mine, mut line) = (String::new(), String::new());
            let cuts = vec![false; widths.0.len()];
            let cols = Columns {
                widths: &widths.0,
                cuts: &cuts,
                certainties: &cuts,
                colour: false,
                header: false,
            };
            for r in &rows {
                aligned_row(&cols, r, &mut line, &mut mine);
            }
            assert_eq!(mine, comfy(&rows), "{rows:?}");
        }
    }

    #[test]
    fn colour_styles_headings_and_certainties_and_keeps_the_layout() {
        let mut doc = Doc::default();
        doc.push(Block::Heading("Allies of BLR".into()));
        doc.push(Block::Table {
            headers: ["id", "certainty"].map(String::from).to_vec(),
            rows: crate::render::Rows::Held(vec![
                vec!["RUS".into(), "certain".into()],
                vec!["KAZ".into(), "possible".into()],
            ]),
        });
        doc.push(Block::Text("note: the data stops in 2021".into()));
        let plain = to_text(&doc);
        let mut coloured = Vec::new();
        let screen = Screen {
            width: None,
            colour: true,
        };
        write_text_on(&doc, screen, &mut coloured).expect("written");
        let coloured = String::from_utf8(coloured).expect("UTF-8");
        let yellow = Styles::certainty("possible").expect("a style");
        assert!(
            coloured.contains(&format!(
                "{}possible{}",
                yellow.render(),
                yellow.render_reset()
            )),
            "{coloured:?}"
        );
        assert!(coloured.contains(&format!("{}", Styles::HEADING.render())));
        assert!(coloured.contains(&format!("{}note:", Styles::NOTE.render())));
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
        assert_eq!(anstream::adapter::strip_str(&coloured).to_string(), plain);
    }
}
