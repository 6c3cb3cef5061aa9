//! A diagram's edges as CSV: one row per fact and pair of entities it ties (a treaty one row
//! per pair of parties, a sanction one per target), with the columns
//! `fact,kind,from_id,to_id,start,end` first and more after them.

use crate::query::export::Diagram;

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

/// CSV text (RFC 4180, header first) of the diagram's edges, in their order.
pub fn to_csv(dg: &Diagram) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    let name = |id: &str| dg.node(id).map_or("", |n| n.name.as_str());
    let opt = |d: Option<crate::model::Date>| d.map_or_else(String::new, |d| d.to_string());
    for e in &dg.edges {
        let (start, end) = (opt(e.start), opt(e.end));
        w.write_record([
            e.fact.as_str(),
            e.kind.as_str(),
            &e.from,
            &e.to,
            &start,
            &end,
            if e.directed { "true" } else { "false" },
            e.certainty.map_or("", |c| c.as_str()),
            e.status.map_or("", |s| s.as_str()),
            name(&e.from),
            name(&e.to),
            e.fact_kind.as_str(),
            &e.title,
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    // Every field is a `&str`, so the bytes are UTF-8; the lossy reading is never needed.
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}
