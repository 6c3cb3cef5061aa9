//! Lays out each query result as a [`Doc`](crate::render::Doc) for tables and CSV, one file per result kind.
//! Computes nothing new: every value comes from the result.

mod allies;
mod answer;
mod changes;
mod path;
mod sanctions;
mod show;
mod statements;
mod stats;
mod timeline;

pub use allies::{allies, allies_heading};
pub use answer::{answer, heading, named, period};
pub use changes::{change_counts, record_changes};
pub use path::path;
pub use sanctions::{sanctions, sanctions_heading};
pub use show::show;
pub use statements::statements;
pub use stats::stats;
pub use timeline::{changes, diff, timeline};

use std::borrow::Cow;
use std::collections::HashMap;

use super::doc::{Block, Cell, Doc, Fields, Rows, row};
use crate::model::{Certainty, Date, Source};
use crate::query::FactRef;
use crate::query::show::TiedFact;
use crate::render::table::measure;

fn opt(d: Option<Date>) -> String {
    d.map_or_else(String::new, |d| d.to_string())
}

/// `from – until`, `from –` (open), or the `on` date.
pub fn dates(from: Option<Date>, until: Option<Date>, on: Option<Date>) -> String {
    if let Some(on) = on {
        return on.to_string();
    }
    match (from, until) {
        (None, None) => "always".into(),
        (f, u) => format!("{} – {}", opt(f), opt(u)).trim_end().to_string(),
    }
}

/// A cell showing [`dates`], with the interval in EDTF form for CSV (`2004-05-01/..`,
/// `1994-04-20/1999-04-02`; a point fact's date alone). Laid out for CSV, it has only that.
pub(crate) fn date_cell(
    layout: Layout,
    from: Option<Date>,
    until: Option<Date>,
    on: Option<Date>,
) -> Cell {
    if let Some(on) = on {
        return on.to_string().into();
    }
    let mut edtf = String::with_capacity(21);
    for (i, d) in [from, until].into_iter().enumerate() {
        if i == 1 {
            edtf.push('/');
        }
        match d {
            Some(d) => {
                use std::fmt::Write;
                let _ = write!(edtf, "{d}");
            }
            None => edtf.push_str(".."),
        }
    }
    match layout {
        Layout::Csv => edtf.into(),
        Layout::Table => Cell::abbreviated(dates(from, until, on), edtf),
    }
}

/// A cell showing `s` on one line, cut to `max` characters with `…`; CSV gets all of it (and
/// only that).
pub(crate) fn short(layout: Layout, s: String, max: usize) -> Cell {
    match layout {
        Layout::Csv => s.into(),
        Layout::Table => Cell::abbreviated(shorten(&s, max), s),
    }
}

/// `s` on one line, cut to `max` characters with `…`.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    // Most titles are one short line already, with single spaces: kept as they are.
    let plain = |b: &[u8]| b.iter().all(|&c| !char::from(c).is_whitespace());
    if s.len() <= max && s.is_ascii() && s.split(' ').all(|w| !w.is_empty() && plain(w.as_bytes()))
    {
        return s.to_string();
    }
    one_line(s, max)
}

/// [`shorten`] for any text: its words joined on one line by single spaces, cut to `max`
/// characters with `…`.
fn one_line(s: &str, max: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Numbers sources in first-seen order so tables can cite them as `[1]`. Sources are borrowed
/// from the rows where those are held, and copied, each once, where rows are made one at a
/// time (a diff).
#[derive(Default)]
pub(crate) struct Citations<'s> {
    list: Vec<Cow<'s, Source>>,
    /// Each address's number.
    numbers: HashMap<Cow<'s, str>, usize, foldhash::fast::RandomState>,
    /// For rows numbered beforehand ([`Citations::of`], [`Citations::add_row`]), each row's
    /// numbers in row order (`row_marks[row_starts[i]..row_starts[i + 1]]`), so that a row
    /// made again is cited without looking its addresses up.
    row_marks: Vec<u32>,
    row_starts: Vec<u32>,
}

impl<'s> Citations<'s> {
    /// The sources of every row, numbered beforehand in row order, so that rows made later (one
    /// at a time, as they are written) cite them with [`Citations::cell`].
    pub(crate) fn of(all: impl IntoIterator<Item = &'s [Source]>) -> Self {
        let mut c = Citations::default();
        c.row_starts.push(0);
        for sources in all {
            c.number(sources);
            c.close_row(sources);
        }
        c
    }

    /// Numbers the next row's `sources` where they are new, copying them: for rows made one
    /// at a time, numbered in row order before they are written (as [`Citations::of`] does
    /// for rows held).
    pub(crate) fn add_row(&mut self, sources: &[Source]) {
        if self.row_starts.is_empty() {
            self.row_starts.push(0);
        }
        for s in sources {
            if !self.numbers.contains_key(s.url.as_str()) {
                self.list.push(Cow::Owned(s.clone()));
                self.numbers
                    .insert(Cow::Owned(s.url.clone()), self.list.len());
            }
        }
        self.close_row(sources);
    }

