//! Reading source files row by row: CSV with a header, columns found by name, each row with
//! its line number, and the field parsers the importers share. Every problem names its line.

use std::collections::HashMap;

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

/// A CSV (or TSV) file with a header row.
#[derive(Debug)]
pub struct Table<'a> {
    bytes: &'a [u8],
    reader: csv::Reader<&'a [u8]>,
    /// A byte offset and the line it starts, to count lines from (csv skips blank lines
    /// without counting them).
    mark: (usize, u64),
    columns: HashMap<String, usize>,
    width: usize,
}

/// One data row.
#[derive(Debug)]
pub struct Row {
    /// 1-based line where it starts.
    pub line: u64,
    /// Byte offset just past it, for progress.
    pub end: u64,
    record: csv::StringRecord,
}

fn csv_error(e: &csv::Error, fallback_line: u64) -> BadLine {
    let line = e.position().map_or(fallback_line, csv::Position::line);
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("field {} is not UTF-8 text", err.field() + 1)
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, as in the header, found {len}"),
        _ => e.to_string(),
    };
    BadLine::new(line, message)
}

impl<'a> Table<'a> {
    /// Reads the header of `bytes` and checks that every column of `required` is there; `what`
    /// names the expected data set in the error.
    pub fn new(
        bytes: &'a [u8],
        delimiter: u8,
        required: &[&str],
        what: &str,
    ) -> Result<Table<'a>, BadLine> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(false)
            .from_reader(bytes);
        let header = reader.headers().map_err(|e| csv_error(&e, 1))?.clone();
        let columns: HashMap<String, usize> = header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim().to_string(), i))
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
            bytes,
            reader,
            mark: (0, 1),
            columns,
            width: header.len(),
        })
    }

    /// A table whose columns are named by `names` rather than by a header row.
    pub fn headerless(bytes: &'a [u8], delimiter: u8, names: &[&str]) -> Table<'a> {
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(false)
            .from_reader(bytes);
        Table {
            bytes,
            reader,
            mark: (0, 1),
            columns: names
                .iter()
                .enumerate()
                .map(|(i, n)| ((*n).to_string(), i))
                .collect(),
            width: names.len(),
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

    /// The line at byte offset `at`, counted from the last one asked (offsets only grow).
    fn line_at(&mut self, at: usize) -> u64 {
        let (from, line) = self.mark;
        let at = at.min(self.bytes.len());
        if at < from {
            return line;
        }
        let more = self.bytes[from..at].iter().filter(|b| **b == b'\n').count() as u64;
        self.mark = (at, line + more);
        line + more
    }

    /// The next data row; blank lines are skipped.
    pub fn next_row(&mut self) -> Option<Result<Row, BadLine>> {
        let mut record = csv::StringRecord::new();
        loop {
            let start = self.reader.position().byte() as usize;
            match self.reader.read_record(&mut record) {
                Ok(false) => return None,
                Ok(true) => {
                    if record.len() == 1 && record[0].trim().is_empty() {
                        continue;
                    }
                    let mut at = record.position().map_or(start, |p| p.byte() as usize);
                    // The position may be that of blank lines before the record.
                    while matches!(self.bytes.get(at), Some(b'\n' | b'\r')) {
                        at += 1;
                    }
                    let line = self.line_at(at);
                    if record.len() != self.width {
                        return Some(Err(BadLine::new(
                            line,
                            format!(
                                "expected {} fields, as in the header, found {}",
                                self.width,
                                record.len()
                            ),
                        )));
                    }
                    let end = self.reader.position().byte();
                    return Some(Ok(Row {
                        line,
                        end,
                        record: std::mem::take(&mut record),
                    }));
                }
                Err(e) => {
                    let at = e.position().map_or(start, |p| p.byte() as usize);
                    let line = self.line_at(at);
                    let mut bad = csv_error(&e, line);
                    bad.line = line;
                    return Some(Err(bad));
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

impl Row {
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
                self.get(col)
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
    if s.len() < 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Date::parse(&format!("{}-{}-{}", &s[0..4], &s[4..6], &s[6..8])).ok()
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
        let mut t = Table::new(text, b',', &["a", "c"], "test data").expect("header");
        let (a, c) = (t.col("a"), t.col("c"));
        let r = t.next_row().expect("row").expect("ok");
        assert_eq!((r.line, r.get(&a), r.get(&c)), (2, "1", "3"));
        let r = t.next_row().expect("row").expect("ok");
        assert_eq!((r.line, r.get(&a)), (4, "x\ny"));
        let e = t.next_row().expect("row").expect_err("bad");
        assert_eq!(e.line, 6);
        assert!(e.message.contains("expected 3 fields"), "{}", e.message);
        assert!(t.next_row().is_none());
    }

    #[test]
    fn missing_columns_name_the_data_set() {
        let e = Table::new(b"x,y\n", b',', &["ccode", "y", "stateabb"], "the COW list")
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
        let mut t = Table::new(text, b',', &["y", "m", "d"], "t").expect("header");
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
