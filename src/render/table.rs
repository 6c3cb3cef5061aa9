//! Writes a [`Doc`] for a terminal: aligned columns, fields and notes; on a terminal that takes
//! colour, headings in bold and certainties coloured ([`Styles`]). Every text is shown with its
//! control characters escaped ([`escape::terminal`]): a name in the data cannot send the
//! terminal an escape sequence, nor break the alignment with a tab.

use std::io;

use anstyle::{AnsiColor, Style};
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

/// Free text is first narrowed no further than this many columns (or its header, if wider):
/// below it, the widest free-text column goes onto a line of its own under each row.
const READABLE: usize = 20;

/// No free-text column is narrowed below this many columns (or its header, if wider).
const NARROWEST: usize = 6;

/// Nor any other column (an id, a date: wrapped) below this many.
const NARROWEST_WHOLE: usize = 10;

/// Each line of a column laid out under its row starts with this many spaces.
const STACK_INDENT: usize = 4;

/// How a table is fitted to a width.
#[derive(Debug, PartialEq, Eq)]
struct Fit {
    /// Each column's width.
    widths: Vec<usize>,
    /// The column laid out on lines of its own under each row, rather than beside the others.
    stacked: Option<usize>,
}

/// How a table of column `widths` (headers `headers`) fits in `width` terminal columns; `words`
/// gives each column's widest word (what it takes to wrap it at spaces only), asked for when
/// needed. In turn, until it fits: free-text columns ([`SHRINKS`]) narrowed down to
/// [`READABLE`]; if that is not enough, the widest of them moved under its row (and the others
/// given their width back, to narrow again); other columns narrowed to their widest word (a
/// date range wraps at its dash); free text down to [`NARROWEST`]; other columns down to
/// [`NARROWEST_WHOLE`], wrapped inside words. Each stage narrows its widest column first.
fn fitted(
    widths: &[usize],
    headers: &[String],
    width: usize,
    words: impl FnOnce() -> Vec<usize>,
) -> Fit {
    let header = |c: usize| headers.get(c).map_or(0, |h| columns_of(h));
    let free = |c: usize| {
        headers
            .get(c)
            .is_some_and(|h| SHRINKS.contains(&h.as_str()))
    };
    let readable = |c: usize| header(c).max(READABLE).min(widths[c]);
    let mut fit = Fit {
        widths: widths.to_vec(),
        stacked: None,
    };
    fit.narrow(width, |c| free(c).then(|| readable(c)));
    if fit.total() > width && widths.len() >= 3 {
        let widest = (0..widths.len())
            .filter(|&c| free(c) && widths[c] > readable(c))
            .max_by_key(|&c| (widths[c], std::cmp::Reverse(c)));
        if let Some(s) = widest {
            fit = Fit {
                widths: widths.to_vec(),
                stacked: Some(s),
            };
            fit.narrow(width, |c| free(c).then(|| readable(c)));
        }
    }
    if fit.total() > width {
        let words = words();
        let word = |c: usize| words.get(c).copied().unwrap_or(0);
        fit.narrow(width, |c| {
            (!free(c)).then(|| header(c).max(word(c)).max(NARROWEST_WHOLE))
        });
        fit.narrow(width, |c| free(c).then(|| header(c).max(NARROWEST)));
        fit.narrow(width, |c| {
            (!free(c)).then(|| header(c).max(NARROWEST_WHOLE))
        });
    }
    if let Some(s) = fit.stacked {
        fit.widths[s] = widths[s].min(width.saturating_sub(STACK_INDENT).max(NARROWEST));
    }
    fit
}

impl Fit {
    /// The width of the columns side by side: each with a space on each side, the last one's
    /// trailing space trimmed.
    fn total(&self) -> usize {
        self.widths
            .iter()
            .enumerate()
            .filter(|&(c, _)| Some(c) != self.stacked)
            .map(|(_, w)| w + 2)
            .sum::<usize>()
            .saturating_sub(1)
    }

