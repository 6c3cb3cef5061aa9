//! Reading source files row by row, as a stream: CSV with a header, columns found by name,
//! each row with its line number, and the field parsers the importers share. Every problem
//! names its line.

use std::collections::HashMap;
use std::io::{BufRead, Read};

use crate::model::Date;

/// A problem with one line of a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number (for CSV, the line where the record starts).
    pub line: u64,
    /// What is wrong and what was expected.
    pub message: String,
}

impl BadLine {
    /// A problem at `line`.
    pub fn new(line: u64, message: impl Into<String>) -> BadLine {
        BadLine {
            line,
            message: message.into(),
        }
    }
}

/// A reader that notes where each line ends, so that a row read through a CSV reader (which
/// reads ahead, and skips blank lines without counting them) can be given its line number
/// without the whole text at hand. It holds only the line ends not yet asked about.
#[derive(Debug)]
pub struct LineEnds<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// Where each `\n` read but not yet passed stands.
    ends: std::collections::VecDeque<u64>,
    /// Line ends passed.
    passed: u64,
    /// The last line end passed.
    last: Option<u64>,
}

impl<R> LineEnds<R> {
    /// Notes the line ends of what `inner` gives.
    pub fn new(inner: R) -> LineEnds<R> {
        LineEnds {
            inner,
            offset: 0,
            ends: std::collections::VecDeque::new(),
            passed: 0,
            last: None,
        }
    }

    /// How many line ends stand before byte `at` (which never goes back), and whether the
    /// byte just before it is one.
    fn before(&mut self, at: u64) -> (u64, bool) {
        while let Some(&e) = self.ends.front() {
            if e >= at {
                break;
            }
            self.ends.pop_front();
            self.passed += 1;
            self.last = Some(e);
        }
        (self.passed, at > 0 && self.last == Some(at - 1))
    }
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let base = self.offset;
        self.ends
            .extend(memchr::memchr_iter(b'\n', &buf[..n]).map(|i| base + i as u64));
        self.offset += n as u64;
        Ok(n)
    }
}

/// A CSV (or TSV) table read row by row from a stream, its columns named by its header row
/// or given.
#[derive(Debug)]
pub struct Table<R: Read> {
    reader: csv::Reader<LineEnds<R>>,
    columns: HashMap<String, usize>,
    width: usize,
    record: csv::ByteRecord,
    /// The last row read, as text (its buffers are read into again).
    text: Option<csv::StringRecord>,
    /// The input broke off: nothing more is read.
    broken: bool,
}

/// One data row, borrowed from its table until the next is read.
#[derive(Debug)]
pub struct Row<'t> {
    /// 1-based line where it starts.
    pub line: u64,
    record: &'t csv::StringRecord,
}

fn csv_error(e: &csv::Error, line: u64) -> BadLine {
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("field {} is not UTF-8 text", err.field() + 1)
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, as in the header, found {len}"),
        csv::ErrorKind::Io(io) => broken_off(io),
        _ => e.to_string(),
    };
    BadLine::new(line, message)
}

/// What is said of an input that breaks off (a truncated archive, a failing disk).
pub fn broken_off(e: &std::io::Error) -> String {
    format!(
        "the input breaks off here: {e} (a truncated or damaged file?); nothing after this line is read"
    )
}

/// The first line of `r`, read from it (with its line end), without a byte-order mark.
pub fn first_line(r: &mut dyn BufRead) -> Result<Vec<u8>, BadLine> {
    let mut line = Vec::new();
    r.read_until(b'\n', &mut line)
        .map_err(|e| BadLine::new(1, broken_off(&e)))?;
    if line.starts_with(b"\xEF\xBB\xBF") {
        line.drain(..3);
    }
    Ok(line)
}

/// The stream a table reads: its first line, already read, then the rest.
pub type Rest<'r> = std::io::Chain<std::io::Cursor<Vec<u8>>, &'r mut dyn BufRead>;

/// `first` (read with [`first_line`]) put back in front of the rest of `r`.
pub fn rejoin(first: Vec<u8>, r: &mut dyn BufRead) -> Rest<'_> {
    std::io::Cursor::new(first).chain(r)
}

impl<R: Read> Table<R> {
    fn reader(input: R, delimiter: u8, headers: bool) -> csv::Reader<LineEnds<R>> {
        csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(headers)
            // Rows of the wrong width are this table's to report, with their line.
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(LineEnds::new(input))
    }