    /// Keeps the numbers of the next row's `sources`.
    fn close_row(&mut self, sources: &[Source]) {
        let marks = self.marks(sources);
        self.row_marks.extend(marks);
        self.row_starts.push(self.row_marks.len() as u32);
    }

    fn number(&mut self, sources: &'s [Source]) {
        for s in sources {
            if !self.numbers.contains_key(s.url.as_str()) {
                self.list.push(Cow::Borrowed(s));
                self.numbers.insert(Cow::Borrowed(&s.url), self.list.len());
            }
        }
    }

    /// Numbers `sources` where they are new, and cites them.
    pub(crate) fn cite(&mut self, sources: &'s [Source]) -> Cell {
        self.number(sources);
        self.cell(sources)
    }

    /// Marks such as `[1][3]` for a terminal; the sources' addresses for CSV. Sources must have
    /// been numbered ([`Citations::of`]); any that were not get no mark.
    pub(crate) fn cell(&self, sources: &[Source]) -> Cell {
        marked(&self.marks(sources), sources)
    }

    /// The numbers of `sources`, each once, in their order (none for one not numbered).
    fn marks(&self, sources: &[Source]) -> Vec<u32> {
        if self.numbers.is_empty() {
            return Vec::new();
        }
        let mut marks: Vec<u32> = Vec::with_capacity(sources.len());
        for s in sources {
            if let Some(&n) = self.numbers.get(s.url.as_str())
                && !marks.contains(&(n as u32))
            {
                marks.push(n as u32);
            }
        }
        marks
    }

    /// [`Citations::cell`] for row `row` of the rows numbered by [`Citations::of`], whose
    /// sources are `sources`: its numbers are kept, not looked up again.
    pub(crate) fn row_cell(&self, row: usize, sources: &[Source]) -> Cell {
        match (self.row_starts.get(row), self.row_starts.get(row + 1)) {
            (Some(&a), Some(&b)) => marked(&self.row_marks[a as usize..b as usize], sources),
            _ => self.cell(sources),
        }
    }

    /// The list of sources cited, by number, each line made as it is written (every
    /// statement of a world may cite a source of its own); `None` when none was. Rows are
    /// cited by their kept numbers after this: the list moves to the block.
    pub(crate) fn block(&mut self) -> Option<Block<'s>> {
        if self.list.is_empty() {
            return None;
        }
        let list = std::mem::take(&mut self.list);
        Some(Block::Fields(Fields::made(list.len(), move |i| {
            (format!("[{}]", i + 1), source_line(&list[i]))
        })))
    }
}

/// The cell citing `sources` by their numbers `marks`: `[1][3]`, or the addresses for CSV.
fn marked(marks: &[u32], sources: &[Source]) -> Cell {
    let mut text = String::with_capacity(marks.len() * 5);
    for n in marks {
        text.push('[');
        text.push_str(&n.to_string());
        text.push(']');
    }
    Cell::abbreviated(text, joined(sources.iter().map(|s| s.url.as_str()), " "))
}

/// `parts` one after another with `sep` between them, without a list of them first.
pub(crate) fn joined<'a>(parts: impl IntoIterator<Item = &'a str>, sep: &str) -> String {
    let mut out = String::new();
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(p);
    }
    out
}

/// `Publisher, 2021-03-15: Title <url>`, with `retrospective` after the date for a source
/// that looks back.
pub fn source_line(s: &Source) -> String {
    let mut head = Vec::new();
    if let Some(p) = &s.publisher {
        head.push(p.clone());
    }
    if let Some(d) = s.published {
        head.push(d.to_string());
    }
    if let Some(k) = s.kind {
        head.push(k.as_str().to_lowercase());
    }
    let lead = if head.is_empty() {
        String::new()
    } else {
        format!("{}: ", head.join(", "))
    };
    format!("{lead}{} <{}>", s.title, s.url)
}

pub(crate) fn certainty(c: Option<Certainty>) -> String {
    c.map_or_else(String::new, |c| c.to_string())
}

/// One row of a list of facts: dates, (certainty,) kind, tie, fact, id, sources.
fn fact_row(
    layout: Layout,
    i: usize,
    f: &FactRef<'_>,
    cites: &Citations<'_>,
    with_certainty: bool,
) -> Vec<Cell> {
    let mut d = date_cell(layout, f.from, f.until, f.on);
    if f.disputed && layout == Layout::Table {
        d.text.push_str(" (disputed)");
    }
    let mut cells = vec![d];
    if with_certainty {
        cells.push(certainty(f.certainty).into());
    }
    cells.extend(row([f.kind.as_str(), f.tie.as_deref().unwrap_or_default()]));
    cells.push(short(layout, f.title.to_string(), 60));
    cells.push(f.id.into());
    cells.push(cites.row_cell(i, &f.sources));
    cells
}

