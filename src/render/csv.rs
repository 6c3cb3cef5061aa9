//! Writes the main table of a [`Doc`] as CSV (RFC 4180, header row first). Cells that a
//! spreadsheet would take for a formula are guarded ([`Cells`]).

use std::borrow::Cow;

use super::doc::Doc;

/// How CSV cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cells {
    /// A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` in
    /// front, as OWASP advises against CSV injection: a spreadsheet then shows it as text
    /// instead of running it as a formula.
    #[default]
    Guarded,
    /// Every cell exactly as it is (`--csv-raw`), for programs that read the CSV.
    Raw,
}

impl Cells {
    /// `cell` as written.
    pub fn cell<'c>(self, cell: &'c str) -> Cow<'c, str> {
        match self {
            Cells::Guarded if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
                Cow::Owned(format!("'{cell}"))
            }
            _ => Cow::Borrowed(cell),
        }
    }
}

/// CSV text of the document's first table (empty with no table), cells guarded.
pub fn to_csv(doc: &Doc) -> Result<String, csv::Error> {
    let mut bytes = Vec::new();
    write_csv(doc, Cells::Guarded, &mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Writes [`to_csv`]'s text to `out` as it is made, its cells written as `cells` says.
pub fn write_csv(doc: &Doc, cells: Cells, out: &mut impl std::io::Write) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    if let Some((headers, rows)) = doc.main_table() {
        w.write_record(headers)?;
        rows.try_each(|r| {
            for c in r {
                w.write_field(cells.cell(c.value()).as_bytes())?;
            }
            w.write_record(None::<&[u8]>)
        })?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::doc::{Block, Cell};

    #[test]
    fn cells_a_spreadsheet_would_run_are_guarded_unless_raw() {
        let mut d = Doc::default();
        let risky = ["=1+1", "+7", "-x", "@SUM(A1)", "\tz", "\rq"];
        d.push(Block::Table {
            headers: ["id", "name"].map(String::from).to_vec(),
            rows: risky
                .iter()
                .map(|r| vec![Cell::from("a-b"), Cell::from(*r)])
                .chain([vec![Cell::from("2021-03-15"), Cell::from("x=1")]])
                .collect(),
        });
        let guarded = to_csv(&d).expect("csv");
        assert_eq!(
            guarded,
            "id,name\na-b,'=1+1\na-b,'+7\na-b,'-x\na-b,'@SUM(A1)\na-b,'\tz\na-b,\"'\rq\"\n2021-03-15,x=1\n"
        );
        let mut raw = Vec::new();
        write_csv(&d, Cells::Raw, &mut raw).expect("csv");
        let raw = String::from_utf8(raw).expect("utf-8");
        assert!(
            raw.contains("a-b,=1+1\n") && raw.contains("a-b,@SUM(A1)\n"),
            "{raw}"
        );
    }
}