    /// Reads the header of `input` and checks that every column of `required` is there; `what`
    /// names the expected data set in the error. A byte-order mark is skipped.
    pub fn new(
        input: R,
        delimiter: u8,
        required: &[&str],
        what: &str,
    ) -> Result<Table<R>, BadLine> {
        let mut reader = Table::reader(input, delimiter, true);
        let header = reader.byte_headers().map_err(|e| csv_error(&e, 1))?.clone();
        let header = csv::StringRecord::from_byte_record(header)
            .map_err(|e| BadLine::new(1, format!("the header is not UTF-8 text: {e}")))?;
        let columns: HashMap<String, usize> = header
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = h.trim();
                (h.strip_prefix('\u{feff}').unwrap_or(h).to_string(), i)
            })
            .collect();
        let missing: Vec<&str> = required
            .iter()
            .filter(|c| !columns.contains_key(**c))
            .copied()
            .collect();
        if !missing.is_empty() {
            return Err(BadLine::new(
                1,
                format!(
                    "this is not {what}: the header lacks the column{} {}",
                    if missing.len() == 1 { "" } else { "s" },
                    missing
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        Ok(Table {
            reader,
            columns,
            width: header.len(),
            record: csv::ByteRecord::new(),
            text: None,
            broken: false,
        })
    }

    /// A table whose columns are named by `names` rather than by a header row.
    pub fn headerless(input: R, delimiter: u8, names: &[&str]) -> Table<R> {
        Table {
            reader: Table::reader(input, delimiter, false),
            columns: names
                .iter()
                .enumerate()
                .map(|(i, n)| ((*n).to_string(), i))
                .collect(),
            width: names.len(),
            record: csv::ByteRecord::new(),
            text: None,
            broken: false,
        }
    }

    /// The index of column `name` (which [`Table::new`] checked).
    pub fn col(&self, name: &str) -> Col {
        Col {
            index: self.columns.get(name).copied().unwrap_or(usize::MAX),
            name: name.to_string(),
        }
    }

    /// Whether the table has column `name`.
    pub fn has(&self, name: &str) -> bool {
        self.columns.contains_key(name)
    }

    /// The next data row; blank lines are skipped. A row that cannot be read (the wrong number
    /// of fields, text that is not UTF-8) is an error naming its line, and reading goes on
    /// after it; an input that breaks off is an error, and the last.
    pub fn next_row(&mut self) -> Option<Result<Row<'_>, BadLine>> {
        if self.broken {
            return None;
        }
        if let Some(text) = self.text.take() {
            // The buffers of the last row are read into again.
            self.record = text.into_byte_record();
        }
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {
                    let end = self.reader.position().byte();
                    let inside = memchr::memchr_iter(b'\n', self.record.as_slice()).count() as u64;
                    let (ends, ended) = self.reader.get_mut().before(end);
                    // The row's own line ends: those inside quoted fields, and its last.
                    let line = (1 + ends).saturating_sub(inside + u64::from(ended)).max(1);
                    if self.record.len() == 1 && self.record[0].trim_ascii().is_empty() {
                        continue;
                    }
                    if self.record.len() != self.width {
                        return Some(Err(BadLine::new(
                            line,
                            format!(
                                "expected {} fields, as in the header, found {}",
                                self.width,
                                self.record.len()
                            ),
                        )));
                    }
                    let record = std::mem::take(&mut self.record);
                    return Some(match csv::StringRecord::from_byte_record(record) {
                        Ok(text) => Ok(Row {
                            line,
                            record: self.text.insert(text),
                        }),
                        Err(e) => {
                            let field = e.utf8_error().field() + 1;
                            self.record = e.into_byte_record();
                            Err(BadLine::new(
                                line,
                                format!("field {field} is not UTF-8 text"),
                            ))
                        }
                    });
                }
                Err(e) => {
                    let end = self.reader.position().byte();
                    let (ends, _) = self.reader.get_mut().before(end);
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        self.broken = true;
                    }
                    return Some(Err(csv_error(&e, ends + 1)));
                }
            }
        }
    }
}

/// A column, with its name for messages.
#[derive(Debug, Clone)]
pub struct Col {
    index: usize,
    name: String,
}