/// What a document is laid out for: a terminal table (rows measured, sources numbered and
/// listed after), or CSV (only the main table's values; a large answer's rows are then made
/// once, as they are written, without a walk to number and measure them first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Aligned text, with the sources listed.
    Table,
    /// The main table's values.
    Csv,
}

/// A list of facts tied to an entity, its rows made as they are written, then the sources
/// cited. For a table, one walk over the facts numbers their sources and measures their rows
/// first (each fact read from the store as it is needed).
pub(crate) fn fact_rows<'a>(
    doc: &mut Doc<'a>,
    facts: &'a [TiedFact<'_>],
    with_certainty: bool,
    layout: Layout,
) {
    let mut headers = vec!["dates".to_string()];
    if with_certainty {
        headers.push("certainty".into());
    }
    headers.extend(["kind", "tie", "fact", "id", "sources"].map(String::from));
    if layout == Layout::Csv {
        let cites = Citations::default();
        let rows = Rows::made(facts.len(), move |i| {
            facts[i].with_ref(|r| fact_row(layout, i, r, &cites, with_certainty))
        });
        doc.push(Block::Table { headers, rows });
        return;
    }
    let mut cites = Citations::default();
    let mut widths = Vec::new();
    for (i, f) in facts.iter().enumerate() {
        f.with_ref(|r| {
            cites.add_row(&r.sources);
            measure(&mut widths, &fact_row(layout, i, r, &cites, with_certainty));
        });
    }
    let sources = cites.block();
    let rows = Rows::made_measured(facts.len(), widths, move |i| {
        facts[i].with_ref(|r| fact_row(layout, i, r, &cites, with_certainty))
    });
    doc.push(Block::Table { headers, rows });
    if let Some(b) = sources {
        doc.push(Block::Heading("Sources".into()));
        doc.push(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(url: &str) -> Source {
        Source {
            title: format!("About {url}"),
            url: url.to_string(),
            publisher: None,
            published: None,
            kind: None,
        }
    }

    #[test]
    fn shortening_keeps_plain_titles_and_joins_the_rest_on_one_line() {
        assert_eq!(one_line(" a  b\nc ", 60), "a b c");
        assert_eq!(one_line("abcdefgh", 5), "abcd…");
        let cases = [
            "Collective Security Treaty",
            "",
            " leading",
            "trailing ",
            "two  spaces",
            "tab\there",
            "line\nbreak",
            "vertical\u{b}tab",
            "exactly ten",
            "Союзное государство",
            "a title far longer than the sixty characters a table column gives it room for",
        ];
        for s in cases {
            for max in [5, 10, 11, 12, 60] {
                assert_eq!(shorten(s, max), one_line(s, max), "{s:?} at {max}");
            }
        }
    }

    #[test]
    fn a_row_numbered_beforehand_is_cited_as_its_sources_are() {
        let sources: Vec<Source> = ["a", "b", "c", "d"]
            .iter()
            .map(|u| source(&format!("https://{u}")))
            .collect();
        // Rows of every mix, with a source repeated within a row and rows without any.
        let rows: Vec<Vec<Source>> = (0..40usize)
            .map(|i| {
                (0..i % 5)
                    .map(|k| sources[(i * 7 + k * 3) % 4].clone())
                    .collect()
            })
            .collect();
        let c = Citations::of(rows.iter().map(Vec::as_slice));
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(c.row_cell(i, r), c.cell(r), "row {i}");
        }
        assert!(
            rows.iter().any(|r| c.row_cell(0, r) != c.cell(r)),
            "rows differ"
        );
    }

    #[test]
    fn citations_number_addresses_in_first_seen_order() {
        let (a, b, x) = (
            source("https://a"),
            source("https://b"),
            source("https://x"),
        );
        let rows = [
            vec![b.clone(), a.clone()],
            vec![a.clone(), x.clone(), b.clone()],
            // The same address twice in one fact is cited once.
            vec![x.clone(), x],
            vec![],
        ];
        let marks = ["[1][2]", "[2][3][1]", "[3]", ""];
        // Cited as rows are made, or numbered beforehand and cited later: the same marks.
        let mut c = Citations::default();
        for (r, m) in rows.iter().zip(marks) {
            assert_eq!(c.cite(r).text, m);
        }
        let before = Citations::of(rows.iter().map(Vec::as_slice));
        for (r, m) in rows.iter().zip(marks) {
            assert_eq!(before.cell(r).text, m);
        }
        assert_eq!(
            before.cell(&rows[1]).full.as_deref(),
            Some("https://a https://x https://b")
        );
        let Some(Block::Fields(fields)) = c.block() else {
            panic!("a list of sources");
        };
        let fields = fields.to_vec();
        let numbered: Vec<(&str, &str)> = fields
            .iter()
            .map(|(n, line)| (n.as_str(), line.as_str()))
            .collect();
        assert_eq!(
            numbered,
            [
                ("[1]", "About https://b <https://b>"),
                ("[2]", "About https://a <https://a>"),
                ("[3]", "About https://x <https://x>"),
            ]
        );
    }
}