    /// Narrows, widest first, the columns `floor` gives a floor for (and not the stacked one),
    /// each down to the next widest of them or as far as the excess asks, until the table
    /// fits `width` or none can give more.
    fn narrow(&mut self, width: usize, floor: impl Fn(usize) -> Option<usize>) {
        let stacked = self.stacked;
        let takes = |c: usize| Some(c) != stacked;
        while self.total() > width {
            let out = &self.widths;
            let widest = (0..out.len())
                .filter(|&c| takes(c) && floor(c).is_some_and(|f| out[c] > f))
                .max_by_key(|&c| (out[c], std::cmp::Reverse(c)));
            let Some(c) = widest else { break };
            let next = (0..out.len())
                .filter(|&d| d != c && takes(d) && floor(d).is_some())
                .map(|d| out[d])
                .filter(|&w| w < out[c])
                .max()
                .unwrap_or(0);
            let excess = self.total() - width;
            let to = out[c]
                .saturating_sub(excess)
                .max(next)
                .max(floor(c).unwrap_or(0))
                .min(out[c] - 1);
            self.widths[c] = to;
        }
    }
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

/// `line` in pieces of at most `room` terminal columns (whole without a limit): broken at
/// spaces where it can be (`1994-04-20 –` above `(disputed)`), inside a word only when the
/// word alone is wider.
fn wrapped(line: &str, room: Option<usize>) -> Vec<String> {
    let Some(room) = room.filter(|&r| columns_of(line) > r) else {
        return vec![line.to_string()];
    };
    let options = textwrap::Options::new(room.max(1))
        .word_separator(textwrap::WordSeparator::Custom(words_of))
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(true);
    textwrap::wrap(line, options)
        .into_iter()
        .map(std::borrow::Cow::into_owned)
        .collect()
}

fn lay_out(doc: &Doc, screen: Screen, out: &mut impl Out) {
    let (within, colour) = (screen.width, screen.colour);
    for (i, b) in doc.blocks.iter().enumerate() {
        if i > 0 && matches!(b, Block::Heading(_) | Block::Table { .. }) {
            out.push('\n');
        }
        match b {
            // Headings and text wrap at spaces within a terminal's width.
            Block::Heading(h) => {
                for line in escape::terminal(h)
                    .split('\n')
                    .flat_map(|l| wrapped(l, within))
                {
                    styled(out, &line, Some(Styles::HEADING), colour);
                    out.push('\n');
                }
            }
            Block::Text(t) => {
                let t = escape::terminal(t);
                let lines = t.split('\n').flat_map(|l| wrapped(l, within));
                for (n, line) in lines.enumerate() {
                    match line.strip_prefix("note:").filter(|_| n == 0) {
                        Some(rest) => {
                            styled(out, "note:", Some(Styles::NOTE), colour);
                            out.push_str(rest);
                        }
                        None => out.push_str(&line),
                    }
                    out.push('\n');
                }
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
                    let (k, v) = (escape::terminal(k), escape::terminal(v));
                    // `on DATE: certain`: whether a fact is in force on the date asked about.
                    let style = k
                        .starts_with("on ")
                        .then(|| Styles::certainty(&v))
                        .flatten();
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
                let fit = match within {
                    Some(w) => fitted(&widths.0, headers, w, || {
                        let mut words = Words::default();
                        words.add(headers);
                        rows.each(|r| words.add(r.iter().map(|c| &c.text)));
                        words.0
                    }),
                    None => Fit {
                        widths: widths.0,
                        stacked: None,
                    },
                };
                let widths = fit.widths;
                // The stacked column's header shows under the others; its rule not at all.
                let mut rule = rule;
                if let Some(s) = fit.stacked {
                    rule[s].clear();
                }
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
                    stacked: fit.stacked,
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
    escape::terminal(label).chars().count()
}

/// Where a line may break: after its spaces, but not before a dash (`1991-12-08 –` stays
/// together).
fn break_points(line: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = line.as_bytes();
    (1..line.len())
        .filter(move |&i| bytes[i - 1] == b' ' && bytes[i] != b' ' && !line[i..].starts_with('–'))
}

/// The words of `line` for textwrap: each with its trailing spaces, split at [`break_points`].
fn words_of(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let ends = break_points(line).chain(std::iter::once(line.len()));
    let mut start = 0;
    Box::new(ends.map(move |end| {
        let word = textwrap::core::Word::from(&line[start..end]);
        start = end;
        word
    }))
}

/// Each column's widest word (text between [`break_points`]), in terminal columns.
#[derive(Default)]
struct Words(Vec<usize>);

impl Words {
    fn add<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        for (c, cell) in cells.into_iter().enumerate() {
            if c == self.0.len() {
                self.0.push(0);
            }
            let text = escape::terminal(cell.as_ref());
            let widest = text
                .split('\n')
                .flat_map(|l| {
                    let mut start = 0;
                    break_points(l).chain([l.len()]).map(move |end| {
                        let word = l[start..end].trim_end();
                        start = end;
                        columns_of(word)
                    })
                })
                .max()
                .unwrap_or(0);
            self.0[c] = self.0[c].max(widest);
        }
    }
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

/// The columns of a table as laid out: their widths, which cut a wider cell with `…` (free
/// text) rather than wrap it, and which hold certainties; whether in colour, and whether the
/// row is the header row.
struct Columns<'a> {
    widths: &'a [usize],
    cuts: &'a [bool],
    certainties: &'a [bool],
    colour: bool,
    header: bool,
    stacked: Option<usize>,
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
    let row: Vec<std::borrow::Cow<'_, str>> =
        row.iter().map(|c| escape::terminal(c.as_ref())).collect();
    let cells: Vec<Vec<std::borrow::Cow<'_, str>>> = row
        .iter()
        .enumerate()
        .map(|(c, s)| {
            let width = widths.get(c).copied().unwrap_or(usize::MAX);
            let mut lines = Vec::with_capacity(1);
            for l in s.split('\n') {
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
            if Some(c) == cols.stacked {
                continue;
            }
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
    // The stacked column, on lines of its own (cut to its width), under the row.
    if let Some(stacked) = cols.stacked.and_then(|s| cells.get(s)) {
        let style = cols.header.then_some(Styles::HEADING);
        for text in stacked.iter().filter(|t| !t.is_empty()) {
            line.clear();
            line.extend(std::iter::repeat_n(' ', STACK_INDENT));
            styled(line, text, style, cols.colour);
            out.push_str(line.trim_end());
            out.push('\n');
        }
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
    fn a_table_fits_by_narrowing_free_text_then_stacking_it_then_wrapping_at_spaces() {
        let headers: Vec<String> = ["id", "title", "dates"].map(String::from).to_vec();
        let no_words = || -> Vec<usize> { panic!("words are not needed") };
        let side_by_side = |widths: &[usize]| Fit {
            widths: widths.to_vec(),
            stacked: None,
        };
        // Whole: 30 + 40 + 20 and their spaces, 95 columns.
        assert_eq!(
            fitted(&[30, 40, 20], &headers, 200, no_words),
            side_by_side(&[30, 40, 20])
        );
        // The title gives first, down to what still reads.
        assert_eq!(
            fitted(&[30, 40, 20], &headers, 80, no_words),
            side_by_side(&[30, 25, 20])
        );
        assert_eq!(
            fitted(&[30, 40, 20], &headers, 75, no_words),
            side_by_side(&[30, READABLE, 20])
        );
        // Narrower, the title goes under its row, as wide as the width allows.
        let fit = fitted(&[30, 40, 20], &headers, 60, no_words);
        assert_eq!(
            fit,
            Fit {
                widths: vec![30, 40, 20],
                stacked: Some(1)
            }
        );
        let fit = fitted(&[30, 40, 20], &headers, 50, || vec![30, 5, 12]);
        assert_eq!(fit.stacked, Some(1));
        assert_eq!(fit.widths[1], 40.min(50 - STACK_INDENT));
        // The dates then wrap at their spaces; the id, a single word, stays whole.
        assert_eq!(fit.widths[0], 30);
        assert!(fit.total() <= 50, "{fit:?}");
        assert!(fit.widths[2] >= 12, "{fit:?}");
        assert_eq!(cut("Collective Security Treaty", 8), "Collect…");
        assert_eq!(
            wrapped("membership:BLR:CIS", Some(10)),
            ["membership", ":BLR:CIS"]
        );
        assert_eq!(
            wrapped("1996-04-02 – 1997-04-02 (disputed)", Some(14)),
            ["1996-04-02 –", "1997-04-02", "(disputed)"]
        );
    }

    #[test]
    fn a_stacked_column_is_written_under_each_row() {
        let mut doc = Doc::default();
        doc.push(Block::Table {
            headers: ["id", "title", "dates"].map(String::from).to_vec(),
            rows: crate::render::Rows::List(vec![vec![
                "cst-1992".into(),
                "Collective Security Treaty, signed in Tashkent".into(),
                "1994-04-20 –".into(),
            ]]),
        });
        let mut text = Vec::new();
        let screen = Screen {
            width: Some(30),
            colour: false,
        };
        write_text_on(&doc, screen, &mut text).expect("written");
        let text = String::from_utf8(text).expect("UTF-8");
        assert_eq!(
            text,
            " id        dates\n    title\n --        -----\n cst-1992  1994-04-20 –\n    Collective Security Treat…\n",
            "{text}"
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
                stacked: None,
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
            rows: crate::render::Rows::List(vec![
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

    #[test]
    fn headings_and_notes_wrap_at_spaces_within_a_terminal_and_stay_whole_when_piped() {
        let heading = "Shortest chains of facts in force on 2021-03-15 from Belarus (BLR) to the \
                       United States (USA)";
        let note = "note: the data covers sanctions on Belarus from 2004; earlier ones may be \
                    missing";
        let mut doc = Doc::default();
        doc.push(Block::Heading(heading.into()));
        doc.push(Block::Text(note.into()));
        let piped = to_text(&doc);
        assert_eq!(piped, format!("{heading}\n{note}\n"));
        let mut shown = Vec::new();
        let screen = Screen {
            width: Some(40),
            colour: true,
        };
        write_text_on(&doc, screen, &mut shown).expect("written");
        let shown =
            anstream::adapter::strip_str(&String::from_utf8(shown).expect("UTF-8")).to_string();
        assert!(shown.lines().count() > 2, "{shown}");
        for line in shown.lines() {
            assert!(line.width() <= 40, "{line:?}");
        }
        // The words are all there, in order.
        let words = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        assert_eq!(words(&shown), words(&piped));
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