impl Row<'_> {
    /// The trimmed text of `col` ("" when absent).
    pub fn get(&self, col: &Col) -> &str {
        self.record.get(col.index).unwrap_or("").trim()
    }

    /// The text of `col`, or `None` when empty.
    pub fn opt(&self, col: &Col) -> Option<&str> {
        Some(self.get(col)).filter(|s| !s.is_empty())
    }

    /// An error about `col` of this row.
    pub fn bad(&self, col: &Col, expected: &str) -> BadLine {
        BadLine::new(
            self.line,
            format!(
                "column `{}`: expected {expected}, found `{}`",
                col.name,
                // On one line and cut short, as diagnostics echo values.
                crate::diag::escape::value(self.get(col))
            ),
        )
    }

    /// A required non-empty text.
    pub fn text(&self, col: &Col, expected: &str) -> Result<&str, BadLine> {
        self.opt(col).ok_or_else(|| self.bad(col, expected))
    }

    /// A whole number, or `None` when empty.
    pub fn int(&self, col: &Col) -> Result<Option<i64>, BadLine> {
        match self.opt(col) {
            None => Ok(None),
            Some(s) => s
                .parse::<i64>()
                .map(Some)
                .map_err(|_| self.bad(col, "a whole number")),
        }
    }

    /// A required whole number.
    pub fn req_int(&self, col: &Col) -> Result<i64, BadLine> {
        self.int(col)?
            .ok_or_else(|| self.bad(col, "a whole number"))
    }

    /// A number (possibly with a fraction), or `None` when empty.
    pub fn num(&self, col: &Col) -> Result<Option<f64>, BadLine> {
        match self.opt(col) {
            None => Ok(None),
            Some(s) => match s.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Some(x)),
                _ => Err(self.bad(col, "a number")),
            },
        }
    }

    /// A flag written `0`/`1` (empty is 0).
    pub fn flag(&self, col: &Col) -> Result<bool, BadLine> {
        match self.get(col) {
            "" | "0" => Ok(false),
            "1" => Ok(true),
            _ => Err(self.bad(col, "0 or 1")),
        }
    }

    /// A date from year, month and day columns: a missing day lowers the precision to the
    /// month, a missing month to the year; `None` when the year is missing. Missing is empty,
    /// `0` or a negative code such as COW's `-9`.
    pub fn ymd(&self, year: &Col, month: &Col, day: &Col) -> Result<Option<Date>, BadLine> {
        let part =
            |c: &Col| -> Result<Option<i64>, BadLine> { Ok(self.int(c)?.filter(|n| *n > 0)) };
        let Some(y) = part(year)? else {
            return Ok(None);
        };
        let m = part(month)?;
        let d = if m.is_some() { part(day)? } else { None };
        let text = match (m, d) {
            (None, _) => format!("{y:04}"),
            (Some(m), None) => format!("{y:04}-{m:02}"),
            (Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        };
        Date::parse(&text).map(Some).map_err(|e| {
            BadLine::new(
                self.line,
                format!(
                    "columns `{}`, `{}`, `{}`: {y}-{}-{} is not a date: {e}",
                    year.name,
                    month.name,
                    day.name,
                    m.map_or("?".into(), |m| m.to_string()),
                    d.map_or("?".into(), |d| d.to_string()),
                ),
            )
        })
    }
}

/// A `YYYYMMDD` (or longer, `YYYYMMDDhhmmss`) number as a day-precise date.
pub fn compact_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() < 8 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // `YYYY-MM-DD`, made on the stack: this is read for every row.
    let mut text = *b"0000-00-00";
    text[0..4].copy_from_slice(&b[0..4]);
    text[5..7].copy_from_slice(&b[4..6]);
    text[8..10].copy_from_slice(&b[6..8]);
    Date::parse(std::str::from_utf8(&text).ok()?).ok()
}

/// The date at the start of an ISO 8601 text (`2022`, `2022-03`, `2022-03-01`,
/// `2022-03-01T10:00:00`), at the precision given.
pub fn iso_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let head = s.split(['T', ' ']).next().unwrap_or(s);
    Date::parse(head).ok()
}

