//! A diagram's edges as CSV: one row per fact and pair of entities it ties (a treaty one row
//! per pair of parties, a sanction one per target), with the columns
//! `fact,kind,from_id,to_id,start,end` first and more after them. Written row by row, cells
//! that a spreadsheet would run as formulas guarded unless asked for raw ([`Cells`]).

use std::io::Write;

use super::csv::Cells;
use crate::model::Date;
use crate::query::export::{Diagram, View};

/// The header row.
pub const COLUMNS: [&str; 13] = [
    "fact",
    "kind",
    "from_id",
    "to_id",
    "start",
    "end",
    "directed",
    "certainty",
    "status",
    "from_name",
    "to_name",
    "fact_kind",
    "title",
];

/// Writes the CSV (RFC 4180, header first) of the diagram's edges, in their order, to `out`,
/// its cells written as `cells` says.
pub fn write_csv<W: Write>(out: W, d: &impl View, cells: Cells) -> Result<(), csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(out);
    w.write_record(COLUMNS)?;
    let (mut start, mut end) = (String::new(), String::new());
    let put = |s: &mut String, d: Option<Date>| {
        s.clear();
        if let Some(d) = d {
            use std::fmt::Write;
            let _ = write!(s, "{d}");
        }
    };
    for e in d.edges() {
        put(&mut start, e.start);
        put(&mut end, e.end);
        let record = [
            e.fact,
            e.kind.as_str(),
            e.from,
            e.to,
            &start,
            &end,
            if e.directed { "true" } else { "false" },
            e.certainty.map_or("", |c| c.as_str()),
            e.status.map_or("", |s| s.as_str()),
            e.from_name,
            e.to_name,
            e.fact_kind.as_str(),
            e.title,
        ];
        for c in record {
            w.write_field(cells.cell(c).as_bytes())?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()?;
    Ok(())
}

/// CSV text of the diagram's edges (see [`write_csv`]), cells guarded.
pub fn to_csv(dg: &Diagram) -> Result<String, csv::Error> {
    let mut bytes = Vec::new();
    write_csv(&mut bytes, dg, Cells::Guarded)?;
    // Every field is a `&str`, so the bytes are UTF-8; the lossy reading is never needed.
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}