/// A readable slug: ASCII letters and digits (other scripts transliterated) in lower case,
/// joined by `-`; empty when nothing is left.
pub fn slug(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A number as written in notes: no trailing `.0` noise beyond what the source gave.
pub fn number(x: f64) -> String {
    let s = format!("{x}");
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rows_and_lines() {
        let text = b"a,b,c\n1,2,3\n\n\"x\ny\",5,6\n7,8\n";
        let mut t = Table::new(&text[..], b',', &["a", "c"], "test data").expect("header");
        let (a, c) = (t.col("a"), t.col("c"));
        let r = t.next_row().expect("row").expect("ok");
        assert_eq!((r.line, r.get(&a), r.get(&c)), (2, "1", "3"));
        let r = t.next_row().expect("row").expect("ok");
        assert_eq!((r.line, r.get(&a)), (4, "x\ny"));
        // A value echoed in a problem stays on its line.
        assert_eq!(
            r.bad(&a, "a number").message,
            "column `a`: expected a number, found `x\\ny`"
        );
        let e = t.next_row().expect("row").expect_err("bad");
        assert_eq!(e.line, 6);
        assert!(e.message.contains("expected 3 fields"), "{}", e.message);
        assert!(t.next_row().is_none());
    }

    /// A reader that gives at most `n` bytes a read, as a pipe may.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn lines_are_counted_in_a_stream_whatever_comes_between_rows() {
        // Blank lines (with CRLF ends), a field over three lines, a last row without a line end.
        let text = b"a,b\r\n1,2\r\n\r\n\n\"x\ny\r\nz\",3\n\n4,5\n6,\xff\n7,8,9\n10,11";
        for chunk in [1, 2, 3, 7, 1 << 20] {
            let mut t = Table::new(Trickle(text, chunk), b',', &["a"], "t").expect("header");
            let a = t.col("a");
            let mut seen = Vec::new();
            while let Some(r) = t.next_row() {
                seen.push(match r {
                    Ok(r) => (r.line, r.get(&a).replace('\r', "")),
                    Err(e) => (e.line, e.message),
                });
            }
            assert_eq!(
                seen,
                [
                    (2, "1".to_string()),
                    (5, "x\ny\nz".to_string()),
                    (9, "4".to_string()),
                    (10, "field 2 is not UTF-8 text".to_string()),
                    (
                        11,
                        "expected 2 fields, as in the header, found 3".to_string()
                    ),
                    (12, "10".to_string()),
                ],
                "read {chunk} bytes at a time"
            );
        }
    }

    /// A reader that fails after its bytes, as a truncated archive does.
    struct Breaks<'a>(&'a [u8]);

    impl Read for Breaks<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "corrupt deflate stream",
                ));
            }
            let n = self.0.len().min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn an_input_that_breaks_off_is_one_bad_row_and_the_last() {
        let mut t = Table::new(Breaks(b"a,b\n1,2\n3,"), b',', &["a"], "t").expect("header");
        assert_eq!(t.next_row().expect("row").expect("ok").line, 2);
        let e = t.next_row().expect("row").expect_err("breaks off");
        assert!(
            e.message.starts_with("the input breaks off here"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("corrupt deflate stream"),
            "{}",
            e.message
        );
        assert_eq!(e.line, 3);
        assert!(t.next_row().is_none());
    }

    #[test]
    fn missing_columns_name_the_data_set() {
        let e = Table::new(
            &b"x,y\n"[..],
            b',',
            &["ccode", "y", "stateabb"],
            "the COW list",
        )
        .expect_err("bad");
        assert_eq!(e.line, 1);
        assert_eq!(
            e.message,
            "this is not the COW list: the header lacks the columns `ccode`, `stateabb`"
        );
    }

    #[test]
    fn dates_lose_precision_with_missing_parts() {
        let text = b"y,m,d\n1990,10,3\n1990,10,\n1990,-9,-9\n,,\n1990,2,30\n";
        let mut t = Table::new(&text[..], b',', &["y", "m", "d"], "t").expect("header");
        let (y, m, d) = (t.col("y"), t.col("m"), t.col("d"));
        let mut next = || {
            let r = t.next_row().expect("row").expect("ok");
            r.ymd(&y, &m, &d).map(|o| o.map(|d| d.to_string()))
        };
        assert_eq!(next(), Ok(Some("1990-10-03".into())));
        assert_eq!(next(), Ok(Some("1990-10".into())));
        assert_eq!(next(), Ok(Some("1990".into())));
        assert_eq!(next(), Ok(None));
        let e = next().expect_err("bad");
        assert_eq!(e.line, 6);
        assert!(
            e.message.contains("1990-2-30 is not a date"),
            "{}",
            e.message
        );
    }

    #[test]
    fn slugs_and_dates() {
        assert_eq!(
            slug("Maria Aleksandrovna Osetrova"),
            "maria-aleksandrovna-osetrova"
        );
        assert_eq!(slug("  LLC “Inter Tobacco” "), "llc-inter-tobacco");
        assert_eq!(slug("Виталий Кузьменко"), "vitalii-kuz-menko");
        assert_eq!(slug("!!!"), "");
        assert_eq!(
            iso_date("2022-03-01T10:00:00").map(|d| d.to_string()),
            Some("2022-03-01".into())
        );
        assert_eq!(
            iso_date("2022-03").map(|d| d.to_string()),
            Some("2022-03".into())
        );
        assert_eq!(iso_date("03/01/2022"), None);
        assert_eq!(
            compact_date("20170701234500").map(|d| d.to_string()),
            Some("2017-07-01".into())
        );
        assert_eq!(number(7.0), "7.0");
        assert_eq!(number(-0.5), "-0.5");
    }
}
